"""Gather the JSON results of bench scripts into one Markdown document."""

from __future__ import annotations

import json
from pathlib import Path

from _common import RESULTS


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
