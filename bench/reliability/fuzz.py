"""Hypothesis fuzzing of the file readers, feed parsing, the URL guard and the HTML sanitizer.

Each target draws an input from a strategy, runs the code under test and checks its invariants. A
*crash* is any exception other than the documented ones (``ParallaxError`` and its subclasses:
``InputError``, ``FeedError``, ``FetchError`` ...; a ``Rejected`` record is an answer, not an
error) or a broken invariant. Crashes are collected, not raised, so one run counts every example.

    OMP_NUM_THREADS=1 python bench/reliability/fuzz.py                 # 100,000 examples per target
    OMP_NUM_THREADS=1 python bench/reliability/fuzz.py --examples 2000 --targets sanitizer,guard

The figures (examples run, crashes, seconds, the command) go to ``bench/results/reliability_fuzz.md``
(``--report``); ``docs/reliability-fuzz.md`` is written by hand from them (it was overwritten whole).
``tests/test_fuzz_smoke.py`` runs every target for a few hundred derandomized examples.
Nothing here reaches the network: the fetcher runs over a resolver stub and an in-memory socket.
"""

from __future__ import annotations

import argparse
import gzip
import ipaddress
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "src") not in sys.path:
    sys.path.append(str(ROOT / "src"))  # after PYTHONPATH: a run may measure another source tree

from parallax.errors import FetchError, ParallaxError
from parallax.models import RawDocument, Rejected

DEFAULT_EXAMPLES = 100_000
REPORT = ROOT / "bench" / "results" / "reliability_fuzz.md"


class Broken(AssertionError):
    """An invariant of the code under test does not hold."""


def expect(condition: Any, message: str) -> None:
    if not condition:
        raise Broken(message)


# -- shared strategies -------------------------------------------------------------------------

#: Characters that have broken parsers before: line and paragraph separators, NUL and controls,
#: BOMs, bidi marks, fullwidth and circled digits, surrogate-adjacent and combining characters.
AWKWARD = ["\u2028", "\u2029", "\u0085", "\x00", "\x02", "\x03", "\x1b", "\ufeff", "\u202e", "\uff10", "\u2460",
           "\r", "\r\n", "\t", "\u0301", "\U0001f600", "\ufffd", "\x7f", "\u200b", "&", "<", ">", '"', "'", "\\"]
_PICKS: dict[tuple[Any, ...], st.SearchStrategy[Any]] = {}


def pick(values: Any) -> st.SearchStrategy[Any]:
    """``st.sampled_from(values)``, built once per distinct tuple: a strategy built anew at every
    draw is validated anew, and that (not the code under test) was most of a run's time."""
    key = tuple(values)
    found = _PICKS.get(key)
    if found is None:
        found = _PICKS[key] = st.sampled_from(key)
    return found


#: Any character but a lone surrogate (the same set as ``codec="utf-8"``, whose interval table
#: costs hypothesis about 20 s of CPU to build in each process).
CHARS = st.characters(exclude_categories=("Cs",))
words = st.text(CHARS, max_size=16)
awkward_text = st.lists(st.one_of(words, pick(AWKWARD)), max_size=5).map("".join)


def mutate(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    """``data`` cut, flipped, spliced or repeated: the damage real files and feeds arrive with."""
    steps = draw(st.lists(pick(["cut", "flip", "insert", "delete", "repeat", "none"]), max_size=3))
    out = bytearray(data)
    for step in steps:
        if not out:
            break
        at = draw(st.integers(0, len(out)))
        if step == "cut":
            del out[at:]
        elif step == "flip" and at < len(out):
            out[at] = draw(st.integers(0, 255))
        elif step == "insert":
            out[at:at] = draw(st.one_of(st.binary(max_size=16), pick(
                [b"<!ENTITY x 'y'>", b"]]>", b"<![CDATA[", b"&#0;", b"&amp", b"\xff\xfe", b"\x00", b"{", b"[" * 80,
                 b"<" * 40, b'"', b"\n", "\u2028".encode(), b"\r\n\r\n", b"WARC/1.0\r\n"])))
        elif step == "delete":
            del out[at:at + draw(st.integers(1, 20))]
        elif step == "repeat":
            out[at:at] = out[max(0, at - 20):at] * draw(st.integers(1, 5))
    return bytes(out)


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                         awkward_text)
json_values = st.recursive(json_scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(st.one_of(awkward_text, pick(
        ["text", "html", "url", "outlet", "title", "byline", "published"])), kids, max_size=4)), max_leaves=6)
dates = st.one_of(pick(["2024-02-29T10:00:00Z", "Tue, 10 Jun 2003 04:00:00 GMT", "9999-12-31", "0000-00-00",
                                   "yesterday", "", "2024-13-45T99:99:99+99:00", "1e309", "-1"]),
                  awkward_text, st.integers().map(str))
