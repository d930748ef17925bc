"""Quotes and speakers on the frozen quote test set of issue 16 (measured once per design).

The set (``bench/gold/quotes_test_aeb.jsonl``, 22 AEB articles; ``quotes_test_wikiref.jsonl``, 20
WikiRef220 articles; see ``bench/gold/README.md``) labels every quotation-marked span of each
article: a ``quote`` with its speaker, or a ``term``, ``title``, ``nickname``, ``scare`` or ``other``
span that is no quote. Part B does not annotate single quotation marks, so an extracted quote
opened by a single mark in a part B article is not scored.

- *Quote precision*: the share of extracted quote spans (a continued paragraph counts apart) that
  overlap a gold ``quote``; one that overlaps a non-quote span or no span is a false quote.
- *Quote recall*: the share of gold quotes an extracted quote overlaps.
- *Speaker accuracy*: of the gold quotes found (the extracted quote with the largest overlap), the
  share whose speaker agrees with the gold's (``eval_synthesis.same_speaker``), also per speaker
  type of the gold (name, pronoun_resolved, role, organisation, unnamed).

Run: ``.venv/bin/python bench/eval_quotes_test.py`` (writes ``bench/results/eval_quotes_test.json``
and checks ``bench/floors/eval_quotes_test.json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import ROOT, check_floors, require_data, write_result

COMMAND = ".venv/bin/python bench/eval_quotes_test.py"
GOLD = ROOT / "bench" / "gold"
PARTS = {"aeb": "quotes_test_aeb.jsonl", "wikiref": "quotes_test_wikiref.jsonl"}
SINGLE_MARKS = frozenset("‘'")


def load_gold(part: str) -> list[dict]:
    path = GOLD / PARTS[part]
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def documents(part: str, ids: set[str]) -> dict[str, str]:
    """The text of each gold document (read in place from ``../shared/data``)."""
    if part == "aeb":
        folder = require_data("aeb-scrapinghub")
        if folder is None:
            return {}
        truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
        return {d: truth[d.removeprefix("aeb:")]["articleBody"] for d in ids}
    folder = require_data("wikiref220")
    if folder is None:
        return {}
    out = {}
    with (folder / "wikiref220.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            key = f"wikiref:{row['id']}"
            if key in ids:
                out[key] = row["text"]
    return out


def score_document(text: str, gold: list[dict], quotes: list, part: str, c: dict, notes: list[str], doc: str) -> None:
    """Add one document's counts to ``c`` (see the module docstring)."""
    from eval_synthesis import same_speaker, shared_surnames

    golds = [g for g in gold if g["kind"] == "quote"]
    for q in quotes:
        if part == "wikiref" and q.start > 0 and text[q.start - 1] in SINGLE_MARKS:
            continue
        c["pred"] += 1
        hit = next((g for g in gold if g["start"] < q.end and q.start < g["end"]), None)
        if hit is not None and hit["kind"] == "quote":
            c["pred_right"] += 1
        else:
            notes.append(f"false quote: {doc} {q.start} ({hit['kind'] if hit else 'no span'})")
    shared = shared_surnames([g["speaker"] for g in golds if g.get("speaker")])
    for g in golds:
        c["quotes"] += 1
        kind = g.get("speaker_type") or "unknown"
        best = max(quotes, key=lambda q: min(q.end, g["end"]) - max(q.start, g["start"]), default=None)
        if best is None or min(best.end, g["end"]) <= max(best.start, g["start"]):
            notes.append(f"missed: {doc} {g['start']}-{g['end']}")
            continue
        c["found"] += 1
        c[f"found_{kind}"] = c.get(f"found_{kind}", 0) + 1
        if same_speaker(g["speaker"], best.speaker, shared):
            c["right"] += 1
            c[f"right_{kind}"] = c.get(f"right_{kind}", 0) + 1
        else:
            notes.append(f"speaker: {doc} {g['start']} gold={g['speaker']!r} ({kind}) got={best.speaker!r}")


def metrics_of(c: dict, tag: str) -> dict[str, float]:
    pct = lambda a, b: round(100 * a / b, 2) if b else 0.0
    m = {
        f"{tag}documents": c["docs"],
        f"{tag}gold_quotes": c["quotes"],
        f"{tag}quote_precision": pct(c["pred_right"], c["pred"]),
        f"{tag}quote_recall": pct(c["found"], c["quotes"]),
        f"{tag}speaker_accuracy": pct(c["right"], c["found"]),
    }
    for key in sorted(k for k in c if k.startswith("found_")):
        kind = key.removeprefix("found_")
        m[f"{tag}speaker_accuracy_{kind}"] = pct(c.get(f"right_{kind}", 0), c[key])
        m[f"{tag}found_{kind}"] = c[key]
    return m


def evaluate(notes: list[str]) -> dict[str, float]:
    from parallax.text.entities import extract_entities
    from parallax.text.quotes import extract_quotes

    total = {"docs": 0, "quotes": 0, "found": 0, "right": 0, "pred": 0, "pred_right": 0}
    metrics: dict[str, float] = {}
    for part in PARTS:
        gold = load_gold(part)
        ids = sorted({g["doc"] for g in gold})
        texts = documents(part, set(ids))
        if not gold or len(texts) != len(ids):
            continue
        c = {"docs": len(ids), "quotes": 0, "found": 0, "right": 0, "pred": 0, "pred_right": 0}
        for doc, mentions in zip(ids, extract_entities([texts[d] for d in ids]), strict=True):
            quotes = extract_quotes(texts[doc], mentions)
            score_document(texts[doc], [g for g in gold if g["doc"] == doc], quotes, part, c, notes, doc)
        metrics.update(metrics_of(c, f"{part}_"))
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
    if total["docs"]:
        metrics.update(metrics_of(total, "test_"))
    return metrics


def markdown(m: dict[str, float]) -> str:
    lines = ["## Quotes on the frozen quote test set (issue 16)", ""]
    for tag, label in (("test_", "both parts"), ("aeb_", "part A, AEB"), ("wikiref_", "part B, WikiRef220")):
        if f"{tag}speaker_accuracy" in m:
            lines.append(
                f"- {label} ({m[f'{tag}documents']} articles, {m[f'{tag}gold_quotes']} gold quotes): quote precision "
                f"{m[f'{tag}quote_precision']} %, recall {m[f'{tag}quote_recall']} %, speaker accuracy "
                f"{m[f'{tag}speaker_accuracy']} % of found quotes."
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print this many errors")
    args = parser.parse_args(argv)
    notes: list[str] = []
    metrics = evaluate(notes)
    if not metrics:
        print("skipped: no frozen quote test set or its documents", file=sys.stderr)
        return 0
    for line in notes[: args.show]:
        print(line)
    print(json.dumps(metrics, indent=2))
    write_result("eval_quotes_test", metrics, markdown(metrics), command=COMMAND)
    return check_floors("eval_quotes_test", metrics)


if __name__ == "__main__":
    raise SystemExit(main())
