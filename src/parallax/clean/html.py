"""HTML pages to clean body text: trafilatura, then Parallax's post-cleaning and fallbacks.

>>> page = extract_html("<html><head><title>Rain - Daily Bugle</title></head><body><article>"
...     "<p>Heavy rain fell on the city on Monday, flooding several streets near the river.</p>"
...     "<p>The council said the clean-up would take a week, and schools stayed closed.</p>"
...     "<p>Sign up to our newsletter</p></article></body></html>")
>>> page.text.splitlines()[0]
'Heavy rain fell on the city on Monday, flooding several streets near the river.'
>>> "newsletter" in page.text
False
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from copy import copy
from functools import lru_cache

import lxml.html
import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import Extractor

from .appeals import appeal_blocks
from .boilerplate import noise_reason
from .candidates import add_candidates, page_text, visible_lines_of
from .metadata import guess_language, html_metadata, outlet_from_url
from .page import Page

log = logging.getLogger(__name__)

# trafilatura runs in fast mode (no readability/justext fallback) favouring precision; when that
# keeps less than RECALL_TRY_SHARE of the page's visible words, a second run favouring recall is
# tried and wins when it finds RECALL_RATIO times more words (both tuned on AEB and
# trafilatura-eval, see bench/eval_extraction.py). Most pages need one fast run only.
PRECISION_OPTIONS: dict[str, object] = {
    "include_comments": False,
    "include_tables": True,
    "fast": True,
    "favor_precision": True,
}
RECALL_OPTIONS: dict[str, object] = {
    "include_comments": False,
    "include_tables": True,
    "fast": True,
    "favor_recall": True,
}
RECALL_RATIO = 1.6
RECALL_TRY_SHARE = 0.3
# An article body split over sibling containers of one class (ads between them): a container of
# the same tag and class near the one holding most of the extracted text, with at least this many
# new words in CONTINUATION_MIN_PARAGRAPHS paragraphs, is part of the body too.
CONTINUATION_MIN_WORDS = 80
CONTINUATION_MIN_PARAGRAPHS = 2
CONTINUATION_LEVELS = 3
# A paragraph "Read more: <headline>" (a link to another story) of at most this many words is left out
# (the rule was written after reading AEB errors; 20 not tuned; CV by page over fold seeds 7-10: AEB
# F1 mean 0.9759 -> 0.9765, trafilatura-eval 0.9357 -> 0.9356).
TEASER_MAX_WORDS = 20
_TEASER = re.compile(
    r"^(?:read\s+(?:more|also|next)|also\s+read|related(?:\s+(?:stories|articles?|links?|content))?|see\s+also"
    r"|more\s+(?:on|about)\s+this(?:\s+story)?|recommended|listen|download)\s*:\s*\S",
    re.IGNORECASE,
)
# Below this many words, the trafilatura result is replaced by the visible-text fallback when longer.
FALLBACK_MIN_WORDS = 30

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_BLOCK_TAGS = {"p", "head", "quote", "code", "item", "row", "td", "cell", "list", "table", "div", "lb"}
_SKIP_TAGS = {"graphic", "ref", "fw", "note", "del"}


class UnparsableHtml(ValueError):
    """The content is not HTML that can be parsed."""


def decode_html(content: str | bytes) -> str:
    """Text of an HTML document: BOM, declared charset, UTF-8, then charset detection."""
    if isinstance(content, str):
        return content
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            return content.decode(encoding, errors="replace")
    declared = _META_CHARSET.search(content[:4096])
    if declared:
        name = declared.group(1).decode("ascii", errors="ignore").lower()
        try:
            codecs.lookup(name)
            if name.replace("-", "") in {"utf8"}:
                return content.decode("utf-8", errors="replace")
            try:
                return content.decode("utf-8")
            except UnicodeDecodeError:
                return content.decode(
                    "cp1252" if name in {"iso-8859-1", "latin-1", "ascii"} else name, errors="replace"
                )
        except LookupError:
            pass
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(content[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    return content.decode(encoding, errors="replace")


def parse_html(html: str | bytes) -> HtmlElement:
    """An lxml tree of the page (raises UnparsableHtml when nothing can be parsed)."""
    text = decode_html(html)
    tree = trafilatura.load_html(text) if len(text) > 200 else None
    if tree is None:
        try:
            tree = lxml.html.document_fromstring(text)
        except (etree.ParserError, ValueError) as error:
            raise UnparsableHtml(f"the content is not parsable HTML ({error})") from None
    return tree


def extract_html(html: str | bytes, url: str | None = None) -> Page:
    """Body text and metadata of an HTML page (``Page.text`` is empty when no body was found)."""
    tree = parse_html(html)
    meta = html_metadata(tree)
    title = meta.get("title")
    visible, blocks = page_text(tree)  # one walk gives both
    appeals: set[str] = set()
    paragraphs = extracted_paragraphs(tree, url, title, visible_words=len(visible.split()), appeals=appeals)
    paragraphs = without_appeals(add_candidates(blocks, paragraphs), appeals)
    if _words(paragraphs) < FALLBACK_MIN_WORDS:  # only the fallback reads the visible lines
        paragraphs = with_fallback(paragraphs, visible_lines_of(visible), title)
    text = "\n\n".join(paragraphs)
    return Page(
        text=text,
        title=title,
        byline=meta.get("byline"),
        published=meta.get("published"),
        outlet=meta.get("outlet") or outlet_from_url(url),
        language=meta.get("language") or guess_language(text),
        marked=meta.get("marked", frozenset()),
    )


def extracted_paragraphs(
    tree: HtmlElement,
    url: str | None,
    title: str | None,
    visible: list[str] | None = None,
    *,
    visible_words: int | None = None,
    appeals: set[str] | None = None,
) -> list[str]:
    """trafilatura's body paragraphs, post-cleaned and continued (``visible``: the visible lines, or
    ``visible_words``: their words, counted). ``appeals``, when given, gains the keys of the appeal
    blocks among trafilatura's paragraphs (see without_appeals)."""
    raw = _trafilatura_paragraphs(tree, url, PRECISION_OPTIONS)
    paragraphs = post_clean(raw, title=title)
    if visible_words is None:
        visible_words = _words(visible_lines(tree) if visible is None else visible)
    if _words(paragraphs) < RECALL_TRY_SHARE * visible_words:
        raw_recall = _trafilatura_paragraphs(tree, url, RECALL_OPTIONS)
        recall = post_clean(raw_recall, title=title)
        if _words(recall) > RECALL_RATIO * max(_words(paragraphs), 1):
            paragraphs, raw = recall, raw_recall
    if appeals is not None:
        appeals.update(_key(raw[i]) for i in appeal_blocks(raw))
    return continued_body(tree, paragraphs)


