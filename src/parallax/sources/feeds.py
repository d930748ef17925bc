"""Feeds from bytes: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed, and feed discovery.

>>> feed = parse_feed(b'''<rss version="2.0"><channel><title>Wire</title>
...   <item><title>Hello</title><link>https://example.org/1</link></item></channel></rss>''')
>>> feed.title, [e.url for e in feed.entries]
('Wire', ['https://example.org/1'])

feedparser is only ever given bytes that Parallax fetched itself, as a stream, never a URL or a
path (it would fetch a URL without the address guard, and it opens *bytes* that name a local
file). Documents that declare XML entities are refused before parsing (billion laughs and
external entities); external DTDs are never loaded.
"""

from __future__ import annotations

import html
import io
import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from ..errors import InputError
from ..models import RawDocument, content_id
from .files import parse_date

log = logging.getLogger(__name__)

#: An entry whose text has fewer words is treated as truncated: its page is fetched for the full text.
FULL_TEXT_MIN_WORDS = 100
#: Longest entry id stored as it is (longer ones are hashed).
MAX_KEY = 512
#: Most entries taken from one feed document.
MAX_ENTRIES = 500

FEED_MEDIA_TYPES = (
    "application/atom+xml", "application/rss+xml", "application/rdf+xml", "application/feed+json",
    "application/json", "application/xml", "text/xml", "application/x-rss+xml",
)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+", re.UNICODE)
_ELLIPSIS = re.compile(r"(\.\.\.|…|\[\s*(\.\.\.|…)\s*\]|read more|continue reading)\W*$", re.IGNORECASE)


class FeedError(InputError):
    """The bytes are not a feed Parallax can read; the message says why."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item: its stable key, link, metadata and whatever text the feed carries."""

    key: str
    url: str | None
    title: str | None
    published: datetime | None = None
    author: str | None = None
    content: str | None = None  # the fullest HTML (or text) body the feed gives
    summary: str | None = None

    @property
    def words(self) -> int:
        """Words of text the feed gives for this entry (markup removed)."""
        return len(_WORD.findall(strip_tags(self.content or self.summary or "")))

    @property
    def truncated(self) -> bool:
        """True when the feed gives a teaser only, so the article page should be fetched."""
        text = strip_tags(self.content or self.summary or "").strip()
        return self.words < FULL_TEXT_MIN_WORDS or bool(_ELLIPSIS.search(text))


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed document."""

    format: str  # feedparser's version ("rss20", "atom10", ...) or "json"
    title: str | None
    site_url: str | None
    entries: tuple[FeedEntry, ...]


def strip_tags(text: str) -> str:
    """Text of an HTML fragment (tags dropped, entities decoded), for counting words."""
    return html.unescape(_TAG.sub(" ", text))


def _probe(data: bytes) -> bytes:
    """The document's start as UTF-8 bytes (UTF-16/32 documents re-encoded) for markup checks."""
    head = data[:4]
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return data[len(bom):].decode(codec, "replace").encode("utf-8")
    if head[:2] == b"<\x00":
        return data.decode("utf-16-le", "replace").encode("utf-8")
    if head[:2] == b"\x00<":
        return data.decode("utf-16-be", "replace").encode("utf-8")
    return data


def looks_like_html(data: bytes, content_type: str | None = None) -> bool:
    """True for an HTML page (not a feed)."""
    if content_type in ("text/html", "application/xhtml+xml"):
        start = _probe(data[:2048]).lstrip().lower()
        return not start.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))
    start = _probe(data[:2048]).lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html")) or b"<html" in start[:512]


def looks_like_json(data: bytes, content_type: str | None = None) -> bool:
    """True for a JSON document (a JSON Feed candidate)."""
    return (content_type or "").endswith("json") or _probe(data[:64]).lstrip().startswith(b"{")


