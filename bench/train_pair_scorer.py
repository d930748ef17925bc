"""The contested claims' pair scorer: candidate pairs to label, and the logistic regression trained on them.

``dump`` writes the candidate (assertion, dispute) pairs of development clusters of
``multinews-test-sample250`` (never the held-out clusters of ``bench/gold/contested_recall.jsonl``) for
labelling: for each dispute sentence its ``--top`` most alike candidates, with texts and actors and no
score (the labels are made blind to what the scorer says). The labels go to
``bench/gold/contested_train_pairs.jsonl`` (``{"part": "train", "claim", "dispute", "answers"}``, offsets only).

``shown`` writes the pairs the shipped pipeline itself shows on those development clusters (each dispute's best
candidate at or above the model's threshold), filled with the best candidates just below it, in the pool format of
``eval_claims.py --pool-out`` (texts, actors, context; no score); ``add`` appends a labelled pool to the labels.

``train`` recomputes every labelled pair's features with the code of the day (``claims.candidate_pairs``),
fits a logistic regression (scikit-learn), picks the probability threshold on cross-validated predictions
grouped by cluster (the lowest threshold whose cross-validated precision of the pairs shown, one per dispute,
is at least ``--precision``), and writes the model as JSON run in numpy
(``src/parallax/synthesis/data/pair_scorer.json``).

Run: ``.venv/bin/python bench/train_pair_scorer.py dump --out /tmp/pairs.jsonl [--clusters N] [--top K]``,
``.venv/bin/python bench/train_pair_scorer.py shown --out /tmp/pool.jsonl [--max N] [--floor P]``,
``.venv/bin/python bench/train_pair_scorer.py add --labelled /tmp/pool_labelled.jsonl``,
``.venv/bin/python bench/train_pair_scorer.py train``
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import numpy as np
from _common import ROOT, require_data

from parallax.models import Article
from parallax.synthesis import claims, disputes
from parallax.synthesis.analysis import analyse
from parallax.synthesis.attributed import _speakers, speaker_names

disputes.COMPUTE_ALL = True  # every feature of disputes.FEATURES, whatever the shipped model reads
LABELS = ROOT / "bench" / "gold" / "contested_train_pairs.jsonl"
RECALL = ROOT / "bench" / "gold" / "contested_recall.jsonl"
TEST_STORIES = ROOT / "bench" / "gold" / "contested_test_stories.jsonl"
CONTESTED = ROOT / "bench" / "gold" / "contested_pairs.jsonl"
MODEL = ROOT / "src" / "parallax" / "synthesis" / "data" / "pair_scorer.json"


def load_clusters() -> dict[str, list[str]]:
    folder = require_data("multinews-test-sample250")
    if folder is None:
        raise SystemExit(0)
    out = {}
    with (folder / "test_sample250.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            c = json.loads(line)
            out[c["id"]] = c["documents"]
    return out


def heldout_clusters() -> set[str]:
    gold = [json.loads(line) for line in RECALL.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {g["doc"].split("#")[0] for g in gold if g["part"] == "heldout"}


def articles_of(cid: str, documents: list[str]) -> list[Article]:
    return [
        Article.create(source=f"{cid}#{k}", text=t, outlet=f"{cid}-outlet-{k + 1}")
        for k, t in enumerate(documents) if t.strip()
    ]  # fmt: skip


FIXTURES = ROOT / "tests" / "fixtures" / "synthesis"


def fixture_articles(name: str) -> list[Article]:
    """The articles of a development fixture story (``tests/fixtures/synthesis/<name>.json``), sources
    ``fixture:<name>#<key>``."""
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return [
        Article.create(source=f"fixture:{name}#{r['key']}", text=r["text"], outlet=r["outlet"])
        for r in data["articles"]
    ]


def candidates(articles: list[Article]):
    story = analyse(articles)
    cands = claims.candidate_pairs(story, speaker_names(story, _speakers(story)))
    return story, cands


def ref(articles: list[Article], article: int, start: int, end: int) -> str:
    return f"{articles[article].source}@{start}-{end}"


BASE = "93628c09a050c68549f4f3fd471f10be2ecb6762"  # main when gold17 drew its test set from the clusters no gold named


