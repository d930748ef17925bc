"""Read routes: each page (HTML) beside its JSON twin under ``/api/``, and the Atom feeds.

>>> [r.path for r in pages.routes][:2]
['/', '/stories/{story_id}']
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.responses import RedirectResponse, Response

from ..clean.outlets import article_outlet
from ..store.queries import fts_query
from . import views
from .atom import ATOM_TYPE, Entry, atom_feed
from .context import Web, WebContext, current_user, path_quote, require_user
from .security import SafeJSONResponse

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", default_response_class=SafeJSONResponse)
feeds_atom = APIRouter(include_in_schema=False)

#: Longest search query kept (longer input is cut, never refused).
MAX_QUERY_CHARS = 500


def _story_or_redirect(web: WebContext, story_id: str, prefix: str, suffix: str = "") -> dict[str, Any] | Response:
    """The story object, a redirect to its live id when it was merged, or 404."""
    live = web.store.resolve_story_id(story_id)
    if live is None:
        raise HTTPException(status_code=404, detail=f"no story {story_id!r}")
    if live != story_id:
        return RedirectResponse(f"{prefix}{path_quote(live)}{suffix}", status_code=308)
    story = web.store.story(live)
    if story is None:
        raise HTTPException(status_code=404, detail=f"story {story_id!r} has no synthesis yet")
    return story


def _offset(value: int) -> int:
    return max(0, min(value, 1_000_000))


# -- top stories ----------------------------------------------------------------------------


def _top(web: WebContext, request: Request, offset: int) -> dict[str, Any]:
    page = web.top.page(web.store, offset=offset)
    user = current_user(request)
    pinned: list[dict[str, Any]] = []
    if user is not None and offset == 0:
        pinned = web.store.picks(user["id"])[:5]
    return {**page, "pinned": pinned}


@pages.get("/")
def top_page(web: Web, request: Request, offset: int = Query(0, ge=0)) -> Response:
    data = _top(web, request, _offset(offset))
    pinned_ids = {s["id"] for s in data["pinned"]}
    stories = views.with_bars([s for s in data["stories"] if s["id"] not in pinned_ids])
    return web.render(request, "top.html", {**data, "stories": stories, "pinned": views.with_bars(data["pinned"]),
                                            "stats": web.top.stats(web.store)})


@api.get("/stories", summary="Top stories, ranked")
def top_api(web: Web, request: Request, offset: int = Query(0, ge=0), limit: int = Query(views.PAGE_SIZE, ge=1, le=500)) -> Any:
    """``{"stories": [{"id", "title", "article_count", "outlets", "updated", ...}], "total": N}``."""
    page = web.top.page(web.store, offset=_offset(offset), limit=limit)
    return {"stories": [views.listing(s) for s in page["stories"]], "total": page["total"],
            "offset": page["offset"]}


# -- one story ------------------------------------------------------------------------------


@pages.get("/stories/{story_id}")
def story_page(web: Web, request: Request, story_id: str) -> Response:
    found = _story_or_redirect(web, story_id, "/stories/")
    if isinstance(found, Response):
        return found
    user = current_user(request)
    data = views.story_page(web.store, found)
    pinned = user is not None and found["id"] in web.store.pinned_ids(user["id"])
    following = {}
    if user is not None:
        following = {f["value"].lower(): ("muted" if f["muted"] else "following")
                     for f in web.store.follows(user["id"]) if f["kind"] == "entity"}
    return web.render(request, "story.html", {**data, "pinned": pinned, "following": following})


@api.get("/stories/{story_id}", summary="One story: the story object of docs/json.md")
def story_api(web: Web, story_id: str) -> Any:
    return _story_or_redirect(web, story_id, "/api/stories/")


@api.get("/stories/{story_id}/articles", summary="A story's articles; copies carry duplicate_of")
def story_articles_api(web: Web, story_id: str) -> Any:
    found = _story_or_redirect(web, story_id, "/api/stories/", "/articles")
    if isinstance(found, Response):
        return found
    return {"story_id": found["id"], "articles": [views.article_json(a) for a in web.store.story_articles(found["id"])]}


# -- search ---------------------------------------------------------------------------------


def _query(q: str | None) -> str:
    return (q or "")[:MAX_QUERY_CHARS]


@pages.get("/search")
def search_page(web: Web, request: Request, q: str | None = None) -> Response:
    query = _query(q)
    results = views.search_results(web.store, query) if query else []
    return web.render(request, "search.html", {"q": query, "results": results,
                                               "searchable": fts_query(query) is not None})


@api.get("/search", summary="Full-text search over articles")
def search_api(web: Web, q: str | None = None, limit: int = Query(50, ge=1, le=200)) -> Any:
    query = _query(q)
    hits = views.search_results(web.store, query, limit=limit) if query else []
    return {"query": query, "results": [{k: v for k, v in h.items() if k != "snippet_marked"} for h in hits]}


# -- entities -------------------------------------------------------------------------------


@pages.get("/entities")
def entities_page(web: Web, request: Request) -> Response:
    return web.render(request, "entities.html", {"entities": web.store.top_entities(limit=200)})


@api.get("/entities", summary="The most covered people, organisations and places")
def entities_api(web: Web, limit: int = Query(100, ge=1, le=1000)) -> Any:
    return {"entities": web.store.top_entities(limit=limit)}


def _entity(web: WebContext, request: Request, name: str) -> dict[str, Any]:
    info = web.store.entity_kinds(name)
    stories = views.entity_stories(web.store, name)
    if info is None and not stories:
        raise HTTPException(status_code=404, detail=f"no entity {name!r}")
    user = current_user(request)
    state = web.store.follow_state(user["id"], "entity", name) if user else None
    return {"name": (info or {}).get("name", name), "entity": info, "stories": stories, "follow": state}


@pages.get("/entities/{name:path}")
def entity_page(web: Web, request: Request, name: str) -> Response:
    data = _entity(web, request, name)
    return web.render(request, "entity.html", {**data, "more": max(0, len(data["stories"]) - views.PAGE_SIZE),
                                                 "stories": views.with_bars(data["stories"][: views.PAGE_SIZE])})


@api.get("/entities/{name:path}", summary="One entity and the stories about it")
def entity_api(web: Web, request: Request, name: str) -> Any:
    data = _entity(web, request, name)
    return {**data, "stories": [views.listing(s) for s in data["stories"]]}


# -- outlets --------------------------------------------------------------------------------


@pages.get("/outlets")
def outlets_page(web: Web, request: Request) -> Response:
    return web.render(request, "outlets.html", {"outlets": web.store.outlets()})


@api.get("/outlets", summary="Every outlet with its article and story counts")
def outlets_api(web: Web) -> Any:
    return {"outlets": web.store.outlets()}


def _outlet(web: WebContext, request: Request, name: str) -> dict[str, Any]:
    info = views.outlet_summary(web.store, name)
    if info is None:
        raise HTTPException(status_code=404, detail=f"no outlet {name!r}")
    user = current_user(request)
    state = web.store.follow_state(user["id"], "outlet", info["outlet"]) if user else None
    return {"name": info["outlet"], "outlet": info, "stories": views.outlet_stories(web.store, info["outlet"]),
            "follow": state}


@pages.get("/outlets/{name:path}")
def outlet_page(web: Web, request: Request, name: str) -> Response:
    data = _outlet(web, request, name)
    return web.render(request, "outlet.html", {**data, "more": max(0, len(data["stories"]) - views.PAGE_SIZE),
                                                 "stories": views.with_bars(data["stories"][: views.PAGE_SIZE])})


@api.get("/outlets/{name:path}", summary="One outlet and the stories it covered")
def outlet_api(web: Web, request: Request, name: str) -> Any:
    data = _outlet(web, request, name)
    return {**data, "stories": [views.listing(s) for s in data["stories"]]}


# -- for you and picks ------------------------------------------------------------------------


def _for_you(web: WebContext, user: dict[str, Any]) -> dict[str, Any]:
    return {"follows": web.store.follows(user["id"]), "stories": web.store.for_you(user["id"])}


@pages.get("/for-you")
def for_you_page(web: Web, request: Request) -> Response:
    user = require_user(request)
    data = _for_you(web, user)
    return web.render(request, "for_you.html", {**data, "stories": views.with_bars(data["stories"])})


@api.get("/for-you", summary="Stories matching followed entities, topics and outlets (mutes hidden)")
def for_you_api(web: Web, request: Request) -> Any:
    data = _for_you(web, require_user(request))
    return {**data, "stories": [views.listing(s) for s in data["stories"]]}


@pages.get("/picks")
def picks_page(web: Web, request: Request) -> Response:
    user = require_user(request)
    return web.render(request, "picks.html", {"stories": views.with_bars(web.store.picks(user["id"]))})


@api.get("/picks", summary="Pinned stories")
def picks_api(web: Web, request: Request) -> Any:
    user = require_user(request)
    return {"stories": [views.listing(s) for s in web.store.picks(user["id"])]}


# -- session --------------------------------------------------------------------------------


@api.get("/session", summary="Who is asking, and the CSRF token for state-changing API calls")
def session_api(web: Web, request: Request) -> Any:
    user = current_user(request)
    token = getattr(request.state, "session_token", "")
    return {"user": user, "multi_user": web.multi_user, "csrf_token": web.signer.csrf_token(token) if token else None}


# -- Atom feeds -------------------------------------------------------------------------------


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _story_entries(base: str, stories: list[dict[str, Any]]) -> list[Entry]:
    entries = []
    for s in stories:
        outlets = s.get("outlets") or []
        summary = f"{s.get('article_count', 0)} articles from {len(outlets)} outlets: {', '.join(outlets[:12])}"
        entries.append(Entry(id=f"{base}/stories/{s['id']}", title=s["title"], link=f"{base}/stories/{s['id']}",
                             updated=s.get("updated"), published=s.get("first_published"), summary=summary,
                             categories=list(s.get("keywords") or [])[:8]))
    return entries


def _atom(body: bytes) -> Response:
    return Response(body, media_type=ATOM_TYPE)


@feeds_atom.get("/feed.atom")
def top_atom(web: Web, request: Request) -> Response:
    base = _base(request)
    stories = web.top.page(web.store, limit=50)["stories"]
    return _atom(atom_feed(title="Parallax: top stories", feed_id=f"{base}/feed.atom", self_url=f"{base}/feed.atom",
                           alt_url=f"{base}/", updated=None, entries=_story_entries(base, stories)))


@feeds_atom.get("/entities/{name:path}/feed.atom")
def entity_atom(web: Web, request: Request, name: str) -> Response:
    data = _entity(web, request, name)
    base = _base(request)
    here = f"{base}/entities/{path_quote(data['name'])}"
    return _atom(atom_feed(title=f"Parallax: {data['name']}", feed_id=f"{here}/feed.atom",
                           self_url=f"{here}/feed.atom", alt_url=here, updated=None,
                           entries=_story_entries(base, data["stories"][:50])))


@feeds_atom.get("/stories/{story_id}/feed.atom")
def story_atom(web: Web, request: Request, story_id: str) -> Response:
    """One story's updates: its current synthesis, then each article as it arrived, newest first."""
    found = _story_or_redirect(web, story_id, "/stories/", "/feed.atom")
    if isinstance(found, Response):
        return found
    base = _base(request)
    here = f"{base}/stories/{found['id']}"
    listing = web.store.story_listing(found["id"]) or {}
    summary = " ".join(s["text"] for s in found.get("summary", []))
    entries = [Entry(id=f"{here}#synthesis-{listing.get('updated') or ''}", title=f"Update: {found['title']}",
                     link=here, updated=listing.get("updated"),
                     summary=summary or "No summary yet.", categories=list(found.get("keywords") or [])[:8])]
    articles = sorted(web.store.story_articles(found["id"]),
                      key=lambda a: a.published.isoformat() if a.published else "", reverse=True)
    for a in articles[:100]:
        published = a.published.isoformat() if a.published else None
        link = a.url if a.url and a.url.startswith(("http://", "https://")) else f"{here}#article-{a.id}"
        copy = " (copy)" if a.duplicate_of else ""
        entries.append(Entry(id=f"{here}#article-{a.id}", title=f"{article_outlet(a)}: {a.title or ''}{copy}",
                             link=link, updated=published or listing.get("updated"), published=published,
                             summary=a.text[:400], authors=[a.byline] if a.byline else []))
    return _atom(atom_feed(title=f"Parallax: {found['title']}", feed_id=f"{here}/feed.atom",
                           self_url=f"{here}/feed.atom", alt_url=here, updated=listing.get("updated"),
                           entries=entries))
