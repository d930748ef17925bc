"""A safe, polite HTTP fetcher: every connected address checked, one deadline, capped bodies.

>>> from parallax.settings import load
>>> fetcher = Fetcher(load())
>>> response = fetcher.get("https://example.org/feed.xml", accept=FEED_TYPES)  # doctest: +SKIP
>>> response.status, len(response.content)  # doctest: +SKIP
(200, 5120)

Safety (what an attacker-controlled feed or redirect cannot make Parallax do):

- connect to loopback, private, link-local, multicast, unspecified, CGNAT or reserved addresses,
  including their IPv4-mapped/-compatible, 6to4 and NAT64 forms: the host is resolved here, every
  resolved address is checked and the connection goes to the checked address (TLS still verifies
  the host name), on every redirect hop; ``allow_private_networks`` lifts this for self-hosters;
- use a scheme other than http/https, or an environment proxy (``trust_env=False``);
- take longer than ``fetch_timeout`` in total (redirects and body streaming included), follow more
  than ``fetch_max_redirects`` redirects, or hold more than ``fetch_max_bytes`` decompressed bytes;
- return a body whose content type is not one the caller accepts.

Politeness: an honest User-Agent, robots.txt (see :mod:`parallax.sources.robots`), conditional
GET validators, and a per-host gate (at most ``host_concurrency`` requests in flight and
``host_delay`` seconds between two request starts to one host).
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from importlib import resources
from typing import Any, Protocol, Self
from urllib.parse import urljoin, urlsplit

import certifi
import httpcore
import httpx

from ..errors import BlockedAddress, Disallowed, FetchError, Timeout, TooLarge
from ..settings import Settings

log = logging.getLogger(__name__)

#: Requests in flight to one host at a time (a module default: no setting declares it yet).
HOST_CONCURRENCY = 2
#: Longest Retry-After / Crawl-delay honoured, in seconds (a week / a minute).
MAX_RETRY_AFTER = 7 * 86_400.0
MAX_CRAWL_DELAY = 60.0

FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/feed+json", "application/json", "application/x-rss+xml", "application/rss",
    "text/rss+xml", "application/x-atom+xml", "text/html", "application/xhtml+xml", "text/plain",
})
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})

Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_SIXTOFOUR = ipaddress.ip_network("2002::/16")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


@functools.cache
def special_purpose_blocks() -> tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...]:
    """The blocks of ``data/special_purpose_addresses.tsv`` (the IANA special-purpose registries,
    multicast and site-local) as ``(network, reason)``, the narrowest first so a reason is specific."""
    rows = []
    text = resources.files("parallax").joinpath("data/special_purpose_addresses.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        network, reason, _reference = line.split("\t")
        rows.append((ipaddress.ip_network(network), reason))
    return tuple(sorted(rows, key=lambda row: -row[0].prefixlen))


def blocked_reason(address: str) -> str | None:
    """Why ``address`` may not be connected to (loopback, private, ...), or None when it is public.

    The refusal is decided by an explicit table of the IANA special-purpose address registries
    (:func:`special_purpose_blocks`), not by the standard library's flags, which differ between
    Python versions (3.11's ``is_global`` lets ``fec0::/10`` and most of ``192.0.0.0/24`` through).
    An IPv4 address embedded in an IPv6 one (mapped, NAT64, 6to4, IPv4-compatible) is judged as IPv4.

    >>> blocked_reason("127.0.0.1"), blocked_reason("93.184.216.34"), blocked_reason("fec0::1")
    ('loopback', None, 'site-local (deprecated)')
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded: ipaddress.IPv4Address | None = None
        if ip.ipv4_mapped is not None:
            embedded = ip.ipv4_mapped
        elif ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip in _NAT64_LOCAL:
            return "local-use NAT64"
        elif ip.sixtofour is not None:
            embedded = ip.sixtofour
        elif int(ip) >> 32 == 0 and int(ip) > 1:  # IPv4-compatible ::a.b.c.d (deprecated)
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = blocked_reason(str(embedded))
            return f"{inner} (embedded in {ip})" if inner else None
    for network, reason in special_purpose_blocks():
        if ip.version == network.version and ip in network:
            return reason
    # the registries cover these; the flags stay as a second, independent check
    for reason, test in (("reserved", ip.is_reserved), ("not globally routable", not ip.is_global)):
        if test:
            return reason
    return None


def guard_refusal(url: str, settings: Settings, *, resolver: Resolver | None = None,
                  timeout: float = 3.0) -> str | None:
    """Why the address guard would refuse ``url`` (its host is, or resolves to, a non-public
    address), or None: for ``feeds add`` to warn at once rather than at the first poll."""
    policy = AddressPolicy(allow_private=settings.allow_private_networks)
    if policy.allow_private:
        return None
    try:
        host = (urlsplit(url).hostname or "").strip("[]")
    except ValueError:
        return None
    if not host:
        return None
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        addresses = [host]
    except ValueError:
        try:
            addresses = _resolve_within(resolver or system_resolver, host, 80, timeout)
        except (FetchError, OSError, UnicodeError, ValueError):
            return None  # unresolvable now: the poll will say why
    try:
        policy.check(host, addresses)
    except BlockedAddress as exc:
        return str(exc)
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror or exc}") from None
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen


