"""What each page shows, as plain data: the HTML page renders it, its ``/api/`` twin returns it.

>>> from parallax.store import open_store
>>> TopStories().page(open_store(":memory:"))["stories"]
[]
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from ..models import Article
from ..rank import rank_stories
from ..store import Store
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
    def _fingerprint(store: Store) -> tuple[Any, ...]:
        return store.stories_fingerprint()

    @staticmethod
    def compute(store: Store) -> tuple[list[str], dict[str, int]]:
        """Every live story id, best first, and the store's counts."""
        return [s["id"] for s in rank_stories(store.rank_inputs())], store.stats()

    def _refresh(self, store: Store, key: tuple[Any, ...]) -> None:
        try:
            order, stats = self.compute(store)
            with self._lock:
                self._key, self._at, self._order, self._stats = key, time.monotonic(), order, stats
        finally:
            with self._lock:
                self._refreshing = False

    def _current(self, store: Store) -> tuple[list[str], dict[str, int]]:
        key = self._fingerprint(store)
        with self._lock:
            order, stale = self._order, key != self._key or time.monotonic() - self._at > RANK_CACHE_SECONDS
            start = stale and order is not None and not self._refreshing and not store.shared_connection
            if start:
                self._refreshing = True
        if order is None or (stale and store.shared_connection):
            self._refresh(store, key)  # first request (or a single-connection store): wait for it
        elif start:
            threading.Thread(target=self._refresh, args=(store, key), name="parallax-rank", daemon=True).start()
        with self._lock:
            return self._order or [], self._stats

    def ranked_ids(self, store: Store) -> list[str]:
        return self._current(store)[0]

    def stats(self, store: Store) -> dict[str, int]:
        """``store.stats()`` as of the current ranking."""
        return self._current(store)[1]

    def page(self, store: Store, *, offset: int = 0, limit: int = PAGE_SIZE) -> dict[str, Any]:
        order = self.ranked_ids(store)
        ids = order[offset : offset + limit]
        found = {s["id"]: s for s in listings(store, ids)}
        stories = [found[i] for i in ids if i in found]
        return {"stories": stories, "total": len(order), "offset": offset, "limit": limit}


def listings(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """The listing form of live stories by id, read without their synthesis (``store.listings``)."""
    return store.listings(ids)


def _ordered_listings(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    found = {s["id"]: s for s in listings(store, ids)}
    return [found[i] for i in ids if i in found]


def entity_stories(store: Store, name: str, *, limit: int = 100) -> list[dict[str, Any]]:
    """Live stories naming an entity (any case), newest first: ``store.stories_with_entity`` without
    reading each story's synthesis."""
    ids = store.entity_story_ids(name, limit=limit)
    return _ordered_listings(store, ids)


def outlet_stories(store: Store, outlet: str, *, limit: int = 100) -> list[dict[str, Any]]:
    """Live stories an outlet covered, newest first (``store.stories_from_outlet``, lighter)."""
    ids = store.outlet_story_ids(outlet, limit=limit)
    return _ordered_listings(store, ids)


def outlet_summary(store: Store, outlet: str) -> dict[str, Any] | None:
    """One outlet's row of ``store.outlets()`` (any case), or None when it has no article."""
    return store.outlet_summary(outlet)


def with_bars(stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stories with the geometry of their small coverage bar (``bar``)."""
    return [{**s, "bar": charts.coverage_bar(s.get("outlets") or [])} for s in stories]


def _outlets_of(ids: list[str], by_id: dict[str, Article]) -> list[str]:
    names: list[str] = []
    for article_id in ids:
        article = by_id.get(article_id)
        name = (article.outlet if article else None) or "unknown outlet"
        if name not in names:
            names.append(name)
    return names


def story_page(store: Store, story: dict[str, Any]) -> dict[str, Any]:
    """Everything the story page draws: the synthesis plus articles, sources and chart geometry."""
    articles = store.story_articles(story["id"])
    by_id = {a.id: a for a in articles}

    def sources(ids: list[str]) -> list[dict[str, Any]]:
        out = []
        for name in _outlets_of(ids, by_id):
            first = next((by_id[i] for i in ids if i in by_id and (by_id[i].outlet or "unknown outlet") == name), None)
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


def search_results(store: Store, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
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