urls = st.one_of(pick(["https://news.example/a", "http://0177.0.0.1/", "javascript:alert(1)", "//x",
                                  "http://[::1]/", "https://xn--/", "http://ex\uff10mple.com/", "mailto:a@b", ""]),
                 awkward_text, st.builds(lambda h, p: f"https://{h}/{p}", awkward_text, awkward_text))


@st.composite
def record(draw: Callable[[Any], Any]) -> dict[str, Any]:
    """A JSON news record: the reader's keys with odd values, sometimes other keys."""
    out: dict[str, Any] = {}
    for key in draw(RECORD_KEYS):
        out[key] = draw(RECORD_FIELDS[key])
    return out


RECORD_FIELDS = {"text": st.one_of(awkward_text, json_values), "html": st.one_of(awkward_text, json_values),
                 "url": st.one_of(urls, json_values), "title": json_values, "outlet": json_values,
                 "byline": json_values, "published": st.one_of(dates, json_values)}
RECORD_KEYS = st.lists(pick(sorted(RECORD_FIELDS)), max_size=4, unique=True)
RECORD = record()


# -- target: file readers -----------------------------------------------------------------------

SUFFIXES = [".html", ".htm", ".xhtml", ".txt", ".json", ".jsonl", ".ndjson", ".warc", ".html.gz", ".txt.gz",
            ".json.gz", ".jsonl.gz", ".warc.gz", ".pdf", ""]


def _warc_record(draw: Callable[[Any], Any]) -> bytes:
    body = draw(st.one_of(st.binary(max_size=200), awkward_text.map(lambda t: t.encode("utf-8", "replace")),
                          st.just(b"<html><body><p>Hello world.</p></body></html>")))
    status = draw(pick([b"200 OK", b"404 Not Found", b"999 X", b"", b"abc"]))
    ctype = draw(pick([b"text/html", b"application/xml", b"image/png", b"", b"text/html; charset=\xff"]))
    http = b"HTTP/1.1 " + status + b"\r\nContent-Type: " + ctype + b"\r\n\r\n" + body
    rec_type = draw(pick([b"response", b"request", b"warcinfo", b"resource", b""]))
    length = len(http) + draw(pick([0, 0, 0, -5, 7, 10**6]))
    head = (b"WARC/1.0\r\nWARC-Type: " + rec_type + b"\r\nWARC-Target-URI: "
            + draw(urls).encode("utf-8", "replace") + b"\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
            + b"Content-Type: application/http; msgtype=response\r\nContent-Length: " + str(length).encode()
            + b"\r\n\r\n")
    return head + http + b"\r\n\r\n"


#: The bytes of an .html/.txt (or unknown) file, and of a sidecar: built once, not at every draw.
PAGE_BYTES = st.one_of(
    st.binary(max_size=400),
    awkward_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(lambda t, n: ("<div>" * n + t + "</div>" * n).encode("utf-8", "replace"), awkward_text,
              st.integers(0, 5000)),
    st.builds(lambda t, e: t.encode(e, "replace"), awkward_text,
              pick(["utf-16", "utf-32", "latin-1", "cp1252", "shift_jis", "utf-8-sig"])),
)
SIDECAR_BYTES = st.one_of(
    st.builds(lambda r: json.dumps(r, ensure_ascii=False).encode(), RECORD),
    st.integers(1, 100_000).map(lambda n: b"[" * n),
    st.binary(max_size=100),
)


@st.composite
def input_file(draw: Callable[[Any], Any]) -> tuple[str, bytes, bytes | None, dict[str, Any]]:
    """(suffix, bytes on disk, sidecar bytes or None, what the file should give when known)."""
    suffix = draw(pick(SUFFIXES))
    base = suffix.removesuffix(".gz")
    expected: dict[str, Any] = {}
    if base in (".json", ".jsonl", ".ndjson"):
        shape = draw(pick(["records", "valid-lines", "value", "deep", "garbage"]))
        if shape == "records":
            records = draw(st.lists(RECORD, max_size=5))
            data = json.dumps(records if base == ".json" else records[0] if records else {},
                              ensure_ascii=draw(st.booleans())).encode()
            if base != ".json":
                data = b"\n".join(json.dumps(r, ensure_ascii=False).encode() for r in records)
        elif shape == "valid-lines":  # every line a good record: each must come back as a document
            texts = draw(st.lists(st.text(CHARS, min_size=1,
                                          max_size=30).filter(str.strip), min_size=1, max_size=5))
            lines = [json.dumps({"text": t + " \u2028 \u2029 \u0085 end"}, ensure_ascii=False) for t in texts]
            data = ("\n".join(lines) + draw(pick(["", "\n", "\r\n"]))).encode()
            if base != ".json":
                expected["documents"] = len(lines)
        elif shape == "value":
            data = json.dumps(draw(json_values), ensure_ascii=draw(st.booleans())).encode()
        elif shape == "deep":
            depth = draw(st.integers(1, 100_000))
            opener = draw(pick(["[", '{"a":']))
            data = (opener * depth).encode() + draw(pick([b"", b"1" + b"]" * depth]))
        else:
            data = draw(st.binary(max_size=300))
        if draw(st.booleans()):
            data = mutate(data, draw)
            expected.clear()
    elif base == ".warc":
        data = b"".join(_warc_record(draw) for _ in range(draw(st.integers(0, 3))))
        if draw(st.booleans()):
            data = mutate(data, draw)
    else:
        data = draw(PAGE_BYTES)
    if suffix.endswith(".gz"):
        packed = gzip.compress(data, mtime=0)
        data = mutate(packed, draw) if draw(st.booleans()) else packed
        if packed != data:
            expected.clear()
    sidecar = None
    if draw(st.booleans()):
        sidecar = draw(SIDECAR_BYTES)
    return suffix, data, sidecar, expected


