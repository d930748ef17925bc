"""Metadata of a page: title, outlet, byline, published date and language.

HTML metadata comes from ``<meta>`` tags, JSON-LD and microdata (cheap XPath, no second parse);
text dumps get the same fields from their first lines. The outlet falls back to a readable name
made from the URL's domain.

>>> outlet_from_url("https://www.bbc.co.uk/news/world-1")
'BBC'
>>> guess_language("The minister said that the plan was not ready and that it would be delayed.")
'en'
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dateutil import parser as dateparser
from lxml.html import HtmlElement

from .datafile import entry_lines

log = logging.getLogger(__name__)

# Readable outlet names for domains whose markup often lacks one.
KNOWN_OUTLETS: dict[str, str] = {
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "nytimes.com": "The New York Times",
    "theguardian.com": "The Guardian",
    "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal",
    "reuters.com": "Reuters",
    "apnews.com": "AP News",
    "cnn.com": "CNN",
    "foxnews.com": "Fox News",
    "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News",
    "npr.org": "NPR",
    "aljazeera.com": "Al Jazeera",
    "rt.com": "RT",
    "tass.com": "TASS",
    "tass.ru": "TASS",
    "telegraph.co.uk": "The Telegraph",
    "independent.co.uk": "The Independent",
    "dailymail.co.uk": "Daily Mail",
    "express.co.uk": "Express",
    "thehill.com": "The Hill",
    "politico.com": "Politico",
    "bloomberg.com": "Bloomberg",
    "ft.com": "Financial Times",
    "economist.com": "The Economist",
    "usatoday.com": "USA Today",
    "latimes.com": "Los Angeles Times",
    "spiegel.de": "Der Spiegel",
    "lemonde.fr": "Le Monde",
    "elpais.com": "El País",
}

_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go"}

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "and",
            "of",
            "to",
            "in",
            "is",
            "that",
            "for",
            "it",
            "was",
            "on",
            "with",
            "as",
            "said",
            "he",
            "she",
            "by",
            "at",
            "from",
            "are",
            "have",
            "be",
            "this",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "und",
            "das",
            "ist",
            "nicht",
            "ein",
            "eine",
            "zu",
            "den",
            "von",
            "mit",
            "sich",
            "des",
            "auf",
            "für",
            "im",
            "dem",
            "auch",
            "es",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "des",
            "est",
            "un",
            "une",
            "du",
            "que",
            "pour",
            "dans",
            "qui",
            "pas",
            "sur",
            "au",
            "avec",
            "il",
            "elle",
            "ce",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "y",
            "de",
            "que",
            "en",
            "un",
            "una",
            "por",
            "con",
            "para",
            "es",
            "del",
            "se",
            "no",
            "al",
            "lo",
            "como",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "la",
            "di",
            "che",
            "e",
            "per",
            "un",
            "una",
            "non",
            "del",
            "della",
            "è",
            "con",
            "sono",
            "alla",
            "gli",
            "le",
            "nel",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "e",
            "de",
            "que",
            "em",
            "um",
            "uma",
            "para",
            "com",
            "não",
            "do",
            "da",
            "no",
            "na",
            "se",
            "por",
            "mais",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "van",
            "is",
            "dat",
            "op",
            "te",
            "in",
            "niet",
            "met",
            "voor",
            "zijn",
            "er",
            "aan",
            "ook",
        ]
    ),
    "pl": frozenset(
        [
            "i",
            "w",
            "na",
            "z",
            "się",
            "nie",
            "do",
            "że",
            "jest",
            "to",
            "jak",
            "o",
            "po",
            "przez",
            "dla",
            "od",
            "ale",
            "są",
        ]
    ),
    "ru": frozenset(
        [
            "и",
            "в",
            "не",
            "на",
            "что",
            "с",
            "по",
            "он",
            "как",
            "это",
            "его",
            "к",
            "но",
            "из",
            "за",
            "от",
            "для",
        ]
    ),
}

_WORD = re.compile(r"\w+", re.UNICODE)


def outlet_from_url(url: str | None) -> str | None:
    """A readable outlet name from a URL's domain ("bbc.co.uk" -> "BBC", "example.org" -> "example.org")."""
    if not url:
        return None
    try:
        host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    except ValueError:
        return None
    host = host.removeprefix("www.").removeprefix("m.").removeprefix("amp.")
    if not host:
        return None
    parts = host.split(".")
    for size in (3, 2):
        key = ".".join(parts[-size:])
        if key in KNOWN_OUTLETS:
            return KNOWN_OUTLETS[key]
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:]) if len(parts) >= 2 else host


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the language whose common words dominate ``text`` (None when unsure)."""
    words = [w.casefold() for w in _WORD.findall(text[:5000])]
    if len(words) < 5:
        return None
    if sum(1 for w in words if max(w) > "\u3000") > len(words) / 3:  # a character past U+3000
        return _cjk_language(text)
    scores = {lang: sum(map(stops.__contains__, words)) for lang, stops in STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= max(2, 0.05 * len(words)) else None


def _cjk_language(text: str) -> str:
    """zh, ja or ko from the script of the characters."""
    if re.search(r"[\u3040-\u30ff]", text):
        return "ja"
    if re.search(r"[\uac00-\ud7af]", text):
        return "ko"
    return "zh"


def parse_date(value: Any) -> datetime | None:
    """A datetime from an ISO string, a loose date string or a datetime (None when unparsable): a
    date written out in the text (date_in_text) first, else dateutil's fuzzy reading.

    >>> parse_date("3 de mayo de 202221:25"), parse_date("Censo 2022")
    (datetime.datetime(2022, 5, 3, 21, 25), datetime.datetime(2022, 1, 1, 0, 0))
    """
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip() or not re.search(r"\d", value):
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    found = date_in_text(text)
    if found is not None:
        return found
    text = _english_months(text).replace("|", " ")
    try:
        with warnings.catch_warnings():  # unknown time-zone names ("EST") only lose the offset
            warnings.simplefilter("ignore")
            parsed = dateparser.parse(
                text, fuzzy=True, default=datetime(1900, 1, 1), dayfirst=bool(_DOTTED_DATE.search(text))
            )
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None or not 1990 <= parsed.year <= datetime.now(UTC).year + 1:
        return None
    return parsed


MONTHS_PATH = Path(__file__).with_name("data") / "month_names.tsv"


@lru_cache(maxsize=1)
def _month_table() -> dict[str, int]:
    """data/month_names.tsv: month word (case-folded) -> month number."""
    out: dict[str, int] = {}
    for line in entry_lines(MONTHS_PATH):
        if "\t" in line:
            word, number = line.split("\t", 1)
            out[word.strip().casefold()] = int(number)
    return out


@lru_cache(maxsize=1)
def _date_patterns() -> tuple[re.Pattern[str], ...]:
    """The written-out date shapes date_in_text reads, the month names from the data file."""
    names = "|".join(sorted(map(re.escape, _month_table()), key=len, reverse=True)) or "(?!)"
    year = r"(?P<y>(?:19|20)\d\d)"
    clock = r"(?:,?\s*(?:[-–|,]|um|at|à|a las|klo|kl\.?)?\s*(?P<H>[01]?\d|2[0-3])[:.h](?P<M>[0-5]\d)(?!\d))?"
    return (
        re.compile(rf"(?<![\d.])(?P<d>\d{{1,2}})\.\s?(?P<m>\d{{1,2}})\.\s?{year}(?!\d){clock}"),
        re.compile(rf"(?<![\d])(?P<d>\d{{1,2}})(?:\.|º|er)?\s*(?:de\s+)?(?P<n>{names})\b\.?,?\s*(?:de[l]?\s+)?{year}{clock}", re.IGNORECASE),
        re.compile(rf"\b(?P<n>{names})\b\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b,?\s+{year}(?!\d){clock}", re.IGNORECASE),
    )


def without_dates(text: str) -> str:
    """``text`` with every written-out date (and the time after it) cut out, as date_in_text reads
    them, and numeric ones ("21/06/2014", "2018-09-16").

    >>> without_dates("Chris Davies - Nov 19, 2019, 8:15 pm CST")
    'Chris Davies -   pm CST'
    """
    for pattern in (*_date_patterns(), _NUMERIC_SPAN):
        text = pattern.sub(" ", text)
    return text


_NUMERIC_SPAN = re.compile(r"(?<!\d)(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4})(?:,?\s*(?:um\s+)?\d{1,2}[:.]\d\d(?::\d\d)?)?(?!\d)")


def date_in_text(text: str) -> datetime | None:
    """The first date written out in ``text``: day.month.year ("28.04.2021 - 07:18"), a day, a
    month name and a year ("18. Okt 2023", "16 marca 2021", "sabado 07 de mayo del 2022"), a month
    name, a day and a year ("July 24, 2019 by Amy Motroni"), with the time that follows it; None
    when the text writes none (month names of many languages: data/month_names.tsv).

    >>> date_in_text("28.04.2021 - 07:18 | Quelle: dpa"), date_in_text(", 01. Dez. 2017, 12:01 Uhr")
    (datetime.datetime(2021, 4, 28, 7, 18), datetime.datetime(2017, 12, 1, 12, 1))
    >>> date_in_text("July 24, 2019 by Amy Motroni 5 Comments"), date_in_text("Censo 2022")
    (datetime.datetime(2019, 7, 24, 0, 0), None)
    """
    if not any(c.isdigit() for c in text):
        return None
    best: tuple[int, datetime] | None = None
    for pattern in _date_patterns():
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["m"]) if parts.get("m") else _month_table().get(parts["n"].casefold().rstrip("."), 0)
            try:
                found = datetime(int(parts["y"]), month, int(parts["d"]), int(parts["H"] or 0), int(parts["M"] or 0))
            except ValueError:
                continue
            if 1990 <= found.year <= datetime.now(UTC).year + 1 and (best is None or match.start() < best[0]):
                best = (match.start(), found)
            break
    return best[1] if best else None


# Month names of the languages guess_language knows, to English (dateutil reads English only).
_MONTHS = {
    "januar": "January", "jänner": "January", "februar": "February", "märz": "March", "mai": "May",
    "juni": "June", "juli": "July", "oktober": "October", "dezember": "December",
    "janvier": "January", "février": "February", "mars": "March", "avril": "April", "juin": "June",
    "juillet": "July", "août": "August", "septembre": "September", "octobre": "October",
    "novembre": "November", "décembre": "December",
    "enero": "January", "febrero": "February", "marzo": "March", "abril": "April", "mayo": "May",
    "junio": "June", "julio": "July", "agosto": "August", "septiembre": "September", "setiembre": "September",
    "octubre": "October", "noviembre": "November", "diciembre": "December",
    "gennaio": "January", "febbraio": "February", "aprile": "April", "maggio": "May", "giugno": "June",
    "luglio": "July", "settembre": "September", "ottobre": "October", "dicembre": "December",
    "janeiro": "January", "fevereiro": "February", "março": "March", "maio": "May", "junho": "June",
    "julho": "July", "setembro": "September", "outubro": "October", "novembro": "November",
    "dezembro": "December", "januari": "January", "februari": "February", "maart": "March", "mei": "May",
    "augustus": "August",
}  # fmt: skip
_MONTH_WORD = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


_DOTTED_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")  # day.month.year, as Europe writes it


def _english_months(text: str) -> str:
    """Month names of other languages replaced by English ones ("19. Juni 2019" -> "19. June 2019").

    >>> _english_months("19. Juni 2019, 06 novembre 2019")
    '19. June 2019, 06 November 2019'
    """
    if not re.search(r"[a-zA-Zäéûç]{3}", text):
        return text
    return _MONTH_WORD.sub(lambda m: _MONTHS[m.group(1).casefold()], text)


def clean_byline(value: str | None) -> str | None:
    """A byline without "By", trailing dates, roles or e-mail addresses (None when empty)."""
    if not value:
        return None
    text = " ".join(str(value).split())
    text = re.sub(r"^(?:by|von|par|por|di|door)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\S+@\S+", "", text)
    text = re.split(r"\s+(?:\||–|—)\s+|,\s*(?:updated|published|posted)\b", text, maxsplit=1)[0]
    text = text.strip(" ,;:-|")
    if not text or len(text) > 120 or text.startswith("http"):
        return None
    return text


_META_XPATH = "//meta[@content][@property or @name or @itemprop]"
_JSONLD_XPATH = "//script[@type='application/ld+json']/text()"

_TITLE_KEYS = ("og:title", "twitter:title", "headline", "dc.title", "title", "sailthru.title")
_SITE_KEYS = (
    "og:site_name",
    "application-name",
    "publisher",
    "dc.publisher",
    "twitter:site",
    "cre",
    "copyright",
)
_AUTHOR_KEYS = (
    "author",
    "article:author",
    "byl",
    "dc.creator",
    "sailthru.author",
    "parsely-author",
    "byline",
)
_DATE_KEYS = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "publishdate",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
    "parsely-pub-date",
    "publish-date",
    "article.published",
    "dcterms.created",
    "og:updated_time",
    "article:modified_time",
    "datemodified",
)


def html_metadata(tree: HtmlElement) -> dict[str, Any]:
    """Title, outlet, byline, published and language found in a page's markup (missing keys absent)."""
    meta: dict[str, str] = {}
    nodes, scripts = _meta_and_jsonld(tree)
    for node in nodes:
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip().lower()
        content = (node.get("content") or "").strip()
        if key and content and key not in meta:
            meta[key] = content
    ld = _jsonld(scripts)
    found: dict[str, Any] = {}

    marked: set[str] = set()
    title = ld.get("headline") or _first(meta, _TITLE_KEYS)
    if title:
        marked.add("title")
    if not title:
        texts = tree.xpath("//h1//text()")
        title = " ".join("".join(texts).split()) or None
    if not title:
        texts = tree.xpath("//title//text()")
        title = " ".join("".join(texts).split()) or None
    if title:
        found["title"] = _strip_site_suffix(str(title))

    site = ld.get("publisher") or _first(meta, _SITE_KEYS)
    if isinstance(site, str) and site.startswith("@"):
        site = site[1:]
    if site and not str(site).startswith("http") and len(str(site)) <= 80:
        found["outlet"] = " ".join(str(site).split())

    author = ld.get("author") or _first(meta, _AUTHOR_KEYS)
    if author:
        marked.add("byline")
    if not author:
        nodes = tree.xpath(
            "//*[@rel='author' or @itemprop='author' or contains(@class,'byline') or contains(@class,'author-name')]"
        )
        if nodes:
            author = " ".join(" ".join(nodes[0].itertext()).split())
    byline = clean_byline(author) if isinstance(author, str) else None
    if byline and not byline.startswith("http"):
        found["byline"] = byline

    published = parse_date(ld.get("datePublished")) or parse_date(_first(meta, _DATE_KEYS))
    if published is not None:
        marked.add("published")
    if published is None:
        times = tree.xpath("//time/@datetime")
        published = parse_date(times[0]) if times else None
    if published is not None:
        found["published"] = published

    lang = tree.get("lang") or meta.get("og:locale") or meta.get("content-language") or meta.get("language")
    if lang:
        code = re.split(r"[-_]", lang.strip().lower())[0]
        if re.fullmatch(r"[a-z]{2,3}", code):
            found["language"] = code
    if "outlet" in found:
        marked.add("outlet")
    found["marked"] = frozenset(marked & set(found))
    return found


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    """The first present meta value among ``keys``."""
    for key in keys:
        if meta.get(key):
            return meta[key]
    return None


