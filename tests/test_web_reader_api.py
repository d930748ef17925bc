"""The feed-reader APIs (Google Reader as FreshRSS serves it, and Fever) and the "API access" page,
through the app's own HTTP client, on both stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))

import webdata

from parallax.web.apiaccess import fever_key, fever_key_hash, set_api_password
from parallax.web.readerfeeds import Subscription, long_item_id, parse_item_id
from parallax.web.security import hash_password

GR = "/api/greader"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"


@pytest.fixture
def filled(store):
    webdata.fill(store)
    webdata.fill_hostile(store)
    return store


@pytest.fixture
def users(filled):
    """Two readers of a multi-user Parallax, each with a login password and an API password."""
    dana = filled.add_user("dana", hash_password("login password d"))
    erin = filled.add_user("erin", hash_password("login password e"))
    set_api_password(filled, dana, "api password d")
    set_api_password(filled, erin, "api password e")
    filled.follow(dana["id"], "entity", "NATO")
    filled.follow(dana["id"], "topic", "interest rates")
    filled.follow(dana["id"], "outlet", "BBC")
    filled.follow(dana["id"], "topic", "payload", muted=True)
    return {"dana": dana, "erin": erin}


@pytest.fixture
def client(filled):
    return webdata.make_client(filled, multi_user=True)


def login(client, name: str, password: str) -> dict[str, str]:
    r = client.post(f"{GR}/accounts/ClientLogin", data={"Email": name, "Passwd": password})
    assert r.status_code == 200, r.text
    lines = dict(line.split("=", 1) for line in r.text.splitlines() if "=" in line)
    assert lines["SID"] == lines["Auth"] and lines["LSID"] == "null"
    return {"Authorization": f"GoogleLogin auth={lines['Auth']}"}


def edit_token(client, headers) -> str:
    r = client.get(f"{GR}/reader/api/0/token", headers=headers)
    assert r.status_code == 200
    return r.text.strip()


def contents(client, headers, stream: str = READING_LIST, **params) -> dict:
    r = client.get(f"{GR}/reader/api/0/stream/contents/{stream}", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()


# -- logging in ---------------------------------------------------------------------------------


def test_client_login_takes_the_api_password_only(client, users):
    ok = client.post(f"{GR}/accounts/ClientLogin", data={"Email": "dana", "Passwd": "api password d"})
    assert ok.status_code == 200 and "Auth=dana/" in ok.text
    for name, password in (("dana", "login password d"), ("dana", "api password e"), ("nobody", "api password d"),
                           ("dana", "")):
        bad = client.post(f"{GR}/accounts/ClientLogin", data={"Email": name, "Passwd": password})
        assert bad.status_code == 401 and bad.text.startswith("Error=BadAuthentication")
    # FreshRSS's own path answers too (apps that append /api/greader.php to the server's address)
    assert client.post("/api/greader.php/accounts/ClientLogin",
                       data={"Email": "dana", "Passwd": "api password d"}).status_code == 200


def test_every_call_needs_a_valid_auth_token_and_a_new_password_ends_old_ones(client, users, filled):
    assert client.get(f"{GR}/reader/api/0/subscription/list").status_code == 401
    forged = {"Authorization": "GoogleLogin auth=dana/" + "0" * 40}
    assert client.get(f"{GR}/reader/api/0/subscription/list", headers=forged).status_code == 401
    headers = login(client, "dana", "api password d")
    assert client.get(f"{GR}/reader/api/0/user-info", headers=headers).json()["userName"] == "dana"
    set_api_password(filled, users["dana"], "a new api password")
    assert client.get(f"{GR}/reader/api/0/user-info", headers=headers).status_code == 401
    headers = login(client, "dana", "a new api password")
    assert filled.delete_api_password(users["dana"]["id"])
    assert client.get(f"{GR}/reader/api/0/user-info", headers=headers).status_code == 401


def test_no_csrf_token_is_needed_but_a_session_cookie_gives_nothing(client, users):
    """The APIs authenticate by API password: a logged-in browser session alone reaches nothing."""
    r = client.post("/api/login", json={"username": "dana", "password": "login password d"},
                    headers={"x-csrf-token": webdata.csrf_token(client)})
    assert r.status_code == 200
    assert client.get(f"{GR}/reader/api/0/subscription/list").status_code == 401
    assert client.post("/api/fever/?api", data={"api_key": "x"}).json()["auth"] == 0


# -- reading ------------------------------------------------------------------------------------


def test_subscriptions_are_top_stories_picks_and_follows(client, users):
    headers = login(client, "dana", "api password d")
    subs = client.get(f"{GR}/reader/api/0/subscription/list", params={"output": "json"}, headers=headers).json()
    found = {s["title"]: s for s in subs["subscriptions"]}
    assert set(found) == {"Parallax: top stories", "Parallax: your picks", "NATO", "interest rates", "BBC"}
    assert found["NATO"]["categories"] == [{"id": "user/-/label/Entities", "label": "Entities"}]
    assert found["NATO"]["htmlUrl"] == "http://testserver/entities/NATO"
    assert found["BBC"]["htmlUrl"] == "http://testserver/outlets/BBC"
    assert found["NATO"]["id"] == Subscription.of_follow("entity", "NATO").stream_id
    tags = [t["id"] for t in client.get(f"{GR}/reader/api/0/tag/list", headers=headers).json()["tags"]]
    assert tags == [STARRED, "user/-/label/Parallax", "user/-/label/Topics", "user/-/label/Entities",
                    "user/-/label/Outlets"]
    other = login(client, "erin", "api password e")  # follows nothing: top stories and picks only
    assert len(client.get(f"{GR}/reader/api/0/subscription/list", headers=other).json()["subscriptions"]) == 2


def test_items_are_stories_and_their_body_is_the_synthesis_linking_back(client, users):
    headers = login(client, "dana", "api password d")
    items = contents(client, headers)["items"]
    titles = {i["title"] for i in items}
    assert "Russia says troops pull back from Ukraine border" in titles
    assert "Central bank raises interest rates" in titles
    troops = next(i for i in items if i["title"].startswith("Russia says"))
    body = troops["summary"]["content"]
    assert "Russia said on Tuesday some of its troops were returning to base" in body  # the summary
    assert "diplomacy was far from exhausted" in body and "<blockquote>" in body  # a quote
    assert 'href="http://testserver/stories/story-troops"' in body
    assert 'href="http://testserver/articles/a-reuters-1"' in body
    assert troops["canonical"] == [{"href": "http://testserver/stories/story-troops"}]
    assert troops["id"].startswith("tag:google.com,2005:reader/item/") and len(troops["id"]) == 48
    assert READING_LIST in troops["categories"] and READ not in troops["categories"]
    assert troops["origin"]["streamId"].startswith("feed/")


def test_hostile_synthesis_reaches_the_reader_inert(client, users):
    headers = login(client, "erin", "api password e")
    hostile = next(i for i in contents(client, headers, n=50)["items"] if i["title"].startswith("Hostile"))
    body = hostile["summary"]["content"].lower()
    assert "&lt;script&gt;" in body  # the payload is there, as text
    assert "<script" not in body and "<img" not in body and "<svg" not in body and "<iframe" not in body
    parser = Tags()
    parser.feed(body)
    assert {t for t, _ in parser.found} <= {"p", "a", "em", "strong", "blockquote", "cite", "ul", "li"}
    hrefs = [dict(attrs).get("href") for t, attrs in parser.found if t == "a"]
    assert hrefs and all(h.startswith("http://testserver/") for h in hrefs), hrefs
    assert all(set(dict(attrs)) <= {"href", "rel"} for _, attrs in parser.found)


class Tags(HTMLParser):
    """Every start tag of an HTML text, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def test_streams_filters_order_and_continuation(client, users):
    headers = login(client, "dana", "api password d")
    everything = contents(client, headers, n=100)["items"]
    assert len(everything) == 3
    times = [i["published"] for i in everything]
    assert times == sorted(times, reverse=True)
    oldest = contents(client, headers, n=100, r="o")["items"]
    assert [i["id"] for i in oldest] == [i["id"] for i in everything][::-1]
    first = contents(client, headers, n=2)
    assert len(first["items"]) == 2 and first["continuation"]
    rest = contents(client, headers, n=2, c=first["continuation"])
    assert [i["id"] for i in first["items"] + rest["items"]] == [i["id"] for i in everything]
    assert "continuation" not in rest
    nato = Subscription.of_follow("entity", "NATO").stream_id
    assert [i["title"] for i in contents(client, headers, nato)["items"]] == \
        ["Russia says troops pull back from Ukraine border"]
    rates = [i["title"] for i in contents(client, headers, "user/-/label/Topics")["items"]]
    assert rates == ["Central bank raises interest rates"]
    assert client.get(f"{GR}/reader/api/0/stream/contents/feed/999", headers=headers).status_code == 404
    # the query-parameter form of stream/contents, and stream/items/ids in decimal
    same = client.get(f"{GR}/reader/api/0/stream/contents", params={"s": nato}, headers=headers).json()
    assert [i["title"] for i in same["items"]] == ["Russia says troops pull back from Ukraine border"]
    refs = client.get(f"{GR}/reader/api/0/stream/items/ids", params={"s": READING_LIST, "n": 100},
                      headers=headers).json()["itemRefs"]
    assert sorted(int(r["id"]) for r in refs) == sorted(parse_item_id(i["id"]) for i in everything)


