"""Browser tests: Debian's Chromium driven by Playwright against the real server in a subprocess.

- the main pages, light and dark, desktop and phone: no console error (so no CSP violation), and
  screenshots taken (written to docs/screenshots/ by `make screenshots`, to a temporary folder otherwise,
  so that a test run leaves the checkout as it was);
- keyboard: the skip link comes first and the story opens from the keyboard;
- the click-through on `parallax run`: add a feed served by a local server, open the story it
  becomes, follow an entity, and find the story under "For you".
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS / "fixtures" / "web"))
sys.path.insert(0, str(TESTS))

import webdata

from parallax.store import open_store

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("PARALLAX_SCREENSHOTS") or Path(tempfile.gettempdir()) / "parallax-screenshots")
PARALLAX = Path(sys.executable).parent / "parallax"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium): "
                                                     "run `make browser` (as root) to enable the browser tests"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(args: list[str], port: int, *, env: dict[str, str] | None = None, timeout: float = 120) -> Iterator[str]:
    """Run a `parallax` server command until it answers /healthz; yield its base URL."""
    log = open(os.devnull, "wb")  # noqa: SIM115 - closed below
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.Popen([str(PARALLAX), *args, "--port", str(port)], env=full_env, stdout=log,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"server exited: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("server did not start in time")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _watch(page) -> list[str]:
    """Collect console errors and page errors (a CSP violation shows up here)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


@contextmanager
def serving_fixtures(tmp_path_factory, name: str, prepare=None) -> Iterator[str]:
    """``parallax serve`` over a store filled with the web fixtures, then ``prepare(store)``: its base URL."""
    db = tmp_path_factory.mktemp(name) / f"{name}.db"
    store = open_store(str(db))
    webdata.fill(store)
    if prepare is not None:
        prepare(store)
    store.close()
    with running(["serve", "--db", str(db)], free_port(), env={"PARALLAX_EMBEDDINGS": "0"}) as base:
        yield base


def _follow_and_pin(store) -> None:
    me = store.local_user()["id"]
    store.follow(me, "entity", "Anna Berg")
    store.pin(me, "story-rates")


@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory):
    with serving_fixtures(tmp_path_factory, "web", _follow_and_pin) as base:
        yield base


PAGES = [
    ("top", "/"),
    ("story", "/stories/story-troops"),
    ("search", "/search?q=troops"),
    ("entity", "/entities/Olaf%20Scholz"),
    ("outlets", "/outlets"),
    ("for-you", "/for-you"),
    ("picks", "/picks"),
    ("feeds", "/feeds"),
    ("api-docs", "/api/docs"),
]


def test_main_pages_render_without_errors_and_are_captured(browser, fixture_server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        errors = _watch(page)
        for name, path in PAGES:
            answer = page.goto(fixture_server + path)
            assert answer is not None and answer.status == 200, path
            assert page.locator("h1").first.is_visible()
            if scheme == "light" or name in ("top", "story"):
                page.screenshot(path=str(SCREENSHOTS / f"{name}-{scheme}.png"), full_page=True)
        assert not errors, errors
        context.close()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    errors = _watch(page)
    for name in ("top", "story"):
        page.goto(fixture_server + dict(PAGES)[name])
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} overflows a phone screen: {width}px"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
    assert not errors, errors
    phone.close()


def test_story_page_parts_are_visible(browser, fixture_server):
    page = browser.new_page()
    page.goto(fixture_server + "/stories/story-troops")
    assert page.locator("svg.timeline-chart circle").count() == 5
    assert page.locator("tr.disagrees").count() == 2
    copies = page.locator("details.copies")
    assert not copies.locator("li").first.is_visible()  # copies start folded
    copies.locator("summary").click()
    assert copies.locator("li").first.is_visible()
    page.close()


