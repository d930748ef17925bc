"""The PostgreSQL store: psycopg 3 with a connection pool, for several writer processes and machines.

>>> store = PostgresStore("postgresql://parallax@db.example/parallax")  # doctest: +SKIP

It runs the same queries as :class:`~parallax.store.sqlite.SQLiteStore` (the query mixins are
shared), through :class:`PgConnection`, which speaks SQLite's dialect of the few constructs they
use (``?`` parameters, ``INSERT OR IGNORE``, ``IS NOT`` between columns, ``INDEXED BY``), and
overrides what differs: full-text search (``tsvector`` and ``websearch_to_tsquery`` over the same
safe word list as FTS5) and the "has a synthesis" test.

Every write transaction first takes one transaction-scoped advisory lock
(``pg_advisory_xact_lock``), the counterpart of SQLite's ``BEGIN IMMEDIATE``: the pipeline's check of
the dedup and grouper state generations, the batch's articles, story versions and the saved state
land under that lock, so writers in different processes (or machines) never fork the state.
Reads outside a transaction borrow a pooled connection for one statement; :meth:`PostgresStore.read`
holds one ``REPEATABLE READ`` snapshot.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg_pool import ConnectionPool

from ..errors import StoreError
from .accounts import AccountQueries
from .analyses import AnalysisQueries
from .feeds import FeedQueries
from .queries import (  # noqa: F401
    MATCH_END,
    MATCH_START,
    SEARCH_COUNT_CAP,
    ArticleFilter,
    CoreQueries,
    fts_query,
    row_to_article,
)
from .reader import ReaderQueries
from .sqlite import SQLiteStore, now_iso
from .versions import StoryVersions

log = logging.getLogger(__name__)

#: The advisory lock every write transaction takes (one per database): "PRLX" as an integer.
WRITE_LOCK = 0x50524C58
#: Connections in the pool (a process's threads share them; a statement waits for a free one).
POOL_SIZE = 8


def migrations() -> list[tuple[int, str, str]]:
    """The numbered ``NNN_name.sql`` PostgreSQL migrations shipped in the package, in order."""
    found = []
    for entry in resources.files(__package__).joinpath("migrations_pg").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def redact(url: str) -> str:
    """The URL without its password (for messages and the front page's cache key)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class Row(tuple):
    """A result row read by position or by column name, like ``sqlite3.Row``."""

    __slots__ = ()
    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: psycopg.Cursor[Any]) -> Any:
    names = tuple(c.name for c in cursor.description or ())
    cls = type("Row", (Row,), {"__slots__": (), "_names": names})
    return lambda values: cls(values)


_OR_IGNORE = re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_OR_REPLACE = re.compile(r"\bINSERT\s+OR\s+REPLACE\s+INTO\s+(\w+)", re.IGNORECASE)
_INDEXED_BY = re.compile(r"\s+INDEXED\s+BY\s+\w+", re.IGNORECASE)
_IS_NOT = re.compile(r"\bIS\s+NOT\s+(?!NULL\b|DISTINCT\b)", re.IGNORECASE)
#: What ``INSERT OR REPLACE`` means for the tables it is used on (their primary key).
_REPLACE = {"story_entities": "(story_id, name) DO UPDATE SET kind = excluded.kind, mentions = excluded.mentions"}


def translate(sql: str) -> str:
    """SQLite's dialect (as the shared queries use it) in PostgreSQL's."""
    conflict = ""
    if _OR_IGNORE.search(sql):
        sql, conflict = _OR_IGNORE.sub("INSERT INTO", sql), " ON CONFLICT DO NOTHING"
    elif match := _OR_REPLACE.search(sql):
        table = match.group(1)
        sql, conflict = _OR_REPLACE.sub(f"INSERT INTO {table}", sql), f" ON CONFLICT {_REPLACE[table]}"
    sql = _INDEXED_BY.sub("", sql)
    sql = _IS_NOT.sub("IS DISTINCT FROM ", sql)
    sql = sql.replace("%", "%%").replace("?", "%s")
    return sql.rstrip().rstrip(";") + conflict


def _params(params: Any) -> Any:
    """Parameters as PostgreSQL takes them: text cannot hold NUL, which SQLite stores (a user's lookup of
    ``"a\\x00b"`` is a lookup of ``"ab"``; stored texts never hold control characters)."""
    if isinstance(params, dict):
        return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in params.items()}
    return [v.replace("\x00", "") if isinstance(v, str) else v for v in params] if params else params


