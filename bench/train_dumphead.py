"""Train the dump head reader shipped as src/parallax/clean/data/dumphead_model.json.

Data: the text dumps of bench/eval_dump_metadata.py (visible text of AEB and trafilatura-eval pages),
train split only (sha1 of the page id, bucket 0-5). Each candidate line near the body's ends
(parallax.clean.dumphead.candidates; the body mask from the shipped text-dump line model) is
labelled per role from the page's markup: title (equals the og:title or h1, normalised), byline
(names the JSON-LD/meta author), date (parses to the published day, within one day), outlet (the
publication name it gives equals og:site_name). A role learns only from pages whose markup has
that field and whose dump shows it (as the evaluation counts them). One gradient-boosted tree model
per role (the text-dump trainer's approach: scikit-learn's HistGradientBoostingClassifier exported
to JSON, evaluated with numpy). Each role's threshold is chosen on the dev split (bucket 6-7)
from THRESHOLDS; test (8-9) is measured by eval_dump_metadata.py.

    .venv/bin/python bench/train_dumphead.py           # train, choose thresholds on dev, write the model
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import ROOT
from eval_dump_metadata import _date_shown, names_in, norm, prepared, same_names
from train_textdump import export

from parallax.clean.dumphead import (
    MODEL_PATH,
    ROLES,
    _value,
    allowed,
    candidates,
    features,
    label,
    outlet_candidates,
    plausible_names,
)
from parallax.clean.outlets import outlet_key
from parallax.clean.textdump import TreeEnsemble, classify_lines, split_units

CACHE = Path("/tmp/parallax_dumphead_rows.pkl")
SEED = 13
THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
PARAMS = {"max_iter": 150, "learning_rate": 0.08, "max_leaf_nodes": 15, "min_samples_leaf": 10, "l2_regularization": 1.0}


def rows() -> list[dict]:
    """Per page: id, split, gold, candidate lines, their features (cached in /tmp)."""
    if CACHE.exists():
        return pickle.loads(CACHE.read_bytes())
    out = []
    for item in prepared():
        units = split_units(item["dump"])
        lines = [u.text for u in units]
        if not lines or not item["gold"]:
            continue
        keep = classify_lines(units)
        index = candidates(len(lines), keep, [len(t.split()) for t in lines])
        x = features(lines, keep, index) if index else np.zeros((0, 1))
        out.append({**item, "lines": [lines[i] for i in index], "x": x})
    CACHE.write_bytes(pickle.dumps(out))
    return out


def gold_for(role: str, item: dict) -> object | None:
    """The page's gold value of ``role`` when its dump shows it (else None: the page teaches nothing)."""
    gold, dump_key = item["gold"], f" {norm(item['dump'])} "
    if role == "title":
        return gold["titles"] or None
    if role == "byline":
        return gold["byline"] if gold["byline"] and names_in(gold["byline"], dump_key) else None
    if role == "date":
        date = gold["published"]
        return date if date is not None and _date_shown(date, item["dump"]) else None
    return gold["site"] if gold["site"] and names_in(gold["site"], dump_key) else None


def fit_role(role: str, pages: Sequence[dict]):
    """The role's classifier fitted on the candidate lines of ``pages``."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    xs, ys, ws = [], [], []
    for item in pages:
        gold = gold_for(role, item)
        if gold is None or not len(item["lines"]):
            continue
        if role == "outlet":
            names, x = outlet_candidates(item["dump"].splitlines())
            if not names:
                continue
            y = np.array([outlet_key(name) == outlet_key(gold) for name in names], dtype=np.int64)
            xs.append(x)
            ys.append(y)
            ws.append(np.full(len(y), 1.0 / len(y)))
            continue
        y = np.array([label(role, t, gold, norm) for t in item["lines"]], dtype=np.int64)
        xs.append(item["x"])
        ys.append(y)
        ws.append(np.full(len(y), 1.0 / len(y)))  # each page weighs the same
    x, y = np.vstack(xs), np.concatenate(ys)
    print(f"{role}: {len(xs)} pages, {len(y)} lines, {int(y.sum())} positive", file=sys.stderr)
    return HistGradientBoostingClassifier(random_state=SEED, **PARAMS).fit(x, y, sample_weight=np.concatenate(ws))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    items = rows()
    train = [i for i in items if i["split"] == "train"]
    dev = [i for i in items if i["split"] == "dev"]
    spec: dict = {}
    for role in ROLES:
        spec[role] = {"trees": export(fit_role(role, train)), "threshold": 0.5}
    # each role's threshold on dev, from the cached candidate rows
    for role in ROLES:
        trees = TreeEnsemble(spec[role]["trees"])
        best = None
        for t in THRESHOLDS:
            figure = dev_accuracy(role, trees, t, dev)
            print(f"  {role} threshold {t}: dev {figure:.4f}", file=sys.stderr)
            if best is None or figure > best[0]:
                best = (figure, t)
        spec[role]["threshold"] = best[1]
    spec["trained_on"] = "train split (sha1 bucket 0-5) of AEB + trafilatura-eval visible-text dumps"
    spec["command"] = "python bench/train_dumphead.py"
    args.output.write_text(json.dumps(spec, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.output.relative_to(ROOT)} ({args.output.stat().st_size // 1024} KiB)")
    return 0


def dev_accuracy(role: str, trees: TreeEnsemble, threshold: float, pages: Sequence[dict]) -> float:
    """The role's accuracy over ``pages`` (those whose dump shows the gold) at ``threshold``, from
    the cached candidates (the evaluation's criteria, eval_dump_metadata.score)."""
    right = total = 0
    for item in pages:
        gold = gold_for(role, item)
        if gold is None:
            continue
        total += 1
        if not len(item["lines"]):
            continue
        if role == "outlet":
            names, x = outlet_candidates(item["dump"].splitlines())
            if names:
                p = trees.predict_proba(x) * plausible_names(x)
                k = int(np.argmax(p))
                right += p[k] >= threshold and p[k] > 0 and outlet_key(names[k]) == outlet_key(gold)
            continue
        p = trees.predict_proba(item["x"])
        value = None
        for k in [k for k in np.argsort(-p, kind="stable") if allowed(role, item["lines"][k])][:3]:
            if p[k] < threshold:
                break
            value = _value(role, item["lines"][k])
            if value is not None:
                break
        if value is None:
            continue
        if role == "title":
            right += norm(value) in gold
        elif role == "byline":
            right += same_names(value, gold)
        elif role == "date":
            right += abs((value.date() - gold.date()).days) <= 1
        else:
            right += outlet_key(value) == outlet_key(gold)
    return right / max(total, 1)


if __name__ == "__main__":
    raise SystemExit(main())
