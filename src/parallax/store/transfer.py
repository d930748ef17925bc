"""Copy a Parallax database into another store (``parallax migrate SQLITE_FILE postgresql://…``).

>>> from parallax.store import open_store
>>> copy_database(open_store(":memory:"), open_store(":memory:"))["articles"]
0

Each table is copied row by row on its primary key: a row already there is overwritten by the
source's, so running it again copies nothing new and changes nothing (idempotent), and a second run
after the source grew brings the target up to date. Sessions (sign-ins) and rejections are not
copied: the first expire, the second have no key to tell a copy from a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Tables copied, in order (parents before children), with their primary key columns.
TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("articles", ("id",)),
    ("article_analysis", ("article_id",)),
    ("stories", ("id",)),
    ("story_entities", ("story_id", "name")),
    ("state", ("key",)),
    ("feeds", ("id",)),
    ("feed_entries", ("feed_id", "key")),
    ("users", ("id",)),
    ("follows", ("user_id", "kind", "value")),
    ("picks", ("user_id", "story_id")),
    ("api_passwords", ("user_id",)),
    ("reader_items", ("id",)),
    ("reader_marks", ("user_id", "story_id")),
)
#: Columns the target computes itself.
GENERATED = frozenset({"fts"})
BATCH = 500


def _columns(store: Any, table: str) -> list[str]:
    """The table's columns in a store (SQLite or PostgreSQL)."""
    from .sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        return [r[1] for r in store.query(f"PRAGMA table_info({table})")]
    return [r[0] for r in store.query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = current_schema() "
        "ORDER BY ordinal_position", (table,))]


def copy_database(source: Any, target: Any, *, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every table of ``source`` into ``target`` (both open stores); rows copied per table."""
    counts: dict[str, int] = {}
    for table, key in TABLES:
        columns = [c for c in _columns(source, table) if c not in GENERATED and c in set(_columns(target, table))]
        names = ", ".join(columns)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
        conflict = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        insert = (f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))}) "
                  f"ON CONFLICT ({', '.join(key)}) {conflict}")
        order = ", ".join(key)
        copied, after = 0, None
        while True:  # keyset pages: memory stays flat on a large database
            where = ""
            params: list[Any] = []
            if after is not None:
                where = f"WHERE ({order}) > ({', '.join('?' * len(key))})"
                params = list(after)
            rows = source.query(f"SELECT {names} FROM {table} {where} ORDER BY {order} LIMIT {BATCH}", params)
            if not rows:
                break
            values = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
            with target.write() as conn:
                conn.executemany(insert, values)
            copied += len(rows)
            after = tuple(rows[-1][columns.index(k)] for k in key)
            if progress:
                progress(table, copied)
        counts[table] = copied
    if hasattr(target, "reset_sequences"):
        target.reset_sequences()
    return counts
