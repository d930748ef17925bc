"""Online story grouping: each article joins the best story or opens a new one.

An article is compared with the stories of its nearest neighbours (a faiss inner-product index
over the MiniLM embeddings of recent articles, so the cost follows the articles of the last
``story_window_days``, not all stories ever seen). The score of a story combines the cosine of
the article's embedding with the story centroid (raised by a share of the cosine with the story's
closest member when that one is higher), the cosine of running TF-IDF vectors, the
overlap of named entities, and a penalty for time distance; the article joins the best story
when the score reaches ``settings.story_threshold``. Short items (headlines, snippets) lean on the
embedding; full texts lean on TF-IDF, which tells two articles on one event apart from two on a
related event better than an embedding of their leads (the weights move with the word count).
When an article is close to two stories that
are close to each other, they are merged: the larger (else older) story keeps its id and the
other redirects to it.

A story none of whose articles is left in the index can never grow again: it is retired, so
memory and the saved state follow the open stories, not all stories ever seen (the store keeps
every story; an article of a retired story is no longer known to the grouper).

Batch mode (:meth:`StoryGrouper.add_many`) computes the features of many articles at once and
searches the index for a whole block, then assigns in time order: the result is the same as
feeding the articles one by one. Only canonical articles (``duplicate_of is None``) are grouped.

>>> from parallax.models import Article
>>> from parallax.settings import load
>>> grouper = StoryGrouper(load(embeddings=False))
>>> a = grouper.add(Article.create(source="a", text="Lava from the volcano reached the sea near Grindavik."))
>>> b = grouper.add(Article.create(source="b", text="Volcano lava reached the sea near the town of Grindavik."))
>>> a.story_id == b.story_id
True
"""

from __future__ import annotations

import io
import json
import logging
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import ConfigError
from .models import Article, Story, content_id, epoch_days
from .settings import Settings
from .text.embed import Embedder, default_embedder

log = logging.getLogger(__name__)

#: The model name recorded for the term-hashing vectors used when embeddings are off.
HASHED_MODEL = "hashed-terms"
#: Word pieces of title + lead embedded by MiniLM: the lead carries the event, and the cost grows
#: with the tokens (measured 68 vs 29 sequences/s at 64 vs 128 tokens on one core).
EMBED_TOKENS = 64
#: Characters of title + text handed to the tokenizer (comfortably more than EMBED_TOKENS pieces).
EMBED_CHARS = 700
#: Words of an article's text counted for TF-IDF: the whole of nearly every article (the 95th
#: percentile of the Multi-News documents is about 1,600 words), capped so that a very long page
#: costs no more than a long article. Was 400, which left out most of a full text: two reports of
#: one event often share their details only past the lead (Multi-News pooled B-cubed F1 via the
#: library 0.8810 -> 0.8873, recall 0.8294 -> 0.8433; in-sample, the cap was not tuned: 800, 1,500,
#: 3,000 and no cap gave 0.8839, 0.8865, 0.8863 and 0.8854). GoogleNews items are far shorter.
TF_WORDS = 2000
#: Characters of title + text given to the entity recogniser (the lead names the actors; spaCy's
#: cost grows with the text: measured 90 vs 35 texts/s at 600 vs 1,500 characters).
ENTITY_CHARS = 600
#: Nearest recent articles searched for candidate stories.
NEIGHBOURS = 24
#: Weights of the embedding, TF-IDF and entity cosines in the score (renormalised when a part is
#: missing). Chosen on GoogleNews-TS (bench/eval_stories.py --tune).
W_EMBED, W_TFIDF, W_ENTITY = 0.8, 0.1, 0.1
#: Weights for full texts (``LONG_WORDS`` words or more): the TF-IDF of a whole article tells
#: coverage of one event apart better than an embedding of its lead. Between ``SHORT_WORDS`` and
#: ``LONG_WORDS`` the weights move linearly from the ones above to these.
W_EMBED_LONG, W_TFIDF_LONG, W_ENTITY_LONG = 0.3, 0.6, 0.1
SHORT_WORDS, LONG_WORDS = 60, 200
#: Added to ``story_threshold`` for full texts (moved like the weights): TF-IDF cosines of two
#: articles on one event are lower than their embedding cosines.
LONG_THRESHOLD_SHIFT = -0.2
#: The ``story_threshold`` these weights were tuned for on GoogleNews-TS (settings.py's default of
#: 0.35 merges too much with these weights; proposed as the new default).
RECOMMENDED_THRESHOLD = 0.45
#: Share of the embedding part of the score taken by the article's closest member of the story when
#: that member is closer than the centroid (a story's spread-out coverage is joined through its
#: nearest article). 2-fold CV over GoogleNews-TS stories: held-out NMI rose on both folds for every
#: value from 0.05 to 0.3; on the whole set 0.2 and above merge two large related stories (see
#: bench/eval_stories.py), so the lower value 0.1 is kept.
W_CLOSEST = 0.1
#: Score lost per story window of time between the article and the story (beyond one day).
TIME_WEIGHT = 0.15
#: Articles further apart than this many windows are never candidates of each other.
CANDIDATE_WINDOWS = 2.0
#: A second candidate story is merged into the chosen one when the article scores this much above
#: the threshold with it too, and the two stories reach the threshold with each other.
MERGE_MARGIN = 0.2
#: The index drops articles out of the candidate window every this many articles.
EVICT_EVERY = 1024
#: Undated articles stay candidates for this many later articles.
UNDATED_SPAN = 200_000
#: Headlines kept per story to choose its title from.
TITLE_CANDIDATES = 32
KEYWORDS = 8
STATE_VERSION = 3  # 2: per-article lists saved for the indexed articles only; 3: the embedder recorded
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
_FIRST_SENTENCE = re.compile(r"^(.{20,160}?[.!?])(?:\s|$)", re.DOTALL)


