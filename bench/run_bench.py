"""``make bench``: run every ``bench/bench_*.py`` and gather their figures into docs/benchmarks.md.

Benchmarks measure speed and memory on this machine; they never fail on a figure (only on a crash).
Pass script names to run a subset: ``python bench/run_bench.py bench_stories``.
"""

from __future__ import annotations

import sys

from _common import ROOT
from _report import run_scripts, write_doc

HEADER = """# Benchmarks

Speed and memory of Parallax on this machine (2 cores, 24 GiB). Regenerate with `make bench`
(each section names its own command). These are measurements, not tests: no test asserts a time.
"""


def main(argv: list[str]) -> int:
    wanted = set(argv)
    scripts = [s for s in sorted((ROOT / "bench").glob("bench_*.py")) if not wanted or s.stem in wanted]
    failed = run_scripts(scripts)
    write_doc("bench_", ROOT / "docs" / "benchmarks.md", HEADER)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
