"""Reproduce the draw of the frozen quote test set, part B (WikiRef220).

Rule: articles of 250-2,500 words (len(text.split())) with at least 6 quotation marks
(", \u201c, \u201d counted), sorted by id, shuffled with random.Random(1617); documents are
taken in that order, at most 6 per topic, until at least 20 documents AND at least 150 quote
spans are annotated. Documents skipped as not news/feature articles are listed in SKIPPED
(with the reason); the number of spans per document comes from quotes_test_wikiref_docs.jsonl.
Plain Python only: no Parallax code runs on these documents.
"""
import json
import random
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "wikiref220" / "wikiref220.jsonl"
SEED = 1617
PER_TOPIC = 6
# id -> reason, filled in by the annotator while reading the drawn documents
SKIPPED = {}


def candidates(path=DATA):
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    out = []
    for r in sorted(rows, key=lambda r: r["id"]):
        words = len(r["text"].split())
        marks = sum(r["text"].count(c) for c in ('"', "\u201c", "\u201d"))
        if 250 <= words <= 2500 and marks >= 6:
            out.append(r)
    random.Random(SEED).shuffle(out)
    return out


def draw(path=DATA):
    """Yield (row, status) in draw order: status is 'take', 'skip:<reason>' or 'topic-full'."""
    per_topic = {}
    for r in candidates(path):
        if r["id"] in SKIPPED:
            yield r, "skip:" + SKIPPED[r["id"]]
            continue
        if per_topic.get(r["topic"], 0) >= PER_TOPIC:
            yield r, "topic-full"
            continue
        per_topic[r["topic"]] = per_topic.get(r["topic"], 0) + 1
        yield r, "take"


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    for i, (r, status) in enumerate(draw()):
        if i >= n:
            break
        words = len(r["text"].split())
        marks = sum(r["text"].count(c) for c in ('"', "\u201c", "\u201d"))
        print(f"{i:3d} id={r['id']:3d} {r['topic']:28s} words={words:5d} marks={marks:3d} {status}")
