"""The figure-pair scorer (``synthesis/figure_pairs.py``): whether two figures of a story from different givers
count one quantity, learned from the labelled pairs of ``bench/gold/figure_disagreements.jsonl`` parts ``dev``
and ``train`` (never ``heldout``).

``features`` recomputes every labelled pair's features with the code of the day: each pair is looked up in the
synthesis' merged figures of its cluster (as ``eval_synthesis.figure_disagreement_eval`` does) and kept when it
is a candidate of ``attributed.disagree`` (one coarse unit, different values, different givers, no article in
common, at most ``attributed.MAX_PAIR_RATIO`` apart); written to ``--cache`` with its label and whether today's
rule (``attributed.same_thing``) flags it.

``train`` fits a logistic regression (scikit-learn, L2, balanced classes), predicts each pair with the folds
grouped by cluster (no cluster in its own training fold), picks the lowest probability threshold whose
cross-validated precision (``same`` among pairs flagged) is at least ``--precision`` with at least
``--min-flagged`` flagged, prints the rule's and the scorer's cross-validated precision and kept share, and
writes the model fitted on all pairs as JSON run in numpy (``src/parallax/synthesis/data/figure_pair_scorer.json``).

``gate`` writes today's rule gated by conditions on the features instead (``"kind": "gate"``), with its figures on
the labelled pairs. Round 13 tried that gate (the regression did not beat the rule in cross-validation on 129 pairs
with 13 ``same``); measured once on the held-out pairs it did worse than the rule and is kept, not shipped, as
``bench/experiments/figure_pair_gate.json`` (``--out`` writes there; the default path ships a model).

Run: ``.venv/bin/python bench/train_figure_pairs.py features --pool POOL_MARKS --stories /tmp/stories``, then
``.venv/bin/python bench/train_figure_pairs.py train --dry`` (the regression's cross-validated figures) and
``.venv/bin/python bench/train_figure_pairs.py gate --condition 'names_conflict<=0' --condition 'log_ratio<=0.3'``
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import numpy as np
from _common import ROOT, require_data
from eval_synthesis import _merged_entry, cluster_articles, load_clusters

from parallax.synthesis import figure_pairs
from parallax.synthesis.analysis import analyse
from parallax.synthesis.attributed import candidate_pair, merged_figures, same_thing

GOLD = ROOT / "bench" / "gold" / "figure_disagreements.jsonl"
MODEL = ROOT / "src" / "parallax" / "synthesis" / "data" / "figure_pair_scorer.json"
CACHE = ROOT / "bench" / "results" / "figure_pair_features.jsonl"
PARTS = ("dev", "train")


def _story(cid: str, by_id: dict, stories: Path | None):
    """The analysed story of a cluster, kept pickled in ``stories`` (a scratch folder) when one is given."""
    path = stories / f"{cid}.pkl" if stories else None
    if path is not None and path.exists():
        return pickle.loads(path.read_bytes())
    articles = cluster_articles(by_id[cid])
    story = analyse(articles)
    if path is not None:
        path.write_bytes(pickle.dumps((articles, story)))
    return articles, story


def _key(p: dict) -> str:
    return f"{p['a']['doc']}@{p['a']['start']}|{p['b']['doc']}@{p['b']['start']}"


def features(cache: Path, pool: Path | None, stories: Path | None) -> None:
    """Features of every dev/train pair of the gold file and of every pair of ``pool`` (unlabelled, keyed by
    their places, joined with their labels by ``train``)."""
    folder = require_data("multinews-test-sample250")
    if folder is None:
        raise SystemExit(0)
    by_id = {c["id"]: c for c in load_clusters(folder)}
    pairs = [p for p in map(json.loads, GOLD.read_text(encoding="utf-8").splitlines()) if p["part"] in PARTS]
    if pool is not None:
        pairs += [json.loads(line) for line in pool.read_text(encoding="utf-8").splitlines() if line.strip()]
    if stories is not None:
        stories.mkdir(parents=True, exist_ok=True)
    rows, skipped, done = [], {"not found": 0, "not a candidate": 0}, set()
    for cid in sorted({p["cluster"] for p in pairs}):
        articles, story = _story(cid, by_id, stories)
        merged = merged_figures(story)
        index = {a.source: k for k, a in enumerate(articles)}
        for p in (p for p in pairs if p["cluster"] == cid and _key(p) not in done):
            done.add(_key(p))
            a, b = (_merged_entry(merged, index[g["doc"]], g) for g in (p["a"], p["b"]))
            if not a or not b:
                skipped["not found"] += 1
                continue
            (ka, ea), (kb, eb) = a, b
            if not candidate_pair(story, ka, ea, kb, eb):
                skipped["not a candidate"] += 1
                continue
            rows.append({
                "key": _key(p), "cluster": cid,
                "rule": bool(ka[1] == kb[1] and same_thing(story, ea, eb)),
                "x": figure_pairs.pair_features(story, ka, ea, kb, eb),
            })
    cache.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} pairs with features -> {cache}; skipped {skipped}")


def _labelled(cache: Path) -> list[dict]:
    """The cached feature rows joined with the labels of the gold file's dev and train parts."""
    labels = {_key(p): p for p in map(json.loads, GOLD.read_text(encoding="utf-8").splitlines()) if p["part"] in PARTS}
    rows = []
    for line in cache.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["key"] in labels:
            rows.append({**r, "label": labels[r["key"]]["label"], "part": labels[r["key"]]["part"]})
    return rows


def _report(name: str, flagged: np.ndarray, y: np.ndarray) -> str:
    n = int(flagged.sum())
    hit = int((flagged & y).sum())
    precision = 100 * hit / n if n else 0.0
    return f"{name}: flagged {n}, same {hit} ({precision:.2f} %), kept {hit} of {int(y.sum())}"


