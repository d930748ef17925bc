"""`parallax feeds add|list|remove|import|export|poll` through the real command line, on both stores."""

from __future__ import annotations

import json

from conftest import run_cli
from mockserver import MockServer, serve_news

from parallax.sources.opml import parse_opml, to_opml


def feeds(db) -> list[dict]:
    result = run_cli("feeds", "list", "--json", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["feeds"]


def test_add_list_remove(store_url):
    db = store_url
    assert run_cli("feeds", "add", "https://a.example/rss", "--title", "A Wire", "--db", str(db)).returncode == 0
    again = run_cli("feeds", "add", "https://a.example/rss", "--db", str(db))
    assert again.returncode == 0 and "already there" in again.stderr
    run_cli("feeds", "add", "https://b.example/story/1", "--page", "--db", str(db))
    listed = feeds(db)
    assert [(f["url"], f["title"], f["kind"]) for f in listed] == [
        ("https://a.example/rss", "A Wire", "feed"), ("https://b.example/story/1", None, "page")]
    assert listed[0]["next_fetch"] and listed[0]["last_fetch"] is None and listed[0]["entries"] == 0
    table = run_cli("feeds", "list", "--db", str(db), env={"COLUMNS": "200"})
    assert "A Wire" in table.stdout and "not fetched yet" in table.stdout
    assert run_cli("feeds", "remove", "https://a.example/rss", "--db", str(db)).returncode == 0
    assert run_cli("feeds", "remove", str(listed[1]["id"]), "--db", str(db)).returncode == 0
    missing = run_cli("feeds", "remove", "99", "--db", str(db))
    assert missing.returncode == 1 and "no feed" in missing.stderr
    assert feeds(db) == []
    bad = run_cli("feeds", "add", "file:///etc/passwd", "--db", str(db))
    assert bad.returncode == 2 and "http(s)" in bad.stderr


def test_import_export_round_trip(tmp_path, store_url):
    db = store_url
    opml = tmp_path / "mine.opml"
    opml.write_bytes(to_opml([{"url": "https://a.example/rss", "title": "A"}, {"url": "https://b.example/atom", "title": "B"}]))
    first = run_cli("feeds", "import", str(opml), "--db", str(db))
    assert first.returncode == 0 and "2 feeds added, 0 already there" in first.stderr
    assert "0 feeds added, 2 already there" in run_cli("feeds", "import", str(opml), "--db", str(db)).stderr
    exported = run_cli("feeds", "export", "--db", str(db))
    assert parse_opml(exported.stdout.encode()) == parse_opml(opml.read_bytes())
    out = tmp_path / "out.opml"
    run_cli("feeds", "export", str(out), "--db", str(db))
    assert [f["url"] for f in parse_opml(out.read_bytes())] == ["https://a.example/rss", "https://b.example/atom"]
    default = run_cli("feeds", "import", "--default", "--db", str(db))
    assert default.returncode == 0 and len(feeds(db)) >= 47
    broken = tmp_path / "broken.opml"
    broken.write_text("<html/>")
    failed = run_cli("feeds", "import", str(broken), "--db", str(db))
    assert failed.returncode == 1 and "not an OPML document" in failed.stderr


def test_poll_once_reports_each_feed(store_url):
    import json as _json
    from pathlib import Path

    articles = _json.loads((Path(__file__).parent / "fixtures" / "live" / "articles.json").read_text(encoding="utf-8"))
    db = store_url
    with MockServer() as server:
        serve_news(server, articles[:2], full_text=True)
        run_cli("feeds", "add", server.url("/feed.xml"), "--db", str(db))
        run_cli("feeds", "add", server.url("/missing.xml"), "--db", str(db))
        env = {"PARALLAX_ALLOW_PRIVATE_NETWORKS": "1", "PARALLAX_HOST_DELAY": "0", "PARALLAX_EMBEDDINGS": "0"}
        result = run_cli("feeds", "poll", "--db", str(db), env=env)
        guarded = run_cli("feeds", "poll", "--all", "--db", str(db), env={"PARALLAX_ALLOW_PRIVATE_NETWORKS": "0"})
    assert result.returncode == 0, result.stderr
    assert "2 new entries, 2 articles added" in result.stderr and "HTTP 404" in result.stderr
    assert "refused to connect to 127.0.0.1: loopback address" in guarded.stderr
    assert guarded.returncode == 1 and "every feed polled failed" in guarded.stderr
    listed = {f["url"].rsplit("/", 1)[1]: f for f in feeds(db)}
    assert listed["feed.xml"]["entries"] == 2 and "loopback" in listed["missing.xml"]["last_error"]


def test_import_from_a_url(store_url):
    db = store_url
    env = {"PARALLAX_ALLOW_PRIVATE_NETWORKS": "1", "PARALLAX_HOST_DELAY": "0"}
    with MockServer() as server:
        server.add("/subscriptions", to_opml([{"url": "https://a.example/rss", "title": "A"}]),
                   content_type="text/x-opml")
        ok = run_cli("feeds", "import", server.url("/subscriptions"), "--db", str(db), env=env)
        missing = run_cli("feeds", "import", server.url("/nothing.opml"), "--db", str(db), env=env)
        blocked = run_cli("feeds", "import", server.url("/subscriptions"), "--db", str(db))
    assert ok.returncode == 0 and [f["url"] for f in feeds(db)] == ["https://a.example/rss"]
    assert missing.returncode == 1 and "HTTP 404" in missing.stderr
    assert blocked.returncode == 1 and "loopback" in blocked.stderr


def test_feeds_add_warns_at_once_when_the_guard_will_refuse(store_url):
    db = store_url
    local = run_cli("feeds", "add", "http://127.0.0.1:9/feed.xml", "--db", str(db),
                    env={"PARALLAX_ALLOW_PRIVATE_NETWORKS": "0"})
    assert local.returncode == 0 and "warning: it will not be fetched" in local.stderr
    assert "loopback" in local.stderr
    lifted = run_cli("feeds", "add", "http://10.0.0.7/feed.xml", "--db", str(db),
                     env={"PARALLAX_ALLOW_PRIVATE_NETWORKS": "1"})
    assert lifted.returncode == 0 and "warning" not in lifted.stderr


def test_poll_exits_non_zero_when_every_feed_failed_and_a_lifted_guard_reschedules(store_url):
    import json as _json
    from pathlib import Path

    articles = _json.loads((Path(__file__).parent / "fixtures" / "live" / "articles.json").read_text(encoding="utf-8"))
    db = store_url
    with MockServer() as server:
        serve_news(server, articles[:1], full_text=True)
        run_cli("feeds", "add", server.url("/feed.xml"), "--db", str(db))
        guarded = run_cli("feeds", "poll", "--db", str(db), env={"PARALLAX_ALLOW_PRIVATE_NETWORKS": "0"})
        assert guarded.returncode == 1 and "every feed polled failed" in guarded.stderr
        assert "1 feed polled, 0 new articles" in guarded.stderr
        [feed] = feeds(db)
        assert "refused to connect" in feed["last_error"]
        # the guard is lifted: the refused feed is due at once, not at its back-off time
        env = {"PARALLAX_ALLOW_PRIVATE_NETWORKS": "1", "PARALLAX_HOST_DELAY": "0", "PARALLAX_EMBEDDINGS": "0"}
        lifted = run_cli("feeds", "poll", "--db", str(db), env=env)
    assert lifted.returncode == 0, lifted.stderr
    [feed] = feeds(db)
    assert feed["last_error"] is None and feed["entries"] == 1
