"""Read routes: each page (HTML) beside its JSON twin under ``/api/``, and the Atom feeds.

>>> [r.path for r in pages.routes][:2]
['/', '/stories/{story_id}']
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import RedirectResponse, Response

from ..clean.outlets import article_outlet
from ..store.queries import fts_query
from ..wording import plural
from . import views
from .atom import ATOM_TYPE, Entry, atom_feed
from .context import Web, WebContext, current_user, path_quote, require_user
from .filters import Filters, from_request, show_all
from .security import SafeJSONResponse

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", default_response_class=SafeJSONResponse)
feeds_atom = APIRouter(include_in_schema=False)

#: Longest search query kept (longer input is cut, never refused).
MAX_QUERY_CHARS = 500
#: Search hits on one page.
SEARCH_PAGE = 50
#: Most stories one ``?all=1`` list shows (a longer list says how many it leaves out).
ALL_CAP = 5000

#: The reader's filters of a request (window, outlets, language): a FastAPI dependency.
Filter = Annotated[Filters, Depends(from_request)]


def _filter_choices(web: WebContext, filters: Filters) -> dict[str, Any]:
    """What the filter form offers: the outlets and languages stored, and the filters in force."""
    return {"filters": filters, **web.top.choices(web.store)}


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


def _top(web: WebContext, request: Request, offset: int, filters: Filters) -> dict[str, Any]:
    page = web.top.page(web.store, offset=offset, flt=filters.article_filter())
    user = current_user(request)
    pinned: list[dict[str, Any]] = []
    if user is not None and offset == 0 and not filters.active:
        pinned = web.store.picks(user["id"])[:5]
    return {**page, "pinned": pinned}


@pages.get("/")
def top_page(web: Web, request: Request, filters: Filter, offset: int = Query(0, ge=0)) -> Response:
    data = _top(web, request, _offset(offset), filters)
    pinned_ids = {s["id"] for s in data["pinned"]}
    stories = views.with_bars([s for s in data["stories"] if s["id"] not in pinned_ids])
    return web.render(request, "top.html", {**data, "stories": stories, "pinned": views.with_bars(data["pinned"]),
                                            "stats": web.top.stats(web.store), **_filter_choices(web, filters)})


@api.get("/stories", summary="Top stories, ranked (filters: window, from, to, outlet, exclude, lang)")
def top_api(web: Web, request: Request, filters: Filter, offset: int = Query(0, ge=0),
            limit: int = Query(views.PAGE_SIZE, ge=1, le=500)) -> Any:
    """``{"stories": [{"id", "title", "article_count", "outlets", "updated", ...}], "total": N}``."""
    page = web.top.page(web.store, offset=_offset(offset), limit=limit, flt=filters.article_filter())
    body = {"stories": [views.listing(s) for s in page["stories"]], "total": page["total"],
            "offset": page["offset"]}
    return _with_filters(body, filters)


# -- one story ------------------------------------------------------------------------------


@pages.get("/stories/{story_id}")
def story_page(web: Web, request: Request, story_id: str, filters: Filter) -> Response:
    found = _story_or_redirect(web, story_id, "/stories/", filters.suffix())
    if isinstance(found, Response):
        return found
    user = current_user(request)
    data = views.story_page(web.store, found, filters.article_filter())
    pinned = user is not None and found["id"] in web.store.pinned_ids(user["id"])
    following = {}
    if user is not None:
        following = {f["value"].lower(): ("muted" if f["muted"] else "following")
                     for f in web.store.follows(user["id"]) if f["kind"] == "entity"}
    story_outlets = sorted({(a["article"].outlet or "") for a in data["articles"]} - {""}, key=str.lower)
    return web.render(request, "story.html", {**data, "pinned": pinned, "following": following,
                                              **_filter_choices(web, filters),
                                              "outlet_names": story_outlets or [o for o in found.get("outlets", [])]})


@api.get("/stories/{story_id}", summary="One story: the story object of docs/json.md (with filters: the ids of "
                                        "the articles that pass them)")
def story_api(web: Web, story_id: str, filters: Filter) -> Any:
    found = _story_or_redirect(web, story_id, "/api/stories/", filters.suffix())
    if isinstance(found, Response) or not filters.active:
        return found
    flt = filters.article_filter()
    passing = [a.id for a in web.store.story_articles(found["id"]) if flt.matches(a)]
    return {**found, "filters": filters.as_json(), "matching_article_ids": passing}


@api.get("/stories/{story_id}/articles", summary="A story's articles; copies carry duplicate_of (filters apply)")
def story_articles_api(web: Web, story_id: str, filters: Filter) -> Any:
    found = _story_or_redirect(web, story_id, "/api/stories/", "/articles" + filters.suffix())
    if isinstance(found, Response):
        return found
    flt = filters.article_filter()
    every = web.store.story_articles(found["id"])
    shown = [a for a in every if flt.matches(a)]
    return {"story_id": found["id"], "total": len(every), "articles": [views.article_json(a) for a in shown]}


# -- one article ----------------------------------------------------------------------------


def _article(web: WebContext, article_id: str) -> dict[str, Any]:
    data = views.article_page(web.store, article_id)
    if data is None:
        raise HTTPException(status_code=404, detail=f"no article {article_id!r}")
    return data


@pages.get("/articles/{article_id}.json")
def article_json_page(web: Web, article_id: str) -> Any:
    """The article page's JSON twin beside it (the same body as ``/api/articles/{id}``)."""
    try:
        return SafeJSONResponse(views.article_page_json(_article(web, article_id)))
    except HTTPException as exc:
        return SafeJSONResponse({"error": exc.detail}, status_code=exc.status_code)


