"""State-changing routes: follow, mute, pin, feeds admin, log in and out (forms and JSON API).

Every route here sits behind the CSRF check of :class:`parallax.web.app.Guard`; forms answer with
a 303 redirect back (so they work without JavaScript), the API with JSON.

>>> sorted(r.path for r in forms.routes)[:2]
['/feeds', '/feeds/opml']
"""

from __future__ import annotations

import logging
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Body, File, Form, HTTPException, Path, Request, UploadFile
from pydantic import Strict
from starlette.responses import RedirectResponse, Response

from ..errors import ParallaxError
from ..wording import plural
from .context import Web, WebContext, local_path, require_admin, require_user
from .openapi import FEED_URL_PATTERN, MAX_FOLLOW_VALUE, FollowKind
from .security import SafeJSONResponse, hash_password, new_token, session_expiry, token_hash, verify_password

#: A feed id in a path: SQLite's integers are 64-bit, so larger ones are a 422, not a 500.
FeedId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A feed's id.")]

log = logging.getLogger(__name__)

forms = APIRouter(include_in_schema=False)
api_actions = APIRouter(prefix="/api", default_response_class=SafeJSONResponse)

#: Largest OPML upload accepted, in bytes.
MAX_OPML_BYTES = 2_000_000
MAX_FEED_URL = 2000
MIN_PASSWORD = 8


def _back(request: Request, next_path: str | None, default: str = "/", message: str | None = None) -> Response:
    target = local_path(next_path or request.headers.get("x-next"), default)
    if message:
        sep = "&" if "?" in target else "?"
        from urllib.parse import quote

        target = f"{target}{sep}notice={quote(message[:200], safe='')}"
    return RedirectResponse(target, status_code=303)


# -- shared actions ------------------------------------------------------------------------


def follow(web: WebContext, user: dict[str, Any], kind: str, value: str, *, muted: bool) -> dict[str, Any]:
    try:
        web.store.follow(user["id"], kind, value, muted=muted)  # type: ignore[arg-type]
    except ParallaxError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    return {"kind": kind, "value": value.strip(), "muted": muted}


def pin(web: WebContext, user: dict[str, Any], story_id: str) -> str:
    live = web.store.resolve_story_id(story_id.strip())
    if live is None:
        raise HTTPException(status_code=404, detail=f"no story {story_id!r}")
    web.store.pin(user["id"], live)
    return live


def _check_feed_url(url: str) -> str:
    url = (url or "").strip()
    try:
        parts = urlsplit(url) if len(url) <= MAX_FEED_URL else None
    except ValueError:  # "http://[", a host that NFKC-normalises to "/" ...: was a 500
        parts = None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.netloc:
        raise HTTPException(status_code=422, detail="a feed address must be an http:// or https:// URL")
    return url


def _require_feeds(web: WebContext) -> None:
    if not web.feeds_available():
        raise HTTPException(status_code=503, detail="live sources are not installed in this build")


def add_feed(web: WebContext, url: str, title: str | None = None) -> dict[str, Any]:
    """Add one feed and ask the poller (when running) to fetch it soon."""
    _require_feeds(web)
    url = _check_feed_url(url)
    try:
        feed = web.store.add_feed(url, title=title or None)  # type: ignore[attr-defined]
    except ParallaxError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    if web.poller is not None and feed and feed.get("id") is not None:
        try:
            web.poller.poll_soon(feed["id"])
        except Exception:  # the feed is stored; the next regular poll fetches it
            log.exception("poll_soon failed for feed %s", feed.get("id"))
    return feed


