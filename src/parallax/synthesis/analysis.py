"""Per-story text analysis shared by the synthesis parts: sentences, vectors, mentions, citations."""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from ..clean.outlets import outlet_label
from ..models import Article
from ..text.dates import DateMention, find_dates
from ..text.entities import Mention, extract_entities
from ..text.figures import FigureSpan, extract_figures
from ..text.quotes import QuoteSpan, extract_quotes
from ..text.sentences import split_sentences

log = logging.getLogger(__name__)

MAX_CANDIDATE_WORDS = 100  # longer units are mostly several sentences run together (tuned on clusters 0-124)
ARTICLE_CACHE = 2048  # articles whose sentences, mentions, quotes, figures and dates are kept
EMBED_CACHE = 50_000  # sentence embeddings kept (about 75 MB)
MAX_SENTENCES_PER_ARTICLE = 80  # sentences of one article considered (the lead matters most)
EMBED_MAX_SENTENCES = 2500
LARGE_STORY = 1500  # sentences; above this the TF-IDF vocabulary is capped at MAX_FEATURES terms
MAX_FEATURES = 4000  # beyond this many sentences in a story, TF-IDF alone is used

_JUNK = re.compile(
    r"(?:https?://|www\.|@\w|©|\bcopyright\b|all rights reserved|click here|sign up|subscribe|newsletter|"
    r"cookies?\b|javascript|advertisement|\bad choices\b|tweet with a location|follow us|read more|"
    r"related:|photo:|image:|getty images|associated press contributed|this article|story continues|"
    r"share this|e-?mail|comments?\b|log ?in\b|privacy policy|terms of (?:use|service)|wayback|"
    r"seed for|archive-it|video:|watch:|\bcaption\b|posted (?:on|at|by)|updated:)",
    re.IGNORECASE,
)
_DANGLING = re.compile(
    r"^(?:[\"“‘']?\s*)(?:he|she|it|they|this|that|these|those|his|her|its|their|him|them|there|here|"
    r"but|and|or|so|also|however|still|yet|meanwhile|instead|then|such|both|another|other|others|"
    r"the two|the latter|the former|as a result|in addition|moreover|further|furthermore|"
    r"nevertheless|nonetheless|thus|therefore|hence|after that|later|earlier|again|too|which|who)\b",
    re.IGNORECASE,
)
# "WASHINGTON (AP) — ", "KYIV, Ukraine — ": a dateline is not part of the sentence.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][\w .]{1,30})?\s*(?:\([^)]{1,30}\))?\s*[—–-]+\s+(?=[A-Z\"“])")
# "“…,” he said": the sentence leans on a name given before it.
_PRONOUN_SPEAKER = re.compile(r"[”\"’]\s*,?\s*(?:he|she|they|it)\s+[a-z]+", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:['’]\w+)?")
# "UPDATE: ...", "EDITOR'S NOTE: ...", or a stray control character or bullet: page furniture.
_LABEL_START = re.compile(r"^(?:[\x00-\x1f\x7f-\x9f•·*|>–—-]|[A-Z][A-Z'’ ]{2,30}:\s)")


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence of one canonical article."""

    article: int  # index into StoryText.articles
    index: int  # sentence number inside the article
    text: str
    start: int
    end: int
    words: int
    candidate: bool  # reads well out of context (summary, claims, timeline)


@dataclass
class StoryText:
    """Everything the synthesis parts read, computed once per story."""

    articles: list[Article]
    copies: list[Article]
    outlets: dict[str, str]  # article id (canonical or copy) -> outlet
    units: list[Unit]
    mentions: list[list[Mention]]
    quotes: list[list[QuoteSpan]]
    figures: list[list[FigureSpan]]
    dates: list[list[DateMention]]
    vectors: np.ndarray  # rows L2-normalised: TF-IDF (and embeddings, concatenated and re-normed)
    lexical: np.ndarray  # TF-IDF rows only (L2-normalised)
    embedded: bool
    copies_of: dict[str, list[Article]] = field(default_factory=dict)
    _cited: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    memo: dict = field(default_factory=dict, repr=False)  # results the synthesis parts share
    lexical_sparse: Any = None  # the TF-IDF rows as a sparse matrix (fast products)
    embedding_part: np.ndarray | None = None  # the embedding columns of ``vectors``
    lexical_scale: np.ndarray | None = None  # per row: the factor of the TF-IDF part in ``vectors``

    def similarities(self) -> np.ndarray:
        """All pairwise unit similarities (``vectors @ vectors.T``), computed once from the sparse
        TF-IDF rows and the embeddings rather than from the wide dense rows."""
        sims = self.memo.get("similarities")
        if sims is None:
            if self.lexical_sparse is None:
                sims = self.vectors @ self.vectors.T
            else:
                sims = np.asarray((self.lexical_sparse @ self.lexical_sparse.T).todense(), dtype=np.float32)
                if self.embedding_part is not None and self.lexical_scale is not None:
                    scale = self.lexical_scale
                    sims = sims * scale[:, None] * scale[None, :] + self.embedding_part @ self.embedding_part.T
            self.memo["similarities"] = sims
        return sims

    def sim(self, i: int, j: int) -> float:
        """Similarity of two units."""
        return float(self.vectors[i] @ self.vectors[j])

    def cite(self, text: str, hint: Sequence[str] = ()) -> tuple[str, ...]:
        """Every article (canonical or copy) whose text contains ``text`` exactly, in story order."""
        ids = self._cited.get(text)
        if ids is None:
            ids = tuple(a.id for a in [*self.articles, *self.copies] if text in a.text)
            self._cited[text] = ids
        return ids or tuple(hint)

    def outlet_of_unit(self, unit: Unit) -> str:
        return self.outlets[self.articles[unit.article].id]


def outlet_name(article: Article, fallback: str) -> str:
    """The article's outlet, else its URL's host, else ``fallback``."""
    label = outlet_label(article.outlet, article.url, article.source)
    if label:
        return label
    if article.url:
        host = urlsplit(article.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return fallback


def _balanced(text: str) -> bool:
    """Quotation marks open and close inside the sentence."""
    if text.count("“") != text.count("”"):
        return False
    return text.count('"') % 2 == 0


def is_candidate(text: str, words: int) -> bool:
    """A sentence that reads well on its own: complete, not boilerplate, no dangling reference."""
    if words < 6 or words > MAX_CANDIDATE_WORDS:
        return False
    if _JUNK.search(text) or _DANGLING.match(text) or _PRONOUN_SPEAKER.search(text) or not _balanced(text):
        return False
    if _LABEL_START.match(text):
        return False
    if text.endswith(("?", ":", ",", ";")) or text.rstrip("”\"’' ")[-1:] not in ".!":
        return False
    letters = sum(c.isalpha() for c in text)
    if letters < 0.6 * len(text):
        return False
    upper_words = sum(1 for w in text.split() if w[:1].isupper())
    return upper_words < 0.7 * words


def _tfidf(texts: list[str]) -> Any:
    """Sparse L2-normalised TF-IDF rows (unigrams and bigrams, English stop words removed)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        matrix = TfidfVectorizer(
            stop_words="english",
            sublinear_tf=True,
            ngram_range=(1, 2),
            min_df=1,
            dtype=np.float32,
            max_features=None if len(texts) <= LARGE_STORY else MAX_FEATURES,  # dense rows stay small
        ).fit_transform(texts)
    except ValueError:  # no usable word at all
        return None
    return matrix


@dataclass(frozen=True, slots=True)
class _Parts:
    """What one article contributes to any story it is in (cached: stories grow and are redone)."""

    sentences: tuple[tuple[int, str, int, int, int, bool], ...]  # Unit fields after the article index
    mentions: tuple[Mention, ...]
    quotes: tuple[QuoteSpan, ...]
    figures: tuple[FigureSpan, ...]
    dates: tuple[DateMention, ...]


_cache_lock = threading.Lock()
_parts_cache: OrderedDict[tuple[str, object], _Parts] = OrderedDict()
_vector_cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()


def _sentence_rows(text: str) -> tuple[tuple[int, str, int, int, int, bool], ...]:
    rows = []
    for n, s in enumerate(split_sentences(text, limit=MAX_SENTENCES_PER_ARTICLE)):
        start, sentence = s.start, s.text
        dateline = _DATELINE.match(sentence)
        if dateline and dateline.end() < len(sentence):
            start, sentence = start + dateline.end(), sentence[dateline.end() :]
        words = len(_WORD.findall(sentence))
        rows.append((n, sentence, start, s.end, words, is_candidate(sentence, words)))
    return tuple(rows)


def _article_parts(articles: Sequence[Article]) -> list[_Parts]:
    """Sentences, mentions, quotes, figures and dates of each article, from the cache when known."""
    keys = [(a.text, a.published) for a in articles]
    with _cache_lock:
        known = {k: _parts_cache[k] for k in keys if k in _parts_cache}
        for k in known:
            _parts_cache.move_to_end(k)
    todo = {k: a for k, a in zip(keys, articles) if k not in known}
    if todo:
        mentions = extract_entities([a.text for a in todo.values()])
        for (key, a), ms in zip(todo.items(), mentions):
            known[key] = _Parts(
                _sentence_rows(a.text),
                tuple(ms),
                tuple(extract_quotes(a.text, ms)),
                tuple(extract_figures(a.text)),
                tuple(find_dates(a.text, a.published)),
            )
        with _cache_lock:
            for key in todo:
                _parts_cache[key] = known[key]
            while len(_parts_cache) > ARTICLE_CACHE:
                _parts_cache.popitem(last=False)
    return [known[k] for k in keys]


def article_mentions(articles: Sequence[Article]) -> list[tuple[Mention, ...]]:
    """The entity mentions of each article's text, through the per-article analysis cache.

    Story grouping asks for them (for the entities of each article's lead) before the article's
    first synthesis: the whole per-article analysis (sentences, mentions, quotes, figures, dates) is
    computed once then, and every later synthesis of the article's story reuses it.
    """
    return [parts.mentions for parts in _article_parts(articles)]


def _embed(texts: list[str]) -> np.ndarray | None:
    """MiniLM embeddings (sentences embedded before come from the cache), or None when unavailable."""
    from ..text.embed import default_embedder

    embedder = default_embedder()  # the vector cache below is keyed by its name too
    with _cache_lock:
        known = {t: _vector_cache[(embedder.name, t)] for t in texts if (embedder.name, t) in _vector_cache}
    todo = list(dict.fromkeys(t for t in texts if t not in known))
    if todo:
        try:
            fresh = np.asarray(embedder.embed(todo), dtype=np.float32)
        except (ImportError, RuntimeError, OSError, ValueError) as exc:
            log.warning("embedding failed (%s): TF-IDF only", exc)
            return None
        known.update(zip(todo, fresh))
        with _cache_lock:
            _vector_cache.update(((embedder.name, t), v) for t, v in zip(todo, fresh))
            while len(_vector_cache) > EMBED_CACHE:
                _vector_cache.popitem(last=False)
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    return np.stack([known[t] for t in texts])


def analyse(
    articles: Sequence[Article], copies: Sequence[Article] = (), *, embeddings: bool = True
) -> StoryText:
    """Split, tag and vectorise the articles of one story."""
    arts = list(articles)
    outlets: dict[str, str] = {}
    for k, a in enumerate(arts):
        outlets[a.id] = outlet_name(a, f"outlet-{k + 1}")
    copies_of: dict[str, list[Article]] = {}
    for k, c in enumerate(copies):
        outlets[c.id] = outlet_name(c, f"copy-outlet-{k + 1}")
        if c.duplicate_of:
            copies_of.setdefault(c.duplicate_of, []).append(c)
    units: list[Unit] = []
    mentions, quotes, figures, dates = [], [], [], []
    for k, parts in enumerate(_article_parts(arts)):
        units.extend(Unit(k, *row) for row in parts.sentences)
        mentions.append(list(parts.mentions))
        quotes.append(list(parts.quotes))
        figures.append(list(parts.figures))
        dates.append(list(parts.dates))
    texts = [u.text for u in units]
    sparse = _tfidf(texts) if texts else None
    if sparse is None:
        lexical = np.zeros((len(texts), 1), dtype=np.float32)
    else:
        lexical = np.asarray(sparse.todense(), dtype=np.float32)
    vectors = lexical
    embedded = False
    emb_part = scale = None
    if embeddings and texts and len(texts) <= EMBED_MAX_SENTENCES:
        # Every sentence is embedded, not only candidates: the centroid and the cross-outlet support
        # read them all (candidates alone measured 0.1-0.2 ROUGE-2 lower on the Multi-News sample).
        emb = _embed(texts)
        if emb is not None:
            both = np.hstack([lexical * 0.5**0.5, emb * 0.5**0.5])
            norms = np.linalg.norm(both, axis=1, keepdims=True)
            vectors = both / np.clip(norms, 1e-12, None)
            embedded = True
            emb_part = vectors[:, lexical.shape[1] :]
            scale = (0.5**0.5 / np.clip(norms[:, 0], 1e-12, None)).astype(np.float32)
    return StoryText(
        arts, list(copies), outlets, units, mentions, quotes, figures, dates, vectors, lexical, embedded, copies_of,
        lexical_sparse=sparse, embedding_part=emb_part, lexical_scale=scale,
    )  # fmt: skip