class FileTarget:
    """``read_file`` and ``read_paths`` over one generated file (and sidecar) in a scratch folder."""

    name = "files"
    strategy = input_file()
    strict = True  # the readers never raise: a bad file is a Rejected record

    def __init__(self) -> None:
        from parallax.settings import load

        self.dir = Path(tempfile.mkdtemp(prefix="parallax-fuzz-"))
        self.settings = load(environ={})

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def check(self, example: tuple[str, bytes, bytes | None, dict[str, Any]]) -> None:
        from parallax.sources.files import read_file, read_paths

        suffix, data, sidecar, expected = example
        for old in self.dir.iterdir():
            old.unlink()
        path = self.dir / f"input{suffix}"
        path.write_bytes(data)
        if sidecar is not None:
            (self.dir / f"input{suffix}.meta.json").write_bytes(sidecar)
        one = list(read_file(path, self.settings))
        both = list(read_paths([self.dir, self.dir / "missing.txt"], self.settings))
        expect(one, "read_file gave nothing (neither a document nor a rejection)")
        for item in one + both:
            expect(isinstance(item, (RawDocument, Rejected)), f"read gave a {type(item).__name__}")
            if isinstance(item, RawDocument):
                expect(item.kind in ("html", "text"), f"kind {item.kind!r}")
                expect(item.content and (item.content.strip() if isinstance(item.content, (str, bytes)) else False),
                       "a document with no content")
                expect(item.published is None or item.published.tzinfo is not None, "naive published date")
            else:
                expect(item.reason.strip(), "a rejection without a reason")
        expect(both[-1] == Rejected(str(self.dir / "missing.txt"), "no such file or directory"),
               "the batch did not go on after the file")
        if "documents" in expected:
            got = sum(isinstance(i, RawDocument) for i in one)
            expect(got == expected["documents"], f"{got} documents from {expected['documents']} valid JSONL records")


# -- target: feed parsing and OPML --------------------------------------------------------------


def _esc(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


@st.composite
def feed_document(draw: Callable[[Any], Any]) -> tuple[str, bytes, str | None]:
    """(kind, bytes, content type): RSS, Atom, RDF, JSON Feed or OPML, real-looking then mutated."""
    kind = draw(pick(["rss", "atom", "rdf", "json", "opml", "html", "bytes"]))
    raw = draw(st.booleans())  # unescaped text lands inside the markup as is

    def text() -> str:
        value = draw(awkward_text)
        return value if raw else _esc(value)

    def link() -> str:
        return _esc(draw(urls))

    n = draw(st.integers(0, 6))
    if kind == "rss":
        items = "".join(
            f"<item><title>{text()}</title><link>{link()}</link><guid>{text()}</guid>"
            f"<pubDate>{_esc(draw(dates))}</pubDate><description>{text()}</description>"
            f"<content:encoded><![CDATA[{draw(awkward_text)}]]></content:encoded><author>{text()}</author></item>"
            for _ in range(n))
        doc = (f'<?xml version="1.0" encoding="{draw(pick(["utf-8", "iso-8859-1", "utf-16", "bogus"]))}"?>'
               f'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
               f"<title>{text()}</title><link>{link()}</link>{items}</channel></rss>")
    elif kind == "atom":
        items = "".join(
            f'<entry><title type="html">{text()}</title><link href="{link()}"/><id>{text()}</id>'
            f"<updated>{_esc(draw(dates))}</updated><summary>{text()}</summary>"
            f'<content type="{draw(pick(["html", "xhtml", "text", "x"]))}">{text()}</content></entry>'
            for _ in range(n))
        doc = (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="{link()}">'
               f'<title>{text()}</title><link href="{link()}"/>{items}</feed>')
    elif kind == "rdf":
        items = "".join(f'<item rdf:about="{link()}"><title>{text()}</title><link>{link()}</link></item>'
                        for _ in range(n))
        doc = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
               f"<channel><title>{text()}</title></channel>{items}</rdf:RDF>")
    elif kind == "json":
        items = [{k: draw(v) for k, v in (
            ("id", st.one_of(awkward_text, json_values)), ("url", st.one_of(urls, json_values)),
            ("title", json_values), ("content_html", st.one_of(awkward_text, json_values)),
            ("content_text", st.one_of(awkward_text, json_values)), ("summary", json_values),
            ("date_published", st.one_of(dates, json_values)),
            ("authors", st.one_of(json_values, st.lists(st.fixed_dictionaries({"name": json_values}), max_size=2))),
            ("author", json_values)) if draw(st.booleans())} for _ in range(n)]
        body: Any = {"version": draw(pick(["https://jsonfeed.org/version/1.1", "1", ""])),
                     "title": draw(json_values), "home_page_url": draw(st.one_of(urls, json_values)),
                     "items": items if draw(st.integers(0, 9)) else draw(json_values)}
        doc = json.dumps(body, ensure_ascii=draw(st.booleans()))
        if draw(st.integers(0, 9)) == 0:
            doc = '{"version": "https://jsonfeed.org/version/1", "items": ' + "[" * draw(st.integers(1, 50_000))
    elif kind == "opml":
        outlines = "".join(f'<outline text="{text()}" xmlUrl="{link()}" title="{text()}"/>' for _ in range(n))
        doc = f'<?xml version="1.0"?><opml version="2.0"><head/><body><outline>{outlines}</outline></body></opml>'
    elif kind == "html":
        doc = f"<!doctype html><html><head><title>{text()}</title></head><body>{text()}</body></html>"
    else:
        return kind, draw(st.binary(max_size=400)), draw(pick([None, "application/json", "text/html"]))
    data = doc.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = mutate(data, draw)
    ctype = draw(pick([None, "application/rss+xml", "application/atom+xml", "application/json",
                                  "text/html", "text/plain", "application/feed+json"]))
    return kind, data, ctype


