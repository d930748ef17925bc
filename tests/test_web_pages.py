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


def test_empty_store_pages_say_what_to_do(store_url):
    client = webdata.make_client(open_store(store_url))
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


# -- the article page ---------------------------------------------------------------------------


def _undated(store, story_id="story-rates"):
    """An undated BBC article joins the rates story (as a dump without a date would)."""
    from parallax.models import Article

    article = Article(id="b-bbc-undated", source="dumps/bbc.txt", text="First paragraph about rates.\n\nSecond one.",
                      outlet="BBC", title="Rates: what it means for you", language="en")
    store.upsert_articles([article], story_of={article.id: story_id})
    return article


def test_article_page_shows_text_metadata_story_copies_and_outlet_siblings(client, store):
    _undated(store)
    html = client.get("/articles/a-ap-1").text
    assert "<h1>Russia signals pullback; NATO skeptical</h1>" in html
    assert "<p>NATO Secretary General Jens Stoltenberg said there was no sign of de-escalation." in html
    assert 'href="/stories/story-troops#article-a-ap-1"' in html  # its story
    assert 'href="/articles/a-ap-copy"' in html  # its syndicated copy
    assert 'href="https://apnews.com/article/troops"' in html  # the original address
    copy = client.get("/articles/a-ap-copy").text
    assert "A syndicated copy of" in copy and 'href="/articles/a-ap-1"' in copy
    bbc = client.get("/articles/b-bbc-undated").text
    assert "<dd>undated</dd>" in bbc
    assert "<p>First paragraph about rates.</p>" in bbc and "<p>Second one.</p>" in bbc  # paragraphs
    assert 'href="/articles/b-bbc-1"' in bbc  # the outlet's other article in this story
    assert "none (dumps/bbc.txt)" in bbc  # no URL: says where it came from


