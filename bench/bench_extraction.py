"""Extraction speed of parallax.clean beside trafilatura alone (pages per second, one process).

    .venv/bin/python bench/bench_extraction.py

Modes, all on the 181 AEB pages (decoded HTML held in memory, so only extraction is timed):
- ``html``: ``extract_html`` (trafilatura in fast mode, a recall run on pages where it keeps little,
  post-cleaning, metadata);
- ``trafilatura``: ``trafilatura.extract`` with its defaults (no metadata), for comparison;
- ``textdump``: ``clean_text_dump`` on the visible text of each page.
Each mode runs ROUNDS times in alternation and the best round counts, because the machine is
shared and a slow round measures the neighbours, not the code. The per-line noise caches and the
class-word cache are cleared before each round, so a round never reuses the work of the previous one.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import machine, write_result
from train_textdump import aeb_records, visible_text

from parallax.clean import candidates
from parallax.clean.boilerplate import noise_reason, normalize_line
from parallax.clean.dumphead import publication_name
from parallax.clean.html import extract_html
from parallax.clean.textdump import clean_text_dump

ROUNDS = 2
COMMAND = "python bench/bench_extraction.py"


def _rate(func: Callable[[str, str], object], items: Sequence[tuple[str, str]]) -> float:
    normalize_line.cache_clear()  # a round must not reuse the line and class caches of the previous one
    noise_reason.cache_clear()
    candidates._class_counts.cache_clear()
    publication_name.cache_clear()
    start = time.perf_counter()
    for content, url in items:
        func(content, url)
    return len(items) / (time.perf_counter() - start)


def _trafilatura(content: str, url: str) -> object:
    import trafilatura

    return trafilatura.extract(content, url=url)


def main() -> int:
    records = aeb_records()
    if not records:
        return 0
    pages = [(page, url) for _key, url, page, _gold in records]
    dumps = [(visible_text(page), url) for _key, url, page, _gold in records]
    modes: dict[str, tuple[Callable[[str, str], object], list[tuple[str, str]]]] = {
        "html": (lambda c, u: extract_html(c, url=u), pages),
        "trafilatura": (_trafilatura, pages),
        "textdump": (lambda c, u: clean_text_dump(c, url=u), dumps),
    }
    for func, items in modes.values():  # warm-up: imports, model load
        func(*items[0])
    best = {name: 0.0 for name in modes}
    for _ in range(ROUNDS):
        for name, (func, items) in modes.items():
            best[name] = max(best[name], _rate(func, items))
    metrics = {f"{name}_pages_per_s": round(rate, 2) for name, rate in best.items()}
    metrics["html_vs_trafilatura"] = round(best["html"] / best["trafilatura"], 3)
    metrics["textdump_vs_trafilatura"] = round(best["textdump"] / best["trafilatura"], 3)
    markdown = "\n".join(
        [
            "## Extraction speed (parallax.clean)",
            "",
            f"AEB pages (181), one process, best of {ROUNDS} rounds; {machine()}.",
            "",
            "| mode | pages/s |",
            "| --- | --- |",
            f"| Parallax HTML (`extract_html`, with metadata) | {best['html']:.1f} |",
            f"| trafilatura alone (`extract`, defaults) | {best['trafilatura']:.1f} |",
            f"| Parallax text dump (`clean_text_dump`) | {best['textdump']:.1f} |",
            "",
            (
                f"Parallax HTML runs at {metrics['html_vs_trafilatura']:.2f}x trafilatura's speed and text dumps "
                f"at {metrics['textdump_vs_trafilatura']:.2f}x (target: at least 0.8x each)."
            ),
        ]
    )
    write_result("bench_extraction", metrics, markdown, command=COMMAND)
    print(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
