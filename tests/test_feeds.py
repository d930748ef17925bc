"""Feed parsing from bytes (RSS 0.91/1.0/2.0, Atom, JSON Feed), hostile documents, discovery."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from mockserver import BILLION_LAUGHS, atom, item, json_feed, page, rss, rss091, rss1

from parallax.sources.feeds import (
    FULL_TEXT_MIN_WORDS,
    FeedEntry,
    FeedError,
    discover_feeds,
    entry_document,
    looks_like_html,
    parse_feed,
)

LONG = "<p>" + " ".join(["word"] * (FULL_TEXT_MIN_WORDS + 20)) + "</p>"
ITEMS = [
    item("Floods in the valley", "https://news.example/a/1", body=LONG,
         published=datetime(2026, 11, 20, 8, 0, tzinfo=UTC), author="Ana Ruiz"),
    item("Café owners count the cost", "https://news.example/a/2",
         published=datetime(2026, 11, 20, 9, 30, tzinfo=UTC)),
]


@pytest.mark.parametrize("build, fmt", [(rss, "rss20"), (atom, "atom10"), (rss1, "rss10"), (json_feed, "json")])
def test_formats_give_the_same_entries(build, fmt):
    feed = parse_feed(build(ITEMS), url="https://news.example/feed")
    assert feed.format == fmt
    assert [e.url for e in feed.entries] == ["https://news.example/a/1", "https://news.example/a/2"]
    assert [e.title for e in feed.entries] == ["Floods in the valley", "Café owners count the cost"]
    assert feed.entries[0].published == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert not feed.entries[0].truncated and feed.entries[1].truncated


def test_rss091_with_netscape_doctype():
    feed = parse_feed(rss091(ITEMS))
    assert feed.format == "rss091n" and len(feed.entries) == 2
    assert feed.entries[0].key == "https://news.example/a/1"  # no guid: the link is the key


def test_author_and_content_are_kept():
    entry = parse_feed(rss(ITEMS)).entries[0]
    assert entry.author == "Ana Ruiz" and "word word" in entry.content and entry.words >= FULL_TEXT_MIN_WORDS


def test_relative_links_resolve_against_the_feed_url():
    data = rss([item("Rel", "/a/rel")])
    assert parse_feed(data, url="https://news.example/feeds/x.xml").entries[0].url == "https://news.example/a/rel"


def test_billion_laughs_fails_cleanly_and_fast():
    start = time.monotonic()
    with pytest.raises(FeedError, match="entit"):
        parse_feed(BILLION_LAUGHS)
    assert time.monotonic() - start < 2.0


def test_entities_in_utf16_are_seen_too():
    with pytest.raises(FeedError, match="entit"):
        parse_feed(BILLION_LAUGHS.decode().replace('<?xml version="1.0"?>', "").encode("utf-16"))


def test_external_entity_is_refused():
    xxe = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title></channel></rss>"""
    with pytest.raises(FeedError):
        parse_feed(xxe)


def test_latin1_declared_as_utf8_is_read():
    data = rss(ITEMS, encoding="latin-1", declare="utf-8")
    assert b"Caf\xe9" in data
    feed = parse_feed(data, content_type="application/rss+xml", charset="utf-8")
    assert feed.entries[1].title == "Café owners count the cost"


def test_windows1252_without_declaration_in_header_only():
    data = rss(ITEMS, encoding="cp1252", declare="windows-1252")
    feed = parse_feed(data, content_type="text/xml", charset="iso-8859-1")
    assert feed.entries[1].title == "Café owners count the cost"


def test_utf16_feed():
    data = rss(ITEMS, encoding="utf-16", declare="utf-16")
    assert parse_feed(data).entries[1].title == "Café owners count the cost"


def test_garbage_is_not_a_feed():
    for data in (b"\x00\x01\x02binary", b"hello world", b"<html><body>page</body></html>"):
        with pytest.raises(FeedError):
            parse_feed(data)
    with pytest.raises(FeedError, match="JSON Feed"):
        parse_feed(b'{"items": []}')
    with pytest.raises(FeedError, match="empty"):
        parse_feed(b"  ")


