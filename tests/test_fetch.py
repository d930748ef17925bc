"""The fetcher: address guard on every connection and hop, deadline, size cap, politeness."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from mockserver import MockServer, Reply, gzip_body, gzip_bomb, item, rss, trickle

from parallax.errors import BlockedAddress, Disallowed, FetchError, Timeout, TooLarge
from parallax.settings import load
from parallax.sources.fetch import (
    FEED_TYPES,
    PAGE_TYPES,
    Fetcher,
    HostGate,
    blocked_reason,
    parse_max_age,
    parse_retry_after,
)
from parallax.sources.robots import RobotsCache, product_token

FEED = rss([item("One", "http://mock.invalid/1", body="<p>Body text.</p>")])


@pytest.fixture
def server():
    with MockServer() as mock:
        mock.add("/feed.xml", FEED, content_type="application/rss+xml", etag='"v1"')
        yield mock


def fetcher(**overrides) -> Fetcher:
    settings = load({}, **{"allow_private_networks": True, "host_delay": 0.0, **overrides})
    return Fetcher(settings)


def guarded(**kwargs) -> Fetcher:
    """A fetcher with private networks NOT allowed (the default)."""
    return Fetcher(load({}, host_delay=0.0), **kwargs)


# -- the address guard ------------------------------------------------------------------------


@pytest.mark.parametrize("address, reason", [
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),
    ("100.64.0.1", "CGNAT"),
    ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("255.255.255.255", "limited broadcast"),
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("fc00::1", "private"),
    ("ff02::1", "multicast"),
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:10.0.0.1", "private"),
    ("::127.0.0.1", "loopback"),
    ("64:ff9b::7f00:1", "loopback"),
    ("64:ff9b::a9fe:a9fe", "link-local"),
    ("64:ff9b:1::1", "local-use NAT64"),
    ("2002:7f00:1::", "loopback"),
    # ranges Python 3.11's is_private/is_global let through; the IANA table refuses them
    ("fec0::1", "site-local"),
    ("192.0.0.9", "IETF protocol assignments"),
    ("192.0.0.100", "IETF protocol assignments"),
    ("192.88.99.1", "deprecated 6to4 relay"),
    ("198.18.0.1", "benchmarking"),
    ("2001:db8::1", "documentation"),
    ("3fff::1", "documentation"),
    ("100::1", "discard-only"),
    ("2001::1", "IETF protocol assignments"),
    ("0.1.2.3", '"this network"'),
])
def test_non_public_addresses_are_refused(address, reason):
    assert blocked_reason(address).startswith(reason)


def test_every_block_of_the_iana_table_is_refused_at_both_ends():
    from parallax.sources.fetch import special_purpose_blocks
    blocks = special_purpose_blocks()
    assert len(blocks) >= 30
    for network, reason in blocks:
        for address in (network.network_address, network.broadcast_address):
            if network.version == 6 and network.prefixlen == 96 and int(address) >> 32 in (0, 0xFFFF):
                continue  # mapped / compatible addresses are judged by their IPv4 part
            if str(network) in ("64:ff9b::/96", "2002::/16"):
                continue  # NAT64 and 6to4 embed an IPv4 address, judged as IPv4
            assert blocked_reason(str(address)) is not None, (network, address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808",
                                     "::ffff:8.8.8.8"])
def test_public_addresses_pass(address):
    assert blocked_reason(address) is None


def test_loopback_url_is_refused_before_connecting(server):
    with guarded() as f, pytest.raises(BlockedAddress, match="loopback"):
        f.get(server.url("/feed.xml"))
    assert server.hits("/feed.xml") == []


def test_a_hostname_resolving_to_loopback_is_refused(server):
    with guarded() as f, pytest.raises(BlockedAddress, match=r"localhost \(127\.0\.0\.1\)"):
        f.get(server.url("/feed.xml", host="localhost"))


def test_any_private_address_among_resolved_ones_refuses_the_host(server):
    resolver = lambda host, port: ["93.184.216.34", "10.0.0.7"]
    with guarded(resolver=resolver) as f, pytest.raises(BlockedAddress, match="10.0.0.7"):
        f.get("http://news.example/feed.xml")


def test_ipv4_mapped_loopback_is_refused(server):
    with guarded() as f, pytest.raises(BlockedAddress, match="loopback"):
        f.get(f"http://[::ffff:127.0.0.1]:{server.port}/feed.xml")


def test_connection_goes_to_the_checked_address_with_the_host_header(server):
    """The resolved, checked IP is what is connected to; the URL's host name stays in Host."""
    asked = []

    def resolver(host, port):
        asked.append(host)
        return ["127.0.0.1"]

    with guarded(resolver=resolver, allow_networks=["127.0.0.1/32"]) as f:
        response = f.get(f"http://feeds.example:{server.port}/feed.xml")
    assert response.status == 200 and b"Mock Wire" in response.content
    assert asked == ["feeds.example"]
    assert server.hits("/feed.xml")[0]["host"] == f"feeds.example:{server.port}"


