from parallax.text.entities import canonical_names, extract_entities, name_key, strip_titles


def test_extract_entities_kinds_and_offsets() -> None:
    texts = [
        "NATO Secretary-General Jens Stoltenberg said in Brussels on Tuesday that 150,000 troops remain.",
        "",
    ]
    result = extract_entities(texts)
    assert len(result) == 2 and result[1] == []
    kinds = {m.name: m.kind for m in result[0]}
    assert kinds.get("Jens Stoltenberg") == "person"
    assert kinds.get("NATO") == "organization"
    assert kinds.get("Brussels") == "place"
    assert "Tuesday" not in kinds and "150,000" not in kinds
    for m in result[0]:
        assert texts[0][m.start : m.end] == m.name


def test_strip_titles() -> None:
    assert strip_titles("Mr. Biden") == "Biden"
    assert strip_titles("President Joe Biden's") == "Joe Biden"
    assert strip_titles("Prime Minister Boris Johnson") == "Boris Johnson"
    assert strip_titles("Biden") == "Biden"


def test_spellings_share_a_key() -> None:
    assert name_key("Zelenskiy") == name_key("Zelenskyy") == name_key("Zelensky")
    assert name_key("Volodymyr Zelenskiy") == name_key("Volodymyr Zelenskyy")
    assert name_key("Biden") != name_key("Blinken")


def test_canonical_names_merge_short_forms() -> None:
    names = ["Zelenskiy", "Volodymyr Zelenskyy", "Zelensky", "Mr. Biden", "Joe Biden", "Biden", "Antony Blinken"]
    mapping = canonical_names(names)
    assert {mapping[n] for n in names[:3]} == {"Volodymyr Zelenskyy"}
    assert {mapping[n] for n in names[3:6]} == {"Joe Biden"}
    assert mapping["Antony Blinken"] == "Antony Blinken"


def test_ambiguous_surname_is_not_merged() -> None:
    mapping = canonical_names(["Johnson", "Boris Johnson", "Dwayne Johnson"])
    assert mapping["Johnson"] == "Johnson"


def test_capitals_tagged_as_persons_are_places() -> None:
    from parallax.text.places import country_of, is_place

    [mentions] = extract_entities(["Dmytro Kuleba said Kyiv would believe in a withdrawal only when it saw one."])
    assert ("Kyiv", "place") in [(m.name, m.kind) for m in mentions]
    assert is_place("Kyiv") and is_place("the Netherlands") and not is_place("Jordan")  # Michael Jordan
    assert country_of("Jordan") == "jordan" and country_of("White House") == "us" and not is_place("White House")


def test_regions_are_places_that_stand_for_no_side() -> None:
    from parallax.text.places import country_of, is_place

    [mentions] = extract_entities(
        ["The ministry said on Wednesday that more units were leaving Crimea after the end of drills."]
    )
    assert ("Crimea", "place") in [(m.name, m.kind) for m in mentions]
    assert is_place("the Gaza Strip") and is_place("Middle East") and country_of("Crimea") is None


def test_recogniser_runs_without_the_shared_token_embedder() -> None:
    """The entity recogniser embeds tokens itself, so the pipeline leaves out the shared ``tok2vec``
    that only the tagger and parser listen to (it doubled the time of every entity pass)."""
    from parallax.text.entities import _model

    nlp = _model()
    assert nlp.pipe_names == ["ner"]
    assert "Listener" not in nlp.config["components"]["ner"]["model"]["tok2vec"]["@architectures"]
    doc = nlp("NATO's Jens Stoltenberg spoke in Brussels.")
    assert ("Jens Stoltenberg", "PERSON") in {(e.text, e.label_) for e in doc.ents}


def test_long_text_read_in_bounded_pieces_gives_the_same_entities(monkeypatch):
    """A text longer than one piece is read in pieces cut at line breaks: offsets stay right and
    the entities are those of the whole text read at once."""
    from parallax.text import entities

    paragraph = "NATO chief Jens Stoltenberg spoke in Brussels on Monday. Officials in Kyiv welcomed it.\n\n"
    text = paragraph * 40
    whole = entities.extract_entities([text])[0]
    monkeypatch.setattr(entities, "PIECE_CHARS", 500)
    spans = entities.pieces(text, 500)
    assert len(spans) > 5 and all(b - a <= 500 for a, b in spans)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(text[a - 2 : a] == "\n\n" for a, _ in spans[1:])
    given = []
    batches = entities._batches
    monkeypatch.setattr(entities, "_batches", lambda items: (given.extend(items), batches(items))[1])
    chunked = entities.extract_entities([text])[0]  # PIECE_CHARS is 500 now
    assert [(a, a + len(p)) for _, a, p in given] == spans  # spaCy was given the pieces
    assert chunked == whole
    assert all(text[m.start : m.end] == m.name for m in chunked)
    assert sum(m.name == "Jens Stoltenberg" for m in chunked) == 40


def test_pieces_without_line_breaks_cut_at_sentence_ends_then_spaces():
    from parallax.text.entities import pieces

    text = "The minister spoke. " * 30
    spans = pieces(text, 100)
    assert all(text[b - 2 : b] == ". " for _, b in spans[:-1])
    words = "word " * 60
    assert all(words[b - 1] == " " for _, b in pieces(words, 64)[:-1])
    assert pieces("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]
