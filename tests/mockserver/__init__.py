"""A local HTTP server for tests and benchmarks: feeds, pages and hostile answers, never the internet.

>>> with MockServer() as server:
...     server.add("/feed.xml", rss([item("One", server.url("/a/1"))]), content_type="application/rss+xml")
...     url = server.url("/feed.xml")

Routes map a path to a static :class:`Reply` or to a function ``fn(handler) -> Reply | None`` (which
may write the answer itself, e.g. a body that trickles). Every request is logged in ``requests``.
"""

from __future__ import annotations

import gzip
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from xml.sax.saxutils import escape

__all__ = [
    "BILLION_LAUGHS",
    "MockServer",
    "Reply",
    "atom",
    "gzip_bomb",
    "item",
    "json_feed",
    "page",
    "rss",
    "rss091",
    "rss1",
    "serve_news",
    "trickle",
]


@dataclass
class Reply:
    """A static answer."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answer 304 to a matching If-None-Match


Handler = Callable[["_Handler"], "Reply | None"]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # headers and body go out as two writes: without this, Nagle's algorithm and the client's
        # delayed ACK hold every body back ~40 ms, which no real server does
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        mock = self.server.mock
        path = self.path.split("?", 1)[0]
        with mock.lock:
            mock.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            mock.times.append((path, time.monotonic()))
            route = mock.routes.get(path)
        if route is None:
            self.send_reply(Reply(b"not found", 404, "text/plain"))
            return
        reply = route(self) if callable(route) else route
        if reply is not None:
            self.send_reply(reply)

    def send_reply(self, reply: Reply) -> None:
        """Write a :class:`Reply` (304 when its ETag matches the request's If-None-Match)."""
        if reply.etag and self.headers.get("If-None-Match") == reply.etag:
            self.send_response(304)
            self.send_header("ETag", reply.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        if reply.etag:
            self.send_header("ETag", reply.etag)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        try:
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    mock: MockServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # clients that hang up early (size caps, deadlines) are expected here


class MockServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) with programmable routes."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Reply | Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.times: list[tuple[str, float]] = []  # (path, time.monotonic()) of each request
        self.lock = threading.Lock()
        self._server = _Server((host, port), _Handler)
        self.scheme = "https" if tls else "http"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._server.mock = self
        self.host, self.port = self._server.server_address[:2]
        self._thread: threading.Thread | None = None

    def url(self, path: str, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def add(self, path: str, body: bytes | str = b"", *, status: int = 200,
            content_type: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None,
            etag: str | None = None) -> None:
        """Serve a static answer at ``path``."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Reply(data, status, content_type, dict(headers or {}), etag)

    def handle(self, path: str, fn: Handler) -> None:
        """Serve ``path`` with a function of the request handler."""
        self.routes[path] = fn

    def hits(self, path: str) -> list[dict[str, str]]:
        """The headers of each request made to ``path``."""
        with self.lock:
            return [headers for p, headers in self.requests if p == path]

    def start(self) -> MockServer:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- documents -------------------------------------------------------------------------------


def _date(when: datetime) -> str:
    return format_datetime(when, usegmt=True)


def item(title: str, link: str, *, body: str = "", published: datetime | None = None, guid: str | None = None,
         author: str | None = None) -> dict[str, Any]:
    """An entry for the feed builders; ``body`` is the full HTML text (empty: a teaser feed)."""
    return {"title": title, "link": link, "body": body, "guid": guid or link, "author": author,
            "published": published or datetime(2026, 11, 20, 12, 0, tzinfo=UTC)}


def rss(items: list[dict[str, Any]], *, title: str = "Mock Wire", link: str = "http://mock.invalid/",
        encoding: str = "utf-8", declare: str | None = None) -> bytes:
    """An RSS 2.0 document (``declare`` overrides the encoding named in the XML declaration)."""
    entries = []
    for it in items:
        content = f"<content:encoded><![CDATA[{it['body']}]]></content:encoded>" if it["body"] else ""
        author = f"<dc:creator>{escape(it['author'])}</dc:creator>" if it["author"] else ""
        entries.append(
            f"<item><title>{escape(it['title'])}</title><link>{escape(it['link'])}</link>"
            f"<guid>{escape(it['guid'])}</guid><pubDate>{_date(it['published'])}</pubDate>{author}"
            f"<description>{escape(it['title'])} &#8230;</description>{content}</item>"
        )
    text = (
        f'<?xml version="1.0" encoding="{declare or encoding}"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>{escape(title)}</title><link>{escape(link)}</link><description>mock</description>"
        + "".join(entries) + "</channel></rss>"
    )
    return text.encode(encoding)


def rss091(items: list[dict[str, Any]], *, title: str = "Mock 0.91") -> bytes:
    """An RSS 0.91 document (with the Netscape DOCTYPE many of them carry)."""
    entries = "".join(
        f"<item><title>{escape(it['title'])}</title><link>{escape(it['link'])}</link>"
        f"<description>{escape(it['body'] or it['title'])}</description></item>" for it in items
    )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        f'<rss version="0.91"><channel><title>{escape(title)}</title><link>http://mock.invalid/</link>'
        f"<description>mock</description><language>en</language>{entries}</channel></rss>"
    ).encode()


def rss1(items: list[dict[str, Any]], *, title: str = "Mock RDF") -> bytes:
    """An RSS 1.0 (RDF) document."""
    entries = "".join(
        f'<item rdf:about="{escape(it["link"])}"><title>{escape(it["title"])}</title>'
        f"<link>{escape(it['link'])}</link><description>{escape(it['body'] or it['title'])}</description>"
        f"<dc:date>{it['published'].isoformat()}</dc:date></item>" for it in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="http://mock.invalid/"><title>{escape(title)}</title>'
        "<link>http://mock.invalid/</link><description>mock</description></channel>"
        f"{entries}</rdf:RDF>"
    ).encode()


def atom(items: list[dict[str, Any]], *, title: str = "Mock Atom") -> bytes:
    """An Atom 1.0 document."""
    entries = []
    for it in items:
        content = f'<content type="html">{escape(it["body"])}</content>' if it["body"] else ""
        entries.append(
            f"<entry><title>{escape(it['title'])}</title><link href=\"{escape(it['link'])}\"/>"
            f"<id>{escape(it['guid'])}</id><updated>{it['published'].isoformat()}</updated>"
            f"<summary>{escape(it['title'])}</summary>{content}</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><link href=\"http://mock.invalid/\"/><id>urn:mock</id>"
        "<updated>2026-11-20T12:00:00Z</updated>" + "".join(entries) + "</feed>"
    ).encode()


def json_feed(items: list[dict[str, Any]], *, title: str = "Mock JSON") -> bytes:
    """A JSON Feed 1.1 document."""
    import json

    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": title, "home_page_url": "http://mock.invalid/",
        "items": [
            {"id": it["guid"], "url": it["link"], "title": it["title"], "date_published": it["published"].isoformat(),
             **({"content_html": it["body"]} if it["body"] else {"summary": it["title"]})}
            for it in items
        ],
    }).encode()


def page(title: str, paragraphs: list[str], *, feed_link: str | None = None, outlet: str = "Mock Wire",
         og_type: str = "article") -> bytes:
    """A page (an article by default; ``og_type="website"`` for a home page), optionally announcing a
    feed with ``<link rel="alternate">`` as most article pages and home pages do."""
    alt = f'<link rel="alternate" type="application/rss+xml" title="RSS" href="{escape(feed_link)}">' if feed_link else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta property="og:site_name" content="{escape(outlet)}"><meta property="og:type" content="{og_type}">'
        f"{alt}</head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>Copyright Mock</footer></body></html>"
    ).encode()


# -- hostile answers -------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>http://x.invalid/</link></item>
</channel></rss>"""

_BOMB: bytes | None = None


def gzip_bomb(size: int = 50_000_000) -> bytes:
    """Gzip bytes (a few hundred KB) that inflate to ``size`` bytes of zeros."""
    global _BOMB
    if _BOMB is None:
        z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        chunk = b"\0" * 1_000_000
        parts = [z.compress(chunk) for _ in range(size // len(chunk))]
        parts.append(z.flush())
        _BOMB = b"".join(parts)
    return _BOMB


def gzip_body(data: bytes) -> bytes:
    return gzip.compress(data)


def trickle(body: bytes, *, every: float = 1.0, content_type: str = "application/rss+xml") -> Handler:
    """A handler that sends ``body`` one byte every ``every`` seconds (a slow-loris answer)."""

    def send(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            for byte in body:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(every)
        except (BrokenPipeError, ConnectionResetError):
            pass

    return send


def now_http() -> str:
    return _date(datetime.now(UTC))


def serve_news(server: MockServer, articles: list[dict[str, Any]], *, path: str = "/feed.xml",
               full_text: bool = False, etag: str | None = None, title: str = "Mock Wire") -> list[dict[str, Any]]:
    """Serve ``articles`` (dicts: slug, title, outlet, author, hour, paragraphs) as pages and one RSS feed.

    With ``full_text`` the feed carries each article's text; otherwise it is a teaser feed and the
    reader must fetch ``/articles/<slug>.html``. Returns the feed's items.
    """
    items = []
    for a in articles:
        link = server.url(f"/articles/{a['slug']}.html")
        server.add(f"/articles/{a['slug']}.html", page(a["title"], a["paragraphs"], outlet=a.get("outlet", title)))
        body = "".join(f"<p>{escape(p)}</p>" for p in a["paragraphs"]) if full_text else ""
        items.append(item(a["title"], link, body=body, author=a.get("author"),
                          published=datetime(2026, 11, 19, a.get("hour", 12), 0, tzinfo=UTC)))
    server.add(path, rss(items, title=title), content_type="application/rss+xml; charset=utf-8", etag=etag)
    return items
