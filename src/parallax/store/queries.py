"""Read-side queries of the store: articles, stories (with redirects), search, entities, outlets."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..models import Article

#: Marks around matched words in search snippets; the web layer escapes the text, then swaps them.
MATCH_START, MATCH_END = "\x02", "\x03"

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """A safe FTS5 query from any user string: every word quoted, all required; None if no word."""
    words = _WORD.findall(text or "")[:32]
    if not words:
        return None
    return " ".join('"' + w.replace('"', "") + '"' for w in words)


def row_to_article(row: sqlite3.Row) -> Article:
    published = row["published"]
    placed = row["placed"] if "placed" in row.keys() else None  # noqa: SIM118 (a Row's `in` looks at values)
    return Article(
        id=row["id"],
        source=row["source"],
        text=row["text"],
        url=row["url"],
        outlet=row["outlet"],
        title=row["title"],
        byline=row["byline"],
        published=datetime.fromisoformat(published) if published else None,
        language=row["language"],
        duplicate_of=row["duplicate_of"],
        placed=datetime.fromisoformat(placed) if placed and not published else None,
    )


def story_row(row: sqlite3.Row) -> dict[str, Any]:
    """The listing form of a story (``GET /api/stories`` items, plus ranking fields)."""
    return {
        "id": row["id"],
        "title": row["title"],
        "article_count": row["article_count"],
        "outlets": json.loads(row["outlets"] or "[]"),
        "updated": row["updated_at"],
        "first_published": row["first_published"],
        "last_published": row["last_published"],
        "keywords": json.loads(row["keywords"] or "[]"),
    }


def _json_list_length(text: str | None) -> int:
    """The number of items of a JSON list (0 for an empty or missing one)."""
    if not text or text == "[]":
        return 0
    return len(json.loads(text))


#: Search counts its matches up to this many (a common word matches tens of thousands of articles).
SEARCH_COUNT_CAP = 1000


class CoreQueries:
    """Mixed into the store classes; needs ``self.conn`` (a DB-API connection with Row rows) and ``self.url``."""

    conn: sqlite3.Connection
    url: str

    # -- articles --------------------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row_to_article(row) if row else None

    def articles(self, ids: Iterable[str]) -> list[Article]:
        """Articles by id, in the order given (unknown ids are left out)."""
        ids = list(ids)
        found: dict[str, Article] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT * FROM articles WHERE id IN ({marks})", chunk):
                found[row["id"]] = row_to_article(row)
        return [found[i] for i in ids if i in found]

    def story_articles(self, story_id: str) -> list[Article]:
        """A story's canonical articles and copies, oldest first."""
        rows = self.conn.execute(
            "SELECT * FROM articles WHERE story_id = ? ORDER BY COALESCE(published, placed, added_at), id", (story_id,)
        ).fetchall()
        return [row_to_article(r) for r in rows]

    def all_articles(self, *, canonical_only: bool = False) -> list[Article]:
        where = "WHERE duplicate_of IS NULL" if canonical_only else ""
        rows = self.conn.execute(f"SELECT * FROM articles {where} ORDER BY COALESCE(published, placed, added_at), id")
        return [row_to_article(r) for r in rows]

    def rejections(self, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT source, stage, reason, at FROM rejections ORDER BY id DESC LIMIT ?", (limit,))
        return [dict(r) for r in rows]

    # -- stories ---------------------------------------------------------------------------

    def resolve_story_id(self, story_id: str) -> str | None:
        """The live id a story id stands for now (following merges), or None when unknown."""
        seen = set()
        current = story_id
        while current not in seen:
            seen.add(current)
            row = self.conn.execute("SELECT merged_into FROM stories WHERE id = ?", (current,)).fetchone()
            if row is None:
                return None
            if row["merged_into"] is None:
                return current
            current = row["merged_into"]
        return None

    def story(self, story_id: str) -> dict[str, Any] | None:
        """The story object of docs/json.md for a live id (callers resolve redirects first)."""
        row = self.conn.execute(
            "SELECT synthesis FROM stories WHERE id = ? AND merged_into IS NULL", (story_id,)
        ).fetchone()
        if row is None or row["synthesis"] is None:
            return None
        return json.loads(row["synthesis"])

    def story_listing(self, story_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        return story_row(row) if row else None

    def list_stories(
        self, *, limit: int = 50, offset: int = 0, ids: Sequence[str] | None = None, min_articles: int = 1
    ) -> list[dict[str, Any]]:
        """Live stories, newest update first (``rank.py`` orders them for the front page)."""
        sql = "SELECT * FROM stories WHERE merged_into IS NULL AND synthesis IS NOT NULL AND article_count >= ?"
        params: list[Any] = [min_articles]
        if ids is not None:
            if not ids:
                return []
            sql += f" AND id IN ({','.join('?' * len(ids))})"
            params.extend(ids)
        sql += " ORDER BY COALESCE(last_published, updated_at) DESC, id LIMIT ? OFFSET ?"
        params += [limit, offset]
        return [story_row(r) for r in self.conn.execute(sql, params)]

    def stories_with_entity(self, name: str, *, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT s.* FROM stories s JOIN story_entities e ON e.story_id = s.id
               WHERE e.name = ? COLLATE NOCASE AND s.merged_into IS NULL
               ORDER BY COALESCE(s.last_published, s.updated_at) DESC LIMIT ?""",
            (name, limit),
        )
        return [story_row(r) for r in rows]

    def stories_from_outlet(self, outlet: str, *, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            """SELECT s.* FROM stories s WHERE s.merged_into IS NULL AND s.synthesis IS NOT NULL AND s.id IN
                 (SELECT story_id FROM articles WHERE outlet = ? COLLATE NOCASE)
               ORDER BY COALESCE(s.last_published, s.updated_at) DESC LIMIT ?""",
            (outlet, limit),
        )
        return [story_row(r) for r in rows]

    def entity_kinds(self, name: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT name, kind, SUM(mentions) AS mentions, COUNT(*) AS stories FROM story_entities "
            "WHERE name = ? COLLATE NOCASE GROUP BY name, kind ORDER BY mentions DESC LIMIT 1",
            (name,),
        ).fetchone()
        return dict(row) if row else None

    def top_entities(self, *, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT name, kind, SUM(mentions) AS mentions, COUNT(*) AS stories FROM story_entities e "
            "JOIN stories s ON s.id = e.story_id AND s.merged_into IS NULL "
            "GROUP BY name, kind ORDER BY stories DESC, mentions DESC LIMIT ?",
            (limit,),
        )
        return [dict(r) for r in rows]

    def outlets(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT outlet, COUNT(*) AS articles, COUNT(DISTINCT story_id) AS stories, MIN(published) AS first, "
            "MAX(published) AS last FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY articles DESC"
        )
        return [dict(r) for r in rows]

    def story_of_article(self, article_id: str) -> str | None:
        """The story an article was stored with (as stored: callers resolve merges), or None."""
        row = self.conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row and row[0] else None

    # -- the web app's light read paths ----------------------------------------------------

    def stories_fingerprint(self) -> tuple[Any, ...]:
        """Changes whenever a story is added, merged or updated (the front page's cache key)."""
        row = self.conn.execute(
            "SELECT MAX(updated_at), COUNT(*), SUM(CASE WHEN merged_into IS NULL THEN 1 ELSE 0 END) FROM stories"
        ).fetchone()
        return (self.url, row[1], row[2] or 0, row[0])

    def rank_inputs(self) -> list[dict[str, Any]]:
        """The columns ``rank.py`` needs of every live story (``outlets`` as a count of outlets)."""
        rows = self.conn.execute(
            "SELECT id, article_count, first_published, last_published, updated_at, outlets FROM stories "
            "WHERE merged_into IS NULL"
        )
        return [
            {"id": r[0], "article_count": r[1], "first_published": r[2], "last_published": r[3], "updated": r[4],
             "outlets": (None,) * _json_list_length(r[5])}
            for r in rows
        ]

    #: Of the live stories asked for, those with a synthesis (``typeof`` reads only the record header).
    _HAS_SYNTHESIS = "typeof(synthesis) != 'null'"

    def listings(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """The listing form of live stories by id, read by primary key without their synthesis column."""
        if not ids:
            return []
        found: list[dict[str, Any]] = []
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT id, title, keywords, outlets, article_count, first_published, last_published, updated_at "
                f"FROM stories WHERE id IN ({marks}) AND {self._HAS_SYNTHESIS} AND article_count >= 1",
                chunk,
            )
            found.extend(story_row(r) for r in rows)
        return found

    def outlet_summary(self, outlet: str) -> dict[str, Any] | None:
        """One outlet's row of :meth:`outlets` (any case), or None when it has no article."""
        row = self.conn.execute(
            "SELECT outlet, COUNT(*) AS articles, COUNT(DISTINCT story_id) AS stories, MIN(published) AS first, "
            "MAX(published) AS last FROM articles WHERE outlet = ? COLLATE NOCASE GROUP BY outlet "
            "ORDER BY articles DESC LIMIT 1",
            (outlet,),
        ).fetchone()
        return dict(row) if row else None

    # -- the web app's filtered lists (filters: :class:`ArticleFilter`) ----------------------

    def stories_matching(self, flt: ArticleFilter) -> set[str]:
        """Ids of the stories with at least one article that passes ``flt``."""
        where, params = flt.conditions()
        rows = self.conn.execute(
            f"SELECT DISTINCT a.story_id FROM articles a WHERE a.story_id IS NOT NULL AND {where}", params)
        return {r[0] for r in rows}

    def _story_ids_page(self, base: str, params: list[Any], flt: ArticleFilter | None, limit: int | None,
                        offset: int) -> tuple[list[str], int]:
        flt = flt or ArticleFilter()
        where, extra = flt.conditions()
        if flt.active:  # per listed story, through the articles_story index (never a scan of every article)
            base += f" AND EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND {where})"
            params = [*params, *extra]
        total = self.conn.execute(f"SELECT COUNT(*) FROM stories s WHERE {base}", params).fetchone()[0]
        sql = f"SELECT s.id FROM stories s WHERE {base} ORDER BY COALESCE(s.last_published, s.updated_at) DESC, s.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        return [r[0] for r in self.conn.execute(sql, params)], total

    def entity_story_ids(self, name: str, flt: ArticleFilter | None = None, *, limit: int | None = 100,
                         offset: int = 0) -> tuple[list[str], int]:
        """Live stories naming an entity (any case) with an article passing ``flt``, newest first; and
        how many there are in all."""
        base = ("s.merged_into IS NULL AND s.id IN (SELECT e.story_id FROM story_entities e "
                "WHERE e.name = ? COLLATE NOCASE)")
        return self._story_ids_page(base, [name], flt, limit, offset)

    def outlet_story_ids(self, outlet: str, flt: ArticleFilter | None = None, *, limit: int | None = 100,
                         offset: int = 0) -> tuple[list[str], int]:
        """Live stories an outlet covered with an article passing ``flt``, newest first; and the total."""
        base = "s.merged_into IS NULL AND s.id IN (SELECT story_id FROM articles WHERE outlet = ? COLLATE NOCASE)"
        return self._story_ids_page(base, [outlet], flt, limit, offset)

    def search_filtered(self, text: str, flt: ArticleFilter | None = None, *, limit: int = 50, offset: int = 0,
                        count_cap: int = SEARCH_COUNT_CAP) -> tuple[list[dict[str, Any]], int]:
        """Articles matching every word of ``text`` and passing ``flt``, best first (snippet marks
        unescaped); and how many match in all, counted up to ``count_cap`` (``count_cap + 1`` means more)."""
        query = fts_query(text)
        if query is None:
            return [], 0
        where, params = (flt or ArticleFilter()).conditions()
        try:
            total = self.conn.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                f"WHERE articles_fts MATCH ? AND {where} LIMIT ?) AS hits", [query, *params, count_cap + 1]).fetchone()[0]
            rows = self.conn.execute(
                f"""SELECT a.id, a.title, a.outlet, a.published, a.story_id, a.url, a.duplicate_of,
                          snippet(articles_fts, 1, '{MATCH_START}', '{MATCH_END}', '…', 16) AS snippet
                   FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
                   WHERE articles_fts MATCH ? AND {where} ORDER BY bm25(articles_fts, 4.0, 1.0) LIMIT ? OFFSET ?""",
                [query, *params, limit, offset],
            ).fetchall()
        except sqlite3.OperationalError:
            return [], 0
        return [dict(r) for r in rows], total

    def copies_of(self, article_id: str) -> list[Article]:
        """The syndicated copies of an article, oldest first."""
        rows = self.conn.execute(
            "SELECT * FROM articles WHERE duplicate_of = ? ORDER BY COALESCE(published, placed, added_at), id",
            (article_id,))
        return [row_to_article(r) for r in rows]

    def entity_count(self) -> int:
        """How many distinct (name, kind) entities live stories name (the entities page's total)."""
        return self.conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM story_entities e JOIN stories s ON s.id = e.story_id "
            "AND s.merged_into IS NULL GROUP BY name, kind) AS named").fetchone()[0]

    def languages(self) -> list[str]:
        """The language codes of stored articles, most common first (the filter's choices)."""
        rows = self.conn.execute("SELECT lower(language) AS l, COUNT(*) AS n FROM articles WHERE language IS NOT NULL "
                                 "AND language != '' GROUP BY l ORDER BY n DESC LIMIT 50")
        return [r[0] for r in rows]

    def article_facts(self) -> list[tuple[str, str | None, str | None, str | None]]:
        """``(story_id, outlet, published, language)`` of every article in a story (the filters' facts)."""
        rows = self.conn.execute("SELECT story_id, outlet, published, language FROM articles WHERE story_id IS NOT NULL")
        return [tuple(r) for r in rows]

    def outlet_articles_in(self, outlet: str, story_ids: Sequence[str]) -> list[tuple[str, str, str | None]]:
        """``(story_id, article id, title)`` of an outlet's articles (any case) in the given stories."""
        found: list[tuple[str, str, str | None]] = []
        ids = list(story_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.conn.execute(
                f"SELECT story_id, id, title FROM articles WHERE outlet = ? COLLATE NOCASE AND story_id IN "
                f"({','.join('?' * len(chunk))}) ORDER BY COALESCE(published, placed, added_at), id", [outlet, *chunk])
            found.extend((r[0], r[1], r[2]) for r in rows)
        return found

    # -- search ----------------------------------------------------------------------------

    def search(self, text: str, *, limit: int = 50) -> list[dict[str, Any]]:
        """Articles matching every word of ``text``, best first, with a snippet (marks unescaped)."""
        query = fts_query(text)
        if query is None:
            return []
        try:
            rows = self.conn.execute(
                f"""SELECT a.id, a.title, a.outlet, a.published, a.story_id, a.url,
                          snippet(articles_fts, 1, '{MATCH_START}', '{MATCH_END}', '…', 16) AS snippet
                   FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
                   WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 4.0, 1.0) LIMIT ?""",
                (query, limit),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [dict(r) for r in rows]

    def stats(self) -> dict[str, int]:
        one = self.conn.execute
        return {
            "articles": one("SELECT COUNT(*) FROM articles").fetchone()[0],
            "copies": one("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0],
            "stories": one("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL").fetchone()[0],
            "rejections": one("SELECT COUNT(*) FROM rejections").fetchone()[0],
        }


# -- filtered reads (the web app's filters; read-only) ------------------------------------------


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a reader asked for: a publication window (ISO bounds, inclusive; undated
    articles fall outside any window), outlets to keep or leave out (any case), a language code.

    >>> ArticleFilter().active
    False
    >>> ArticleFilter(outlets=("BBC",)).conditions()
    ('a.outlet COLLATE NOCASE IN (?)', ['BBC'])
    """

    published_from: str | None = None
    published_to: str | None = None
    outlets: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    language: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.published_from or self.published_to or self.outlets or self.exclude or self.language)

    def conditions(self, alias: str = "a") -> tuple[str, list[Any]]:
        """A SQL condition over ``articles AS alias`` and its parameters ("1 = 1" when nothing is asked)."""
        parts: list[str] = []
        params: list[Any] = []
        if self.published_from:
            parts.append(f"{alias}.published >= ?")
            params.append(self.published_from)
        if self.published_to:
            parts.append(f"{alias}.published <= ?")
            params.append(self.published_to)
        if self.outlets:
            parts.append(f"{alias}.outlet COLLATE NOCASE IN ({','.join('?' * len(self.outlets))})")
            params.extend(self.outlets)
        if self.exclude:
            parts.append(f"({alias}.outlet IS NULL OR {alias}.outlet COLLATE NOCASE NOT IN "
                         f"({','.join('?' * len(self.exclude))}))")
            params.extend(self.exclude)
        if self.language:
            parts.append(f"lower({alias}.language) = ?")
            params.append(self.language.lower())
        return (" AND ".join(parts) or "1 = 1"), params

    def matches(self, article: Article) -> bool:
        """The same test in Python, for articles already read (a story's own articles)."""
        published = article.published.isoformat() if article.published else None
        if (self.published_from or self.published_to) and published is None:
            return False
        if self.published_from and published < self.published_from:  # type: ignore[operator]
            return False
        if self.published_to and published > self.published_to:  # type: ignore[operator]
            return False
        outlet = (article.outlet or "").lower()
        if self.outlets and outlet not in {o.lower() for o in self.outlets}:
            return False
        if self.exclude and article.outlet and outlet in {o.lower() for o in self.exclude}:
            return False
        return not (self.language and (article.language or "").lower() != self.language.lower())
