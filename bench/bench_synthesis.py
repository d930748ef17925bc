"""Synthesis speed: syntheses per second for stories of 5, 20 and 100 articles.

Articles are real Multi-News documents of at least 150 words (``multinews-test-sample250``),
taken in file order; a story of N articles is N of them with distinct outlets. Models (spaCy,
MiniLM) are loaded by a warm-up synthesis before timing. Each size is timed over several
different stories (articles never seen before: nothing cached); the figure is stories / total
seconds. Then a 20-article story is redone after a 21st article joined it, the usual case as a
story grows: each article's analysis is cached, so only the new article is read. Then the same
21-article story is redone as in a new process (every cache cleared: another ``parallax build``, a
restarted ``parallax run``, a Dask worker): from scratch, then from the per-article analyses stored
with its articles (``synthesis/stored.py``, read from a store), wall and CPU seconds. With
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
from parallax.store import open_store
from parallax.synthesis import synthesize
from parallax.synthesis.stored import analyse_articles, clear_caches, encode_many, load_stored

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
    parser.add_argument("--sizes", type=int, nargs="*", help="only these story sizes (default 5 20 100)")
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
    sizes = {n: r for n, r in SIZES.items() if not args.sizes or n in args.sizes}
    for size, runs in sizes.items():
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
    # The same story in a "new process": caches cleared; from scratch, then from the stored analyses.
    store = open_store(":memory:")
    encoded = encode_many(grown, embeddings=embeddings)  # made above, as the featurise step makes them
    store.save_analyses(encoded)
    sentences = sum(len(found.parts.sentences) for found in analyse_articles(grown, embeddings=embeddings))
    stored_bytes = sum(len(blob) for _, _, blob in encoded.values())
    metrics["stored_analysis_bytes_per_article"] = round(stored_bytes / len(grown))
    metrics["stored_analysis_bytes_per_sentence"] = round(stored_bytes / max(1, sentences))
    story = Story("grow", "grow", tuple(a.id for a in grown))
    cold: dict[str, tuple[float, float]] = {}
    for label in ("from scratch", "from stored analyses"):
        clear_caches()
        wall, cpu = time.perf_counter(), time.process_time()
        if label == "from stored analyses":
            load_stored(store, grown, embeddings=embeddings)
        synthesize(story, grown, embeddings=embeddings)
        cold[label] = (time.perf_counter() - wall, time.process_time() - cpu)
        rows.append(f"| 21, new process, {label} (CPU {cold[label][1]:.2f} s) | 1 | "
                    f"{sum(len(a.text.split()) for a in grown)} | {cold[label][0]:.2f} | {1 / cold[label][0]:.3f} |")
        print(rows[-1], flush=True)
    metrics["seconds_per_resynthesis_21_cold"] = round(cold["from scratch"][0], 2)
    metrics["cpu_seconds_per_resynthesis_21_cold"] = round(cold["from scratch"][1], 2)
    metrics["seconds_per_resynthesis_21_stored"] = round(cold["from stored analyses"][0], 2)
    metrics["cpu_seconds_per_resynthesis_21_stored"] = round(cold["from stored analyses"][1], 2)
    mode = "TF-IDF only" if args.no_embeddings else "MiniLM embeddings + TF-IDF"
    markdown = "\n".join(
        [
            f"## Synthesis speed ({mode})",
            "",
            "Real Multi-News documents (>= 150 words); models loaded before timing. The last row redoes a",
            "20-article story after a 21st article joined (per-article analysis cached); the two after it",
            "redo that 21-article story with every cache cleared (a new process): from scratch, and from the",
            "per-article analyses stored with the articles (read from a store).",
            "",
            "| articles per story | stories timed | words per story | seconds per synthesis | syntheses/s |",
            "| --- | --- | --- | --- | --- |",
            *rows,
            "",
            (f"Stored analysis: {metrics['stored_analysis_bytes_per_article']:,} bytes per article, "
             f"{metrics['stored_analysis_bytes_per_sentence']:,} per sentence (the 21 articles above)."),
            "",
        ]
    )
    name = "bench_synthesis_tfidf" if args.no_embeddings else "bench_synthesis"
    flags = (" --no-embeddings" if args.no_embeddings else "") + (
        " --sizes " + " ".join(map(str, args.sizes)) if args.sizes else "")
    write_result(name, metrics, markdown, command=COMMAND + flags)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
