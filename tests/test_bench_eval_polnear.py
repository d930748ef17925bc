"""The PolNeAR quote-speaker scorer of bench/eval_polnear.py: which attributions are direct
quotations, and when a speaker names the Source span."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


def test_direct_quotations_are_contents_in_quotation_marks(tmp_path) -> None:
    from eval_polnear import is_direct, read_ann

    text = 'Mayor Lena Holt said the bridge "will open in May," and added that costs rose. “It is done,” she said.'
    q1 = text.index('"will') + 1
    q1_end = text.index(',"') + 1
    c2 = text.index("that costs")
    q3 = text.index("“It")
    ann = tmp_path / "doc_ab12.ann"
    lines = [
        f"T1\tSource 0 14\t{text[0:14]}",
        f"T2\tContent {q1} {q1_end}\t{text[q1:q1_end]}",
        "E1\tAttribution:T9 Content:T2 Source:T1",
        f"T3\tContent {c2} {c2 + 20}\t{text[c2:c2 + 20]}",
        "E2\tContent:T3 Source:T1",
        f"T4\tSource {text.index('she')} {text.index('she') + 3}\tshe",
        f"T5\tContent {q3} {text.index(' she')}\t{text[q3:text.index(' she')]}",
        "E3\tContent:T5 Source:T4",
    ]
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = read_ann(ann)
    assert [a.doc for a in found] == ["doc"] * 3
    assert [is_direct(text, a) for a in found] == [True, False, True]


def test_a_speaker_matches_the_source_by_head_word() -> None:
    from eval_polnear import is_pronoun, source_match

    assert source_match("Trump campaign manager Kellyanne Conway", "Kellyanne Conway")
    assert source_match("Donald Trump", "Trump") and source_match("Trump", "Donald Trump")
    assert source_match("a spokesman for Trump", "spokesman")
    assert not source_match("a spokesman for Trump", "Donald Trump")  # the head is the spokesman
    assert source_match("Brian Fallon, a Clinton spokesman", "Brian Fallon")
    assert not source_match("Hillary Clinton", "Bill Kaine") and not source_match("Trump", None)
    assert is_pronoun("He") and is_pronoun("they") and not is_pronoun("The president")


def test_the_frozen_test_set_scores_precision_recall_and_speakers() -> None:
    """bench/eval_quotes_test.py: a quote over a title is a false quote; a gold quote missed is not
    scored for its speaker; a single-marked quote of a part B article is not scored."""
    from eval_quotes_test import metrics_of, score_document

    from parallax.text.quotes import QuoteSpan

    text = "He praised “The Quiet Harbour” and said “we will win this time” and ‘maybe more’ later, “yes we can”."
    spans = {w: (text.index(w), text.index(w) + len(w)) for w in ("The Quiet Harbour", "we will win this time", "maybe more", "yes we can")}
    gold = [
        {"start": spans["The Quiet Harbour"][0], "end": spans["The Quiet Harbour"][1], "kind": "title", "speaker": None},
        {"start": spans["we will win this time"][0], "end": spans["we will win this time"][1], "kind": "quote", "speaker": "Ana Ruiz", "speaker_type": "pronoun_resolved"},
        {"start": spans["yes we can"][0], "end": spans["yes we can"][1], "kind": "quote", "speaker": "Ana Ruiz", "speaker_type": "name"},
    ]
    ours = [QuoteSpan(w, *spans[w], "Ruiz") for w in ("The Quiet Harbour", "we will win this time", "maybe more")]
    c = {"docs": 1, "quotes": 0, "found": 0, "right": 0, "pred": 0, "pred_right": 0}
    notes: list[str] = []
    score_document(text, gold, ours, "wikiref", c, notes, "d")
    m = metrics_of(c, "t_")
    assert m["t_quote_precision"] == 50.0  # the title is a false quote; the single-marked span is not scored
    assert m["t_quote_recall"] == 50.0 and m["t_speaker_accuracy"] == 100.0
    assert m["t_speaker_accuracy_pronoun_resolved"] == 100.0 and "t_found_name" not in m
