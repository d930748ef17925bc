"""What each page shows, as plain data: the HTML page renders it, its ``/api/`` twin returns it.

>>> from parallax.store import open_store
>>> TopStories().page(open_store(":memory:"))["stories"]
[]
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import UTC
from typing import Any
from urllib.parse import quote as url_quote

from ..clean.outlets import article_outlet
from ..models import Article
from ..rank import rank_stories
from ..store import Store
from ..store.queries import SEARCH_COUNT_CAP, ArticleFilter
from . import charts
from .facts import ArticleFacts, read_facts
from .security import plain_snippet, safe_url

#: Seconds after which a ranking is recomputed even when the stories table looks unchanged.
RANK_CACHE_SECONDS = 120.0
#: Seconds a look at the stories table is reused within a process (one page asks several times).
FINGERPRINT_SECONDS = 0.25
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
        self._matched = LRU(64)
        self._facts: ArticleFacts | None = None
        self._facts_key: tuple[Any, ...] | None = None
        self._facts_refreshing = False

    def _fingerprint(self, store: Store) -> tuple[Any, ...]:
        """What the stories table looks like now (``store.stories_fingerprint``), reused for a quarter of a
        second on a shared database, so the several parts of one page (ranking, filters, choices, counts)
        read it once."""
        memo = getattr(self, "_memo", None)
        if memo is not None and not store.in_memory and memo[0] is store \
                and time.monotonic() - memo[1] < FINGERPRINT_SECONDS:
            return memo[2]
        key = store.stories_fingerprint()
        self._memo = (store, time.monotonic(), key)
        return key

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

    def choices(self, store: Store) -> dict[str, list[str]]:
        """The filter form's choices (outlet names, language codes), read again when the stories change."""
        key = ("choices", self._fingerprint(store))
        found = self._matched.get(key)
        if found is None:
            found = {"outlet_names": [o["outlet"] for o in store.outlets()],
                     "languages": store.languages()}
            self._matched.put(key, found)
        return found

    def _refresh_facts(self, store: Store, key: tuple[Any, ...]) -> None:
        try:
            facts = read_facts(store)
            with self._lock:
                self._facts, self._facts_key = facts, key
        finally:
            with self._lock:
                self._facts_refreshing = False

    def facts(self, store: Store) -> tuple[ArticleFacts, tuple[Any, ...]]:
        """Every article's filterable facts and the fingerprint they were read at: read again in a
        background thread when the stories change (requests keep the previous copy meanwhile)."""
        key = self._fingerprint(store)
        with self._lock:
            facts, stale = self._facts, key != self._facts_key
            start = stale and facts is not None and not self._facts_refreshing and not store.in_memory
            if start:
                self._facts_refreshing = True
        if facts is None or (stale and store.in_memory):
            self._refresh_facts(store, key)
        elif start:
            threading.Thread(target=self._refresh_facts, args=(store, key), name="parallax-facts", daemon=True).start()
        with self._lock:
            assert self._facts is not None and self._facts_key is not None
            return self._facts, self._facts_key

    def matching(self, store: Store, flt: ArticleFilter) -> set[str]:
        """The ids of stories with an article passing ``flt`` (``facts.py``), kept per filter until the
        stories change."""
        facts, at = self.facts(store)
        found = self._matched.get((at, flt))
        if found is None:
            found = facts.match(flt)
            self._matched.put((at, flt), found)
        return found

    def page(self, store: Store, *, offset: int = 0, limit: int = PAGE_SIZE,
             flt: ArticleFilter | None = None) -> dict[str, Any]:
        order = self.ranked_ids(store)
        if flt is not None and flt.active:
            matched = self.matching(store, flt)
            order = [i for i in order if i in matched]
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


def _page_of(ids: list[str], total: int, flt: ArticleFilter | None, top: TopStories | None, store: Store,
             limit: int | None) -> tuple[list[str], int]:
    """Narrow an unfiltered, ordered id list to the stories passing ``flt`` (from the front page's
    in-memory facts), then cut it to ``limit``."""
    if flt is not None and flt.active and top is not None:
        matched = top.matching(store, flt)
        ids = [i for i in ids if i in matched]
        total = len(ids)
    return (ids if limit is None else ids[:limit]), total


