"""The Google Reader API, as FreshRSS serves it, so any feed reader app can follow Parallax's stories.

Served under ``/api/greader`` (and ``/api/greader.php``, FreshRSS's own path, for apps that append
it): point an app's "FreshRSS", "Google Reader" or "FeedHQ" account at ``https://HOST/api/greader``
with the user name and the API password of the "API access" page.

- ``accounts/ClientLogin`` (``Email``, ``Passwd``) answers ``SID=``, ``LSID=`` and ``Auth=`` lines;
  every other call sends ``Authorization: GoogleLogin auth=<Auth>``;
- ``reader/api/0/``: ``token``, ``user-info``, ``subscription/list``, ``tag/list``, ``unread-count``,
  ``stream/contents/<stream>``, ``stream/items/ids``, ``stream/items/contents``, ``edit-tag``
  (``a=``/``r=`` ``user/-/state/com.google/read`` or ``starred``) and ``mark-all-as-read``;
- ``reader/atom/<stream>``: a stream as Atom with Google Reader's state categories (what newsboat's
  ``feedhq`` source reads).

Streams: ``feed/<n>`` (one subscription), ``user/-/label/<group>``, and
``user/-/state/com.google/reading-list`` or ``starred``. Item ids are accepted in the long form
``tag:google.com,2005:reader/item/<16 hex digits>``, as 16 hex digits, or in decimal. State-changing
calls need the edit token ``T`` of ``reader/api/0/token``.

Authentication is the API password, never a cookie: these routes are exempt from the CSRF check
(``app.Guard``) and ignore the session.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, Response

from .apiaccess import auth_token, check_edit_token, edit_token, login, user_of_auth
from .atom import ATOM_NS, ATOM_TYPE, atom_child, rfc3339
from .context import WebContext, web_of
from .readerfeeds import GROUPS, Item, ReaderView, Subscription, body_of, long_item_id, parse_item_id
from .security import SafeJSONResponse

greader = APIRouter(include_in_schema=False)

READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
KEPT_UNREAD = {"user/-/state/com.google/kept-unread", "user/-/state/com.google/tracking-kept-unread"}
LABEL = "user/-/label/"
GOOGLE_SCHEME = "http://www.google.com/reader/"
#: Items in one answer: the default and the most a client may ask for.
DEFAULT_ITEMS = 20
MAX_ITEMS = 1000
#: Most item ids one request may name.
MAX_IDS = 10_000


class Unauthorized(Exception):
    """No valid Auth token (or edit token) came with the request."""


def _unauthorized() -> Response:
    return PlainTextResponse("Unauthorized!", status_code=401, headers={"Google-Bad-Token": "true"})


async def _params(request: Request) -> dict[str, list[str]]:
    """The query string and (for POST) the url-encoded form, merged as PHP's $_REQUEST would be."""
    found: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        found.setdefault(key, []).append(value)
    if request.method == "POST":
        try:
            form = await request.form(max_fields=MAX_IDS + 50)
        except Exception:  # noqa: BLE001 - a broken body has no fields
            form = None
        if form is not None:
            for key, value in form.multi_items():
                if isinstance(value, str):
                    found.setdefault(key, []).append(value)
            await form.close()
    return found


def _one(params: dict[str, list[str]], key: str, default: str = "") -> str:
    values = params.get(key)
    return values[-1] if values else default


def _user(web: WebContext, request: Request, params: dict[str, list[str]]) -> dict[str, Any]:
    header = request.headers.get("authorization", "")
    auth = ""
    if header.lower().startswith("googlelogin auth="):
        auth = header.split("=", 1)[1]
    auth = auth or _one(params, "Auth")
    user = user_of_auth(web, auth)
    if user is None:
        raise Unauthorized
    return user


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


# -- streams ------------------------------------------------------------------------------------


