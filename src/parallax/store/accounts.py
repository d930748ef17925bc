"""Store queries for readers: accounts, sessions, follows, mutes and picks; mixed into the store."""

from __future__ import annotations


class AccountQueries:
    """Users, follows and picks; needs ``self.conn`` and ``self.write()``."""
