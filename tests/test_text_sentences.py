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
