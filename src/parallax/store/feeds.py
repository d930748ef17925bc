"""Store queries for feeds (live sources): mixed into the store classes.

>>> from parallax.store import open_store
>>> store = open_store(":memory:")
>>> feed = store.add_feed("https://example.org/feed.xml", title="Example")
>>> [f["title"] for f in store.list_feeds()], store.remove_feed(feed["id"])
(['Example'], True)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

#: Columns of a feed as returned by ``list_feeds()`` / ``feed()``.
FEED_COLUMNS = (
    "id", "url", "title", "site_url", "kind", "added_at", "last_fetch", "next_fetch", "last_status",
    "last_error", "entries", "failures", "interval", "last_new", "etag", "last_modified",
)
_UPDATABLE = frozenset(FEED_COLUMNS) - {"id", "added_at"}


def utc_iso(when: datetime | None = None) -> str:
    """A UTC timestamp in the store's sortable ISO form (seconds)."""
    return (when or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def _feed_id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class FeedQueries:
    """Feed rows and their polling status; needs ``self.conn`` and ``self.write()``."""

    conn: sqlite3.Connection

    def write(self) -> AbstractContextManager[sqlite3.Connection]:  # provided by the store class
        raise NotImplementedError

    # -- the interface the CLI and the web app use ------------------------------------------

    def add_feed(self, url: str, *, title: str | None = None, kind: str = "feed") -> dict[str, Any]:
        """Add a feed (or, with ``kind="page"``, one article URL); idempotent on ``url``."""
        url = url.strip()
        stamp = utc_iso()
        with self.write() as conn:
            conn.execute(
                "INSERT INTO feeds (url, title, kind, added_at, next_fetch) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET title = COALESCE(feeds.title, excluded.title)",
                (url, title, kind, stamp, stamp),
            )
            row = conn.execute("SELECT * FROM feeds WHERE url = ?", (url,)).fetchone()
        return _row(row)

    def list_feeds(self) -> list[dict[str, Any]]:
        """Every feed with its status, in the order they were added."""
        return [_row(r) for r in self.conn.execute("SELECT * FROM feeds ORDER BY id")]

    def feed(self, feed_id: int | str) -> dict[str, Any] | None:
        """One feed by id, or None."""
        fid = _feed_id(feed_id)
        if fid is None:
            return None
        row = self.conn.execute("SELECT * FROM feeds WHERE id = ?", (fid,)).fetchone()
        return _row(row) if row else None

    def feed_by_url(self, url: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM feeds WHERE url = ?", (url.strip(),)).fetchone()
        return _row(row) if row else None

    def remove_feed(self, feed_id: int | str) -> bool:
        """Forget a feed and the entries seen in it (its articles stay); False when unknown."""
        fid = _feed_id(feed_id)
        if fid is None:
            return False
        with self.write() as conn:
            gone = conn.execute("DELETE FROM feeds WHERE id = ?", (fid,)).rowcount
            conn.execute("DELETE FROM feed_entries WHERE feed_id = ?", (fid,))
        return gone > 0

    # -- the poller's side -----------------------------------------------------------------

    def due_feeds(self, now: str | None = None, *, also: Iterable[int] = ()) -> list[dict[str, Any]]:
        """Feeds whose next fetch is due at ``now`` (plus the ids in ``also``), most overdue first."""
        now = now or utc_iso()
        extra = sorted({int(i) for i in also})
        sql = "SELECT * FROM feeds WHERE (next_fetch IS NOT NULL AND next_fetch <= ?)"
        params: list[Any] = [now]
        if extra:
            sql += f" OR id IN ({','.join('?' * len(extra))})"
            params += extra
        sql += " ORDER BY next_fetch, id"
        return [_row(r) for r in self.conn.execute(sql, params)]

    def next_due(self) -> str | None:
        """The earliest next fetch of any feed, or None."""
        row = self.conn.execute("SELECT MIN(next_fetch) FROM feeds WHERE next_fetch IS NOT NULL").fetchone()
        return row[0] if row else None

    def seen_entries(self, feed_id: int, keys: Sequence[str]) -> set[str]:
        """The subset of entry ``keys`` already taken from this feed."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(
                f"SELECT key FROM feed_entries WHERE feed_id = ? AND key IN ({marks})", [feed_id, *chunk]))
        return found

    def record_poll(self, feed_id: int, *, new_entries: Iterable[tuple[str, str | None]] = (),
                    **fields: Any) -> None:
        """After a poll: mark entries seen and update the feed's status, in one transaction.

        Call it only once the new entries' articles are stored, so a crash in between re-reads them.
        """
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise ValueError(f"unknown feed field(s): {', '.join(sorted(unknown))}")
        stamp = utc_iso()
        with self.write() as conn:
            rows = [(feed_id, key, url, stamp) for key, url in new_entries]
            added = 0
            for chunk in _chunks(rows, 500):
                before = conn.total_changes
                conn.executemany(
                    "INSERT OR IGNORE INTO feed_entries (feed_id, key, url, seen_at) VALUES (?, ?, ?, ?)", chunk)
                added += conn.total_changes - before
            if added:
                fields["last_new"] = stamp
            sets = [f"{name} = ?" for name in fields]
            params: list[Any] = list(fields.values())
            sets.append("entries = entries + ?")
            params.append(added)
            conn.execute(f"UPDATE feeds SET {', '.join(sets)} WHERE id = ?", [*params, feed_id])

    def update_feed(self, feed_id: int, **fields: Any) -> None:
        """Change some columns of a feed."""
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise ValueError(f"unknown feed field(s): {', '.join(sorted(unknown))}")
        if not fields:
            return
        with self.write() as conn:
            conn.execute(f"UPDATE feeds SET {', '.join(f'{n} = ?' for n in fields)} WHERE id = ?",
                         [*fields.values(), feed_id])


def _row(row: sqlite3.Row) -> dict[str, Any]:
    return {name: row[name] for name in FEED_COLUMNS}


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
