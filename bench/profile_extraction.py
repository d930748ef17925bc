"""CPU time of extract_html beside trafilatura alone, and a dump of its outputs to compare commits.

    .venv/bin/python bench/profile_extraction.py               # CPU seconds over the 181 AEB pages
    .venv/bin/python bench/profile_extraction.py --dump a.json # every Page field, AEB + trafilatura-eval

bench_extraction.py times wall-clock pages per second, which on a shared machine measures the
neighbours as much as the code. This script times CPU (time.process_time) instead, extract_html and
trafilatura.extract in alternation within one process, best of ``--rounds``, with the per-line noise
caches cleared before each round as bench_extraction does. It writes no result file and has no floor.

``--dump`` writes text, title, outlet, byline, published and language of extract_html for every AEB
and trafilatura-eval page; dumps of two checkouts (this script run from each) must be equal for a
change meant to keep outputs as they were.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import machine, require_data
from train_textdump import aeb_records

from parallax.clean.boilerplate import noise_reason, normalize_line
from parallax.clean.html import extract_html


def cpu_seconds(func: Callable[[str, str], object], pages: Sequence[tuple[str, str]]) -> float:
    """CPU seconds of ``func`` over the pages, the line caches cleared first."""
    normalize_line.cache_clear()
    noise_reason.cache_clear()
    start = time.process_time()
    for content, url in pages:
        func(content, url)
    return time.process_time() - start


def page_fields(html: str | bytes, url: str | None) -> list[str | None]:
    """The fields of extract_html's Page, as strings (an error's message when it raises)."""
    try:
        page = extract_html(html, url=url)
    except ValueError as error:
        return [f"error: {error}"]
    published = page.published.isoformat() if page.published else None
    return [page.text, page.title, page.outlet, page.byline, published, page.language]


def dump(path: Path) -> int:
    """Write every AEB and trafilatura-eval page's fields to ``path`` (JSON, keyed by page)."""
    out = {f"aeb/{key}": page_fields(page, url) for key, url, page, _gold in aeb_records()}
    folder = require_data("trafilatura-eval")
    if folder is not None:
        lines = (folder / "evaldata.jsonl").read_text(encoding="utf-8").splitlines()
        for i, doc in enumerate(json.loads(line) for line in lines):
            out[f"trafeval/{i}"] = page_fields(gzip.decompress((folder / doc["html"]).read_bytes()), doc["url"])
    path.write_text(json.dumps(out, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(out)} pages written to {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dump", type=Path, help="write every page's extract_html fields here instead")
    args = parser.parse_args(argv)
    if args.dump:
        return dump(args.dump)
    import trafilatura

    pages = [(page, url) for _key, url, page, _gold in aeb_records()]
    if not pages:
        return 0
    modes: dict[str, Callable[[str, str], object]] = {
        "extract_html": lambda c, u: extract_html(c, url=u),
        "trafilatura": lambda c, u: trafilatura.extract(c, url=u),
    }
    for func in modes.values():  # warm-up: imports, model load
        func(*pages[0])
    seconds: dict[str, list[float]] = {name: [] for name in modes}
    for _ in range(args.rounds):
        for name, func in modes.items():
            seconds[name].append(cpu_seconds(func, pages))
    print(f"AEB pages ({len(pages)}), CPU seconds, best of {args.rounds} rounds; {machine()}")
    for name, values in seconds.items():
        print(f"{name:13s} {min(values):.3f} s ({len(pages) / min(values):.1f} pages/s)  rounds: {values}")
    print(f"extract_html at {min(seconds['trafilatura']) / min(seconds['extract_html']):.3f}x trafilatura (CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
