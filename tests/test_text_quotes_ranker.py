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


def _pier_quote(text: str, organisation: str):
    """Mentions (Marta Lindqvist, ``organisation``), the pier quote given to Lindqvist by the sieves, and its
    candidate groups."""
    start = text.index("We will")
    end = text.index(" before the summer,") + len(" before the summer")
    at = text.index(organisation)
    mentions = [Mention("Marta Lindqvist", "person", 0, 15),
                Mention(organisation, "organization", at, at + len(organisation))]
    quotes = [QuoteSpan(text[start:end], start, end, "Marta Lindqvist")]
    return mentions, quotes, quote_candidates(text, mentions, quotes)


def test_a_person_the_sieves_named_gives_way_only_to_a_person() -> None:
    """The ranker may move a quote from one person to another, not from a person to an organisation."""
    text = "Marta Lindqvist spoke first.\n“We will rebuild the old pier before the summer,” said the Harbour Board."
    mentions, quotes, groups = _pier_quote(text, "Harbour Board")
    start, end = quotes[0].start, quotes[0].end
    assert {c.name for c in groups[0].candidates} == {"Marta Lindqvist", "Harbour Board"}
    assert [q.speaker for q in _stump("attr_after").apply(quotes, groups)] == ["Marta Lindqvist"]
    unnamed = [QuoteSpan(text[start:end], start, end, None)]
    assert [q.speaker for q in _stump("attr_after").apply(unnamed, quote_candidates(text, mentions, unnamed))] == ["Harbour Board"]


def test_a_person_carried_from_afar_gives_way_to_the_organisation_next_to_the_quote() -> None:
    """The lock holds only for a person mentioned around the quote: one the sieves carried from far
    away gives way to an organisation next to the quote that scores far above."""
    text = (
        "Marta Lindqvist spoke first.\nThe harbour was quiet.\nBoats waited.\nRain fell.\n"
        "“We will rebuild the old pier before the summer,” Acme Harbour Board said in a statement."
    )
    _, quotes, groups = _pier_quote(text, "Acme Harbour Board")
    ruled = next(c for c in groups[0].candidates if c.f.get("is_rules"))
    assert ruled.name == "Marta Lindqvist" and not ruled.f.get("src_mention")
    assert [q.speaker for q in _stump("attr_after").apply(quotes, groups)] == ["Acme Harbour Board"]


# ---------------------------------------------------------------- the MiniLM cross-encoder (text/quotes/xenc.py)

from pathlib import Path

import numpy as np
import pytest

from parallax.text.quotes import (
    extract_quotes,
    xenc,
)
from parallax.text.quotes.ranker import XENC_PARAMS, CrossScorer, blend, load_cross_scorer, rescored

CROSS_TEXT = (
    "Mayor Elena Voss opened the council session on the flood defences on Tuesday.\n"
    "“The new wall will not be ready before the spring tides,” said Piet Harmsen, the city's chief engineer, "
    "after the vote.\n"
    "Voss left without comment."
)


def _cross_case() -> tuple[list[Mention], list[QuoteSpan]]:
    mentions = []
    for name, at in (("Elena Voss", CROSS_TEXT.index("Elena")), ("Piet Harmsen", CROSS_TEXT.index("Piet")), ("Voss", CROSS_TEXT.rindex("Voss"))):
        mentions.append(Mention(name, "person", at, at + len(name)))
    start = CROSS_TEXT.index("The new wall")
    end = CROSS_TEXT.index(" spring tides,") + len(" spring tides")
    return mentions, [QuoteSpan(CROSS_TEXT[start:end], start, end, "Elena Voss")]


def test_the_pair_text_marks_the_quote_and_the_candidates_mentions() -> None:
    _, quotes = _cross_case()
    q = quotes[0]
    at = CROSS_TEXT.index("Piet")
    name, context = xenc.pair_text(CROSS_TEXT, q.start, q.end, "Piet Harmsen", [(at, at + 12)])
    assert name == "Piet Harmsen"
    assert "[unused0] The new wall will not be ready before the spring tides [unused1]" in context
    assert "said [unused2] Piet Harmsen [unused3]" in context and context.count("[unused2]") == 1
    long = "word " * 200
    _, cut = xenc.pair_text(long, 0, len(long) - 1, "X", [])
    assert "…" in cut and len(cut.split()) < 40  # a long quote keeps its first and last words


class _FixedScores:
    """A stand-in cross-encoder: the score of a pair is given by its candidate's name."""

    def __init__(self, by_name: dict[str, float]) -> None:
        self.by_name, self.calls = by_name, []

    def score(self, pairs):  # type: ignore[no-untyped-def]
        self.calls.append(list(pairs))
        return np.array([self.by_name.get(a, 0.0) for a, _ in pairs], dtype=np.float32)


