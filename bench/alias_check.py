"""A small alias table for ``measure_entities.py``'s duplicate check, written apart from the code's own
tables so that the check does not only count what the code already merges."""

from __future__ import annotations

_ROWS = [
    "uk | u.k. | britain | great britain | united kingdom",
    "us | u.s. | usa | u.s.a. | united states | united states of america | america",
    "afp | agence france-presse | agence france presse",
    "ap | associated press | the associated press",
    "un | u.n. | united nations",
    "eu | e.u. | european union",
    "nyt | new york times | the new york times",
    "wapo | washington post | the washington post",
    "wsj | wall street journal | the wall street journal",
    "bbc | bbc news",
    "cnn | cnn.com",
    "fbi | federal bureau of investigation",
    "cia | central intelligence agency",
    "gop | republican party | republicans",
    "democratic party | democrats",
    "nato | north atlantic treaty organization",
    "uae | united arab emirates",
    "russia | russian federation",
    "south korea | republic of korea",
    "north korea | dprk",
]
_INDEX = {name.strip(): k for k, row in enumerate(_ROWS) for name in row.split("|")}


def alias_row(name: str) -> int | None:
    """The row of the table that holds ``name`` (case and spacing folded), or None."""
    return _INDEX.get(" ".join(name.lower().split()))
