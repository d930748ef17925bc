"""Web pages and their JSON twins through the in-process client, on the fixture stories, on both stores."""

from __future__ import annotations

import re
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))

import webdata

from parallax.store import open_store

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture()
def store(store_url):
    """The fixture stories on each store (SQLite in memory, as the app's tests always had it; PostgreSQL)."""
    s = open_store(":memory:" if not store_url.startswith("postgresql://") else store_url)
    webdata.fill(s)
    yield s
    s.close()


@pytest.fixture()
def client(store):
    return webdata.make_client(store)


def test_top_page_ranks_the_wider_story_first_with_coverage_bars(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert html.index("Russia says troops pull back") < html.index("Central bank raises interest rates")
    assert html.count('<svg class="bar"') == 2
    assert "<title>Reuters</title>" in html  # one bar segment per outlet, named


def test_api_stories_has_the_documented_listing_shape(client):
    body = client.get("/api/stories").json()
    assert [s["id"] for s in body["stories"]] == ["story-troops", "story-rates"]
    first = body["stories"][0]
    assert set(first) >= {"id", "title", "article_count", "outlets", "updated"}
    assert first["article_count"] == 5  # four canonical articles and one copy
    assert "Example Daily" in first["outlets"]


def test_api_story_is_the_stored_story_object(client, store):
    body = client.get("/api/stories/story-troops").json()
    assert body == store.story("story-troops")
    assert set(body) == {"id", "title", "article_ids", "outlets", "summary", "quotes", "figures", "claims",
                         "timeline", "entities", "coverage", "keywords"}


def test_story_page_shows_every_part_of_the_synthesis(client):
    html = client.get("/stories/story-troops").text
    # summary sentences with outlet chips
    assert re.search(r"returning to base after exercises near Ukraine\.</span> <span class=\"sources\">"
                     r".*?>Reuters</a>.*?>The Guardian</a>", html)
    # agreed / contested panels with actors and stances
    assert 'class="panel contested"' in html and "Some Russian troops are returning to base." in html
    assert '<span class="stance disputes">disputes</span> <strong>NATO</strong>' in html
    # quotes grouped by speaker
    for speaker in ("Olaf Scholz", "Vladimir Putin", "Jens Stoltenberg"):
        assert f"<h3>{speaker}</h3>" in html
    # figures table with the disagreement highlighted
    assert html.count('<tr class="disagrees">') == 2 and "130,000" in html
    # timeline sorted by date
    assert html.index("Scholz travels to Kyiv.") < html.index("Russia announces a partial pullback.")
    # coverage chart: one row per outlet, the copy drawn hollow
    chart = html[html.index('<svg class="timeline-chart"'):]
    chart = chart[: chart.index("</svg>")]
    assert chart.count('<g class="row">') == 5
    assert chart.count(" copy\"") == 1
    # entity chips link to entity pages
    assert 'href="/entities/Olaf%20Scholz"' in html
    # articles with links; the copy folded under its original
    copies = html[html.index('<details class="copies">'):]
    assert "1 syndicated copy" in copies[:200] and "example-daily.com" in copies[:800]


def test_story_page_links_only_http_urls(client):
    html = client.get("/stories/story-troops").text
    hrefs = re.findall(r'href="([^"]+)"', html)
    external = [h for h in hrefs if not h.startswith(("/", "#"))]
    assert external and all(h.startswith(("https://", "http://")) for h in external)


def test_merged_story_redirects_to_the_live_id(client, store):
    store.mark_merged({"story-rates": "story-troops"})
    page = client.get("/stories/story-rates")
    assert page.status_code in (301, 308) and page.headers["location"] == "/stories/story-troops"
    api = client.get("/api/stories/story-rates")
    assert api.status_code in (301, 308) and api.headers["location"] == "/api/stories/story-troops"
    feed = client.get("/stories/story-rates/feed.atom")
    assert feed.headers["location"] == "/stories/story-troops/feed.atom"


def test_unknown_story_is_a_404_page_and_json_error(client):
    page = client.get("/stories/nope")
    assert page.status_code == 404 and "Not found" in page.text
    api = client.get("/api/stories/nope")
    assert api.status_code == 404 and "error" in api.json()


def test_search_page_highlights_matches(client):
    html = client.get("/search", params={"q": "de-escalation"}).text
    assert "<mark>" in html and "/stories/story-troops#article-" in html
    api = client.get("/api/search", params={"q": "de-escalation"}).json()
    assert api["results"] and all("\x02" not in r["snippet"] for r in api["results"])
    assert {r["story_id"] for r in api["results"]} == {"story-troops"}


def test_search_empty_states(client):
    assert "Nothing matches" in client.get("/search", params={"q": "zzzqqq"}).text
    assert "no letters or digits" in client.get("/search", params={"q": "***"}).text
    assert "Search the full text" in client.get("/search").text


def test_entity_and_outlet_pages_and_twins(client):
    html = client.get("/entities/Olaf Scholz").text
    assert "Russia says troops pull back" in html and "Central bank" not in html
    body = client.get("/api/entities/olaf scholz").json()
    assert body["name"] == "Olaf Scholz" and [s["id"] for s in body["stories"]] == ["story-troops"]
    assert client.get("/entities/Nobody").status_code == 404
    names = [e["name"] for e in client.get("/api/entities").json()["entities"]]
    assert "Olaf Scholz" in names and "Anna Berg" in names
    html = client.get("/outlets/BBC").text
    assert "Central bank raises interest rates" in html and "Russia says" not in html
    outlets = {o["outlet"] for o in client.get("/api/outlets").json()["outlets"]}
    assert {"Reuters", "BBC", "Example Daily"} <= outlets
    assert client.get("/api/outlets/bbc").json()["name"] == "BBC"


def test_empty_store_pages_say_what_to_do():
    client = webdata.make_client(open_store(":memory:"))
    assert "No stories yet" in client.get("/").text
    assert "No entities yet" in client.get("/entities").text
    assert "No outlets yet" in client.get("/outlets").text
    assert "Nothing here yet" in client.get("/for-you").text
    assert "No picks yet" in client.get("/picks").text


def test_follow_an_entity_then_see_it_for_you(client):
    token = webdata.csrf_token(client)
    answer = client.post("/follow", data={"kind": "entity", "value": "Anna Berg", "next": "/entities/Anna%20Berg",
                                          "csrf_token": token})
    assert answer.status_code == 303 and answer.headers["location"] == "/entities/Anna%20Berg"
    assert "Following ✓" in client.get("/entities/Anna Berg").text
    html = client.get("/for-you").text
    assert "Central bank raises interest rates" in html and "Russia says" not in html
    assert "Because you follow <strong>Anna Berg</strong>" in html
    api = client.get("/api/for-you").json()
    assert [s["id"] for s in api["stories"]] == ["story-rates"]


def test_mutes_hide_stories_from_for_you(client):
    token = webdata.csrf_token(client)
    headers = {"X-CSRF-Token": token}
    assert client.post("/api/follows", json={"kind": "topic", "value": "inflation"}, headers=headers).status_code == 200
    assert client.post("/api/follows", json={"kind": "outlet", "value": "Reuters"}, headers=headers).status_code == 200
    assert {s["id"] for s in client.get("/api/for-you").json()["stories"]} == {"story-rates", "story-troops"}
    client.post("/api/follows", json={"kind": "entity", "value": "NATO", "muted": True}, headers=headers)
    assert [s["id"] for s in client.get("/api/for-you").json()["stories"]] == ["story-rates"]
    client.delete("/api/follows/entity/NATO", headers=headers)
    assert len(client.get("/api/for-you").json()["stories"]) == 2


def test_pin_a_story_shows_it_in_picks_and_on_top(client):
    token = webdata.csrf_token(client)
    answer = client.post("/picks", data={"story_id": "story-rates", "csrf_token": token})
    assert answer.status_code == 303
    assert [s["id"] for s in client.get("/api/picks").json()["stories"]] == ["story-rates"]
    top = client.get("/").text
    assert top.index("Your picks") < top.index("Central bank raises interest rates") < top.index("Russia says")
    assert "Pinned ★" in client.get("/stories/story-rates").text
    client.post("/picks/story-rates/delete", data={"csrf_token": token})
    assert client.get("/api/picks").json()["stories"] == []


def test_atom_feeds_are_well_formed(client):
    for path, expected in (("/feed.atom", "Russia says troops pull back from Ukraine border"),
                           ("/entities/NATO/feed.atom", "Russia says troops pull back from Ukraine border"),
                           ("/stories/story-troops/feed.atom", "Reuters: Russia says some troops pull back")):
        answer = client.get(path)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/atom+xml")
        root = ET.fromstring(answer.content)
        assert root.tag == f"{ATOM}feed"
        titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
        assert any(t and t.startswith(expected) for t in titles), titles
        for entry in root.findall(f"{ATOM}entry"):
            assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
    story = ET.fromstring(client.get("/stories/story-troops/feed.atom").content)
    assert len(story.findall(f"{ATOM}entry")) == 1 + 5  # the synthesis update and each article


def test_openapi_and_docs_list_the_api(client):
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/search", "/api/entities", "/api/outlets",
                 "/api/feeds", "/api/for-you", "/api/picks"):
        assert path in spec["paths"], path
    assert "/api/stories/{story_id}" in client.get("/api/docs").text


