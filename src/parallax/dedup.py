"""Syndicated and near-duplicate copies: one article seen on several sites.

An article is a copy when its normalised body text hashes the same as an earlier one, or when
MinHash LSH over word shingles finds an earlier article whose estimated resemblance (Jaccard)
reaches ``settings.dedup_threshold``, whose containment (the share of the shorter text's shingles
found in the other) shows a trimmed copy, or whose mean of both shows a lightly edited copy. Headlines are ignored: syndication edits them. A copy of a
copy points to the first canonical article. Coverage of the same event by different outlets is
not a copy: that is what stories group.

Only articles published within ``settings.dedup_window_days`` of the newest one seen are kept as
candidates (undated ones for ``UNDATED_SPAN`` later articles), so memory and the saved state follow
the recent articles, not all ever seen; the store keeps every article and its copies.

>>> from parallax.models import Article
>>> from parallax.settings import load
>>> dedup = Deduplicator(load())
>>> first = dedup.add(Article.create(source="a", text="Rain fell on the city all night long. " * 5))
>>> dedup.add(Article.create(source="b", text="RAIN fell on the city, all night long! " * 5)).duplicate_of == first.id
True
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from .models import Article, epoch_days
from .settings import Settings

log = logging.getLogger(__name__)

#: LSH retrieves candidates down to this estimated Jaccard similarity; each is then verified.
CANDIDATE_JACCARD = 0.3
#: An edited copy (reworded sentences, cuts, boilerplate) is accepted when the mean of its Jaccard
#: similarity and containment reaches this. Chosen on synthetic AEB copies against distinct
#: Multi-News articles of one story (bench/eval_dedup.py); proposed as a setting.
EDITED_COPY_SCORE = 0.46
#: Texts with fewer shingles than this are only matched by their exact hash.
MIN_SHINGLES = 8
#: Old articles are dropped from the index every this many articles.
EVICT_EVERY = 1024
#: Undated articles stay candidates for this many later articles.
UNDATED_SPAN = 200_000
STATE_VERSION = 2  # 2: per-article date, sequence and owned exact hash, for the window
_SEED = 1
_SCHEME = "affine32"
_WORD = re.compile(r"\w+")


def normalise(text: str) -> list[str]:
    """Lower-cased NFKC word tokens of a text (punctuation and spacing dropped)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(words: list[str], size: int) -> set[bytes]:
    """The distinct ``size``-word shingles of a token list (one shingle when shorter)."""
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@dataclass(frozen=True, slots=True)
class Match:
    """The best earlier article found for a text, with its estimated similarity."""

    article_id: str
    jaccard: float
    containment: float


class Fingerprint(NamedTuple):
    """An article's normalised-text hash, MinHash signature (None when too short) and shingle count."""

    digest: str
    signature: np.ndarray | None
    size: int


@lru_cache(maxsize=8)
def _lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """datasketch's optimal (bands, rows) for the threshold: computed once (0.2 s of numerical
    integration that ``MinHashLSH(threshold=...)`` would redo for every index built)."""
    from datasketch.lsh import _optimal_param

    return _optimal_param(threshold, num_perm, 0.5, 0.5)