def test_bytes_only():
    with pytest.raises(TypeError, match="bytes"):
        parse_feed("https://news.example/feed.xml")  # a URL would be fetched by feedparser: refused


def test_discovery_from_a_site_page():
    html = page("Home", ["Welcome."], feed_link="/feeds/world.xml") .replace(
        b"</head>", b'<link rel="alternate" type="application/atom+xml" href="https://news.example/atom">'
                    b'<link rel="alternate" hreflang="fr" href="/fr/"><link rel="stylesheet" href="/s.css"></head>')
    assert looks_like_html(html)
    assert discover_feeds(html, "https://news.example/world/") == [
        "https://news.example/atom", "https://news.example/feeds/world.xml"]
    assert discover_feeds(b"<html><head></head></html>", "https://news.example/") == []


def test_teaser_detection():
    teaser = FeedEntry(key="k", url="u", title="t", summary="Long " * 200 + "[…]")
    assert teaser.truncated
    assert FeedEntry(key="k", url="u", title="t", summary="Short teaser.").truncated
    assert not FeedEntry(key="k", url="u", title="t", content=LONG).truncated


def test_entry_document_prefers_the_fetched_page():
    entry = parse_feed(rss(ITEMS)).entries[0]
    from_feed = entry_document(entry, feed_url="https://news.example/feed", outlet="Wire")
    assert from_feed.kind == "html" and "word word" in from_feed.content and from_feed.outlet == "Wire"
    assert from_feed.published == entry.published and from_feed.byline == "Ana Ruiz"
    from_page = entry_document(entry, feed_url="f", outlet="Wire", page=b"<html>page</html>", page_url="https://x/1")
    assert from_page.content == b"<html>page</html>" and from_page.url == "https://x/1"


def test_a_body_that_names_a_local_file_is_not_opened(tmp_path):
    """feedparser opens bytes that are a file name; a hostile server could answer with a path."""
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss([item("Local secret", "https://news.example/secret")]))
    with pytest.raises(FeedError):
        parse_feed(str(secret).encode())


def test_deeply_nested_json_fails_cleanly():
    with pytest.raises(FeedError, match="nested"):
        parse_feed(b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}")


def test_huge_entry_ids_are_hashed_to_a_bounded_key():
    feed = parse_feed(rss([item("Long id", "https://news.example/1", guid="x" * 100_000)]))
    assert len(feed.entries[0].key) < 100 and feed.entries[0].key.startswith("sha256:")
    assert parse_feed(rss([item("Same", "https://news.example/1", guid="x" * 100_000)])).entries[0].key == feed.entries[0].key


def test_article_pages_are_told_from_site_pages():
    from parallax.sources.feeds import looks_like_article

    assert looks_like_article(page("Story", ["Text."]))
    assert not looks_like_article(page("Home", ["Welcome."], og_type="website"))
    ld = b'<html><head><script type="application/ld+json">{"@context": "https://schema.org", ' \
         b'"@type": "NewsArticle", "headline": "x"}</script></head><body></body></html>'
    assert looks_like_article(ld)
    assert not looks_like_article(ld.replace(b"NewsArticle", b"WebSite"))


def test_json_feed_fields_of_the_wrong_type_are_ignored_not_a_crash():
    """Found by bench/reliability/fuzz.py: a list as content_html raised AttributeError (the feed was lost)."""
    import json

    doc = {"version": "https://jsonfeed.org/version/1.1", "title": ["x"], "home_page_url": {"a": 1}, "items": [
        {"id": "1", "url": "https://news.example/1", "content_html": ["<p>a</p>"], "content_text": {"b": 2},
         "summary": [1], "title": 7, "authors": {"name": "x"}, "date_published": ["2024-01-01"]},
        {"id": "2", "url": ["https://news.example/2"], "content_text": "plain <text>", "authors": [{"name": 3}, {"name": "Ana"}]},
    ]}
    parsed = parse_feed(json.dumps(doc).encode(), url="https://feeds.example/j")
    first, second = parsed.entries
    assert (first.content, first.summary, first.title, first.author, first.published) == (None, None, None, None, None)
    assert second.url is None and second.content == "plain &lt;text&gt;" and second.author == "Ana"
    assert parsed.title is None and parsed.site_url is None


