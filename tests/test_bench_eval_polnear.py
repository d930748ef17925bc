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
