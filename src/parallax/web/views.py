"""What each page shows, as plain data: the HTML page renders it, its ``/api/`` twin returns it.

>>> from parallax.store import open_store
>>> TopStories().page(open_store(":memory:"))["stories"]
[]
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from typing import Any

from ..clean.outlets import article_outlet
from ..models import Article
from ..rank import rank_stories
from ..store import SQLiteStore
from ..store.queries import story_row
from . import charts
from .security import plain_snippet, safe_url

#: Seconds after which a ranking is recomputed even when the stories table looks unchanged.
RANK_CACHE_SECONDS = 120.0
#: Stories on one page of the front page and of listings.
PAGE_SIZE = 30
#: Keys of the ``GET /api/stories`` items (extra ranking keys follow them).
LISTING_KEYS = ("id", "title", "article_count", "outlets", "updated")


def listing(story: dict[str, Any]) -> dict[str, Any]:
    """A story's listing form for the API: the documented keys first, then the rest."""
    item = {k: story.get(k) for k in LISTING_KEYS}
    for key in ("first_published", "last_published", "keywords", "because", "pinned_at"):
        if key in story:
            item[key] = story[key]
    return item


class TopStories:
    """The ranked front page.

    The order of every live story is computed once (``rank.py`` over the listing columns, read from
    the covering index ``stories_listing``) and reused until the stories table changes. When it
    changes, requests keep getting the previous order while one background thread computes the new
    one (stale-while-revalidate), so a busy poller never makes a reader wait for a re-rank; only
    the very first request of a process (or an in-memory store) waits.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[Any, ...] | None = None
        self._at = 0.0
        self._order: list[str] | None = None
        self._stats: dict[str, int] = {}
        self._refreshing = False

    @staticmethod
    def _fingerprint(store: SQLiteStore) -> tuple[Any, ...]:
        newest = store.query("SELECT MAX(updated_at) FROM stories")[0][0]
        count = store.query("SELECT COUNT(*) FROM stories")[0][0]
        live = store.query("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL")[0][0]
        return (store.path, count, live, newest)

    @staticmethod
    def compute(store: SQLiteStore) -> tuple[list[str], dict[str, int]]:
        """Every live story id, best first, and the store's counts."""
        rows = store.query(
            "SELECT id, article_count, first_published, last_published, updated_at, outlets FROM stories "
            "WHERE merged_into IS NULL"
        )
        minimal = [
            {"id": r[0], "article_count": r[1], "first_published": r[2], "last_published": r[3], "updated": r[4],
             "outlets": (None,) * _json_list_length(r[5])}
            for r in rows
        ]
        return [s["id"] for s in rank_stories(minimal)], store.stats()

    def _refresh(self, store: SQLiteStore, key: tuple[Any, ...]) -> None:
        try:
            order, stats = self.compute(store)
            with self._lock:
                self._key, self._at, self._order, self._stats = key, time.monotonic(), order, stats
        finally:
            with self._lock:
                self._refreshing = False

    def _current(self, store: SQLiteStore) -> tuple[list[str], dict[str, int]]:
        key = self._fingerprint(store)
        with self._lock:
            order, stale = self._order, key != self._key or time.monotonic() - self._at > RANK_CACHE_SECONDS
            start = stale and order is not None and not self._refreshing and store.path != ":memory:"
            if start:
                self._refreshing = True
        if order is None or (stale and store.path == ":memory:"):
            self._refresh(store, key)  # first request (or a single-connection store): wait for it
        elif start:
            threading.Thread(target=self._refresh, args=(store, key), name="parallax-rank", daemon=True).start()
        with self._lock:
            return self._order or [], self._stats

    def ranked_ids(self, store: SQLiteStore) -> list[str]:
        return self._current(store)[0]

    def stats(self, store: SQLiteStore) -> dict[str, int]:
        """``store.stats()`` as of the current ranking."""
        return self._current(store)[1]

    def page(self, store: SQLiteStore, *, offset: int = 0, limit: int = PAGE_SIZE) -> dict[str, Any]:
        order = self.ranked_ids(store)
        ids = order[offset : offset + limit]
        found = {s["id"]: s for s in listings(store, ids)}
        stories = [found[i] for i in ids if i in found]
        return {"stories": stories, "total": len(order), "offset": offset, "limit": limit}