def entity_stories(store: Store, name: str, *, flt: ArticleFilter | None = None,
                   limit: int | None = 100, top: TopStories | None = None) -> tuple[list[dict[str, Any]], int]:
    """Live stories naming an entity (any case), newest first, and how many there are in all. With
    ``top``, filters are answered from its in-memory facts; without, in SQL."""
    if flt is not None and flt.active and top is not None:
        ids, total = _page_of(*store.entity_story_ids(name, limit=None),
                              flt, top, store, limit)
    else:
        ids, total = store.entity_story_ids(name, flt, limit=limit)
    return _ordered_listings(store, ids), total


def outlet_stories(store: Store, outlet: str, *, flt: ArticleFilter | None = None,
                   limit: int | None = 100, top: TopStories | None = None) -> tuple[list[dict[str, Any]], int]:
    """Live stories an outlet covered, newest first, and how many there are in all (filters as
    ``entity_stories``)."""
    if flt is not None and flt.active and top is not None:
        ids, total = _page_of(*store.outlet_story_ids(outlet, limit=None),
                              flt, top, store, limit)
    else:
        ids, total = store.outlet_story_ids(outlet, flt, limit=limit)
    return _ordered_listings(store, ids), total


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
        name = article_outlet(article) if article else "unknown"
        if name not in names:
            names.append(name)
    return names


def _published(a: Article) -> str:
    return a.published.isoformat() if a.published else ""


def _when(a: Article) -> str:
    """Where the article stands in time (its date, else its feed's or file's time) as ISO text; ""
    when it has neither. Orders lists; never shown as the article's date."""
    when = a.when
    if when is not None:
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when.isoformat() if when else ""


