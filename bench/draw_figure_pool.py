"""Draw a labelling pool of figure pairs (issue 17, round 13): pairs of figures of one story, from different
givers and articles, that a disagreement detector could consider, for blind labels 'same' / 'different' /
'update' / 'error' (the rules of ``figure_disagreements.jsonl``, docs/evaluation-log.md).

Clusters: the 250 Multi-News clusters less every held-out one of the figure work: the clusters of
``figure_disagreements.jsonl`` part ``heldout``, of the fresh sample (``figure_sample_fresh.jsonl``), of
``figure_sample17.jsonl``, the held-out parts of ``contested_recall.jsonl`` and the frozen ``contested_test*``
(another issue's held-out text). Pairs already in ``figure_disagreements.jsonl`` are left out.

Candidates: two merged figures (``attributed.merged_figures``) of one coarse unit (the head of what they count
once converted: "km" for miles and metres, the currency, "%"), with different values, different givers
(``attributed.different_givers``), no article in common, the larger at most 3 times the smaller. Each is
marked ``flagged`` when today's rule (``attributed.disagree``) flags it (kept apart, in ``--marks``, so that the
labeller is blind to it). Drawn: every flagged pair, then near misses (unflagged) by ``Random(1313)``, the ones
of the same group first, at most ``--per-cluster`` pairs per cluster, up to ``--size`` pairs.

Run: ``.venv/bin/python bench/draw_figure_pool.py --out /work/issues/round13/figure_pool.jsonl --marks /tmp/marks.jsonl
--per-cluster 6 --size 115`` (the round-13 pool; 35 of the 132 clusters have a candidate).
"""

from __future__ import annotations

import argparse
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
from parallax.synthesis.attributed import coarse_unit, different_givers, disagree, merged_figures

GOLD = ROOT / "bench" / "gold"
_ID = re.compile(r"mn-test-s\d+")
MAX_RATIO = 3.0


def _clusters(pattern: str, held: bool = False) -> set[str]:
    out: set[str] = set()
    for path in glob.glob(str(GOLD / pattern)):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip() and (not held or json.loads(line).get("part", "test") not in ("dev", "train")):
                out |= set(_ID.findall(line))
    return out


def held_out() -> set[str]:
    """Clusters no development label may come from."""
    held = _clusters("figure_disagreements.jsonl", True) | _clusters("figure_sample_fresh.jsonl")
    held |= _clusters("figure_sample17.jsonl") | _clusters("contested_recall.jsonl", True)
    return held | _clusters("contested_test*.jsonl")


def candidates(story, merged: dict) -> list[tuple[tuple, tuple, bool]]:
    """(key a, key b, flagged today) of every candidate pair of a story (see the module text)."""
    keys = [k for k in merged if k[0] is not None and k[1] != "number"]
    out = []
    for i, ka in enumerate(keys):
        for kb in keys[i + 1 :]:
            a, b = merged[ka], merged[kb]
            if coarse_unit(a) != coarse_unit(b) or a["in"] & b["in"]:
                continue
            va, vb = abs(a["base"]), abs(b["base"])
            if min(va, vb) <= 0 or max(va, vb) > MAX_RATIO * min(va, vb):
                continue
            if abs(va - vb) <= 1e-6 * max(va, vb) or not different_givers(story, ka, a, kb, b):
                continue
            out.append((ka, kb, disagree(story, merged, ka, kb)))
    return out


def side(story, articles, key: tuple, entry: dict, giver: str | None) -> dict:
    """One figure of a pair as the labeller sees it: keys, value, unit, giver, outlet, sentence and context."""
    k, start = entry["first"]
    f = next(f for f in story.figures[k] if f.start == start)
    text = articles[k].text
    unit = next((u for u in story.units if u.article == k and u.start <= start < u.end), None)
    lo, hi = (unit.start, unit.end) if unit else (max(0, start - 200), min(len(text), f.end + 200))
    return {
        "doc": articles[k].source, "start": f.start, "end": f.end, "value": f.value, "unit": f.unit,
        "text": f.text, "giver": giver, "outlet": articles[k].outlet,
        "sentence": text[lo:hi].replace("\n", " "),
        "before": text[max(0, lo - 300) : lo].replace("\n", " / "),
        "after": text[hi : hi + 200].replace("\n", " / "),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--marks", required=True, help="where the flag and features of each pair go (not for the labeller)")
    parser.add_argument("--size", type=int, default=110)
    parser.add_argument("--per-cluster", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None, help="only this many clusters (a quick look)")
    parser.add_argument("--clusters", nargs="*", default=None,
                        help="only these clusters (a quicker redraw: clusters with no candidate add nothing)")
    args = parser.parse_args(argv)
    folder = require_data("multinews-test-sample250")
    if folder is None:
        return 0
    held = held_out()
    seen = {(p["a"]["doc"], p["a"]["start"], p["b"]["doc"], p["b"]["start"])
            for p in map(json.loads, (GOLD / "figure_disagreements.jsonl").read_text(encoding="utf-8").splitlines())}
    clusters = [c for c in load_clusters(folder) if c["id"] not in held and (not args.clusters or c["id"] in args.clusters)]
    clusters = clusters[: args.limit]
    print(f"{len(clusters)} development clusters", file=sys.stderr)
    flagged, near = [], []
    for c in clusters:
        articles = cluster_articles(c)
        if len(articles) < 2:
            continue
        story = analyse(articles)
        merged = merged_figures(story)
        for ka, kb, flag in candidates(story, merged):
            a = side(story, articles, ka, merged[ka], ka[2])
            b = side(story, articles, kb, merged[kb], kb[2])
            if (a["doc"], a["start"], b["doc"], b["start"]) in seen or (b["doc"], b["start"], a["doc"], a["start"]) in seen:
                continue
            record = {"cluster": c["id"], "group_a": ka[1], "group_b": kb[1], "a": a, "b": b}
            (flagged if flag else near).append((record, ka[1] == kb[1]))
    print(f"{len(flagged)} flagged, {len(near)} near misses", file=sys.stderr)
    rng = random.Random(1313)
    rng.shuffle(flagged)
    rng.shuffle(near)
    near.sort(key=lambda rs: not rs[1])  # the same group first (stable: shuffled within)
    drawn, per = [], {}
    for record, _ in flagged + near:
        if len(drawn) >= args.size or per.get(record["cluster"], 0) >= args.per_cluster:
            continue
        per[record["cluster"]] = per.get(record["cluster"], 0) + 1
        drawn.append((record, record in [r for r, _ in flagged]))
    rng.shuffle(drawn)
    with open(args.out, "w", encoding="utf-8") as out, open(args.marks, "w", encoding="utf-8") as marks:
        for n, (record, flag) in enumerate(drawn):
            out.write(json.dumps({"id": n, **record}, ensure_ascii=False) + "\n")
            marks.write(json.dumps({"id": n, "cluster": record["cluster"], "flagged": flag,
                                    "a": {k: record["a"][k] for k in ("doc", "start", "end", "value")},
                                    "b": {k: record["b"][k] for k in ("doc", "start", "end", "value")},
                                    "group": record["group_a"]}) + "\n")
    print(f"{len(drawn)} pairs ({sum(f for _, f in drawn)} flagged today) in {len(per)} clusters", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
