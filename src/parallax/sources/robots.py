"""robots.txt per origin (RFC 9309 through Protego), fetched once and cached.

>>> from parallax.settings import load
>>> from parallax.sources.fetch import Fetcher
>>> fetcher = Fetcher(load())
>>> fetcher.robots = RobotsCache(fetcher)
>>> fetcher.robots.allowed("https://example.org/news/1")  # doctest: +SKIP
True

RFC 9309 rules for an unreadable file: a 4xx answer ("unavailable") allows everything; a 5xx answer
or a network failure ("unreachable") disallows everything until the next try; up to five redirects
are followed (by the fetcher, each hop address-checked); only the first 500 KiB are parsed.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from protego import Protego

from ..errors import BlockedAddress, FetchError

if TYPE_CHECKING:
    from .fetch import Fetcher

log = logging.getLogger(__name__)

#: How long a robots.txt is kept (RFC 9309 asks for no more than 24 hours), in seconds.
ROBOTS_TTL = 86_400.0
#: How long an unreachable robots.txt blocks its origin before the next try, in seconds.
ROBOTS_RETRY = 600.0
#: How long a network failure reading robots.txt blocks its origin, in seconds.
ROBOTS_NETWORK_RETRY = 60.0
#: Bytes of robots.txt parsed (RFC 9309: at least 500 KiB).
ROBOTS_MAX_BYTES = 512_000


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """One origin's rules: parsed rules, or allow-all / disallow-all with why."""

    parser: Protego | None
    allow_all: bool
    reason: str
    expires: float

    def allowed(self, url: str, agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


def product_token(user_agent: str) -> str:
    """The robots.txt product token of a User-Agent (``Parallax/0.1 (...)`` → ``Parallax``)."""
    return (user_agent.split("/", 1)[0].split() or ["*"])[0]


def parse_robots(text: str, *, ttl: float = ROBOTS_TTL) -> RobotsRules:
    """Rules from robots.txt text."""
    return RobotsRules(Protego.parse(text), True, "parsed", time.monotonic() + ttl)


class RobotsCache:
    """Answers "may this URL be fetched?" for a fetcher, fetching each origin's robots.txt once."""

    def __init__(self, fetcher: Fetcher, *, agent: str | None = None) -> None:
        self.fetcher = fetcher
        self.agent = agent or product_token(fetcher.settings.user_agent)
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def allowed(self, url: str) -> bool:
        """True when robots.txt of the URL's origin lets Parallax fetch it."""
        parts = urlsplit(url)
        if parts.path in ("/robots.txt",):
            return True
        return self.rules(url).allowed(url, self.agent)

    def why(self, url: str) -> str:
        """Why the rules of the URL's origin are what they are (parsed, missing, unreachable)."""
        return self.rules(url).reason

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay of the URL's origin for Parallax, in seconds, or None."""
        return self.rules(url).crawl_delay(self.agent)

    def rules(self, url: str) -> RobotsRules:
        """The cached rules of the URL's origin, fetching robots.txt when missing or expired."""
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._lock:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            cached = self._rules.get(origin)
            if cached is not None and cached.expires > time.monotonic():
                return cached
            rules = self._fetch(origin)
            self._rules[origin] = rules
            return rules

    def _fetch(self, origin: str) -> RobotsRules:
        url = origin + "/robots.txt"
        try:
            response = self.fetcher.get(url, accept=None, check_robots=False, max_bytes=ROBOTS_MAX_BYTES * 4)
        except BlockedAddress:
            raise  # the origin itself may not be reached: say so, not "robots.txt unreachable"
        except FetchError as exc:
            log.info("robots.txt of %s unreachable (%s): disallowing for now", origin, exc)
            return RobotsRules(None, False, f"{exc} (while reading robots.txt)",
                               time.monotonic() + ROBOTS_NETWORK_RETRY)
        if 200 <= response.status < 300:
            text = response.content[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
            return parse_robots(text)
        if 400 <= response.status < 500:
            return RobotsRules(None, True, f"no robots.txt (HTTP {response.status})", time.monotonic() + ROBOTS_TTL)
        log.info("robots.txt of %s answered HTTP %s: disallowing for now", origin, response.status)
        return RobotsRules(None, False, f"robots.txt answered HTTP {response.status}: the site is off limits for now",
                           time.monotonic() + ROBOTS_RETRY)


__all__ = ["RobotsCache", "RobotsRules", "parse_robots", "product_token"]