class FeedTarget:
    """``parse_feed`` (RSS, Atom, RDF, JSON Feed), ``entry_document`` and ``parse_opml``."""

    name = "feeds"
    strategy = feed_document()

    def check(self, example: tuple[str, bytes, str | None]) -> None:
        from parallax.sources.feeds import MAX_ENTRIES, MAX_KEY, entry_document, parse_feed
        from parallax.sources.opml import parse_opml

        kind, data, ctype = example
        try:
            parsed = parse_feed(data, url="https://feeds.example/rss", content_type=ctype)
        except ParallaxError:
            parsed = None
        if parsed is not None:
            expect(len(parsed.entries) <= MAX_ENTRIES, "more entries than the cap")
            expect(parsed.site_url is None or urlsplit(parsed.site_url).scheme in ("http", "https"),
                   f"site_url {parsed.site_url!r}")
            for entry in parsed.entries:
                expect(isinstance(entry.key, str) and len(entry.key) <= max(MAX_KEY, 7 + 64), "entry key too long")
                expect(entry.url is None or urlsplit(entry.url).scheme in ("http", "https"), f"entry url {entry.url!r}")
                expect(entry.published is None or entry.published.tzinfo is not None, "naive published date")
                for value in (entry.title, entry.author, entry.content, entry.summary):
                    expect(value is None or isinstance(value, str), f"a {type(value).__name__} field")
                entry.words, entry.truncated  # noqa: B018 - both are computed from the text
                doc = entry_document(entry, feed_url="https://feeds.example/rss", outlet="Example")
                expect(isinstance(doc.content, str) and doc.kind == "html", "entry document")
        if kind in ("opml", "bytes", "rss"):
            try:
                feeds = parse_opml(data)
            except ParallaxError:
                return
            seen = [f["url"] for f in feeds]
            expect(len(seen) == len(set(seen)), "repeated feed URL in an OPML import")
            for feed in feeds:
                expect(urlsplit(feed["url"]).scheme in ("http", "https"), f"OPML url {feed['url']!r}")


# -- target: the URL guard and the fetcher -----------------------------------------------------


@st.composite
def address(draw: Callable[[Any], Any]) -> str:
    """An IP address in one of the forms an attacker writes, or a non-address."""
    from parallax.sources.fetch import special_purpose_blocks

    form = draw(pick(["v4", "v6", "block", "mapped", "nat64", "6to4", "compat", "scoped", "junk"]))
    v4 = ipaddress.IPv4Address(draw(st.integers(0, 2**32 - 1)))
    if form == "v4":
        return str(v4)
    if form == "v6":
        return str(ipaddress.IPv6Address(draw(st.integers(0, 2**128 - 1))))
    if form == "block":
        network = draw(pick(n for n, _ in special_purpose_blocks()))
        return str(network[draw(st.integers(0, network.num_addresses - 1))])
    if form == "mapped":
        return f"::ffff:{v4}"
    if form == "nat64":
        return str(ipaddress.IPv6Address((0x64FF9B << 96) | int(v4)))
    if form == "6to4":
        return str(ipaddress.IPv6Address((0x2002 << 112) | (int(v4) << 80) | draw(st.integers(0, 2**80 - 1))))
    if form == "compat":
        return f"::{v4}"
    if form == "scoped":
        return f"fe80::{draw(st.integers(0, 0xFFFF)):x}%{draw(pick(['eth0', '1', '', '%']))}"
    return draw(st.one_of(awkward_text, pick(["0177.0.0.1", "0x7f.1", "2130706433", "1.1", "::g", ""])))