def test_keyboard_reaches_the_content(browser, fixture_server):
    page = browser.new_page()
    page.goto(fixture_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to content"
    page.keyboard.press("/")  # the search shortcut
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("scholz")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=scholz")
    assert page.locator("ol.results li").count() >= 1
    page.close()


def test_follow_happens_in_place_with_javascript(browser, fixture_server):
    page = browser.new_page()
    errors = _watch(page)
    page.goto(fixture_server + "/entities/NATO")
    page.evaluate("window.__still_here = true")
    page.click("button:has-text('Follow')")
    page.wait_for_selector("button:has-text('Following')")
    assert page.evaluate("window.__still_here === true")  # the page was not reloaded
    assert page.evaluate("document.activeElement.textContent").startswith("Following")
    page.click("button:has-text('Following')")  # unfollow again, also in place
    page.wait_for_selector("button:has-text('Follow'):not(:has-text('Following'))")
    assert page.evaluate("window.__still_here === true")
    assert not errors, errors
    page.close()


def test_theme_toggle_switches_and_remembers(browser, fixture_server):
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(fixture_server + "/")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.click("#theme-toggle")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != light
    page.reload()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dark
    context.close()


# -- the click-through on `parallax run` ----------------------------------------------------------

ARTICLES = [
    ("Harbour bridge to reopen after repairs, Mayor Ines Duarte says",
     ["Mayor Ines Duarte said on Monday that the harbour bridge in Lisbon will reopen to traffic next week.",
      "The repairs cost 12 million euros, according to the city council of Lisbon.",
      "Ines Duarte told reporters that engineers had finished the last inspection on Sunday.",
      "Residents of Lisbon have waited eight months for the bridge to reopen."]),
    ("Lisbon bridge reopening set for next week",
     ["The harbour bridge in Lisbon will reopen next week, Mayor Ines Duarte announced on Monday.",
      "City engineers in Lisbon completed the final inspection of the bridge on Sunday.",
      "The council said the repairs cost 12 million euros and took eight months.",
      "Ines Duarte said traffic would return gradually during the first days."]),
]


def _feed(server) -> bytes:
    from mockserver import item, page, rss

    now = datetime.now(UTC)
    items = []
    for index, (title, paragraphs) in enumerate(ARTICLES):
        path = f"/news/{index}"
        server.add(path, page(title, paragraphs, outlet="Harbour Herald"))
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        items.append(item(title, server.url(path), body=body, published=now - timedelta(hours=3 - index)))
    return rss(items, title="Harbour Herald")


def _run_supported() -> bool:
    result = subprocess.run([str(PARALLAX), "run", "--help"], check=False, capture_output=True, text=True,
                            timeout=60)
    return result.returncode == 0 and "--feeds" in result.stdout


def test_add_a_feed_open_the_story_follow_an_entity_and_see_it_for_you(browser, tmp_path):
    if not _run_supported():
        pytest.skip("`parallax run` (live sources) is not installed yet")
    from mockserver import MockServer

    with MockServer() as server:
        server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        server.add("/feed.xml", _feed(server), content_type="application/rss+xml")
        env = {"PARALLAX_ALLOW_PRIVATE_NETWORKS": "1", "PARALLAX_HOST_DELAY": "0"}
        with running(["run", "--db", str(tmp_path / "live.db"), "--no-default"], free_port(), env=env) as base:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            errors = _watch(page)
            # add the feed through the feeds page
            page.goto(base + "/feeds")
            page.fill("#feed-url", server.url("/feed.xml"))
            page.click("text=Add feed")
            page.wait_for_url(lambda url: "/feeds?notice=" in url)
            assert page.locator("table.feeds tbody tr").count() == 1
            assert server.url("/feed.xml") in page.locator("table.feeds").inner_text()
            # the poller fetches it soon: wait for its story on the front page
            deadline = time.monotonic() + 240
            while page.locator("a.story-title").count() == 0:
                assert time.monotonic() < deadline, "no story appeared from the feed"
                time.sleep(2)
                page.goto(base + "/")
            page.locator("a.story-title").first.click()
            page.wait_for_url("**/stories/*")
            assert "bridge" in page.locator("h1").inner_text().lower()
            page.screenshot(path=str(SCREENSHOTS / "story-live.png"), full_page=True)
            # follow an entity from its chip
            chip = page.locator(".entity-chips a.entity").first
            name = chip.inner_text().strip()
            chip.click()
            page.wait_for_url("**/entities/*")
            page.click("button:has-text('Follow')")
            page.wait_for_selector("button:has-text('Following')")  # swapped in place by app.js
            # and see the story under For you
            page.click("nav >> text=For you")
            page.wait_for_url("**/for-you")
            assert page.locator("a.story-title").count() >= 1
            assert name in page.locator(".because").first.inner_text()
            page.screenshot(path=str(SCREENSHOTS / "for-you-live.png"), full_page=True)
            assert not errors, errors
            context.close()
