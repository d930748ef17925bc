"""CPU time of clean_text_dump beside trafilatura alone, a profile of it, and a dump of its outputs.

    .venv/bin/python bench/profile_textdump.py                  # CPU seconds over the 181 AEB dumps
    .venv/bin/python bench/profile_textdump.py --profile 30     # cProfile, the 30 costliest functions
    .venv/bin/python bench/profile_textdump.py --dump a.json    # every Page field of every dump

The dumps are the visible text of the 181 AEB pages, as bench_extraction.py makes them. Like
profile_extraction.py for HTML, this times CPU (time.process_time), not wall-clock, so a shared
machine's neighbours weigh less; trafilatura.extract on the pages runs in alternation with
clean_text_dump on their dumps, best of ``--rounds``, line caches cleared before each round.

``--dump`` writes text, title, outlet, byline, published and language of clean_text_dump for every
AEB and trafilatura-eval dump (the pages of eval_dump_metadata, read from its cache when present);
dumps of two checkouts must be equal for a change meant to keep outputs as they were.
It writes no result file and has no floor.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import machine
from train_textdump import aeb_records, visible_text

from parallax.clean import candidates
from parallax.clean.boilerplate import noise_reason, normalize_line
from parallax.clean.dumphead import publication_name
from parallax.clean.textdump import clean_text_dump


def _clear() -> None:
    normalize_line.cache_clear()
    noise_reason.cache_clear()
    candidates._class_counts.cache_clear()
    publication_name.cache_clear()


def cpu_seconds(func: Callable[[str, str], object], items: Sequence[tuple[str, str]]) -> float:
    """CPU seconds of ``func`` over the items, the line caches cleared first."""
    _clear()
    start = time.process_time()
    for content, url in items:
        func(content, url)
    return time.process_time() - start


def fields(dump: str, url: str | None = None) -> list[str | None]:
    """The fields of clean_text_dump's Page, as strings."""
    page = clean_text_dump(dump, url=url)
    published = page.published.isoformat() if page.published else None
    return [page.text, page.title, page.outlet, page.byline, published, page.language]


def write_dump(path: Path) -> int:
    """Every AEB and trafilatura-eval dump's fields (no URL: as eval_dump_metadata reads them)."""
    from eval_dump_metadata import prepared

    out = {item["id"]: fields(item["dump"]) for item in prepared()}
    path.write_text(json.dumps(out, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(out)} dumps written to {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=int, metavar="N", help="cProfile the dumps, print the N costliest")
    parser.add_argument("--dump", type=Path, help="write every dump's clean_text_dump fields here instead")
    args = parser.parse_args(argv)
    if args.dump:
        return write_dump(args.dump)
    records = aeb_records()
    if not records:
        return 0
    pages = [(page, url) for _key, url, page, _gold in records]
    dumps = [(visible_text(page), url) for _key, url, page, _gold in records]
    textdump = lambda c, u: clean_text_dump(c, url=u)  # noqa: E731
    textdump(*dumps[0])
    if args.profile:
        _clear()
        profiler = cProfile.Profile()
        profiler.enable()
        for content, url in dumps:
            textdump(content, url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
        return 0
    import trafilatura

    modes: dict[str, tuple[Callable[[str, str], object], list[tuple[str, str]]]] = {
        "trafilatura": (lambda c, u: trafilatura.extract(c, url=u), pages),
        "textdump": (textdump, dumps),
    }
    for func, items in modes.values():
        func(*items[0])
    seconds: dict[str, list[float]] = {name: [] for name in modes}
    for _ in range(args.rounds):
        for name, (func, items) in modes.items():
            seconds[name].append(cpu_seconds(func, items))
    print(f"AEB pages ({len(pages)}), CPU seconds, best of {args.rounds} rounds; {machine()}")
    for name, values in seconds.items():
        rounded = [round(v, 3) for v in values]
        print(f"{name:12s} {min(values):.3f} s ({len(pages) / min(values):.1f} pages/s)  rounds: {rounded}")
    print(f"clean_text_dump at {min(seconds['trafilatura']) / min(seconds['textdump']):.3f}x trafilatura (CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
