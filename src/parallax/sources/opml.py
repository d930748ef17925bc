"""OPML subscription lists: read (any outline depth) and write.

>>> feeds = parse_opml(b'<opml version="2.0"><body><outline text="Wire" type="rss" '
...                    b'xmlUrl="https://example.org/feed.xml"/></body></opml>')
>>> feeds
[{'url': 'https://example.org/feed.xml', 'title': 'Wire'}]
>>> parse_opml(to_opml(feeds)) == feeds
True

The parser refuses DTDs and entities (no billion laughs, no external entities) and never
touches the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from lxml import etree

from ..errors import InputError


class OPMLError(InputError):
    """The bytes are not an OPML document Parallax can read."""


def parse_opml(data: bytes) -> list[dict[str, Any]]:
    """Every ``<outline xmlUrl=...>`` as ``{"url", "title"}``, in document order, without repeats."""
    if b"<!ENTITY" in data.upper() or b"<!DOCTYPE" in data.upper():
        raise OPMLError("OPML document declares a DTD or entities (refused)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise OPMLError(f"not valid XML: {exc}") from None
    if root.tag.lower() != "opml":
        raise OPMLError(f"not an OPML document (root element <{root.tag}>)")
    feeds: list[dict[str, Any]] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url or _scheme(url) not in ("http", "https") or url in seen:
            continue
        seen.add(url)
        title = (outline.get("title") or outline.get("text") or "").strip() or None
        feeds.append({"url": url, "title": title})
    return feeds


def _scheme(url: str) -> str | None:
    """The URL's scheme, or None for a URL ``urlsplit`` refuses (``https://[`` is no IPv6 host): that
    outline is skipped like any other outline without a feed URL, and the rest of the list is read."""
    try:
        return urlsplit(url).scheme
    except ValueError:
        return None


def to_opml(feeds: Iterable[Mapping[str, Any]], *, title: str = "Parallax feeds") -> bytes:
    """An OPML 2.0 document listing ``feeds`` (dicts with ``url`` and optional ``title``, ``site_url``)."""
    stamp = format_datetime(datetime.now(UTC), usegmt=True)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_escape(title)}</title><dateCreated>{stamp}</dateCreated></head>",
        "  <body>",
    ]
    for feed in feeds:
        name = feed.get("title") or feed["url"]
        attrs = f"type=\"rss\" text={quoteattr(str(name))} title={quoteattr(str(name))} xmlUrl={quoteattr(feed['url'])}"
        if feed.get("site_url"):
            attrs += f" htmlUrl={quoteattr(str(feed['site_url']))}"
        lines.append(f"    <outline {attrs}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["OPMLError", "parse_opml", "to_opml"]
