"""Browser test of the "API access" page (feed-reader apps): set, generate and revoke an API password
by the page's own forms (so with their CSRF tokens), check a reader app can log in with it, and run
axe-core on the page in both themes. Debian's Chromium driven by Playwright against `parallax serve`,
as test_browser.py and test_reader.py do; screenshots go where they write theirs."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

E2E = Path(__file__).resolve().parent
sys.path.insert(0, str(E2E))

import test_browser as tb
from test_reader import _violations

pytestmark = tb.pytestmark

browser = tb.browser


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    def follow_nato(store) -> None:
        store.follow(store.local_user()["id"], "entity", "NATO")

    with tb.serving_fixtures(tmp_path_factory, "api-access", follow_nato) as base:
        yield base


def _client_login(base: str, password: str) -> int:
    return httpx.post(f"{base}/api/greader/accounts/ClientLogin", data={"Email": "local", "Passwd": password},
                      timeout=30).status_code


def test_api_access_page_sets_generates_and_revokes(browser, api_server):
    tb.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = tb._watch(page)
    page.goto(api_server + "/")
    page.click("footer >> text=Feed reader apps")
    page.wait_for_url("**/settings/api")
    assert page.locator("h1").inner_text() == "API access"
    assert "not set" in page.locator(".api-facts").inner_text()
    assert f"{api_server}/api/greader" in page.locator(".api-facts").inner_text()

    page.fill("#api-password", "chosen api password")
    page.fill("#api-confirm", "a different one")
    page.click("button:has-text('Set API password')")
    assert "The two passwords differ." in page.locator("[role=alert]").inner_text()
    page.fill("#api-password", "chosen api password")
    page.fill("#api-confirm", "chosen api password")
    page.click("button:has-text('Set API password')")
    page.wait_for_url(lambda url: "/settings/api?notice=" in url)
    assert page.locator("[role=status]").inner_text() == "API password set"
    assert "set " in page.locator(".api-facts").inner_text()
    assert _client_login(api_server, "chosen api password") == 200
    page.screenshot(path=str(tb.SCREENSHOTS / "api-access-light.png"), full_page=True)

    page.click("button:has-text('Replace API password')")  # both fields empty: one is made
    generated = page.input_value("#generated")
    assert len(generated) >= 20
    assert _client_login(api_server, generated) == 200
    assert _client_login(api_server, "chosen api password") == 401

    page.click("button:has-text('Revoke the API password')")  # an inline form: app.js sends it in the background
    page.wait_for_selector("[role=status] >> text=API password revoked")
    assert page.locator("[role=status]").inner_text() == "API password revoked"
    assert "not set" in page.locator(".api-facts").inner_text()
    assert _client_login(api_server, generated) == 401
    assert [e for e in errors if "status of 422" not in e] == []  # the 422 is the mismatch's answer, on purpose
    context.close()


def test_api_access_page_passes_axe_in_both_themes(browser, api_server):
    problems = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        page.goto(api_server + "/settings/api")
        bad = _violations(page)
        if bad:
            problems[f"first ({scheme})"] = bad
        page.goto(api_server + "/settings/api")
        page.click("button[type=submit].primary")  # the page as it shows a generated password
        page.wait_for_selector("#generated")
        for state in ("generated", "set"):
            bad = _violations(page)
            if bad:
                problems[f"{state} ({scheme})"] = bad
            page.goto(api_server + "/settings/api")
        if scheme == "dark":
            page.screenshot(path=str(tb.SCREENSHOTS / "api-access-dark.png"), full_page=True)
        context.close()
    report = "\n".join(f"{where}: {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
                       for where, found in problems.items() for v in found)
    assert not problems, report
