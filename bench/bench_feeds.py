"""Feed polling: feeds polled per second and peak memory for 1,000 local feeds of 20 items each.

A local HTTP server (``tests/mockserver``, in its own process so it does not share the poller's
CPU time or memory) serves ``FEEDS`` RSS 2.0 feeds of ``ITEMS`` full-text items (about 150 words
each, distinct guids, an ETag per feed). One :class:`~parallax.sources.poller.Poller` polls them
all from a fresh SQLite file with its default worker count:

1. first poll: every feed answers 200; each is fetched, parsed (feedparser), its 20 new entries are
   turned into documents and marked seen, and the feed's status is stored;
2. second poll: every feed is polled again with its validators and answers 304.

Ingestion is replaced by a counter here (the pipeline's own speed is measured by the pipeline
benchmarks): these figures are the live-source side only. All feeds are on one host
(127.0.0.1), so the per-host politeness limits are lifted for the run (``host_delay`` 0 and the
per-host concurrency set to the worker count); with the defaults (1 s between two requests to
one host) a single host would be polled at 1 feed/s by design.

Run: ``.venv/bin/python bench/bench_feeds.py`` (``--feeds N`` for a smaller run).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from _common import check_floors, write_result

FEEDS = 1000
ITEMS = 20
WORDS = 150
SEED = 20261123
COMMAND = ".venv/bin/python bench/bench_feeds.py"
VOCABULARY = ["government", "minister", "said", "on", "Monday", "that", "the", "new", "budget", "would", "raise", "spending", "on", "schools", "hospitals", "and", "roads", "while", "cutting", "taxes", "for", "small", "companies", "opposition", "leaders", "called", "the", "plan", "reckless", "and", "warned", "that", "the", "deficit", "would", "grow", "economists", "were", "divided", "over", "the", "effect", "on", "inflation", "and", "the", "central", "bank", "which", "meets", "next", "week", "to", "decide", "on", "interest", "rates", "officials", "in", "the", "capital", "expected", "parliament", "to", "vote", "before", "the", "end", "of", "the", "month", "after", "a", "debate", "that", "could", "last", "several", "days"]


def build_feeds(port: int, feeds: int) -> dict[str, bytes]:
    """The RSS documents, path -> bytes (deterministic)."""
    from mockserver import item, rss

    rng = random.Random(SEED)
    docs = {}
    for n in range(feeds):
        items = []
        for i in range(ITEMS):
            words = [rng.choice(VOCABULARY) for _ in range(WORDS)]
            body = "<p>" + " ".join(words).capitalize() + ".</p>"
            link = f"http://127.0.0.1:{port}/articles/{n}/{i}.html"
            items.append(item(f"Feed {n} story {i}: {' '.join(words[:6])}", link, body=body))
        docs[f"/feeds/{n}.xml"] = rss(items, title=f"Outlet {n}")
    return docs


def serve(port_file: str, feeds: int) -> None:
    """Serve the feeds until killed (the benchmark's server process)."""
    from mockserver import MockServer

    server = MockServer()
    for path, body in build_feeds(server.port, feeds).items():
        server.add(path, body, content_type="application/rss+xml; charset=utf-8", etag=f'"{hash(path) & 0xFFFF}"')
    server.start()
    Path(port_file).write_text(str(server.port))
    while True:
        time.sleep(3600)


class CountingIngestor:
    """Counts documents instead of running the pipeline."""

    def __init__(self) -> None:
        self.documents = 0

    def ingest(self, docs):
        docs = list(docs)
        self.documents += len(docs)
        return SimpleNamespace(articles=[])


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=FEEDS)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.feeds)
        return 0

    from parallax.settings import load
    from parallax.sources.fetch import Fetcher
    from parallax.sources.poller import WORKERS, Poller
    from parallax.sources.robots import RobotsCache
    from parallax.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(port_file), "--feeds", str(args.feeds)])
        try:
            deadline = time.monotonic() + 300
            while not port_file.exists() or not port_file.read_text():
                if time.monotonic() > deadline or server.poll() is not None:
                    print("the feed server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.2)
            port = int(port_file.read_text())
            settings = load(allow_private_networks=True, host_delay=0.0)
            store = open_store(str(Path(tmp) / "bench.db"))
            for n in range(args.feeds):
                store.add_feed(f"http://127.0.0.1:{port}/feeds/{n}.xml")
            fetcher = Fetcher(settings, host_concurrency=WORKERS)
            fetcher.robots = RobotsCache(fetcher)
            counter = CountingIngestor()
            poller = Poller(store, settings, fetcher=fetcher, pipeline=counter)
            base_rss = rss_mib()

            started = time.perf_counter()
            first = poller.poll_once()
            first_s = time.perf_counter() - started
            for feed in store.list_feeds():
                poller.poll_soon(feed["id"])
            started = time.perf_counter()
            second = poller.poll_once()
            second_s = time.perf_counter() - started
            poller.stop()
            peak_rss = rss_mib()
        finally:
            server.kill()
            server.wait()

    ok_first = sum(r.outcome == "new" and r.new_entries == ITEMS for r in first)
    ok_second = sum(r.outcome == "not-modified" for r in second)
    errors = sorted({r.error for r in first + second if r.error})[:5]
    metrics = {
        "feeds": args.feeds,
        "items_per_feed": ITEMS,
        "workers": WORKERS,
        "first_poll_feeds_per_s": round(len(first) / first_s, 1),
        "first_poll_entries_per_s": round(counter.documents / first_s, 1),
        "first_poll_seconds": round(first_s, 2),
        "first_poll_ok": ok_first,
        "second_poll_304_feeds_per_s": round(len(second) / second_s, 1),
        "second_poll_seconds": round(second_s, 2),
        "second_poll_304": ok_second,
        "peak_rss_mib": round(peak_rss, 1),
        "rss_before_polling_mib": round(base_rss, 1),
    }
    markdown = "\n".join([
        (f"Feed polling: {args.feeds} local RSS feeds of {ITEMS} full-text items each, one host, "
        f"{WORKERS} fetch workers, ingestion replaced by a counter, a fresh SQLite file."),
        "",
        "| poll | feeds/s | entries/s | seconds | feeds ok |",
        "| --- | ---: | ---: | ---: | ---: |",
        (f"| first (200, parse, 20 new entries each) | {metrics['first_poll_feeds_per_s']} | "
        f"{metrics['first_poll_entries_per_s']} | {metrics['first_poll_seconds']} | {ok_first}/{len(first)} |"),
        (f"| second (conditional GET, 304) | {metrics['second_poll_304_feeds_per_s']} | - | "
        f"{metrics['second_poll_seconds']} | {ok_second}/{len(second)} |"),
        "",
        (f"Peak resident memory of the polling process: {metrics['peak_rss_mib']} MiB "
        f"({metrics['rss_before_polling_mib']} MiB before polling: interpreter, libraries, store). "
        "The feed server runs in its own process and is not counted."),
    ] + ([f"Errors seen: {'; '.join(errors)}"] if errors else []))
    write_result("bench_feeds", metrics, markdown, command=COMMAND)
    print(markdown)
    return check_floors("bench_feeds", metrics)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
