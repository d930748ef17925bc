"""Story grouping speed and growth.

1. Features: articles/s of :func:`featurize` (MiniLM embeddings + entities + terms) on real
   full-text articles (the Multi-News documents of 50+ words), and articles/s grouped including
   that feature step (wall clock, and per CPU second of all threads).
2. Grouping with features precomputed: articles/s of ``StoryGrouper.add_many`` on GoogleNews-TS
   items.
3. Growth: time per article at 1k, 10k and 100k articles. The stream is copies of real
   GoogleNews-TS items (features computed once) with shifted dates: each pass over the base items
   spans ``PASS_DAYS`` days and the next pass starts ``GAP_DAYS`` later, like a news stream in
   which the same kinds of stories recur. The time per article must stay roughly flat, because
   the candidate index only holds the articles of the recent window.

Run: ``.venv/bin/python bench/bench_stories.py`` (``--quick`` stops at 10k).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import check_floors, require_data, write_result

from parallax.models import Article, content_id
from parallax.settings import load
from parallax.stories import StoryGrouper, featurize

BASE_ITEMS = 2000
FULLTEXT_ITEMS = 200
PASS_DAYS = 10.0
GAP_DAYS = 30.0
SIZES = (1_000, 10_000, 100_000)
COMMAND = ".venv/bin/python bench/bench_stories.py"


def stream(base, n: int):
    """``n`` feature records cycling over ``base`` with shifted dates and fresh ids."""
    out = []
    for i in range(n):
        cycle, k = divmod(i, len(base))
        day = cycle * (PASS_DAYS + GAP_DAYS) + PASS_DAYS * k / len(base)
        out.append(replace(base[k], article_id=content_id("bench", str(i)), days=19_000.0 + day))
    return out


def articles_for(features) -> list[Article]:
    """Minimal articles matching feature records (add_many orders by ``published``)."""
    from datetime import UTC, datetime, timedelta

    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return [
        Article(id=f.article_id, source=f.article_id, text="", published=epoch + timedelta(days=f.days))
        for f in features
    ]


def whole_lead_features(articles: list[Article]) -> None:
    """The feature work before the lead-only change, one step after the other, for a same-load ratio:
    MiniLM on 700 characters (up to 256 word pieces, batches of 32), spaCy on 1,500 characters."""
    from parallax.stories import terms_of
    from parallax.text.embed import embed
    from parallax.text.entities import extract_entities

    bodies = [f"{a.title}. {a.text}" if a.title else a.text for a in articles]
    embed([b[:700] for b in bodies], batch_size=32, max_tokens=256)
    extract_entities([b[:1500] for b in bodies])
    [terms_of(b) for b in bodies]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="stop the growth series at 10k")
    args = parser.parse_args()
    settings = load()
    metrics: dict[str, float] = {}
    notes = []

    multinews = require_data("multinews-test-sample250")
    if multinews is not None:
        docs = [
            d
            for line in (multinews / "test_sample250.jsonl").open(encoding="utf-8")
            for d in json.loads(line)["documents"]
        ]
        docs = [d for d in docs if len(d.split()) >= 50][:FULLTEXT_ITEMS]
        articles = [Article.create(source=f"mn/{i}", text=d) for i, d in enumerate(docs)]
        featurize(articles[:2], settings)  # load the models outside the timing
        start, cpu = time.perf_counter(), time.process_time()
        feats = featurize(articles, settings)
        feature_s = time.perf_counter() - start
        start = time.perf_counter()
        StoryGrouper(settings).add_many(articles, feats)
        group_s = time.perf_counter() - start
        cpu_s = time.process_time() - cpu
        metrics["fulltext_features_articles_per_s"] = round(len(articles) / feature_s, 1)
        metrics["fulltext_grouped_with_features_articles_per_s"] = round(
            len(articles) / (feature_s + group_s), 1
        )
        metrics["fulltext_grouped_with_features_articles_per_cpu_s"] = round(len(articles) / cpu_s, 1)
        start = time.perf_counter()
        whole_lead_features(articles)
        metrics["fulltext_speedup_vs_whole_lead_features"] = round(
            (time.perf_counter() - start) / feature_s, 2
        )
        notes.append(
            f"Full text: {len(articles)} Multi-News documents (median ~460 words); features are MiniLM "
            "embeddings of title + lead, spaCy entities of the lead and TF-IDF terms. "
            "`fulltext_grouped_with_features_articles_per_s` is wall time, embeddings and entities "
            "included (they run in two threads); `..._per_cpu_s` divides by the CPU seconds of all "
            "the process's threads, which other jobs on a shared machine disturb less. "
            "`fulltext_speedup_vs_whole_lead_features` is the time of the earlier feature step (MiniLM "
            "on 700 characters up to 256 word pieces, spaCy on 1,500 characters, one after the other) "
            "over today's, measured in the same run."
        )

    googlenews = require_data("googlenews-tsc")
    if googlenews is not None:
        rows = [json.loads(line) for line in (googlenews / "GoogleNews-TS.jsonl").open(encoding="utf-8")]
        base_articles = [
            Article.create(source=f"gn/{i}", text=r["text"]) for i, r in enumerate(rows[:BASE_ITEMS])
        ]
        base = featurize(base_articles, settings)
        sizes = [s for s in SIZES if not (args.quick and s > 10_000)]
        for n in sizes:
            feats = stream(base, n)
            arts = articles_for(feats)
            grouper = StoryGrouper(settings)
            start = time.perf_counter()
            grouper.add_many(arts, feats)
            seconds = time.perf_counter() - start
            metrics[f"grouping_ms_per_article_{n // 1000}k"] = round(1000 * seconds / n, 3)
            metrics[f"grouping_articles_per_s_{n // 1000}k"] = round(n / seconds, 1)
            metrics[f"index_size_{n // 1000}k"] = int(grouper._index.ntotal)
            if n == sizes[-1]:
                start = time.perf_counter()
                blob = grouper.state()
                metrics[f"state_mb_{n // 1000}k"] = round(len(blob) / 1e6, 1)
                metrics[f"state_seconds_{n // 1000}k"] = round(time.perf_counter() - start, 2)
        notes.append(
            f"Growth: copies of {BASE_ITEMS} GoogleNews-TS items, each pass over {PASS_DAYS:g} days, "
            f"passes {GAP_DAYS:g} days apart; features precomputed."
        )
    if not metrics:
        return 0
    markdown = "\n".join(
        [
            "## Story grouping speed (`bench/bench_stories.py`)",
            "",
            "| figure | value |",
            "| --- | --- |",
            *[f"| {k} | {v} |" for k, v in metrics.items()],
            "",
            *notes,
            (
                "Goals: >= 500 articles/s grouped with features precomputed, >= 40/s including embeddings; "
                "time per article roughly flat from 1k to 100k."
            ),
        ]
    )
    write_result("bench_stories", metrics, markdown, command=COMMAND)
    for key, value in metrics.items():
        print(f"{key}: {value}")
    return check_floors("bench_stories", metrics)


if __name__ == "__main__":
    raise SystemExit(main())