@pages.get("/articles/{article_id}")
def article_page(web: Web, request: Request, article_id: str) -> Response:
    return web.render(request, "article.html", _article(web, article_id))


@api.get("/articles/{article_id}", summary="One article: cleaned text, metadata, story, copies, original, "
                                           "the outlet's other articles in the story")
def article_api(web: Web, article_id: str) -> Any:
    return views.article_page_json(_article(web, article_id))


# -- search ---------------------------------------------------------------------------------


def _query(q: str | None) -> str:
    return (q or "")[:MAX_QUERY_CHARS]


@pages.get("/search")
def search_page(web: Web, request: Request, filters: Filter, q: str | None = None,
                offset: int = Query(0, ge=0)) -> Response:
    query = _query(q)
    offset = _offset(offset)
    results, total = (views.search_results(web.store, query, flt=filters.article_filter(), limit=SEARCH_PAGE,
                                           offset=offset) if query else ([], 0))
    return web.render(request, "search.html", {"q": query, "results": results, "total": total, "offset": offset,
                                               "page_size": SEARCH_PAGE, "searchable": fts_query(query) is not None,
                                               "count_cap": views.search_cap(offset, SEARCH_PAGE),
                                               **_filter_choices(web, filters)})


@api.get("/search", summary="Full-text search over articles (filters: window, from, to, outlet, exclude, lang)")
def search_api(web: Web, filters: Filter, q: str | None = None, limit: int = Query(50, ge=1, le=200),
               offset: int = Query(0, ge=0)) -> Any:
    query = _query(q)
    hits, total = (views.search_results(web.store, query, flt=filters.article_filter(), limit=limit,
                                        offset=_offset(offset)) if query else ([], 0))
    cap = views.search_cap(_offset(offset), limit)
    body = {"query": query, "total": min(total, cap), "total_exact": total <= cap, "offset": _offset(offset),
            "results": [{k: v for k, v in h.items() if k != "snippet_marked"} for h in hits]}
    return _with_filters(body, filters)


# -- entities -------------------------------------------------------------------------------


@pages.get("/entities")
def entities_page(web: Web, request: Request) -> Response:
    every = show_all(request)
    entities = web.store.top_entities(limit=1_000_000 if every else 200)
    total = len(entities) if every else web.store.entity_count()
    return web.render(request, "entities.html", {"entities": entities, "total": total})


@api.get("/entities", summary="The most covered people, organisations and places (total: how many in all)")
def entities_api(web: Web, limit: int = Query(100, ge=1, le=100_000)) -> Any:
    return {"entities": web.store.top_entities(limit=limit), "total": web.store.entity_count()}


def _entity(web: WebContext, request: Request, name: str, filters: Filters | None = None,
            limit: int | None = 100) -> dict[str, Any]:
    info = web.store.entity_kinds(name)
    flt = filters.article_filter() if filters else None
    stories, total = views.entity_stories(web.store, name, flt=flt, limit=limit, top=web.top)
    if info is None and not stories and not (flt and flt.active):
        raise HTTPException(status_code=404, detail=f"no entity {name!r}")
    user = current_user(request)
    state = web.store.follow_state(user["id"], "entity", name) if user else None
    return {"name": (info or {}).get("name", name), "entity": info, "stories": stories, "total": total,
            "follow": state}


def _with_filters(body: dict[str, Any], filters: Filters) -> dict[str, Any]:
    """A JSON answer with the filters it applied said back (only when some apply)."""
    if filters.active:
        body["filters"] = filters.as_json()
    return body


