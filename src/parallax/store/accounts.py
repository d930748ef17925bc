"""Store queries for readers: accounts, sessions, follows, mutes and picks; mixed into the store.

>>> from parallax.store import open_store
>>> store = open_store(":memory:")
>>> me = store.local_user()
>>> store.follow(me["id"], "entity", "Olaf Scholz")
>>> [f["value"] for f in store.follows(me["id"])]
['Olaf Scholz']

Passwords arrive here already hashed (argon2, in ``web/security.py``); session tokens arrive as
their SHA-256, so a copy of the database never holds a usable session cookie.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from ..errors import StoreError
from .queries import fts_query, story_row

FollowKind = Literal["entity", "topic", "outlet"]
Role = Literal["admin", "reader"]

#: The implicit user of single-user mode.
LOCAL_USER = "local"
FOLLOW_KINDS: tuple[str, ...] = ("entity", "topic", "outlet")
ROLES: tuple[str, ...] = ("admin", "reader")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _public(row: sqlite3.Row | None) -> dict[str, Any] | None:
    """A user row without its password hash."""
    if row is None:
        return None
    user = dict(row)
    user.pop("password_hash", None)
    return user


class AccountQueries:
    """Users, follows and picks; needs ``self.conn`` and ``self.write()``."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:  # provided by the store class and CoreQueries

        def write(self) -> AbstractContextManager[sqlite3.Connection]: ...

        integrity_errors: tuple[type[BaseException], ...]

        def list_stories(self, **kwargs: Any) -> list[dict[str, Any]]: ...

        def resolve_story_id(self, story_id: str) -> str | None: ...

    # -- users -----------------------------------------------------------------------------

    def local_user(self) -> dict[str, Any]:
        """The implicit admin of single-user mode, created on first use."""
        row = self.conn.execute("SELECT * FROM users WHERE username = ?", (LOCAL_USER,)).fetchone()
        if row is None:
            with self.write() as conn:
                conn.execute(
                    "INSERT OR IGNORE INTO users (username, password_hash, role, created_at) VALUES (?, NULL, 'admin', ?)",
                    (LOCAL_USER, _now()),
                )
            row = self.conn.execute("SELECT * FROM users WHERE username = ?", (LOCAL_USER,)).fetchone()
        user = _public(row)
        assert user is not None
        return user

    def add_user(self, username: str, password_hash: str, *, role: Role = "reader") -> dict[str, Any]:
        """Create an account; raises StoreError when the name is taken or the role unknown."""
        name = username.strip()
        if not name or name.lower() == LOCAL_USER:
            raise StoreError(f"invalid user name: {username!r}")
        if role not in ROLES:
            raise StoreError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
        try:
            with self.write() as conn:
                conn.execute(
                    "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                    (name, password_hash, role, _now()),
                )
        except self.integrity_errors:
            raise StoreError(f"user {name!r} already exists") from None
        user = self.user_by_name(name)
        assert user is not None
        return user

    def user(self, user_id: int) -> dict[str, Any] | None:
        return _public(self.conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone())

    def user_by_name(self, username: str) -> dict[str, Any] | None:
        return _public(self.conn.execute("SELECT * FROM users WHERE username = ?", (username.strip(),)).fetchone())

    def password_hash(self, user_id: int) -> str | None:
        row = self.conn.execute("SELECT password_hash FROM users WHERE id = ?", (user_id,)).fetchone()
        return row["password_hash"] if row else None

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        with self.write() as conn:
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))

    def list_users(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT id, username, role, created_at FROM users ORDER BY username")
        return [dict(r) for r in rows]

    # -- sessions --------------------------------------------------------------------------

    def create_session(self, token_hash: str, user_id: int, *, expires_at: str) -> None:
        with self.write() as conn:
            conn.execute("DELETE FROM sessions WHERE expires_at < ?", (_now(),))
            conn.execute(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                (token_hash, user_id, _now(), expires_at),
            )

    def session_user(self, token_hash: str) -> dict[str, Any] | None:
        """The user of a live session, or None when unknown or expired."""
        row = self.conn.execute(
            "SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?",
            (token_hash, _now()),
        ).fetchone()
        return _public(row)

    def delete_session(self, token_hash: str) -> None:
        with self.write() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    # -- follows and mutes -----------------------------------------------------------------

    def follow(self, user_id: int, kind: FollowKind, value: str, *, muted: bool = False) -> None:
        """Follow (or, with ``muted``, mute) an entity, topic or outlet; replaces the opposite."""
        value = value.strip()
        if kind not in FOLLOW_KINDS:
            raise StoreError(f"unknown follow kind {kind!r} (one of {', '.join(FOLLOW_KINDS)})")
        if not value:
            raise StoreError("nothing to follow: empty name")
        with self.write() as conn:
            conn.execute(
                """INSERT INTO follows (user_id, kind, value, muted, created_at) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT(user_id, kind, value) DO UPDATE SET muted = excluded.muted""",
                (user_id, kind, value[:200], int(muted), _now()),
            )

    def unfollow(self, user_id: int, kind: str, value: str) -> bool:
        """Drop a follow or a mute; True when there was one."""
        with self.write() as conn:
            cur = conn.execute(
                "DELETE FROM follows WHERE user_id = ? AND kind = ? AND value = ?", (user_id, kind, value.strip())
            )
        return cur.rowcount > 0

    def follows(self, user_id: int) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT kind, value, muted, created_at FROM follows WHERE user_id = ? ORDER BY muted, kind, value",
            (user_id,),
        )
        return [{**dict(r), "muted": bool(r["muted"])} for r in rows]

    def follow_state(self, user_id: int, kind: str, value: str) -> str | None:
        """``"following"``, ``"muted"`` or None for one entity/topic/outlet."""
        row = self.conn.execute(
            "SELECT muted FROM follows WHERE user_id = ? AND kind = ? AND value = ?", (user_id, kind, value.strip())
        ).fetchone()
        if row is None:
            return None
        return "muted" if row["muted"] else "following"

    def _matching_story_ids(self, kind: str, value: str, *, limit: int) -> set[str]:
        """Ids of live stories about one entity, topic or outlet."""
        if kind == "entity":
            sql = "SELECT story_id FROM story_entities WHERE name = ? COLLATE NOCASE LIMIT ?"
            return {r[0] for r in self.conn.execute(sql, (value, limit))}
        if kind == "outlet":
            sql = "SELECT DISTINCT story_id FROM articles WHERE outlet = ? COLLATE NOCASE AND story_id IS NOT NULL LIMIT ?"
            return {r[0] for r in self.conn.execute(sql, (value, limit))}
        found = {
            r[0]
            for r in self.conn.execute(
                "SELECT s.id FROM stories s, json_each(s.keywords) k WHERE k.value = ? COLLATE NOCASE LIMIT ?",
                (value, limit),
            )
        }
        query = fts_query(value)
        if query is not None:
            try:
                rows = self.conn.execute(
                    """SELECT DISTINCT a.story_id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
                       WHERE articles_fts MATCH ? AND a.story_id IS NOT NULL LIMIT ?""",
                    ("{title} : (" + query + ")", limit),
                )
                found.update(r[0] for r in rows)
            except sqlite3.OperationalError:
                pass
        return found

    def for_you(self, user_id: int, *, limit: int = 100) -> list[dict[str, Any]]:
        """Live stories matching the user's follows, minus those matching a mute, newest first.

        Each story carries ``because``: the follows it matched, as ``{"kind", "value"}``.
        """
        wanted: dict[str, list[dict[str, str]]] = {}
        hidden: set[str] = set()
        for f in self.follows(user_id):
            ids = self._matching_story_ids(f["kind"], f["value"], limit=5000)
            if f["muted"]:
                hidden |= ids
                continue
            for story_id in ids:
                wanted.setdefault(story_id, []).append({"kind": f["kind"], "value": f["value"]})
        ids = [i for i in wanted if i not in hidden]
        stories = self.list_stories(ids=ids, limit=limit) if ids else []
        return [{**s, "because": wanted[s["id"]]} for s in stories]

    # -- picks -----------------------------------------------------------------------------

    def pin(self, user_id: int, story_id: str, *, note: str | None = None) -> None:
        with self.write() as conn:
            conn.execute(
                """INSERT INTO picks (user_id, story_id, note, created_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT(user_id, story_id) DO UPDATE SET note = excluded.note""",
                (user_id, story_id, note, _now()),
            )

    def unpin(self, user_id: int, story_id: str) -> bool:
        with self.write() as conn:
            cur = conn.execute("DELETE FROM picks WHERE user_id = ? AND story_id = ?", (user_id, story_id))
        return cur.rowcount > 0

    def picks(self, user_id: int) -> list[dict[str, Any]]:
        """Pinned stories (listing form plus ``pinned_at``), newest pin first; merged ids followed."""
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for row in self.conn.execute(
            "SELECT story_id, note, created_at FROM picks WHERE user_id = ? ORDER BY created_at DESC, story_id",
            (user_id,),
        ).fetchall():
            live = self.resolve_story_id(row["story_id"])
            if live is None or live in seen:
                continue
            listing = self._live_listing(live)
            if listing is None:
                continue
            seen.add(live)
            out.append({**listing, "pinned_at": row["created_at"], "note": row["note"]})
        return out

    def pinned_ids(self, user_id: int) -> set[str]:
        rows = self.conn.execute("SELECT story_id FROM picks WHERE user_id = ?", (user_id,))
        return {r[0] for r in rows}

    def _live_listing(self, story_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT * FROM stories WHERE id = ? AND merged_into IS NULL AND synthesis IS NOT NULL", (story_id,)
        ).fetchone()
        return story_row(row) if row else None