def _resolve_within(resolver: Resolver, host: str, port: int, timeout: float | None) -> list[str]:
    """``resolver(host, port)`` bounded by ``timeout``: getaddrinfo cannot be interrupted, so it runs
    in a daemon thread that is left behind (never blocking shutdown) when the time is up."""
    if timeout is None:
        return resolver(host, port)
    outcome: dict[str, Any] = {}
    finished = threading.Event()

    def lookup() -> None:
        try:
            outcome["addresses"] = resolver(host, port)
        except Exception as exc:  # noqa: BLE001 - re-raised in the waiting thread
            outcome["error"] = exc
        finally:
            finished.set()

    threading.Thread(target=lookup, name=f"parallax-dns-{host}", daemon=True).start()
    if not finished.wait(max(timeout, 0.001)):
        raise Timeout(f"resolving {host} took longer than {timeout:.1f}s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["addresses"]


class AddressPolicy:
    """Decides which resolved addresses may be connected to."""

    def __init__(self, *, allow_private: bool = False, allow_networks: Iterable[str] = ()) -> None:
        self.allow_private = allow_private
        self.allow_networks = tuple(ipaddress.ip_network(n) for n in allow_networks)

    def check(self, host: str, addresses: list[str]) -> None:
        """Raise :class:`BlockedAddress` when any address ``host`` resolved to is not allowed."""
        if self.allow_private:
            return
        for address in addresses:
            reason = blocked_reason(address)
            if reason and not any(ipaddress.ip_address(address.split("%")[0]) in n for n in self.allow_networks):
                shown = host if host == address else f"{host} ({address})"
                raise BlockedAddress(
                    f"refused to connect to {shown}: {reason} address "
                    "(set PARALLAX_ALLOW_PRIVATE_NETWORKS=1 to allow private networks)"
                )


class GuardedBackend(httpcore.NetworkBackend):
    """An httpcore network backend that resolves, checks and connects to the checked address."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolver = resolver
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Iterable[Any] | None = None
                    ) -> httpcore.NetworkStream:
        host = host.strip("[]")
        addresses = _resolve_within(self.resolver, host, port, timeout)
        if not addresses:
            raise FetchError(f"cannot resolve {host}: no address")
        self.policy.check(host, addresses)
        last: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                               socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise BlockedAddress("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.cache
def default_ssl_context() -> ssl.SSLContext:
    """The TLS client context of every fetcher in the process (certifi's CAs), built once: loading
    the CA file costs about 0.1 s of CPU, and a context is safe to share between threads."""
    return ssl.create_default_context(cafile=certifi.where())


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool on a :class:`GuardedBackend` (no proxies)."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver = system_resolver,
                 *, max_connections: int = 100, ssl_context: ssl.SSLContext | None = None) -> None:
        context = ssl_context or default_ssl_context()
        super().__init__(verify=context, trust_env=False, http2=False)  # no context of its own: 0.1 s each
        self._pool = httpcore.ConnectionPool(
            ssl_context=context, max_connections=max_connections, max_keepalive_connections=20,
            keepalive_expiry=5.0, http1=True, http2=False, network_backend=GuardedBackend(policy, resolver),
        )


class RobotsPolicy(Protocol):
    """What the fetcher asks before each request (see :class:`parallax.sources.robots.RobotsCache`)."""

    def allowed(self, url: str) -> bool: ...

    def why(self, url: str) -> str: ...

    def crawl_delay(self, url: str) -> float | None: ...


class HostGate:
    """Per-host concurrency and spacing: at most ``concurrency`` requests, ``delay`` s apart."""

    def __init__(self, delay: float, concurrency: int = HOST_CONCURRENCY) -> None:
        self.delay = delay
        self.concurrency = max(1, concurrency)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}

    def acquire(self, host: str, *, delay: float | None = None, deadline: float | None = None,
                cancel: threading.Event | None = None) -> None:
        """Wait for a slot and for the host's spacing; raises :class:`Timeout` past ``deadline``."""
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.concurrency))
        remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not slot.acquire(timeout=remaining):
            raise Timeout(f"waited too long for a free connection to {host}")
        spacing = self.delay if delay is None else max(self.delay, delay)
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + spacing
        wait = start - time.monotonic()
        if wait > 0:
            if deadline is not None and start > deadline:
                slot.release()
                raise Timeout(f"host delay for {host} passes the deadline")
            if (cancel or threading.Event()).wait(wait):
                slot.release()
                raise FetchError("fetch cancelled")

    def release(self, host: str) -> None:
        with self._lock:
            slot = self._slots.get(host)
        if slot is not None:
            slot.release()


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched response: final URL, status, headers (lower-case names) and decoded body."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes = b""
    redirects: tuple[str, ...] = field(default=())  # the URLs redirected from, in order
    moved: bool = False  # every redirect was permanent (301/308): ``url`` is the new address

    @property
    def content_type(self) -> str:
        return media_type(self.headers.get("content-type", ""))

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"' ")
        return None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag") or None

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified") or None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def retry_after(self) -> float | None:
        """Seconds to wait from a Retry-After header (delta or HTTP date), capped at a week."""
        return parse_retry_after(self.headers.get("retry-after"))

    @property
    def max_age(self) -> float | None:
        """Seconds from Cache-Control max-age (s-maxage ignored), or None."""
        return parse_max_age(self.headers.get("cache-control"))


