"""Parallax's exceptions, one small tree.

    ParallaxError
    ├── ConfigError          bad setting or option; fails at start-up
    ├── InputError           an input cannot be read (its reason is recorded as a Rejected)
    ├── StoreError           the database refused an operation
    │   └── NotFound         no such story, article, feed ...
    └── FetchError           a request failed; carries the URL
        ├── BlockedAddress   the address is not allowed (private, loopback, ...)
        ├── TooLarge         the body exceeds the size cap
        ├── Timeout          the total deadline passed
        └── Disallowed       robots.txt disallows the URL
"""

from __future__ import annotations


class ParallaxError(Exception):
    """Base of every Parallax error."""


class ConfigError(ParallaxError):
    """A setting or option is invalid."""


class InputError(ParallaxError):
    """An input document cannot be read; the message is the reason recorded."""


class StoreError(ParallaxError):
    """The store refused an operation."""


class NotFound(StoreError):
    """No such object in the store."""


class FetchError(ParallaxError):
    """An HTTP fetch failed."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class BlockedAddress(FetchError):
    """The URL resolves to an address the fetcher may not connect to."""


class TooLarge(FetchError):
    """The response body is larger than the cap."""


class Timeout(FetchError):
    """The request's total deadline passed."""


class Disallowed(FetchError):
    """robots.txt disallows fetching the URL."""