def test_muted_outlet_hides_its_stories_from_followed_feeds(client, users, filled):
    headers = login(client, "dana", "api password d")
    filled.follow(users["dana"]["id"], "outlet", "Reuters", muted=True)  # Reuters covered the troops story
    nato = Subscription.of_follow("entity", "NATO").stream_id
    assert contents(client, headers, nato)["items"] == []


# -- read and starred ---------------------------------------------------------------------------


def test_edit_tag_marks_read_and_starred_per_user(client, users, filled):
    dana, erin = login(client, "dana", "api password d"), login(client, "erin", "api password e")
    items = contents(client, dana)["items"]
    troops = next(i for i in items if i["title"].startswith("Russia says"))
    number = parse_item_id(troops["id"])
    # no edit token, a wrong one, or another user's: refused, nothing marked
    for token in (None, "x" * 57, edit_token(client, erin)):
        data = {"i": troops["id"], "a": READ} | ({"T": token} if token else {})
        assert client.post(f"{GR}/reader/api/0/edit-tag", data=data, headers=dana).status_code == 401
    assert filled.marked_story_ids(users["dana"]["id"], "read") == set()
    token = edit_token(client, dana)
    r = client.post(f"{GR}/reader/api/0/edit-tag", headers=dana,
                    data={"i": troops["id"], "a": READ, "r": "user/-/state/com.google/kept-unread", "ac": "edit",
                          "T": token + "\n"})  # newsboat sends the token with its newline
    assert r.status_code == 200 and r.text == "OK"
    assert filled.marked_story_ids(users["dana"]["id"], "read") == {"story-troops"}
    assert filled.marked_story_ids(users["erin"]["id"], "read") == set()
    unread = contents(client, dana, xt=READ)["items"]
    assert troops["id"] not in [i["id"] for i in unread] and len(unread) == 2
    assert troops["id"] in [i["id"] for i in contents(client, erin, xt=READ)["items"]]
    # star by decimal id, then unstar by the 16-digit form; unread again by the long form
    client.post(f"{GR}/reader/api/0/edit-tag", headers=dana, data={"i": str(number), "a": STARRED, "T": token})
    starred = contents(client, dana, STARRED)["items"]
    assert [i["id"] for i in starred] == [troops["id"]] and STARRED in starred[0]["categories"]
    client.post(f"{GR}/reader/api/0/edit-tag", headers=dana, data={"i": f"{number:016x}", "r": STARRED, "T": token})
    assert contents(client, dana, STARRED)["items"] == []
    client.post(f"{GR}/reader/api/0/edit-tag", headers=dana, data={"i": long_item_id(number), "r": READ, "T": token})
    assert filled.marked_story_ids(users["dana"]["id"], "read") == set()