def _stop_words() -> frozenset[str]:
    """English stop words (scikit-learn's list) plus news filler."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | {
        "said",
        "says",
        "say",
        "told",
        "new",
        "year",
        "years",
        "just",
        "like",
    }


STOP_WORDS = _stop_words()


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went: its story, and the stories this addition merged into it."""

    article_id: str
    story_id: str
    merged: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What the grouper needs of one article, computed once (batched) before assignment."""

    article_id: str
    embedding: np.ndarray
    terms: dict[str, float]
    entities: frozenset[str]
    days: float | None
    headline: str
    words: int = 0


def _weights(words: int) -> tuple[float, float, float, float]:
    """Embedding, TF-IDF and entity weights and the score offset for an article of ``words`` words."""
    share = min(1.0, max(0.0, (words - SHORT_WORDS) / (LONG_WORDS - SHORT_WORDS)))
    return (
        W_EMBED + share * (W_EMBED_LONG - W_EMBED),
        W_TFIDF + share * (W_TFIDF_LONG - W_TFIDF),
        W_ENTITY + share * (W_ENTITY_LONG - W_ENTITY),
        -share * LONG_THRESHOLD_SHIFT,
    )


def terms_of(text: str) -> dict[str, float]:
    """Sublinear term frequencies (1 + ln tf) of the content words of a text."""
    counts: dict[str, int] = {}
    for i, match in enumerate(_WORD.finditer(text.casefold())):
        if i >= TF_WORDS:
            break
        word = match.group().replace("’", "'")
        if len(word) > 1 and word not in STOP_WORDS:
            counts[word] = counts.get(word, 0) + 1
    return {w: 1.0 + math.log(c) for w, c in counts.items()}


class EmbedderMismatch(ConfigError):
    """A saved grouper state was made by another embedder (or dimension) than the one configured."""


def hashed_embedding(terms: dict[str, float], dimension: int | None = None) -> np.ndarray:
    """A signed hashing projection of term weights (used when embeddings are off), of the default
    embedder's dimension unless given."""
    dimension = dimension or default_embedder().dimension
    vector = np.zeros(dimension, dtype=np.float32)
    for term, weight in terms.items():
        h = zlib.crc32(term.encode("utf-8"))
        vector[h % dimension] += weight if (h >> 16) & 1 else -weight
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def headline_of(article: Article) -> str:
    """The article's title, else its first sentence (or first words)."""
    if article.title and article.title.strip():
        return " ".join(article.title.split())
    return untitled_headline(article.text)


