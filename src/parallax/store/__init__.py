"""Where Parallax keeps articles, stories and state: SQLite by default, PostgreSQL for several machines.

>>> store = open_store(":memory:")
>>> store.in_memory, store.supports_fts
(True, True)
"""

from __future__ import annotations

from .base import Store
from .sqlite import SQLiteStore

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(url: str) -> bool:
    return url.startswith(POSTGRES_SCHEMES)


def open_store(url: str) -> Store:
    """Open (and migrate) the store named by a path, ``sqlite:///path``, ``:memory:`` or ``postgresql://…``."""
    if is_postgres_url(url):
        from .postgres import PostgresStore  # psycopg is imported only when asked for

        return PostgresStore(url)
    return SQLiteStore(url.removeprefix("sqlite:///"))


__all__ = ["SQLiteStore", "Store", "is_postgres_url", "open_store"]