def train(cache: Path, precision: float, min_flagged: int, c_value: float, write: bool) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    rows = _labelled(cache)
    x = np.asarray([r["x"] for r in rows], dtype=float)
    y = np.asarray([r["label"] == "same" for r in rows])
    groups = np.asarray([r["cluster"] for r in rows])
    rule = np.asarray([r["rule"] for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    oof = np.zeros(len(rows))
    for fit_idx, test_idx in GroupKFold(n_splits=5).split(z, y, groups):
        clf = LogisticRegression(C=c_value, class_weight="balanced", max_iter=2000).fit(z[fit_idx], y[fit_idx])
        oof[test_idx] = clf.predict_proba(z[test_idx])[:, 1]
    parts = ", ".join(f"{p}: {sum(r['part'] == p for r in rows)}" for p in PARTS)
    print(f"{len(rows)} pairs, {int(y.sum())} same ({parts})")
    print(_report("today's rule", rule, y))
    chosen = None
    for t in sorted(set(np.round(oof, 4))):
        flagged = oof >= t
        n = int(flagged.sum())
        if n >= min_flagged and (flagged & y).sum() / n >= precision:
            chosen = float(t)
            break
    for t in (0.5, 0.6, 0.7, 0.8, 0.9):
        print(_report(f"scorer >= {t} (cv)", oof >= t, y), "|", _report("gated rule", rule & (oof >= t), y))
    if chosen is None:
        print(f"no threshold reaches {precision:.0%} with {min_flagged} flagged; none written")
        return
    print(_report(f"chosen threshold {chosen:.4f} (cv)", oof >= chosen, y))
    clf = LogisticRegression(C=c_value, class_weight="balanced", max_iter=2000).fit(z, y)
    for name, w in sorted(zip(figure_pairs.FEATURES, clf.coef_[0]), key=lambda nw: -abs(nw[1])):
        print(f"  {name:18s} {w:+.3f}")
    if not write:
        return
    model = {
        "about": "Figure-pair scorer (synthesis/figure_pairs.py): logistic regression over figure_pairs.FEATURES, "
        "trained by bench/train_figure_pairs.py on bench/gold/figure_disagreements.jsonl parts dev and train; "
        "threshold: the lowest whose cross-validated precision (folds by cluster) reaches the target.",
        "features": list(figure_pairs.FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in clf.coef_[0]],
        "intercept": round(float(clf.intercept_[0]), 6),
        "threshold": round(chosen, 4),
        "trained_on": {"pairs": len(rows), "same": int(y.sum())},
    }
    MODEL.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODEL}")


def gate(cache: Path, conditions: list[str], write: bool, out: Path = MODEL) -> None:
    """Today's rule gated by ``conditions`` ("feature<=value", "feature>=value"): its precision and kept share on
    the labelled pairs, per part and together, and the model JSON (``"kind": "gate"``)."""
    rows = _labelled(cache)
    parsed = []
    for c in conditions:
        op = "<=" if "<=" in c else ">="
        name, value = c.split(op)
        if name not in figure_pairs.FEATURES:
            raise SystemExit(f"unknown feature {name!r}; features: {', '.join(figure_pairs.FEATURES)}")
        parsed.append({"feature": name, "op": op, "value": float(value)})
    x = np.asarray([r["x"] for r in rows], dtype=float)
    y = np.asarray([r["label"] == "same" for r in rows])
    rule = np.asarray([r["rule"] for r in rows])
    gated = rule & np.asarray([all(figure_pairs._holds(list(row), c) for c in parsed) for row in x])
    for part in PARTS + ("all",):
        m = np.asarray([part in ("all", r["part"]) for r in rows])
        print(f"[{part}] " + _report("today's rule", rule & m, y & m) + " | " + _report("gated", gated & m, y & m))
    if not write:
        return
    model = {
        "about": "Figure-pair gate (synthesis/figure_pairs.py): today's rule (attributed.same_thing, one group) and every "
        "condition; written by bench/train_figure_pairs.py gate from conditions chosen by reading the dev and train "
        "pairs of bench/gold/figure_disagreements.jsonl (a logistic regression over figure_pairs.FEATURES did not beat "
        "the rule in cross-validation by cluster: 13 'same' pairs).",
        "kind": "gate",
        "features": list(figure_pairs.FEATURES),
        "conditions": parsed,
        "trained_on": {"pairs": len(rows), "same": int(y.sum()), "flagged": int(gated.sum()),
                       "same_flagged": int((gated & y).sum())},
    }
    out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("features", "train", "gate"))
    parser.add_argument("--condition", action="append", default=[], help="with gate: feature<=value or feature>=value")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--precision", type=float, default=0.85)
    parser.add_argument("--min-flagged", type=int, default=5)
    parser.add_argument("--C", dest="c_value", type=float, default=0.3)
    parser.add_argument("--pool", type=Path, default=None, help="with features: also these unlabelled pairs")
    parser.add_argument("--stories", type=Path, default=None, help="a scratch folder keeping the analysed stories")
    parser.add_argument("--out", type=Path, default=MODEL, help="with gate: where the model goes (the default ships it)")
    parser.add_argument("--dry", action="store_true", help="print, do not write the model")
    args = parser.parse_args(argv)
    if args.step == "features":
        features(args.cache, args.pool, args.stories)
    elif args.step == "gate":
        gate(args.cache, args.condition, not args.dry, args.out)
    else:
        train(args.cache, args.precision, args.min_flagged, args.c_value, not args.dry)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
