"""The gold-set speaker scorer of bench/eval_synthesis.py (see "Scoring" in bench/gold/README.md)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


def test_an_acronym_matches_the_name_whose_initials_it_spells():
    from eval_synthesis import same_speaker

    assert same_speaker("Northern Rivers Ferry Union", "NRFU")
    assert same_speaker("the NRFU", "Northern Rivers Ferry Union")
    assert same_speaker("Board of Harbour Pilots", "BHP")  # "of" is not an initial
    assert not same_speaker("Northern Rivers Ferry Union", "NRF")
    assert not same_speaker("Northern Rivers Ferry Union", "NRFA")
    assert not same_speaker("Nora Ruth Fenwick-Udall", "nrfu")  # lower case is no acronym


def test_a_leading_article_or_owner_of_a_proper_name_is_dropped():
    from eval_synthesis import same_speaker

    assert same_speaker("The Lakeside Courier", "Lakeside Courier")
    assert same_speaker("Norway's Coastal Rescue Service", "Coastal Rescue Service")
    assert not same_speaker("Lund's legal team", "legal team")  # a description keeps its owner
    assert not same_speaker("Norway's Coastal Rescue Service", "Sweden's Coastal Rescue Service")


def test_surnames_still_agree_unless_shared():
    from eval_synthesis import same_speaker

    assert same_speaker("Ingrid Halvorsen", "Halvorsen")
    assert not same_speaker("Ingrid Halvorsen", "Halvorsen", frozenset({"halvorsen"}))
    assert not same_speaker("Ingrid Halvorsen", "Per Halvorsen")


def test_relabel_persons_is_deterministic_and_leaves_other_kinds() -> None:
    from eval_synthesis import relabel_persons

    from parallax.text.entities import Mention

    docs = [[Mention(f"Name{i} Surname", "person", i, i + 1) for i in range(200)] + [Mention("Oslo", "place", 0, 4)]]
    none = relabel_persons(docs, 0.0)
    assert none == docs
    half = relabel_persons(docs, 0.5)
    assert half == relabel_persons(docs, 0.5)  # the same names every run
    changed = sum(a.kind != b.kind for a, b in zip(docs[0], half[0]))
    assert 60 <= changed <= 140  # about half of 200 first words
    assert {m.kind for m in half[0]} == {"person", "organization", "place"}
    assert half[0][-1] == docs[0][-1]


def test_a_batch_left_out_is_not_run() -> None:
    """``--without BATCH`` keeps a held-out batch out of every development run: with every batch left
    out, nothing is extracted or scored (no document is needed)."""
    from eval_synthesis import gold_eval

    every = tuple(f"batch{k}" for k in range(1, 17))
    metrics, notes = gold_eval([], without=every)
    assert metrics == {} and notes == []


def test_every_quote_of_the_development_set_is_in_a_scored_batch() -> None:
    """Each quote of bench/gold/quotes_dev.jsonl names an annotation batch that is scored (the
    held-out batch is the last), and every batch has quotes."""
    from eval_synthesis import BATCHES, HELD_OUT, load_quotes_dev

    quotes = load_quotes_dev()
    assert len(quotes) >= 600
    assert {g["batch"] for g in quotes} == {part for part, _ in BATCHES}
    assert all({"doc", "start", "end", "speaker"} <= set(g) and g["start"] < g["end"] for g in quotes)
    assert HELD_OUT == BATCHES[-1][0]


def test_figure_sources_are_scored_against_the_gold_giver_or_none(tmp_path, monkeypatch) -> None:
    """A gold giver must be named; a gold ``null`` (the article's own voice) must get no giver."""
    import json

    import eval_synthesis

    text = "A senior White House official said 7,000 more troops had arrived. The town has 12,000 residents."
    spans = [(text.index("7,000"), text.index(" had")), (text.index("12,000"), len(text) - 1)]
    figures = [{"doc": "d#0", "start": s, "end": e, "value": v} for (s, e), v in zip(spans, (7000.0, 12000.0))]
    sources = [dict(f, sources=giver) for f, giver in zip(figures, (["senior White House official"], ["mayor"]))]
    for name, rows in (("figures.jsonl", figures), ("figure_sources.jsonl", sources)):
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.setattr(eval_synthesis, "GOLD", tmp_path)
    metrics: dict = {}
    notes: list[str] = []
    eval_synthesis.figure_source_eval({"d#0": text}, metrics, notes, [""])
    assert metrics["figure_sources_scored"] == 2
    assert metrics["figure_source_accuracy"] == 50.0  # the residents are the article's, not the mayor's
    assert notes == [f"figure source: d#0 {spans[1][0]} gold=['mayor'] got=None"]


def test_figure_pairs_count_as_flagged_only_when_the_synthesis_joins_them(tmp_path, monkeypatch) -> None:
    import json

    import eval_synthesis

    docs = [
        "The ministry said 130,000 troops were massed near the border with Ukraine on Tuesday.",
        (
            "Joe Biden said 150,000 troops were massed near the border with Ukraine on Tuesday. "
            "Voters backed the plan by 52 percent in a referendum last spring."
        ),
        "A bookmaker said it was 100 percent certain of the result and stopped taking bets.",
    ]

    def at(k: int, figure: str) -> dict:
        start = docs[k].index(figure)
        return {"doc": f"c1#{k}", "start": start, "end": start + len(figure)}

    pairs = [
        {"id": 0, "part": "dev", "cluster": "c1", "a": at(0, "130,000 troops"), "b": at(1, "150,000 troops"), "label": "same"},
        {"id": 1, "part": "dev", "cluster": "c1", "a": at(1, "52 percent"), "b": at(2, "100 percent"), "label": "different"},
    ]
    (tmp_path / "figure_disagreements.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs), encoding="utf-8")
    monkeypatch.setattr(eval_synthesis, "GOLD", tmp_path)
    metrics = eval_synthesis.figure_disagreement_eval([{"id": "c1", "documents": docs}], ("dev",))
    assert metrics["figure_pairs_dev_flagged"] == 1
    assert metrics["figure_pairs_dev_precision"] == 100.0 and metrics["figure_pairs_dev_kept"] == 100.0
    assert metrics["figure_pairs_dev_before_precision"] == 50.0
