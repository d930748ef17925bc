"""Browser tests of the reader's pages: the article page, the filters, and an accessibility check.

Debian's Chromium driven by Playwright against `parallax serve` in a subprocess (as test_browser.py).
axe-core (tests/e2e/vendor/axe-core, MPL-2.0, from the npm registry) is injected into every page, in
light and dark themes; a serious or critical violation fails the test. Screenshots go where
test_browser.py writes them (docs/screenshots/ under `make screenshots`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

E2E = Path(__file__).resolve().parent
sys.path.insert(0, str(E2E))

import test_browser as tb

AXE = E2E / "vendor" / "axe-core" / "axe.min.js"
#: axe impacts that fail the check.
BLOCKING = ("serious", "critical")

pytestmark = tb.pytestmark

browser = tb.browser


@pytest.fixture(scope="module")
def reader_server(tmp_path_factory):
    from parallax.models import Article

    def add_undated(store) -> None:
        undated = Article(id="b-bbc-undated", source="dumps/bbc.txt", outlet="BBC", language="en",
                          title="Rates: what the rise means for you",
                          text="The rise will show in mortgage offers within weeks, lenders said.\n\n"
                               "Savers may see better rates, but more slowly.")
        store.upsert_articles([undated], story_of={undated.id: "story-rates"})

    with tb.serving_fixtures(tmp_path_factory, "reader", add_undated) as base:
        yield base


def _violations(page) -> list[dict]:
    """Run axe-core on the page; its violations of serious or critical impact."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
             const r = await axe.run(document, {resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.slice(0, 4).map(n => n.target.join(' '))}));
           }""")
    return [v for v in found if v["impact"] in BLOCKING]


PAGES = [
    ("top", "/"),
    ("top-filtered", "/?outlet=BBC&window=custom&from=2022-02-01"),
    ("story", "/stories/story-rates"),
    ("story-filtered", "/stories/story-troops?exclude=Example%20Daily"),
    ("article", "/articles/a-ap-1"),
    ("article-undated", "/articles/b-bbc-undated"),
    ("search", "/search?q=troops&exclude=Reuters"),
    ("entities", "/entities"),
    ("entity", "/entities/NATO?window=custom&to=2022-02-16"),
    ("outlets", "/outlets"),
    ("outlet", "/outlets/BBC"),
    ("for-you", "/for-you"),
    ("picks", "/picks"),
    ("feeds", "/feeds"),
    ("api-docs", "/api/docs"),
    ("login", "/login"),
    ("not-found", "/articles/nope"),
    ("bad-filter", "/?window=3d"),
]


def test_every_page_passes_axe_in_both_themes(browser, reader_server):
    problems = {}
    for scheme in ("light", "dark"):
        # bypass_csp: the app's CSP rightly refuses the injected axe script; nothing else changes
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        for name, path in PAGES:
            page.goto(reader_server + path)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # check folded parts too
            bad = _violations(page)
            if bad:
                problems[f"{name} ({scheme})"] = bad
        context.close()
    report = "\n".join(f"{where}: {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
                       for where, found in problems.items() for v in found)
    assert not problems, report


def test_article_page_from_the_story_page(browser, reader_server):
    tb.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = tb._watch(page)
    page.goto(reader_server + "/stories/story-troops")
    page.locator("#article-a-ap-1 a.article-title").click()
    page.wait_for_url("**/articles/a-ap-1")
    assert page.locator("h1").inner_text() == "Russia signals pullback; NATO skeptical"
    assert page.locator(".article-text p").first.inner_text().startswith("NATO Secretary General")
    assert page.locator("a[href='https://apnews.com/article/troops']").is_visible()  # the original
    page.screenshot(path=str(tb.SCREENSHOTS / "article-light.png"), full_page=True)
    page.click("text=Example Daily >> xpath=.. >> a")  # its syndicated copy
    page.wait_for_url("**/articles/a-ap-copy")
    assert "A syndicated copy of" in page.locator(".notice").inner_text()
    page.click(".notice a[href='/articles/a-ap-1']")
    page.wait_for_url("**/articles/a-ap-1")
    page.click("dd a[href^='/stories/story-troops']")  # back to its story
    page.wait_for_url("**/stories/story-troops*")
    page.goto(reader_server + "/articles/b-bbc-undated")
    assert page.locator("dd", has_text="undated").count() == 1
    assert page.locator(".article-text p").count() == 2
    page.screenshot(path=str(tb.SCREENSHOTS / "article-undated-light.png"), full_page=True)
    answer = page.goto(reader_server + "/articles/nope")
    assert answer is not None and answer.status == 404 and "no article" in page.locator("main").inner_text()
    assert not [e for e in errors if "404" not in e], errors
    context.close()


def test_filters_are_set_from_the_form_carried_in_the_url_and_removed(browser, reader_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = tb._watch(page)
    page.goto(reader_server + "/")
    assert page.locator("a.story-title").count() == 2
    page.click("details.filters summary")
    page.select_option("#f-outlet", ["BBC"])
    page.click("text=Apply")
    page.wait_for_url("**/?*outlet=BBC*")
    assert [t.strip() for t in page.locator("a.story-title").all_inner_texts()] == ["Central bank raises interest rates"]
    assert "1 story passes these filters." in page.locator("main").inner_text()
    shared = page.url
    # the URL alone brings the same page back (shareable)
    other = context.new_page()
    other.goto(shared)
    assert other.locator("a.story-title").count() == 1 and other.locator("#f-outlet option:checked").inner_text() == "BBC"
    other.close()
    # a custom window on top of it
    page.select_option("#f-window", "custom")
    page.fill("#f-from", "2022-02-15")
    page.click("text=Apply")
    page.wait_for_load_state()
    query = parse_qs(urlsplit(page.url).query)
    assert query["from"] == ["2022-02-15"] and query["outlet"] == ["BBC"]
    assert "No story passes these filters." in page.locator("main").inner_text()
    page.screenshot(path=str(tb.SCREENSHOTS / "filters-light.png"), full_page=True)
    # remove the outlet filter from its chip: the troops story (15 Feb) comes back
    page.click("a[aria-label='Remove filter: Only BBC']")
    page.wait_for_load_state()
    assert [t.strip() for t in page.locator("a.story-title").all_inner_texts()] == [
        "Russia says troops pull back from Ukraine border"]
    # the story page takes the same filters and says what it hides
    page.goto(reader_server + "/stories/story-troops?exclude=Example%20Daily")
    assert "The filters keep 4 of 5 articles" in page.locator(".notice").inner_text()
    page.screenshot(path=str(tb.SCREENSHOTS / "story-filtered-light.png"), full_page=True)
    # a bad value is a clear 400 page, not a crash
    answer = page.goto(reader_server + "/?window=3d")
    assert answer is not None and answer.status == 400
    assert "window must be 24h, 7d or custom" in page.locator("main").inner_text()
    assert not [e for e in errors if "400" not in e], errors
    context.close()


def test_search_filters_and_the_article_link(browser, reader_server):
    page = browser.new_page()
    page.goto(reader_server + "/search?q=troops")
    before = page.locator("ol.results > li").count()
    page.click("details.filters summary")
    page.select_option("#f-exclude", ["Reuters"])
    page.click("text=Apply")
    page.wait_for_url("**exclude=Reuters**")
    assert "q=troops" in page.url
    after = page.locator("ol.results > li").count()
    assert 0 < after < before
    page.locator("ol.results a.story-title").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator(".article-text p").count() >= 1
    page.close()


def test_reader_pages_fit_a_phone_and_the_dark_theme(browser, reader_server):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    errors = tb._watch(page)
    for name, path in (("article", "/articles/a-ap-1"), ("filters", "/?outlet=BBC&window=custom&from=2022-02-01"),
                       ("story-filtered", "/stories/story-rates?outlet=BBC")):
        page.goto(reader_server + path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} overflows a phone screen: {width}px"
        page.screenshot(path=str(tb.SCREENSHOTS / f"{name}-phone.png"), full_page=True)
    assert not errors, errors
    phone.close()
    dark = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = dark.new_page()
    page.goto(reader_server + "/articles/a-ap-1")
    page.screenshot(path=str(tb.SCREENSHOTS / "article-dark.png"), full_page=True)
    dark.close()
