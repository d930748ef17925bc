"""Each article analysed once: the per-article analysis of synthesis, stored with the article.

An article's analysis is what synthesis computes of it whatever story it is in: its sentences, their
MiniLM embeddings, its entity mentions, quotes, figures and dates (``analysis._Parts``) and the
reporting phrases read from the dependency parse of its candidate sentences (who a sentence
reports, for claims). It is computed once, when the article is featurised (outside the write
transaction), stored with the article in that batch's write (``article_analysis``, migration 005),
and every later synthesis of the article's story, in this process, another process or on a Dask
worker, reads it instead of running pysbd, spaCy and MiniLM again.

The stored form is no pickle: a zlib-compressed JSON header (the parts as lists, the field names of
each record type) and the sentence vectors as raw little-endian float32 rows (float32, not float16:
the syntheses stay identical to those computed from fresh vectors). Each analysis records the
analysing code's :func:`analysis_version` (a hash of the text-analysis sources, their data files and
the models' names): an analysis made by other code is not used (the article is analysed again).

>>> from parallax.models import Article
>>> a = Article.create(source="a", text="The mayor said on Monday that 40 homes were flooded in Leeds.")
>>> version, embedder, blob = encode(a, analyse_articles([a], embeddings=False)[0])
>>> decode(a, blob).parts == analyse_articles([a], embeddings=False)[0].parts
True
"""

from __future__ import annotations

import hashlib
import json
import logging
import struct
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..models import Article
from ..text.dates import DateMention
from ..text.entities import Mention
from ..text.figures import FigureSpan
from ..text.quotes import QuoteSpan
from . import analysis as _analysis
from .analysis import _article_parts, _cache_lock, _embed, _Parts, _parts_cache, _vector_cache

log = logging.getLogger(__name__)

MAGIC = b"PXA1"
#: The record types of a ``_Parts`` with the attribute holding each.
RECORDS: tuple[tuple[str, type], ...] = (
    ("mentions", Mention), ("quotes", QuoteSpan), ("figures", FigureSpan), ("dates", DateMention),
)
#: What the analysis depends on besides the models: every source and data file under these
#: (relative to the ``parallax`` package) goes into :func:`analysis_version`.
ANALYSING_CODE = ("text", "data", "synthesis/analysis.py", "synthesis/stored.py")