class Deduplicator:
    """Marks syndicated and near copies among articles fed one at a time.

    >>> from parallax.settings import load
    >>> Deduplicator(load()).state()[:1]
    b'{'
    """

    def __init__(self, settings: Settings) -> None:
        self.threshold = float(settings.dedup_threshold)
        self.num_perm = int(settings.dedup_num_perm)
        self.shingle = int(settings.dedup_shingle)
        self._template = MinHash(num_perm=self.num_perm, seed=_SEED, scheme=_SCHEME)
        self._lsh = MinHashLSH(num_perm=self.num_perm, params=_lsh_bands(min(self.threshold, CANDIDATE_JACCARD), self.num_perm))
        self._answers: dict[str, str | None] = {}  # article id -> canonical id (None: canonical)
        self._exact: dict[str, str] = {}  # hash of normalised text -> canonical id
        self._signatures: dict[str, np.ndarray] = {}
        self._sizes: dict[str, int] = {}
        self.window = float(settings.dedup_window_days)
        self._seen: dict[str, tuple[float | None, int, str | None]] = {}  # id -> (days, seq, owned exact hash)
        self._seq = 0
        self._latest: float | None = None

    def __len__(self) -> int:
        return len(self._answers)

    def fingerprint(self, article: Article) -> Fingerprint:
        """What :meth:`add` needs of an article's text, computed apart (e.g. before a write lock)."""
        words = normalise(article.text)
        digest = hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
        grams = shingles(words, self.shingle)
        signature = self._signature(grams) if len(grams) >= MIN_SHINGLES else None
        return Fingerprint(digest, signature, len(grams))

    def known_ids(self) -> list[str]:
        """The article ids this index has an answer for (within its window)."""
        return list(self._answers)

    def add(self, article: Article, fingerprint: Fingerprint | None = None) -> Article:
        """Return the article with ``duplicate_of`` set to its canonical article's id, or None."""
        if article.id in self._answers:
            return article.with_duplicate_of(self._answers[article.id])
        digest, signature, size = fingerprint or self.fingerprint(article)
        canonical = self._exact.get(digest)
        if canonical is None and signature is not None:
            match = self.best_match(signature, size)
            if match is not None:
                canonical = self._answers[match.article_id] or match.article_id
                log.debug("%s is a copy of %s (%s)", article.id, canonical, match)
        self._answers[article.id] = canonical
        owned = digest if digest not in self._exact else None
        self._exact.setdefault(digest, canonical or article.id)
        if signature is not None:
            self._remember(article.id, signature, size)
        days = epoch_days(article.published)
        self._seen[article.id] = (days, self._seq, owned)
        self._seq += 1
        if days is not None:
            self._latest = days if self._latest is None else max(self._latest, days)
        if self._seq % EVICT_EVERY == 0:
            self._evict()
        return article.with_duplicate_of(canonical)

    def _evict(self) -> None:
        """Forget articles published more than the window before the newest (undated: long ago)."""
        horizon = None if self.window <= 0 or self._latest is None else self._latest - self.window
        drop = [
            key
            for key, (days, seq, _) in self._seen.items()
            if (days is None and seq < self._seq - UNDATED_SPAN)
            or (days is not None and horizon is not None and days < horizon)
        ]
        for key in drop:
            _, _, owned = self._seen.pop(key)
            self._answers.pop(key, None)
            if owned is not None:
                self._exact.pop(owned, None)
            if self._signatures.pop(key, None) is not None:
                del self._sizes[key]
                self._lsh.remove(key)
        if drop:
            log.debug("dropped %d old articles from the copy index (%d left)", len(drop), len(self._seen))

    def best_match(self, signature: np.ndarray, size: int) -> Match | None:
        """The most similar earlier article at or above the threshold, if any."""
        best: Match | None = None
        for key in self._lsh.query(LeanMinHash(seed=_SEED, hashvalues=signature, scheme=_SCHEME)):
            other = self._signatures[key]
            jaccard = float(np.mean(other == signature))
            other_size = self._sizes[key]
            common = jaccard * (size + other_size) / (1.0 + jaccard)
            containment = min(1.0, common / max(1, min(size, other_size)))
            if not self.is_copy(jaccard, containment):
                continue
            if best is None or (containment, jaccard) > (best.containment, best.jaccard):
                best = Match(key, jaccard, containment)
        return best

    def is_copy(self, jaccard: float, containment: float) -> bool:
        """The copy rule: near-identical, trimmed (contained), or lightly edited."""
        return (
            jaccard >= self.threshold
            or containment >= max(self.threshold, 0.9)
            or (jaccard + containment) / 2 >= EDITED_COPY_SCORE
        )

    def _signature(self, grams: set[bytes]) -> np.ndarray:
        """The MinHash signature (uint32 hash values) of a shingle set."""
        minhash = MinHash(
            num_perm=self.num_perm, seed=_SEED, permutations=self._template.permutations, scheme=_SCHEME
        )
        minhash.update_batch(list(grams))
        return minhash.hashvalues.astype(np.uint32)

    def _remember(self, article_id: str, signature: np.ndarray, size: int) -> None:
        """Index an article's signature for later queries."""
        self._signatures[article_id] = signature
        self._sizes[article_id] = size
        self._lsh.insert(
            article_id, LeanMinHash(seed=_SEED, hashvalues=signature, scheme=_SCHEME), check_duplication=False
        )

    def state(self) -> bytes:
        """Serialise the index (JSON header, then the signatures as a NumPy array; no pickle)."""
        ids = list(self._signatures)
        header = {
            "version": STATE_VERSION,
            "num_perm": self.num_perm,
            "shingle": self.shingle,
            "answers": self._answers,
            "exact": self._exact,
            "seq": self._seq,
            "latest": self._latest,
            "seen": self._seen,
            "indexed": ids,
            "sizes": [self._sizes[i] for i in ids],
        }
        matrix = (
            np.stack([self._signatures[i] for i in ids]) if ids else np.zeros((0, self.num_perm), np.uint32)
        )
        buffer = io.BytesIO()
        np.save(buffer, matrix.astype(np.uint32), allow_pickle=False)
        return json.dumps(header, separators=(",", ":")).encode("utf-8") + b"\n" + buffer.getvalue()

    @classmethod
    def from_state(cls, data: bytes, settings: Settings) -> Deduplicator:
        """Rebuild a deduplicator saved by :meth:`state` (settings must keep num_perm and shingle)."""
        head, _, body = data.partition(b"\n")
        header = json.loads(head.decode("utf-8"))
        dedup = cls(settings)
        if header.get("version") not in (1, STATE_VERSION):
            raise ValueError(f"unsupported deduplicator state version {header.get('version')!r}")
        if header["num_perm"] != dedup.num_perm or header["shingle"] != dedup.shingle:
            raise ValueError(
                "deduplicator state was built with num_perm={num_perm}, shingle={shingle}; "
                "the settings differ (rebuild the database to change them)".format(**header)
            )
        matrix = np.load(io.BytesIO(body), allow_pickle=False)
        dedup._answers = dict(header["answers"])
        dedup._exact = dict(header["exact"])
        if header["version"] >= 2:
            dedup._seq = int(header["seq"])
            dedup._latest = header["latest"]
            dedup._seen = {k: (v[0], int(v[1]), v[2]) for k, v in header["seen"].items()}
        else:  # version 1 kept no dates: treat what it holds as undated, older than anything new
            dedup._seen = {k: (None, 0, None) for k in dedup._answers}
        for key, size, row in zip(header["indexed"], header["sizes"], matrix):
            dedup._remember(key, np.ascontiguousarray(row, dtype=np.uint32), int(size))
        return dedup
