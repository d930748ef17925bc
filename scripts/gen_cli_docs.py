"""Write docs/cli.md from the ``parallax`` command's own definitions (``make docs``).

tests/test_docs.py fails when docs/cli.md differs from what this renders, so a command or an option
cannot go undocumented.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "cli.md"


def _walk(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found = [(path, command)]
    if hasattr(command, "commands"):
        for name in sorted(command.commands):
            found += _walk(command.commands[name], [*path, name])
    return found


def _param_line(param: Any) -> str:
    """One Markdown line for a parameter (typer vendors click, so parameters are duck-typed)."""
    if param.param_type_name == "argument":
        nargs = "..." if param.nargs == -1 else ""
        name = (param.name or "").upper()
        helptext = getattr(param, "help", None)
        return f"- `{name}{nargs}` (argument)" + (f": {helptext}" if helptext else "")
    names = ", ".join(f"`{o}`" for o in param.opts + param.secondary_opts)
    default = "" if param.default in (None, False) or param.is_flag else f" (default: `{param.default}`)"
    return f"- {names}{default}: {param.help or ''}".rstrip(": ")


def render() -> str:
    from parallax.cli import app

    root = typer.main.get_command(app)
    lines = [
        "# Command line reference",
        "",
        "Generated from the command's definitions by `python scripts/gen_cli_docs.py` (`make docs`);",
        "a test fails when this file is out of date.",
        "",
        "Exit status: 0 when anything was processed (rejections are listed), 1 when nothing could be",
        "read, 2 on a usage error.",
    ]
    for path, command in _walk(root, ["parallax"]):
        if command.hidden:
            continue
        lines += ["", f"## `{' '.join(path)}`", ""]
        if command.help:
            lines += [command.help.strip().split("\n\n")[0], ""]
        params = [p for p in command.params if p.name not in ("help",) and not getattr(p, "hidden", False)]
        lines += [_param_line(p) for p in params]
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