ADDRESS = address()


def _ipv4_host_forms(v4: ipaddress.IPv4Address, form: str) -> str:
    n = int(v4)
    octets = [int(o) for o in str(v4).split(".")]
    return {"dotted": str(v4), "decimal": str(n), "hex": hex(n), "octal": ".".join(f"0{o:o}" for o in octets),
            "short": f"{octets[0]}.{n & 0xFFFFFF}",
            "fullwidth": str(v4).translate({ord(str(d)): chr(0xFF10 + d) for d in range(10)}),
            "circled": str(v4).translate({ord(str(d)): chr(0x2460 + d - 1) if d else "\u24ea" for d in range(10)}),
            }[form]


@st.composite
def hostile_url(draw: Callable[[Any], Any]) -> str:
    """A URL whose host is an address in an odd form, a strange name, or worse."""
    scheme = draw(pick(["http", "https", "HTTP", "ftp", "file", "gopher", "javascript", ""]))
    kind = draw(pick(["v4form", "v6", "name", "idn", "long", "junk"]))
    if kind == "v4form":
        host = _ipv4_host_forms(ipaddress.IPv4Address(draw(st.integers(0, 2**32 - 1))),
                                draw(pick(["dotted", "decimal", "hex", "octal", "short", "fullwidth",
                                                      "circled"])))
    elif kind == "v6":
        host = f"[{draw(ADDRESS)}]"
    elif kind == "name":
        host = draw(pick(["localhost", "news.example", "example.com.", "a..b", "xn--", "xn--zz",
                                     "metadata.google.internal", "LOCALHOST", "127.1", "0", "[::]"]))
    elif kind == "idn":
        host = draw(st.text(CHARS, min_size=1, max_size=20)) + ".example"
    elif kind == "long":
        host = "a" * draw(st.integers(60, 300)) + ".example"
    else:
        host = draw(awkward_text)
    userinfo = draw(pick(["", "", "user:pass@", "@", "a@b@"]))
    port = draw(pick(["", "", ":80", ":0", ":65536", ":-1", ":99999999999", ":abc", ":"]))
    path = draw(pick(["/", "/feed.xml", "", "/%zz", "/\u2028", "/a?b=c#d", "/..%2f..%2f"]))
    return f"{scheme}://{userinfo}{host}{port}{path}"


HOSTILE_URL = hostile_url()


class _Exchange:
    """The in-memory network of one example: the resolver's answers and the server's replies."""

    def __init__(self, answers: list[list[str]], replies: list[bytes]) -> None:
        self.answers = answers
        self.replies = replies
        self.connected: list[str] = []
        self.resolved = 0

    def resolve(self, host: str, port: int) -> list[str]:
        self.resolved += 1
        if host == "unresolvable.example":
            raise FetchError("cannot resolve unresolvable.example")
        return self.answers[self.resolved % len(self.answers)] if self.answers else []


class _Backend:
    """An httpcore network backend that records the address it is asked to connect to and answers
    from memory (httpcore's MockStream): no socket is opened."""

    def __init__(self, exchange: _Exchange) -> None:
        self.exchange = exchange

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> Any:
        from httpcore._backends.mock import MockStream

        self.exchange.connected.append(host)
        reply = self.exchange.replies[(len(self.exchange.connected) - 1) % len(self.exchange.replies)]
        return MockStream([reply])


@st.composite
def reply(draw: Callable[[Any], Any]) -> bytes:
    status = draw(pick([200, 200, 301, 302, 303, 307, 308, 304, 404, 500, 999]))
    headers = [b"Content-Type: " + draw(pick([b"application/rss+xml", b"text/html", b"image/png", b"",
                                                          b"text/xml; charset=\xff"]))]
    if status in (301, 302, 303, 307, 308) or draw(st.integers(0, 4)) == 0:
        headers.append(b"Location: " + draw(st.one_of(HOSTILE_URL, urls)).encode("utf-8", "replace")
                       .replace(b"\r", b"").replace(b"\n", b""))
    body = draw(st.binary(max_size=100))
    encoding = draw(pick([None, None, b"gzip", b"deflate", b"br", b"gzip, gzip"]))
    if encoding == b"gzip" and draw(st.booleans()):
        body = gzip.compress(body)
    if encoding:
        headers.append(b"Content-Encoding: " + encoding)
    length = draw(pick([len(body), len(body), len(body) + 5, 10**12, -1]))
    headers.append(b"Content-Length: " + str(length).encode())
    return b"HTTP/1.1 %d X\r\n" % status + b"\r\n".join(headers) + b"\r\n\r\n" + body


REPLY = reply()


