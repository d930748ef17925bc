"""Train the quote-speaker ranker shipped as src/parallax/text/quotes/data/speaker_ranker.json.

Data: PolNeAR (``../shared/data/polnear``). For each direct quotation (``eval_polnear.is_direct``)
whose Source is a name or a noun phrase (not a pronoun), the quote the sieves extract over it
(``quotes.sieves.extract_quotes``, largest overlap; a continued part stands for its quote) gets its
candidates (``quotes.candidates.quote_candidates``); a candidate is right when one of its mentions
overlaps the Source span or its name matches the Source (``eval_polnear.source_match``). Quotes
with a pronoun Source are left out (PolNeAR does not say whom the pronoun means). The trees
(scikit-learn HistGradientBoostingClassifier, fixed seed) are fitted on train and exported to JSON
(``train_textdump.export``); the margin by which the top candidate must beat the sieves' speaker is
chosen on dev (the value that gives the best dev speaker accuracy, the smallest of ties). The dev
figure printed is the top-1 speaker accuracy as ``eval_polnear`` scores it, on the quotes the
sieves find.

    .venv/bin/python bench/train_speakers.py            # fit on train, choose the margin on dev, write the model
    .venv/bin/python bench/train_speakers.py --no-write # figures only

spaCy's mentions and the sieves' quotes are cached under /tmp, or ``--cache DIR`` (``--rebuild`` recomputes
both, ``--rebuild-quotes`` the sieves' quotes only, after the sieves change).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import numpy as np
from eval_polnear import is_pronoun, load, source_match
from train_textdump import export

from parallax.text.entities import extract_entities
from parallax.text.quotes import sieves
from parallax.text.quotes.candidates import FEATURES, quote_candidates
from parallax.text.quotes.ranker import MODEL_PATH, SpeakerRanker

CACHE = Path("/tmp/parallax_train_speakers_{split}.pkl")
MARGINS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)


def mentions_of(split: str, texts: dict[str, str], docs: list[str], rebuild: bool) -> dict[str, list]:
    path = Path(str(CACHE).format(split=split))
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and not rebuild:
        cached = pickle.loads(path.read_bytes())
        if sorted(cached) == docs:
            return cached
    found = dict(zip(docs, extract_entities([texts[d] for d in docs])))
    path.write_bytes(pickle.dumps(found))
    return found


def sieve_quotes(split: str, texts: dict[str, str], docs: list[str], mentions: dict[str, list], rebuild: bool) -> dict[str, list]:
    """The sieves' quotes of each document, cached under /tmp beside the mentions (``--rebuild``
    after the sieves change)."""
    path = Path(str(CACHE).format(split=split + "_quotes"))
    if path.exists() and not rebuild:
        cached = pickle.loads(path.read_bytes())
        if sorted(cached) == docs:
            return cached
    found = {doc: sieves.extract_quotes(texts[doc], mentions[doc]) for doc in docs}
    path.write_bytes(pickle.dumps(found))
    return found


def records(split: str, rebuild: bool = False, rebuild_quotes: bool = False) -> list[dict]:
    """One record per direct quotation with a name or noun-phrase Source that the sieves find."""
    texts, attributions = load(split, None)
    docs = sorted(attributions)
    mentions = mentions_of(split, texts, docs, rebuild)
    found = sieve_quotes(split, texts, docs, mentions, rebuild or rebuild_quotes)
    out = []
    for doc in docs:
        text = texts[doc]
        quotes = found[doc]
        groups = quote_candidates(text, mentions[doc], quotes)
        head_of = {}
        for g in groups:
            k = g.index
            head_of[k] = g
            while k + 1 < len(quotes) and quotes[k + 1].continued:
                k += 1
                head_of[k] = g
        for a in attributions[doc]:
            if is_pronoun(a.source):
                continue
            best = max(range(len(quotes)), key=lambda k: min(quotes[k].end, a.end) - max(quotes[k].start, a.start), default=None)
            if best is None or min(quotes[best].end, a.end) <= max(quotes[best].start, a.start) or best not in head_of:
                continue
            g = head_of[best]
            labels = [
                any(s < a.source_end and a.source_start < e for s, e in c.spans) or source_match(a.source, c.name)
                for c in g.candidates
            ]
            last = g.index
            while last + 1 < len(quotes) and quotes[last + 1].continued:
                last += 1
            out.append({
                "doc": doc, "source": a.source, "rules": quotes[g.index].speaker, "group": g, "y": labels,
                "start": quotes[g.index].start, "end": quotes[last].end,
            })  # fmt: skip
    return out


def fit(train: list[dict]):  # type: ignore[no-untyped-def]
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y, w = [], [], []
    for r in train:
        if r["group"].pronoun or not any(r["y"]):
            continue  # no right candidate: nothing to rank
        n = len(r["y"])
        for c, label in zip(r["group"].candidates, r["y"], strict=True):
            X.append(c.vector())
            y.append(label)
            w.append(1.0 / n)
    model = HistGradientBoostingClassifier(
        max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=10, random_state=0
    )
    model.fit(np.array(X), np.array(y), sample_weight=np.array(w))
    return model


def accuracy(ranker: SpeakerRanker | None, data: list[dict]) -> tuple[int, int]:
    right = 0
    for r in data:
        speaker = ranker.choose(r["group"], r["rules"]) if ranker else r["rules"]
        right += source_match(r["source"], speaker)
    return right, len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="recompute the cached mentions and quotes")
    parser.add_argument("--rebuild-quotes", action="store_true", help="recompute the cached sieves' quotes only")
    parser.add_argument("--cache", type=Path, default=None, help="folder of the caches (default /tmp)")
    parser.add_argument("--mentions-only", action="store_true", help="only compute and cache the mentions")
    args = parser.parse_args(argv)
    global CACHE
    if args.cache is not None:
        CACHE = args.cache / CACHE.name
    if args.mentions_only:
        for split in ("train", "dev"):
            texts, attributions = load(split, None)
            mentions_of(split, texts, sorted(attributions), args.rebuild)
        return 0
    train = records("train", args.rebuild, args.rebuild_quotes)
    dev = records("dev", args.rebuild, args.rebuild_quotes)
    print(f"train: {len(train)} quotes ({sum(any(r['y']) for r in train)} with a right candidate); dev: {len(dev)}")
    for name, data in (("train", train), ("dev", dev)):
        right, n = accuracy(None, data)
        oracle = sum(any(r["y"]) for r in data)
        print(f"{name}: sieves {100 * right / n:.2f} % ({right}/{n}); a right candidate exists for {100 * oracle / n:.2f} %")
    model = fit(train)
    spec = {"trees": export(model), "features": list(FEATURES), "margin": 0.0}
    best = None
    for margin in MARGINS:
        ranker = SpeakerRanker.from_spec({**spec, "margin": margin})
        right, n = accuracy(ranker, dev)
        t_right, t_n = accuracy(ranker, train)
        print(f"margin {margin}: dev {100 * right / n:.2f} % ({right}/{n}), train {100 * t_right / t_n:.2f} %")
        if best is None or right > best[1]:
            best = (margin, right)
    spec["margin"] = best[0]
    spec["trained_on"] = (
        "PolNeAR v1.0.0 train: direct quotations with a name or noun-phrase Source; margin chosen on PolNeAR dev"
    )
    if not args.no_write:
        MODEL_PATH.write_text(json.dumps(spec, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH} (margin {spec['margin']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
