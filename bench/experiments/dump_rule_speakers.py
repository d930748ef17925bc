"""The speaker rules' answer for every gold quote, with the code of any ``src/`` tree: how the
untouched figures of the held-out batches (docs/evaluation-log.md) are set beside a learned ranker
quote by quote (``bench/exp_speakers.py --untouched``).

Run: ``git archive COMMIT src | tar -x -C /tmp/old`` then
``.venv/bin/python bench/experiments/dump_rule_speakers.py --src /tmp/old/src --batch 6 > /tmp/rules_b6.jsonl``.
Each line: ``{"doc", "start", "end", "speaker"}`` of a gold quote and the speaker of the first
extracted quote overlapping it (``"missed": true`` when none does), as ``eval_synthesis`` matches them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # bench/


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", required=True, help="the src/ folder whose parallax package is used")
    parser.add_argument("--batch", type=int, required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(args.src).resolve()))
    sys.path.insert(1, str(HERE))
    from _common import require_data

    from parallax.text.entities import extract_entities
    from parallax.text.quotes import extract_quotes

    folder = require_data("multinews-test-sample250")
    if folder is None:
        return 0
    with (folder / "test_sample250.jsonl").open(encoding="utf-8") as handle:
        clusters = [json.loads(line) for line in handle if line.strip()]
    docs = {f"{c['id']}#{k}": d for c in clusters for k, d in enumerate(c["documents"])}
    path = HERE / "gold" / "quotes_dev.jsonl"
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    golds = [g for g in rows if g["batch"] == f"batch{args.batch}"]
    names = sorted({g["doc"] for g in golds})
    for doc, mentions in zip(names, extract_entities([docs[d] for d in names])):
        got = extract_quotes(docs[doc], mentions)
        for g in (x for x in golds if x["doc"] == doc):
            match = next((q for q in got if q.start < g["end"] and g["start"] < q.end), None)
            row = {"doc": doc, "start": g["start"], "end": g["end"]}
            row.update({"missed": True} if match is None else {"speaker": match.speaker})
            print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