@st.composite
def fetch_case(draw: Callable[[Any], Any]) -> tuple[str, list[list[str]], list[bytes]]:
    url = draw(st.one_of(HOSTILE_URL, urls, st.just("http://unresolvable.example/")))
    answers = draw(st.lists(st.lists(st.one_of(ADDRESS, pick(["93.184.216.34", "2606:2800:220:1::"])),
                                     max_size=3), min_size=1, max_size=3))
    return url, answers, draw(st.lists(REPLY, min_size=1, max_size=4))


class GuardTarget:
    """``blocked_reason`` on generated addresses, ``guard_refusal`` on generated URLs, and
    ``Fetcher.get`` through the real guarded transport over an in-memory network."""

    name = "guard"
    strategy = st.tuples(address(), hostile_url(), fetch_case())

    def __init__(self) -> None:
        from parallax.settings import load

        self.settings = load(environ={}, host_delay=0.0, fetch_timeout=2.0)
        import ssl

        self.ssl = ssl.create_default_context()  # loaded once: the CA file costs 0.2 s a transport

    def check(self, example: tuple[str, str, tuple[str, list[list[str]], list[bytes]]]) -> None:
        from parallax.sources.fetch import (
            AddressPolicy,
            Fetcher,
            GuardedTransport,
            blocked_reason,
            guard_refusal,
            special_purpose_blocks,
        )

        ip_text, url, (fetch_url, answers, replies) = example
        reason = blocked_reason(ip_text)
        expect(reason is None or isinstance(reason, str), "blocked_reason gave a non-string")
        try:
            ip = ipaddress.ip_address(ip_text.split("%", 1)[0])
        except ValueError:
            ip = None
        embedded = None
        if isinstance(ip, ipaddress.IPv6Address) and (
                ip.ipv4_mapped or ip.sixtofour or int(ip) >> 32 == 0 or int(ip) >> 32 == 0x64FF9B << 64):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if not ip.sixtofour else ip.sixtofour
        if embedded is not None and int(ip) > 1:
            expect(reason is not None or blocked_reason(str(embedded)) is None, f"{ip_text} is let through")
        elif ip is not None:
            listed = any(ip.version == n.version and ip in n for n, _ in special_purpose_blocks())
            flagged = ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved \
                or ip.is_unspecified or not ip.is_global
            expect(reason is not None or not (listed or flagged), f"{ip_text} is let through")
        else:
            expect(reason is not None, f"{ip_text!r} is not an address yet was not refused")

        refusal = guard_refusal(url, self.settings, resolver=lambda host, port: [ip_text], timeout=1.0)
        expect(refusal is None or isinstance(refusal, str), "guard_refusal gave a non-string")

        exchange = _Exchange(answers, replies)
        transport = GuardedTransport(AddressPolicy(), exchange.resolve, ssl_context=self.ssl)
        transport._pool._network_backend._inner = _Backend(exchange)  # type: ignore[attr-defined]
        with Fetcher(self.settings, transport=transport) as fetcher:
            try:
                fetcher.get(fetch_url, check_robots=False, timeout=2.0)
            except FetchError:
                pass
        for connected in exchange.connected:
            expect(blocked_reason(connected) is None, f"connected to {connected} ({blocked_reason(connected)})")


# -- target: the HTML sanitizer and safe_url --------------------------------------------------

EVENT = ["onerror", "onload", "ONCLICK", "onmouseover", "onfocus", "formaction", "style", "srcdoc"]
SCHEMES = ["javascript:", "JaVaScRiPt:", "java\tscript:", "java&#x09;script:", "&#106;avascript:", " javascript:",
           "data:text/html;base64,PHNjcmlwdD4=", "vbscript:", "jav&#x61;script:", "javascript&colon;", "\x01javascript:",
           "http:", "https:", "//", "/", "#", "mailto:", "file:"]
TAGS = ["script", "a", "p", "img", "svg", "math", "iframe", "object", "embed", "style", "form", "input", "button",
        "base", "meta", "link", "template", "noscript", "textarea", "title", "xmp", "plaintext", "b", "em", "q",
        "blockquote", "code", "li", "mark", "details", "video", "audio", "source", "frame", "frameset", "body",
        "annotation-xml", "foreignObject", "use", "animate", "set"]


