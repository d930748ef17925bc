"""The API's contract in its OpenAPI document: what each JSON operation answers, and with what body.

FastAPI derives the request side from the routes (bounds, enums, patterns declared there). This
module adds what it cannot see: the 200 body of every operation as a pydantic model, every other
status the app really sends (400 ... 503, the 308 of a merged story) with the body it has
(``{"error"}``, or ``{"error", "problems"}`` for a 422, not FastAPI's ``{"detail"}``), and links
between operations so a client (or schemathesis) can follow a created resource to its deletion.
The routes stay as they are: :func:`install` replaces ``app.openapi`` with a patched document.

>>> from parallax.settings import load
>>> from parallax.store import open_store
>>> from parallax.web.app import create_app
>>> spec = create_app(open_store(":memory:"), load()).openapi()
>>> sorted(spec["paths"]["/api/feeds/{feed_id}"]["delete"]["responses"])
['200', '401', '403', '404', '413', '422', '503']
>>> spec["paths"]["/api/stories"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
{'$ref': '#/components/schemas/StoryPage'}
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any, Literal

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict
from starlette.routing import Match
from starlette.types import Scope

from ..store.accounts import FOLLOW_KINDS

#: The kinds of thing a user may follow or mute (the store's tuple, as a type for the routes).
FollowKind = Literal[FOLLOW_KINDS]  # type: ignore[valid-type]
#: Longest follow value kept (the store keeps 200 characters).
MAX_FOLLOW_VALUE = 200
#: What a feed address must look like: http(s), an ASCII host, an optional port, printable ASCII after.
FEED_URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$"


class _Open(BaseModel):
    """A JSON object that may carry more keys than the ones named (new fields are additions)."""

    model_config = ConfigDict(extra="allow")


# -- bodies of the errors --------------------------------------------------------------------


class Error(BaseModel):
    """Every error the app answers under ``/api/``: what went wrong, in one line."""

    error: str


class InvalidInput(BaseModel):
    """A 422: the request did not fit the operation's parameters; ``problems`` names each one."""

    error: Literal["invalid input"]
    problems: str


# -- bodies of the answers -------------------------------------------------------------------


class StoryListing(_Open):
    id: str
    title: str | None
    article_count: int | None
    outlets: list[str] | None
    updated: str | None
    first_published: str | None = None
    last_published: str | None = None
    keywords: list[str] | None = None
    pinned_at: str | None = None


class StoryPage(BaseModel):
    stories: list[StoryListing]
    total: int
    offset: int


class StoryArticles(BaseModel):
    story_id: str
    articles: list[dict[str, Any]]  # each the article of docs/json.md (patched to its schema below)


class ArticlePage(_Open):
    """The article page's JSON twin: the article of docs/json.md and its neighbours."""

    id: str
    source: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    text: str
    duplicate_of: str | None = None
    language: str | None = None
    undated: bool
    placed: str | None = None  # an undated article's feed or file time (orders it; not its date)
    paragraphs: list[str]
    story: dict[str, Any] | None
    original: dict[str, Any] | None
    copies: list[dict[str, Any]]
    same_outlet: list[dict[str, Any]]


class SearchHit(_Open):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    story_id: str | None
    url: str | None
    snippet: str


class SearchResults(BaseModel):
    query: str
    results: list[SearchHit]


class EntityRow(_Open):
    name: str
    kind: str | None
    mentions: int | None
    stories: int


class Entities(BaseModel):
    entities: list[EntityRow]


class EntityPage(BaseModel):
    name: str
    entity: EntityRow | None
    stories: list[StoryListing]
    follow: Literal["following", "muted"] | None


class OutletRow(_Open):
    outlet: str
    articles: int
    stories: int
    first: str | None
    last: str | None


class Outlets(BaseModel):
    outlets: list[OutletRow]


class OutletPage(BaseModel):
    name: str
    outlet: OutletRow
    stories: list[StoryListing]
    follow: Literal["following", "muted"] | None


class FollowRow(_Open):
    kind: FollowKind
    value: str
    muted: bool
    created_at: str | None


class ForYou(BaseModel):
    follows: list[FollowRow]
    stories: list[StoryListing]


class Picks(BaseModel):
    stories: list[StoryListing]


class User(_Open):
    id: int
    username: str
    role: Literal["admin", "reader"]
    created_at: str | None


class Session(BaseModel):
    user: User | None
    multi_user: bool
    csrf_token: str | None


class Followed(BaseModel):
    kind: FollowKind
    value: str
    muted: bool


