import pytest

from parallax.text.sentences import split_sentences


def test_offsets_match_and_are_stripped() -> None:
    text = "  Troops left. Mr. Biden doubts it.  \n\nNATO agreed\n \n \"We see no sign,\" he said."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Troops left.",
        "Mr. Biden doubts it.",
        "NATO agreed",
        '"We see no sign," he said.',
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()


def test_abbreviations_and_decimals_do_not_split() -> None:
    text = "U.S. officials said 7,000 troops arrived on Feb. 16. It was 3.5 km away."
    assert [s.text for s in split_sentences(text)] == [
        "U.S. officials said 7,000 troops arrived on Feb. 16.",
        "It was 3.5 km away.",
    ]


def test_paragraph_break_always_splits() -> None:
    text = "A headline without a stop\n\nThe body starts here. And goes on"
    assert [s.text for s in split_sentences(text)] == [
        "A headline without a stop",
        "The body starts here.",
        "And goes on",
    ]


def test_empty_and_whitespace() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n \n ") == []


def test_overlong_paragraph_is_chunked_with_offsets() -> None:
    text = ("word " * 9000).strip()
    sentences = split_sentences(text)
    assert sentences and all(text[s.start : s.end] == s.text for s in sentences)
    assert sum(len(s.text.split()) for s in sentences) == 9000


# The linear segmenter (issue 20: a long paragraph cost time growing with its square) gives pysbd's
# own sentences, on texts full of the abbreviations and repeats its two rewritten steps handle.
TRICKY = [
    "Mr. Smith went to Washington. He met Dr. Jones at 5 p.m. on Jan. 5. No. 5 was there, p. 7 said so. "
    "U.S. troops left. MR. SMITH and Mr. Smith and mr. smith spoke. P. Jones: art. 5 of the law; Art. 6 (b). "
    "The co. said e.g. this, i.e. that. Prof. Lee vs. Gov. Hill. St. Louis, Mo. is far. Fig. 3 shows it.",
    "Yes. Yes. Yes. No. No. Yes. He said yes. Yes.",
    "A sentence.   A sentence.  A sentence.\tAnother one! Is it? A sentence.",
    "pp. 12-14 are missing. See p. 3. Vol. 2, no. 4. The ave. price rose. Ala. and Ariz. voted. Sept. 11 came.",
    ("Troops said p. 5 and the panel said no. " * 60) + "Officials disputed it. Al Smith, Al. said.",
]


def test_linear_segmenter_gives_pysbds_sentences() -> None:
    import pysbd

    from parallax.text.segmenter import LinearSegmenter

    old = pysbd.Segmenter(language="en", clean=False, char_span=False)
    new = LinearSegmenter(clean=False, char_span=False)
    for text in TRICKY:
        assert new.segment(text) == old.segment(text)


def test_abbreviation_substitutions_do_not_grow_with_occurrences(monkeypatch) -> None:
    """One substitution per distinct abbreviation form, not one per occurrence (which was quadratic)."""
    from parallax.text import segmenter

    calls = []
    real = segmenter._period
    monkeypatch.setattr(segmenter, "_period", lambda txt, abbr: calls.append(abbr) or real(txt, abbr))
    text = " ".join(["Troops and allies all went along to the plaza, and analysts agreed."] * 300)
    segmenter.LinearSegmenter(clean=False, char_span=False).segment(text)
    assert 0 < len(calls) <= 10  # "al" and "ala" in a few case forms; pysbd ran one per occurrence (>1,000)


LONG_PARAGRAPH = " ".join(f"Officials in town {n} said the units had left. Mr. Lee doubts it." for n in range(900))


@pytest.mark.parametrize("text", [
    "  Troops left. Mr. Biden doubts it.  \n\nNATO agreed\n \n \"We see no sign,\" he said.",
    LONG_PARAGRAPH,  # one paragraph over _MAX_PARAGRAPH: cut into pieces
    "\n\n".join([LONG_PARAGRAPH[:3_000]] * 8),
])
@pytest.mark.parametrize("limit", [1, 3, 80, 5_000])
def test_limit_gives_the_first_sentences_of_the_whole_split(text: str, limit: int) -> None:
    assert split_sentences(text, limit=limit) == split_sentences(text)[:limit]


def test_limit_leaves_the_rest_of_a_long_text_unsegmented(monkeypatch) -> None:
    from parallax.text import sentences

    seen: list[int] = []
    real = sentences._segmenter()
    monkeypatch.setattr(sentences, "_segmenter", lambda: type("S", (), {
        "segment": staticmethod(lambda piece: seen.append(len(piece)) or real.segment(piece))})())
    split_sentences(LONG_PARAGRAPH, limit=80)
    assert sum(seen) <= sentences._MAX_PARAGRAPH < len(LONG_PARAGRAPH) / 2  # one piece of the paragraph, not all
