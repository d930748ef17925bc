"""The contested pair scorer's label tooling (bench/train_pair_scorer.py add) and the story cache of the evaluations."""

import argparse
import json
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


def test_add_appends_references_and_labels_only_and_skips_bad_or_known_records(tmp_path, monkeypatch):
    import train_pair_scorer as t

    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({"part": "train", "claim": "c#0@0-5", "dispute": "c#1@0-9", "answers": False}) + "\n")
    monkeypatch.setattr(t, "LABELS", labels)
    pool = tmp_path / "pool.jsonl"
    rows = [
        {"claim": "c#0@10-20", "dispute_ref": "c#1@0-9", "assertion": "text", "dispute": "text", "answers": True},
        {"claim": "c#0@0-5", "dispute_ref": "c#1@0-9", "answers": True},  # labelled before
        {"claim": "c#0@30-40", "dispute_ref": "c#1@0-9", "answers": "yes"},  # not a boolean
        {"assertion": "no references", "answers": False},
    ]
    pool.write_text("".join(json.dumps(r) + "\n" for r in rows) + "not json\n")
    assert t.add(argparse.Namespace(labelled=pool)) == 0
    got = [json.loads(line) for line in labels.read_text().splitlines()]
    assert len(got) == 2
    assert got[1] == {"part": "train", "claim": "c#0@10-20", "dispute": "c#1@0-9", "answers": True}  # no text kept


def test_the_story_cache_analyses_once_and_drops_the_model_dependent_candidates(tmp_path):
    from _story_cache import cached

    calls = []

    def analyse(articles):
        calls.append(len(articles))
        return SimpleNamespace(units=[a.id for a in articles], memo={"claim_candidates": "old", "claim_sentences": [1]})

    wrapped = cached(analyse, tmp_path / "stories")
    articles = [SimpleNamespace(id="a1", source="s#0", outlet="o1"), SimpleNamespace(id="a2", source="s#1", outlet="o2")]
    first = wrapped(articles)
    assert first.memo["claim_candidates"] == "old"  # the story of this run keeps what it computed
    again = wrapped(articles)
    assert calls == [2]
    assert again.units == ["a1", "a2"] and "claim_candidates" not in again.memo and again.memo["claim_sentences"] == [1]
    wrapped(articles[:1])
    assert calls == [2, 1]  # other articles: analysed anew