def test_unread_count_items_contents_and_mark_all_as_read(client, users, filled):
    dana = login(client, "dana", "api password d")
    counts = {c["id"]: c["count"] for c in client.get(f"{GR}/reader/api/0/unread-count", headers=dana).json()[
        "unreadcounts"]}
    assert counts[READING_LIST] == 3 and counts["feed/1"] == 3
    assert counts[Subscription.of_follow("entity", "NATO").stream_id] == 1
    items = contents(client, dana, n=100)["items"]
    # several i= of mixed forms in one POST body, as Reeder and FeedMe send them
    asked = [items[0]["id"], str(parse_item_id(items[1]["id"])), "tag:google.com,2005:reader/item/ffffffffffffff00"]
    r = client.post(f"{GR}/reader/api/0/stream/items/contents", headers=dana, data={"i": asked})
    assert [i["id"] for i in r.json()["items"]] == [items[0]["id"], items[1]["id"]]
    token = edit_token(client, dana)
    nato = Subscription.of_follow("entity", "NATO").stream_id
    assert client.post(f"{GR}/reader/api/0/mark-all-as-read", headers=dana, data={"s": nato, "T": token}).text == "OK"
    assert filled.marked_story_ids(users["dana"]["id"], "read") == {"story-troops"}
    counts = {c["id"]: c["count"] for c in client.get(f"{GR}/reader/api/0/unread-count", headers=dana).json()[
        "unreadcounts"]}
    assert counts[READING_LIST] == 2 and nato not in counts
    assert client.post(f"{GR}/reader/api/0/mark-all-as-read", headers=dana,
                       data={"s": READING_LIST, "ts": "1", "T": token}).text == "OK"  # only items up to 1 µs
    assert filled.marked_story_ids(users["dana"]["id"], "read") == {"story-troops"}
    client.post(f"{GR}/reader/api/0/mark-all-as-read", headers=dana, data={"s": READING_LIST, "T": token})
    assert filled.marked_story_ids(users["dana"]["id"], "read") == {"story-troops", "story-rates", "story-hostile"}


