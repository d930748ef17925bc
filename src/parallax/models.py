"""Frozen data objects that flow between Parallax's stages.

The flow is ``RawDocument -> Article -> Story -> Synthesis``; a document that cannot go on
becomes a :class:`Rejected` with the stage and the reason, never a silent ``None``.

Every object is plain, picklable and immutable, so the same stage code runs in-process or on a
worker pool. ``to_dict`` gives the JSON shape documented in ``docs/json.md``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

DocumentKind = Literal["html", "text"]
EntityKind = Literal["person", "organization", "place", "other"]
ClaimStatus = Literal["agreed", "contested", "single-source"]
Stance = Literal["asserts", "disputes"]


def content_id(*parts: str | None, length: int = 16) -> str:
    """A stable hex id from the given parts (content hash), e.g. ``content_id(url, text)``."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update((part or "").encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:length]


def epoch_days(value: datetime | None) -> float | None:
    """Days since 1970-01-01 UTC (naive datetimes are taken as UTC), or None.

    >>> epoch_days(datetime(1970, 1, 2, 12))
    1.5
    """
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp() / 86400.0


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document before cleaning, as a source read it.

    ``source`` names where it came from: a path, ``path#N`` for the N-th record of a JSONL or
    WARC file, or a URL. Metadata fields are hints from the source (a JSONL record, a sidecar
    ``.meta.json``, a feed entry); cleaning fills the gaps from the content.
    """

    source: str
    content: str | bytes
    kind: DocumentKind
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    published: datetime | None = None
    #: True when title, byline and published come from a feed entry: then a page's structured data
    #: and meta tags win over them (docs/metadata.md); False for a record's own fields, which win.
    from_feed: bool = False
    #: When the source saw the document (a feed's fetch time, a file's modification time): where an
    #: article that gives no date of its own is placed (``Article.placed``), never its date.
    placed: datetime | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not go on, with the stage that refused it and why."""

    source: str
    reason: str
    stage: str = "read"

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article's cleaned text: ``text == article.text[start:end]``."""

    text: str
    start: int
    end: int


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    r"""``text`` without C0 control characters and DEL (tab, newline and carriage return stay).

    >>> strip_controls("a\x02war\x03 b\tc\n")
    'awar b\tc\n'
    """
    return _CONTROLS.sub("", text)


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article. ``id`` is a content hash of its origin and text (idempotent upserts)."""

    id: str
    source: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    published: datetime | None = None
    language: str | None = None
    duplicate_of: str | None = None
    #: For an undated article (``published`` None): its feed's or file's time, which orders and places
    #: it in lists, charts and timelines; it is shown as "undated", never as a date. None when dated.
    placed: datetime | None = None

    @property
    def when(self) -> datetime | None:
        """Where the article stands in time: its date, else its placement time (None when neither)."""
        return self.published or self.placed

    @classmethod
    def create(cls, *, source: str, text: str, url: str | None = None, **meta: Any) -> Article:
        r"""Build an article whose id hashes its origin (URL, else source) and its text.

        Control characters are stripped from the text and the metadata: they carry nothing a reader
        sees, and ``\x02``/``\x03`` mark search matches, so stored ones would forge highlights.
        """
        text = strip_controls(text)
        meta = {k: strip_controls(v) if isinstance(v, str) else v for k, v in meta.items()}
        return cls(id=content_id(url or source, text), source=source, text=text, url=url, **meta)

    def with_duplicate_of(self, canonical_id: str | None) -> Article:
        return replace(self, duplicate_of=canonical_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "byline": self.byline,
            "published": _iso(self.published),
            "text": self.text,
            "duplicate_of": self.duplicate_of,
            "placed": _iso(self.placed),
        }


@dataclass(frozen=True, slots=True)
class Story:
    """A group of articles about one event. ``article_ids`` excludes syndicated copies."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    merged_into: str | None = None


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    speaker: str | None
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    value: float | None
    unit: str | None
    text: str
    attributed_to: str | None
    article_ids: tuple[str, ...]
    group: str | None = None  # what the figure counts, shared by figures of the same thing
    disagrees: bool = False  # another source gives a different value for the same thing
    qualifier: str | None = None  # how the text bounds the value: "about", "well over", "up to", "between"
    givers: tuple[str, ...] = ()  # who gives it: ``attributed_to``, else the outlets that state it themselves


@dataclass(frozen=True, slots=True)
class Position:
    actor: str | None
    stance: Stance
    text: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Claim:
    statement: str
    status: ClaimStatus
    positions: tuple[Position, ...]


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: str  # ISO date (YYYY-MM-DD)
    text: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    kind: EntityKind
    mentions: int
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OutletCoverage:
    outlet: str
    article_ids: tuple[str, ...]
    first_seen: str | None
    exclusive: tuple[str, ...] = ()  # sentences only this outlet reports


@dataclass(frozen=True, slots=True)
class Synthesis:
    """The attributed view of one story (the ``stories[]`` object of ``docs/json.md``)."""

    story_id: str
    title: str
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    summary: tuple[SummarySentence, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    claims: tuple[Claim, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    entities: tuple[Entity, ...] = ()
    coverage: tuple[OutletCoverage, ...] = ()
    keywords: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        def lists(value: Any) -> Any:
            if isinstance(value, tuple):
                return [lists(v) for v in value]
            if isinstance(value, dict):
                return {k: lists(v) for k, v in value.items()}
            return value

        body = lists(asdict(self))
        body["id"] = body.pop("story_id")
        return {
            "id": body["id"],
            "title": body["title"],
            "article_ids": body["article_ids"],
            "outlets": body["outlets"],
            "summary": body["summary"],
            "quotes": body["quotes"],
            "figures": body["figures"],
            "claims": body["claims"],
            "timeline": body["timeline"],
            "entities": body["entities"],
            "coverage": body["coverage"],
            "keywords": body["keywords"],
        }
