"""Accounts store, the feeds admin page, and the `parallax serve` / `parallax users` commands."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))

import webdata

from parallax.cli import app as cli
from parallax.errors import StoreError
from parallax.store import open_store
from parallax.web.security import Signer, hash_password, verify_password

FIXTURES = Path(__file__).parent / "fixtures" / "web"


@pytest.fixture()
def store(store_url):
    s = open_store(store_url)
    webdata.fill(s)
    yield s
    s.close()


# -- store ---------------------------------------------------------------------------------------


def test_users_and_password_hashes(store):
    user = store.add_user("Dana", hash_password("long enough"), role="admin")
    assert user["role"] == "admin" and "password_hash" not in user
    stored = store.password_hash(user["id"])
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "long enough") and not verify_password(stored, "Long enough")
    assert not verify_password(None, "anything") and not verify_password("garbage", "anything")
    with pytest.raises(StoreError):
        store.add_user("dana", hash_password("other one"))  # names are case-insensitive
    with pytest.raises(StoreError):
        store.add_user("eve", hash_password("x" * 10), role="root")  # type: ignore[arg-type]
    with pytest.raises(StoreError):
        store.add_user("local", hash_password("x" * 10))


def test_sessions_expire_and_end(store):
    user = store.add_user("erin", hash_password("password one"))
    store.create_session("h1", user["id"], expires_at="2999-01-01T00:00:00+00:00")
    store.create_session("h2", user["id"], expires_at="2000-01-01T00:00:00+00:00")
    assert store.session_user("h1")["username"] == "erin"
    assert store.session_user("h2") is None
    store.delete_session("h1")
    assert store.session_user("h1") is None


def test_follow_mute_and_for_you(store):
    me = store.local_user()["id"]
    store.follow(me, "entity", "olaf scholz")  # any case
    assert [s["id"] for s in store.for_you(me)] == ["story-troops"]
    store.follow(me, "topic", "interest rates")
    assert {s["id"] for s in store.for_you(me)} == {"story-troops", "story-rates"}
    store.follow(me, "outlet", "DW", muted=True)
    assert [s["id"] for s in store.for_you(me)] == ["story-rates"]
    assert store.follow_state(me, "outlet", "DW") == "muted"
    assert store.unfollow(me, "outlet", "DW") and not store.unfollow(me, "outlet", "DW")
    with pytest.raises(StoreError):
        store.follow(me, "planet", "Mars")  # type: ignore[arg-type]
    with pytest.raises(StoreError):
        store.follow(me, "topic", "   ")


def test_picks_follow_merges(store):
    me = store.local_user()["id"]
    store.pin(me, "story-rates")
    store.pin(me, "story-troops")
    assert [s["id"] for s in store.picks(me)] == ["story-troops", "story-rates"] or \
        {s["id"] for s in store.picks(me)} == {"story-troops", "story-rates"}
    store.mark_merged({"story-rates": "story-troops"})
    assert [s["id"] for s in store.picks(me)] == ["story-troops"]


def test_signer_rejects_forged_and_foreign_cookies():
    one, two = Signer("a" * 40), Signer("b" * 40)
    token = "t" * 43
    assert one.unsign(one.sign(token)) == token
    assert one.unsign(two.sign(token)) is None
    assert one.unsign(one.sign(token) + "x") is None
    assert one.unsign("garbage") is None
    assert one.check_csrf(token, one.csrf_token(token)) and not one.check_csrf(token, two.csrf_token(token))
    assert not one.check_csrf(token, None) and not one.check_csrf(None, one.csrf_token(token))


def test_secret_key_is_generated_once_and_kept(store_url):
    from parallax.settings import load
    from parallax.web.app import create_app

    db = store_url
    first = create_app(open_store(str(db)), load(environ={})).state.web.signer
    second = create_app(open_store(str(db)), load(environ={})).state.web.signer
    token = "s" * 43
    assert second.unsign(first.sign(token)) == token


# -- feeds admin ---------------------------------------------------------------------------------


class FakePoller:
    def __init__(self) -> None:
        self.soon: list[int] = []

    def poll_soon(self, feed_id: int) -> None:
        self.soon.append(int(feed_id))


def test_feeds_page_adds_lists_imports_and_removes(store):
    if not hasattr(store, "add_feed"):
        pytest.skip("live sources (store.add_feed) not installed yet")
    poller = FakePoller()
    client = webdata.make_client(store, poller=poller)
    token = webdata.csrf_token(client)
    assert "No feeds yet" in client.get("/feeds").text
    answer = client.post("/feeds", data={"url": "https://news.example/rss.xml", "csrf_token": token})
    assert answer.status_code == 303 and answer.headers["location"].startswith("/feeds?notice=")
    feeds = client.get("/api/feeds").json()["feeds"]
    assert [f["url"] for f in feeds] == ["https://news.example/rss.xml"]
    assert poller.soon == [feeds[0]["id"]]
    html = client.get("/feeds").text
    assert "https://news.example/rss.xml" in html and "waiting" in html
    # refused address
    bad = client.post("/feeds", data={"url": "javascript:alert(1)", "csrf_token": token})
    assert bad.status_code == 422 and "http://" in bad.text
    # OPML upload
    opml = (FIXTURES / "feeds.opml").read_bytes()
    answer = client.post("/feeds/opml", files={"file": ("feeds.opml", opml, "text/x-opml")},
                         data={"csrf_token": token})
    assert answer.status_code == 303 and "Imported%202%20feeds" in answer.headers["location"]
    urls = [f["url"] for f in client.get("/api/feeds").json()["feeds"]]
    assert urls == ["https://news.example/rss.xml", "https://wire.example/atom", "https://daily.example/feed"]
    broken = client.post("/feeds/opml", files={"file": ("x.opml", b"<html>nope", "text/xml")},
                         data={"csrf_token": token})
    assert broken.status_code == 422
    # remove
    first = client.get("/api/feeds").json()["feeds"][0]["id"]
    assert client.post(f"/feeds/{first}/delete", data={"csrf_token": token}).status_code == 303
    assert len(client.get("/api/feeds").json()["feeds"]) == 2
    # the JSON API does the same
    added = client.post("/api/feeds", json={"url": "https://api.example/rss"}, headers={"X-CSRF-Token": token})
    assert added.status_code == 200 and added.json()["feed"]["url"] == "https://api.example/rss"
    gone = client.delete(f"/api/feeds/{added.json()['feed']['id']}", headers={"X-CSRF-Token": token})
    assert gone.json() == {"removed": True}


def test_feed_status_is_shown(store):
    if not hasattr(store, "add_feed"):
        pytest.skip("live sources (store.add_feed) not installed yet")
    feed = store.add_feed("https://broken.example/rss")
    store.update_feed(feed["id"], last_error="HTTP 500 from server", failures=3)
    html = webdata.make_client(store).get("/feeds").text
    assert "HTTP 500 from server" in html and "3 failures" in html


# -- commands ------------------------------------------------------------------------------------


def test_users_add_and_list(store_url):
    db = store_url
    runner = CliRunner()
    added = runner.invoke(cli, ["users", "add", "frank", "--admin", "--password-stdin", "--db", db],
                          input="a good password\n")
    assert added.exit_code == 0, added.output
    short = runner.invoke(cli, ["users", "add", "gina", "--password-stdin", "--db", db], input="short\n")
    assert short.exit_code == 1
    listed = runner.invoke(cli, ["users", "list", "--db", db])
    assert "frank\tadmin" in listed.output and "gina" not in listed.output
    stored = open_store(db)
    user = stored.user_by_name("frank")
    assert verify_password(stored.password_hash(user["id"]), "a good password")


def test_serve_is_registered():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "--db" in result.output