class Result:
    """A finished statement's rows (read eagerly, so its connection can go back to the pool)."""

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = rows
        self._at = 0
        self.rowcount = rowcount

    def fetchone(self) -> Any:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list[Any]:
        rows, self._at = self._rows[self._at:], len(self._rows)
        return rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PgConnection:
    """The DB-API face the shared queries use (``execute``, ``executemany``, ``total_changes``)."""

    def __init__(self, store: PostgresStore, conn: psycopg.Connection[Any] | None = None) -> None:
        self._store = store
        self._conn = conn  # a transaction's connection; None: borrow one per statement
        self.total_changes = 0

    @property
    def in_transaction(self) -> bool:
        return self._conn is not None

    def _run(self, conn: psycopg.Connection[Any], sql: str, params: Any) -> Result:
        with conn.cursor() as cur:
            cur.execute(translate(sql), _params(params) or None)
            rows = cur.fetchall() if cur.description else []
            count = cur.rowcount
        if count > 0 and not rows:
            self.total_changes += count
        return Result(rows, count)

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Result:
        if self._conn is not None:
            return self._run(self._conn, sql, params)
        with self._store.pool.connection() as conn:
            return self._run(conn, sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Result:
        rows = list(rows)
        if not rows:
            return Result([], 0)
        if self._conn is None:
            with self._store.write() as conn:
                return conn.executemany(sql, rows)
        with self._conn.cursor() as cur:
            cur.executemany(translate(sql), [_params(row) for row in rows])
            count = cur.rowcount
        self.total_changes += max(count, 0)
        return Result([], count)


class PostgresStore(CoreQueries, FeedQueries, AccountQueries, ReaderQueries, StoryVersions, AnalysisQueries):
    """Parallax's store on a PostgreSQL server (``postgresql://user:password@host:port/database``)."""

    supports_fts = True
    in_memory = False
    shared_connection = False
    integrity_errors: tuple[type[BaseException], ...] = (psycopg.IntegrityError,)
    _HAS_SYNTHESIS = "synthesis IS NOT NULL"

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE) -> None:
        self.path = self.url = redact(url)
        self._local = threading.local()
        try:  # one direct attempt first: a wrong URL or a server that is down gets its own message
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot connect to {self.url}: {reason}") from None
        try:
            self.pool = ConnectionPool(
                url, min_size=1, max_size=pool_size, open=True, timeout=60, name="parallax",
                kwargs={"autocommit": True, "row_factory": _row_factory},
            )
            self.pool.wait(timeout=30)
        except Exception as exc:  # noqa: BLE001 - the pool wraps connection errors in its own
            raise StoreError(f"cannot connect to {self.url}: {exc}") from None
        self._idle = PgConnection(self)
        self.migrate()

    # -- connections -----------------------------------------------------------------------

    @property
    def conn(self) -> PgConnection:
        """This thread's transaction, or a connection borrowed for each statement."""
        return getattr(self._local, "tx", None) or self._idle

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def _transaction(self, *, lock: bool, isolation: str | None = None) -> Iterator[PgConnection]:
        current = getattr(self._local, "tx", None)
        if current is not None:  # nested: join the outer transaction
            yield current
            return
        with self.pool.connection() as raw:
            try:
                with raw.transaction():
                    if isolation:
                        raw.execute(f"SET TRANSACTION ISOLATION LEVEL {isolation}")
                    if lock:
                        raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                    tx = self._local.tx = PgConnection(self, raw)
                    try:
                        yield tx
                    finally:
                        self._local.tx = None
            except psycopg.OperationalError as exc:
                raise StoreError(f"database {self.url} failed: {exc}") from exc

    @contextmanager
    def write(self) -> Iterator[PgConnection]:
        """One write transaction under the store's advisory lock: commits on success, rolls back on error."""
        with self._transaction(lock=True) as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[PgConnection]:
        """One read snapshot (``REPEATABLE READ``; readers never wait for the writer)."""
        with self._transaction(lock=False, isolation="REPEATABLE READ") as tx:
            yield tx

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        return self.conn.execute(sql, params).fetchall()

    # -- migrations ------------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply the migrations this database has not seen yet (under the write lock); their names."""
        with self.write() as tx:
            raw = tx._conn
            assert raw is not None
            raw.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {row[0] for row in raw.execute("SELECT version FROM schema_migrations").fetchall()}
            applied = []
            for version, name, sql in migrations():
                if version in done:
                    continue
                raw.execute(sql.encode())  # no parameters: several statements in one go
                raw.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                            (version, name, now_iso()))
                applied.append(name)
                log.info("applied migration %s", name)
        return applied

    # -- what differs from SQLite -----------------------------------------------------------

    get_state = SQLiteStore.get_state
    state_generations = SQLiteStore.state_generations
    set_state = SQLiteStore.set_state
    has_articles = SQLiteStore.has_articles
    upsert_articles = SQLiteStore.upsert_articles
    set_story_of = SQLiteStore.set_story_of
    add_rejections = SQLiteStore.add_rejections
    save_story = SQLiteStore.save_story
    _write_story = SQLiteStore._write_story
    mark_merged = SQLiteStore.mark_merged

    def reset_sequences(self) -> None:
        """After rows were copied in with their ids (``parallax migrate``): new rows get ids above them."""
        with self.write() as conn:
            for table in ("feeds", "users", "rejections", "reader_items"):
                conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")

    def search(self, text: str, *, limit: int = 50) -> list[dict[str, Any]]:
        """Articles containing every word of ``text`` (the words FTS5 would be given), best first."""
        words = _words(text)
        if words is None:
            return []
        rows = self.conn.execute(
            """WITH q AS (SELECT plainto_tsquery('simple', ?) AS q),
                    hits AS (SELECT a.id, a.title, a.outlet, a.published, a.story_id, a.url, a.text,
                                    ts_rank(a.fts, q.q, 1) AS score
                             FROM articles a, q WHERE a.fts @@ q.q ORDER BY score DESC, a.id LIMIT ?)
               SELECT h.id, h.title, h.outlet, h.published, h.story_id, h.url,
                      ts_headline('simple', h.text, q.q, ?) AS snippet
               FROM hits h, q ORDER BY h.score DESC, h.id""",
            (words, limit, _HEADLINE),
        ).fetchall()
        return [{k: r[k] for k in ("id", "title", "outlet", "published", "story_id", "url", "snippet")}
                for r in rows]

    def search_filtered(self, text: str, flt: ArticleFilter | None = None, *, limit: int = 50, offset: int = 0,
                        count_cap: int = SEARCH_COUNT_CAP) -> tuple[list[dict[str, Any]], int]:
        """:meth:`CoreQueries.search_filtered` with PostgreSQL's text search: every word required
        (``plainto_tsquery``), ranked by ``ts_rank``, the snippet by ``ts_headline`` with the same marks."""
        words = _words(text)
        if words is None:
            return [], 0
        where, params = (flt or ArticleFilter()).conditions()
        total = self.conn.execute(
            f"WITH q AS (SELECT plainto_tsquery('simple', ?) AS q) SELECT COUNT(*) FROM "
            f"(SELECT 1 FROM articles a, q WHERE a.fts @@ q.q AND {where} LIMIT ?) t",
            [words, *params, count_cap + 1]).fetchone()[0]
        rows = self.conn.execute(
            f"""WITH q AS (SELECT plainto_tsquery('simple', ?) AS q)
                SELECT a.id, a.title, a.outlet, a.published, a.story_id, a.url, a.duplicate_of,
                       ts_headline('simple', a.text, q.q, ?) AS snippet
                FROM articles a, q WHERE a.fts @@ q.q AND {where}
                ORDER BY ts_rank(a.fts, q.q, 1) DESC, a.id LIMIT ? OFFSET ?""",
            [words, _HEADLINE, *params, limit, offset]).fetchall()
        return [{k: r[k] for k in ("id", "title", "outlet", "published", "story_id", "url", "duplicate_of", "snippet")}
                for r in rows], total

    def _matching_story_ids(self, kind: str, value: str, *, limit: int) -> set[str]:
        if kind in ("entity", "outlet"):
            return AccountQueries._matching_story_ids(self, kind, value, limit=limit)
        found = {r[0] for r in self.conn.execute(
            "SELECT s.id FROM stories s WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text(s.keywords::jsonb) k "
            "WHERE k COLLATE nocase = ?) LIMIT ?", (value, limit))}
        words = _words(value)
        if words is not None:
            rows = self.conn.execute(
                "SELECT DISTINCT story_id FROM articles WHERE to_tsvector('simple', coalesce(title, '')) "
                "@@ plainto_tsquery('simple', ?) AND story_id IS NOT NULL LIMIT ?", (words, limit))
            found.update(r[0] for r in rows)
        return found


#: ``ts_headline`` options: FTS5's snippet for PostgreSQL (the same match marks, about 16 words).
_HEADLINE = f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=16, MinWords=6, ShortWord=0, MaxFragments=1"


def _words(text: str) -> str | None:
    """The words of a user's query, as FTS5 is given them (``fts_query``), for ``plainto_tsquery``.

    Every word is required; no operator, quote or bracket reaches the parser, so no input fails.
    """
    query = fts_query(text)
    return None if query is None else query.replace('"', "")

