"""Security: hostile articles render inert everywhere, CSRF on every state-changing route, safe search."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))

import webdata

from parallax.store import open_store
from parallax.web.security import hash_password, safe_url, sanitize_html

ATOM = "{http://www.w3.org/2005/Atom}"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
DANGEROUS_TAGS = {"iframe", "object", "embed", "img", "frame", "base", "meta_refresh"}


class Inspector(HTMLParser):
    """Collects what a browser would execute: scripts, event handlers, javascript: URLs, frames."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.in_script = True
            if values.get("src") != "/static/app.js":
                self.problems.append(f"script tag {attrs}")
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("meta refresh")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            squeezed = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name in URL_ATTRIBUTES and squeezed.startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{name}={value!r} on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.problems.append(f"inline script {data[:40]!r}")


def executable_parts(html: str) -> list[str]:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


@pytest.fixture()
def hostile_store(store_url):
    """The fixture and hostile stories on each store (SQLite in memory, as these tests always had it; PostgreSQL)."""
    store = open_store(store_url if store_url.startswith("postgresql://") else ":memory:")
    webdata.fill(store)
    webdata.fill_hostile(store)
    yield store
    store.close()


@pytest.fixture()
def client(hostile_store):
    return webdata.make_client(hostile_store)


def test_the_inspector_catches_each_payload_when_unescaped():
    """The check below can fail: each payload, pasted raw into a page, is caught."""
    for payload in webdata.PAYLOADS:
        assert executable_parts(f"<p>{payload}</p>"), payload


def _hostile_pages(client) -> list[str]:
    pinned = client.post("/picks", data={"story_id": "story-hostile", "csrf_token": webdata.csrf_token(client)})
    assert pinned.status_code == 303
    client.post("/follow", data={"kind": "entity", "value": f"Mallory {webdata.PAYLOADS[0]}",
                                 "csrf_token": webdata.csrf_token(client)})
    evil_entity = f"Mallory {webdata.PAYLOADS[0]}"
    return ["/", "/stories/story-hostile", "/search?q=payload", "/search?q=" + webdata.PAYLOADS[0],
            "/entities", "/entities/" + evil_entity, "/entities/" + webdata.PAYLOADS[2], "/outlets",
            "/outlets/" + webdata.PAYLOADS[2], f"/outlets/Evil {webdata.PAYLOADS[0]}", "/for-you", "/picks",
            "/feeds", "/stories/" + webdata.PAYLOADS[0], "/login?next=" + webdata.PAYLOADS[1]]


def test_hostile_article_renders_inert_on_every_page(client):
    for path in _hostile_pages(client):
        answer = client.get(path)
        assert answer.status_code in (200, 404), path
        assert answer.headers["content-type"].startswith("text/html")
        problems = executable_parts(answer.text)
        assert not problems, (path, problems)
    story = client.get("/stories/story-hostile").text
    assert "&lt;script&gt;alert(&#39;xss-script&#39;)&lt;/script&gt;" in story  # shown, as text
    assert "&lt;svg onload=alert(&#34;xss-svg&#34;)&gt;" in story
    assert 'href="javascript:' not in story.lower()


def test_hostile_article_is_inert_in_every_api_output(client):
    paths = ["/api/stories", "/api/stories/story-hostile", "/api/stories/story-hostile/articles",
             "/api/search?q=payload", "/api/entities", "/api/entities/" + webdata.PAYLOADS[2], "/api/outlets",
             "/api/outlets/" + webdata.PAYLOADS[2], "/api/for-you", "/api/picks"]
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert b"<" not in answer.content and b">" not in answer.content, path  # escaped as \u003c
        json.loads(answer.content)  # and still valid JSON
    story = client.get("/api/stories/story-hostile").json()
    assert webdata.PAYLOADS[0] in story["title"]  # the text survives, only its encoding changed