def untitled_headline(body: str) -> str:
    """A headline for an untitled article: its first paragraph's first sentence, never running on
    into the next paragraph (a dump's headline line stays apart from the lead under it).

    >>> untitled_headline("Markets slide as rates rise\\n\\nStocks in Asia fell on Monday. More.")
    'Markets slide as rates rise'
    """
    first = next((p for p in body.split("\n\n") if p.strip()), body)
    text = " ".join(first.split())
    match = _FIRST_SENTENCE.match(text)
    if match:
        return match.group(1)
    words = text.split()
    return " ".join(words[:14]) + ("…" if len(words) > 14 else "")


def _entity_keys(mentions: Iterable[object]) -> frozenset[str]:
    """Spelling-tolerant keys of entity mentions (surnames for persons)."""
    from .text.entities import name_key, surname_key

    keys = set()
    for m in mentions:
        key = surname_key(m.name) if getattr(m, "kind", "") == "person" else name_key(m.name)  # type: ignore[attr-defined]
        if len(key) > 1:
            keys.add(key)
    return frozenset(keys)


_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    """One worker thread for embeddings, made on first use."""
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parallax-embed")
    return _executor


def _lead(text: str, limit: int) -> str:
    """The first ``limit`` characters of a text, cut at a space."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit]


def _entities_of(articles: Sequence[Article], bodies: list[str]) -> list[frozenset[str]]:
    """Entity keys of the title and lead of each text (none when spaCy is not installed).

    spaCy runs once per article: the mentions of the text come from the per-article analysis that
    synthesis reuses (``synthesis.analysis.article_mentions``, the whole text), and those that end
    within the lead (``ENTITY_CHARS`` of title + text) are kept; titles, short, are tagged apart.
    (Before, grouping ran spaCy over title + lead and synthesis again over the whole text.)
    """
    entities: list[frozenset[str]] = [frozenset()] * len(bodies)
    try:
        from .synthesis.analysis import article_mentions
        from .text.entities import extract_entities

        leads = [_lead(b, ENTITY_CHARS) for b in bodies]
        # Names are capitalised: texts without a capital letter (preprocessed corpora) have none.
        cased = [i for i, lead in enumerate(leads) if any(c.isupper() for c in lead)]
        if not cased:
            return entities
        mentions = article_mentions([articles[i] for i in cased])
        titled = [i for i in cased if articles[i].title]
        title_mentions = dict(zip(titled, extract_entities([articles[i].title or "" for i in titled])))
        for i, found in zip(cased, mentions):
            offset = len(leads[i]) - len(bodies[i]) + len(articles[i].text)  # the text's part of the lead
            in_lead = [m for m in found if m.end <= offset]
            entities[i] = _entity_keys([*title_mentions.get(i, ()), *in_lead])
    except ImportError as error:  # the entity model is optional for grouping
        log.warning("entity features off: %s", error)
    return entities


def model_of(settings: Settings, embedder: Embedder | None = None) -> tuple[str, int]:
    """The name and dimension of the vectors grouping uses with these settings."""
    embedder = embedder or default_embedder()
    return (embedder.name if settings.embeddings else HASHED_MODEL, embedder.dimension)


def featurize(articles: Sequence[Article], settings: Settings, embedder: Embedder | None = None) -> list[ArticleFeatures]:
    """Compute the features of many articles at once (embeddings and entities are batched).

    ``embedder`` defaults to :func:`~parallax.text.embed.default_embedder`.

    >>> from parallax.settings import load
    >>> f = featurize([Article.create(source="x", text="Storm hits Florida coast.")], load(embeddings=False))
    >>> sorted(f[0].terms)
    ['coast', 'florida', 'hits', 'storm']
    """
    if not articles:
        return []
    embedder = embedder or default_embedder()
    heads = [headline_of(a) for a in articles]
    bodies = [f"{a.title}. {a.text}" if a.title else a.text for a in articles]
    terms = [terms_of(f"{a.title or ''} {a.title or ''} {a.text}") for a in articles]
    pending = None
    if settings.embeddings:
        # MiniLM runs in a worker thread (onnxruntime releases the GIL) while spaCy runs here:
        # the two heavy steps overlap on a multi-core machine.
        pending = _pool().submit(embedder.embed, [b[:EMBED_CHARS] for b in bodies], max_tokens=EMBED_TOKENS)
    entities = _entities_of(articles, bodies)
    vectors = (pending.result() if pending is not None
               else np.stack([hashed_embedding(t, embedder.dimension) for t in terms]))
    return [
        ArticleFeatures(
            a.id,
            vectors[i].astype(np.float32),
            terms[i],
            entities[i],
            epoch_days(a.published),
            heads[i],
            len(a.text.split()),
        )
        for i, a in enumerate(articles)
    ]


class _Sparse:
    """A sparse vector sum with its squared norm kept up to date."""

    __slots__ = ("norm2", "weights")

    def __init__(self, weights: dict[str, float] | None = None, norm2: float = 0.0) -> None:
        self.weights: dict[str, float] = weights if weights is not None else {}
        self.norm2 = norm2

    def dot(self, other: dict[str, float]) -> float:
        mine = self.weights
        if len(other) > len(mine):
            return sum(w * other.get(t, 0.0) for t, w in mine.items())
        return sum(w * mine.get(t, 0.0) for t, w in other.items())

    def add(self, other: dict[str, float], other_norm2: float) -> None:
        self.norm2 += 2.0 * self.dot(other) + other_norm2
        mine = self.weights
        for t, w in other.items():
            mine[t] = mine.get(t, 0.0) + w

    def cosine(self, other: dict[str, float], other_norm2: float) -> float:
        if self.norm2 <= 0 or other_norm2 <= 0:
            return 0.0
        return self.dot(other) / math.sqrt(self.norm2 * other_norm2)


@dataclass(slots=True)
class _Story:
    """A live story's running sums."""

    id: str
    created: int
    articles: list[str]
    embedding: np.ndarray
    terms: _Sparse
    entities: _Sparse
    first: float | None = None
    last: float | None = None
    headlines: list[tuple[str, np.ndarray]] = field(default_factory=list)

    def add_time(self, days: float | None) -> None:
        if days is None:
            return
        self.first = days if self.first is None else min(self.first, days)
        self.last = days if self.last is None else max(self.last, days)

    def gap(self, days: float | None) -> float:
        """Days between a time and this story's time span (0 when either is unknown)."""
        if days is None or self.first is None or self.last is None:
            return 0.0
        return max(0.0, self.first - days, days - self.last)