def _listing_json(data: dict[str, Any], filters: Filters) -> dict[str, Any]:
    """A story list's JSON answer (an entity's, an outlet's): its stories as listings, its filters said back."""
    return _with_filters({**data, "stories": [views.listing(s) for s in data["stories"]]}, filters)


def _listing_page(request: Request, web: WebContext, data: dict[str, Any], filters: Filters) -> dict[str, Any]:
    """A story list page's data: the first page, or ``?all=1`` the whole list, with "N more" said."""
    return {**data, "stories": views.with_bars(data["stories"]), "more": max(0, data["total"] - len(data["stories"])),
            "all": show_all(request), **_filter_choices(web, filters)}


@pages.get("/entities/{name:path}")
def entity_page(web: Web, request: Request, name: str, filters: Filter) -> Response:
    data = _entity(web, request, name, filters, limit=ALL_CAP if show_all(request) else views.PAGE_SIZE)
    return web.render(request, "entity.html", _listing_page(request, web, data, filters))


@api.get("/entities/{name:path}", summary="One entity and the stories about it (first 100, all=1 for every one; "
                                          "filters apply)")
def entity_api(web: Web, request: Request, name: str, filters: Filter) -> Any:
    data = _entity(web, request, name, filters, limit=ALL_CAP if show_all(request) else 100)
    return _listing_json(data, filters)


# -- outlets --------------------------------------------------------------------------------


@pages.get("/outlets")
def outlets_page(web: Web, request: Request) -> Response:
    return web.render(request, "outlets.html", {"outlets": web.store.outlets()})


@api.get("/outlets", summary="Every outlet with its article and story counts")
def outlets_api(web: Web) -> Any:
    return {"outlets": web.store.outlets()}


def _outlet(web: WebContext, request: Request, name: str, filters: Filters | None = None,
            limit: int | None = 100) -> dict[str, Any]:
    info = views.outlet_summary(web.store, name)
    if info is None:
        raise HTTPException(status_code=404, detail=f"no outlet {name!r}")
    user = current_user(request)
    state = web.store.follow_state(user["id"], "outlet", info["outlet"]) if user else None
    stories, total = views.outlet_stories(web.store, info["outlet"],
                                          flt=filters.article_filter() if filters else None, limit=limit,
                                          top=web.top)
    return {"name": info["outlet"], "outlet": info, "stories": stories, "total": total, "follow": state}


@pages.get("/outlets/{name:path}")
def outlet_page(web: Web, request: Request, name: str, filters: Filter) -> Response:
    data = _outlet(web, request, name, filters, limit=ALL_CAP if show_all(request) else views.PAGE_SIZE)
    page = _listing_page(request, web, data, filters)
    page["own_articles"] = views.outlet_articles_by_story(web.store, data["name"], [s["id"] for s in data["stories"]])
    return web.render(request, "outlet.html", page)


@api.get("/outlets/{name:path}", summary="One outlet and the stories it covered (first 100, all=1 for every one; "
                                         "filters apply)")
def outlet_api(web: Web, request: Request, name: str, filters: Filter) -> Any:
    data = _outlet(web, request, name, filters, limit=ALL_CAP if show_all(request) else 100)
    return _listing_json(data, filters)


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
        shown = ", ".join(outlets[:12]) + (f" and {len(outlets) - 12} more" if len(outlets) > 12 else "")
        summary = f"{plural(s.get('article_count', 0), 'article')} from {plural(len(outlets), 'outlet')}: {shown}"
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
    articles = sorted(web.store.story_articles(found["id"]),  # undated ones by their feed or file time
                      key=lambda a: a.when.isoformat() if a.when else "", reverse=True)
    for a in articles[:100]:
        published = a.published.isoformat() if a.published else None
        placed = a.placed.isoformat() if a.placed and not a.published else None
        link = a.url if a.url and a.url.startswith(("http://", "https://")) else f"{base}/articles/{a.id}"
        copy = " (copy)" if a.duplicate_of else ""
        entries.append(Entry(id=f"{here}#article-{a.id}", title=f"{article_outlet(a)}: {a.title or ''}{copy}",
                             link=link, updated=published or placed or listing.get("updated"), published=published,
                             summary=a.text[:400], authors=[a.byline] if a.byline else []))
    return _atom(atom_feed(title=f"Parallax: {found['title']}", feed_id=f"{here}/feed.atom",
                           self_url=f"{here}/feed.atom", alt_url=here, updated=listing.get("updated"),
                           entries=entries))
