"""Store queries for feeds (live sources): mixed into the store classes."""

from __future__ import annotations


class FeedQueries:
    """Feed rows and their polling status; needs ``self.conn`` and ``self.write()``."""
