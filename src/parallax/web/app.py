"""The Parallax web app: server-rendered pages, their JSON twins under ``/api/``, Atom feeds.

>>> from fastapi.testclient import TestClient
>>> from parallax.settings import load
>>> from parallax.store import open_store
>>> client = TestClient(create_app(open_store(":memory:"), load()))
>>> client.get("/api/stories").json()
{'stories': [], 'total': 0, 'offset': 0}
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..settings import Settings
from ..store import SQLiteStore
from .actions import api_actions, forms
from .apiaccess import settings_api, settings_pages
from .context import STATIC, WebContext
from .fever import fever
from .greader import greader
from .openapi import allowed_methods, install
from .routes import api, feeds_atom, pages
from .security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SECURITY_HEADERS,
    SESSION_COOKIE,
    SESSION_DAYS,
    SafeJSONResponse,
)

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
#: APIs that authenticate each request with an API password, never the session cookie: no CSRF check.
PASSWORD_APIS = ("/api/greader/", "/api/greader.php/", "/api/fever")
#: Largest request body accepted (an OPML upload is the biggest legitimate one).
MAX_BODY_BYTES = 4_000_000



def _replay(body: bytes) -> Receive:
    """An ASGI ``receive`` that hands the app the body already read, once, then a disconnect."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive

class Guard:
    """ASGI middleware: session cookie, who is asking, CSRF on unsafe methods, security headers."""

    def __init__(self, app: ASGIApp, web: WebContext) -> None:
        self.app = app
        self.web = web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.concurrency import run_in_threadpool

        request = Request(scope)
        token = self.web.signer.unsign(request.cookies.get(SESSION_COOKIE))
        cookie = None
        if token is None:
            from .security import new_token

            token = new_token()
            cookie = self.web.signer.sign(token)
        state = scope.setdefault("state", {})
        state["session_token"] = token
        state["cookie"] = cookie
        client = scope.get("client")
        host = client[0] if client else None
        if self.web.multi_user:  # a session lookup in the database
            state["user"] = await run_in_threadpool(self.web.resolve_user, token, host)
        else:  # no I/O after the first request: skip the thread hop
            state["user"] = self.web.resolve_user(token, host)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store" if state.get("user") else "no-cache"
                if state.get("cookie"):
                    secure = "; Secure" if scope.get("scheme") == "https" else ""
                    headers.append(
                        "Set-Cookie",
                        f"{SESSION_COOKIE}={state['cookie']}; Path=/; Max-Age={SESSION_DAYS * 86400}; "
                        f"HttpOnly; SameSite=Lax{secure}",
                    )
            await send(message)

        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send_with_headers)
            return

        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY_BYTES:
                await self._refuse(scope, send_with_headers, 413, "request body too large")
                return

        if scope.get("path", "").startswith(PASSWORD_APIS):
            await self.app(scope, _replay(body), send_with_headers)
            return

        headers = Headers(scope=scope)
        candidate = headers.get(CSRF_HEADER)
        if not candidate:
            candidate = await self._form_token(scope, headers, body)
        if not self._same_origin(headers, scope) or not self.web.signer.check_csrf(token, candidate):
            await self._refuse(scope, send_with_headers, 403, "missing or invalid CSRF token")
            return
        await self.app(scope, _replay(body), send_with_headers)

    @staticmethod
    async def _form_token(scope: Scope, headers: Headers, body: bytes) -> str | None:
        """The CSRF field of a url-encoded or multipart form body, if any."""
        kind = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if kind == "application/x-www-form-urlencoded":
            values = parse_qs(body.decode("utf-8", "replace"), max_num_fields=200).get(CSRF_FIELD)
            return values[0] if values else None
        if kind == "multipart/form-data":
            try:
                form = await Request(scope, _replay(body)).form(max_files=4, max_fields=50)
            except Exception:  # noqa: BLE001 - a broken multipart body simply has no token
                return None
            value = form.get(CSRF_FIELD)
            await form.close()
            return value if isinstance(value, str) else None
        return None

    @staticmethod
    def _same_origin(headers: Headers, scope: Scope) -> bool:
        """False when the browser says the request comes from another site."""
        origin = headers.get("origin")
        if origin is None:
            return True
        if origin == "null":
            return False
        host = headers.get("host", "")
        return urlsplit(origin).netloc.lower() == host.lower()

    async def _refuse(self, scope: Scope, send: Send, status: int, message: str) -> None:
        path = scope.get("path", "")
        response: Response
        if path.startswith("/api/"):
            response = SafeJSONResponse({"error": message}, status_code=status)
        else:
            response = HTMLResponse(self.web.env.get_template("error.html").render(
                status=status, title="Not allowed" if status == 403 else "Too large", message=message,
                user=None, multi_user=self.web.multi_user, csrf_token="", csrf_field=CSRF_FIELD, path=path,
                full_path=path, feeds_available=self.web.feeds_available()), status_code=status)

        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, nothing, send)


