"""Gather the JSON results of bench scripts into one Markdown document."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from _common import RESULTS, ROOT


def write_doc(prefix: str, target: Path, header: str) -> None:
    """Write ``target`` from every ``bench/results/<prefix>*.json``: header, then one section each."""
    parts = [header.rstrip() + "\n"]
    for path in sorted(RESULTS.glob(f"{prefix}*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        parts.append(
            f"\n## {result['name']}\n\nMeasured {result['measured_at']} on {result['machine']} with "
            f"`{result['command']}`.\n\n{result['markdown'].strip()}\n"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(parts), encoding="utf-8")


def run_scripts(scripts: list[Path]) -> list[str]:
    """Run each script in its own interpreter (a crash stays its own); the names of those that failed."""
    failed = []
    for script in scripts:
        started = time.monotonic()
        print(f"== {script.name}", flush=True)
        code = subprocess.call([sys.executable, str(script)], cwd=ROOT)
        print(f"== {script.name}: exit {code} in {time.monotonic() - started:.0f}s", flush=True)
        if code != 0:
            failed.append(script.name)
    return failed