def referenced_at_base() -> set[str]:
    """Multi-News clusters some gold file or the README named at ``BASE``: the only ones trained on beside the
    recall gold's development part (the others are the pool of the frozen contested-claims test set)."""
    import re
    import subprocess

    def show(name: str) -> str:
        return subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{BASE}:{name}"], check=False, capture_output=True, text=True
        ).stdout

    names = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", BASE, "bench/gold/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    ids: set[str] = set()
    for name in [n for n in names if n.endswith(".jsonl")] + ["bench/gold/README.md", "docs/evaluation.md"]:
        text = show(name)
        ids.update(re.findall(r"mn-test-s\d{3}", text))
        if not name.endswith(".jsonl"):
            ids.update("mn-test-" + m for m in re.findall(r"(?<![\w-])(s\d{3})(?!\d)", text))
    return ids


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] if path.exists() else []


def _order(clusters: dict[str, list[str]]) -> list[str]:
    """The development clusters in the order labels are drawn from: the recall gold's development part (shuffled,
    seed 1717), then the clusters a gold file or the README named at ``BASE`` (seed 1718); never a held-out cluster
    of the recall gold nor one of the frozen test pool."""
    held = heldout_clusters()
    dev = sorted({g["doc"].split("#")[0] for g in _jsonl(RECALL) if g["part"] == "dev"})
    known = referenced_at_base()  # never the unreferenced clusters gold17's frozen test set was drawn from
    test = {d.split("#")[0] for r in _jsonl(TEST_STORIES) for d in r.get("documents", [])}
    assert not test & set(dev), "a frozen test story among the development clusters"
    others = sorted(c for c in clusters if c not in held and c not in dev and c in known and c not in test)
    random.Random(1717).shuffle(dev)
    random.Random(1718).shuffle(others)
    return dev + others  # the development clusters of the recall gold first (they hold disputes)


def dump(args: argparse.Namespace) -> int:
    clusters = load_clusters()
    ids = _order(clusters)
    out = []
    labelled = set()
    if args.unlabelled and LABELS.exists():  # leave out the pairs labelled before
        labelled = {(g["claim"], g["dispute"]) for g in map(json.loads, LABELS.read_text(encoding="utf-8").splitlines()) if g}
    chosen = [f"fixture:{f}" for f in args.fixture] or ids[args.skip : args.skip + args.clusters]
    for cid in chosen:
        articles = (
            fixture_articles(cid.removeprefix("fixture:"))
            if cid.startswith("fixture:")
            else articles_of(cid, clusters[cid])
        )
        if len(articles) < 2:
            continue
        story, cands = candidates(articles)
        for k, pairs in cands.pairs.items():
            s = cands.sentences[k]
            for i, _ in pairs[: args.top]:
                u = story.units[i]
                if (ref(articles, u.article, u.start, u.end), ref(articles, s.article, s.start, s.end)) in labelled:
                    continue
                out.append({
                    "claim": ref(articles, u.article, u.start, u.end), "dispute": ref(articles, s.article, s.start, s.end),
                    "claim_text": u.text, "claim_actor": cands.a_info[i]["actor"],
                    "dispute_text": s.text, "dispute_actor": cands.actors[k],
                })  # fmt: skip
        print(cid, len(out), file=sys.stderr)
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8")
    print(f"{len(out)} pairs written to {args.out}")
    return 0


