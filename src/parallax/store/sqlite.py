"""The SQLite store: WAL journal, ``BEGIN IMMEDIATE`` writes, numbered migrations, FTS5 search.

>>> store = SQLiteStore(":memory:")
>>> store.stats()["articles"]
0

One connection per thread (the web app serves from a thread pool); every write goes through
:meth:`SQLiteStore.write`, one transaction that either lands whole or not at all, so a failure in
the middle of a batch never damages what was stored before.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..models import Article, Rejected, Story, Synthesis
from .accounts import AccountQueries
from .analyses import AnalysisQueries
from .feeds import FeedQueries
from .queries import CoreQueries
from .reader import ReaderQueries
from .versions import StoryVersions

log = logging.getLogger(__name__)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrations() -> list[tuple[int, str, str]]:
    """The numbered ``NNN_name.sql`` migrations shipped in the package, in order."""
    found = []
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class SQLiteStore(CoreQueries, FeedQueries, AccountQueries, ReaderQueries, StoryVersions, AnalysisQueries):
    """Parallax's default store, one SQLite file (or ``:memory:`` for one-shot runs)."""

    supports_fts = True
    #: The exceptions a violated UNIQUE or PRIMARY KEY constraint raises.
    integrity_errors: tuple[type[BaseException], ...] = (sqlite3.IntegrityError,)

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.url = self.path
        self.in_memory = self.shared_connection = self.path == ":memory:"
        self._local = threading.local()
        self._memory_conn: sqlite3.Connection | None = None
        self._write_lock = threading.RLock()
        if not self.in_memory:
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"database folder does not exist: {parent}")
        self.migrate()

    # -- connections -----------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA busy_timeout = 30000")
        if not self.in_memory:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (one shared connection for ``:memory:``)."""
        if self.shared_connection:
            if self._memory_conn is None:
                self._memory_conn = self._connect()
            return self._memory_conn
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        if self._memory_conn is not None:
            self._memory_conn.close()
            self._memory_conn = None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``): commits on success, rolls back on error."""
        with self._write_lock:
            conn = self.conn
            if conn.in_transaction:  # nested: join the outer transaction
                yield conn
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"database is busy or read-only: {exc}") from exc
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """One read snapshot (a deferred transaction; WAL readers never wait for the writer)."""
        conn = self.conn
        if conn.in_transaction:  # inside a write: it already sees one consistent state
            yield conn
            return
        with self._write_lock if self.shared_connection else _no_lock():
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    # -- migrations ------------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply the migrations this database has not seen yet; returns their names."""
        with self.write() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            applied = []
            for version, name, sql in migrations():
                if version in done:
                    continue
                for statement in _split_sql(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, now_iso()),
                )
                applied.append(name)
                log.info("applied migration %s", name)
        return applied

    # -- state blobs -----------------------------------------------------------------------

    def get_state(self, key: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return bytes(row[0]) if row else None

    def state_generations(self, keys: Sequence[str]) -> tuple[int, ...]:
        """How many times each state blob was saved (0 when absent): a cheap "did it change?" test."""
        marks = ",".join("?" * len(keys))
        found = dict(self.conn.execute(f"SELECT key, generation FROM state WHERE key IN ({marks})", list(keys)))
        return tuple(int(found.get(k, 0)) for k in keys)

    def set_state(self, key: str, value: bytes) -> None:
        """Save a state blob, bumping its generation."""
        with self.write() as conn:
            conn.execute(
                "INSERT INTO state (key, value, generation) VALUES (?, ?, 1) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, generation = state.generation + 1",
                (key, value),
            )

    # -- articles --------------------------------------------------------------------------

    def has_articles(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        ids = list(ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
        return found

    def upsert_articles(self, articles: Iterable[Article], story_of: dict[str, str] | None = None) -> int:
        """Insert or update articles (idempotent: the id is a content hash), in one ``executemany``
        (on PostgreSQL one pipelined round of statements, not a round trip per article)."""
        story_of = story_of or {}
        stamp = now_iso()
        rows = [
            (
                a.id, a.source, a.url, a.outlet, a.title, a.byline,
                a.published.isoformat() if a.published else None, a.language, a.text,
                a.duplicate_of, story_of.get(a.id), stamp,
                a.placed.isoformat() if a.placed and not a.published else None,
            )
            for a in articles
        ]
        with self.write() as conn:
            conn.executemany(
                """INSERT INTO articles (id, source, url, outlet, title, byline, published, language, text,
                                         duplicate_of, story_id, added_at, placed)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET
                     duplicate_of = excluded.duplicate_of,
                     story_id = COALESCE(excluded.story_id, articles.story_id),
                     placed = COALESCE(articles.placed, excluded.placed)""",
                rows,
            )
        return len(rows)

    def set_story_of(self, assignments: dict[str, str]) -> None:
        """Point articles (and their copies) at their story."""
        with self.write() as conn:
            for article_id, story_id in assignments.items():
                conn.execute(
                    "UPDATE articles SET story_id = ? WHERE id = ? OR duplicate_of = ?",
                    (story_id, article_id, article_id),
                )

    def add_rejections(self, rejected: Iterable[Rejected]) -> int:
        rows = [(r.source, r.stage, r.reason, now_iso()) for r in rejected]
        with self.write() as conn:
            conn.executemany("INSERT INTO rejections (source, stage, reason, at) VALUES (?, ?, ?, ?)", rows)
        return len(rows)

    # -- stories ---------------------------------------------------------------------------

    def save_story(self, story: Story, synthesis: Synthesis, articles: Sequence[Article]) -> None:
        """Store a story with its synthesis; ``articles`` are its canonical articles and copies.

        Unconditional (tests, benchmarks, imports): the pipeline saves through :meth:`save_synthesis`,
        which refuses a synthesis computed from an older membership.
        """
        with self.write() as conn:
            self._write_story(conn, story, synthesis, articles)
            conn.execute("UPDATE stories SET synthesis_version = members_version WHERE id = ?", (story.id,))

    def _write_story(self, conn: sqlite3.Connection, story: Story, synthesis: Synthesis,
                     articles: Sequence[Article]) -> None:
        published = sorted(a.published.isoformat() for a in articles if a.published)
        body = synthesis.to_dict()
        stamp = now_iso()
        conn.execute(
            """INSERT INTO stories (id, title, keywords, outlets, article_count, outlet_count,
                                    first_published, last_published, created_at, updated_at, synthesis,
                                    merged_into)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
               ON CONFLICT(id) DO UPDATE SET
                 title = excluded.title, keywords = excluded.keywords, outlets = excluded.outlets,
                 article_count = excluded.article_count, outlet_count = excluded.outlet_count,
                 first_published = excluded.first_published, last_published = excluded.last_published,
                 updated_at = excluded.updated_at, synthesis = excluded.synthesis, merged_into = NULL""",
            (
                story.id, synthesis.title or story.title, json.dumps(list(story.keywords)),
                json.dumps(list(synthesis.outlets)), len(articles), len(synthesis.outlets),
                published[0] if published else None, published[-1] if published else None,
                stamp, stamp, json.dumps(body, ensure_ascii=False),
            ),
        )
        conn.execute("DELETE FROM story_entities WHERE story_id = ?", (story.id,))
        conn.executemany(
            "INSERT OR REPLACE INTO story_entities (story_id, name, kind, mentions) VALUES (?, ?, ?, ?)",
            [(story.id, e.name, e.kind, e.mentions) for e in synthesis.entities],
        )

    def mark_merged(self, merged: dict[str, str]) -> None:
        """Record merged stories: each old id redirects to the surviving one."""
        with self.write() as conn:
            for old, new in merged.items():
                if old == new:
                    continue
                conn.execute(
                    "UPDATE stories SET merged_into = ?, synthesis = NULL, updated_at = ? WHERE id = ?",
                    (new, now_iso(), old),
                )
                conn.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (new, old))
                conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (new, old))
                conn.execute("DELETE FROM story_entities WHERE story_id = ?", (old,))


@contextmanager
def _no_lock() -> Iterator[None]:
    yield None


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping ``CREATE TRIGGER ... END;`` blocks whole."""
    statements, buffer = [], []
    for line in script.splitlines():
        stripped = line.strip()
        if not buffer and (not stripped or stripped.startswith("--")):
            continue
        buffer.append(line)
        candidate = "\n".join(buffer)
        if stripped.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buffer = []
    if "".join(buffer).strip():
        statements.append("\n".join(buffer))
    return statements