def test_an_impossible_entry_date_is_dropped_not_a_crash():
    """Found by bench/reliability/fuzz.py: feedparser parses <updated>0000-00-00</updated> to year -1
    (and 0001-01-01T00:00:00+01:00 to year 0); datetime() raised ValueError and the feed was lost."""
    for stamp in (b"0000-00-00", b"0001-01-01T00:00:00+01:00", b"00"):
        feed = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
                b'<entry><title>a</title><link href="https://news.example/a"/><id>a</id>'
                b"<updated>" + stamp + b"</updated></entry></feed>")
        (entry,) = parse_feed(feed, url="https://feeds.example/a").entries
        assert entry.title == "a" and entry.published is None, stamp


def test_an_entry_link_urlsplit_refuses_is_dropped_not_a_crash():
    """Found by bench/reliability/fuzz.py (1 of 12,000 feed examples): an item URL with an unclosed
    "[" made urljoin raise ValueError ("Invalid IPv6 URL") and the whole feed was lost."""
    import json

    doc = {"version": "https://jsonfeed.org/version/1.1", "home_page_url": "https://[x/", "items": [
        {"id": "1", "url": "https://host[/a", "content_text": "one"}, {"id": "2", "url": "https://news.example/2"}]}
    first, second = parse_feed(json.dumps(doc).encode()).entries
    assert first.url is None and second.url == "https://news.example/2"
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://[::1</link>'
           b"<item><title>a</title><link>https://host[/a</link></item></channel></rss>")
    parsed = parse_feed(rss)
    assert parsed.site_url is None and parsed.entries[0].url is None


def test_an_opml_outline_whose_url_urlsplit_refuses_is_skipped_not_a_crash():
    """Found by bench/reliability/fuzz.py (feeds, seed 4031, 5 of 2,000): an outline's xmlUrl with an
    unclosed "[" made urlsplit raise ValueError ("Invalid IPv6 URL") out of parse_opml; the list is lost."""
    from parallax.sources.opml import parse_opml

    doc = ('<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="bad" xmlUrl="https://[x/\u2028"/>'
           '<outline text="Wire" xmlUrl="https://wire.example/rss"/></body></opml>').encode()
    assert parse_opml(doc) == [{"url": "https://wire.example/rss", "title": "Wire"}]


@pytest.mark.parametrize("doc, content_type", [
    (('<?xml version="1.0"?><rss version="2.0" xmlns:x="http://a\u0085b/"><channel><x:y>1</x:y>'
      "<item><title>t</title><link>https://news.example/a</link></item></channel></rss>"), None),
    (('<rdf:RDF xmlns:rdf="ht\u2028tp://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
      '<channel><title>x</title></channel><item rdf:about="https://news.example/a"><title>t</title>'
      "<link>https://news.example/a</link></item></rdf:RDF>"), "application/rss+xml"),
])
def test_a_namespace_uri_holding_a_line_separator_is_refused_not_a_crash(doc, content_type):
    """Found by bench/reliability/fuzz.py (feeds, seed 4001): the SAX reader splits expat's
    "namespace localname" pair with str.split(), which cuts at U+0085/U+2028 inside the URI, and the
    ValueError escaped feedparser (it catches SAX errors only) and parse_feed."""
    with pytest.raises(FeedError, match="malformed XML"):
        parse_feed(doc.encode("utf-8"), url="https://feeds.example/rss", content_type=content_type)