def test_atom_stream_carries_google_reader_state(client, users):
    """What newsboat's feedhq source reads: entry ids in the long form, state as categories."""
    dana = login(client, "dana", "api password d")
    r = client.get(f"{GR}/reader/atom/feed%2F1", params={"n": 20}, headers=dana)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(r.content).findall("a:entry", ns)
    assert len(entries) == 3
    labels = {e.findtext("a:id", namespaces=ns): {c.get("label") for c in e.findall("a:category", ns)}
              for e in entries}
    assert all("fresh" in found and "read" not in found for found in labels.values())
    token = edit_token(client, dana)
    first = next(iter(labels))
    client.post(f"{GR}/reader/api/0/edit-tag", headers=dana, data={"i": first, "a": READ, "T": token})
    again = ET.fromstring(client.get(f"{GR}/reader/atom/feed/1", headers=dana).content).findall("a:entry", ns)
    state = {e.findtext("a:id", namespaces=ns): {c.get("label") for c in e.findall("a:category", ns)} for e in again}
    assert "read" in state[first] and "fresh" not in state[first]
    assert client.get(f"{GR}/reader/atom/feed/1").status_code == 401


# -- Fever --------------------------------------------------------------------------------------


def fever(client, key: str, query: str = "", **data) -> dict:
    r = client.post(f"/api/fever/?api{query}", data={"api_key": key, **data})
    assert r.status_code == 200
    body = r.json()
    assert body["api_version"] == 3
    return body


def test_fever_authenticates_by_key_and_lists_groups_feeds_and_items(client, users):
    assert fever(client, fever_key("dana", "wrong password"))["auth"] == 0
    assert fever(client, fever_key("dana", "login password d"))["auth"] == 0
    key = fever_key("dana", "api password d")
    body = fever(client, key, "&groups&feeds")
    assert body["auth"] == 1
    assert [g["title"] for g in body["groups"]] == ["Parallax", "Topics", "Entities", "Outlets"]
    titles = {f["title"] for f in body["feeds"]}
    assert titles == {"Parallax: top stories", "Parallax: your picks", "NATO", "interest rates", "BBC"}
    grouped = {int(i) for g in body["feeds_groups"] for i in g["feed_ids"].split(",")}
    assert grouped == {f["id"] for f in body["feeds"]}
    items = fever(client, key, "&items")
    assert items["total_items"] == 3 and len(items["items"]) == 3
    troops = next(i for i in items["items"] if i["title"].startswith("Russia says"))
    assert troops["url"] == "http://testserver/stories/story-troops" and troops["is_read"] == 0
    assert "Read the whole story on Parallax" in troops["html"]
    ids = sorted(i["id"] for i in items["items"])
    assert [i["id"] for i in fever(client, key, "&items", since_id=str(ids[0]))["items"]] == ids[1:]
    assert [i["id"] for i in fever(client, key, "&items", max_id=str(ids[-1]))["items"]] == ids[:-1][::-1]
    assert [i["id"] for i in fever(client, key, "&items", with_ids=f"{ids[1]},999999")["items"]] == [ids[1]]
    # the Google Reader API numbers the same story the same way
    headers = login(client, "dana", "api password d")
    gr = {parse_item_id(i["id"]) for i in contents(client, headers, n=100)["items"]}
    assert gr == set(ids)