def test_every_page_has_a_json_twin(client):
    for page, twin in (("/", "/api/stories"), ("/stories/story-troops", "/api/stories/story-troops"),
                       ("/search?q=nato", "/api/search?q=nato"), ("/entities", "/api/entities"),
                       ("/entities/NATO", "/api/entities/NATO"), ("/outlets", "/api/outlets"),
                       ("/outlets/DW", "/api/outlets/DW"), ("/for-you", "/api/for-you"), ("/picks", "/api/picks"),
                       ("/feeds", "/api/feeds")):
        assert client.get(page).status_code == 200, page
        answer = client.get(twin)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json"), twin


def test_front_page_ranking_refreshes_in_the_background(store_url):
    from parallax.web.views import TopStories

    store = open_store(store_url)
    webdata.fill(store)
    top = TopStories()
    assert [s["id"] for s in top.page(store)["stories"]] == ["story-troops", "story-rates"]
    store.mark_merged({"story-rates": "story-troops"})
    # the next pages never show the merged story, and the new order arrives without a restart
    deadline = time.monotonic() + 20
    while top.page(store)["total"] != 1:
        assert [s["id"] for s in top.page(store)["stories"]] == ["story-troops"]
        assert time.monotonic() < deadline, "the ranking was not refreshed"
        time.sleep(0.05)
    assert top.stats(store)["stories"] == 1