def import_opml(web: WebContext, data: bytes) -> dict[str, Any]:
    """Add every feed of an OPML file; returns the added feeds and the refused ones with reasons."""
    _require_feeds(web)
    if len(data) > MAX_OPML_BYTES:
        raise HTTPException(status_code=413, detail="the OPML file is too large")
    try:
        from ..sources.opml import parse_opml
    except ImportError:
        raise HTTPException(status_code=503, detail="OPML import is not installed in this build") from None
    try:
        outlines = parse_opml(data)
    except (ParallaxError, ValueError) as exc:
        raise HTTPException(status_code=422, detail=f"not a readable OPML file: {exc}") from None
    added, refused = [], []
    for item in outlines:
        try:
            added.append(add_feed(web, item.get("url", ""), item.get("title")))
        except HTTPException as exc:
            refused.append({"url": item.get("url"), "reason": exc.detail})
    return {"added": added, "refused": refused}


def remove_feed(web: WebContext, feed_id: int) -> bool:
    _require_feeds(web)
    return bool(web.store.remove_feed(feed_id))  # type: ignore[attr-defined]


# -- forms ----------------------------------------------------------------------------------


@forms.post("/follow")
def follow_form(web: Web, request: Request, kind: str = Form(...), value: str = Form(...), muted: bool = Form(False),
                next: str | None = Form(None)) -> Response:
    user = require_user(request)
    follow(web, user, kind, value, muted=muted)
    return _back(request, next, "/for-you")


@forms.post("/unfollow")
def unfollow_form(web: Web, request: Request, kind: str = Form(...), value: str = Form(...), next: str | None = Form(None)) -> Response:
    user = require_user(request)
    web.store.unfollow(user["id"], kind, value)
    return _back(request, next, "/for-you")


@forms.post("/picks")
def pin_form(web: Web, request: Request, story_id: str = Form(...), next: str | None = Form(None)) -> Response:
    user = require_user(request)
    pin(web, user, story_id)
    return _back(request, next, "/picks")


@forms.post("/picks/{story_id}/delete")
def unpin_form(web: Web, request: Request, story_id: str, next: str | None = Form(None)) -> Response:
    user = require_user(request)
    web.store.unpin(user["id"], story_id)
    return _back(request, next, "/picks")


@forms.post("/feeds")
def add_feed_form(web: Web, request: Request, url: str = Form(...), title: str | None = Form(None)) -> Response:
    require_admin(request)
    feed = add_feed(web, url, title)
    return _back(request, "/feeds", message=f"Added {feed.get('url', url)}")


@forms.post("/feeds/opml")
async def opml_form(web: Web, request: Request, file: Annotated[UploadFile, File()]) -> Response:
    require_admin(request)
    data = await file.read(MAX_OPML_BYTES + 1)
    from starlette.concurrency import run_in_threadpool

    result = await run_in_threadpool(import_opml, web, data)
    message = f"Imported {plural(len(result['added']), 'feed')}"
    if result["refused"]:
        message += f", refused {len(result['refused'])}"
    return _back(request, "/feeds", message=message)


@forms.post("/feeds/{feed_id}/delete")
def remove_feed_form(web: Web, request: Request, feed_id: FeedId) -> Response:
    require_admin(request)
    remove_feed(web, feed_id)
    return _back(request, "/feeds", message="Feed removed")


@forms.post("/feeds/{feed_id}/poll")
def poll_feed_form(web: Web, request: Request, feed_id: FeedId) -> Response:
    require_admin(request)
    if web.poller is None:
        return _back(request, "/feeds", message="No poller is running (start with `parallax run`)")
    web.poller.poll_soon(feed_id)
    return _back(request, "/feeds", message="Feed will be fetched shortly")


@forms.post("/login")
def login_form(web: Web, request: Request, username: str = Form(...), password: str = Form(...),
               next: str | None = Form(None)) -> Response:
    if not web.multi_user:
        return _back(request, next)
    found = web.store.user_by_name(username[:200])
    stored = web.store.password_hash(found["id"]) if found else None
    if found is None or not verify_password(stored, password):
        return web.render(request, "login.html", {"error": "Wrong user name or password.", "next": next,
                                                  "username": username[:200]}, status=401)
    start_session(request, web, found)
    return _back(request, next)


@forms.post("/logout")
def logout_form(web: Web, request: Request) -> Response:
    end_session(request, web)
    return _back(request, "/")


