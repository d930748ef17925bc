"""Where Parallax keeps articles, stories and state: SQLite by default.

>>> store = open_store(":memory:")
"""

from __future__ import annotations

from ..errors import ConfigError
from .sqlite import SQLiteStore

Store = SQLiteStore


def open_store(url: str) -> SQLiteStore:
    """Open (and migrate) the store named by a path, ``sqlite:///path`` or ``:memory:``."""
    if url.startswith(("postgresql://", "postgres://")):
        raise ConfigError("PostgreSQL is not supported yet: use a SQLite file path")
    url = url.removeprefix("sqlite:///")
    return SQLiteStore(url)


__all__ = ["SQLiteStore", "Store", "open_store"]
