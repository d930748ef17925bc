"""Shared plumbing of the evaluation and benchmark scripts in bench/.

Each ``eval_*.py`` / ``bench_*.py`` script computes its figures, calls :func:`write_result` (a JSON
file in ``bench/results/`` that ``run_eval.py`` / ``run_bench.py`` gather into ``docs/``), and
returns :func:`check_floors` as its exit status: 0 when every gated figure is at or above the floor
recorded in ``bench/floors/<name>.json``, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FLOORS = ROOT / "bench" / "floors"


def shared_data() -> Path | None:
    """``../shared/data`` beside the checkout (or ``PARALLAX_SHARED_DATA``), or None when absent."""
    path = Path(os.environ.get("PARALLAX_SHARED_DATA", ROOT.parent / "shared" / "data"))
    return path if path.is_dir() else None


def require_data(folder: str) -> Path | None:
    """The dataset folder, or None with a clear message on stderr when it is absent."""
    base = shared_data()
    if base is None or not (base / folder).is_dir():
        print(f"skipped: evaluation data {folder!r} not found (expected ../shared/data/{folder})", file=sys.stderr)
        return None
    return base / folder


def machine() -> str:
    """The interpreter, cores and architecture, and how busy the machine was (the run's own load included)."""
    return (
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
        f"{platform.machine()}, load average {os.getloadavg()[0]:.1f} when written"
    )


def write_result(name: str, metrics: dict[str, Any], markdown: str, *, command: str) -> Path:
    """Record a script's figures: ``metrics`` (flat name -> number) and a Markdown section."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {
        "name": name,
        "command": command,
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "machine": machine(),
        "metrics": metrics,
        "markdown": markdown,
    }
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def check_floors(name: str, metrics: dict[str, Any]) -> int:
    """0 when every floor in ``bench/floors/<name>.json`` is met, else 1 (printing what failed)."""
    path = FLOORS / f"{name}.json"
    if not path.exists():
        return 0
    floors = json.loads(path.read_text(encoding="utf-8"))
    failed = []
    for metric, floor in floors.items():
        value = metrics.get(metric)
        if value is None or value < floor:
            failed.append(f"{metric} = {value} is below its floor {floor}")
    for line in failed:
        print(f"FLOOR {name}: {line}", file=sys.stderr)
    return 1 if failed else 0