def parse_feed(data: bytes, *, url: str | None = None, content_type: str | None = None,
               charset: str | None = None) -> ParsedFeed:
    """Parse a feed document given as bytes; raises :class:`FeedError` with the reason."""
    if not isinstance(data, bytes):
        raise TypeError("parse_feed takes the bytes of a feed, never a URL or a path")
    if not data.strip():
        raise FeedError("empty document")
    if looks_like_json(data, content_type):
        return parse_json_feed(data, url=url)
    if b"<!ENTITY" in _probe(data).upper():
        raise FeedError("document declares XML entities (refused: entity expansion)")
    headers = {"content-location": url or ""}
    if content_type:
        headers["content-type"] = content_type + (f"; charset={charset}" if charset else "")
    # a stream, not the bytes: feedparser opens bytes that happen to name a local file
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=True,
                                  resolve_relative_uris=True)
    except ValueError as exc:
        # the standard library's SAX reader splits expat's "namespace localname" pairs with
        # str.split(), which also cuts at U+0085, U+2028 ... inside a namespace URI, and feedparser
        # only catches SAX errors: a refusal with the reason, not a crash of the whole poll
        raise FeedError(f"not a feed: malformed XML ({_short(exc)})") from None
    feed = parsed.get("feed", {})
    entries = parsed.get("entries", [])
    if not parsed.get("version") and not entries:
        problem = parsed.get("bozo_exception")
        raise FeedError(f"not a feed{': ' + _short(problem) if problem else ''}")
    if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
        log.info("feed %s parsed leniently: %s", url or "(bytes)", _short(parsed["bozo_exception"]))
    base = url or feed.get("link") or ""
    out = []
    for item in entries[:MAX_ENTRIES]:
        out.append(_entry(item, base))
    return ParsedFeed(
        format=parsed.get("version") or "unknown",
        title=_clean(feed.get("title")),
        site_url=_absolute(feed.get("link"), base),
        entries=tuple(out),
    )


def _short(problem: Any) -> str:
    text = str(problem).strip() or type(problem).__name__
    return text[:200]


def _clean(value: Any) -> str | None:
    if not value:
        return None
    text = " ".join(strip_tags(str(value)).split())
    return text or None


def _absolute(link: Any, base: str) -> str | None:
    if not link:
        return None
    text = str(link).strip()
    for start in (base, ""):  # a broken base ("https://[x/") must not take every good link with it
        try:  # "https://host[/" and NFKC tricks make urljoin/urlsplit raise ValueError
            absolute = urljoin(start, text)
            return absolute if urlsplit(absolute).scheme in ("http", "https") else None
        except ValueError:
            continue
    return None


def _key(value: Any) -> str:
    """An entry's stable key: its id, or a hash of an id longer than ``MAX_KEY`` characters."""
    text = str(value)
    return text if len(text) <= MAX_KEY else "sha256:" + content_id(text, length=32)


def _stamp(value: Any) -> datetime | None:
    """feedparser's parsed date as an aware datetime, or None when it names no real date (year -1 or
    0, day 31 of February: feedparser passes them on, ``datetime`` refuses them)."""
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, TypeError, OverflowError):
        return None


def _string(value: Any) -> str | None:
    """A JSON Feed field that must be a string (a list or an object there is ignored, not str()-ed)."""
    return value if isinstance(value, str) and value.strip() else None


def _entry(item: Any, base: str) -> FeedEntry:
    """A :class:`FeedEntry` from a feedparser entry."""
    contents = [c.get("value", "") for c in item.get("content", []) if c.get("value")]
    content = max(contents, key=len) if contents else None
    summary = item.get("summary") or None
    url = _absolute(item.get("link"), base)
    published = _stamp(item.get("published_parsed") or item.get("updated_parsed"))
    title = _clean(item.get("title"))
    key = _key(item.get("id") or url or content_id(title, summary, content))
    return FeedEntry(key=key, url=url, title=title, published=published,
                     author=_clean(item.get("author")), content=content, summary=summary)