def with_fallback(paragraphs: list[str], visible: list[str], title: str | None) -> list[str]:
    """The paragraphs, or the visible-text fallback when they have fewer than FALLBACK_MIN_WORDS."""
    words = _words(paragraphs)
    if words < FALLBACK_MIN_WORDS:
        fallback = _visible_text_fallback(visible, title)
        if _words(fallback) > words:
            return fallback
    return paragraphs


def _words(paragraphs: list[str]) -> int:
    """Words in a list of paragraphs."""
    return sum(len(p.split()) for p in paragraphs)


def _trafilatura_paragraphs(tree: HtmlElement, url: str | None, options: dict[str, object]) -> list[str]:
    """Paragraphs of trafilatura's main-content tree (empty when it finds nothing)."""
    try:
        document = trafilatura.bare_extraction(tree, options=_extractor(options, url))
    except (ValueError, TypeError, etree.LxmlError) as error:  # trafilatura raises on odd trees
        log.debug("trafilatura failed on %s: %s", url, error)
        return []
    if document is None or getattr(document, "body", None) is None:
        return []
    return list(_blocks(document.body))


def _extractor(options: dict[str, object], url: str | None) -> Extractor:
    """trafilatura's settings for ``bare_extraction(tree, url=url, **options)``, from a template
    built once per option set (building one reads the config file's values and the clock).

    The output format is "txt": it leaves the extracted body tree as it is and skips the text
    rendering of the default "python" format, which Parallax does not use (_blocks reads the tree).
    """
    settings = copy(_extractor_template(tuple(sorted(options.items()))))
    settings.url = url
    settings.source = url and url.encode("utf-8", "replace").decode("utf-8")  # as Extractor sets it
    return settings


