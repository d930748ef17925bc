"""API passwords for feed-reader apps: the "API access" settings page, and how the APIs check them.

A user's API password is separate from their login password (single-user mode has no login
password at all) and is stored the same way: an argon2id hash. Fever clients send only
``api_key = md5("username:apipassword")``, so the store also keeps that key's SHA-256 to find the
user by it. Google Reader clients log in once (``ClientLogin``) and then send an ``Auth`` token
derived from the user and the API password's hash with the app's signing key: nothing more is
stored, and setting a new API password (or revoking it) ends every token given before.

>>> fever_key("local", "correct horse")
'c6dad7fbbcab4c710149b6b4c6602963'
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from .actions import MIN_PASSWORD, _back
from .context import Web, WebContext, require_user
from .security import SafeJSONResponse, hash_password, verify_password

settings_pages = APIRouter(include_in_schema=False)
settings_api = APIRouter(prefix="/api", default_response_class=SafeJSONResponse)

#: Longest API password accepted.
MAX_PASSWORD = 200
#: Where the two APIs live (relative to the site's root).
GREADER_PATH = "/api/greader"
FEVER_PATH = "/api/fever/"


def fever_key(username: str, password: str) -> str:
    """Fever's ``api_key`` for a user name and API password."""
    return hashlib.md5(f"{username}:{password}".encode()).hexdigest()  # Fever's protocol, not a password hash


def fever_key_hash(key: str) -> str:
    """What the store keeps of a Fever key."""
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()


def set_api_password(store: Any, user: dict[str, Any], password: str) -> None:
    """Give ``user`` an API password (replacing any earlier one); ValueError when it is too short or long."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"an API password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise ValueError(f"an API password has at most {MAX_PASSWORD} characters")
    store.set_api_password(user["id"], hash_password(password), fever_key_hash(fever_key(user["username"], password)))


# -- checking what a client sends --------------------------------------------------------------


def login(web: WebContext, username: str, password: str) -> dict[str, Any] | None:
    """The user whose API password this is (Google Reader's ClientLogin), or None."""
    found = web.store.user_by_name(username[:200]) if username else None
    stored = web.store.api_password(found["id"]) if found else None
    if not verify_password(stored["password_hash"] if stored else None, password):
        return None
    return found


def _token(web: WebContext, user: dict[str, Any], password_hash: str, purpose: str) -> str:
    return web.signer.mac(f"{purpose}:{user['id']}:{password_hash}")


def auth_token(web: WebContext, user: dict[str, Any]) -> str | None:
    """Google Reader's ``Auth`` value for a user with an API password: ``username/token``."""
    stored = web.store.api_password(user["id"])
    if stored is None:
        return None
    return f"{user['username']}/{_token(web, user, stored['password_hash'], 'greader')[:40]}"


def edit_token(web: WebContext, user: dict[str, Any]) -> str:
    """Google Reader's edit token (the ``T`` of state-changing calls)."""
    stored = web.store.api_password(user["id"]) or {"password_hash": ""}
    return _token(web, user, stored["password_hash"], "edit")[:57]


def check_edit_token(web: WebContext, user: dict[str, Any], candidate: str | None) -> bool:
    return bool(candidate) and hmac.compare_digest(edit_token(web, user), (candidate or "").strip())


def user_of_auth(web: WebContext, auth: str | None) -> dict[str, Any] | None:
    """The user behind an ``Auth`` token (``GoogleLogin auth=...`` header), or None."""
    if not auth or "/" not in auth:
        return None
    username, _, token = auth.strip().rpartition("/")
    found = web.store.user_by_name(username[:200])
    if found is None:
        return None
    expected = auth_token(web, found)
    if expected is None or not hmac.compare_digest(expected.rpartition("/")[2], token):
        return None
    return found


def user_of_fever_key(web: WebContext, key: str | None) -> dict[str, Any] | None:
    if not key or len(key) > 200:
        return None
    return web.store.user_by_fever_key(fever_key_hash(key))


# -- the settings page -------------------------------------------------------------------------


def _state(web: WebContext, request: Request, user: dict[str, Any]) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    stored = web.store.api_password(user["id"])
    return {"username": user["username"], "has_password": stored is not None,
            "created_at": stored["created_at"] if stored else None,
            "greader_url": base + GREADER_PATH, "fever_url": base + FEVER_PATH}


def _page(web: WebContext, request: Request, user: dict[str, Any], *, notice: str = "", error: str = "",
          generated: str = "", status: int = 200) -> Response:
    response = web.render(request, "api_access.html", {**_state(web, request, user), "notice": notice[:200],
                                                        "error": error, "generated": generated}, status=status)
    if generated:
        response.headers["Cache-Control"] = "no-store"
    return response


@settings_pages.get("/settings/api")
def api_access_page(web: Web, request: Request, notice: str | None = None) -> Response:
    return _page(web, request, require_user(request), notice=notice or "")


@settings_pages.post("/settings/api")
def api_access_set(web: Web, request: Request, password: str = Form(""), confirm: str = Form("")) -> Response:
    """Set the API password typed twice, or (both fields empty) generate one and show it once."""
    user = require_user(request)
    generated = ""
    if not password and not confirm:
        password = generated = secrets.token_urlsafe(18)
    elif password != confirm:
        return _page(web, request, user, error="The two passwords differ.", status=422)
    try:
        set_api_password(web.store, user, password)
    except ValueError as exc:
        return _page(web, request, user, error=f"{str(exc)[:1].upper()}{str(exc)[1:]}.", status=422)
    if generated:
        return _page(web, request, user, generated=generated,
                     notice="API password set. Copy it now: it is shown only this once.")
    return _back(request, "/settings/api", message="API password set")


@settings_pages.post("/settings/api/delete")
def api_access_revoke(web: Web, request: Request) -> Response:
    user = require_user(request)
    removed = web.store.delete_api_password(user["id"])
    return _back(request, "/settings/api", message="API password revoked" if removed else "No API password to revoke")


@settings_api.get("/settings/api", summary="API access: whether an API password is set, and the feed-reader URLs")
def api_access_api(web: Web, request: Request) -> Any:
    user = require_user(request)
    return _state(web, request, user)