@st.composite
def hostile_html(draw: Callable[[Any], Any], depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        choice = draw(st.integers(0, 9))
        if choice < 5 and depth < 4:
            tag = draw(pick(TAGS))
            attrs = "".join(
                f" {draw(pick(['href', 'src', 'xlink:href', 'action', 'title', 'data', *EVENT]))}"
                f"={draw(pick(['', chr(34), chr(39)]))}"
                f"{draw(pick(SCHEMES))}{draw(pick(['alert(1)', 'x', '', '//evil.example/']))}"
                f"{draw(pick(['', chr(34), chr(39)]))}"
                for _ in range(draw(st.integers(0, 3))))
            inner = draw(_HOSTILE[depth + 1])
            close = draw(pick([f"</{tag}>", "", f"</{tag.upper()}>", "</", f"</{tag} x>"]))
            parts.append(f"<{draw(pick([tag, tag.upper()]))}{attrs}{draw(pick(['>', '/>', ' >', '']))}"
                         f"{inner}{close}")
        elif choice == 5:
            parts.append(draw(pick(["<!--", "-->", "<!-- <script>alert(1)</script> -->", "<![CDATA[",
                                               "]]>", "<!doctype html>", "<?xml x?>", "&lt;script&gt;", "&#60;",
                                               "<scr<script>ipt>", "<<script>>", "\x00", "<svg/onload=alert(1)>"])))
        else:
            parts.append(draw(awkward_text))
    return "".join(parts)


_HOSTILE = [hostile_html(depth) for depth in range(6)]  # one strategy per depth, not one per draw

ALLOWED_URL = ("http://", "https://")
#: Attributes nh3 (ammonia) keeps on every allowed tag by default: inert text, never run or loaded.
GENERIC = {"title", "lang"}


class Inspector(HTMLParser):
    """What a browser would run or load from a fragment (the idea of tests/test_web_security.py's
    Inspector, made strict: any tag or attribute outside the allowlist is a problem too)."""

    def __init__(self, tags: set[str], attributes: dict[str, set[str]]) -> None:
        super().__init__(convert_charrefs=True)
        self.tags = tags
        self.attributes = attributes
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.tags:
            self.problems.append(f"<{tag}> kept")
        for name, value in attrs:
            if name not in self.attributes.get(tag, set()) | GENERIC and not (tag == "a" and name == "rel"):
                self.problems.append(f"attribute {name}={value!r} kept on <{tag}>")
            squeezed = "".join(c for c in (value or "") if ord(c) > 32).lower()
            scheme = squeezed.split(":", 1)[0] if ":" in squeezed.split("/", 1)[0] else ""
            if name == "href" and scheme not in ("", "http", "https"):  # relative links are inert
                self.problems.append(f"href={value!r}")

    handle_startendtag = handle_starttag

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction {data[:40]!r}")


def executable_parts(fragment: str, tags: set[str], attributes: dict[str, set[str]]) -> list[str]:
    inspector = Inspector(tags, attributes)
    inspector.feed(fragment)
    inspector.close()
    return inspector.problems


class SanitizerTarget:
    """``sanitize_html`` (its output holds only allowed tags and attributes and http(s) links),
    ``safe_url`` (None or an absolute http(s) URL without control characters) and ``highlight``
    (only ``<mark>`` survives, whatever the snippet holds)."""

    name = "sanitizer"
    strict = True
    strategy = st.tuples(hostile_html(), st.one_of(urls, st.builds(lambda s, r: s + r, pick(SCHEMES),
                                                                          awkward_text)), awkward_text)

    def check(self, example: tuple[str, str, str]) -> None:
        from parallax.web.security import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, highlight, safe_url, sanitize_html

        fragment, url, snippet = example
        clean = sanitize_html(fragment)
        problems = executable_parts(clean, ALLOWED_TAGS, ALLOWED_ATTRIBUTES)
        expect(not problems, f"sanitize_html kept {problems[:3]}")
        again = executable_parts(sanitize_html(clean), ALLOWED_TAGS, ALLOWED_ATTRIBUTES)
        expect(not again, f"sanitize_html twice kept {again[:3]}")
        safe = safe_url(url)
        if safe is not None:
            expect(safe.lower().startswith(ALLOWED_URL) and urlsplit(safe).netloc, f"safe_url let {safe!r} through")
            expect(not any(ord(c) < 32 or c == "\x7f" for c in safe), f"safe_url kept a control character in {safe!r}")
        marked = str(highlight(snippet + "\x02" + snippet + "\x03"))
        problems = executable_parts(marked, {"mark"}, {})
        expect(not problems, f"highlight let {problems[:3]} through")


# -- the runner --------------------------------------------------------------------------------

TARGETS: dict[str, Callable[[], Any]] = {
    "files": FileTarget, "feeds": FeedTarget, "guard": GuardTarget, "sanitizer": SanitizerTarget,
}
DOCUMENTED = (ParallaxError,)


@dataclass
class Outcome:
    target: str
    examples: int = 0
    seconds: float = 0.0
    crashes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def crash_count(self) -> int:
        return sum(c["count"] for c in self.crashes.values())


def _signature(exc: BaseException) -> str:
    """Where a crash comes from: its type and the innermost frame in parallax (or the last frame)."""
    frames = traceback.extract_tb(exc.__traceback__)
    inner = [f for f in frames if "/parallax/" in f.filename] or frames
    where = f"{Path(inner[-1].filename).name}:{inner[-1].lineno}" if inner else "?"
    if isinstance(exc, Broken):
        return f"invariant: {str(exc)[:80]}"
    return f"{type(exc).__name__} at {where}"


def run_target(name: str, examples: int, *, derandomize: bool = False, seed: int | None = None) -> Outcome:
    """Run ``examples`` generated inputs through one target, counting crashes instead of stopping."""
    target = TARGETS[name]()
    outcome = Outcome(name)

    @settings(max_examples=examples, deadline=None, database=None, derandomize=derandomize,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck), print_blob=False)
    @given(target.strategy)
    def one(example: Any) -> None:
        outcome.examples += 1
        try:
            target.check(example)
        except Exception as exc:  # noqa: BLE001 - every undocumented exception is a crash
            if isinstance(exc, DOCUMENTED) and not isinstance(exc, Broken) and not getattr(target, "strict", False):
                return
            key = _signature(exc)
            seen = outcome.crashes.setdefault(key, {"count": 0, "example": repr(example)[:600],
                                                    "error": f"{type(exc).__name__}: {str(exc)[:300]}"})
            seen["count"] += 1

    if seed is not None and not derandomize:
        from hypothesis import seed as with_seed

        one = with_seed(seed)(one)
    started = time.perf_counter()
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)  # the code under test logs lenient parses by the thousand
    try:
        one()
    finally:
        logging.disable(previous)
        outcome.seconds = time.perf_counter() - started
        if hasattr(target, "close"):
            target.close()
    return outcome