def test_fever_marks_items_feeds_and_groups(client, users, filled):
    key = fever_key("dana", "api password d")
    items = fever(client, key, "&items")["items"]
    troops = next(i for i in items if i["title"].startswith("Russia says"))
    assert fever(client, key, "&unread_item_ids")["unread_item_ids"].count(",") == 2
    fever(client, key, mark="item", **{"as": "read"}, id=str(troops["id"]))
    fever(client, key, mark="item", **{"as": "saved"}, id=str(troops["id"]))
    assert filled.marked_story_ids(users["dana"]["id"], "read") == {"story-troops"}
    assert filled.marked_story_ids(users["erin"]["id"], "read") == set()
    body = fever(client, key, "&unread_item_ids&saved_item_ids")
    assert str(troops["id"]) not in body["unread_item_ids"].split(",")
    assert body["saved_item_ids"] == str(troops["id"])
    fever(client, key, mark="item", **{"as": "unsaved"}, id=str(troops["id"]))
    fever(client, key, mark="item", **{"as": "unread"}, id=str(troops["id"]))
    assert filled.marked_story_ids(users["dana"]["id"], "read") == set()
    assert filled.marked_story_ids(users["dana"]["id"], "starred") == set()
    topics = fever(client, key, "&feeds")["feeds"]
    rates_feed = next(f for f in topics if f["title"] == "interest rates")
    fever(client, key, mark="feed", **{"as": "read"}, id=str(rates_feed["id"]), before="1")  # nothing that old
    assert filled.marked_story_ids(users["dana"]["id"], "read") == set()
    fever(client, key, mark="feed", **{"as": "read"}, id=str(rates_feed["id"]), before="4000000000")
    assert filled.marked_story_ids(users["dana"]["id"], "read") == {"story-rates"}
    fever(client, key, mark="group", **{"as": "read"}, id="0", before="4000000000")  # group 0: everything
    assert len(filled.marked_story_ids(users["dana"]["id"], "read")) == 3


# -- the API access page ------------------------------------------------------------------------


def test_api_access_page_sets_generates_and_revokes(client, users, filled):
    assert client.get("/settings/api").status_code == 303  # log in first
    token = webdata.csrf_token(client)
    client.post("/api/login", json={"username": "erin", "password": "login password e"},
                headers={"x-csrf-token": token})
    token = webdata.csrf_token(client)
    page = client.get("/settings/api")
    assert page.status_code == 200 and "http://testserver/api/greader" in page.text and "erin" in page.text
    assert client.post("/settings/api", data={"password": "typed api pw", "confirm": "typed api pw"}).status_code == 403
    differ = client.post("/settings/api", data={"password": "typed api pw", "confirm": "other api pw",
                                                "csrf_token": token})
    assert differ.status_code == 422 and "differ" in differ.text
    short = client.post("/settings/api", data={"password": "short", "confirm": "short", "csrf_token": token})
    assert short.status_code == 422 and "at least 8" in short.text
    r = client.post("/settings/api", data={"password": "typed api pw", "confirm": "typed api pw", "csrf_token": token})
    assert r.status_code == 303
    login(client, "erin", "typed api pw")
    made = client.post("/settings/api", data={"password": "", "confirm": "", "csrf_token": token})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    generated = made.text.split('id="generated" class="secret" value="')[1].split('"')[0]
    assert len(generated) >= 20
    login(client, "erin", generated)
    assert fever(client, fever_key("erin", generated))["auth"] == 1
    assert client.post(f"{GR}/accounts/ClientLogin", data={"Email": "erin", "Passwd": "typed api pw"}).status_code == 401
    assert client.get("/api/settings/api").json()["has_password"] is True
    assert client.post("/settings/api/delete", data={"csrf_token": token}).status_code == 303
    assert filled.api_password(users["erin"]["id"]) is None
    assert client.post(f"{GR}/accounts/ClientLogin", data={"Email": "erin", "Passwd": generated}).status_code == 401
    assert fever(client, fever_key("erin", generated))["auth"] == 0


