"""Cleaning: raw documents (HTML pages, noisy text dumps) to articles with clean bodies and metadata.

Metadata given on the :class:`~parallax.models.RawDocument` wins over what is extracted; gaps are
filled from the content. A document without enough body text becomes a
:class:`~parallax.models.Rejected` with the reason.

>>> from parallax.models import RawDocument
>>> from parallax.settings import load
>>> body = "The council approved the new budget on Tuesday after a long debate about schools. " * 3
>>> doc = RawDocument(source="a.txt", content="Menu\\nSign in\\n" + body, kind="text", url="https://www.bbc.co.uk/x")
>>> article = clean_document(doc, load(min_words=10))
>>> article.outlet, article.text.startswith("The council")
('BBC', True)
>>> clean_document(RawDocument(source="b.txt", content="", kind="text"), load()).reason
'empty document'
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..models import Article, RawDocument, Rejected
from ..settings import Settings
from .boilerplate import OutletBoilerplate, drop_repeated
from .html import UnparsableHtml, decode_html, extract_html
from .metadata import guess_language, outlet_from_url
from .notices import notice_reason
from .outlets import outlet_label
from .page import Page
from .textdump import clean_text_dump, split_units

__all__ = ["Page", "clean_document", "clean_documents", "clean_text_dump", "extract_html"]

log = logging.getLogger(__name__)

# Documents read before the outlet boilerplate learned so far is applied to them (batch form).
BATCH_WINDOW = 400
# Share of control characters above which a document is binary.
BINARY_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A document decoded and extracted once, before outlet boilerplate is removed."""

    doc: RawDocument
    page: Page | None
    units: tuple[str, ...]
    outlet_key: str | None
    rejected: Rejected | None


def clean_document(doc: RawDocument, settings: Settings) -> Article | Rejected:
    """One document to an :class:`Article`, or a :class:`Rejected` (stage "clean") with the reason."""
    prepared = _prepare(doc)
    return _finish(prepared, frozenset(), settings)


def clean_documents(docs: Iterable[RawDocument], settings: Settings) -> Iterator[Article | Rejected]:
    """Clean a batch, one result per input in order, removing lines an outlet repeats across documents.

    Documents are handled in windows of BATCH_WINDOW: the lines of every document in a window are
    counted per outlet first, so boilerplate repeated across the window is removed from all of them.
    """
    learner = OutletBoilerplate()
    window: list[_Prepared] = []
    for doc in docs:
        prepared = _prepare(doc)
        if prepared.outlet_key and prepared.rejected is None:
            learner.add(prepared.outlet_key, prepared.units)
        window.append(prepared)
        if len(window) >= BATCH_WINDOW:
            yield from (_finish(p, learner.repeated(p.outlet_key or ""), settings) for p in window)
            window = []
    yield from (_finish(p, learner.repeated(p.outlet_key or ""), settings) for p in window)


def _reject(doc: RawDocument, reason: str) -> Rejected:
    """A clean-stage rejection."""
    return Rejected(source=doc.source, reason=reason, stage="clean")


def _is_binary(content: str | bytes) -> bool:
    """True when the content looks like a binary file rather than text or HTML."""
    sample = content[:8192]
    if isinstance(sample, bytes):
        if b"\x00" in sample:
            return True
        control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    else:
        if "\x00" in sample:
            return True
        control = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\f\r")
    return control > BINARY_SHARE * max(len(sample), 1)


def _prepare(doc: RawDocument) -> _Prepared:
    """Decode and extract a document; its units are what the outlet learner counts."""
    outlet_key = doc.outlet or outlet_from_url(doc.url)
    content = doc.content
    if not content or (isinstance(content, str) and not content.strip()):
        return _Prepared(doc, None, (), outlet_key, _reject(doc, "empty document"))
    if _is_binary(content):
        return _Prepared(doc, None, (), outlet_key, _reject(doc, "binary content, not text or HTML"))
    try:
        if doc.kind == "html":
            page = extract_html(content, url=doc.url)
            units = tuple(page.paragraphs())
        else:
            text = decode_html(content) if isinstance(content, bytes) else content
            page = None
            units = tuple(u.text for u in split_units(text))
    except UnparsableHtml as error:
        return _Prepared(doc, None, (), outlet_key, _reject(doc, f"unparsable HTML: {error}"))
    except (ValueError, UnicodeError) as error:
        log.debug("could not clean %s: %s", doc.source, error)
        return _Prepared(doc, None, (), outlet_key, _reject(doc, f"could not be cleaned: {error}"))
    return _Prepared(doc, page, units, outlet_key, None)


def _too_deep(doc: RawDocument) -> str:
    """A hint for a page with too little text whose elements nest past the HTML parser's depth limit
    (libxml2 stops at 256 levels, so the text below is never read); "" otherwise."""
    from lxml import etree

    parser = etree.HTMLParser(recover=True)
    try:
        etree.fromstring(doc.content, parser)
    except (etree.LxmlError, ValueError):
        return ""
    if any("Excessive depth" in error.message for error in parser.error_log):
        return " (the page nests its elements more than 255 deep, past the HTML parser's limit: its text is not read)"
    return ""


def _finish(prepared: _Prepared, repeated: frozenset[str], settings: Settings) -> Article | Rejected:
    """Apply the outlet's boilerplate, merge metadata and check the length."""
    doc = prepared.doc
    if prepared.rejected is not None:
        return prepared.rejected
    if prepared.page is not None:
        page = prepared.page
        text = "\n\n".join(drop_repeated(page.paragraphs(), repeated))
    else:
        content = decode_html(doc.content) if isinstance(doc.content, bytes) else doc.content
        page = clean_text_dump(content, url=doc.url, title=doc.title, repeated=repeated)
        text = page.text
    words = len(text.split())
    if words < settings.min_words:
        found = f"{words} word" + ("" if words == 1 else "s")
        why = _too_deep(doc) if prepared.page is not None else ""
        return _reject(doc, f"too little body text: {found}, fewer than min_words={settings.min_words}{why}")
    notice = notice_reason(text)
    if notice is not None:
        return _reject(doc, notice)
    return Article.create(
        source=doc.source,
        text=text,
        url=doc.url,
        outlet=outlet_label(doc.outlet or page.outlet, doc.url, doc.source),
        title=field_of(doc, page, "title"),
        byline=field_of(doc, page, "byline"),
        published=(published := field_of(doc, page, "published")),
        language=page.language or guess_language(text),
        placed=None if published else doc.placed,  # an undated article is placed by its feed or file time
    )


def field_of(doc: RawDocument, page: Page, name: str) -> object:
    """One metadata field in the documented precedence (docs/metadata.md): the record's own field,
    then the page's structured data and meta tags, then a feed entry's field, then the page itself
    (h1, <title>, a dump's head lines).

    >>> page = Page(text="x", title="Meta title", marked=frozenset({"title"}))
    >>> field_of(RawDocument("a", "x", "html", title="Record title"), page, "title")
    'Record title'
    >>> field_of(RawDocument("a", "x", "html", title="Feed title", from_feed=True), page, "title")
    'Meta title'
    >>> field_of(RawDocument("a", "x", "html", title="Feed title", from_feed=True), Page(text="x", title="H1"), "title")
    'Feed title'
    """
    given, found = getattr(doc, name), getattr(page, name)
    if given and not doc.from_feed:
        return given
    if found and name in page.marked:
        return found
    return given or found
