"""``make eval``: run every ``bench/eval_*.py`` and gather their figures into docs/evaluation.md.

Exit status 1 when any script fails or any gated figure falls below its floor in bench/floors/.
Without ../shared/data every script skips with a message and the status is 0.
"""

from __future__ import annotations

import sys

from _common import ROOT, shared_data
from _report import run_scripts, write_doc

HEADER = """# Evaluation

Quality figures of Parallax on third-party evaluation data (`../shared/data`, read in place; each
folder's README gives its source, licence and published baselines). Regenerate with `make eval`
(each section also names its own command). Floors in `bench/floors/` gate CI against regression;
they are raised as figures improve and never lowered silently.
"""


def main() -> int:
    if shared_data() is None:
        print("skipped: ../shared/data is absent, so no evaluation ran (the gates need it)")
        return 0
    scripts = sorted((ROOT / "bench").glob("eval_*.py"))
    failed = run_scripts(scripts)
    write_doc("eval_", ROOT / "docs" / "evaluation.md", HEADER)
    if failed:
        print(f"evaluation failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"{len(scripts)} evaluation scripts passed their floors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