def shown(args: argparse.Namespace) -> int:
    """The pairs the pipeline itself shows on development clusters (the order of ``dump``: never a held-out cluster
    of the recall gold nor the frozen test pool), for labelling blind: each dispute's best candidate when the shipped
    scorer's probability reaches its threshold (or the dispute names whose claim it rejects), then, to fill the pool
    to ``--max``, the best candidates just below it (most probable first; ``--floor`` the lowest), in the pool format
    of ``eval_claims.py --pool-out`` (texts, actors, context, keys; shuffled; no score). The scores go to ``--scores``
    (kept apart from what the labeller reads)."""
    from eval_claims import context, load_shown_labels, pair_key

    disputes.COMPUTE_ALL = False  # the shipped pipeline as it runs
    clusters = load_clusters()
    ids = _order(clusters)[args.skip : args.skip + args.clusters]
    labelled = {(g["claim"], g["dispute"]) for g in _jsonl(LABELS)} | {(g["claim"], g["dispute"]) for g in _jsonl(CONTESTED)}
    keys_done = set(load_shown_labels())
    cut = disputes.threshold()
    rows: list[dict] = []
    for cid in ids:
        articles = articles_of(cid, clusters[cid])
        if len(articles) < 2:
            continue
        story, cands = candidates(articles)
        probs: dict[int, tuple[int, float]] = {}
        for k, pairs in cands.pairs.items():
            p = disputes.score([f for _, f in pairs])
            best = int(np.argmax(p))
            probs[k] = (pairs[best][0], float(p[best]))
        for k, i in cands.aimed.items():
            probs[k] = (i, 1.0)
        for k, (i, p) in probs.items():
            if p < args.floor:
                continue
            s, u = cands.sentences[k], story.units[i]
            c_ref, d_ref = ref(articles, u.article, u.start, u.end), ref(articles, s.article, s.start, s.end)
            key = pair_key(u.text, s.text)
            if (c_ref, d_ref) in labelled or key in keys_done:
                continue
            rows.append({
                "story": cid, "key": key, "claim": c_ref, "dispute_ref": d_ref,
                "assertion": u.text, "assertion_actor": cands.a_info[i]["actor"],
                "assertion_context": context(articles[u.article].text, u.start, u.end),
                "dispute": s.text, "dispute_actor": cands.actors[k],
                "dispute_context": context(articles[s.article].text, s.start, s.end),
                "p": round(p, 4), "shown": p >= cut,
            })  # fmt: skip
        print(cid, len(rows), sum(r["shown"] for r in rows), file=sys.stderr, flush=True)
    unique = {}
    for r in sorted(rows, key=lambda r: -r["p"]):
        unique.setdefault(r["key"], r)
    chosen = list(unique.values())[: args.max]
    if args.scores is not None:
        args.scores.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8")
    pool = [{k: v for k, v in r.items() if k not in ("p", "shown")} for r in chosen]
    random.Random(17).shuffle(pool)
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pool), encoding="utf-8")
    n_shown = sum(r["shown"] for r in chosen)
    print(f"{len(pool)} pairs written to {args.out}: {n_shown} shown at threshold {cut}, {len(pool) - n_shown} below it")
    return 0


