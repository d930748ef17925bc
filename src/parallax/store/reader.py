"""Store queries for feed-reader clients: API passwords, item numbers, read and starred marks.

>>> from parallax.store import open_store
>>> store = open_store(":memory:")
>>> me = store.local_user()["id"]
>>> store.item_numbers(["story-a", "story-b"]) == store.item_numbers(["story-b", "story-a"])
True
>>> store.set_marks(me, ["story-a"], read=True)
1
>>> sorted(store.marked_story_ids(me, "read"))
['story-a']

The API password arrives here already hashed (argon2, as login passwords are) together with the
SHA-256 of its Fever key, so a copy of the database holds neither the password nor a usable key.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from ..errors import StoreError

Mark = Literal["read", "starred"]
_COLUMNS = {"read": ("is_read", "read_at"), "starred": ("is_starred", "starred_at")}
_CHUNK = 500


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ReaderQueries:
    """API passwords, item numbers and marks; needs ``self.conn`` and ``self.write()``."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:  # provided by the store class and AccountQueries

        def write(self) -> AbstractContextManager[sqlite3.Connection]: ...

        def _matching_story_ids(self, kind: str, value: str, *, limit: int) -> set[str]: ...

    # -- API passwords ---------------------------------------------------------------------

    def set_api_password(self, user_id: int, password_hash: str, fever_key: str) -> None:
        """Set (or replace) a user's API password: its argon2 hash and the SHA-256 of its Fever key."""
        with self.write() as conn:
            conn.execute("DELETE FROM api_passwords WHERE user_id = ? OR fever_key = ?", (user_id, fever_key))
            conn.execute(
                "INSERT INTO api_passwords (user_id, password_hash, fever_key, created_at) VALUES (?, ?, ?, ?)",
                (user_id, password_hash, fever_key, _now()),
            )

    def delete_api_password(self, user_id: int) -> bool:
        """Revoke a user's API password; True when there was one."""
        with self.write() as conn:
            cur = conn.execute("DELETE FROM api_passwords WHERE user_id = ?", (user_id,))
        return cur.rowcount > 0

    def api_password(self, user_id: int) -> dict[str, Any] | None:
        """``{"password_hash", "created_at"}`` of a user's API password, or None."""
        row = self.conn.execute(
            "SELECT password_hash, created_at FROM api_passwords WHERE user_id = ?", (user_id,)
        ).fetchone()
        return {"password_hash": row["password_hash"], "created_at": row["created_at"]} if row else None

    def user_by_fever_key(self, fever_key: str) -> dict[str, Any] | None:
        """The user whose Fever key hashes to ``fever_key`` (no password hash in the answer)."""
        row = self.conn.execute(
            "SELECT u.id, u.username, u.role, u.created_at FROM api_passwords p JOIN users u ON u.id = p.user_id "
            "WHERE p.fever_key = ?", (fever_key,)
        ).fetchone()
        return dict(row) if row else None

    # -- item numbers ----------------------------------------------------------------------

    def item_numbers(self, story_ids: Sequence[str]) -> dict[str, int]:
        """Each story's stable item number (given on first sight, never reused)."""
        ids = list(dict.fromkeys(story_ids))
        found = self._item_numbers(ids)
        missing = [i for i in ids if i not in found]
        if missing:
            with self.write() as conn:
                for story_id in missing:
                    conn.execute("INSERT OR IGNORE INTO reader_items (story_id) VALUES (?)", (story_id,))
            found.update(self._item_numbers(missing))
        return found

    def _item_numbers(self, ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT id, story_id FROM reader_items WHERE story_id IN ({marks})", chunk):
                found[row["story_id"]] = int(row["id"])
        return found

    def item_story_ids(self, numbers: Iterable[int]) -> dict[int, str]:
        """The story of each known item number (unknown numbers are left out)."""
        nums = [n for n in dict.fromkeys(numbers) if 0 < n < 2**63]
        found: dict[int, str] = {}
        for start in range(0, len(nums), _CHUNK):
            chunk = nums[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT id, story_id FROM reader_items WHERE id IN ({marks})", chunk):
                found[int(row["id"])] = row["story_id"]
        return found

    # -- marks -----------------------------------------------------------------------------

    def set_marks(self, user_id: int, story_ids: Iterable[str], *, read: bool | None = None,
                  starred: bool | None = None) -> int:
        """Mark stories read or unread, starred or not, for one user; returns how many stories."""
        ids = list(dict.fromkeys(story_ids))
        changes = [(m, v) for m, v in (("read", read), ("starred", starred)) if v is not None]
        if not changes or not ids:
            return 0
        stamp = _now()
        with self.write() as conn:
            for mark, value in changes:
                flag, at = _COLUMNS[mark]
                conn.executemany(
                    f"""INSERT INTO reader_marks (user_id, story_id, {flag}, {at}) VALUES (?, ?, ?, ?)
                        ON CONFLICT(user_id, story_id) DO UPDATE SET {flag} = excluded.{flag}, {at} = excluded.{at}""",
                    [(user_id, story_id, int(bool(value)), stamp if value else None) for story_id in ids],
                )
        return len(ids)

    def marked_story_ids(self, user_id: int, mark: Mark) -> set[str]:
        """The stories a user marked read (or starred)."""
        if mark not in _COLUMNS:
            raise StoreError(f"unknown mark {mark!r} (one of {', '.join(_COLUMNS)})")
        flag = _COLUMNS[mark][0]
        rows = self.conn.execute(f"SELECT story_id FROM reader_marks WHERE user_id = ? AND {flag} = 1", (user_id,))
        return {r[0] for r in rows}

    def follow_story_ids(self, kind: str, value: str, *, limit: int = 1000) -> set[str]:
        """Ids of live stories about one followed entity, topic or outlet (what "For you" matches)."""
        return self._matching_story_ids(kind, value, limit=limit)