class Removed(BaseModel):
    removed: bool


class Pinned(BaseModel):
    pinned: str


class Feed(_Open):
    id: int
    url: str
    title: str | None
    kind: str
    added_at: str | None
    last_fetch: str | None
    next_fetch: str | None
    last_status: int | None
    last_error: str | None
    entries: int | None
    failures: int | None


class Feeds(BaseModel):
    feeds: list[Feed]


class FeedAdded(BaseModel):
    feed: Feed


class LoggedIn(BaseModel):
    user: User
    csrf_token: str


class LoggedOut(BaseModel):
    ok: Literal[True]


class ApiAccess(BaseModel):
    """Whether the user has an API password for feed-reader apps, and where those apps connect."""

    username: str
    has_password: bool
    created_at: str | None
    greader_url: str
    fever_url: str


# -- which operation answers what -------------------------------------------------------------

#: (method, path) -> (the 200 model or a schema name of document.schema.json, other statuses).
#: 401/403 where a user is required (403 also: single-user mode asked from another machine, or a
#: reader asking an admin's operation); 403 and 413 on every unsafe method (the CSRF check and the
#: body cap run before the route); 404 where a named thing may not exist; 308 where a merged story
#: redirects to its live id; 503 where the build has no live sources; 422 where there are parameters.
UNSAFE = (403, 413)
#: 400 where the operation reads a JSON body: one that cannot be parsed as JSON at all.
BODY = (400, *UNSAFE)
OPERATIONS: dict[tuple[str, str], tuple[Any, tuple[int, ...]]] = {
    # 400: a filter (window, from, to, outlet, exclude, lang) that cannot be read
    ("get", "/api/stories"): (StoryPage, (400, 422)),
    ("get", "/api/stories/{story_id}"): ("story", (308, 400, 404)),
    ("get", "/api/stories/{story_id}/articles"): (StoryArticles, (308, 400, 404)),
    ("get", "/api/articles/{article_id}"): (ArticlePage, (404,)),
    ("get", "/api/search"): (SearchResults, (400, 422)),
    ("get", "/api/entities"): (Entities, (400, 422)),
    ("get", "/api/entities/{name}"): (EntityPage, (400, 404, 422)),
    ("get", "/api/outlets"): (Outlets, (400, 422)),
    ("get", "/api/outlets/{name}"): (OutletPage, (400, 404, 422)),
    ("get", "/api/for-you"): (ForYou, (401, 403)),
    ("get", "/api/picks"): (Picks, (401, 403)),
    ("post", "/api/picks"): (Pinned, (*BODY, 401, 404, 422)),
    ("delete", "/api/picks/{story_id}"): (Removed, (401, *UNSAFE, 404)),
    ("get", "/api/session"): (Session, ()),
    ("post", "/api/follows"): (Followed, (*BODY, 401, 422)),
    ("delete", "/api/follows/{kind}/{value}"): (Removed, (401, *UNSAFE, 404, 422)),
    ("get", "/api/feeds"): (Feeds, (503,)),
    ("post", "/api/feeds"): (FeedAdded, (*BODY, 401, 422, 503)),
    ("delete", "/api/feeds/{feed_id}"): (Removed, (401, *UNSAFE, 404, 422, 503)),
    ("post", "/api/login"): (LoggedIn, (*BODY, 401, 409, 422)),
    ("post", "/api/logout"): (LoggedOut, UNSAFE),
    ("get", "/api/settings/api"): (ApiAccess, (401, 403)),
}

WHY = {
    400: "The body is not JSON at all (it cannot be parsed), or a filter (window, from, to, outlet, exclude, "
         "lang) cannot be read.",
    308: "The story was merged into another: `Location` names the live one (no body).",
    401: "Multi-user mode: log in first (or, on `POST /api/login`, a wrong user name or password).",
    403: "The CSRF token is missing or wrong, single-user mode asked from another machine, "
         "or the operation needs an admin.",
    404: "No such story, entity or outlet; or a path parameter is empty (no route has that path).",
    409: "Single-user mode has no login.",
    413: "The request body is larger than the app accepts.",
    422: "A parameter does not fit: `problems` names each one (a refused follow or feed says why in `error`).",
    503: "Live sources (feeds) are not installed in this build.",
}