@pytest.mark.parametrize("target", ["http://127.0.0.2:{port}/feed.xml", "http://169.254.169.254/latest/meta-data/",
                                    "http://[::ffff:10.0.0.1]/", "http://0.0.0.0:{port}/feed.xml"])
def test_redirect_to_a_private_address_is_refused_at_the_hop(server, target):
    server.add("/hop", b"", status=302, headers={"Location": target.format(port=server.port)})
    with guarded(allow_networks=["127.0.0.1/32"]) as f, pytest.raises(BlockedAddress):
        f.get(server.url("/hop"))


def test_private_networks_setting_lifts_the_guard(server):
    with fetcher() as f:
        assert f.get(server.url("/feed.xml", host="localhost")).status == 200


def test_only_http_and_https(server):
    with fetcher() as f:
        for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://x/", "javascript:alert(1)"):
            with pytest.raises(FetchError, match="http and https only"):
                f.get(url)
        server.add("/to-file", b"", status=301, headers={"Location": "file:///etc/passwd"})
        with pytest.raises(FetchError, match="http and https only"):
            f.get(server.url("/to-file"))


def test_environment_proxy_is_ignored(server, monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://203.0.113.1:9")  # would black-hole every request
    with fetcher() as f:
        assert f.get(server.url("/feed.xml")).status == 200


# -- limits -----------------------------------------------------------------------------------


def test_redirects_are_followed_and_capped(server):
    for n in range(8):
        server.add(f"/r{n}", b"", status=302, headers={"Location": f"/r{n + 1}"})
    server.add("/r8", FEED, content_type="application/rss+xml")
    with fetcher(fetch_max_redirects=8) as f:
        response = f.get(server.url("/r0"))
        assert response.status == 200 and len(response.redirects) == 8 and response.url.endswith("/r8")
    with fetcher(fetch_max_redirects=3) as f, pytest.raises(FetchError, match="more than 3 redirects"):
        f.get(server.url("/r0"))


def test_trickling_body_hits_the_total_deadline(server):
    server.handle("/slow.xml", trickle(FEED, every=0.5))
    start = time.monotonic()
    with fetcher(fetch_timeout=2.0) as f, pytest.raises(Timeout):
        f.get(server.url("/slow.xml"))
    assert time.monotonic() - start < 8.0  # the body alone takes 260 s: each byte is in time, the total is not


def test_stalled_body_hits_the_deadline_not_a_read_later(server):
    server.handle("/stall.xml", trickle(FEED, every=30.0))
    start = time.monotonic()
    with fetcher(fetch_timeout=3.0) as f, pytest.raises(Timeout):
        f.get(server.url("/stall.xml"))
    assert time.monotonic() - start < 5.5  # a fixed read timeout would end it at 6 s (3 s + one more read)


def test_silent_server_hits_the_deadline(server):
    server.handle("/hang", lambda handler: time.sleep(15) or Reply(FEED))
    start = time.monotonic()
    with fetcher(fetch_timeout=1.0) as f, pytest.raises(Timeout):
        f.get(server.url("/hang"))
    assert time.monotonic() - start < 8.0


def test_gzip_bomb_is_cut_at_the_decompressed_cap(server):
    server.add("/bomb.xml", gzip_bomb(), content_type="application/rss+xml", headers={"Content-Encoding": "gzip"})
    with fetcher(fetch_max_bytes=2_000_000) as f, pytest.raises(TooLarge, match="decompressed"):
        f.get(server.url("/bomb.xml"))


def test_gzip_body_is_decoded(server):
    server.add("/z.xml", gzip_body(FEED), content_type="application/rss+xml", headers={"Content-Encoding": "gzip"})
    with fetcher() as f:
        assert f.get(server.url("/z.xml")).content == FEED


def test_plain_body_over_the_cap(server):
    server.add("/big.xml", b"x" * 50_000, content_type="application/rss+xml")
    with fetcher(fetch_max_bytes=10_000) as f, pytest.raises(TooLarge):
        f.get(server.url("/big.xml"))


def test_content_type_is_checked(server):
    server.add("/image", b"\x89PNG....", content_type="image/png")
    server.add("/feed-as-page", FEED, content_type="application/rss+xml")
    with fetcher() as f:
        with pytest.raises(FetchError, match="image/png"):
            f.get(server.url("/image"), accept=FEED_TYPES)
        with pytest.raises(FetchError, match="rss"):
            f.get(server.url("/feed-as-page"), accept=PAGE_TYPES)


# -- politeness -------------------------------------------------------------------------------


def test_user_agent_and_conditional_get(server):
    with fetcher(user_agent="Parallax/9 (+https://example.invalid)") as f:
        first = f.get(server.url("/feed.xml"))
        second = f.get(server.url("/feed.xml"), etag=first.etag, last_modified="Mon, 23 Nov 2026 09:00:00 GMT")
    assert first.status == 200 and first.etag == '"v1"'
    assert second.not_modified and second.content == b""
    hits = server.hits("/feed.xml")
    assert hits[0]["user-agent"] == "Parallax/9 (+https://example.invalid)"
    assert hits[1]["if-none-match"] == '"v1"' and hits[1]["if-modified-since"].startswith("Mon, 23 Nov")


def test_error_statuses_are_returned_with_retry_after(server):
    server.add("/busy", b"slow down", status=429, content_type="text/plain", headers={"Retry-After": "120"})
    with fetcher() as f:
        response = f.get(server.url("/busy"))
    assert response.status == 429 and response.retry_after == 120.0


def test_retry_after_and_cache_control_parsing():
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert 3590 < parse_retry_after(time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 3600))) <= 3600
    assert parse_retry_after("soon") is None
    assert parse_retry_after(str(10**9)) == 7 * 86_400.0
    assert parse_max_age("public, max-age=600") == 600.0
    assert parse_max_age("no-cache") == 0.0
    assert parse_max_age("public") is None