def test_story_page_folds_positions_of_one_actor() -> None:
    from parallax.web.views import story_page

    class NoArticles:
        def story_articles(self, story_id):
            return []

    claim = {"statement": "Units return to base.", "status": "contested", "positions": [
        {"actor": "Ministry", "stance": "asserts", "text": "Units return to base.", "article_ids": ["a"]},
        {"actor": "NATO", "stance": "disputes", "text": "No sign of it.", "article_ids": ["b"]},
        {"actor": "Ministry", "stance": "asserts", "text": "Units are going back.", "article_ids": ["c"]},
        {"actor": "NATO", "stance": "disputes", "text": "Nothing seen yet.", "article_ids": ["d"]},
        {"actor": "Kyiv", "stance": "disputes", "text": "We will believe it when we see it.", "article_ids": ["e"]}]}
    page = story_page(NoArticles(), {"id": "s", "title": "t", "claims": [claim]})
    [shown] = page["claims"]["contested"]
    rows = [(p["stance"], p["actor"], p["text"], [m["text"] for m in p["more"]]) for p in shown["positions"]]
    assert rows == [("asserts", "Ministry", "Units return to base.", ["Units are going back."]),
                    ("disputes", "NATO", "No sign of it.", ["Nothing seen yet."]),
                    ("disputes", "Kyiv", "We will believe it when we see it.", [])]
