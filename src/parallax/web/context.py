"""What every route shares: the store, settings, templates, the signer and who is asking.

>>> from parallax.settings import load
>>> from parallax.store import open_store
>>> web = WebContext(open_store(":memory:"), load(secret_key="k" * 32))
>>> web.multi_user
False
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from ..clean.outlets import article_outlet
from ..settings import Settings
from ..store import SQLiteStore
from ..wording import noun, plural
from . import charts
from .security import CSRF_FIELD, SECRET_STATE_KEY, Signer, highlight, is_loopback, safe_url, token_hash
from .views import TopStories

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def _when(value: str | None, fmt: str = "%d %b %Y, %H:%M") -> str:
    """An ISO timestamp for people (UTC), or an empty string."""
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.strftime(fmt)


def _ago(value: str | None) -> str:
    """A short relative age ("3 h ago") for a timestamp, or an empty string."""
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    seconds = (datetime.now(UTC) - parsed).total_seconds()
    if seconds < 0:
        return _when(value, "%d %b %Y")
    for size, unit in ((86400 * 365, "y"), (86400 * 30, "mo"), (86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return "just now"


def path_quote(value: str) -> str:
    """A path segment for a name (entity, outlet): every reserved character escaped."""
    return quote(value, safe="")


def local_path(candidate: str | None, default: str = "/") -> str:
    """A same-site path to go back to after a form (never another host: no open redirect)."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//") or "\\" in candidate:
        return default
    if any(ord(c) < 32 for c in candidate):
        return default
    return candidate


class WebContext:
    """The app's shared state (``app.state.web``)."""

    def __init__(self, store: SQLiteStore, settings: Settings, *, poller: Any = None) -> None:
        self.store = store
        self.settings = settings
        self.poller = poller
        self.multi_user = bool(settings.multi_user)
        self.signer = Signer(self._secret())
        self.top = TopStories()
        # Created now, not on the first request: a read must never write (it would wait behind a
        # batch's write transaction; issue 20, reads during writes).
        self._local_user: dict[str, Any] | None = None if self.multi_user else store.local_user()
        self.env = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(when=_when, ago=_ago, pq=path_quote, highlight=highlight, safe_url=safe_url,
                                outlet_class=charts.outlet_class, plural=plural, noun=noun, outlet_of=article_outlet)

    def _secret(self) -> str:
        """The signing key: the setting, else one generated once and kept in the database."""
        if self.settings.secret_key:
            return self.settings.secret_key
        stored = self.store.get_state(SECRET_STATE_KEY)
        if stored:
            return stored.decode()
        key = secrets.token_urlsafe(48)
        self.store.set_state(SECRET_STATE_KEY, key.encode())
        log.info("generated a session signing key (stored in the database)")
        return key

    # -- who is asking ---------------------------------------------------------------------

    def resolve_user(self, session_token: str, client_host: str | None) -> dict[str, Any] | None:
        """The user behind a request: a logged-in account, or the local user on loopback."""
        if self.multi_user:
            return self.store.session_user(token_hash(session_token))
        if not is_loopback(client_host):
            return None
        if self._local_user is None:
            self._local_user = self.store.local_user()
        return self._local_user

    def feeds_available(self) -> bool:
        return hasattr(self.store, "add_feed") and hasattr(self.store, "list_feeds")

    # -- rendering -------------------------------------------------------------------------

    def render(self, request: Request, template: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
        user = getattr(request.state, "user", None)
        token = getattr(request.state, "session_token", "") or ""
        page = self.env.get_template(template).render(
            request=request,
            user=user,
            multi_user=self.multi_user,
            csrf_field=CSRF_FIELD,
            csrf_token=self.signer.csrf_token(token) if token else "",
            path=request.url.path,
            full_path=request.url.path + (("?" + request.url.query) if request.url.query else ""),
            feeds_available=self.feeds_available(),
            **context,
        )
        return HTMLResponse(page, status_code=status)

    def error_page(self, request: Request, status: int, message: str) -> HTMLResponse:
        titles = {400: "Bad request", 401: "Please log in", 403: "Not allowed", 404: "Not found",
                  405: "Method not allowed", 413: "Too large", 422: "Invalid input", 500: "Something broke"}
        return self.render(request, "error.html", {"status": status, "title": titles.get(status, "Error"),
                                                   "message": message}, status=status)


def web_of(request: Request) -> WebContext:
    """The app's context (a FastAPI dependency)."""
    return request.app.state.web


#: The app's context as a FastAPI dependency: ``web: Web`` in a route's signature.
Web = Annotated[WebContext, Depends(web_of)]


def current_user(request: Request) -> dict[str, Any] | None:
    return getattr(request.state, "user", None)


def require_user(request: Request) -> dict[str, Any]:
    """The user, or 401 (multi-user: log in) / 403 (single-user: only this machine may change things)."""
    user = current_user(request)
    if user is not None:
        return user
    if web_of(request).multi_user:
        raise HTTPException(status_code=401, detail="log in first")
    raise HTTPException(status_code=403, detail="single-user mode: changes are accepted from this machine only")


def require_admin(request: Request) -> dict[str, Any]:
    user = require_user(request)
    if user.get("role") != "admin":
        raise HTTPException(status_code=403, detail="only an admin may manage feeds")
    return user