def who_covered(articles: list[Article], synthesised: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per outlet of ``articles`` (copies and undated articles included): its articles, when it
    first published (None when none of its articles is dated), and what only it reports (from the
    synthesis). Outlets that reported first come first, an undated article counting by its feed or
    file time; outlets whose articles have neither come last."""
    exclusive = {c.get("outlet"): list(c.get("exclusive") or []) for c in synthesised}
    rows: dict[str, dict[str, Any]] = {}
    for a in articles:
        name = article_outlet(a)
        row = rows.setdefault(name, {"outlet": name, "cls": charts.outlet_class(name), "articles": [],
                                     "first_seen": None, "undated": 0, "copies": 0,
                                     "exclusive": exclusive.get(name, [])})
        row["articles"].append({"id": a.id, "title": a.title or "Untitled", "is_copy": a.duplicate_of is not None,
                                "published": _published(a) or None})
        row["copies"] += a.duplicate_of is not None
        if a.published is None:
            row["undated"] += 1
        elif row["first_seen"] is None or _published(a) < row["first_seen"]:
            row["first_seen"] = _published(a)
        if _when(a) and ("placed_at" not in row or _when(a) < row["placed_at"]):
            row["placed_at"] = _when(a)  # undated articles count by their feed or file time
    return sorted(rows.values(), key=lambda r: ("placed_at" not in r, r.get("placed_at") or "", r["outlet"].lower()))


def story_page(store: Store, story: dict[str, Any], flt: ArticleFilter | None = None) -> dict[str, Any]:
    """Everything the story page draws: the synthesis plus articles, sources and chart geometry.

    With active filters the article list, the chart and "who covered it" show only the articles that
    pass; the synthesis (written from every article) is shown whole, and the page says so."""
    every = store.story_articles(story["id"])
    by_id = {a.id: a for a in every}
    articles = [a for a in every if flt.matches(a)] if flt is not None and flt.active else every

    def sources(ids: list[str]) -> list[dict[str, Any]]:
        out = []
        for name in _outlets_of(ids, by_id):
            first = next((by_id[i] for i in ids if i in by_id and article_outlet(by_id[i]) == name), None)
            out.append({"outlet": name, "cls": charts.outlet_class(name),
                        "article_id": first.id if first else None,
                        "href": f"/articles/{url_quote(first.id, safe='')}" if first else None,
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
    shown_ids = {a.id for a in articles}
    canonical = [a for a in articles if a.duplicate_of is None]
    copies: dict[str, list[Article]] = {}
    for a in articles:
        if a.duplicate_of is not None:
            copies.setdefault(a.duplicate_of, []).append(a)
    article_list = [
        {"article": a, "url": safe_url(a.url), "copies": [{"article": c, "url": safe_url(c.url)}
                                                          for c in copies.get(a.id, [])]}
        for a in sorted(canonical, key=lambda a: (a.when is None, _when(a)))
    ]
    orphans = [c for cid, group in copies.items() if cid not in shown_ids for c in group]
    undated = sorted((a for a in articles if a.published is None), key=lambda a: (a.when is None, _when(a)))
    return {
        "story": story,
        "summary": summary,
        "claims": claims,
        "quote_groups": quote_groups,
        "figures": figures,
        "timeline": timeline,
        "entities": story.get("entities", []),
        "coverage": who_covered(articles, story.get("coverage", [])),
        "chart": charts.coverage_timeline(articles),
        "undated": undated,
        "articles": article_list,
        "orphan_copies": [{"article": c, "url": safe_url(c.url)} for c in orphans],
        "article_count": len(every),
        "copy_count": sum(1 for a in every if a.duplicate_of is not None),
        "shown_count": len(articles),
        "filtered": flt is not None and flt.active,
    }


def article_json(article: Article) -> dict[str, Any]:
    """An article for ``/api/stories/{id}/articles`` (its text included)."""
    return article.to_dict()


def search_cap(offset: int, limit: int) -> int:
    """Up to how many matches a search counts: the cap, or past the page asked for."""
    return max(SEARCH_COUNT_CAP, offset + limit)


def search_results(store: Store, query: str, *, flt: ArticleFilter | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Search hits with the raw snippet (``snippet_marked``) and a plain one for JSON; and how many
    articles match in all."""
    hits, total = store.search_filtered(query, flt, limit=limit, offset=offset, count_cap=search_cap(offset, limit))
    return [{**h, "snippet_marked": h.get("snippet") or "", "snippet": plain_snippet(h.get("snippet")),
             "url": safe_url(h.get("url"))} for h in hits], total


def paragraphs(text: str) -> list[str]:
    """An article's cleaned text as paragraphs (its lines; blank lines dropped)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _brief(a: Article) -> dict[str, Any]:
    return {"id": a.id, "outlet": a.outlet, "title": a.title, "published": _published(a) or None,
            "url": safe_url(a.url), "duplicate_of": a.duplicate_of}


def article_page(store: Store, article_id: str) -> dict[str, Any] | None:
    """Everything the article page draws: the article, its story, its copies or original, and the
    outlet's other articles in the story; None for an unknown id."""
    article = store.article(article_id)
    if article is None:
        return None
    story_id = store.story_of_article(article_id)
    live = store.resolve_story_id(story_id) if story_id else None
    story = store.story_listing(live) if live else None
    siblings = store.story_articles(live) if live else []
    outlet = (article.outlet or "").lower()
    same_outlet = [a for a in siblings if a.id != article.id and (a.outlet or "").lower() == outlet]
    original = store.article(article.duplicate_of) if article.duplicate_of else None
    return {
        "article": article,
        "url": safe_url(article.url),
        "paragraphs": paragraphs(article.text),
        "story": story,
        "copies": [_brief(c) for c in store.copies_of(article.id)],
        "original": _brief(original) if original else None,
        "same_outlet": [_brief(a) for a in same_outlet],
    }


def article_page_json(data: dict[str, Any]) -> dict[str, Any]:
    """The article page's JSON twin: the article object of docs/json.md plus its neighbours."""
    a: Article = data["article"]
    story = data["story"]
    return {**a.to_dict(), "language": a.language, "undated": a.published is None,
            "paragraphs": data["paragraphs"],
            "story": {"id": story["id"], "title": story["title"]} if story else None,
            "original": data["original"], "copies": data["copies"], "same_outlet": data["same_outlet"]}


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


def outlet_articles_by_story(store: Store, outlet: str, story_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """For the outlet page: each listed story's articles from this outlet (links to the article pages)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for story_id, article_id, title in store.outlet_articles_in(outlet, story_ids):
        found.setdefault(story_id, []).append({"id": article_id, "title": title or "Untitled"})
    return found
