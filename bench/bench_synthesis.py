"""Synthesis speed: syntheses per second for stories of 5, 20 and 100 articles.

Articles are real Multi-News documents of at least 150 words (``multinews-test-sample250``),
taken in file order; a story of N articles is N of them with distinct outlets. Models (spaCy,
MiniLM) are loaded by a warm-up synthesis before timing. Each size is timed over several
different stories (articles never seen before: nothing cached); the figure is stories / total
seconds. Then a 20-article story is redone after a 21st article joined it, the usual case as a
story grows: each article's analysis is cached, so only the new article is read. With
``--no-embeddings`` the summary and claims use TF-IDF similarity alone.

Run: ``.venv/bin/python bench/bench_synthesis.py [--no-embeddings]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import require_data, write_result

from parallax.models import Article, Story
from parallax.synthesis import synthesize

COMMAND = ".venv/bin/python bench/bench_synthesis.py"
SIZES = {5: 4, 20: 2, 100: 1}  # articles per story -> stories timed


def load_articles(folder: Path) -> list[Article]:
    articles = []
    with (folder / "test_sample250.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            cluster = json.loads(line)
            for k, doc in enumerate(cluster["documents"]):
                if len(doc.split()) >= 150:
                    articles.append(
                        Article.create(source=f"{cluster['id']}#{k}", text=doc, outlet=f"outlet-{len(articles)}")
                    )
    return articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-embeddings", action="store_true")
    args = parser.parse_args(argv)
    folder = require_data("multinews-test-sample250")
    if folder is None:
        return 0
    pool = load_articles(folder)
    embeddings = not args.no_embeddings
    synthesize(Story("warm", "warm", ()), pool[:3], embeddings=embeddings)
    metrics: dict[str, float] = {}
    rows = []
    cursor = 3
    for size, runs in SIZES.items():
        elapsed = 0.0
        words = 0
        for _ in range(runs):
            chunk = pool[cursor : cursor + size]
            cursor = (cursor + size) % max(1, len(pool) - size)
            words += sum(len(a.text.split()) for a in chunk)
            story = Story(f"bench-{size}", "bench", tuple(a.id for a in chunk))
            started = time.perf_counter()
            synthesize(story, chunk, embeddings=embeddings)
            elapsed += time.perf_counter() - started
        rate = runs / elapsed
        metrics[f"syntheses_per_s_{size}"] = round(rate, 3)
        metrics[f"seconds_per_synthesis_{size}"] = round(elapsed / runs, 2)
        rows.append(f"| {size} | {runs} | {words // runs} | {elapsed / runs:.2f} | {rate:.3f} |")
        print(rows[-1], flush=True)
    # A story that grows: 20 articles synthesised, then again with one more.
    grown = pool[cursor : cursor + 21]
    synthesize(Story("grow", "grow", tuple(a.id for a in grown[:20])), grown[:20], embeddings=embeddings)
    started = time.perf_counter()
    synthesize(Story("grow", "grow", tuple(a.id for a in grown)), grown, embeddings=embeddings)
    redo = time.perf_counter() - started
    metrics["seconds_per_resynthesis_20_plus_1"] = round(redo, 2)
    rows.append(f"| 20 + 1 new (story redone) | 1 | {sum(len(a.text.split()) for a in grown)} | {redo:.2f} | {1 / redo:.3f} |")
    print(rows[-1], flush=True)
    mode = "TF-IDF only" if args.no_embeddings else "MiniLM embeddings + TF-IDF"
    markdown = "\n".join(
        [
            f"## Synthesis speed ({mode})",
            "",
            "Real Multi-News documents (>= 150 words); models loaded before timing. The last row redoes a",
            "20-article story after a 21st article joined (per-article analysis cached).",
            "",
            "| articles per story | stories timed | words per story | seconds per synthesis | syntheses/s |",
            "| --- | --- | --- | --- | --- |",
            *rows,
            "",
        ]
    )
    name = "bench_synthesis_tfidf" if args.no_embeddings else "bench_synthesis"
    write_result(name, metrics, markdown, command=COMMAND + (" --no-embeddings" if args.no_embeddings else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