def test_article_json_twins_agree_and_unknown_ids_are_404(client):
    body = client.get("/api/articles/a-ap-copy").json()
    assert body == client.get("/articles/a-ap-copy.json").json()
    assert body["original"]["id"] == "a-ap-1" and body["story"]["id"] == "story-troops"
    assert body["text"].startswith("NATO Secretary General") and body["undated"] is False
    assert [c["id"] for c in client.get("/api/articles/a-ap-1").json()["copies"]] == ["a-ap-copy"]
    page = client.get("/articles/nope")
    assert page.status_code == 404 and "Not found" in page.text and "no article" in page.text
    for path in ("/api/articles/nope", "/articles/nope.json"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.json() == {"error": "no article 'nope'"}


def test_every_article_mention_links_to_its_page(client, store):
    html = client.get("/stories/story-troops").text
    for article_id in ("a-reuters-1", "a-guardian-1", "a-dw-1", "a-ap-1", "a-ap-copy"):
        assert f'href="/articles/{article_id}"' in html, article_id
    summary = html[html.index('<ol class="summary">'):html.index("</ol>", html.index('<ol class="summary">'))]
    assert 'href="/articles/a-reuters-1"' in summary  # source chips open the article in the app
    search = client.get("/search", params={"q": "de-escalation"}).text
    assert 'href="/articles/a-ap-1"' in search
    outlet = client.get("/outlets/BBC").text
    assert 'href="/articles/b-bbc-1"' in outlet


# -- filters --------------------------------------------------------------------------------


def _ids(body):
    return [s["id"] for s in body["stories"]]


def test_outlet_and_window_filters_on_top_stories_and_twin(client):
    assert _ids(client.get("/api/stories", params={"outlet": "bbc"}).json()) == ["story-rates"]
    assert _ids(client.get("/api/stories", params={"exclude": ["BBC", "Financial Times"]}).json()) == ["story-troops"]
    # the window keeps a story when one of its articles falls in it (the rates story is of 14 Feb)
    body = client.get("/api/stories", params={"window": "custom", "from": "2022-02-15"}).json()
    assert _ids(body) == ["story-troops"] and body["total"] == 1 and body["filters"]["from"].startswith("2022-02-15")
    assert _ids(client.get("/api/stories", params={"to": "2022-02-14"}).json()) == ["story-rates"]
    assert _ids(client.get("/api/stories", params={"window": "7d"}).json()) == []  # fixtures are from 2022
    html = client.get("/", params={"outlet": "BBC"}).text
    assert "Central bank raises interest rates" in html and "Russia says troops" not in html
    assert "1 story passes these filters." in html
    assert '<option value="BBC" selected>' in html  # the form shows what is in force
    assert 'aria-label="Remove filter: Only BBC"' in html


def test_last_24_hours_and_language(client, store):
    from datetime import UTC, datetime, timedelta

    from parallax.models import Article

    fresh = Article(id="b-fresh", source="feed", text="Rates again.", outlet="DW", title="Rates again",
                    published=datetime.now(UTC) - timedelta(hours=2), language="de")
    store.upsert_articles([fresh], story_of={"b-fresh": "story-rates"})
    assert _ids(client.get("/api/stories", params={"window": "24h"}).json()) == ["story-rates"]
    assert _ids(client.get("/api/stories", params={"lang": "DE"}).json()) == ["story-rates"]
    assert _ids(client.get("/api/stories", params={"lang": "fr"}).json()) == []


def test_story_page_filters_its_articles_and_says_so(client):
    html = client.get("/stories/story-troops", params={"exclude": "Example Daily"}).text
    assert "The filters keep 4 of 5 articles" in html
    assert 'href="/articles/a-ap-copy"' not in html.split('id="articles-h"')[1]
    body = client.get("/api/stories/story-troops", params={"outlet": "Reuters"}).json()
    assert body["matching_article_ids"] == ["a-reuters-1"] and body["filters"]["outlets"] == ["Reuters"]
    arts = client.get("/api/stories/story-troops/articles", params={"outlet": "Reuters"}).json()
    assert [a["id"] for a in arts["articles"]] == ["a-reuters-1"] and arts["total"] == 5


def test_search_entity_and_outlet_pages_take_filters(client):
    api = client.get("/api/search", params={"q": "troops", "outlet": "Reuters"}).json()
    assert {r["outlet"] for r in api["results"]} == {"Reuters"} and api["total"] == len(api["results"])
    html = client.get("/search", params={"q": "troops", "exclude": "Reuters"}).text
    assert "Reuters</a>" not in html.split('<ol class="results"')[1]
    assert '<input type="hidden" name="exclude" value="Reuters">' in html  # a new search keeps the filters
    assert _ids(client.get("/api/entities/NATO", params={"to": "2022-02-14"}).json()) == []
    assert "No story about NATO passes these filters." in client.get("/entities/NATO", params={"to": "2022-02-14"}).text
    assert _ids(client.get("/api/outlets/BBC", params={"window": "custom", "from": "2022-02-14"}).json()) == ["story-rates"]


@pytest.mark.parametrize("query", [
    {"window": "3d"}, {"from": "2022-13-01"}, {"to": "yesterday"}, {"from": "2022-02-16", "to": "2022-02-14"},
    {"lang": "english!"}, {"outlet": "x" * 300}, {"window": ["24h", "7d"]}, {"window": "24h", "from": "2022-01-01"},
    {"outlet": [f"o{i}" for i in range(60)]},
])
def test_bad_filters_are_a_clear_400_never_a_500(store, query):
    client = webdata.make_client(store, raise_server_exceptions=False)
    for path in ("/api/stories", "/api/search?q=troops", "/api/entities/NATO", "/api/outlets/BBC",
                 "/api/stories/story-troops"):
        answer = client.get(path, params=query)
        assert answer.status_code == 400, (path, query, answer.status_code)
        assert set(answer.json()) == {"error"} and answer.json()["error"]
    for path in ("/", "/search?q=troops", "/entities/NATO", "/outlets/BBC", "/stories/story-troops"):
        answer = client.get(path, params=query)
        assert answer.status_code == 400 and "Bad request" in answer.text, (path, query)
    assert client.get("/entities", params={"all": "maybe"}).status_code == 400


# -- truncation, counts and words ------------------------------------------------------------------


def _many_stories(store, n: int) -> None:
    """``n`` one-article stories naming "Zed Person", from the outlet "Wire"."""
    doc = {"articles": [], "stories": []}
    for i in range(n):
        aid = f"z-{i:03d}"
        doc["articles"].append({"id": aid, "source": f"z{i}", "text": f"Zed Person spoke on day {i}. Zebra words.",
                                "outlet": "Wire", "title": f"Zed story {i:03d}",
                                "published": f"2022-03-{1 + i % 28:02d}T10:{i % 60:02d}:00+00:00"})
        doc["stories"].append({"id": f"story-z{i:03d}", "title": f"Zed story {i:03d}", "keywords": ["zed"],
                               "article_ids": [aid], "outlets": ["Wire"], "coverage": [],
                               "entities": [{"name": "Zed Person", "kind": "person", "mentions": 1}]})
    webdata.load_document(doc, store)


def test_cut_lists_say_how_many_more_and_show_them_all(client, store):
    _many_stories(store, 35)
    html = client.get("/entities/Zed Person").text
    assert html.count('class="story-item"') == 30
    assert "5 more stories about Zed Person." in html and 'href="/entities/Zed%20Person?all=1"' in html
    assert client.get("/entities/Zed Person", params={"all": "1"}).text.count('class="story-item"') == 35
    body = client.get("/api/entities/Zed Person").json()
    assert body["total"] == 35 and len(body["stories"]) == 35
    assert "5 more stories from Wire." in client.get("/outlets/Wire").text
    search = client.get("/search", params={"q": "zebra"}).text
    assert "35 articles match “zebra”; showing 1 to 35." not in search  # one page of 50 holds them all
    assert "35 articles match “zebra”." in search
    top = client.get("/").text
    assert "7 more stories →" in top and 'href="/?offset=30"' in top


def test_search_pages_say_how_many_more_match(store):
    _many_stories(store, 60)
    client = webdata.make_client(store)
    html = client.get("/search", params={"q": "zebra", "outlet": "Wire"}).text
    assert "60 articles match “zebra” with these filters; showing 1 to 50." in html
    assert "10 more matches: next 10 →" in html and "offset=50" in html and "outlet=Wire" in html
    second = client.get("/search", params={"q": "zebra", "outlet": "Wire", "offset": 50}).text
    assert second.count("<li>") >= 10 and 'start="51"' in second


def test_counts_agree_between_page_listing_and_json(client, store):
    listing = {s["id"]: s for s in client.get("/api/stories").json()["stories"]}
    for story_id in ("story-troops", "story-rates"):
        stored = len(store.story_articles(story_id))
        assert listing[story_id]["article_count"] == stored
        html = client.get(f"/stories/{story_id}").text
        assert f" · {stored} articles" in html
        assert len(client.get(f"/api/stories/{story_id}/articles").json()["articles"]) == stored


def test_singular_and_plural_words(client, store):
    single = webdata.make_client(open_store(":memory:"))
    empty = single.get("/").text
    assert "`" not in empty and "<code>parallax build PATH</code>" in empty
    assert "1 article matches “Scholz”." in client.get("/search", params={"q": "Scholz"}).text
    assert "2 articles match “inflation”." in client.get("/search", params={"q": "inflation"}).text
    assert "1 stories" not in client.get("/outlets/BBC").text and "in 1 story" in client.get("/outlets/BBC").text
    assert "1 outlets" not in client.get("/").text


def test_undated_articles_are_shown_not_dropped(client, store):
    _undated(store)
    html = client.get("/stories/story-rates").text
    assert "1 undated article</strong>, not on the time axis" in html
    covered = html[html.index('id="outlets-h"'):]
    covered = covered[: covered.index("</section>")]
    assert "BBC</a> <span class=\"muted\">2 articles, first" in covered and "1 undated" in covered
    assert 'href="/articles/b-bbc-undated"' in covered
    assert "(copy)" not in covered  # the rates story has no copy
    troops = client.get("/stories/story-troops").text
    troops = troops[troops.index('id="outlets-h"'):]
    assert troops[: troops.index("</section>")].count("(copy)") == 1  # Example Daily's, and only it
    assert "3 articles" in html.split('class="story-meta"')[1][:200] and "1 undated" in html


def test_hostile_article_page_and_filter_values_render_inert(store_url):
    import json

    from test_web_security import executable_parts

    store = open_store(store_url)
    webdata.fill_hostile(store)
    client = webdata.make_client(store)
    evil = webdata.PAYLOADS[0]
    for path, params in (("/articles/h-1", {}), ("/articles/h-2", {}), ("/", {"outlet": evil, "exclude": evil}),
                         ("/search", {"q": "payload", "outlet": f"Evil {evil}"}), ("/stories/story-hostile", {"exclude": evil}),
                         ("/outlets/" + webdata.PAYLOADS[2], {"exclude": evil}), ("/?offset=30", {"outlet": evil})):
        answer = client.get(path, params=params)
        assert answer.status_code == 200, path
        assert not executable_parts(answer.text), (path, executable_parts(answer.text))
    assert 'href="javascript:' not in client.get("/articles/h-1").text.lower()  # the hostile URL is not linked
    for path in ("/api/articles/h-1", "/articles/h-1.json", f"/api/stories?outlet={evil}"):
        answer = client.get(path)
        assert answer.status_code == 200 and b"<" not in answer.content, path
        json.loads(answer.content)


def test_in_memory_facts_agree_with_the_sql_filter(store):
    """The front page answers filters from facts.py; the SQL of store.stories_matching is the reference."""
    from parallax.store.queries import ArticleFilter
    from parallax.web.facts import read_facts

    _undated(store)
    _many_stories(store, 5)
    facts = read_facts(store)
    filters = [ArticleFilter(), ArticleFilter(outlets=("bbc",)), ArticleFilter(exclude=("BBC", "Financial Times")),
               ArticleFilter(exclude=("Wire",), language="en"), ArticleFilter(language="EN"),
               ArticleFilter(published_from="2022-02-15T00:00:00+00:00"), ArticleFilter(published_to="2022-02-14T23:59:59+00:00"),
               ArticleFilter(published_from="2022-03-02", published_to="2022-03-04", outlets=("Wire", "Nobody")),
               ArticleFilter(outlets=("Nobody",)), ArticleFilter(language="xx")]
    for flt in filters:
        assert facts.match(flt) == store.stories_matching(flt), flt


def test_entity_and_outlet_filters_agree_in_sql_and_from_facts(store):
    from parallax.store.queries import ArticleFilter
    from parallax.web.views import TopStories, entity_stories, outlet_stories

    _many_stories(store, 40)
    top = TopStories()
    for flt in (ArticleFilter(published_from="2022-03-10", published_to="2022-03-20"), ArticleFilter(exclude=("Wire",)),
                ArticleFilter(outlets=("wire",))):
        for read, name in ((entity_stories, "Zed Person"), (outlet_stories, "Wire")):
            by_sql = read(store, name, flt=flt, limit=30)
            by_facts = read(store, name, flt=flt, limit=30, top=top)
            assert [s["id"] for s in by_sql[0]] == [s["id"] for s in by_facts[0]] and by_sql[1] == by_facts[1], flt


def test_search_counts_up_to_a_cap_and_says_more(store, monkeypatch):
    from parallax.web import views

    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 20)
    _many_stories(store, 60)
    client = webdata.make_client(store)
    html = client.get("/search", params={"q": "zebra"}).text
    # counted past the page shown (50), not to 20
    assert "More than 50 articles match “zebra”; showing 1 to 50." in html and "More matches: next 50 →" in html
    body = client.get("/api/search", params={"q": "zebra", "limit": 10}).json()
    assert body["total"] == 20 and body["total_exact"] is False and len(body["results"]) == 10
    assert client.get("/api/search", params={"q": "Scholz"}).json()["total_exact"] is True