def test_hostile_article_is_inert_in_every_feed(client):
    for path in ("/feed.atom", "/stories/story-hostile/feed.atom",
                 "/entities/" + f"Mallory {webdata.PAYLOADS[0]}" + "/feed.atom"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        root = ET.fromstring(answer.content)
        tags = {node.tag for node in root.iter()}
        assert all(tag.startswith(ATOM) for tag in tags), (path, tags)  # no injected element
        for node in root.iter():
            if node.tag in (f"{ATOM}title", f"{ATOM}summary", f"{ATOM}content", f"{ATOM}subtitle"):
                assert node.get("type") == "text", (path, node.tag)
        for link in root.iter(f"{ATOM}link"):
            assert not link.get("href", "").lower().startswith("javascript:"), path
        assert b"<script" not in answer.content


def test_security_headers_on_every_kind_of_response(client):
    for path in ("/", "/api/stories", "/feed.atom", "/static/parallax.css", "/nope", "/api/nope"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "default-src 'none'" in csp and "object-src 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-frame-options"] == "DENY"


def test_safe_url_and_sanitizer():
    assert safe_url("https://example.org/a?b=c") == "https://example.org/a?b=c"
    for bad in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<script>", "vbscript:x",
                "java\tscript:alert(1)", "//evil.example", "/relative", "", None):
        assert safe_url(bad) is None, bad
    cleaned = sanitize_html('<p>ok <a href="javascript:alert(1)" onclick="x()">l</a><img src=x onerror=y>'
                            '<svg onload=z><script>s()</script></svg><b>bold</b></p>')
    assert "onclick" not in cleaned and "onerror" not in cleaned and "<script" not in cleaned
    assert "<svg" not in cleaned and "javascript:" not in cleaned and "<img" not in cleaned
    assert "<b>bold</b>" in cleaned and not executable_parts(cleaned)


# -- search --------------------------------------------------------------------------------------

HOSTILE_QUERIES = [
    '"', '""', "'", "*", "-", "^", ":", "NEAR(", "AND", "OR NOT", "a OR", "title:x", "{title}: x", "(", ")",
    "\\", "%", "%%", "_", "\x00", "\x00abc", "a" * 5000, "word " * 400, "\u202e\u200b", "🙂",
    "<script>alert(1)</script>", "' OR 1=1 --", "x\"; DROP TABLE articles; --", "NEAR(a b, 3)", "a*b",
    "\x02troops\x03", "<mark>x</mark>",
]


def test_hostile_search_strings_never_fail(client):
    for q in HOSTILE_QUERIES:
        for path in ("/search", "/api/search"):
            answer = client.get(path, params={"q": q})
            assert answer.status_code == 200, (path, q, answer.status_code)
            if path == "/search":
                assert not executable_parts(answer.text), q
    # raw, badly encoded query strings as a browser or a script might send them
    for raw in ("q=%ED%A0%80", "q=%FF%FE", "q=%", "q=%zz", "q=a&q=b", "q", "q=%00"):
        assert client.get("/search?" + raw).status_code == 200, raw
        assert client.get("/api/search?" + raw).status_code == 200, raw


def test_search_marks_cannot_be_forged_by_the_text(client):
    html = client.get("/search", params={"q": "mark"}).text
    assert "&lt;mark&gt;" not in html or "<mark>x</mark>" not in html


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(min_size=0, max_size=200))
def test_any_search_string_is_safe(client, q):
    answer = client.get("/api/search", params={"q": q})
    assert answer.status_code == 200
    page = client.get("/search", params={"q": q})
    assert page.status_code == 200 and not executable_parts(page.text)


# -- CSRF ----------------------------------------------------------------------------------------

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _all_routes(routes):
    """Every route, descending into included routers (FastAPI keeps them nested)."""
    for route in routes:
        nested = getattr(route, "original_router", None)
        if nested is not None:
            yield from _all_routes(nested.routes)
        else:
            yield route


def _unsafe_routes(app) -> list[tuple[str, str]]:
    """Every unsafe route but the feed-reader APIs, which take an API password and never the session cookie
    (tests/test_web_reader_api.py shows a logged-in session alone reaches nothing there)."""
    from parallax.web.app import PASSWORD_APIS

    found = []
    for route in _all_routes(app.routes):
        if route.path.startswith(PASSWORD_APIS) or route.path + "/" in PASSWORD_APIS:
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            if method in UNSAFE:
                path = route.path.replace("{story_id}", "story-troops").replace("{feed_id}", "1")
                path = path.replace("{kind}", "entity").replace("{value}", "NATO")
                found.append((method, path))
    return found


@pytest.fixture()
def multi(hostile_store):
    hostile_store.add_user("alice", hash_password("correct horse battery"), role="admin")
    client = webdata.make_client(hostile_store, multi_user=True)
    token = webdata.csrf_token(client)
    answer = client.post("/login", data={"username": "alice", "password": "correct horse battery",
                                         "csrf_token": token})
    assert answer.status_code == 303
    assert client.get("/api/session").json()["user"]["username"] == "alice"
    return client


