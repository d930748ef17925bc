"""Atom feeds (RFC 4287) of top stories, of one entity's stories and of one story's updates.

>>> xml = atom_feed(title="Top", feed_id="urn:x", self_url="http://h/feed.atom", alt_url="http://h/",
...                 updated=None, entries=[])
>>> xml.startswith(b"<?xml")
True

Built with ElementTree, so every title and summary is XML-escaped text (``type="text"``): no
article markup ever reaches a feed reader as markup.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
_EPOCH = "1970-01-01T00:00:00Z"
# XML 1.0 forbids most control characters; feeds drop them rather than fail to parse.
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(slots=True)
class Entry:
    """One Atom entry."""

    id: str
    title: str
    link: str
    updated: str | None
    summary: str = ""
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


def _text(value: str | None) -> str:
    return _BAD_XML.sub("", value or "")


def atom_child(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element in the Atom namespace, its text and attributes stripped of XML-illegal characters."""
    node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        node.text = _text(text)
    return node


def rfc3339(value: str | None) -> str:
    """An ISO timestamp as RFC 3339 (UTC when it has no zone); the epoch when missing or bad."""
    if not value:
        return _EPOCH
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return _EPOCH
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(*, title: str, feed_id: str, self_url: str, alt_url: str, updated: str | None,
              entries: Iterable[Entry], subtitle: str | None = None) -> bytes:
    """The feed document as UTF-8 bytes."""
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed")

    entries = list(entries)
    newest = max((rfc3339(e.updated) for e in entries), default=rfc3339(updated))
    atom_child(root, "title", title, type="text")
    if subtitle:
        atom_child(root, "subtitle", subtitle, type="text")
    atom_child(root, "id", feed_id)
    atom_child(root, "updated", max(newest, rfc3339(updated)))
    atom_child(root, "link", rel="self", type="application/atom+xml", href=self_url)
    atom_child(root, "link", rel="alternate", type="text/html", href=alt_url)
    atom_child(root, "generator", "Parallax")
    author = atom_child(root, "author")
    atom_child(author, "name", "Parallax")
    for e in entries:
        node = atom_child(root, "entry")
        atom_child(node, "id", e.id)
        atom_child(node, "title", e.title or "(untitled)", type="text")
        atom_child(node, "link", rel="alternate", type="text/html", href=e.link)
        atom_child(node, "updated", rfc3339(e.updated))
        if e.published:
            atom_child(node, "published", rfc3339(e.published))
        for name in e.authors:
            atom_child(atom_child(node, "author"), "name", name)
        for term in e.categories:
            atom_child(node, "category", term=term)
        if e.summary:
            atom_child(node, "summary", e.summary, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