def test_single_user_mode_the_local_user_sets_it_from_this_machine(filled):
    local = webdata.make_client(filled)
    token = webdata.csrf_token(local)
    assert local.post("/settings/api", data={"password": "local api pw", "confirm": "local api pw",
                                             "csrf_token": token}).status_code == 303
    headers = login(local, "local", "local api pw")
    assert len(contents(local, headers)["items"]) == 3
    remote = webdata.make_client(filled, client_host="203.0.113.9")  # another machine: may not set one
    assert remote.get("/settings/api").status_code == 403
    headers = login(remote, "local", "local api pw")  # but a reader app there logs in with it
    assert len(contents(remote, headers)["items"]) == 3


def test_item_ids_parse_in_every_form():
    assert parse_item_id(long_item_id(2**62)) == 2**62
    assert parse_item_id("000000000000002a") == 42 and parse_item_id("42") == 42
    assert parse_item_id("-1") == 2**64 - 1
    for bad in ("", "tag:google.com,2005:reader/item/zz", "12ab", "1" * 40):
        assert parse_item_id(bad) is None


def test_reader_state_moves_with_parallax_migrate(tmp_path, pg_cluster):
    """`parallax migrate` copies API passwords, item numbers and marks; new items never reuse a number."""
    from parallax.store import open_store
    from parallax.store.transfer import copy_database

    source = open_store(str(tmp_path / "from.db"))
    webdata.fill(source)
    user = source.add_user("dana", hash_password("login password d"))
    set_api_password(source, user, "api password d")
    numbers = source.item_numbers(["story-troops", "story-rates"])
    source.set_marks(user["id"], ["story-troops"], read=True, starred=True)
    url = pg_cluster.new_database()
    target = open_store(url)
    try:
        copy_database(source, target)
        assert target.item_numbers(["story-troops", "story-rates"]) == numbers
        assert target.marked_story_ids(user["id"], "read") == {"story-troops"}
        assert target.marked_story_ids(user["id"], "starred") == {"story-troops"}
        assert target.user_by_fever_key(fever_key_hash(fever_key("dana", "api password d")))["username"] == "dana"
        fresh = target.item_numbers(["story-new"])["story-new"]
        assert fresh > max(numbers.values())
        client = webdata.make_client(target, multi_user=True)
        assert login(client, "dana", "api password d")
    finally:
        target.close()
        source.close()
        pg_cluster.drop_database(url)


def test_a_starred_story_stays_reachable_after_it_leaves_every_subscription(client, users, filled, monkeypatch):
    from parallax.web import readerfeeds

    monkeypatch.setattr(readerfeeds, "TOP_ITEMS", 1)  # the top stories hold one story now
    erin = login(client, "erin", "api password e")  # follows nothing
    shown = contents(client, erin)["items"]
    assert len(shown) == 1
    outside = next(s for s in ("story-troops", "story-rates", "story-hostile") if s not in shown[0]["canonical"][0]["href"])
    filled.set_marks(users["erin"]["id"], [outside], starred=True)
    starred = contents(client, erin, STARRED)["items"]
    assert [i["canonical"][0]["href"] for i in starred] == [f"http://testserver/stories/{outside}"]
    asked = client.post(f"{GR}/reader/api/0/stream/items/contents", headers=erin, data={"i": starred[0]["id"]})
    assert [i["id"] for i in asked.json()["items"]] == [starred[0]["id"]]
    key = fever_key("erin", "api password e")
    assert fever(client, key, "&saved_item_ids")["saved_item_ids"] == str(parse_item_id(starred[0]["id"]))