def test_every_state_changing_route_refuses_a_missing_or_wrong_csrf_token(multi):
    routes = _unsafe_routes(multi.app)
    assert len(routes) >= 15  # every form and API write is enumerated, not a hand-picked few
    token = webdata.csrf_token(multi)
    for method, path in routes:
        for extra in ({}, {"headers": {"X-CSRF-Token": "0" * 64}}, {"data": {"csrf_token": "forged"}},
                      {"headers": {"X-CSRF-Token": token, "Origin": "https://evil.example"}}):
            answer = multi.request(method, path, **extra)
            assert answer.status_code == 403, (method, path, extra, answer.status_code)
            assert "CSRF" in answer.text
    # control: with the token the same requests get past the check (they may still be invalid input)
    for method, path in routes:  # (a fresh token each time: /login and /logout rotate the session)
        answer = multi.request(method, path, headers={"X-CSRF-Token": webdata.csrf_token(multi)})
        assert "CSRF" not in answer.text, (method, path)


def test_a_token_from_another_session_is_refused(hostile_store, multi):
    other = webdata.make_client(hostile_store, multi_user=True)
    stolen = webdata.csrf_token(other)
    answer = multi.post("/api/picks", json={"story_id": "story-troops"}, headers={"X-CSRF-Token": stolen})
    assert answer.status_code == 403


def test_login_rotates_the_session_and_logout_ends_it(hostile_store):
    hostile_store.add_user("bob", hash_password("another secret"), role="reader")
    client = webdata.make_client(hostile_store, multi_user=True)
    before = client.cookies.get("parallax_session") or (client.get("/") and client.cookies.get("parallax_session"))
    token = webdata.csrf_token(client)
    wrong = client.post("/login", data={"username": "bob", "password": "nope", "csrf_token": token})
    assert wrong.status_code == 401 and "Wrong user name or password" in wrong.text
    client.post("/login", data={"username": "bob", "password": "another secret", "csrf_token": token})
    after = client.cookies.get("parallax_session")
    assert after and after != before
    assert client.get("/api/for-you").status_code == 200
    client.post("/logout", data={"csrf_token": webdata.csrf_token(client)})
    assert client.get("/api/for-you").status_code == 401
    # the old cookie is dead on the server too
    client.cookies.set("parallax_session", after)
    assert client.get("/api/session").json()["user"] is None


