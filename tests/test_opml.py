"""OPML import and export, and the default feed list shipped with Parallax."""

from __future__ import annotations

import pytest

from parallax.sources.commands import default_opml
from parallax.sources.opml import OPMLError, parse_opml, to_opml


def test_nested_outlines_and_repeats():
    data = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
      <outline text="World"><outline text="Wire" xmlUrl="https://a.example/rss"/>
        <outline title="Deep" text="ignored"><outline text="B" xmlurl="https://b.example/atom"/></outline></outline>
      <outline text="Again" xmlUrl="https://a.example/rss"/>
      <outline text="Not a feed" htmlUrl="https://c.example/"/>
      <outline text="Bad scheme" xmlUrl="file:///etc/passwd"/></body></opml>"""
    assert parse_opml(data) == [{"url": "https://a.example/rss", "title": "Wire"},
                                {"url": "https://b.example/atom", "title": "B"}]


def test_round_trip_escapes():
    feeds = [{"url": "https://a.example/rss?x=1&y=2", "title": 'Tom & "Jerry" <News>', "site_url": "https://a.example/"},
             {"url": "https://b.example/feed", "title": None}]
    back = parse_opml(to_opml(feeds))
    assert back == [{"url": "https://a.example/rss?x=1&y=2", "title": 'Tom & "Jerry" <News>'},
                    {"url": "https://b.example/feed", "title": "https://b.example/feed"}]


@pytest.mark.parametrize("data", [
    b"<html><body/></html>",
    b"not xml",
    b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body><outline xmlUrl="http://x/&a;"/></body></opml>',
    b'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "http://evil.example/x.dtd"><opml><body/></opml>',
])
def test_refused_documents(data):
    with pytest.raises(OPMLError):
        parse_opml(data)


def test_default_list_is_about_fifty_distinct_feeds():
    feeds = parse_opml(default_opml())
    assert 45 <= len(feeds) <= 60
    assert len({f["url"] for f in feeds}) == len(feeds)
    assert len({f["title"] for f in feeds}) == len(feeds)
    assert all(f["url"].startswith(("https://", "http://")) and f["title"] for f in feeds)