def listings(store: SQLiteStore, ids: list[str]) -> list[dict[str, Any]]:
    """The listing form of live stories by id, read by primary key without their synthesis column.

    (``typeof(synthesis)`` reads only the record header: merged stories have none.)
    """
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = store.query(
        "SELECT id, title, keywords, outlets, article_count, first_published, last_published, updated_at "
        f"FROM stories WHERE id IN ({marks}) AND typeof(synthesis) != 'null' AND article_count >= 1",
        ids,
    )
    return [story_row(r) for r in rows]


def _json_list_length(text: str | None) -> int:
    """The number of items of a JSON list (0 for an empty or missing one)."""
    if not text or text == "[]":
        return 0
    return len(json.loads(text))


def _ordered_listings(store: SQLiteStore, ids: list[str]) -> list[dict[str, Any]]:
    found = {s["id"]: s for s in listings(store, ids)}
    return [found[i] for i in ids if i in found]


def entity_stories(store: SQLiteStore, name: str, *, limit: int = 100) -> list[dict[str, Any]]:
    """Live stories naming an entity (any case), newest first: ``store.stories_with_entity`` without
    reading each story's synthesis."""
    ids = [r[0] for r in store.query(
        """SELECT s.id FROM stories s JOIN story_entities e ON e.story_id = s.id
           WHERE e.name = ? COLLATE NOCASE AND s.merged_into IS NULL
           ORDER BY COALESCE(s.last_published, s.updated_at) DESC LIMIT ?""", (name, limit))]
    return _ordered_listings(store, ids)


def outlet_stories(store: SQLiteStore, outlet: str, *, limit: int = 100) -> list[dict[str, Any]]:
    """Live stories an outlet covered, newest first (``store.stories_from_outlet``, lighter)."""
    ids = [r[0] for r in store.query(
        """SELECT s.id FROM stories s WHERE s.merged_into IS NULL AND s.id IN
             (SELECT story_id FROM articles WHERE outlet = ? COLLATE NOCASE)
           ORDER BY COALESCE(s.last_published, s.updated_at) DESC LIMIT ?""", (outlet, limit))]
    return _ordered_listings(store, ids)


def outlet_summary(store: SQLiteStore, outlet: str) -> dict[str, Any] | None:
    """One outlet's row of ``store.outlets()`` (any case), or None when it has no article."""
    rows = store.query(
        "SELECT outlet, COUNT(*) AS articles, COUNT(DISTINCT story_id) AS stories, MIN(published) AS first, "
        "MAX(published) AS last FROM articles WHERE outlet = ? COLLATE NOCASE GROUP BY outlet "
        "ORDER BY articles DESC LIMIT 1",
        (outlet,),
    )
    return dict(rows[0]) if rows else None


