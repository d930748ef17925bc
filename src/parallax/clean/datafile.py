"""The data files of ``clean/data/`` (one entry a line, ``#`` comments): their lines, read one way."""

from __future__ import annotations

from pathlib import Path


def entry_lines(path: Path) -> list[str]:
    """The lines of a data file that hold an entry: not blank, not a ``#`` comment (none when the file is
    missing). Lines are as written; callers split and strip them."""
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