def _strip_site_suffix(title: str) -> str:
    """A title without a trailing " | Site" or " - Site" part."""
    title = " ".join(title.split())
    parts = re.split(r"\s+[|–—-]\s+", title)
    if len(parts) > 1 and len(parts[-1]) < len(title) / 2 and len(parts[-1].split()) <= 5:
        return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    return title


def _meta_and_jsonld(tree: HtmlElement) -> tuple[list[HtmlElement], list[str]]:
    """The nodes _META_XPATH selects and the texts _JSONLD_XPATH selects, in one walk of the page
    (each XPath scan walks every node of the document; both come from its root, as ``//`` does).

    >>> from lxml import html
    >>> page = html.fromstring('<html><head><meta name="author" content="Jo"><meta charset="utf-8">'
    ...     '<script type="application/ld+json">{"headline": "Rain"}</script></head><body></body></html>')
    >>> nodes, scripts = _meta_and_jsonld(page.find("body"))
    >>> [n.get("name") for n in nodes], scripts
    (['author'], ['{"headline": "Rain"}'])
    """
    nodes: list[HtmlElement] = []
    scripts: list[str] = []
    for node in tree.getroottree().getroot().iter("meta", "script"):
        if node.tag == "meta":
            if node.get("content") is not None and (
                node.get("property") is not None or node.get("name") is not None or node.get("itemprop") is not None
            ):
                nodes.append(node)
        elif node.get("type") == "application/ld+json":
            scripts.extend(node.xpath("text()"))
    return nodes, scripts


def _jsonld(scripts: list[str]) -> dict[str, Any]:
    """headline, author, publisher and datePublished from the page's JSON-LD article object
    (``scripts``: the texts of its JSON-LD scripts)."""
    out: dict[str, Any] = {}
    for raw in scripts:
        try:
            data = json.loads(raw)
        except (ValueError, TypeError):
            continue
        for item in _walk(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(
                isinstance(k, str) and ("Article" in k or k in {"BlogPosting", "Report"}) for k in kinds
            ):
                continue
            for key in ("headline", "datePublished"):
                if isinstance(item.get(key), str) and key not in out:
                    out[key] = item[key]
            name = _name(item.get("author"))
            if name and "author" not in out:
                out["author"] = name
            name = _name(item.get("publisher"))
            if name and "publisher" not in out:
                out["publisher"] = name
    return out


def _walk(data: Any) -> list[dict[str, Any]]:
    """Every dict in a JSON-LD document (top level, lists and @graph)."""
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            found.append(item)
            if isinstance(item.get("@graph"), list):
                stack.extend(item["@graph"])
    return found


def _name(value: Any) -> str | None:
    """A name from a JSON-LD person/organization (or a list of them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    return None
