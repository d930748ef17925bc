"""The candidate speakers of a quote and the learned ranker over them (text/quotes/candidates.py,
text/quotes/ranker.py)."""

from parallax.text.entities import Mention
from parallax.text.quotes import QuoteSpan
from parallax.text.quotes.candidates import FEATURES, quote_candidates
from parallax.text.quotes.ranker import MODEL_PATH, SpeakerRanker, load_ranker

TEXT = (
    "Marta Lindqvist opened the harbour meeting on Monday.\n"
    "“We will rebuild the old pier before the summer,” said Tomas Brandt, the port engineer.\n"
    "Lindqvist did not answer questions afterwards."
)


def _mentions() -> list[Mention]:
    out = []
    for name, at in (("Marta Lindqvist", TEXT.index("Marta")), ("Tomas Brandt", TEXT.index("Tomas")), ("Lindqvist", TEXT.rindex("Lindqvist"))):
        out.append(Mention(name, "person", at, at + len(name)))
    return out


def _quote(speaker: str | None) -> list[QuoteSpan]:
    start = TEXT.index("We will")
    end = TEXT.index(" before the summer,") + len(" before the summer")
    return [QuoteSpan(TEXT[start:end], start, end, speaker)]


def test_candidates_are_the_people_around_the_quote_with_the_sieves_vote() -> None:
    (group,) = quote_candidates(TEXT, _mentions(), _quote("Marta Lindqvist"))
    by_name = {c.name: c for c in group.candidates}
    assert set(by_name) == {"Marta Lindqvist", "Tomas Brandt"}  # "Lindqvist" joins her full name
    brandt, lindqvist = by_name["Tomas Brandt"].f, by_name["Marta Lindqvist"].f
    assert brandt["dist"] > 0 and brandt["attr_after"] == 1.0 and brandt["slot_after"] == 1.0
    assert lindqvist["person_rank_before"] == 0.0 and lindqvist["is_rules"] == 1.0 and brandt["is_rules"] == 0.0
    assert lindqvist["mentions_doc"] == 2.0 and not group.pronoun
    assert len(by_name["Tomas Brandt"].vector()) == len(FEATURES)


def _stump(feature: str, margin: float = 0.0) -> SpeakerRanker:
    """One tree: +4 when ``feature`` > 0.5, else -4."""
    k = FEATURES.index(feature)
    tree = {"feature": [k, 0, 0], "threshold": [0.5, 0.0, 0.0], "left": [1, -1, -1], "right": [2, -1, -1], "value": [0.0, -4.0, 4.0]}
    return SpeakerRanker.from_spec({"trees": {"init": 0.0, "learning_rate": 1.0, "trees": [tree]}, "features": list(FEATURES), "margin": margin})


def test_the_ranker_takes_the_top_candidate_over_the_sieves_unless_within_its_margin() -> None:
    quotes = _quote("Marta Lindqvist")
    groups = quote_candidates(TEXT, _mentions(), quotes)
    assert [q.speaker for q in _stump("attr_after").apply(quotes, groups)] == ["Tomas Brandt"]
    assert [q.speaker for q in _stump("attr_after", margin=0.999).apply(quotes, groups)] == ["Marta Lindqvist"]
    groups[0].pronoun = True  # "he said": the sieves' resolution stands
    assert [q.speaker for q in _stump("attr_after").apply(quotes, groups)] == ["Marta Lindqvist"]


def test_the_shipped_model_reads_the_features_the_candidates_give() -> None:
    if not MODEL_PATH.exists():
        return
    ranker = load_ranker()
    assert ranker is not None and ranker.features == FEATURES
    quotes = _quote(None)
    (group,) = quote_candidates(TEXT, _mentions(), quotes)
    p = ranker.scores(group)
    assert p.shape == (2,) and ((0 <= p) & (p <= 1)).all()
    assert group.candidates[int(p.argmax())].name == "Tomas Brandt"


def test_a_person_the_sieves_named_gives_way_only_to_a_person() -> None:
    """The ranker may move a quote from one person to another, not from a person to an organisation."""
    text = "Marta Lindqvist spoke first.\n“We will rebuild the old pier before the summer,” said the Harbour Board."
    start = text.index("We will")
    end = text.index(" before the summer,") + len(" before the summer")
    at = text.index("Harbour Board")
    mentions = [Mention("Marta Lindqvist", "person", 0, 15), Mention("Harbour Board", "organization", at, at + 13)]
    quotes = [QuoteSpan(text[start:end], start, end, "Marta Lindqvist")]
    groups = quote_candidates(text, mentions, quotes)
    assert {c.name for c in groups[0].candidates} == {"Marta Lindqvist", "Harbour Board"}
    assert [q.speaker for q in _stump("attr_after").apply(quotes, groups)] == ["Marta Lindqvist"]
    unnamed = [QuoteSpan(text[start:end], start, end, None)]
    assert [q.speaker for q in _stump("attr_after").apply(unnamed, quote_candidates(text, mentions, unnamed))] == ["Harbour Board"]