def media_type(header: str) -> str:
    """The lower-case media type of a Content-Type header, without parameters."""
    return header.split(";", 1)[0].strip().lower()


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After value (``120`` or an HTTP date), clamped to [0, a week]."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def parse_max_age(value: str | None) -> float | None:
    """The max-age of a Cache-Control header in seconds, or None (``no-cache``/``no-store`` → 0)."""
    if not value:
        return None
    age = None
    for part in value.lower().split(","):
        key, _, raw = part.strip().partition("=")
        if key in ("no-cache", "no-store"):
            return 0.0
        if key == "max-age":
            try:
                age = max(0.0, float(raw.strip().strip('"')))
            except ValueError:
                return None
    return age


class _Decoder:
    """Incremental Content-Encoding decoder (identity, gzip, deflate) with an output cap."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        self.url = url
        self.limit = limit
        self.size = 0
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip() and c.strip().lower() != "identity"]
        if len(codings) > 1:
            raise FetchError(f"unsupported stacked Content-Encoding {encoding!r}", url=url)
        self.coding = codings[0] if codings else ""
        if self.coding in ("gzip", "x-gzip"):
            self._z: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self._z = None  # zlib or raw deflate: decided on the first bytes
        elif self.coding:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}", url=url)

    def _take(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise TooLarge(f"body larger than {self.limit} bytes (decompressed)", url=self.url)
        return data

    def feed(self, data: bytes) -> bytes:
        if not self.coding:
            return self._take(data)
        if self._z is None:
            raw = not (len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0)
            self._z = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        out = bytearray()
        pending = data
        try:
            while pending:
                room = self.limit - self.size - len(out) + 1
                out += self._z.decompress(pending, max(room, 1))
                pending = self._z.unconsumed_tail
                if self.size + len(out) > self.limit:
                    break
                if self._z.eof:
                    break
        except zlib.error as exc:
            raise FetchError(f"corrupt {self.coding} body: {exc}", url=self.url) from None
        return self._take(bytes(out))

    def flush(self) -> bytes:
        if self.coding and self._z is not None:
            try:
                return self._take(self._z.flush())
            except zlib.error as exc:
                raise FetchError(f"corrupt {self.coding} body: {exc}", url=self.url) from None
        return b""


class Fetcher:
    """Fetches URLs safely and politely; one instance is shared by every thread of a process."""

    def __init__(self, settings: Settings, *, robots: RobotsPolicy | None = None,
                 resolver: Resolver = system_resolver, allow_networks: Iterable[str] = (),
                 host_concurrency: int = HOST_CONCURRENCY, transport: httpx.BaseTransport | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self.robots = robots
        self.policy = AddressPolicy(allow_private=settings.allow_private_networks, allow_networks=allow_networks)
        self.gate = HostGate(settings.host_delay, host_concurrency)
        self.cancel = threading.Event()
        self.client = httpx.Client(
            transport=transport or GuardedTransport(self.policy, resolver, ssl_context=ssl_context),
            trust_env=False, follow_redirects=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def close(self) -> None:
        self.cancel.set()
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, accept: Iterable[str] | None = FEED_TYPES, etag: str | None = None,
            last_modified: str | None = None, max_bytes: int | None = None, check_robots: bool = True,
            timeout: float | None = None) -> Response:
        """GET ``url`` following redirects by hand; a 2xx body is read and checked, others are not.

        Raises a :class:`FetchError` subclass with the reason (blocked address, robots.txt,
        deadline, size, content type, network error). Non-2xx statuses are returned, not raised.
        Every other error of parsing, IDNA, encoding or the transport (httpx's ``InvalidURL``, a
        ``UnicodeError`` from the IDNA codec, ...) becomes a :class:`FetchError` with its reason too,
        so one bad link never escapes as something the caller does not expect.
        """
        try:
            return self._get(url, accept=accept, etag=etag, last_modified=last_modified, max_bytes=max_bytes,
                             check_robots=check_robots, timeout=timeout)
        except FetchError:
            raise
        except (httpx.InvalidURL, httpx.HTTPError, httpx.StreamError, httpcore.ProtocolError,
                ValueError, LookupError, OSError) as exc:
            kind = "invalid URL" if isinstance(exc, (httpx.InvalidURL, ValueError, LookupError)) else "network error"
            raise FetchError(f"{kind}: {exc or type(exc).__name__}", url=url) from None

    def _get(self, url: str, *, accept: Iterable[str] | None, etag: str | None, last_modified: str | None,
             max_bytes: int | None, check_robots: bool, timeout: float | None) -> Response:
        budget = timeout or self.settings.fetch_timeout
        deadline: float | None = None  # starts when the host gate lets the first request go
        limit = max_bytes or self.settings.fetch_max_bytes
        headers: dict[str, str] = {}
        if accept:
            headers["Accept"] = ", ".join(sorted(accept)) + ", */*;q=0.1"
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        hops: list[str] = []
        permanent = True
        current = url
        while True:
            parts = _check_url(current)
            if check_robots and self.robots is not None and not self.robots.allowed(current):
                why = self.robots.why(current)
                raise Disallowed(f"robots.txt disallows {current}" if why == "parsed" else why, url=current)
            delay = self.robots.crawl_delay(current) if (check_robots and self.robots is not None) else None
            host = parts.netloc.lower()
            self.gate.acquire(host, delay=min(delay, MAX_CRAWL_DELAY) if delay else None, deadline=deadline,
                              cancel=self.cancel)
            if deadline is None:
                deadline = time.monotonic() + budget
            try:
                response = self._one(current, headers, deadline, limit, accept, tuple(hops))
            finally:
                self.gate.release(host)
            if response.status in REDIRECTS and "location" in response.headers:
                if len(hops) >= self.settings.fetch_max_redirects:
                    raise FetchError(f"more than {self.settings.fetch_max_redirects} redirects", url=url)
                hops.append(current)
                permanent = permanent and response.status in (301, 308)
                current = urljoin(current, response.headers["location"].strip())
                continue
            return replace(response, moved=bool(hops) and permanent)

    def _one(self, url: str, headers: dict[str, str], deadline: float, limit: int,
             accept: Iterable[str] | None, hops: tuple[str, ...]) -> Response:
        """One request/response without redirects, the body streamed under the deadline and cap."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Timeout(f"deadline of {self.settings.fetch_timeout:g}s passed", url=url)
        try:
            request = self.client.build_request("GET", url, headers=headers, timeout=httpx.Timeout(remaining))
            response = self.client.send(request, stream=True)
        except FetchError as exc:
            exc.url = exc.url or url
            raise
        except httpx.TimeoutException:
            raise Timeout(f"no answer within {self.settings.fetch_timeout:g}s", url=url) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc or 'network error'}", url=url) from None
        try:
            names = {k.lower(): v for k, v in response.headers.items()}
            status = response.status_code
            if not 200 <= status < 300:
                return Response(url=url, status=status, headers=names, redirects=hops)
            kind = media_type(names.get("content-type", ""))
            if accept is not None and kind and kind not in accept:
                raise FetchError(f"unexpected content type {kind!r}", url=url)
            declared = names.get("content-length", "")
            if declared.isdigit() and int(declared) > limit and not names.get("content-encoding"):
                raise TooLarge(f"Content-Length {declared} is larger than {limit} bytes", url=url)
            decoder = _Decoder(names.get("content-encoding", ""), limit, url)
            body = bytearray()
            # httpcore reads the read timeout from this dict before each socket read: shrinking it
            # as the deadline nears makes a stalled body fail at the deadline, not a read later
            timeouts = request.extensions.get("timeout")
            for chunk in response.iter_raw():
                if self.cancel.is_set():
                    raise FetchError("fetch cancelled", url=url)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Timeout(f"body not received within {self.settings.fetch_timeout:g}s", url=url)
                if isinstance(timeouts, dict):
                    timeouts["read"] = left
                body += decoder.feed(chunk)
            body += decoder.flush()
            if time.monotonic() > deadline:
                raise Timeout(f"body not received within {self.settings.fetch_timeout:g}s", url=url)
            return Response(url=url, status=status, headers=names, content=bytes(body), redirects=hops)
        except httpx.TimeoutException:
            raise Timeout(f"body not received within {self.settings.fetch_timeout:g}s", url=url) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc or 'network error'}", url=url) from None
        finally:
            response.close()


def _check_url(url: str) -> Any:
    """The split URL when its scheme is http/https and it names a host; raises FetchError."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchError(f"invalid URL: {exc}", url=url) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"scheme {parts.scheme or '(none)'!r} is not fetched (http and https only)", url=url)
    if not parts.hostname:
        raise FetchError("URL has no host", url=url)
    if parts.username or parts.password:
        raise FetchError("URLs with credentials are not fetched", url=url)
    return parts


__all__ = [
    "FEED_TYPES",
    "PAGE_TYPES",
    "AddressPolicy",
    "Fetcher",
    "GuardedTransport",
    "HostGate",
    "Response",
    "blocked_reason",
    "guard_refusal",
    "media_type",
    "parse_max_age",
    "parse_retry_after",
    "system_resolver",
]