@lru_cache(maxsize=8)
def _extractor_template(options: tuple[tuple[str, object], ...]) -> Extractor:
    """An Extractor for bare_extraction's keyword options (``include_comments``, ``include_tables``,
    ``fast``, ``favor_precision``, ``favor_recall``), without a URL."""
    names = {
        "include_comments": "comments",
        "include_tables": "tables",
        "fast": "fast",
        "favor_precision": "precision",
        "favor_recall": "recall",
    }
    return Extractor(output_format="txt", **{names[key]: value for key, value in options})  # type: ignore[arg-type]


def _blocks(body: etree._Element) -> Iterator[str]:
    """One whitespace-normalised paragraph per block element of trafilatura's output tree."""
    for child in body:
        yield from _element_blocks(child)


def _element_blocks(element: etree._Element) -> Iterator[str]:
    """Paragraphs of one output element: lists and tables give one paragraph per item or row."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIP_TAGS:
        return
    if tag in {"list", "table", "div"} or (tag == "quote" and any(c.tag in {"p", "list"} for c in element)):
        lead = " ".join((element.text or "").split())
        if lead:
            yield lead
        for child in element:
            if child.tag == "row":
                cells = [" ".join(" ".join(c.itertext()).split()) for c in child]
                line = " ".join(c for c in cells if c)
                if line:
                    yield line
            else:
                yield from _element_blocks(child)
            tail = " ".join((child.tail or "").split())
            if tail:
                yield tail
        return
    text = " ".join(" ".join(_texts(element)).split())
    if text:
        yield text


def _texts(element: etree._Element) -> Iterator[str]:
    """Text of an element without skipped children, keeping their tails."""
    if element.text:
        yield element.text
    for child in element:
        if child.tag not in _SKIP_TAGS:
            yield from _texts(child)
        if child.tail:
            yield child.tail


def post_clean(paragraphs: list[str], *, title: str | None = None) -> list[str]:
    """Paragraphs without noise lines (CTA, credits, copyright), the repeated title, or a paragraph
    repeating the one just before it.

    A repeat further away stays: menus, recipes and deal lists repeat their short headings
    ("Meal 1", "Get it on Amazon") in each section. Dropping every repeat under 200 characters, as
    before, lost them (CV by page, fold seeds 7/8: AEB F1 0.9727/0.9740 -> 0.9752/0.9755,
    trafilatura-eval 0.9359/0.9367 -> 0.9369/0.9367; see bench/train_html_add.py).
    """
    kept: list[str] = []
    previous = None
    title_key = _key(title) if title else None
    for index, paragraph in enumerate(paragraphs):
        key = _key(paragraph)
        if not key:
            continue
        if index < 3 and title_key and (key == title_key or (len(key) > 20 and key in title_key)):
            continue
        if noise_reason(paragraph) is not None or is_teaser(paragraph):
            continue
        if key == previous:
            continue
        previous = key
        kept.append(paragraph)
    return kept


def without_appeals(paragraphs: list[str], appeals: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The final body paragraphs without appeals: those of the appeal blocks trafilatura's paragraphs
    held (``appeals``, their keys, gathered by extracted_paragraphs) and any appeal block of the final
    list (clean.appeals.appeal_blocks: two or more donation, membership or newsletter lines in a row,
    with the amounts and buttons between them).

    They go at the end, after the candidate model has added and dropped lines, so that the model's
    inputs (the post-cleaned paragraphs it was trained on) stay as they were: removing them inside
    post_clean changed those inputs, and the candidate model trained on them scored AEB F1 0.9769
    instead of 0.9774 (5-fold CV by page, bench/eval_extraction.py --only aeb), although the only
    AEB lines it removed are not body text.

    >>> without_appeals(["The vote was close.", "Become a member today", "Choose an amount", "Turnout was high."])
    ['The vote was close.', 'Turnout was high.']
    """
    gone = set(appeal_blocks(paragraphs))
    if not gone and not appeals:
        return paragraphs
    return [p for i, p in enumerate(paragraphs) if i not in gone and _key(p) not in appeals]


