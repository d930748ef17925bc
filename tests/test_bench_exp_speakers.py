"""The candidates and features of the learned-speaker experiment (bench/experiments/exp_speakers.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench" / "experiments"))

TEXT = (
    "Marta Lindqvist opened the harbour meeting on Monday.\n"
    "“We will rebuild the old pier before the summer,” said Tomas Brandt, the port engineer.\n"
    "Lindqvist did not answer questions afterwards."
)


def _mentions():
    from parallax.text.entities import Mention

    out = []
    for name in ("Marta Lindqvist", "Tomas Brandt", "Lindqvist"):
        start = TEXT.index(name) if name != "Lindqvist" else TEXT.rindex(name)
        out.append(Mention(name, "person", start, start + len(name)))
    return out


def _record(speaker: str):
    from exp_speakers import doc_rows

    start = TEXT.index("We will")
    end = TEXT.index("summer,") + len("summer,")
    (record,) = doc_rows(TEXT, _mentions(), [{"doc": "d", "start": start, "end": end, "speaker": speaker}])
    return record


def test_candidates_are_labelled_by_the_scorer_and_located_around_the_quote():
    record = _record("Tomas Brandt")
    by_name = {c["name"]: c for c in record["cands"]}
    assert by_name["Tomas Brandt"]["y"] and not by_name["Marta Lindqvist"]["y"]
    brandt, lindqvist = by_name["Tomas Brandt"]["f"], by_name["Marta Lindqvist"]["f"]
    assert brandt["dist"] > 0 and brandt["slot_after"] == 1.0 and brandt["attr_after"] == 1.0
    # Her nearest mention is "Lindqvist" in the next sentence, completed to her full name.
    assert lindqvist["dist"] > brandt["dist"] and lindqvist["slot_after"] == 0.0 and lindqvist["attr_after"] == 0.0
    assert lindqvist["mentions_before"] == 1.0 and lindqvist["mentions_doc"] == 2.0


def test_the_honest_variant_never_sees_a_candidate_only_the_rules_proposed():
    from exp_speakers import usable

    record = _record("Tomas Brandt")
    record["cands"].append({"name": "Harbour Board", "f": {"src_rules": 1.0, "is_rules": 1.0}, "y": False})
    names_a = {c["name"] for c in usable([record], False)[0]["cands"]}
    names_b = {c["name"] for c in usable([record], True)[0]["cands"]}
    assert "Harbour Board" not in names_a and "Harbour Board" in names_b