def test_blending_rescores_only_the_trees_top_candidates() -> None:
    p = np.array([0.6, 0.3, 0.1])
    q = blend(p, np.array([0.0, 1.0, 1.0]), 0.5, [0, 1])
    assert np.allclose(q, [0.3, 0.65, 0.05])  # the third was not scored: its cross-encoder score counts as 0
    mentions, quotes = _cross_case()
    (group,) = quote_candidates(CROSS_TEXT, mentions, quotes)
    assert [c.name for c in group.candidates] == ["Elena Voss", "Piet Harmsen"] and group.candidates[0].f["is_rules"]
    assert rescored(group, np.array([0.4, 0.6]), 1, 1.0) == [0, 1]  # the trees' top one and the sieves' speaker
    assert rescored(group, np.array([0.6, 0.4]), 1, 1.0) == [0]
    assert rescored(group, np.array([0.9, 0.1]), 2, 0.3) == []  # the trees are sure: no pair is scored
    assert rescored(group, np.array([0.5]), 2, 1.0) == []  # one candidate: nothing to re-rank


def test_the_cross_encoder_score_can_move_the_speaker() -> None:
    mentions, quotes = _cross_case()
    groups = quote_candidates(CROSS_TEXT, mentions, quotes)
    ranker = _stump("is_rules")  # the trees trust the sieves' (wrong) speaker
    assert [q.speaker for q in ranker.apply(quotes, groups)] == ["Elena Voss"]
    fake = _FixedScores({"Piet Harmsen": 0.99, "Elena Voss": 0.01})
    cross = CrossScorer(fake, weight=0.7, top_k=2, gap=1.0, margin=0.0)
    groups = quote_candidates(CROSS_TEXT, mentions, quotes)
    assert [q.speaker for q in ranker.apply(quotes, groups, CROSS_TEXT, cross)] == ["Piet Harmsen"]
    assert len(fake.calls) == 1 and len(fake.calls[0]) == 2  # one batch, both candidates
    weak = CrossScorer(fake, weight=0.3, top_k=2, gap=1.0, margin=0.0)  # the trees outweigh it
    groups = quote_candidates(CROSS_TEXT, mentions, quotes)
    assert [q.speaker for q in ranker.apply(quotes, groups, CROSS_TEXT, weak)] == ["Elena Voss"]


needs_model = pytest.mark.skipif(not xenc.MODEL_PATH.exists(), reason="no shipped cross-encoder")


@needs_model
def test_the_shipped_cross_encoder_picks_the_speaker_named_by_the_attribution() -> None:
    model = xenc.load_cross_encoder()
    assert model is not None
    mentions, quotes = _cross_case()
    q = quotes[0]
    voss = [(m.start, m.end) for m in mentions if "Voss" in m.name]
    harmsen = [(m.start, m.end) for m in mentions if "Harmsen" in m.name]
    scores = model.score(
        [xenc.pair_text(CROSS_TEXT, q.start, q.end, "Elena Voss", voss), xenc.pair_text(CROSS_TEXT, q.start, q.end, "Piet Harmsen", harmsen)]
    )
    assert scores.shape == (2,) and ((0 <= scores) & (scores <= 1)).all()
    assert scores[1] > scores[0]
    assert model.score([]).shape == (0,)


@needs_model
def test_the_package_runs_with_the_cross_encoder_loaded() -> None:
    assert XENC_PARAMS.exists() and load_cross_scorer() is not None
    mentions, _ = _cross_case()
    got = extract_quotes(CROSS_TEXT, mentions)
    assert [(q.text, q.speaker) for q in got] == [("The new wall will not be ready before the spring tides", "Piet Harmsen")]


def test_a_broken_model_file_is_refused_and_the_trees_work_alone(tmp_path: Path) -> None:
    broken = tmp_path / "speaker_xenc.onnx"
    broken.write_bytes(b"not an onnx model")
    assert xenc.load_cross_encoder(broken) is None
    assert xenc.load_cross_encoder(tmp_path / "missing.onnx") is None
    assert load_cross_scorer.__wrapped__(tmp_path / "missing.json") is None  # type: ignore[attr-defined]
    mentions, _ = _cross_case()
    assert [q.speaker for q in extract_quotes(CROSS_TEXT, mentions)] == ["Piet Harmsen"]


@needs_model
def test_a_pairs_score_does_not_depend_on_the_other_pairs_scored_with_it() -> None:
    model = xenc.load_cross_encoder()
    assert model is not None
    mentions, quotes = _cross_case()
    q = quotes[0]
    pairs = [xenc.pair_text(CROSS_TEXT, q.start, q.end, m.name, [(m.start, m.end)]) for m in mentions]
    pairs.append(("Harbour board", "The harbour board met on Monday. [unused0] We will see [unused1] it said in a short statement."))
    together = model.score(pairs)
    alone = np.concatenate([model.score([p]) for p in pairs])
    assert np.allclose(together, alone, atol=1e-6)  # int8 activations quantised per batch would differ