def with_bars(stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stories with the geometry of their small coverage bar (``bar``)."""
    return [{**s, "bar": charts.coverage_bar(s.get("outlets") or [])} for s in stories]


def _outlets_of(ids: list[str], by_id: dict[str, Article]) -> list[str]:
    names: list[str] = []
    for article_id in ids:
        article = by_id.get(article_id)
        name = article_outlet(article) if article else "unknown"
        if name not in names:
            names.append(name)
    return names


def story_page(store: SQLiteStore, story: dict[str, Any]) -> dict[str, Any]:
    """Everything the story page draws: the synthesis plus articles, sources and chart geometry."""
    articles = store.story_articles(story["id"])
    by_id = {a.id: a for a in articles}

    def sources(ids: list[str]) -> list[dict[str, Any]]:
        out = []
        for name in _outlets_of(ids, by_id):
            first = next((by_id[i] for i in ids if i in by_id and article_outlet(by_id[i]) == name), None)
            out.append({"outlet": name, "cls": charts.outlet_class(name),
                        "article_id": first.id if first else None,
                        "url": safe_url(first.url) if first else None,
                        "title": (first.title if first else None) or name})
        return out

    summary = [{"text": s["text"], "sources": sources(s.get("article_ids") or [])} for s in story.get("summary", [])]
    claims: dict[str, list[dict[str, Any]]] = {"agreed": [], "contested": [], "single-source": []}
    for claim in story.get("claims", []):
        # One row per side and actor (its first report shown, the others folded under it), asserting side first.
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for p in claim.get("positions", []):
            key = (p.get("stance") or "asserts", p.get("actor") or "")
            ids = list(p.get("article_ids") or [])
            if key in rows:
                rows[key]["more"].append({**p, "sources": sources(ids)})
                rows[key]["ids"].extend(i for i in ids if i not in rows[key]["ids"])
            else:
                rows[key] = {**p, "more": [], "ids": ids}
        positions = [{**row, "sources": sources(row["ids"])} for row in rows.values()]
        positions.sort(key=lambda row: row.get("stance") != "asserts")
        claims.setdefault(claim.get("status", "single-source"), []).append({**claim, "positions": positions})
    speakers: dict[str, list[dict[str, Any]]] = {}
    for quote in story.get("quotes", []):
        speakers.setdefault(quote.get("speaker") or "Unattributed", []).append(
            {**quote, "sources": sources(quote.get("article_ids") or [])}
        )
    quote_groups = sorted(speakers.items(), key=lambda kv: (kv[0] == "Unattributed", -len(kv[1]), kv[0].lower()))
    figures = [{**f, "sources": sources(f.get("article_ids") or [])} for f in story.get("figures", [])]
    figures.sort(key=lambda f: (f.get("group") or "~", not f.get("disagrees"), f.get("text") or ""))
    timeline = [{**t, "sources": sources(t.get("article_ids") or [])}
                for t in sorted(story.get("timeline", []), key=lambda t: t.get("date") or "")]
    canonical = [a for a in articles if a.duplicate_of is None]
    copies: dict[str, list[Article]] = {}
    for a in articles:
        if a.duplicate_of is not None:
            copies.setdefault(a.duplicate_of, []).append(a)
    article_list = [
        {"article": a, "url": safe_url(a.url), "copies": [{"article": c, "url": safe_url(c.url)}
                                                          for c in copies.get(a.id, [])]}
        for a in sorted(canonical, key=lambda a: (a.published is None, a.published.isoformat() if a.published else ""))
    ]
    orphans = [c for cid, group in copies.items() if cid not in by_id for c in group]
    coverage = [{**c, "cls": charts.outlet_class(c.get("outlet"))} for c in story.get("coverage", [])]
    return {
        "story": story,
        "summary": summary,
        "claims": claims,
        "quote_groups": quote_groups,
        "figures": figures,
        "timeline": timeline,
        "entities": story.get("entities", []),
        "coverage": coverage,
        "chart": charts.coverage_timeline(articles),
        "articles": article_list,
        "orphan_copies": [{"article": c, "url": safe_url(c.url)} for c in orphans],
        "article_count": len(articles),
        "copy_count": sum(len(v) for v in copies.values()),
    }


def article_json(article: Article) -> dict[str, Any]:
    """An article for ``/api/stories/{id}/articles`` (its text included)."""
    return article.to_dict()


def search_results(store: SQLiteStore, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Search hits with the raw snippet (``snippet_marked``) and a plain one for JSON."""
    hits = store.search(query, limit=limit)
    return [{**h, "snippet_marked": h.get("snippet") or "", "snippet": plain_snippet(h.get("snippet")),
             "url": safe_url(h.get("url"))} for h in hits]


class LRU:
    """A tiny thread-safe LRU map (used for per-story page data keyed by update time)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return None

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
