"""The poller: new entries only, conditional GET, crash safety, hostile feeds, back-off, scheduling."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from mockserver import BILLION_LAUGHS, MockServer, Reply, gzip_bomb, item, page, rss, serve_news, trickle

from parallax.models import RawDocument, Rejected
from parallax.settings import load
from parallax.sources.fetch import Fetcher
from parallax.sources.poller import MAX_INTERVAL, Poller, adaptive_interval, backoff
from parallax.sources.robots import RobotsCache
from parallax.store import open_store

ARTICLES = json.loads((Path(__file__).parent / "fixtures" / "live" / "articles.json").read_text(encoding="utf-8"))


class Recorder:
    """Stands in for the pipeline: records each batch, or fails like a crash mid-ingest."""

    def __init__(self, fail: bool = False) -> None:
        self.batches: list[list[RawDocument | Rejected]] = []
        self.fail = fail

    def ingest(self, docs):
        docs = list(docs)
        if self.fail:
            raise RuntimeError("disk full")
        self.batches.append(docs)
        return SimpleNamespace(articles=[SimpleNamespace(source=d.source) for d in docs if isinstance(d, RawDocument)])

    @property
    def docs(self):
        return [d for batch in self.batches for d in batch]


@pytest.fixture
def server():
    with MockServer() as mock:
        yield mock


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    yield s
    s.close()


def make_poller(store, recorder, *, guard: bool = False, **overrides) -> Poller:
    """A poller on the local server: private networks allowed, or only 127.0.0.1 with ``guard``."""
    settings = load({}, **{"allow_private_networks": not guard, "host_delay": 0.0, "poll_interval": 60.0,
                           "fetch_timeout": 5.0, **overrides})
    fetcher = Fetcher(settings, allow_networks=["127.0.0.1/32"] if guard else ())
    fetcher.robots = RobotsCache(fetcher)
    return Poller(store, settings, fetcher=fetcher, pipeline=recorder)


def seconds_until(stamp: str) -> float:
    return (datetime.fromisoformat(stamp) - datetime.now(UTC)).total_seconds()


def test_teaser_feed_fetches_pages_then_answers_304(server, store):
    serve_news(server, ARTICLES[:3], etag='"v1"')
    feed = store.add_feed(server.url("/feed.xml"), title="Andean Wire")
    recorder = Recorder()
    poller = make_poller(store, recorder)
    [first] = poller.poll_once()
    assert (first.outcome, first.status, first.new_entries, first.articles_added) == ("new", 200, 3, 3)
    docs = recorder.docs
    assert [d.url for d in docs] == [server.url(f"/articles/{a['slug']}.html") for a in ARTICLES[:3]]
    assert all(d.kind == "html" and b"<article>" in d.content and d.outlet == "Andean Wire" for d in docs)
    assert docs[0].title == ARTICLES[0]["title"] and docs[0].byline == ARTICLES[0]["author"]
    row = store.feed(feed["id"])
    assert row["entries"] == 3 and row["etag"] == '"v1"' and row["last_error"] is None
    assert 0 < seconds_until(row["next_fetch"]) <= MAX_INTERVAL

    assert poller.poll_once() == []  # nothing is due yet
    poller.poll_soon(feed["id"])
    [second] = poller.poll_once()
    assert second.outcome == "not-modified" and second.new_entries == 0
    assert server.hits("/feed.xml")[-1]["if-none-match"] == '"v1"'
    assert len(recorder.docs) == 3 and store.feed(feed["id"])["entries"] == 3
    poller.stop()


def test_full_text_feed_needs_no_page_and_only_new_entries_are_taken(server, store):
    serve_news(server, ARTICLES[:2], full_text=True)
    feed = store.add_feed(server.url("/feed.xml"))
    recorder = Recorder()
    poller = make_poller(store, recorder)
    poller.poll_once()
    assert not any(path.startswith("/articles/") for path, _ in server.requests)
    assert "Antofagasta" in recorder.docs[0].content and store.feed(feed["id"])["title"] == "Mock Wire"
    serve_news(server, ARTICLES[:3], full_text=True)  # one more entry, the first two again
    poller.poll_soon(feed["id"])
    [result] = poller.poll_once()
    assert result.new_entries == 1 and recorder.docs[-1].title == ARTICLES[2]["title"]
    poller.poll_soon(feed["id"])
    assert poller.poll_once()[0].outcome == "unchanged"
    assert store.feed(feed["id"])["entries"] == 3
    poller.stop()


def test_a_crash_while_storing_never_skips_entries(server, store):
    serve_news(server, ARTICLES[:2], full_text=True, etag='"v1"')
    feed = store.add_feed(server.url("/feed.xml"))
    crashing = make_poller(store, Recorder(fail=True))
    [result] = crashing.poll_once()
    assert result.outcome == "error" and "processing failed: disk full" in result.error
    row = store.feed(feed["id"])
    assert row["entries"] == 0 and row["etag"] is None and row["failures"] == 1  # validators not advanced
    crashing.stop()

    recorder = Recorder()
    poller = make_poller(store, recorder)
    poller.poll_soon(feed["id"])
    [again] = poller.poll_once()
    assert again.new_entries == 2 and len(recorder.docs) == 2
    assert "if-none-match" not in server.hits("/feed.xml")[-1]  # the whole feed was read again
    assert store.feed(feed["id"])["failures"] == 0
    poller.stop()


def test_hostile_feeds_each_fail_cleanly_and_the_rest_keep_being_polled(server, store):
    """Guard on (only the mock server's own address allowed), one good feed among hostile ones."""
    serve_news(server, ARTICLES[:2], full_text=True)
    good = rss([item("Café prices rise", server.url("/articles/a1.html"), body="<p>" + "mot " * 150 + "</p>")],
               encoding="latin-1", declare="utf-8")
    server.add("/latin1.xml", good, content_type="application/rss+xml; charset=utf-8")
    server.handle("/trickle.xml", trickle(rss([]), every=1.0))
    server.add("/bomb.xml", gzip_bomb(), content_type="application/rss+xml", headers={"Content-Encoding": "gzip"})
    server.add("/laughs.xml", BILLION_LAUGHS, content_type="application/rss+xml")
    server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.add("/private/feed.xml", rss([]), content_type="application/rss+xml")
    server.add("/busy.xml", "slow down", status=429, content_type="text/plain", headers={"Retry-After": "3600"})
    server.add("/to-private.xml", b"", status=302, headers={"Location": f"http://10.0.0.1:{server.port}/x.xml"})
    server.add("/gone.xml", "gone", status=410, content_type="text/plain")
    paths = ["/feed.xml", "/latin1.xml", "/trickle.xml", "/bomb.xml", "/laughs.xml", "/private/feed.xml", "/busy.xml",
             "/to-private.xml", "/gone.xml"]
    ids = {p: store.add_feed(server.url(p))["id"] for p in paths}
    recorder = Recorder()
    poller = make_poller(store, recorder, guard=True, fetch_timeout=2.0, fetch_max_bytes=1_000_000)
    results = {r.feed_id: r for r in poller.poll_once()}
    by_path = {p: results[i] for p, i in ids.items()}
    assert by_path["/feed.xml"].new_entries == 2 and by_path["/latin1.xml"].new_entries == 1
    assert any(d.title == "Café prices rise" for d in recorder.docs)
    expected = {
        "/trickle.xml": "within 2s", "/bomb.xml": "larger than 1000000 bytes", "/laughs.xml": "entities",
        "/private/feed.xml": "robots.txt disallows", "/busy.xml": "HTTP 429", "/to-private.xml": "private address",
        "/gone.xml": "HTTP 410",
    }
    for path, words in expected.items():
        assert by_path[path].outcome == "error" and words in by_path[path].error, (path, by_path[path].error)
        assert store.feed(ids[path])["last_error"] == by_path[path].error
    assert seconds_until(store.feed(ids["/busy.xml"])["next_fetch"]) > 3500  # Retry-After honoured
    assert server.hits("/private/feed.xml") == [] and server.hits("/x.xml") == []
    poller.stop()


def test_failures_back_off_exponentially(server, store):
    server.add("/down.xml", "down", status=500, content_type="text/plain")
    feed = store.add_feed(server.url("/down.xml"))
    poller = make_poller(store, Recorder())
    waits = []
    for _ in range(4):
        poller.poll_soon(feed["id"])
        poller.poll_once()
        waits.append(seconds_until(store.feed(feed["id"])["next_fetch"]))
    assert store.feed(feed["id"])["failures"] == 4
    assert [round(w / 60) for w in waits] == [1, 2, 4, 8]
    poller.stop()


def test_cache_control_max_age_delays_the_next_poll(server, store):
    server.add("/cached.xml", rss([]), content_type="application/rss+xml", headers={"Cache-Control": "max-age=7200"})
    feed = store.add_feed(server.url("/cached.xml"))
    poller = make_poller(store, Recorder())
    poller.poll_once()
    assert seconds_until(store.feed(feed["id"])["next_fetch"]) > 7100
    poller.stop()


def test_site_page_leads_to_its_feed(server, store):
    serve_news(server, ARTICLES[:2], full_text=True, path="/news/rss.xml")
    server.add("/", page("Home", ["Latest news from the wire."], feed_link="/news/rss.xml", og_type="website"))
    feed = store.add_feed(server.url("/"))
    recorder = Recorder()
    poller = make_poller(store, recorder)
    [found] = poller.poll_once()
    assert found.outcome == "discovered" and store.feed(feed["id"])["url"] == server.url("/news/rss.xml")
    [read] = poller.poll_once()
    assert read.new_entries == 2 and store.feed(feed["id"])["site_url"] == server.url("/")
    poller.stop()


def test_single_article_url_is_read_once(server, store):
    serve_news(server, ARTICLES[:1])
    url = server.url("/articles/a1.html")
    feed = store.add_feed(url, kind="page")
    recorder = Recorder()
    poller = make_poller(store, recorder)
    [result] = poller.poll_once()
    assert result.outcome == "new" and recorder.docs[0].url == url and b"Antofagasta" in recorder.docs[0].content
    assert store.feed(feed["id"])["next_fetch"] is None and poller.poll_once() == []
    poller.stop()


def test_page_without_feed_link_is_read_as_an_article(server, store):
    serve_news(server, ARTICLES[:1])
    feed = store.add_feed(server.url("/articles/a1.html"))
    recorder = Recorder()
    poller = make_poller(store, recorder)
    assert poller.poll_once()[0].outcome == "new" and store.feed(feed["id"])["kind"] == "page"
    poller.stop()


def test_teaser_whose_page_fails_falls_back_to_the_feed_text(server, store):
    server.add("/feed.xml", rss([item("Lost", server.url("/missing.html"))]), content_type="application/rss+xml")
    store.add_feed(server.url("/feed.xml"))
    recorder = Recorder()
    poller = make_poller(store, recorder)
    poller.poll_once()
    [doc] = recorder.docs
    assert isinstance(doc, RawDocument) and "Lost" in doc.content
    poller.stop()


def test_background_thread_polls_soon_and_stops_cleanly(server, store):
    serve_news(server, ARTICLES[:2], full_text=True)
    recorder = Recorder()
    poller = make_poller(store, recorder)
    poller.start()
    feed = store.add_feed(server.url("/feed.xml"))
    poller.poll_soon(feed["id"])
    deadline = time.monotonic() + 20
    while store.feed(feed["id"])["entries"] < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert store.feed(feed["id"])["entries"] == 2
    poller.stop(timeout=10)
    assert poller._thread is None


def test_real_pipeline_stores_articles(server, store):
    serve_news(server, ARTICLES[:4] + ARTICLES[5:6], full_text=False)
    store.add_feed(server.url("/feed.xml"))
    settings = load({}, allow_private_networks=True, host_delay=0.0, embeddings=False)
    poller = Poller(store, settings)
    [result] = poller.poll_once()
    poller.stop()
    assert result.new_entries == 5 and result.articles_added == 5
    assert store.stats()["articles"] == 5
    titles = {a.title for a in store.all_articles()}
    assert ARTICLES[0]["title"] in titles and ARTICLES[5]["title"] in titles


def test_adaptive_interval():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    hourly = [start + timedelta(hours=h) for h in range(10)]
    daily = [start + timedelta(days=d) for d in range(10)]
    assert adaptive_interval(hourly, base=900, previous=None, new=3) == 1800
    assert adaptive_interval(daily, base=900, previous=None, new=3) == 43_200
    assert adaptive_interval([start + timedelta(minutes=m) for m in range(10)], base=900, previous=None, new=3) == 300
    assert adaptive_interval([], base=900, previous=None, new=0) == 900
    assert adaptive_interval([], base=900, previous=1800, new=0) == 2700  # quiet: slows down
    assert adaptive_interval([], base=900, previous=80_000, new=0) == MAX_INTERVAL
    assert [backoff(n, 60) for n in (1, 2, 3)] == [60, 120, 240] and backoff(30, 60) == 86_400


def test_poll_soon_during_a_long_round_joins_it(server, store):
    """A feed added (e.g. in the web app) while a slow feed is being read is not kept waiting."""
    server.handle("/slow.xml", trickle(rss([]), every=0.1))  # ~25 s of trickling
    serve_news(server, ARTICLES[:1], full_text=True)
    slow = store.add_feed(server.url("/slow.xml"))
    poller = make_poller(store, Recorder(), fetch_timeout=40.0)
    poller.start()
    deadline = time.monotonic() + 5
    while not server.hits("/slow.xml") and time.monotonic() < deadline:
        time.sleep(0.05)
    fresh = store.add_feed(server.url("/feed.xml"))
    poller.poll_soon(fresh["id"])
    deadline = time.monotonic() + 15
    while store.feed(fresh["id"])["entries"] == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert store.feed(fresh["id"])["entries"] == 1
    assert store.feed(slow["id"])["last_fetch"] is None  # the slow feed is still being read
    poller.stop(timeout=10)


def test_permanent_redirect_moves_the_feed_and_temporary_does_not(server, store):
    serve_news(server, ARTICLES[:1], full_text=True, path="/new.xml")
    server.add("/old.xml", b"", status=301, headers={"Location": "/new.xml"})
    server.add("/tmp.xml", b"", status=302, headers={"Location": "/new.xml"})
    moved = store.add_feed(server.url("/old.xml"))
    kept = store.add_feed(server.url("/tmp.xml"))
    poller = make_poller(store, Recorder())
    poller.poll_once()
    assert store.feed(moved["id"])["url"] == server.url("/new.xml")
    assert store.feed(kept["id"])["url"] == server.url("/tmp.xml")
    poller.stop()


def test_stopping_mid_fetch_leaves_the_feed_untouched(server, store):
    server.handle("/slow.xml", trickle(rss([]), every=0.1))
    feed = store.add_feed(server.url("/slow.xml"))
    poller = make_poller(store, Recorder(), fetch_timeout=40.0)
    poller.start()
    deadline = time.monotonic() + 5
    while not server.hits("/slow.xml") and time.monotonic() < deadline:
        time.sleep(0.05)
    poller.stop(timeout=10)
    row = store.feed(feed["id"])
    assert row["last_error"] is None and row["failures"] == 0 and row["last_fetch"] is None


def test_last_modified_is_sent_back_and_the_interval_follows_the_feed(server, store):
    stamp = "Thu, 19 Nov 2026 12:00:00 GMT"
    hourly = [item(f"Hour {h}", server.url(f"/h/{h}"), body="<p>" + "news " * 120 + "</p>",
                   published=datetime(2026, 11, 19, h, 0, tzinfo=UTC)) for h in range(8)]
    body = rss(hourly)

    def answer(handler):
        if handler.headers.get("If-Modified-Since") == stamp:
            return Reply(b"", 304)
        return Reply(body, 200, "application/rss+xml", {"Last-Modified": stamp})

    server.handle("/hourly.xml", answer)
    feed = store.add_feed(server.url("/hourly.xml"))
    poller = make_poller(store, Recorder(), poll_interval=900.0)
    [first] = poller.poll_once()
    row = store.feed(feed["id"])
    assert first.new_entries == 8 and row["last_modified"] == stamp
    assert row["interval"] == 1800 and 1700 < seconds_until(row["next_fetch"]) <= 1800  # half the hourly gap
    poller.poll_soon(feed["id"])
    [second] = poller.poll_once()
    assert second.outcome == "not-modified" and server.hits("/hourly.xml")[-1]["if-modified-since"] == stamp
    assert store.feed(feed["id"])["interval"] == 2700  # quiet: slows down
    poller.stop()


def test_article_url_announcing_the_site_feed_is_read_as_the_article(server, store):
    """Article pages link their site's feed too: an article URL added by hand means that article."""
    serve_news(server, ARTICLES[:1], full_text=True, path="/news/rss.xml")
    server.add("/story.html", page(ARTICLES[1]["title"], ARTICLES[1]["paragraphs"], feed_link="/news/rss.xml"))
    feed = store.add_feed(server.url("/story.html"))
    recorder = Recorder()
    poller = make_poller(store, recorder)
    [result] = poller.poll_once()
    row = store.feed(feed["id"])
    assert result.outcome == "new" and row["kind"] == "page" and row["url"] == server.url("/story.html")
    assert [d.url for d in recorder.docs] == [server.url("/story.html")]
    poller.stop()


def test_page_charset_from_the_http_header_is_used(server, store):
    html = "<html><head><title>Café</title></head><body><article><p>Le café est fermé.</p></article></body></html>"
    server.add("/cp1252.html", html.encode("cp1252"), content_type="text/html; charset=windows-1252")
    server.add("/utf8.html", html.encode("utf-8"), content_type="text/html; charset=iso-8859-1")
    for path in ("/cp1252.html", "/utf8.html"):
        store.add_feed(server.url(path), kind="page")
    recorder = Recorder()
    poller = make_poller(store, recorder)
    poller.poll_once()
    by_url = {d.url: d.content for d in recorder.docs}
    assert by_url[server.url("/cp1252.html")] == html  # decoded with the header's charset
    assert by_url[server.url("/utf8.html")] == html.encode("utf-8")  # valid UTF-8: left to the cleaner
    poller.stop()


@pytest.mark.parametrize("bad_link", [
    "http://0177.0.0.1/", "http://\uff11\uff12\uff17.0.0.1/", "http://\u2460\u2461\u2466.0.0.1/",
    "http://" + "a" * 300 + ".com/", "http://xn--/",
])
def test_one_unfetchable_teaser_link_never_fails_its_feed(server, store, bad_link):
    good = [item(a["title"], server.url(f"/articles/{a['slug']}.html")) for a in ARTICLES[:2]]
    for a in ARTICLES[:2]:
        server.add(f"/articles/{a['slug']}.html", page(a["title"], a["paragraphs"]))
    server.add("/feed.xml", rss([item("Broken link", bad_link), *good]), content_type="application/rss+xml")
    feed = store.add_feed(server.url("/feed.xml"))
    recorder = Recorder()
    poller = make_poller(store, recorder)
    [result] = poller.poll_once()
    assert result.outcome == "new" and result.new_entries == 3
    pages = [d for d in recorder.docs if isinstance(d, RawDocument) and d.url and "/articles/" in d.url]
    assert len(pages) == 2  # both good entries ingested with their pages
    assert store.feed(feed["id"])["last_error"] is None
    poller.stop()
