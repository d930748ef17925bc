"""Draw issue 17's development figure sample (``bench/gold/figure_sample_dev.jsonl``): every figure row the
synthesis lists (``merge_figures``) for 10 Multi-News clusters, one record per row at its first place, printed
with 260 characters before and 120 after and no giver, for hand labels (``not_key``, ``sources``,
``qualifier``) by the rules of ``figure_sample17.jsonl`` (bench/gold/README.md).

The pool: clusters in no figure gold file, no held-out part of a gold file (``figure_disagreements`` part
heldout, ``contested_recall`` parts other than dev, the frozen ``contested_test*``) and not the held-out
sample's; ``random.Random(1717).sample(pool, 10)``.

Run: ``.venv/bin/python bench/draw_figure_dev.py > /tmp/figure_dev.txt``

``--fresh``: the fresh held-out sample of the giver design of 2026-12-07 (``figure_sample_fresh.jsonl``): 8 clusters
of 125-249 (the ROUGE held-out half) never used for figure or giver work: named by no figure file of ``bench/gold/``
(``figure*.jsonl``: the gold, the disagreement pairs, both samples), nor by the quote-speaker gold (``quotes_dev.jsonl``)
or the claim-actor gold (``claim_actors.jsonl``), whose rules give figures in quotes and reported sentences their
givers (26 clusters; the contested-claim files name all the others); ``random.Random(1218).sample(pool, 8)``;
printed the same way, before the labels and with no giver.
"""

from __future__ import annotations

import glob
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import ROOT, require_data
from eval_synthesis import cluster_articles, load_clusters

from parallax.synthesis.analysis import analyse
from parallax.synthesis.attributed import merge_figures, merged_figures

GOLD = ROOT / "bench" / "gold"
_ID = re.compile(r"mn-test-s\d+")


def _clusters(name: str, held: bool = False) -> set[str]:
    out: set[str] = set()
    for path in glob.glob(str(GOLD / name)):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip() and (not held or json.loads(line).get("part", "test") != "dev"):
                out |= set(_ID.findall(line))
    return out


def pool() -> list[str]:
    held = _clusters("figure_sample17.jsonl") | _clusters("figure_disagreements.jsonl", True)
    held |= _clusters("contested_recall.jsonl", True) | _clusters("contested_test*.jsonl")
    seen = _clusters("figure*.jsonl")
    return [f"mn-test-s{i:03d}" for i in range(250) if f"mn-test-s{i:03d}" not in held | seen]


def fresh_pool() -> list[str]:
    """Clusters 125-249 no figure, quote-speaker or claim-actor gold names."""
    named = _clusters("figure*.jsonl") | _clusters("quotes_dev.jsonl") | _clusters("claim_actors.jsonl")
    return [f"mn-test-s{i:03d}" for i in range(125, 250) if f"mn-test-s{i:03d}" not in named]


def main() -> int:
    folder = require_data("multinews-test-sample250")
    if folder is None:
        return 0
    by_id = {c["id"]: c for c in load_clusters(folder)}
    drawn = random.Random(1218).sample(fresh_pool(), 8) if "--fresh" in sys.argv[1:] else random.Random(1717).sample(pool(), 10)
    for cid in sorted(drawn):
        articles = cluster_articles(by_id[cid])
        story = analyse(articles)
        merged = merged_figures(story)
        listed = {(f.value, f.group, f.attributed_to) for f in merge_figures(story)}
        for key, entry in merged.items():
            if key not in listed:
                continue
            k, start = entry["first"]
            text = articles[k].text
            f = next(f for f in story.figures[k] if f.start == start)
            record = {"doc": f"{cid}#{k}", "start": f.start, "end": f.end}
            context = (text[max(0, start - 260) : start] + "[[" + text[start : f.end] + "]]" + text[f.end : f.end + 120])
            print(json.dumps(record))
            print("   ", context.replace("\n", " / "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