#: Links from an answer to the operations it names (followed by clients and by schemathesis).
LINKS: dict[tuple[str, str], dict[str, tuple[str, str, dict[str, str]]]] = {
    ("get", "/api/stories"): {
        "Story": ("get", "/api/stories/{story_id}", {"story_id": "$response.body#/stories/0/id"}),
        "StoryArticles": ("get", "/api/stories/{story_id}/articles", {"story_id": "$response.body#/stories/0/id"}),
        "Pin": ("post", "/api/picks", {"$request.body": "$response.body#/stories/0/id"}),
    },
    ("get", "/api/entities"): {"Entity": ("get", "/api/entities/{name}", {"name": "$response.body#/entities/0/name"})},
    ("get", "/api/outlets"): {"Outlet": ("get", "/api/outlets/{name}", {"name": "$response.body#/outlets/0/outlet"})},
    ("post", "/api/follows"): {"Unfollow": ("delete", "/api/follows/{kind}/{value}",
                                            {"kind": "$response.body#/kind", "value": "$response.body#/value"})},
    ("post", "/api/picks"): {"Unpin": ("delete", "/api/picks/{story_id}", {"story_id": "$response.body#/pinned"})},
    ("post", "/api/feeds"): {"RemoveFeed": ("delete", "/api/feeds/{feed_id}", {"feed_id": "$response.body#/feed/id"})},
}


def _document_schemas() -> dict[str, Any]:
    """The story and article schemas of ``schema/document.schema.json`` (the JSON of docs/json.md).
    An article id there is 16 hex digits (what the pipeline makes); the API serves whatever the
    store holds, so the API's schema says "a string"."""
    text = resources.files("parallax").joinpath("schema/document.schema.json").read_text("utf-8")
    defs = json.loads(text)["$defs"]
    story, article = copy.deepcopy(defs["story"]), copy.deepcopy(defs["article"])
    article["properties"]["id"].pop("pattern", None)
    raw = json.dumps({"Story": story, "Article": article}).replace("#/$defs/article", "#/components/schemas/Article")
    return json.loads(raw.replace("#/$defs/story", "#/components/schemas/Story"))


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def contract(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with the answers of :data:`OPERATIONS` and :data:`LINKS` in it."""
    spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.update(_document_schemas())
    models = {m for m, _ in OPERATIONS.values() if not isinstance(m, str)} | {Error, InvalidInput}
    for model in models:
        body = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(body.pop("$defs", {}))
        schemas[model.__name__] = body
    schemas["StoryArticles"]["properties"]["articles"] = {"type": "array", "items": _ref("Article"),
                                                         "title": "Articles"}
    ids = {(m, p): op.get("operationId") for p, ops in spec.get("paths", {}).items() for m, op in ops.items()}
    for (method, path), (model, statuses) in OPERATIONS.items():
        op = spec.get("paths", {}).get(path, {}).get(method)
        if op is None:  # an operation this build does not serve
            continue
        name = "Story" if model == "story" else model.__name__
        responses: dict[str, Any] = {"200": _json(_ref(name), "Success.")}
        for status in statuses:
            if status == 308:
                responses["308"] = {"description": WHY[308], "headers": {
                    "Location": {"description": "The live story's address.", "schema": {"type": "string"}}}}
            elif status == 422:
                responses["422"] = _json({"anyOf": [_ref("InvalidInput"), _ref("Error")]}, WHY[422])
            else:
                responses[str(status)] = _json(_ref("Error"), WHY[status])
        links = {}
        for link, (target_method, target_path, parameters) in LINKS.get((method, path), {}).items():
            if ids.get((target_method, target_path)):
                links[link] = {"operationId": ids[(target_method, target_path)]}
                if "$request.body" in parameters:  # the story to pin goes in the body
                    links[link]["requestBody"] = {"story_id": parameters["$request.body"]}
                else:
                    links[link]["parameters"] = parameters
        if links:
            responses["200"]["links"] = links
        op["responses"] = responses
    return spec


def install(app: FastAPI) -> None:
    """Serve :func:`contract` as the app's OpenAPI document (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = contract(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """Every method some route serves at the request's path (for ``Allow`` on a 405: Starlette
    names only the first route that matches the path, while GET and POST /api/picks are two).
    Each method is tried against the router (FastAPI nests included routers, so the routes are
    asked, not listed)."""
    methods = {m for m in ("GET", "POST", "PUT", "PATCH", "DELETE")
               if any(route.matches({**scope, "method": m})[0] == Match.FULL for route in app.router.routes)}
    if "GET" in methods:
        methods.add("HEAD")  # answered wherever GET is (app.HeadAsGet)
    return sorted(methods)