def test_host_gate_spaces_requests_to_one_host():
    gate = HostGate(delay=0.3, concurrency=1)
    starts = []

    def call():
        gate.acquire("a.example")
        starts.append(time.monotonic())
        gate.release("a.example")

    threads = [threading.Thread(target=call) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    starts.sort()
    assert all(b - a >= 0.28 for a, b in itertools.pairwise(starts))
    other = time.monotonic()
    gate.acquire("b.example")  # another host does not wait
    assert time.monotonic() - other < 0.1


def test_host_gate_limits_concurrency():
    gate = HostGate(delay=0.0, concurrency=2)
    gate.acquire("h")
    gate.acquire("h")
    with pytest.raises(Timeout):
        gate.acquire("h", deadline=time.monotonic() + 0.2)
    gate.release("h")
    gate.acquire("h", deadline=time.monotonic() + 0.2)


# -- robots.txt -------------------------------------------------------------------------------


def robots_fetcher(**overrides) -> Fetcher:
    f = fetcher(**overrides)
    f.robots = RobotsCache(f)
    return f


def test_robots_disallow_is_honoured_and_cached(server):
    server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n\nUser-agent: Parallax\nDisallow: /no-parallax/\n",
               content_type="text/plain")
    server.add("/private/feed.xml", FEED, content_type="application/rss+xml")
    with robots_fetcher() as f:
        with pytest.raises(Disallowed, match="robots.txt"):
            f.get(server.url("/no-parallax/feed.xml"))
        assert f.get(server.url("/private/feed.xml")).status == 200  # the Parallax group overrides *
        assert f.get(server.url("/feed.xml")).status == 200
    assert len(server.hits("/robots.txt")) == 1
    assert server.hits("/no-parallax/feed.xml") == []


def test_missing_robots_allows_and_unreachable_robots_disallows(server):
    with robots_fetcher() as f:
        assert f.get(server.url("/feed.xml")).status == 200  # 404 robots.txt: allowed
    server.add("/robots.txt", "oops", status=503, content_type="text/plain")
    with robots_fetcher() as f, pytest.raises(Disallowed, match="robots.txt answered HTTP 503"):
        f.get(server.url("/feed.xml"))
    assert len(server.hits("/feed.xml")) == 1


