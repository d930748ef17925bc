"""Train the text-dump line classifier shipped as src/parallax/clean/data/textdump_model.json.

Training data: the visible text of each AEB page (all text, one block element per line, scripts
and styles dropped), each line labelled body when its words appear in the page's gold article
body; each page (and each cropped copy) weighs the same in training, shared among its lines by
the square root of their words (page_weights). Gradient-boosted trees (scikit-learn's
HistGradientBoostingClassifier) in two stages (the second sees the first stage's probabilities of
neighbouring lines and the regions they form, cross-fitted over STACK_FOLDS parts of the training
pages) are exported to JSON and evaluated with numpy at run time, so no pickle is shipped.

    .venv/bin/python bench/train_textdump.py            # train on all AEB pages, write the model

The figure that matters (text-dump F1 on AEB) is cross-validated by page in eval_extraction.py.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # threads thrash on a shared machine

import numpy as np
from lxml import etree
from lxml import html as lxml_html

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import ROOT, require_data

from parallax.clean.textdump import (
    BODY_THRESHOLD,
    MODEL_PATH,
    RELATIVE_THRESHOLD,
    Line,
    feature_matrix,
    split_units,
    stacked_features,
)

_TOKEN = re.compile(r"\w+", re.UNICODE)
_DROP = {"script", "style", "noscript", "template", "svg", "head", "title", "iframe"}
_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "label", "img",
}  # fmt: skip
SEED = 13
# Total sample weight of one page (or crop) in training, shared among its lines by sqrt(words).
PAGE_WEIGHT = 100.0
# Parts the training pages are split into to cross-fit the first stage for the second.
STACK_FOLDS = 3
PARAMS = {
    "max_iter": 200,
    "learning_rate": 0.08,
    "max_leaf_nodes": 31,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
}


def aeb_records() -> list[tuple[str, str, str, str]]:
    """(id, url, html, gold body) for every AEB page (empty when the data is absent)."""
    folder = require_data("aeb-scrapinghub")
    if folder is None:
        return []
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    records = []
    for key in sorted(truth):
        raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()).decode(
            "utf-8", errors="replace"
        )
        records.append((key, truth[key]["url"], raw, truth[key]["articleBody"]))
    return records


def visible_text(page: str) -> str:
    """The text-dump input of the evaluation: all visible text nodes, one block per line."""
    try:
        tree = lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else None
        if tag is None or tag.lower() in _DROP:
            if node.tail:
                parts.append(node.tail)
            return
        block = tag.lower() not in _INLINE
        if block or tag.lower() == "br":
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    walk(tree)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def label_lines(lines: Sequence[Line], gold: str) -> np.ndarray:
    """1 for a line whose tokens (or most of its 4-token shingles) occur in the gold body."""
    gold_tokens = _TOKEN.findall(gold)
    joined = " " + " ".join(gold_tokens) + " "
    shingles = {tuple(gold_tokens[i : i + 4]) for i in range(max(len(gold_tokens) - 3, 0))}
    labels = np.zeros(len(lines), dtype=np.int64)
    for i, line in enumerate(lines):
        tokens = _TOKEN.findall(line.text)
        if not tokens:
            continue
        if " " + " ".join(tokens) + " " in joined:
            labels[i] = 1
        elif len(tokens) >= 6:
            grams = [tuple(tokens[j : j + 4]) for j in range(len(tokens) - 3)]
            labels[i] = int(sum(g in shingles for g in grams) >= 0.5 * len(grams))
    return labels


def labelled_pages(records: Sequence[tuple[str, str, str, str]]) -> list[tuple[list[Line], np.ndarray]]:
    """(lines, labels) of each page's text dump."""
    out = []
    for _key, _url, page, gold in records:
        lines = split_units(visible_text(page))
        out.append((lines, label_lines(lines, gold)))
    return out


