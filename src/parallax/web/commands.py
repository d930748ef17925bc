"""CLI commands of this subsystem; ``register(app)`` adds them to the ``parallax`` command."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this subsystem's commands to ``app`` (none yet)."""