def create_app(store: SQLiteStore, settings: Settings, *, poller: Any = None) -> FastAPI:
    """The web app over ``store``; ``poller`` (live sources) is asked to fetch newly added feeds.

    >>> from parallax.settings import load
    >>> from parallax.store import open_store
    >>> app = create_app(open_store(":memory:"), load(multi_user=True))
    >>> app.state.web.multi_user
    True
    """
    web = WebContext(store, settings, poller=poller)
    app = FastAPI(
        title="Parallax",
        version=__version__,
        description="Read one news story through many outlets at once. Every page has a JSON twin here.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.web = web
    app.include_router(feeds_atom)
    app.include_router(pages)
    app.include_router(forms)
    app.include_router(api)
    app.include_router(api_actions)
    app.include_router(settings_pages)
    app.include_router(settings_api)
    app.include_router(greader, prefix="/api/greader")
    app.include_router(greader, prefix="/api/greader.php")
    app.include_router(fever)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    install(app)  # the OpenAPI document declares every answer's body and status (web/openapi.py)

    @app.get("/login", include_in_schema=False)
    def login_page(request: Request, next: str | None = None) -> Response:
        return web.render(request, "login.html", {"next": next, "error": None, "username": ""})

    @app.get("/feeds", include_in_schema=False)
    def feeds_page(request: Request, notice: str | None = None) -> Response:
        user = request.state.user
        if web.multi_user and user is None:
            raise HTTPException(status_code=401, detail="log in first")
        feeds = store.list_feeds() if web.feeds_available() else []  # type: ignore[attr-defined]
        return web.render(request, "feeds.html", {"feeds": feeds, "notice": (notice or "")[:200],
                                                  "can_manage": bool(user and user.get("role") == "admin"),
                                                  "poller": poller is not None})

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request) -> Response:
        """The API reference, drawn server-side from the OpenAPI document (no external scripts)."""
        spec = app.openapi()
        endpoints = []
        for path, methods in sorted(spec.get("paths", {}).items()):
            for method, op in methods.items():
                params = [p.get("name") for p in op.get("parameters", [])]
                endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                                  "doc": op.get("description", ""), "params": params})
        return web.render(request, "api_docs.html", {"endpoints": endpoints})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> Response:
        return SafeJSONResponse({"ok": True, "version": __version__})

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 405:  # every method served at the path, not the first route's alone
            exc.headers = {**(exc.headers or {}), "Allow": ", ".join(allowed_methods(app, request.scope))}
        if wants_json(request):
            return SafeJSONResponse({"error": detail}, status_code=exc.status_code, headers=exc.headers)
        if exc.status_code == 401 and web.multi_user:
            from urllib.parse import quote

            target = request.url.path + (("?" + request.url.query) if request.url.query else "")
            return Response(status_code=303, headers={"Location": f"/login?next={quote(target, safe='')}"})
        page = web.error_page(request, exc.status_code, detail)
        for name, value in (exc.headers or {}).items():  # Allow on a 405, WWW-Authenticate, ...
            page.headers[name] = value
        return page

    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def starlette_error(request: Request, exc: StarletteHTTPException) -> Response:
        return await http_error(request, HTTPException(status_code=exc.status_code, detail=exc.detail,
                                                       headers=getattr(exc, "headers", None)))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        if wants_json(request):
            return SafeJSONResponse({"error": "invalid input", "problems": problems[:1000]}, status_code=422)
        return web.error_page(request, 422, f"Invalid input: {problems[:300]}")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        response: Response
        if wants_json(request):
            response = SafeJSONResponse({"error": "internal error"}, status_code=500)
        else:
            response = web.error_page(request, 500, "Something went wrong on our side; it has been logged.")
        response.headers.update(SECURITY_HEADERS)  # this handler answers outside the Guard middleware
        return response

    app.add_middleware(Guard, web=web)
    app.add_middleware(HeadAsGet)
    return app


class HeadAsGet:
    """ASGI middleware: ``HEAD`` is answered wherever ``GET`` is, with GET's headers and no body
    (RFC 9110 section 9.3.2); FastAPI's routes name GET alone."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(dict(scope, method="GET"), receive, headers_only)