class NoStream(Exception):
    """A stream id that names no stream of this user: answered 404 by :func:`_run`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.stream = stream


def stream_items(view: ReaderView, stream: str) -> list[Item] | None:
    """The items of a stream id, or None when there is no such stream."""
    if stream in (READING_LIST, "", "reading-list"):
        return list(view.items().values())
    if stream == STARRED:
        return view.starred_items()
    if stream == READ:
        return [i for i in view.items().values() if i.read]
    if stream.startswith(LABEL):
        group = stream[len(LABEL):]
        return [i for i in view.items().values() if any(f.group == group for f in i.feeds)]
    sub = view.subscription(stream)
    if sub is None:
        return None
    return [i for i in view.items().values() if sub in i.feeds]


def existing_stream(view: ReaderView, stream: str) -> list[Item]:
    """The items of a stream id; :class:`NoStream` when there is no such stream."""
    items = stream_items(view, stream)
    if items is None:
        raise NoStream(stream)
    return items


def _filtered(view: ReaderView, items: list[Item], params: dict[str, list[str]]) -> list[Item]:
    """Exclude (``xt``) and include (``it``) targets, time bounds (``ot``, ``nt``), order (``r=o``)."""
    for target in params.get("xt", []):
        if target == READ:
            items = [i for i in items if not i.read]
        elif target == STARRED:
            items = [i for i in items if not i.starred]
        else:
            drop = {i.story_id for i in stream_items(view, target) or []}
            items = [i for i in items if i.story_id not in drop]
    for target in params.get("it", []):
        if target == READ:
            items = [i for i in items if i.read]
        elif target == STARRED:
            items = [i for i in items if i.starred]
    older = _int(_one(params, "ot"), 0)
    newer = _int(_one(params, "nt"), 0)
    if older:
        items = [i for i in items if i.timestamp >= older]
    if newer:
        items = [i for i in items if i.timestamp <= newer]
    oldest_first = _one(params, "r") == "o"
    return sorted(items, key=lambda i: (i.timestamp, i.number), reverse=not oldest_first)


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _page(items: list[Item], params: dict[str, list[str]]) -> tuple[list[Item], str | None]:
    """One page of items and the continuation token of the next (an offset)."""
    count = max(1, min(_int(_one(params, "n"), DEFAULT_ITEMS), MAX_ITEMS))
    start = max(0, _int(_one(params, "c"), 0))
    page = items[start : start + count]
    return page, (str(start + count) if start + count < len(items) else None)


def _categories(item: Item) -> list[str]:
    found = [READING_LIST]
    found += [f"{LABEL}{g}" for g in dict.fromkeys(f.group for f in item.feeds)]
    if item.read:
        found.append(READ)
    if item.starred:
        found.append(STARRED)
    return found


def item_json(web: WebContext, base: str, item: Item) -> dict[str, Any]:
    seconds = int(item.timestamp)
    story_url = f"{base}/stories/{item.story_id}"
    origin = item.origin
    return {
        "id": long_item_id(item.number),
        "crawlTimeMsec": str(seconds * 1000),
        "timestampUsec": str(seconds * 1_000_000),
        "published": seconds,
        "updated": seconds,
        "title": item.title,
        "canonical": [{"href": story_url}],
        "alternate": [{"href": story_url, "type": "text/html"}],
        "categories": _categories(item),
        "origin": {"streamId": origin.stream_id, "title": origin.title, "htmlUrl": base + origin.path},
        "summary": {"content": body_of(web, base, item)},
        "author": ", ".join((item.listing.get("outlets") or [])[:3]) or "Parallax",
    }


# -- routes -------------------------------------------------------------------------------------


async def _run(request: Request, handler: Any, *, auth: bool = True, edit: bool = False) -> Response:
    """Parse the parameters, check the Auth (and edit) token, and run ``handler`` off the event loop."""
    web = web_of(request)
    params = await _params(request)

    def call() -> Any:
        try:
            user = _user(web, request, params) if auth else None
            if edit and user is not None and not check_edit_token(web, user, _one(params, "T")):
                raise Unauthorized
        except Unauthorized:
            return _unauthorized()
        try:
            return handler(web, request, params, user)
        except NoStream as missing:
            return PlainTextResponse(f"no stream {missing.stream[:200]!r}", status_code=404)

    result = await run_in_threadpool(call)
    if isinstance(result, Response):
        return result
    if isinstance(result, str):
        return PlainTextResponse(result)
    return SafeJSONResponse(result)


@greader.api_route("/accounts/ClientLogin", methods=["GET", "POST"])
async def client_login(request: Request) -> Response:
    def handler(web: WebContext, request: Request, params: dict[str, list[str]], _: Any) -> Response:
        user = login(web, _one(params, "Email"), _one(params, "Passwd"))
        token = auth_token(web, user) if user else None
        if token is None:
            return PlainTextResponse("Error=BadAuthentication\n", status_code=401)
        return PlainTextResponse(f"SID={token}\nLSID=null\nAuth={token}\n")

    return await _run(request, handler, auth=False)


@greader.get("/reader/api/0/token")
async def token(request: Request) -> Response:
    return await _run(request, lambda web, req, params, user: edit_token(web, user) + "\n")


@greader.get("/reader/api/0/user-info")
async def user_info(request: Request) -> Response:
    def handler(web: WebContext, req: Request, params: dict[str, list[str]], user: dict[str, Any]) -> Any:
        return {"userId": str(user["id"]), "userName": user["username"], "userProfileId": str(user["id"]),
                "userEmail": ""}

    return await _run(request, handler)


def _subscription_json(base: str, sub: Subscription) -> dict[str, Any]:
    return {"id": sub.stream_id, "title": sub.title,
            "categories": [{"id": f"{LABEL}{sub.group}", "label": sub.group}],
            "url": f"{base}/api/greader/reader/atom/{sub.stream_id}", "htmlUrl": base + sub.path,
            "iconUrl": f"{base}/static/icon.svg"}


@greader.get("/reader/api/0/subscription/list")
async def subscription_list(request: Request) -> Response:
    def handler(web: WebContext, req: Request, params: dict[str, list[str]], user: dict[str, Any]) -> Any:
        base = _base(req)
        return {"subscriptions": [_subscription_json(base, s) for s in ReaderView(web, user).subscriptions]}

    return await _run(request, handler)


@greader.get("/reader/api/0/tag/list")
async def tag_list(request: Request) -> Response:
    def handler(web: WebContext, req: Request, params: dict[str, list[str]], user: dict[str, Any]) -> Any:
        groups = dict.fromkeys(s.group for s in ReaderView(web, user).subscriptions)
        return {"tags": [{"id": STARRED}] + [{"id": f"{LABEL}{g}", "type": "folder"} for g in GROUPS if g in groups]}

    return await _run(request, handler)


@greader.get("/reader/api/0/unread-count")
async def unread_count(request: Request) -> Response:
    def handler(web: WebContext, req: Request, params: dict[str, list[str]], user: dict[str, Any]) -> Any:
        view = ReaderView(web, user)
        counts: dict[str, list[float]] = {}
        for item in view.items().values():
            if item.read:
                continue
            streams = [f.stream_id for f in item.feeds] + [f"{LABEL}{f.group}" for f in item.feeds]
            for stream in [*dict.fromkeys(streams), READING_LIST]:
                entry = counts.setdefault(stream, [0, 0.0])
                entry[0] += 1
                entry[1] = max(entry[1], item.timestamp)
        rows = [{"id": k, "count": int(v[0]), "newestItemTimestampUsec": str(int(v[1]) * 1_000_000)}
                for k, v in counts.items()]
        return {"max": max((r["count"] for r in rows), default=0), "unreadcounts": rows}

    return await _run(request, handler)


def _contents(web: WebContext, req: Request, params: dict[str, list[str]], user: dict[str, Any],
              stream: str) -> Any:
    view = ReaderView(web, user)
    items = existing_stream(view, stream)
    page, more = _page(_filtered(view, items, params), params)
    base = _base(req)
    answer: dict[str, Any] = {"id": stream, "updated": int(max((i.timestamp for i in page), default=0)),
                              "items": [item_json(web, base, i) for i in page]}
    if more:
        answer["continuation"] = more
    return answer


@greader.get("/reader/api/0/stream/contents/{stream:path}")
async def stream_contents(request: Request, stream: str) -> Response:
    return await _run(request, lambda web, req, params, user: _contents(web, req, params, user, stream))


@greader.get("/reader/api/0/stream/contents")
async def stream_contents_param(request: Request) -> Response:
    return await _run(request, lambda web, req, params, user: _contents(web, req, params, user,
                                                                         _one(params, "s", READING_LIST)))


@greader.get("/reader/api/0/stream/items/ids")
async def stream_item_ids(request: Request) -> Response:
    def handler(web: WebContext, req: Request, params: dict[str, list[str]], user: dict[str, Any]) -> Any:
        view = ReaderView(web, user)
        items = existing_stream(view, _one(params, "s", READING_LIST))
        page, more = _page(_filtered(view, items, params), params)
        answer: dict[str, Any] = {"itemRefs": [{"id": str(i.number), "directStreamIds": [f.stream_id for f in i.feeds],
                                                "timestampUsec": str(int(i.timestamp) * 1_000_000)} for i in page]}
        if more:
            answer["continuation"] = more
        return answer

    return await _run(request, handler)


def _asked_items(view: ReaderView, params: dict[str, list[str]]) -> list[Item]:
    numbers = [n for n in (parse_item_id(v) for v in params.get("i", [])[:MAX_IDS]) if n is not None]
    return view.by_numbers(numbers)


@greader.api_route("/reader/api/0/stream/items/contents", methods=["GET", "POST"])
async def stream_items_contents(request: Request) -> Response:
    def handler(web: WebContext, req: Request, params: dict[str, list[str]], user: dict[str, Any]) -> Any:
        base = _base(req)
        items = _asked_items(ReaderView(web, user), params)
        return {"id": READING_LIST, "items": [item_json(web, base, i) for i in items]}

    return await _run(request, handler)


@greader.post("/reader/api/0/edit-tag")
async def edit_tag(request: Request) -> Response:
    def handler(web: WebContext, req: Request, params: dict[str, list[str]], user: dict[str, Any]) -> Any:
        view = ReaderView(web, user)
        items = _asked_items(view, params)
        added, removed = set(params.get("a", [])), set(params.get("r", []))
        if READ in added:
            view.mark(items, read=True)
        elif READ in removed or added & KEPT_UNREAD:
            view.mark(items, read=False)
        if STARRED in added:
            view.mark(items, starred=True)
        elif STARRED in removed:
            view.mark(items, starred=False)
        return "OK"

    return await _run(request, handler, edit=True)


@greader.post("/reader/api/0/mark-all-as-read")
async def mark_all_as_read(request: Request) -> Response:
    def handler(web: WebContext, req: Request, params: dict[str, list[str]], user: dict[str, Any]) -> Any:
        view = ReaderView(web, user)
        items = existing_stream(view, _one(params, "s", READING_LIST))
        before = _int(_one(params, "ts"), 0)  # microseconds: items up to then
        if before:
            items = [i for i in items if i.timestamp * 1_000_000 <= before]
        view.mark([i for i in items if not i.read], read=True)
        return "OK"

    return await _run(request, handler, edit=True)


# -- Atom (newsboat's feedhq source) ----------------------------------------------------------------


def atom_stream(web: WebContext, base: str, stream: str, title: str, items: list[Item]) -> bytes:
    """A stream as Atom: each entry's id is the item's long id, its state in Google Reader categories."""
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed")

    atom_child(root, "title", title, type="text")
    atom_child(root, "id", f"{base}/api/greader/reader/atom/{stream}")
    atom_child(root, "updated", rfc3339(None) if not items else
        max(rfc3339(i.listing.get("last_published") or i.listing.get("updated")) for i in items))
    atom_child(root, "link", rel="alternate", type="text/html", href=f"{base}/")
    for item in items:
        entry = atom_child(root, "entry")
        atom_child(entry, "id", long_item_id(item.number))
        atom_child(entry, "title", item.title, type="text")
        atom_child(entry, "link", rel="alternate", type="text/html", href=f"{base}/stories/{item.story_id}")
        stamp = rfc3339(item.listing.get("last_published") or item.listing.get("updated"))
        atom_child(entry, "published", stamp)
        atom_child(entry, "updated", stamp)
        atom_child(atom_child(entry, "author"), "name", ", ".join((item.listing.get("outlets") or [])[:3]) or "Parallax")
        for term in _categories(item) + ([] if item.read else ["user/-/state/com.google/fresh"]):
            atom_child(entry, "category", term=term, scheme=GOOGLE_SCHEME, label=term.rsplit("/", 1)[-1])
        atom_child(entry, "content", body_of(web, base, item), type="html")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@greader.get("/reader/atom/{stream:path}")
async def atom(request: Request, stream: str) -> Response:
    def handler(web: WebContext, req: Request, params: dict[str, list[str]], user: dict[str, Any]) -> Any:
        view = ReaderView(web, user)
        items = existing_stream(view, stream)
        page, _ = _page(_filtered(view, items, params), params)
        found = view.subscription(stream)
        title = found.title if found else stream.rsplit("/", 1)[-1]
        return Response(atom_stream(web, _base(req), stream, title, page), media_type=ATOM_TYPE)

    return await _run(request, handler)