def test_robots_network_failure_names_the_cause():
    def nowhere(host, port):
        raise FetchError(f"cannot resolve {host}: Name or service not known")

    f = Fetcher(load({}, host_delay=0.0), resolver=nowhere)
    f.robots = RobotsCache(f)
    with f, pytest.raises(Disallowed, match=r"^cannot resolve news.example: .* \(while reading robots.txt\)$"):
        f.get("https://news.example/feed.xml")


def test_product_token():
    assert product_token("Parallax/0.1 (+https://x)") == "Parallax"


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS mock server with a self-signed certificate for feeds.example (needs openssl)."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=feeds.example", "-addext", "subjectAltName=DNS:feeds.example"],
                   check=True, capture_output=True)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    client_context = ssl.create_default_context(cafile=str(cert))
    with MockServer(tls=server_context) as mock:
        mock.add("/feed.xml", FEED, content_type="application/rss+xml")
        yield mock, client_context


def test_tls_to_the_pinned_address_verifies_the_host_name(tls_server):
    """The connection goes to the checked IP; SNI and certificate checks still use the URL's host."""
    server, context = tls_server
    resolver = lambda host, port: ["127.0.0.1"]
    with guarded(resolver=resolver, allow_networks=["127.0.0.1/32"], ssl_context=context) as f:
        response = f.get(f"https://feeds.example:{server.port}/feed.xml")
        assert response.status == 200 and response.content == FEED
        with pytest.raises(FetchError, match="ConnectError.*(certificate|hostname)"):
            f.get(f"https://other.example:{server.port}/feed.xml")


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "017700000001", "127.1", "0", "[::]", "[0:0:0:0:0:ffff:7f00:1]"])
def test_odd_spellings_of_loopback_are_refused(server, host):
    with guarded() as f, pytest.raises(BlockedAddress):
        f.get(f"http://{host}:{server.port}/feed.xml")
    assert server.hits("/feed.xml") == []


def test_a_slow_name_lookup_counts_against_the_deadline():
    def slow(host, port):
        time.sleep(10)
        return ["93.184.216.34"]

    start = time.monotonic()
    with Fetcher(load({}, host_delay=0.0, fetch_timeout=0.5), resolver=slow) as f, pytest.raises(Timeout, match="resolving"):
        f.get("http://slow-dns.example/feed.xml")
    assert time.monotonic() - start < 8.0


def test_crawl_delay_spaces_requests_without_eating_the_deadline(server):
    """Waiting for a host's turn is politeness, not slowness: the deadline starts after it."""
    server.add("/robots.txt", "User-agent: *\nCrawl-delay: 1.5\n", content_type="text/plain")
    results = []
    with robots_fetcher(fetch_timeout=1.0) as f:
        f.get(server.url("/feed.xml"))  # reads robots.txt and takes the host's first turn
        threads = [threading.Thread(target=lambda: results.append(f.get(server.url("/feed.xml")).status))
                   for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert results == [200, 200]
    # robots.txt, then three feed fetches: the feed fetches start at least 1.5 s apart
    starts = [t for path, t in server.times if path == "/feed.xml"]
    assert len(starts) == 3 and all(b - a >= 1.4 for a, b in itertools.pairwise(starts))


def test_fetchers_share_one_tls_context_built_once(monkeypatch):
    """Loading certifi's CA file costs about 0.1 s of CPU: a Fetcher (one per poll, one per
    `feeds` command) must not build a context of its own, nor let httpx build one it throws away."""
    import ssl

    from parallax.sources import fetch

    built = []
    real = ssl.create_default_context

    def counting(*args, **kwargs):
        built.append(kwargs.get("cafile"))
        return real(*args, **kwargs)

    monkeypatch.setattr(ssl, "create_default_context", counting)
    fetch.default_ssl_context.cache_clear()
    try:
        fetchers = [Fetcher(load(environ={})) for _ in range(3)]
        contexts = {id(f.client._transport._pool._ssl_context) for f in fetchers}
        for f in fetchers:
            f.close()
        assert len(built) == 1, built
        assert contexts == {id(fetch.default_ssl_context())}
    finally:
        fetch.default_ssl_context.cache_clear()