def test_roles_readers_cannot_manage_feeds(hostile_store):
    hostile_store.add_user("carol", hash_password("reader password"), role="reader")
    client = webdata.make_client(hostile_store, multi_user=True)
    client.post("/login", data={"username": "carol", "password": "reader password",
                                "csrf_token": webdata.csrf_token(client)})
    token = webdata.csrf_token(client)
    answer = client.post("/api/feeds", json={"url": "https://example.org/rss"}, headers={"X-CSRF-Token": token})
    assert answer.status_code == 403
    assert "Add a feed" not in client.get("/feeds").text
    # but a reader can follow
    ok = client.post("/api/follows", json={"kind": "entity", "value": "NATO"}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200


def test_multi_user_pages_ask_for_login(hostile_store):
    client = webdata.make_client(hostile_store, multi_user=True)
    answer = client.get("/for-you")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=%2Ffor-you")
    assert client.get("/api/picks").status_code == 401
    assert client.get("/").status_code == 200  # reading stays public


def test_single_user_mode_refuses_changes_from_other_machines(hostile_store):
    client = webdata.make_client(hostile_store, client_host="203.0.113.9")
    token = webdata.csrf_token(client)
    answer = client.post("/api/follows", json={"kind": "entity", "value": "NATO"}, headers={"X-CSRF-Token": token})
    assert answer.status_code == 403
    assert client.get("/").status_code == 200


def test_forms_never_redirect_off_site(client):
    token = webdata.csrf_token(client)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        answer = client.post("/follow", data={"kind": "topic", "value": "x", "next": target, "csrf_token": token})
        assert answer.status_code == 303 and answer.headers["location"].startswith("/")
        assert not answer.headers["location"].startswith("//"), target


def test_session_cookie_flags(client):
    cookie = client.get("/").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie


def test_a_crash_answers_500_with_the_security_headers(hostile_store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(hostile_store, "search_filtered", broken)  # what the web app's search reads through
    client = webdata.make_client(hostile_store, raise_server_exceptions=False)
    for path in ("/search?q=x", "/api/search?q=x"):
        answer = client.get(path)
        assert answer.status_code == 500 and "boom" not in answer.text
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"


def _hostile_raw_documents():
    """Three HTML pages whose text, title, outlet and URL carry the payloads, through the real pipeline."""
    import html as html_lib
    from datetime import UTC, datetime

    from parallax.models import RawDocument

    p = webdata.PAYLOADS
    docs = []
    for i in range(3):
        paragraphs = [
            f"Mayor Ines Duarte said on Monday that the harbour bridge in Lisbon will reopen next week {p[i]}.",
            f"The repairs cost 12 million euros, according to the city council {p[i + 1]}.",
            "Ines Duarte told reporters that engineers had finished the last inspection on Sunday.",
            f'"We are ready {p[i + 2]}," Ines Duarte said.',
        ]
        body = "".join(f"<p>{html_lib.escape(x)}</p>" for x in paragraphs)
        page = (f"<html><head><title>{html_lib.escape(p[0])}</title></head><body><article>"
                f"<h1>Bridge {html_lib.escape(p[1])}</h1>{body}</article>"
                "<script>alert('real-script')</script></body></html>")
        docs.append(RawDocument(source=f"hostile{i}.html", content=page, kind="html",
                                url=webdata.HOSTILE_URL if i == 0 else f"https://o{i}.example/a",
                                outlet=f"Outlet {p[i]}", title=f"Bridge reopens {p[i]}",
                                published=datetime(2026, 11, 20, 9 + i, tzinfo=UTC)))
    return docs


@pytest.mark.slow
def test_hostile_pages_through_the_pipeline_render_inert(store_url):
    from parallax.pipeline import Pipeline
    from parallax.settings import load

    store = open_store(store_url)
    report = Pipeline(store, load(environ={}, embeddings=False)).ingest(_hostile_raw_documents())
    assert report.articles_added == 3 and report.stories_touched
    story_id = report.stories_touched[0]
    story = store.story(story_id)
    assert "<script>" in story["title"]  # the payload really reached the stored story as text
    client = webdata.make_client(store)
    entity = story["entities"][0]["name"] if story["entities"] else "Ines Duarte"
    for path in ("/", f"/stories/{story_id}", "/search?q=bridge", "/entities", f"/entities/{entity}", "/outlets",
                 f"/outlets/{story['outlets'][0]}"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert not executable_parts(answer.text), (path, executable_parts(answer.text))
    for path in ("/api/stories", f"/api/stories/{story_id}", f"/api/stories/{story_id}/articles",
                 "/api/search?q=bridge"):
        assert b"<" not in client.get(path).content, path
    feed = client.get(f"/stories/{story_id}/feed.atom").content
    assert b"<script" not in feed
    for link in ET.fromstring(feed).iter(f"{ATOM}link"):
        assert not link.get("href", "").startswith("javascript:")


def test_head_is_answered_wherever_get_is(client):
    for path in ("/", "/healthz", "/stories/story-troops", "/api/stories", "/feed.atom", "/search?q=troops"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, (path, head.status_code)
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
    assert client.head("/stories/no-such-story").status_code == 404


def test_405_names_the_allowed_methods(client):
    for path, accept in (("/api/follows", "application/json"), ("/healthz", "text/html")):
        answer = client.put(path, headers={"Accept": accept, "X-CSRF-Token": webdata.csrf_token(client)})
        assert answer.status_code == 405 and answer.headers.get("allow"), (path, answer.headers)


def test_out_of_range_feed_ids_are_invalid_input_not_a_crash(client):
    token = webdata.csrf_token(client)
    for method, path in (("DELETE", f"/api/feeds/{2**63}"), ("DELETE", f"/api/feeds/{2**64 + 5}"),
                         ("POST", f"/feeds/{2**63}/delete"), ("POST", f"/feeds/{2**63}/poll"),
                         ("DELETE", "/api/feeds/0")):
        answer = client.request(method, path, headers={"X-CSRF-Token": token, "Accept": "application/json"})
        assert answer.status_code == 422, (method, path, answer.status_code, answer.text)


def test_a_follow_whose_value_holds_a_slash_can_be_dropped(client):
    token = webdata.csrf_token(client)
    added = client.post("/api/follows", json={"kind": "entity", "value": "AC/DC"}, headers={"X-CSRF-Token": token})
    assert added.status_code == 200, added.text
    removed = client.delete("/api/follows/entity/AC/DC", headers={"X-CSRF-Token": token})
    assert removed.status_code == 200 and removed.json() == {"removed": True}, removed.text


def test_safe_url_refuses_del_and_c1_control_characters():
    """Found by bench/reliability/fuzz.py (sanitizer target): safe_url refused C0 controls only, so
    'https://\\x7f/' and 'https://a\\x85b/' were kept as links."""
    for url in ("https://\x7f/", "https://a\x85b/", "https://news.example/\x9f", "https://news.example/a\x7f"):
        assert safe_url(url) is None, url
    assert safe_url("https://news.example/caf\u00e9") == "https://news.example/caf\u00e9"
