"""Counted nouns for people: "1 article", "2 articles", "1 story", "3 copies", "1 article matches".

>>> plural(1, "article"), plural(2, "story"), plural(0, "copy"), plural(3, "match"), plural(1_200, "failure")
('1 article', '2 stories', '0 copies', '3 matches', '1,200 failures')
>>> plural(2, "person", "people")
'2 people'
"""

from __future__ import annotations


def plural_form(singular: str) -> str:
    """The regular English plural of a noun."""
    if singular.endswith("y") and singular[-2:-1] not in ("a", "e", "i", "o", "u"):
        return singular[:-1] + "ies"
    if singular.endswith(("s", "x", "z", "ch", "sh")):
        return singular + "es"
    return singular + "s"


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun alone, agreeing with ``n``."""
    return singular if n == 1 else (plural or plural_form(singular))


def plural(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` (with thousands separators) and the noun agreeing with it."""
    return f"{n:,} {noun(n, singular, plural)}"