class StoryGrouper:
    """Groups canonical articles into stories, online or in batches, with stable ids.

    >>> from parallax.settings import load
    >>> grouper = StoryGrouper(load(embeddings=False))
    >>> grouper.add(Article.create(source="a", text="The mayor of Lyon resigned on Friday.")).merged
    ()
    >>> len(grouper.stories())
    1
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or default_embedder()
        self.model, self.dimension = model_of(settings, self.embedder)
        self.threshold = float(settings.story_threshold)
        self.window = max(1e-6, float(settings.story_window_days))
        self._stories: dict[str, _Story] = {}
        self._redirects: dict[str, str] = {}
        self._article_story: dict[str, str] = {}  # article id -> story id at assignment
        self._df: dict[str, int] = {}
        self._documents = 0
        self._seq = 0  # articles assigned so far
        self._seq_story: list[str] = []  # seq -> story id at assignment (resolve through redirects)
        self._seq_days: list[float | None] = []
        self._latest: float | None = None
        self._active: dict[int, np.ndarray] = {}  # seq -> embedding, while in the index
        self._index = self._new_index()
        self._evicted = False  # articles left the index since stories were last retired
        self._retired: dict[str, Story] = {}  # stories retired by the last add_many call

    # --- public API --------------------------------------------------------------------------

    def add(self, article: Article) -> Assignment:
        """Group one article (online) and return where it went."""
        return self.add_many([article])[0]

    def add_many(
        self, articles: Sequence[Article], features: Sequence[ArticleFeatures] | None = None
    ) -> list[Assignment]:
        """Group many articles (in time order, undated last) with batched features; input order out.

        ``features`` may be given precomputed (:func:`featurize`), e.g. by benchmarks.
        """
        self._retired = {}
        if not articles:
            return []
        if features is None:
            fresh = [a for a in articles if a.id not in self._article_story]
            unique = list({a.id: a for a in fresh}.values())
            computed = {f.article_id: f for f in featurize(unique, self.settings, self.embedder)}
        else:
            computed = {f.article_id: f for f in features}
        order = sorted(
            range(len(articles)),
            key=lambda i: (articles[i].published is None, epoch_days(articles[i].published) or 0.0, i),
        )
        todo: list[ArticleFeatures] = []
        queued: set[str] = set()
        for i in order:
            aid = articles[i].id
            if aid not in self._article_story and aid not in queued:
                queued.add(aid)
                todo.append(computed[aid])
        merged_by: dict[str, tuple[str, ...]] = {}
        for block in self._blocks(todo):
            neighbours = self._search_block(block)
            for feats, near in zip(block, neighbours):
                merged_by[feats.article_id] = self._assign(feats, near)
        out = []
        for article in articles:
            merged = merged_by.pop(article.id, ())
            out.append(Assignment(article.id, self._resolve(self._article_story[article.id]), merged))
        self._retire()
        return out

    def stories(self) -> list[Story]:
        """The open stories (live, not merged, not retired), oldest first, with title and keywords."""
        return [self._story(s) for s in sorted(self._stories.values(), key=lambda s: s.created)]

    def story(self, story_id: str) -> Story | None:
        """One story by its live id: open, or retired by the last :meth:`add_many` call."""
        found = self._stories.get(story_id)
        return self._story(found) if found is not None else self._retired.get(story_id)

    def redirects(self) -> dict[str, str]:
        """Merged story id -> the surviving story id."""
        return {old: self._resolve(old) for old in self._redirects}

    def known_ids(self) -> list[str]:
        """The ids of the articles grouped into open stories."""
        return list(self._article_story)

    def story_of(self, article_id: str) -> str | None:
        """The live story id of an article, if it was grouped."""
        sid = self._article_story.get(article_id)
        return self._resolve(sid) if sid else None

    # --- assignment --------------------------------------------------------------------------

    def _blocks(self, todo: list[ArticleFeatures]) -> Iterable[list[ArticleFeatures]]:
        """Split work at the index-maintenance points so batch and one-by-one runs agree."""
        start = 0
        while start < len(todo):
            room = EVICT_EVERY - (self._seq % EVICT_EVERY)
            block = todo[start : start + room]
            if self._seq % EVICT_EVERY == 0 and self._seq:
                self._evict()
            yield block
            start += len(block)

    def _search_block(self, block: list[ArticleFeatures]) -> list[list[tuple[int, float]]]:
        """Nearest earlier articles of each article of a block: the index, then the block itself."""
        queries = np.stack([f.embedding for f in block]).astype(np.float32)
        k = min(NEIGHBOURS, self._index.ntotal)
        found: list[list[tuple[int, float]]] = [[] for _ in block]
        if k:
            sims, ids = self._index.search(queries, k)
            for row, (srow, irow) in enumerate(zip(sims, ids)):
                found[row] = [(int(j), float(s)) for j, s in zip(irow, srow) if j >= 0]
        if len(block) > 1:
            inner = queries @ queries.T
            base = self._seq
            for row in range(1, len(block)):
                earlier = inner[row, :row]
                take = np.argsort(-earlier, kind="stable")[:NEIGHBOURS]
                found[row].extend((base + int(j), float(earlier[j])) for j in take)
        return [sorted(near, key=lambda p: (-p[1], p[0]))[:NEIGHBOURS] for near in found]

    def _assign(self, feats: ArticleFeatures, near: list[tuple[int, float]]) -> tuple[str, ...]:
        """Place one article (its neighbours found), merging stories it bridges."""
        seq = self._seq
        self._documents += 1
        for term in feats.terms:
            self._df[term] = self._df.get(term, 0) + 1
        vector = self._tfidf(feats.terms)
        vnorm2 = sum(w * w for w in vector.values())
        ents = {e: 1.0 for e in feats.entities}
        candidates: dict[str, float] = {}  # story id -> cosine of the article's closest member
        horizon = CANDIDATE_WINDOWS * self.window
        for j, similarity in near:
            other = self._seq_days[j]
            if feats.days is not None and other is not None and abs(feats.days - other) > horizon:
                continue
            sid = self._resolve(self._seq_story[j])
            candidates[sid] = max(similarity, candidates.get(sid, -1.0))
        scored = sorted(
            (
                (self._score(self._stories[sid], feats, vector, vnorm2, ents, closest), sid)
                for sid, closest in candidates.items()
            ),
            key=lambda p: (-p[0], self._stories[p[1]].created),
        )
        merged: list[str] = []
        if scored and scored[0][0] >= self.threshold:
            story = self._stories[scored[0][1]]
            for score, sid in scored[1:]:
                if score < self.threshold + MERGE_MARGIN or sid not in self._stories:
                    continue
                other = self._stories[sid]
                if self._story_similarity(story, other, feats.words) >= self.threshold:
                    story, gone = self._merge(story, other)
                    merged.append(gone)
        else:
            sid = content_id("story", feats.article_id)
            story = _Story(sid, seq, [], np.zeros(self.dimension, np.float32), _Sparse(), _Sparse())
            self._stories[sid] = story
        story.articles.append(feats.article_id)
        story.embedding += feats.embedding
        story.terms.add(vector, vnorm2)
        story.entities.add(ents, float(len(ents)))
        story.add_time(feats.days)
        if len(story.headlines) < TITLE_CANDIDATES:
            story.headlines.append((feats.headline, feats.embedding.astype(np.float16)))
        self._article_story[feats.article_id] = story.id
        self._seq_story.append(story.id)
        self._seq_days.append(feats.days)
        if feats.days is not None:
            self._latest = feats.days if self._latest is None else max(self._latest, feats.days)
        self._active[seq] = feats.embedding
        self._index.add_with_ids(feats.embedding[None, :], np.array([seq], dtype=np.int64))
        self._seq += 1
        return tuple(m for m in merged if m != story.id)

    def _score(
        self,
        story: _Story,
        feats: ArticleFeatures,
        vector: dict[str, float],
        vnorm2: float,
        ents: dict[str, float],
        closest: float = -1.0,
    ) -> float:
        """Similarity of an article to a story, less the time penalty.

        ``closest`` is the embedding cosine of the article's nearest member of the story: a share
        ``W_CLOSEST`` of the embedding part is that cosine when it beats the centroid's.
        """
        norm = float(np.linalg.norm(story.embedding))
        w_embed, w_tfidf, w_entity, offset = _weights(feats.words)
        centroid = float(feats.embedding @ story.embedding) / norm if norm else 0.0
        embedding = centroid + W_CLOSEST * max(0.0, closest - centroid)
        parts = [(w_embed, embedding)]
        parts.append((w_tfidf, story.terms.cosine(vector, vnorm2)))
        if ents and story.entities.norm2 > 0:
            parts.append((w_entity, story.entities.cosine(ents, float(len(ents)))))
        total = sum(w for w, _ in parts)
        score = sum(w * v for w, v in parts) / total + offset
        gap = story.gap(feats.days)
        return score - TIME_WEIGHT * max(0.0, gap - 1.0) / self.window

    def _story_similarity(self, a: _Story, b: _Story, words: int = 0) -> float:
        """Similarity of two stories' centroids (embedding and TF-IDF), less the time penalty.

        ``words`` (of the article that bridges them) picks the weights, as in :meth:`_score`.
        """
        na, nb = float(np.linalg.norm(a.embedding)), float(np.linalg.norm(b.embedding))
        emb = float(a.embedding @ b.embedding) / (na * nb) if na and nb else 0.0
        tfidf = a.terms.cosine(b.terms.weights, b.terms.norm2)
        w_embed, w_tfidf, _, offset = _weights(words)
        score = (w_embed * emb + w_tfidf * tfidf) / (w_embed + w_tfidf) + offset
        gap = 0.0
        if a.first is not None and b.first is not None and a.last is not None and b.last is not None:
            gap = max(0.0, a.first - b.last, b.first - a.last)
        return score - TIME_WEIGHT * max(0.0, gap - 1.0) / self.window

    def _merge(self, a: _Story, b: _Story) -> tuple[_Story, str]:
        """Merge two stories: the larger (else older) keeps its id; return it and the gone id."""
        keep, gone = (a, b) if (len(a.articles), -a.created) >= (len(b.articles), -b.created) else (b, a)
        keep.articles.extend(gone.articles)
        keep.embedding += gone.embedding
        keep.terms.add(gone.terms.weights, gone.terms.norm2)
        keep.entities.add(gone.entities.weights, gone.entities.norm2)
        keep.add_time(gone.first)
        keep.add_time(gone.last)
        keep.headlines.extend(gone.headlines[: max(0, TITLE_CANDIDATES - len(keep.headlines))])
        keep.created = min(keep.created, gone.created)
        del self._stories[gone.id]
        self._redirects[gone.id] = keep.id
        log.debug("merged story %s into %s", gone.id, keep.id)
        return keep, gone.id

    def _tfidf(self, terms: dict[str, float]) -> dict[str, float]:
        """Unit TF-IDF vector of an article with the document frequencies seen so far."""
        n = self._documents
        vector = {t: tf * (math.log((1.0 + n) / (1.0 + self._df.get(t, 0))) + 1.0) for t, tf in terms.items()}
        norm = math.sqrt(sum(w * w for w in vector.values()))
        return {t: w / norm for t, w in vector.items()} if norm else {}

    def _resolve(self, story_id: str) -> str:
        """Follow merge redirects to the live story id (compressing the path)."""
        path = []
        while story_id in self._redirects:
            path.append(story_id)
            story_id = self._redirects[story_id]
        for old in path:
            self._redirects[old] = story_id
        return story_id

    # --- index ---------------------------------------------------------------------------------

    def _new_index(self) -> Any:
        """An exact inner-product index keyed by article sequence number."""
        import faiss

        return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dimension))

    def _evict(self) -> None:
        """Drop articles that can no longer be candidates (too old, or undated and far back)."""
        horizon = CANDIDATE_WINDOWS * self.window
        drop = [
            seq
            for seq in self._active
            if (self._seq_days[seq] is None and seq < self._seq - UNDATED_SPAN)
            or (
                self._seq_days[seq] is not None
                and self._latest is not None
                and self._seq_days[seq] < self._latest - horizon
            )
        ]
        if not drop:
            return
        for seq in drop:
            del self._active[seq]
        self._index.remove_ids(np.array(drop, dtype=np.int64))
        self._evicted = True
        log.debug("evicted %d articles from the story index (%d left)", len(drop), len(self._active))

    def _retire(self) -> None:
        """Forget the stories none of whose articles is in the index: no article can reach them.

        Their public view stays available through :meth:`story` until the next call, so that the
        caller can store what this call changed.
        """
        if not self._evicted:
            return
        self._evicted = False
        reachable = {self._resolve(self._seq_story[seq]) for seq in self._active}
        closed = [story for sid, story in self._stories.items() if sid not in reachable]
        for story in closed:
            self._retired[story.id] = self._story(story)
            del self._stories[story.id]
            for article_id in story.articles:
                self._article_story.pop(article_id, None)
        if closed:
            log.debug("retired %d stories (%d open)", len(closed), len(self._stories))

    # --- output --------------------------------------------------------------------------------

    def _story(self, story: _Story) -> Story:
        """The public view of a story: most representative headline and keywords."""
        norm = float(np.linalg.norm(story.embedding))
        centroid = story.embedding / norm if norm else story.embedding
        title = max(
            story.headlines, key=lambda h: float(h[1].astype(np.float32) @ centroid), default=("", None)
        )[0]
        top = sorted(story.terms.weights.items(), key=lambda kv: (-kv[1], kv[0]))[:KEYWORDS]
        return Story(
            id=story.id, title=title, article_ids=tuple(story.articles), keywords=tuple(t for t, _ in top)
        )

    # --- state ---------------------------------------------------------------------------------

    def state(self) -> bytes:
        """Serialise the grouper (JSON and NumPy arrays in an .npz; no pickle)."""
        stories = list(self._stories.values())
        header = {
            "version": STATE_VERSION,
            "embedder": {"name": self.model, "dimension": self.dimension},
            "documents": self._documents,
            "seq": self._seq,
            "latest": self._latest,
            "df": self._df,
            "redirects": self._redirects,
            "article_story": self._article_story,
            "active": list(self._active),
            "active_story": [self._seq_story[seq] for seq in self._active],
            "active_days": [self._seq_days[seq] for seq in self._active],
            "stories": [
                {
                    "id": s.id,
                    "created": s.created,
                    "articles": s.articles,
                    "terms": s.terms.weights,
                    "terms_norm2": s.terms.norm2,
                    "entities": s.entities.weights,
                    "entities_norm2": s.entities.norm2,
                    "first": s.first,
                    "last": s.last,
                    "headlines": [h for h, _ in s.headlines],
                }
                for s in stories
            ],
        }
        arrays = {
            "header": np.frombuffer(
                json.dumps(header, separators=(",", ":")).encode("utf-8"), dtype=np.uint8
            ),
            "story_embeddings": np.stack([s.embedding for s in stories])
            if stories
            else np.zeros((0, self.dimension), np.float32),
            "headline_embeddings": np.stack([e for s in stories for _, e in s.headlines])
            if any(s.headlines for s in stories)
            else np.zeros((0, self.dimension), np.float16),
            "active_embeddings": np.stack(list(self._active.values()))
            if self._active
            else np.zeros((0, self.dimension), np.float32),
        }
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_state(cls, data: bytes, settings: Settings, embedder: Embedder | None = None) -> StoryGrouper:
        """Rebuild a grouper saved by :meth:`state`.

        Raises :class:`EmbedderMismatch` when the state's vectors were made by another embedder
        (name or dimension) than the one these settings use: mixing them would group by noise.
        States saved before the embedder was recorded (versions 1 and 2) are taken as they come.
        """
        grouper = cls(settings, embedder)
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            header = json.loads(arrays["header"].tobytes().decode("utf-8"))
            if header.get("version") not in (1, 2, STATE_VERSION):
                raise ValueError(f"unsupported story grouper state version {header.get('version')!r}")
            saved = header.get("embedder")
            if saved is not None and (saved.get("name"), saved.get("dimension")) != (grouper.model, grouper.dimension):
                raise EmbedderMismatch(
                    f"the stored story groups were made with the embedder {saved.get('name')!r} "
                    f"({saved.get('dimension')} dimensions), but this run uses {grouper.model!r} "
                    f"({grouper.dimension} dimensions): use the same embedder (and the same 'embeddings' "
                    "setting) as the database was built with, or build a new database"
                )
            story_vectors = arrays["story_embeddings"]
            headline_vectors = arrays["headline_embeddings"]
            active_vectors = arrays["active_embeddings"]
        grouper._documents = header["documents"]
        grouper._seq = header["seq"]
        grouper._latest = header["latest"]
        grouper._df = {k: int(v) for k, v in header["df"].items()}
        grouper._redirects = dict(header["redirects"])
        grouper._article_story = dict(header["article_story"])
        if header["version"] == 1:  # whole per-article lists
            grouper._seq_story = list(header["seq_story"])
            grouper._seq_days = list(header["seq_days"])
        else:  # only the indexed articles' entries are needed (older ones are never read)
            grouper._seq_story = [""] * grouper._seq
            grouper._seq_days = [None] * grouper._seq
            for seq, sid, days in zip(header["active"], header["active_story"], header["active_days"]):
                grouper._seq_story[int(seq)] = sid
                grouper._seq_days[int(seq)] = days
        h = 0
        for row, s in enumerate(header["stories"]):
            count = len(s["headlines"])
            story = _Story(
                s["id"],
                s["created"],
                list(s["articles"]),
                story_vectors[row].astype(np.float32).copy(),
                _Sparse(dict(s["terms"]), float(s["terms_norm2"])),
                _Sparse(dict(s["entities"]), float(s["entities_norm2"])),
                s["first"],
                s["last"],
                [(text, headline_vectors[h + i]) for i, text in enumerate(s["headlines"])],
            )
            h += count
            grouper._stories[story.id] = story
        seqs = [int(x) for x in header["active"]]
        for seq, vector in zip(seqs, active_vectors):
            grouper._active[seq] = vector.astype(np.float32).copy()
        if seqs:
            grouper._index.add_with_ids(active_vectors.astype(np.float32), np.array(seqs, dtype=np.int64))
        return grouper
