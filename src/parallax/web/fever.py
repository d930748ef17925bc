"""The Fever API (version 3), for the reader apps that speak it (Reeder, Unread, ReadKit, FeedMe ...).

Point the app at ``https://HOST/api/fever/`` with the user name and the API password of the "API
access" page; the app sends ``api_key = md5("username:apipassword")`` with every request
(``POST ?api``), and every answer carries ``auth`` (1 or 0) whatever else was asked.

- ``groups`` and ``feeds`` (with ``feeds_groups``): the groups Parallax, Topics, Entities and
  Outlets, and the user's subscriptions (top stories, picks, each follow);
- ``items`` (``since_id``, ``max_id``, ``with_ids``; 50 at a time, ``total_items``): the stories, their
  synthesis as the ``html``;
- ``unread_item_ids``, ``saved_item_ids``;
- ``mark=item&as=read|unread|saved|unsaved&id=N``, ``mark=feed|group&as=read&id=N&before=TIME``.

Like the Google Reader API it is exempt from the CSRF check and ignores the session cookie.
"""

from __future__ import annotations

import base64
import time
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from .apiaccess import user_of_fever_key
from .context import STATIC, WebContext, web_of
from .readerfeeds import GROUPS, Item, ReaderView, body_of
from .security import SafeJSONResponse

fever = APIRouter(include_in_schema=False)

API_VERSION = 3
#: Items in one answer (Fever's own limit).
ITEMS_PER_PAGE = 50
MAX_WITH_IDS = 50
#: The one favicon every feed shares: Parallax's icon, as Fever's ``mime;base64,data``.
_ICON = "image/svg+xml;base64," + base64.b64encode((STATIC / "icon.svg").read_bytes()).decode()


async def _params(request: Request) -> dict[str, str]:
    found = dict(request.query_params)
    if request.method == "POST":
        try:
            form = await request.form(max_fields=200)
        except Exception:  # noqa: BLE001 - a broken body has no fields
            form = None
        if form is not None:
            found.update({k: v for k, v in form.items() if isinstance(v, str)})
            await form.close()
    return found


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(str(text))
    except (TypeError, ValueError):
        return default


def _ids(text: str | None) -> list[int]:
    return [n for n in (_int(p.strip(), -1) for p in (text or "").split(",")[:MAX_WITH_IDS]) if n > 0]


def _feeds_groups(view: ReaderView) -> list[dict[str, Any]]:
    members: dict[str, list[str]] = {}
    for sub in view.subscriptions:
        members.setdefault(sub.group, []).append(str(sub.number))
    return [{"group_id": GROUPS[g], "feed_ids": ",".join(ids)} for g, ids in members.items()]


def _item(web: WebContext, base: str, item: Item) -> dict[str, Any]:
    return {"id": item.number, "feed_id": item.origin.number, "title": item.title,
            "author": ", ".join((item.listing.get("outlets") or [])[:3]) or "Parallax",
            "html": body_of(web, base, item), "url": f"{base}/stories/{item.story_id}",
            "is_saved": int(item.starred), "is_read": int(item.read), "created_on_time": int(item.timestamp)}


def answer(web: WebContext, base: str, params: dict[str, str]) -> dict[str, Any]:
    """Fever's answer to one request."""
    result: dict[str, Any] = {"api_version": API_VERSION, "auth": 0}
    user = user_of_fever_key(web, params.get("api_key"))
    if user is None:
        return result
    result["auth"] = 1
    view = ReaderView(web, user)
    items = view.items()
    result["last_refreshed_on_time"] = int(max((i.timestamp for i in items.values()), default=time.time()))

    if params.get("mark") in ("item", "feed", "group"):
        _mark(view, params)
    if "groups" in params:
        used = {s.group for s in view.subscriptions}
        result["groups"] = [{"id": number, "title": g} for g, number in GROUPS.items() if g in used]
        result["feeds_groups"] = _feeds_groups(view)
    if "feeds" in params:
        newest: dict[int, float] = {}
        for item in items.values():
            for sub in item.feeds:
                newest[sub.number] = max(newest.get(sub.number, 0.0), item.timestamp)
        result["feeds"] = [{"id": s.number, "favicon_id": 1, "title": s.title,
                            "url": f"{base}/api/greader/reader/atom/{s.stream_id}", "site_url": base + s.path,
                            "is_spark": 0, "last_updated_on_time": int(newest.get(s.number, 0))}
                           for s in view.subscriptions]
        result["feeds_groups"] = _feeds_groups(view)
    if "favicons" in params:
        result["favicons"] = [{"id": 1, "data": _ICON}]
    if "items" in params:
        result.update(_items(web, base, view, params))
    if "links" in params:
        result["links"] = []
    if "unread_item_ids" in params:
        result["unread_item_ids"] = ",".join(str(i.number) for i in sorted(items.values(), key=lambda i: i.number)
                                             if not i.read)
    if "saved_item_ids" in params:
        result["saved_item_ids"] = ",".join(str(i.number) for i in sorted(view.starred_items(),
                                                                           key=lambda i: i.number))
    return result


def _items(web: WebContext, base: str, view: ReaderView, params: dict[str, str]) -> dict[str, Any]:
    everything = sorted(view.items().values(), key=lambda i: i.number)
    if params.get("with_ids"):
        chosen = view.by_numbers(_ids(params["with_ids"]))
    elif params.get("max_id"):
        below = _int(params["max_id"])
        chosen = [i for i in everything if i.number < below][-ITEMS_PER_PAGE:][::-1]
    else:
        since = _int(params.get("since_id"))
        chosen = [i for i in everything if i.number > since][:ITEMS_PER_PAGE]
    return {"items": [_item(web, base, i) for i in chosen], "total_items": len(everything)}


def _mark(view: ReaderView, params: dict[str, str]) -> None:
    kind, state, target = params.get("mark"), params.get("as"), _int(params.get("id"), -1)
    if kind == "item":
        items = view.by_numbers([target])
        if state == "read":
            view.mark(items, read=True)
        elif state == "unread":
            view.mark(items, read=False)
        elif state == "saved":
            view.mark(items, starred=True)
        elif state == "unsaved":
            view.mark(items, starred=False)
        return
    if state != "read":
        return
    before = _int(params.get("before"), 0)
    everything = list(view.items().values())
    if kind == "feed":
        chosen = [i for i in everything if any(f.number == target for f in i.feeds)]
    else:  # group; 0 is "all items" (the Kindling super group)
        names = {name for name, number in GROUPS.items() if number == target}
        chosen = everything if target == 0 else [i for i in everything if any(f.group in names for f in i.feeds)]
    if before:
        chosen = [i for i in chosen if i.timestamp <= before]
    view.mark([i for i in chosen if not i.read], read=True)


async def _serve(request: Request) -> Response:
    web = web_of(request)
    params = await _params(request)
    base = str(request.base_url).rstrip("/")
    return SafeJSONResponse(await run_in_threadpool(answer, web, base, params))


for _path in ("/api/fever", "/api/fever/", "/api/fever.php"):
    fever.add_api_route(_path, _serve, methods=["GET", "POST"])
