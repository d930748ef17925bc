"""The API keeps its contract: the OpenAPI document declares every answer with the body it has, and
a bounded schemathesis run (all checks, stateful links, writes reached with a session and a CSRF
token) finds nothing. bench/reliability/api_contract.py runs the long version."""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "fixtures" / "web"))
sys.path.insert(0, str(HERE.parent / "bench" / "reliability"))

import webdata

from parallax.store import open_store


@pytest.fixture()
def client(store_url):
    store = open_store(store_url)
    webdata.fill(store)
    return webdata.make_client(store)


def _schema(spec, path, method, status):
    """The declared body schema of one answer, resolvable on its own (components inlined by ref)."""
    body = spec["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    return {**body, "components": spec["components"]}


def _validate(spec, body, schema):
    resolver = jsonschema.validators.RefResolver.from_schema(spec)
    jsonschema.Draft202012Validator(schema, resolver=resolver).validate(body)


def test_every_json_operation_declares_its_200_body_and_its_errors(client):
    spec = client.get("/api/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            ok = op["responses"]["200"]["content"]["application/json"]["schema"]
            assert ok.get("$ref"), (method, path)  # was {} for every operation
            if method in ("post", "delete"):
                assert {"403", "413"} <= set(op["responses"]), (method, path)  # CSRF, body cap
    invalid = spec["components"]["schemas"]["InvalidInput"]
    assert set(invalid["required"]) == {"error", "problems"}  # was {"detail": [...]}, never sent
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_real_answers_match_their_declared_bodies(client):
    spec = client.get("/api/openapi.json").json()
    token = webdata.csrf_token(client)
    sid = client.get("/api/stories").json()["stories"][0]["id"]
    calls = [
        ("get", "/api/stories", "/api/stories", None, 200),
        ("get", "/api/stories/{story_id}", f"/api/stories/{sid}", None, 200),
        ("get", "/api/stories/{story_id}/articles", f"/api/stories/{sid}/articles", None, 200),
        ("get", "/api/stories/{story_id}", "/api/stories/nope", None, 404),
        ("get", "/api/search", "/api/search?q=troops", None, 200),
        ("get", "/api/search", "/api/search?limit=0", None, 422),
        ("get", "/api/entities", "/api/entities", None, 200),
        ("get", "/api/outlets", "/api/outlets", None, 200),
        ("get", "/api/outlets/{name}", "/api/outlets/Reuters", None, 200),
        ("get", "/api/session", "/api/session", None, 200),
        ("post", "/api/follows", "/api/follows", {"kind": "entity", "value": "AC/DC"}, 200),
        ("post", "/api/follows", "/api/follows", {"kind": "band", "value": "x"}, 422),
        ("get", "/api/for-you", "/api/for-you", None, 200),
        ("delete", "/api/follows/{kind}/{value}", "/api/follows/entity/AC/DC", None, 200),
        ("post", "/api/picks", "/api/picks", {"story_id": sid}, 200),
        ("get", "/api/picks", "/api/picks", None, 200),
        ("post", "/api/feeds", "/api/feeds", {"url": "https://feeds.example/rss"}, 200),
        ("get", "/api/feeds", "/api/feeds", None, 200),
        ("post", "/api/login", "/api/login", {"username": "a", "password": "b"}, 409),
        ("post", "/api/logout", "/api/logout", None, 200),
    ]
    for method, template, url, body, status in calls:
        answer = client.request(method.upper(), url, json=body, headers={"X-CSRF-Token": token})
        assert answer.status_code == status, (url, answer.text)
        _validate(spec, answer.json(), _schema(spec, template, method, status))
    refused = client.post("/api/follows", json={"kind": "entity", "value": "x"})  # no CSRF token
    assert refused.status_code == 403
    _validate(spec, refused.json(), _schema(spec, "/api/follows", "post", 403))


def test_follow_kinds_are_an_enum_and_values_are_bounded(client):
    spec = client.get("/api/openapi.json").json()
    op = spec["paths"]["/api/follows/{kind}/{value}"]["delete"]
    (kind,) = [p for p in op["parameters"] if p["name"] == "kind"]
    assert set(kind["schema"]["enum"]) == {"entity", "topic", "outlet"}
    token = webdata.csrf_token(client)
    assert client.delete("/api/follows/band/x", headers={"X-CSRF-Token": token}).status_code == 422
    long = client.post("/api/follows", json={"kind": "topic", "value": "x" * 201}, headers={"X-CSRF-Token": token})
    assert long.status_code == 422  # the store keeps 200 characters: 201 could be added, never dropped
    blank = client.post("/api/follows", json={"kind": "topic", "value": "  "}, headers={"X-CSRF-Token": token})
    assert blank.status_code == 422 and set(blank.json()) == {"error", "problems"}
    lax = client.post("/api/follows", json={"kind": "topic", "value": "x", "muted": 0}, headers={"X-CSRF-Token": token})
    assert lax.status_code == 422  # muted is a JSON boolean, not 0


def test_options_and_other_methods_answer_405_with_every_method_of_the_path(client):
    """GET /api/picks and POST /api/picks are two routes: Allow named the first one's methods only."""
    answer = client.options("/api/picks")
    assert answer.status_code == 405
    assert set(answer.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}
    put = client.put("/api/feeds/1", headers={"X-CSRF-Token": webdata.csrf_token(client)})
    assert put.status_code == 405 and set(put.headers["allow"].replace(" ", "").split(",")) == {"DELETE"}


def test_a_feed_address_that_urlsplit_refuses_is_a_422_not_a_500(client):
    """`POST /feeds` with url=http://[ raised ValueError in urlsplit (a 500)."""
    token = webdata.csrf_token(client)
    answer = client.post("/feeds", data={"url": "http://[", "csrf_token": token})
    assert answer.status_code == 422
    api = client.post("/api/feeds", json={"url": "http://["}, headers={"X-CSRF-Token": token})
    assert api.status_code == 422 and set(api.json()) == {"error", "problems"}


def test_login_in_single_user_mode_is_a_conflict_not_a_bad_request(client):
    """The request is well formed; the server's mode refuses it (a 400 said the request was wrong)."""
    token = webdata.csrf_token(client)
    answer = client.post("/api/login", json={"username": "a", "password": "b"}, headers={"X-CSRF-Token": token})
    assert answer.status_code == 409 and answer.json() == {"error": "single-user mode has no login"}


@pytest.mark.slow
def test_bounded_schemathesis_run_finds_no_failure(tmp_path):
    """All checks, every phase (stateful links followed), a few hundred cases, fixed seed."""
    pytest.importorskip("schemathesis")
    from api_contract import Served, run_schemathesis

    with Served() as served:
        result = run_schemathesis(served.base, served.session_headers(), max_examples=5, max_time=None, workers=1,
                                  seed=20, report_dir=tmp_path, phases="coverage,fuzzing,stateful")
    assert result["cases"] and result["cases"] >= 200, result["output"][-3000:]
    assert result["exit"] == 0 and not result["failures"], result["output"][-6000:]