def _fit(x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None):
    """A fitted gradient-boosted tree classifier."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(random_state=SEED, **PARAMS).fit(x, y, sample_weight=w)


def page_weights(x: np.ndarray) -> np.ndarray:
    """Sample weights of one page's lines: each page weighs the same, shared by the root of words.

    The metric averages precision and recall over pages and counts shingles, so a long page's
    many short menu lines should not outweigh a short page's body; the square root keeps short
    lines (menus, short body lines) from being ignored altogether.

    >>> page_weights(np.log1p(np.array([[3.0], [1.0]]))).round(1).tolist()
    [58.6, 41.4]
    """
    if not len(x):
        return np.zeros(0)
    words = np.sqrt(np.expm1(x[:, 0]) + 1.0)
    return PAGE_WEIGHT * words / words.sum()


def crops(labels: np.ndarray, rng: np.random.Generator) -> list[tuple[int, int]]:
    """Line ranges around a page's body with 0-12 noise lines each side, and the body alone.

    Real text dumps often keep less of the page than the full visible text; training on cropped
    copies teaches the classifier short dumps and clean bodies too.
    """
    body = np.flatnonzero(labels)
    if not len(body):
        return []
    first, last = int(body[0]), int(body[-1]) + 1
    spans = [(first, last)]
    for _ in range(2):
        spans.append(
            (max(0, first - int(rng.integers(0, 13))), min(len(labels), last + int(rng.integers(0, 13))))
        )
    return spans


def train(pages: Sequence[tuple[Sequence[Line], np.ndarray]], seed: int = SEED) -> dict:
    """The JSON spec of the two-stage line model trained on (lines, labels) pages, with cropped copies.

    The second stage learns from first-stage probabilities that are cross-fitted (each page scored
    by a first stage trained on the other STACK_FOLDS - 1 parts), as it will see them on new pages.
    """
    rng = np.random.default_rng(seed)
    xs, ys, groups = [], [], []
    for number, (lines, labels) in enumerate(pages):
        if not len(labels):
            continue
        for a, b in [(0, len(labels)), *crops(labels, rng)]:
            xs.append(feature_matrix(lines[a:b]))
            ys.append(labels[a:b])
            groups.append(number % STACK_FOLDS)
    ws = [page_weights(x) for x in xs]
    first = _fit(np.vstack(xs), np.concatenate(ys), np.concatenate(ws))
    probabilities: list[np.ndarray] = [np.zeros(0)] * len(xs)
    for fold in range(STACK_FOLDS):
        inside = [i for i, g in enumerate(groups) if g != fold]
        model = _fit(
            np.vstack([xs[i] for i in inside]),
            np.concatenate([ys[i] for i in inside]),
            np.concatenate([ws[i] for i in inside]),
        )
        for i, g in enumerate(groups):
            if g == fold:
                probabilities[i] = model.predict_proba(xs[i])[:, 1]
    second = _fit(
        np.vstack([stacked_features(x, p) for x, p in zip(xs, probabilities, strict=True)]),
        np.concatenate(ys),
        np.concatenate(ws),
    )
    return {
        "trees": export(first),
        "second": export(second),
        "threshold": BODY_THRESHOLD,
        "relative": RELATIVE_THRESHOLD,
    }


def export(model) -> dict:
    """A fitted HistGradientBoostingClassifier as plain JSON (leaf values already include shrinkage)."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(
            {
                "feature": nodes["feature_idx"].astype(int).tolist(),
                "threshold": [float(t) for t in nodes["num_threshold"]],
                "left": np.where(leaf, -1, nodes["left"].astype(np.int64)).tolist(),
                "right": np.where(leaf, -1, nodes["right"].astype(np.int64)).tolist(),
                "value": [round(float(v), 6) for v in nodes["value"]],
            }
        )
    return {"init": float(np.ravel(model._baseline_prediction)[0]), "learning_rate": 1.0, "trees": trees}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    records = aeb_records()
    if not records:
        return 0
    spec = train(labelled_pages(records))
    spec["trained_on"] = "aeb-scrapinghub visible text (181 pages), labels from the gold article bodies"
    spec["command"] = "python bench/train_textdump.py"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(spec, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.output.relative_to(ROOT)} ({args.output.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
