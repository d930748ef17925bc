"""The shipped table of known outlets (``data/outlets.tsv``: domain, name) and name matching.

The table holds the default OPML's feeds (names and domains), ``metadata.KNOWN_OUTLETS`` and a hand
list of major news outlets. Text-dump readers check a candidate publication name against it.

>>> canonical("the guardian")
'The Guardian'
>>> canonical("theguardian.com")
'The Guardian'
>>> canonical("Weekly Parish Notes") is None
True
>>> outlet_key("The Guardian") == outlet_key("Guardian")
True
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from .datafile import entry_lines

TABLE_PATH = Path(__file__).with_name("data") / "outlets.tsv"
_TOKEN = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1 << 16)
def outlet_key(name: str | None) -> str:
    """A name's comparison key: case-folded word characters, no leading "the", no top-level domain.

    >>> outlet_key("The New York Times"), outlet_key("nytimes.com")
    ('newyorktimes', 'nytimes')
    """
    tokens = [t.casefold() for t in _TOKEN.findall(name or "")]
    if tokens[:1] == ["the"] and len(tokens) > 1:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in {"com", "org", "net", "co", "uk", "de", "fr", "au", "ca", "in"}:
        tokens = tokens[:-1]
    if len(tokens) > 1 and tokens[0] == "www":
        tokens = tokens[1:]
    return "".join(tokens)


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """Comparison key -> canonical name, for every name and domain of the table."""
    out: dict[str, str] = {}
    for line in entry_lines(TABLE_PATH):
        if "\t" not in line:
            continue
        domain, name = (part.strip() for part in line.split("\t", 1))
        for key in (outlet_key(name), outlet_key(domain), outlet_key(domain.split(".")[0])):
            if key and len(key) >= 2:
                out.setdefault(key, name)
    return out


def canonical(name: str | None) -> str | None:
    """The table's name of the outlet ``name`` denotes (by name or domain), or None when unknown."""
    key = outlet_key(name)
    return table().get(key) if key else None


@lru_cache(maxsize=1)
def _domains() -> dict[str, str]:
    """Domain -> name, as the table lists them."""
    out: dict[str, str] = {}
    for line in entry_lines(TABLE_PATH):
        if "\t" in line:
            domain, name = (part.strip() for part in line.split("\t", 1))
            out[domain.lower()] = name
    return out


def domain_name(url: str | None) -> str | None:
    """The table's name for a URL's host or a parent domain of it (None when not in the table).

    >>> domain_name("https://www.theguardian.com/world/x"), domain_name("https://example.org/")
    ('The Guardian', None)
    """
    if not url:
        return None
    try:
        host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    except ValueError:
        return None
    parts = host.split(".")
    domains = _domains()
    for size in range(len(parts), 1, -1):
        name = domains.get(".".join(parts[-size:]))
        if name:
            return name
    return None


def source_label(source: str | None) -> str | None:
    """The stable label of an article from a file: its folder's name, else the file's name.

    >>> source_label("/data/dumps/guardian/a.txt"), source_label("story.txt"), source_label("batch.jsonl#3")
    ('guardian', 'story.txt', 'batch.jsonl')
    >>> source_label("https://example.org/feed.xml#x1"), source_label("")
    (None, None)
    """
    if not source or "://" in source:
        return None
    path = PurePath(source.split("#", 1)[0])
    folder = path.parent.name
    if folder and folder not in {".", ".."}:
        return folder
    return path.name or None


def outlet_label(outlet: str | None, url: str | None, source: str | None) -> str | None:
    """The one label an article's outlet is shown by: its outlet, else its URL's domain (the table's
    name when known), else its source file's folder or name (None only when nothing names it).

    >>> outlet_label(None, "https://www.example.org/a", "x.txt"), outlet_label(None, None, "dumps/bugle/a.txt")
    ('example.org', 'bugle')
    """
    if outlet and outlet.strip():
        return " ".join(outlet.split())
    from .metadata import outlet_from_url

    return domain_name(url) or outlet_from_url(url) or source_label(source)


def article_outlet(article: object) -> str:
    """The label an article's outlet is shown by everywhere (CLI, web pages, JSON, Atom): see
    outlet_label; "unknown" only when neither outlet, URL nor source names anything."""
    def field(name: str) -> object:
        return article.get(name) if isinstance(article, dict) else getattr(article, name, None)

    return outlet_label(field("outlet"), field("url"), field("source")) or "unknown"  # type: ignore[arg-type]
