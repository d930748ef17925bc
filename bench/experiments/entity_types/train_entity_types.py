"""EXPERIMENT (not adopted, see classifier.py): fit the entity type classifier on hand-labelled entities
and measure it on the held-out dev half.

Training data (never the test half of ``bench/gold/entity_types.jsonl``):

* ``bench/gold/entity_types_train.jsonl``: 260 entities of the Multi-News sample stories whose
  (story, listed name) falls in the dev half by the sha1 rule of ``measure_entities.py``, drawn with
  seed 1616 (at most 3 per story, none of the gold sample), labelled from their first mention's
  context without the predicted type, by the guide of ``bench/gold/README.md``;
* with ``--with-dev``: also the dev half of ``bench/gold/entity_types.jsonl``.

Without ``--with-dev`` the dev half is held out and measured here; ``--cv K`` cross-validates over
train + dev by story instead. The model was not adopted (README.md beside this file), so the test
half was never measured with it.

Each labelled mention is matched to the canonical name of its story (:class:`StoryNames`, the rules'
types and no model) that holds its words, and that name's :func:`features` are one training row.
The spaCy mentions of the 250 stories come from ``--mentions-cache`` (written by
``measure_entities.py --entities-only --mentions-cache``), else are extracted here.

    .venv/bin/python bench/experiments/entity_types/train_entity_types.py --mentions-cache /tmp/ent/sm_lab.pkl
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # bench/
sys.path.insert(0, str(HERE.parent.parent.parent / "src"))

from _common import ROOT

GOLD = ROOT / "bench" / "gold" / "entity_types.jsonl"
TRAIN = ROOT / "bench" / "gold" / "entity_types_train.jsonl"
OUT = HERE / "entity_types.json"


def rows_for(items: list[dict], mentions: dict, clusters: dict) -> tuple[list[dict], list[str], list[str]]:
    """(feature rows, types, stories) of the labelled items found among their story's names."""
    from classifier import features, story_evidence

    from parallax.synthesis.names import StoryNames

    by_story: dict[str, list[dict]] = {}
    for item in items:
        by_story.setdefault(item["story"], []).append(item)
    rows, kinds, stories = [], [], []
    for story, labelled in sorted(by_story.items()):
        names = StoryNames().fit(mentions[story], clusters[story]["documents"])
        evidence = story_evidence(names, mentions[story], clusters[story]["documents"])
        for item in labelled:
            display = names.name(item["name"])
            if display not in evidence:
                continue  # a mention no listed name holds: nothing to type
            rows.append(features(evidence[display]))
            kinds.append(item["type"])
            stories.append(story)
    return rows, kinds, stories


def _rule(row: dict) -> str:
    return next((k.split("=", 1)[1] for k in row if k.startswith("rule=")), "?")


def cross_validate(data: tuple[list[dict], list[str], list[str]], args: argparse.Namespace) -> None:
    """Accuracy of the model alone, and of the rules' type overridden where the model's probability
    reaches a threshold, over K folds of whole stories; the rules' own accuracy beside them."""
    import random

    from classifier import TypeClassifier

    rows, kinds, stories = data
    order = sorted(set(stories))
    random.Random(16).shuffle(order)
    fold = {s: i % args.cv for i, s in enumerate(order)}
    pure, over = [], {t: [] for t in (0.6, 0.7, 0.8)}
    for f in range(args.cv):
        train = [i for i in range(len(rows)) if fold[stories[i]] != f]
        held = [i for i in range(len(rows)) if fold[stories[i]] == f]
        model = TypeClassifier().fit([rows[i] for i in train], [kinds[i] for i in train], l2=args.l2, min_count=args.min_count)
        for i, p in zip(held, model.predict_proba([rows[i] for i in held])):
            guess = model.kinds[int(p.argmax())]
            pure.append(guess == kinds[i])
            for t, right in over.items():
                right.append((guess if p.max() >= t else _rule(rows[i])) == kinds[i])
    rules = sum(_rule(r) == k for r, k in zip(rows, kinds)) / max(len(rows), 1)
    print(f"{args.cv}-fold over {len(rows)} entities: rules {100 * rules:.1f} %, model {100 * sum(pure) / len(pure):.1f} %, "
          + ", ".join(f"rules overridden at p >= {t}: {100 * sum(v) / len(v):.1f} %" for t, v in over.items()))


def _geo_place(display: str, ev) -> str | None:
    """A GeoNames name is a place, unless a city under a million people most mentions call a person."""
    from classifier import geoname

    geo = geoname(display)
    if geo is None:
        return None
    if ev.labels.get("PERSON", 0) > sum(ev.labels.values()) / 2 and geo[0] == "city" and geo[1] < 1_000_000:
        return None
    return "place"