def add(args: argparse.Namespace) -> int:
    """Append a labelled pool of ``shown`` (its records with ``"answers"`` true/false) to the training labels as
    part ``train``: references and labels only (no text); a pair labelled before, or a record without a boolean
    label, is skipped with a message."""
    have = {(g["claim"], g["dispute"]) for g in _jsonl(LABELS)}
    added = []
    for n, line in enumerate(args.labelled.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            pair, answers = (r["claim"], r["dispute_ref"]), r["answers"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            print(f"{args.labelled}:{n}: skipped, not a labelled pool record ({exc})", file=sys.stderr)
            continue
        if not isinstance(answers, bool) or pair in have:
            print(f"{args.labelled}:{n}: skipped ({'labelled before' if pair in have else 'no true/false label'})", file=sys.stderr)
            continue
        have.add(pair)
        added.append({"part": "train", "claim": pair[0], "dispute": pair[1], "answers": answers})
    with LABELS.open("a", encoding="utf-8") as handle:
        handle.write("".join(json.dumps(r) + "\n" for r in added))
    print(f"{len(added)} labels added to {LABELS} ({sum(r['answers'] for r in added)} answer)")
    return 0


def every_candidate(args: argparse.Namespace) -> int:
    """Every candidate of every dispute of the development clusters (``dump``'s order) with all its features, for
    :func:`pipeline_cv` (``--story-cache``: analysed stories kept outside the repo)."""
    global analyse
    if args.story_cache is not None:
        from _story_cache import cached

        analyse = cached(analyse, args.story_cache)
    disputes.COMPUTE_ALL = True
    clusters = load_clusters()
    with args.out.open("w", encoding="utf-8") as out:
        for cid in _order(clusters):
            articles = articles_of(cid, clusters[cid])
            if len(articles) < 2:
                continue
            story, cands = candidates(articles)
            for k in set(cands.pairs) | set(cands.aimed):
                s = cands.sentences[k]
                d_ref = ref(articles, s.article, s.start, s.end)
                rows = cands.pairs.get(k) or [(cands.aimed[k], None)]
                for i, f in rows:
                    u = story.units[i]
                    out.write(json.dumps({
                        "cluster": cid, "dispute": d_ref, "claim": ref(articles, u.article, u.start, u.end), "features": f,
                        "aimed": cands.aimed.get(k) == i, "claim_text": u.text, "dispute_text": s.text,
                    }) + "\n")  # fmt: skip
            print(cid, file=sys.stderr, flush=True)
    return 0


def pipeline_cv(args: argparse.Namespace) -> int:
    """Precision of the pairs shown as the synthesis shows them, cross-validated by cluster: for each fold of the
    development clusters, a model fitted on the labels of the other clusters scores every candidate of the fold's
    clusters (``candidates``' file), each dispute's best is shown at a cut (a dispute naming whose claim it rejects
    whatever the model), and is looked up in every label (``contested_train_pairs.jsonl``, ``contested_pairs.jsonl``).
    Averaged over ``--draws`` random group folds: right / shown (unlabelled) per cut. Unlike ``train``'s table, a
    model's confident candidates that no one labelled count as shown."""
    labels = _jsonl(LABELS)
    x, y, groups, _, _ = features_of_labels(labels, args.cache)
    known = {(g["claim"], g["dispute"]): bool(g["answers"]) for g in labels}
    for g in _jsonl(CONTESTED):
        known.setdefault((g["claim"], g["dispute"]), bool(g["answers"]))
    rows = _jsonl(args.candidates)
    n_stance = len(disputes.BASE_FEATURES) + len(disputes.STANCE_FEATURES)
    for r in rows:  # the text features with the code of the day
        if r["features"] is not None:
            r["features"] = r["features"][:n_stance] + disputes.reading_features(r["dispute_text"], r["claim_text"])
    cols = [disputes.FEATURES.index(n) for n in feature_names(args)]
    clusters = sorted(set(groups) | {r["cluster"] for r in rows})
    cuts = [float(c) for c in args.cuts.split(",")]
    counts = {cut: [0, 0, 0] for cut in cuts}
    aimed_counts = [0, 0]
    for draw in range(args.draws):
        order = list(clusters)
        random.Random(draw).shuffle(order)
        fold = {c: n % 5 for n, c in enumerate(order)}
        for k in range(5):
            train_rows = np.array([fold[g] != k for g in groups])
            xs = x[train_rows][:, cols]
            mean, scale = xs.mean(axis=0), xs.std(axis=0)
            scale[scale == 0] = 1.0
            fit = _make(args).fit((xs - mean) / scale, y[train_rows])
            test = [r for r in rows if fold[r["cluster"]] == k]
            best: dict[str, tuple[float, dict]] = {}
            scored = [r for r in test if r["features"] is not None and not r["aimed"]]
            if scored:
                p = fit.predict_proba((np.asarray([r["features"] for r in scored])[:, cols] - mean) / scale)[:, 1]
                for q, r in zip(p, scored):
                    if r["dispute"] not in best or q > best[r["dispute"]][0]:
                        best[r["dispute"]] = (float(q), r)
            aimed = {r["dispute"]: r for r in test if r["aimed"]}
            for cut in cuts:
                for d, (q, r) in best.items():
                    if d not in aimed and q >= cut:
                        label = known.get((r["claim"], r["dispute"]))
                        counts[cut][0] += 1
                        counts[cut][1] += label is True
                        counts[cut][2] += label is None
            for r in aimed.values():
                aimed_counts[0] += 1
                aimed_counts[1] += known.get((r["claim"], r["dispute"])) is True
    for cut, (n, right, unknown) in counts.items():
        print(f"cut {cut:.2f}: shown {n / args.draws:.1f}, right {right / args.draws:.1f}, unlabelled {unknown / args.draws:.1f}")
    print(f"named (shown whatever the model): {aimed_counts[1] / args.draws:.1f} right of {aimed_counts[0] / args.draws:.1f}")
    return 0


def _span(ref_: str) -> tuple[str, int, int]:
    doc, offsets = ref_.split("@")
    start, end = offsets.split("-")
    return doc, int(start), int(end)


def _overlap(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def derive(args: argparse.Namespace) -> int:
    """Labels of the candidate pairs whose dispute sentence the development part of ``contested_recall.jsonl``
    read by hand (never its held-out part): a sentence it says is no dispute answers no candidate; a gold dispute
    answers the candidates that are among the sentences it names as stating what it disputes, and no other of its
    ``--top`` most alike candidates (the gold names none for 13 disputes: none answers)."""
    clusters = load_clusters()
    gold = [json.loads(line) for line in RECALL.read_text(encoding="utf-8").splitlines() if line.strip()]
    dev = [g for g in gold if g["part"] == "dev"]
    out = []
    for cid in sorted({g["doc"].split("#")[0] for g in dev}):
        articles = articles_of(cid, clusters[cid])
        if len(articles) < 2:
            continue
        story, cands = candidates(articles)
        rows = [g for g in dev if g["doc"].split("#")[0] == cid]
        for k, pairs in cands.pairs.items():
            s = cands.sentences[k]
            d_ref = ref(articles, s.article, s.start, s.end)
            hit = [g for g in rows if _overlap(_span(d_ref), (g["doc"], g["start"], g["end"]))]
            if not hit:
                continue
            asserts = [_span(a) for g in hit for a in g.get("asserts", [])]
            is_dispute = any(g["dispute"] for g in hit)
            for rank, (i, _) in enumerate(pairs):
                u = story.units[i]
                c_ref = ref(articles, u.article, u.start, u.end)
                answers = is_dispute and any(_overlap(_span(c_ref), a) for a in asserts)
                if answers or rank < args.top:
                    out.append({"part": "train-recall-dev", "claim": c_ref, "dispute": d_ref, "answers": answers})
        print(cid, len(out), file=sys.stderr)
    args.out.write_text("".join(json.dumps(r) + "\n" for r in out), encoding="utf-8")
    print(f"{len(out)} pairs written to {args.out} ({sum(r['answers'] for r in out)} answer)")
    return 0


def features_of_labels(
    labels: list[dict], cache: Path | None = None
) -> tuple[np.ndarray, np.ndarray, list[str], list[str], list[str]]:
    """Features of each labelled pair that is still a candidate, its label, its cluster, its dispute and its claim. With
    ``cache``, features computed before (by this function, same code) are read from it; fresh ones are written to it."""
    known: dict[tuple[str, str], list[float] | None] = {}
    texts: dict[tuple[str, str], tuple[str, str]] = {}
    if cache is not None and cache.exists():
        for line in cache.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            f = r["features"]
            if f is not None and "dispute_text" in r:  # the text features are recomputed with the code of the day
                f = r.get("base", f[: len(disputes.BASE_FEATURES)])
                f = f + disputes.stance_features(r["dispute_text"], r["claim_text"])
                f = f + disputes.reading_features(r["dispute_text"], r["claim_text"])
                texts[(r["claim"], r["dispute"])] = (r["claim_text"], r["dispute_text"])
            if f is None or len(f) == len(disputes.FEATURES):
                known[(r["claim"], r["dispute"])] = f
    wanted: dict[str, list[dict]] = {}  # clusters with a pair the cache does not hold
    for g in labels:
        if (g["claim"], g["dispute"]) not in known:
            wanted.setdefault(g["dispute"].split("#")[0], []).append(g)
    clusters = load_clusters() if wanted else {}
    for cid, rows in sorted(wanted.items()):
        if cid.startswith("fixture:"):
            articles = fixture_articles(cid.removeprefix("fixture:"))
        else:
            articles = articles_of(cid, clusters[cid])
        story, cands = candidates(articles)
        table = {}
        for k, pairs in cands.pairs.items():
            s = cands.sentences[k]
            for i, f in pairs:
                u = story.units[i]
                key = (ref(articles, u.article, u.start, u.end), ref(articles, s.article, s.start, s.end))
                table[key] = f
                texts[key] = (u.text, s.text)
        for g in rows:
            known[(g["claim"], g["dispute"])] = table.get((g["claim"], g["dispute"]))
    x, y, groups, dispute_of, claim_of = [], [], [], [], []
    missing = 0
    for g in labels:
        f = known[(g["claim"], g["dispute"])]
        if f is None:
            missing += 1
            continue
        x.append(f)
        y.append(int(g["answers"]))
        groups.append(g["dispute"].split("#")[0])
        dispute_of.append(g["dispute"])
        claim_of.append(g["claim"])
    print(f"{len(x)} labelled pairs are candidates ({missing} no longer are)", file=sys.stderr)
    if cache is not None and wanted:
        nb = len(disputes.BASE_FEATURES)
        cache.write_text(
            "".join(
                json.dumps({"claim": c, "dispute": d, "features": f}
                           | dict(zip(("claim_text", "dispute_text"), texts.get((c, d), ())))
                           | ({"base": f[:nb]} if f else {}))
                + "\n"
                for (c, d), f in known.items()
            ),
            encoding="utf-8",
        )
    return np.asarray(x, dtype=float), np.asarray(y), groups, dispute_of, claim_of


def shown_precision(p: np.ndarray, y: np.ndarray, dispute_of: list[str], cut: float) -> tuple[int, int, int]:
    """Pairs shown at ``cut`` (one per dispute: its most probable candidate), how many answer, and how many
    disputes with an answering candidate are paired with one."""
    best: dict[str, int] = {}
    for n, d in enumerate(dispute_of):
        if d not in best or p[n] > p[best[d]]:
            best[d] = n
    shown = [n for n in best.values() if p[n] >= cut]
    right = sum(int(y[n]) for n in shown)
    return len(shown), right, sum(1 for d in {dispute_of[n] for n in range(len(y)) if y[n]})


def _make(args: argparse.Namespace):
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    if args.model == "trees":
        return GradientBoostingClassifier(
            n_estimators=args.trees, max_depth=args.depth, learning_rate=args.rate, subsample=0.8, random_state=17
        )
    return LogisticRegression(C=args.c, max_iter=1000)


def _trees(fit) -> dict:
    """A fitted binary GradientBoostingClassifier as JSON arrays (``disputes.score`` runs it in numpy)."""
    trees = []
    for (tree,) in fit.estimators_:
        t = tree.tree_
        trees.append({
            "feature": t.feature.tolist(), "threshold": [round(float(v), 6) for v in t.threshold],
            "left": t.children_left.tolist(), "right": t.children_right.tolist(),
            "value": [round(float(v), 6) for v in t.value[:, 0, 0]],
        })  # fmt: skip
    prior = float(fit.init_.class_prior_[1])
    return {"init": round(float(np.log(prior / (1 - prior))), 6), "rate": fit.learning_rate, "trees": trees}


def feature_names(args: argparse.Namespace) -> tuple[str, ...]:
    """The features a model reads: main's (``--base-only``), main's and the reading features (``--reading``), or all."""
    if args.base_only:
        return disputes.BASE_FEATURES
    if getattr(args, "reading", False):
        return disputes.BASE_FEATURES + disputes.READING_FEATURES
    return disputes.FEATURES


def train(args: argparse.Namespace) -> int:
    from sklearn.model_selection import GroupKFold

    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    x, y, groups, dispute_of, _ = features_of_labels(labels, args.cache)
    names = feature_names(args)
    x = x[:, [disputes.FEATURES.index(n) for n in names]]
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    oof = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(z, y, groups):
        fit = _make(args).fit(z[tr], y[tr])
        oof[te] = fit.predict_proba(z[te])[:, 1]
    chosen = None
    for cut in np.arange(0.05, 0.96, 0.01):
        n, right, positives = shown_precision(oof, y, dispute_of, cut)
        print(
            f"cut {cut:.2f}: shown {n}, right {right} ({100 * right / max(n, 1):.1f} %), of {positives} disputes with an answer"
        )
        if chosen is None and n >= 5 and right / n >= args.precision:
            chosen = round(float(cut), 2)
    if args.threshold is not None:  # chosen by hand from the cross-validated table above
        chosen = args.threshold
    if chosen is None:
        chosen = 0.95
    fit = _make(args).fit(z, y)
    n, right, positives = shown_precision(oof, y, dispute_of, chosen)
    model = {
        "about": ("Pair scorer of the contested claims (synthesis/disputes.py): "
                  + ("gradient-boosted trees" if args.model == "trees" else "logistic regression")
                  + " over disputes.FEATURES (standardised by mean and scale), trained by bench/train_pair_scorer.py "
                  "on bench/gold/contested_train_pairs.jsonl."),
        "features": list(names), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
        "threshold": chosen,
        "trained_on": {"pairs": len(y), "answering": int(y.sum()), "clusters": len(set(groups)),
                       "cv_shown": n, "cv_right": right, "cv_disputes_with_answer": positives},
    }  # fmt: skip
    if args.model == "trees":
        model["kind"] = "trees"
        model.update(_trees(fit))
        check = disputes.score_with(model, x.tolist())
        assert np.allclose(check, fit.predict_proba(z)[:, 1], atol=1e-4), "numpy trees differ from scikit-learn"
    else:
        model["coef"] = fit.coef_[0].round(6).tolist()
        model["intercept"] = round(float(fit.intercept_[0]), 6)
        for name, c in sorted(zip(names, fit.coef_[0]), key=lambda kv: -abs(kv[1])):
            print(f"  {name:20s} {c:+.3f}")
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"threshold {chosen}: cross-validated {right} of {n} shown pairs answer; model written to {args.out}")
    return 0


def _text_of(ref_: str, clusters: dict[str, list[str]]) -> str:
    doc, start, end = _span(ref_)
    cid, key = doc.split("#")
    if cid.startswith("fixture:"):
        data = json.loads((FIXTURES / f"{cid.removeprefix('fixture:')}.json").read_text(encoding="utf-8"))
        text = next(r["text"] for r in data["articles"] if str(r["key"]) == key)
    else:
        text = clusters[cid][int(key)]
    return " ".join(text[start:end].split())


def errors(args: argparse.Namespace) -> int:
    """Error analysis: each dispute's best cross-validated candidate at or above ``--cut`` that does not answer
    (and, with ``--missed``, the answering candidates below it), with both texts and every feature."""
    from sklearn.model_selection import GroupKFold

    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    x, y, groups, dispute_of, claim_of = features_of_labels(labels, args.cache)
    if args.base_only:
        x = x[:, : len(disputes.BASE_FEATURES)]
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    oof = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(z, y, groups):
        oof[te] = _make(args).fit(z[tr], y[tr]).predict_proba(z[te])[:, 1]
    best: dict[str, int] = {}
    for n, d in enumerate(dispute_of):
        if d not in best or oof[n] > oof[best[d]]:
            best[d] = n
    clusters = load_clusters()
    rows = [n for n in best.values() if oof[n] >= args.cut and (not y[n] or args.right)]
    if args.missed:
        rows += [n for n in range(len(y)) if y[n] and oof[n] < args.cut]
    for n in sorted(rows, key=lambda n: -oof[n]):
        claim, dispute = claim_of[n], dispute_of[n]
        print(f"p={oof[n]:.2f} answers={bool(y[n])} {dispute}")
        print("  D:", _text_of(dispute, clusters)[:300])
        print("  A:", _text_of(claim, clusters)[:300])
        print("  ", " ".join(f"{k}={v:.2f}" for k, v in zip(disputes.FEATURES, x[n]) if v))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump", help="write candidate pairs of development clusters to label")
    d.add_argument("--out", type=Path, required=True)
    d.add_argument("--clusters", type=int, default=60)
    d.add_argument("--top", type=int, default=4)
    d.add_argument(
        "--fixture",
        action="append",
        default=[],
        help="dump a development fixture story instead (tests/fixtures/synthesis/NAME.json)",
    )
    d.add_argument(
        "--skip", type=int, default=0, help="start after this many clusters of the order (a further batch)"
    )
    d.add_argument("--unlabelled", action="store_true", help="leave out pairs contested_train_pairs.jsonl labels")
    w = sub.add_parser("shown", help="write the pairs the pipeline shows on development clusters, to label blind")
    w.add_argument("--out", type=Path, required=True)
    w.add_argument("--scores", type=Path, default=None, help="the same pairs with the scorer's probability (not for the labeller)")
    w.add_argument("--clusters", type=int, default=1000)
    w.add_argument("--skip", type=int, default=0)
    w.add_argument("--floor", type=float, default=0.15, help="lowest probability of a pair below the threshold filled in")
    w.add_argument("--max", type=int, default=90, help="at most this many pairs, most probable first")
    a = sub.add_parser("add", help="append a labelled pool of `shown` to the training labels (part train)")
    a.add_argument("--labelled", type=Path, required=True)
    c = sub.add_parser("candidates", help="every candidate of the development clusters with its features (for pipeline-cv)")
    c.add_argument("--out", type=Path, required=True)
    c.add_argument("--story-cache", type=Path, default=None, help="analysed stories kept here (outside the repo)")
    v = sub.add_parser("pipeline-cv", help="precision of the pairs shown as the synthesis shows them, cross-validated by cluster")
    v.add_argument("--candidates", type=Path, required=True)
    v.add_argument("--model", choices=("trees", "logistic"), default="logistic")
    v.add_argument("--trees", type=int, default=60)
    v.add_argument("--depth", type=int, default=3)
    v.add_argument("--rate", type=float, default=0.05)
    v.add_argument("--c", type=float, default=0.1)
    v.add_argument("--base-only", action="store_true")
    v.add_argument("--reading", action="store_true")
    v.add_argument("--cuts", default="0.2,0.28,0.4,0.5,0.6,0.7,0.8,0.9")
    v.add_argument("--draws", type=int, default=3)
    v.add_argument("--cache", type=Path, default=None)
    r = sub.add_parser("derive", help="labels of candidate pairs read from the development part of contested_recall.jsonl")
    r.add_argument("--out", type=Path, required=True)
    r.add_argument("--top", type=int, default=6, help="candidates per dispute labelled as not answering")
    t = sub.add_parser("train", help="fit the scorer on the labelled pairs and write its JSON")
    t.add_argument("--model", choices=("trees", "logistic"), default="logistic")
    t.add_argument("--trees", type=int, default=100, help="boosting rounds (trees)")
    t.add_argument("--depth", type=int, default=2)
    t.add_argument("--rate", type=float, default=0.05)
    t.add_argument("--c", type=float, default=0.1, help="inverse regularisation (logistic)")
    t.add_argument("--precision", type=float, default=0.85)
    t.add_argument("--base-only", action="store_true", help="main's features only (disputes.BASE_FEATURES), no stance features")
    t.add_argument("--reading", action="store_true", help="main's features and disputes.READING_FEATURES")
    t.add_argument("--out", type=Path, default=MODEL, help="where to write the model (default: the shipped one)")
    t.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="use this threshold instead of the lowest one reaching --precision in cross-validation",
    )
    t.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="feature cache (outside the repo) for refitting without recomputing",
    )
    e = sub.add_parser("errors", help="print the cross-validated false positives of the pairs shown, with texts")
    e.add_argument("--model", choices=("trees", "logistic"), default="logistic")
    e.add_argument("--trees", type=int, default=100)
    e.add_argument("--depth", type=int, default=2)
    e.add_argument("--rate", type=float, default=0.05)
    e.add_argument("--c", type=float, default=0.1)
    e.add_argument("--cut", type=float, default=0.28)
    e.add_argument("--base-only", action="store_true")
    e.add_argument("--right", action="store_true", help="print the right pairs shown too")
    e.add_argument("--missed", action="store_true", help="print answering pairs below the cut too")
    e.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args(argv)
    return {"dump": dump, "shown": shown, "add": add, "candidates": every_candidate, "pipeline-cv": pipeline_cv, "train": train, "derive": derive, "errors": errors}[args.cmd](args)


if __name__ == "__main__":
    raise SystemExit(main())