@lru_cache(maxsize=1)
def analysis_version() -> str:
    """A short hash naming the analysing code: its sources and data files and the spaCy model."""
    from ..text.entities import MODEL_PROVENANCE

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(MODEL_PROVENANCE.encode())
    for part in ANALYSING_CODE:
        path = root / part
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix in (".pyc", ".pyo") or "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """What synthesis computes of one article, whatever story it is in."""

    parts: _Parts
    vectors: np.ndarray | None  # one float32 row per sentence of ``parts.sentences``
    embedder: str | None  # the name of the embedder that made ``vectors``
    reported: tuple[tuple[str, tuple[int, str, bool] | None], ...]  # candidate sentence -> its reporting phrase


def _reported_cache() -> dict[str, Any]:
    from ..text.quotes import sieves

    return sieves._REPORTED


def analyse_articles(articles: Sequence[Article], *, embeddings: bool = True) -> list[ArticleAnalysis]:
    """The analysis of each article (from this process's caches where it was made already)."""
    from ..text.embed import default_embedder
    from ..text.quotes import prime_reporters

    if not articles:
        return []
    parts = _article_parts(articles)
    texts = [[row[1] for row in p.sentences] for p in parts]
    vectors: list[np.ndarray | None] = [None] * len(parts)
    name = None
    if embeddings:
        every = [t for group in texts for t in group]
        found = _embed(every)
        if found is not None:
            name = default_embedder().name
            at = 0
            for k, group in enumerate(texts):
                vectors[k] = found[at : at + len(group)]
                at += len(group)
    candidates = [[row[1] for row in p.sentences if row[5]] for p in parts]
    prime_reporters([t for group in candidates for t in group])  # the sentences claims asks about
    reported = _reported_cache()
    return [
        ArticleAnalysis(p, vectors[k], name if vectors[k] is not None else None,
                        tuple((t, reported[t]) for t in dict.fromkeys(candidates[k]) if t in reported))
        for k, p in enumerate(parts)
    ]


def _when(article: Article) -> str | None:
    return article.published.isoformat() if article.published else None


def encode(article: Article, analysis: ArticleAnalysis) -> tuple[str, str | None, bytes]:
    """``(version, embedder, blob)`` as the store keeps them."""
    parts = analysis.parts
    header = {
        "published": _when(article),
        "fields": {attr: [f.name for f in fields(cls)] for attr, cls in RECORDS},
        "sentences": [list(row) for row in parts.sentences],
        **{attr: [[getattr(r, f.name) for f in fields(cls)] for r in getattr(parts, attr)] for attr, cls in RECORDS},
        "reported": [[t, list(found) if found is not None else None] for t, found in analysis.reported],
        "embedder": analysis.embedder,
        "rows": 0 if analysis.vectors is None else int(analysis.vectors.shape[0]),
        "dimension": 0 if analysis.vectors is None else int(analysis.vectors.shape[1]),
    }
    packed = zlib.compress(json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)
    body = b"" if analysis.vectors is None else np.ascontiguousarray(analysis.vectors, dtype="<f4").tobytes()
    return analysis_version(), analysis.embedder, MAGIC + struct.pack("<I", len(packed)) + packed + body


def decode(article: Article, blob: bytes) -> ArticleAnalysis | None:
    """The analysis stored for ``article``, or None when it cannot be used (another format or date)."""
    try:
        if blob[:4] != MAGIC:
            return None
        (size,) = struct.unpack("<I", blob[4:8])
        header = json.loads(zlib.decompress(blob[8 : 8 + size]).decode("utf-8"))
        if header["published"] != _when(article):
            return None  # dates are read relative to the publication date
        records = {}
        for attr, cls in RECORDS:
            names = [f.name for f in fields(cls)]
            if header["fields"][attr] != names:
                return None  # the record type changed since
            records[attr] = tuple(cls(*row) for row in header[attr])
        parts = _Parts(tuple(tuple(row) for row in header["sentences"]), **records)  # type: ignore[arg-type]
        vectors = None
        if header["rows"]:
            vectors = np.frombuffer(blob[8 + size :], dtype="<f4").reshape(header["rows"], header["dimension"])
            vectors = vectors.astype(np.float32)
            if vectors.shape[0] != len(parts.sentences):
                return None
        reported = tuple((t, tuple(found) if found is not None else None) for t, found in header["reported"])
        return ArticleAnalysis(parts, vectors, header["embedder"], reported)  # type: ignore[arg-type]
    except (ValueError, KeyError, TypeError, zlib.error, struct.error) as error:
        log.warning("stored analysis of article %s unreadable (%s): analysed again", article.id, error)
        return None


def cached(article: Article, *, embeddings: bool = True) -> bool:
    """Whether this process holds the article's analysis already (with its sentence vectors when
    ``embeddings``)."""
    from ..text.embed import default_embedder

    name = default_embedder().name
    with _cache_lock:
        parts = _parts_cache.get((article.text, article.published))
        if parts is None:
            return False
        return not embeddings or all((name, row[1]) in _vector_cache for row in parts.sentences)


def seed(article: Article, analysis: ArticleAnalysis) -> None:
    """Put a stored analysis in this process's caches, where synthesis looks first."""
    from ..text.embed import default_embedder

    key = (article.text, article.published)
    embedder = default_embedder().name
    reported = _reported_cache()
    with _cache_lock:
        _parts_cache[key] = analysis.parts
        _parts_cache.move_to_end(key)
        while len(_parts_cache) > _analysis.ARTICLE_CACHE:
            _parts_cache.popitem(last=False)
        if analysis.vectors is not None and analysis.embedder == embedder:
            for row, vector in zip(analysis.parts.sentences, analysis.vectors):
                _vector_cache[(embedder, row[1])] = vector
            while len(_vector_cache) > _analysis.EMBED_CACHE:
                _vector_cache.popitem(last=False)
    for sentence, found in analysis.reported:
        reported.setdefault(sentence, found)


def seed_blobs(articles: Sequence[Article], blobs: Mapping[str, bytes]) -> set[str]:
    """Seed the caches with the stored analyses of these articles; the ids seeded."""
    done = set()
    for article in articles:
        blob = blobs.get(article.id)
        if blob is None:
            continue
        found = decode(article, blob)
        if found is not None:
            seed(article, found)
            done.add(article.id)
    return done


def encode_many(articles: Sequence[Article], *, embeddings: bool = True) -> dict[str, tuple[str, str | None, bytes]]:
    """``article id -> (version, embedder, blob)`` of these articles, analysed now or found in the caches."""
    return {a.id: encode(a, found) for a, found in zip(articles, analyse_articles(articles, embeddings=embeddings))}


def load_stored(store: Any, articles: Sequence[Article], *, embeddings: bool = True) -> list[Article]:
    """Seed the caches from ``store`` with the analyses of the articles this process lacks; the
    articles still without one (synthesis analyses them; the caller may store them afterwards)."""
    unknown = [a for a in articles if not cached(a, embeddings=embeddings)]
    if not unknown:
        return []
    seeded = seed_blobs(unknown, store.analyses([a.id for a in unknown], version=analysis_version()))
    return [a for a in unknown if a.id not in seeded]


def clear_caches() -> None:
    """Forget every analysis this process holds (tests and benchmarks: a cold process)."""
    with _cache_lock:
        _parts_cache.clear()
        _vector_cache.clear()
    _reported_cache().clear()


__all__ = ["ArticleAnalysis", "analyse_articles", "analysis_version", "cached", "clear_caches", "decode", "encode",
           "encode_many", "load_stored", "seed", "seed_blobs"]