def _census_person(display: str, ev) -> str | None:
    """Two words, a Census given name then a Census surname, and no GeoNames place: a person."""
    from classifier import geoname, name_words

    return "person" if len(display.split()) == 2 and all(name_words(display)) and geoname(display) is None else None


def _geo_not_name(display: str, ev) -> str | None:
    """A GeoNames name that is no Census given name or surname: a place."""
    from classifier import geoname, name_words

    return "place" if geoname(display) is not None and not any(name_words(display)) else None


def check_rules(sets: dict[str, list[dict]], known: dict, clusters: dict) -> None:
    """What each candidate lexicon rule changes over the rules' types: fixed, broken, wrong to wrong."""
    from classifier import story_evidence

    from parallax.synthesis.names import StoryNames

    found = []
    for label, items in sets.items():
        for item in items:
            story = item["story"]
            names = StoryNames().fit(known[story], clusters[story]["documents"])
            evidence = story_evidence(names, known[story], clusters[story]["documents"])
            display = names.name(item["name"])
            if display in evidence:
                found.append((label, item["type"], display, evidence[display]))
    for rule in (_geo_place, _census_person, _geo_not_name):
        for label in sets:
            counts: Counter[str] = Counter()
            for where, gold, display, ev in found:
                new = rule(display, ev) if where == label else None
                if new is None or new == ev.rule:
                    continue
                what = "fixed" if new == gold else "broken" if ev.rule == gold else "wrong to wrong"
                counts[what] += 1
                print(f"  {rule.__name__} {label}: {display!r} gold {gold}, rules {ev.rule}, now {new}: {what}")
            print(f"{rule.__name__} on {label}: {dict(counts) or 'nothing changed'}")


def main(argv: list[str] | None = None) -> int:
    from classifier import TypeClassifier
    from measure_entities import _clusters, _Mentions

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions-cache", type=Path, default=None)
    parser.add_argument("--with-dev", action="store_true", help="train on the dev half of the gold sample too")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--write", action="store_true", help=f"write {OUT.name} beside this script")
    parser.add_argument("--rules", action="store_true", help="check the candidate lexicon rules on train and dev")
    parser.add_argument("--cv", type=int, default=0,
                        help="K-fold cross-validation over train + dev (folds by story, seed 16) instead")
    args = parser.parse_args(argv)
    clusters = {c["id"]: c for c in _clusters()}
    items = [json.loads(line) for line in TRAIN.open(encoding="utf-8")]
    dev = [g for g in map(json.loads, GOLD.open(encoding="utf-8")) if g["split"] == "dev"]
    if args.with_dev:
        items += dev
    known: dict = {}
    if args.mentions_cache and args.mentions_cache.exists():
        with args.mentions_cache.open("rb") as handle:
            known = pickle.load(handle)
    needed = {i["story"] for i in items} | {g["story"] for g in dev}
    for story in sorted(needed - set(known)):
        known[story] = _Mentions(clusters[story]["documents"]).mentions
    if args.rules:
        check_rules({"train": items, "dev": dev}, known, clusters)
        return 0
    if args.cv:
        cross_validate(rows_for(items + ([] if args.with_dev else dev), known, clusters), args)
        return 0
    rows, kinds, _ = rows_for(items, known, clusters)
    print(f"training rows: {len(rows)} of {len(items)} labelled ({dict(Counter(kinds))})")
    model = TypeClassifier().fit(rows, kinds, l2=args.l2, min_count=args.min_count)
    train_acc = sum(p == k for p, k in zip(model.predict(rows), kinds)) / max(len(rows), 1)
    print(f"features: {len(model.vocabulary)}; accuracy on its own training rows {100 * train_acc:.1f} %")
    if not args.with_dev:
        drows, dkinds, _ = rows_for(dev, known, clusters)
        pred = model.predict(drows)
        rule = [next((k.split("=", 1)[1] for k in r if k.startswith("rule=")), "?") for r in drows]
        right = sum(p == k for p, k in zip(pred, dkinds))
        print(f"dev half, held out: {right} of {len(drows)} found names right = {100 * right / max(len(drows), 1):.1f} %"
              f" (the rules' type: {100 * sum(r == k for r, k in zip(rule, dkinds)) / max(len(drows), 1):.1f} %)")
    if args.write:
        OUT.write_text(json.dumps(model.to_json(), ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
