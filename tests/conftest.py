"""Shared test helpers: paths to fixtures and a runner for the real ``parallax`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
FIXTURES = ROOT / "tests" / "fixtures"
BAD = FIXTURES / "bad"


def parallax_command() -> list[str]:
    """The installed ``parallax`` script beside this interpreter (the real CLI)."""
    script = Path(sys.executable).parent / "parallax"
    return [str(script)] if script.exists() else [sys.executable, "-m", "parallax.cli"]


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``parallax ARGS`` in a subprocess and return the finished process (text mode)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [*parallax_command(), *args], check=False, capture_output=True, text=True, env=full_env,
        cwd=cwd or ROOT, timeout=timeout, stdin=subprocess.DEVNULL,
    )


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "parallax.db"