CHUNK = 2_000


def run_budgeted(name: str, examples: int, *, minutes: float | None = None, seed: int | None = None) -> Outcome:
    """``examples`` inputs for one target in chunks of :data:`CHUNK` (each a fresh hypothesis run
    with the next seed), stopping early when ``minutes`` have passed: the figures say what ran."""
    total = Outcome(name)
    started = time.perf_counter()
    base = seed if seed is not None else int.from_bytes(os.urandom(4), "big")
    chunk = 0
    while total.examples < examples:
        part = run_target(name, min(CHUNK, examples - total.examples), seed=base + chunk)
        chunk += 1
        total.examples += part.examples
        total.seconds += part.seconds
        for key, crash in part.crashes.items():
            seen = total.crashes.setdefault(key, {**crash, "count": 0})
            seen["count"] += crash["count"]
        print(f"{name} chunk {chunk} (seed {base + chunk - 1}): {part.examples} examples, {part.crash_count} crashes, "
              f"{part.seconds:.0f} s; total {total.examples} examples, {total.crash_count} crashes "
              f"({len(total.crashes)} distinct), {time.perf_counter() - started:.0f} s", flush=True)
        for key, crash in part.crashes.items():
            print(f"  {key} x{crash['count']}: {crash['error'][:200]}\n    {crash['example'][:400]}", flush=True)
        if part.examples == 0 or (minutes is not None and time.perf_counter() - started > minutes * 60):
            break
    total.seed = base  # type: ignore[attr-defined]
    return total


def write_report(outcomes: list[Outcome], command: str, path: Path = REPORT) -> None:
    lines = [
        "# Fuzzing figures",
        "",
        "Hypothesis-driven fuzzing of the file readers, feed parsing, the URL guard and the HTML sanitizer",
        "(`bench/reliability/fuzz.py`; what each target generates and checks is in its docstring). A crash is",
        "any exception other than Parallax's documented errors (`ParallaxError` and its subclasses) or a broken",
        "invariant. Nothing reaches the network: the fetcher runs over a resolver stub and an in-memory socket.",
        "",
        f"Command: `{command}`",
        "",
        "| target | examples | crashes | distinct | seconds | first seed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        lines.append(f"| {o.target} | {o.examples:,} | {o.crash_count} | {len(o.crashes)} | {o.seconds:.0f} | "
                     f"{getattr(o, 'seed', '')} |")
    crashes = [(o.target, key, c) for o in outcomes for key, c in o.crashes.items()]
    if crashes:
        lines += ["", "## Crashes", ""]
        for target, key, c in crashes:
            lines.append(f"- **{target}**: {key} ({c['count']}x): `{c['error'][:200]}`; example `{c['example'][:300]}`")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=DEFAULT_EXAMPLES, help="examples per target")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated: " + ", ".join(TARGETS))
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed of the first chunk (default: random)")
    parser.add_argument("--minutes", type=float, default=None,
                        help="stop a target after this many minutes (at a chunk's end) even if short of --examples")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    outcomes = []
    for name in [t.strip() for t in args.targets.split(",") if t.strip()]:
        outcome = run_budgeted(name, args.examples, minutes=args.minutes, seed=args.seed)
        outcomes.append(outcome)
        print(f"{name}: {outcome.examples} examples, {outcome.crash_count} crashes "
              f"({len(outcome.crashes)} distinct), {outcome.seconds:.0f} s", flush=True)
        for key, c in outcome.crashes.items():
            print(f"  {key} x{c['count']}: {c['error'][:200]}\n    {c['example'][:400]}", flush=True)
        command = "OMP_NUM_THREADS=1 python bench/reliability/fuzz.py " + " ".join(argv if argv is not None else sys.argv[1:])
        write_report(outcomes, command.strip(), args.report)
    return 1 if any(o.crashes for o in outcomes) else 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    raise SystemExit(main())