def start_session(request: Request, web: WebContext, user: dict[str, Any]) -> None:
    """Log ``user`` in: a fresh session token (no fixation), its hash stored, the cookie replaced."""
    token = new_token()
    web.store.create_session(token_hash(token), user["id"], expires_at=session_expiry())
    request.state.session_token = token
    request.state.cookie = web.signer.sign(token)
    request.state.user = user


def end_session(request: Request, web: WebContext) -> None:
    token = getattr(request.state, "session_token", None)
    if token:
        web.store.delete_session(token_hash(token))
    fresh = new_token()
    request.state.session_token = fresh
    request.state.cookie = web.signer.sign(fresh)
    request.state.user = None


# -- JSON API -------------------------------------------------------------------------------


@api_actions.post("/follows", summary="Follow or mute an entity, topic or outlet")
def follow_api(web: Web, request: Request, kind: Annotated[FollowKind, Body()],
               value: Annotated[str, Body(min_length=1, max_length=MAX_FOLLOW_VALUE, pattern=r"\S")],
               muted: Annotated[bool, Strict(), Body()] = False) -> Any:
    return follow(web, require_user(request), kind, value, muted=muted)


@api_actions.delete("/follows/{kind}/{value:path}", summary="Drop a follow or a mute")
def unfollow_api(web: Web, request: Request, kind: FollowKind, value: str) -> Any:
    return {"removed": web.store.unfollow(require_user(request)["id"], kind, value)}


@api_actions.post("/picks", summary="Pin a story")
def pin_api(web: Web, request: Request, story_id: str = Body(..., embed=True)) -> Any:
    return {"pinned": pin(web, require_user(request), story_id)}


@api_actions.delete("/picks/{story_id}", summary="Unpin a story")
def unpin_api(web: Web, request: Request, story_id: str) -> Any:
    return {"removed": web.store.unpin(require_user(request)["id"], story_id)}


@api_actions.get("/feeds", summary="Feeds and their polling status")
def feeds_api(web: Web, request: Request) -> Any:
    _require_feeds(web)
    return {"feeds": web.store.list_feeds()}  # type: ignore[attr-defined]


@api_actions.post("/feeds", summary="Add a feed (admin)")
def add_feed_api(web: Web, request: Request, url: str = Body(..., max_length=MAX_FEED_URL, pattern=FEED_URL_PATTERN),
                 title: str | None = Body(None, max_length=500)) -> Any:
    require_admin(request)
    return {"feed": add_feed(web, url, title)}


@api_actions.delete("/feeds/{feed_id}", summary="Remove a feed (admin)")
def remove_feed_api(web: Web, request: Request, feed_id: FeedId) -> Any:
    require_admin(request)
    return {"removed": remove_feed(web, feed_id)}


@api_actions.post("/login", summary="Log in (multi-user mode); answers the new CSRF token")
def login_api(web: Web, request: Request, username: str = Body(...), password: str = Body(...)) -> Any:
    if not web.multi_user:
        raise HTTPException(status_code=409, detail="single-user mode has no login")
    found = web.store.user_by_name(username[:200])
    stored = web.store.password_hash(found["id"]) if found else None
    if found is None or not verify_password(stored, password):
        raise HTTPException(status_code=401, detail="wrong user name or password")
    start_session(request, web, found)
    return {"user": found, "csrf_token": web.signer.csrf_token(request.state.session_token)}


@api_actions.post("/logout", summary="Log out")
def logout_api(web: Web, request: Request) -> Any:
    end_session(request, web)
    return {"ok": True}


def create_user(store: Any, username: str, password: str, role: str = "reader") -> dict[str, Any]:
    """An account with an argon2 password hash (used by ``parallax users add``)."""
    if len(password) < MIN_PASSWORD:
        raise ParallaxError(f"a password needs at least {MIN_PASSWORD} characters")
    return store.add_user(username, hash_password(password), role=role)
