"""Near-duplicate detection: synthetic syndicated copies of AEB bodies, and Multi-News stories.

1. Copies: for each of the 181 gold article bodies of ``aeb-scrapinghub`` the script makes
   ``COPIES`` syndicated copies (seeded): a different headline, 5-20 % of the sentences cut or
   reworded (word swaps, drops, substitutions; sometimes the ending trimmed) and outlet
   boilerplate added. Originals and copies are fed in a shuffled order; an article is a *found
   copy* when it points to a member of its own family. Recall = found / (family size - 1 summed);
   precision = correct pointers / all pointers.
2. Multi-News: all 666 documents of ``multinews-test-sample250`` are fed; pairs of documents of
   one story marked as copies are counted. Pairs whose exact 5-shingle containment is >= 0.9 are
   real copies in the data (the same capture twice, or an excerpt) and are reported apart; the
   gate is that *distinct* articles (containment < 0.9) are never marked.

Run: ``.venv/bin/python bench/eval_dedup.py``
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import check_floors, require_data, write_result

from parallax.dedup import Deduplicator, normalise, shingles
from parallax.models import Article
from parallax.settings import load

COPIES = 2
SEED = 20261123
COMMAND = ".venv/bin/python bench/eval_dedup.py"
BOILERPLATE = [
    "Advertisement",
    (
        "Copyright {year} {outlet}. All rights reserved. This material may not be published, broadcast, "
        "rewritten or redistributed."
    ),
    "Sign up for our daily newsletter to get the latest headlines delivered to your inbox.",
    "Follow {outlet} on Twitter and Facebook for more breaking news.",
    "Read more: the top stories of the day from {outlet}",
    "Share this article: Facebook Twitter Email",
]
OUTLETS = ["The Daily Courier", "Metro Wire", "KXTV News", "The Valley Herald", "Global Post Online"]
FILLERS = ["also", "reportedly", "now", "still", "in fact", "on Monday", "officials said"]
_SENTENCE = re.compile(r"(?<=[.!?。！？\"”])\s+|\s*\n\s*")


def sentences_of(text: str) -> list[str]:
    """Rough sentence split (the copy generator's own, independent of the library)."""
    return [s for s in _SENTENCE.split(text.strip()) if s.strip()]


def reword(sentence: str, rng: random.Random) -> str:
    """Edit a sentence lightly: drop, swap, substitute or insert one to three words."""
    words = sentence.split()
    for _ in range(rng.randint(1, 3)):
        if len(words) < 4:
            break
        i = rng.randrange(len(words) - 1)
        action = rng.choice(["drop", "swap", "insert", "substitute"])
        if action == "drop":
            del words[i]
        elif action == "swap":
            words[i], words[i + 1] = words[i + 1], words[i]
        elif action == "insert":
            words.insert(i, rng.choice(FILLERS))
        else:
            words[i] = (
                rng.choice(["the", "a", "its", "their", "this"]) if len(words[i]) < 4 else words[i][::-1]
            )
    return " ".join(words)


def make_copy(body: str, rng: random.Random) -> str:
    """A syndicated copy: 5-20 % of sentences cut or reworded, boilerplate added."""
    sents = sentences_of(body)
    n = len(sents)
    k = max(1, round(n * rng.uniform(0.05, 0.20)))
    chosen = set(rng.sample(range(n), min(k, n)))
    if n * 0.2 < 1:  # too few sentences to cut one: reword one instead
        i = rng.randrange(n)
        kept = [reword(s, rng) if j == i else s for j, s in enumerate(sents)]
    elif rng.random() < 0.3:  # trimmed ending instead of scattered cuts
        chosen = set(range(n - min(k, n), n))
        kept = [s for i, s in enumerate(sents) if i not in chosen]
    else:
        kept = [
            (reword(s, rng) if rng.random() < 0.5 else None) if i in chosen else s
            for i, s in enumerate(sents)
        ]
        kept = [s for s in kept if s]
    outlet = rng.choice(OUTLETS)
    top = [rng.choice(BOILERPLATE[:1] + BOILERPLATE[4:]).format(outlet=outlet, year=2019)]
    bottom = [b.format(outlet=outlet, year=2019) for b in rng.sample(BOILERPLATE[1:4], 2)]
    return "\n\n".join(top + [" ".join(kept)] + bottom)


def containment(a: str, b: str) -> float:
    """Exact share of the smaller text's 5-word shingles found in the other."""
    sa, sb = shingles(normalise(a), 5), shingles(normalise(b), 5)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def eval_copies(settings) -> dict[str, float]:
    """Recall and precision of copy detection on synthetic AEB copies."""
    base = require_data("aeb-scrapinghub")
    if base is None:
        return {}
    gold = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    rng = random.Random(SEED)
    items: list[tuple[str, Article]] = []
    for key, record in sorted(gold.items()):
        body = record["articleBody"]
        items.append((key, Article.create(source=f"{key}/orig", text=body, title="original")))
        for c in range(COPIES):
            items.append(
                (key, Article.create(source=f"{key}/copy{c}", text=make_copy(body, rng), title=f"copy {c}"))
            )
    rng.shuffle(items)
    family = {a.id: key for key, a in items}
    dedup = Deduplicator(settings)
    start = time.perf_counter()
    results = [dedup.add(a) for _, a in items]
    elapsed = time.perf_counter() - start
    seen: set[str] = set()
    expected = found = pointers = correct = 0
    for (key, _), result in zip(items, results):
        if key in seen:
            expected += 1
            if result.duplicate_of is not None and family[result.duplicate_of] == key:
                found += 1
        seen.add(key)
        if result.duplicate_of is not None:
            pointers += 1
            correct += family[result.duplicate_of] == key
    return {
        "copies_articles": len(items),
        "copies_recall": round(found / expected, 4),
        "copies_precision": round(correct / pointers, 4) if pointers else 0.0,
        "copies_articles_per_s": round(len(items) / elapsed, 1),
    }


def eval_multinews(settings) -> dict[str, float]:
    """Copies marked among the documents of Multi-News stories (distinct ones must not be)."""
    base = require_data("multinews-test-sample250")
    if base is None:
        return {}
    clusters = [json.loads(line) for line in (base / "test_sample250.jsonl").open(encoding="utf-8")]
    docs = [(c["id"], i, d) for c in clusters for i, d in enumerate(c["documents"])]
    dedup = Deduplicator(settings)
    by_id: dict[str, tuple[str, str]] = {}
    marked: list[tuple[str, str, str]] = []
    for story, i, text in docs:
        article = Article.create(source=f"{story}/{i}.txt", text=text)
        by_id[article.id] = (story, text)
        result = dedup.add(article)
        if result.duplicate_of is not None:
            marked.append((story, text, result.duplicate_of))
    same_distinct = same_real = cross = 0
    for story, text, canonical in marked:
        other_story, other_text = by_id[canonical]
        if other_story != story:
            cross += 1
        elif containment(text, other_text) >= 0.9:
            same_real += 1
        else:
            same_distinct += 1
    return {
        "multinews_documents": len(docs),
        "multinews_marked": len(marked),
        "multinews_same_story_real_copies": same_real,
        "multinews_same_story_distinct_marked": same_distinct,
        "multinews_cross_story_marked": cross,
        "multinews_distinct_ok": int(same_distinct == 0),
    }


def main() -> int:
    settings = load()
    metrics = {**eval_copies(settings), **eval_multinews(settings)}
    if not metrics:
        return 0
    markdown = "\n".join(
        [
            "## De-duplication (`bench/eval_dedup.py`)",
            "",
            (
                f"Settings: threshold {settings.dedup_threshold}, {settings.dedup_num_perm} permutations, "
                f"{settings.dedup_shingle}-word shingles."
            ),
            "",
            "| figure | value |",
            "| --- | --- |",
            *[f"| {k} | {v} |" for k, v in metrics.items()],
            "",
            (
                f"Copies: {COPIES} synthetic copies per AEB body (seed {SEED}); target recall >= 0.98 at "
                "precision >= 0.99. Multi-News cross-story marks are identical junk captures (crawl "
                "banners) shared by several stories."
            ),
        ]
    )
    write_result("eval_dedup", metrics, markdown, command=COMMAND)
    for key, value in metrics.items():
        print(f"{key}: {value}")
    return check_floors("eval_dedup", metrics)


if __name__ == "__main__":
    raise SystemExit(main())