def is_teaser(paragraph: str) -> bool:
    """A labelled link to another story or a feed: "Read more: <headline>", "Related: <headline>",
    "Listen: <address>" (at most TEASER_MAX_WORDS words; a longer paragraph may be body text).

    >>> is_teaser("Read more: Rain floods the valley again"), is_teaser("Related: see the river in 1990")
    (True, True)
    >>> is_teaser("Read more about the flood in the council's report, published on Monday.")
    False
    """
    return len(paragraph.split()) <= TEASER_MAX_WORDS and _TEASER.match(paragraph) is not None


def continued_body(tree: HtmlElement, paragraphs: list[str]) -> list[str]:
    """The paragraphs plus those of containers shaped like the body's own (a body split by ads).

    The container holding most of the extracted words is found in the page; containers with the
    same tag and class within CONTINUATION_LEVELS ancestors that hold enough new prose are added
    before or after the body, in page order. Paragraphs that repeat extracted text are skipped.
    """
    if not paragraphs:
        return paragraphs
    extracted = {_key(p): len(p.split()) for p in paragraphs}
    holders: dict[HtmlElement, int] = {}
    for element in tree.iter("p"):
        words = extracted.get(_key(_element_text(element)))
        parent = element.getparent()
        if words and parent is not None:
            holders[parent] = holders.get(parent, 0) + words
    if not holders:
        return paragraphs
    main = max(holders, key=holders.__getitem__)
    kind = main.get("class")
    if not kind or holders[main] < 0.5 * sum(extracted.values()):
        return paragraphs
    scope = main
    for _ in range(CONTINUATION_LEVELS):
        parent = scope.getparent()
        if parent is None:
            break
        scope = parent
    body = " ".join(extracted)  # its shingles are made when first needed (often never)
    shingles: set[tuple[str, ...]] | None = None
    before: list[str] = []
    after: list[str] = []
    seen_main = False
    for container in scope.iter(main.tag):
        if container is main:
            seen_main = True
            continue
        if container.get("class") != kind or any(a is main for a in container.iterancestors()):
            continue
        new = []
        for element in container.iter("p", "h2", "h3", "h4", "li", "blockquote"):
            text = _element_text(element)
            key = _key(text)
            if not key or key in extracted or noise_reason(text) is not None:
                continue
            grams = _shingles(key)
            if grams:
                if shingles is None:
                    shingles = _shingles(body)
                if len(grams & shingles) >= 0.5 * len(grams):
                    continue
            new.append(text)
            extracted[key] = len(text.split())
        if len(new) >= CONTINUATION_MIN_PARAGRAPHS and _words(new) >= CONTINUATION_MIN_WORDS:
            (after if seen_main else before).extend(new)
    if not before and not after:
        return paragraphs
    return before + paragraphs + after


def _element_text(element: HtmlElement) -> str:
    """Whitespace-normalised text of an element."""
    return " ".join(" ".join(element.itertext()).split())


def _shingles(key: str) -> set[tuple[str, ...]]:
    """4-word shingles of a comparison key."""
    words = key.split()
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def _key(text: str | None) -> str:
    """Comparison key: lower-case words only."""
    return " ".join(_WORD.findall((text or "").casefold()))


def visible_lines(tree: HtmlElement) -> list[str]:
    """The page's visible text, one block element per line (scripts, styles and forms dropped)."""
    from .textdump import html_visible_lines

    return html_visible_lines(tree)


def _visible_text_fallback(lines: list[str], title: str | None) -> list[str]:
    """Body paragraphs found by the text-dump classifier on the page's visible text."""
    from .textdump import clean_lines

    return clean_lines(lines, title=title)