def parse_json_feed(data: bytes, *, url: str | None = None) -> ParsedFeed:
    """Parse a JSON Feed (https://jsonfeed.org, versions 1 and 1.1)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"invalid JSON: {exc}") from None
    except RecursionError:
        raise FeedError("JSON nested too deeply") from None
    if not isinstance(doc, dict) or "jsonfeed.org/version" not in str(doc.get("version", "")):
        raise FeedError("JSON document is not a JSON Feed (no jsonfeed.org version)")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed has no items list")
    base = url or _string(doc.get("home_page_url")) or ""
    entries = []
    for item in items[:MAX_ENTRIES]:
        if not isinstance(item, dict):
            continue
        link = _absolute(_string(item.get("url")) or _string(item.get("external_url")), base)
        title = _clean(_string(item.get("title")))
        text = _string(item.get("content_text"))
        content = _string(item.get("content_html")) or (html.escape(text) if text else None)
        summary = _string(item.get("summary"))
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        if not isinstance(authors, list):
            authors = []
        author = ", ".join(a["name"] for a in authors if isinstance(a, dict) and _string(a.get("name"))) or None
        key = _key(item.get("id") or link or content_id(title, summary, content))
        entries.append(FeedEntry(key=key, url=link, title=title,
                                 published=parse_date(_string(item.get("date_published"))
                                                      or _string(item.get("date_modified"))),
                                 author=author, content=content, summary=summary))
    return ParsedFeed(format="json", title=_clean(_string(doc.get("title"))),
                      site_url=_absolute(_string(doc.get("home_page_url")), base), entries=tuple(entries))


def discover_feeds(page: bytes, base_url: str) -> list[str]:
    """Feed URLs a page announces with ``<link rel="alternate" type="...">``, best first."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(page)
    except (ValueError, TypeError, SyntaxError):
        return []
    found: list[tuple[int, str]] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or not href or kind not in FEED_MEDIA_TYPES:
            continue
        absolute = urljoin(base_url, href)
        if urlsplit(absolute).scheme in ("http", "https") and absolute not in [u for _, u in found]:
            found.append((FEED_MEDIA_TYPES.index(kind), absolute))
    return [u for _, u in sorted(found, key=lambda pair: pair[0])]


_ARTICLE_TYPES = ("article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                  "opinionnewsarticle", "backgroundnewsarticle")
_LD_TYPE = re.compile(rb'"@type"\s*:\s*"([A-Za-z]+)"')


def looks_like_article(page: bytes) -> bool:
    """True when a page says it is one article (``og:type`` article, or a schema.org *Article type)."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(page)
    except (ValueError, TypeError, SyntaxError):
        return False
    for meta in tree.iter("meta"):
        name = (meta.get("property") or meta.get("name") or "").lower()
        if name == "og:type" and (meta.get("content") or "").strip().lower() == "article":
            return True
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            kinds = _LD_TYPE.findall(script.text.encode("utf-8", "replace"))
            if any(k.decode().lower() in _ARTICLE_TYPES for k in kinds):
                return True
    return False


def wrap_html(title: str | None, body: str) -> str:
    """A minimal HTML page around a feed's content fragment, for the HTML cleaner."""
    heading = f"<h1>{html.escape(title)}</h1>" if title else ""
    return f"<html><head><meta charset=\"utf-8\"></head><body><article>{heading}{body}</article></body></html>"


def entry_document(entry: FeedEntry, *, feed_url: str, outlet: str | None,
                   page: str | bytes | None = None, page_url: str | None = None,
                   placed: datetime | None = None) -> RawDocument:
    """The raw document of an entry: its fetched page when given, else the feed's own content.
    ``placed`` (default: now, when the feed delivered the entry) places an article that gives no date."""
    source = entry.url or f"{feed_url}#{entry.key}"
    placed = placed or datetime.now(UTC)
    if page is not None:
        return RawDocument(source=page_url or source, content=page, kind="html", url=page_url or entry.url,
                           outlet=outlet, title=entry.title, byline=entry.author, published=entry.published,
                           from_feed=True, placed=placed)
    body = entry.content or entry.summary or ""
    return RawDocument(source=source, content=wrap_html(entry.title, body), kind="html", url=entry.url,
                       outlet=outlet, title=entry.title, byline=entry.author, published=entry.published,
                       from_feed=True, placed=placed)


__all__ = [
    "FeedEntry", "FeedError", "ParsedFeed", "discover_feeds", "entry_document", "looks_like_article",
    "looks_like_html", "parse_feed", "parse_json_feed", "strip_tags",
]
