"""The word lists of quotes and claims, kept as data files in ``data/`` (one entry a line, ``#``
comments): verbs of saying, their participles, document nouns, kin words, other relations, issuers
of statements, title words and role nouns. ``synthesis/claims.py`` reads the same lists."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def words(name: str) -> tuple[str, ...]:
    """The entries of ``data/NAME.txt`` in file order (first column of a ``.tsv``)."""
    return tuple(row[0] for row in rows(name))


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The tab-separated rows of ``data/NAME.txt`` or ``data/NAME.tsv``, comments and blanks left out."""
    folder = files(__package__).joinpath("data")
    path = folder.joinpath(f"{name}.txt")
    if not path.is_file():
        path = folder.joinpath(f"{name}.tsv")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(tuple(part.strip() for part in line.split("\t")))
    return tuple(out)


def alternation(name: str) -> str:
    """The entries of a list as a regular-expression alternation, in file order."""
    return "|".join(words(name))


VERBS_OF_SAYING = words("verbs_of_saying")
SAYING_PARTICIPLES = words("saying_participles")
DOCUMENT_NOUNS = words("document_nouns")
KIN_GENDER = {row[0]: row[1] for row in rows("kin")}
KIN_RELATIONS = {row[0]: row[1] for row in rows("kin") if "relation" in row[2].split(",")}
BARE_KIN = frozenset(row[0] for row in rows("kin") if "bare" in row[2].split(","))
RELATIONS = frozenset(words("relations"))
ISSUERS = frozenset(words("issuers"))
TITLE_WORDS = frozenset(words("title_words"))
ROLES = words("roles")
ORGANISATION_HEADS = frozenset(words("organisation_heads"))
