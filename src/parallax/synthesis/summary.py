"""Extractive multi-document summary: centrality, cross-outlet support, lead position, then a
greedy choice that covers the word pairs (bigrams) most articles share, with redundancy control."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import pairwise

import numpy as np

from ..models import Claim, SummarySentence
from .analysis import StoryText

# Weights of the sentence score, tuned on clusters 0-124 of the Multi-News sample (bench/eval_synthesis.py).
W_CENTROID = 1.0
W_SUPPORT = 0.6
W_POSITION = 0.3
W_COVERAGE = 0.5  # weight of the bigrams a sentence newly covers, against its (0-1 scaled) score
COVERAGE_LENGTH = 0.5  # the coverage gain is divided by (words ** this): long sentences pay for their length
REDUNDANCY = 0.55  # a sentence this similar to one already chosen is skipped
SUPPORT_SIM = 0.5  # similarity at which another outlet's sentence counts as reporting the same fact
SAME_FACT_WORDS = 0.7  # a sentence whose content words are this much inside a chosen one's repeats its fact
_TOKEN = re.compile(r"[a-z0-9]+")


def score_units(story: StoryText) -> np.ndarray:
    """A salience score per unit (higher is better); non-candidates get -inf."""
    n = len(story.units)
    if n == 0:
        return np.zeros(0)
    vectors = story.vectors
    centroid = vectors.mean(axis=0)
    norm = float(np.linalg.norm(centroid))
    centroid_sim = vectors @ (centroid / norm) if norm > 0 else np.zeros(n)
    outlet_ids = {o: k for k, o in enumerate(sorted(set(story.outlets.values())))}
    outlet_of = np.array([outlet_ids[story.outlet_of_unit(u)] for u in story.units])
    outlets = sorted(set(outlet_of.tolist()))
    support = np.zeros(n)
    if len(outlets) > 1:
        sims = story.similarities()
        for o in outlets:
            mask = outlet_of == o
            best = sims[:, mask].max(axis=1)
            best[mask] = 0.0
            support += best
        support /= len(outlets) - 1
    position = np.array([1.0 / (1.0 + u.index) ** 0.5 for u in story.units])
    score = W_CENTROID * centroid_sim + W_SUPPORT * support + W_POSITION * position
    candidate = np.array([u.candidate for u in story.units])
    return np.where(candidate, score, -np.inf)


def _bigrams(text: str) -> set[tuple[str, str]]:
    """Lower-case word pairs of ``text``, without pairs of two stop words."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as stop

    words = _TOKEN.findall(text.lower())
    return {(a, b) for a, b in pairwise(words) if not (a in stop and b in stop)}


def _bigram_weights(story: StoryText, grams: list[set[tuple[str, str]]]) -> dict[tuple[str, str], int]:
    """Each bigram's weight: the number of articles using it (of one article: of its sentences); >= 2 only."""
    by_article: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for unit, g in zip(story.units, grams):
        by_article[unit.article] |= g
    if len(by_article) >= 2:
        counts = Counter(b for g in by_article.values() for b in g)
    else:
        counts = Counter(b for g in grams for b in g)
    return {b: c for b, c in counts.items() if c >= 2}


def _content(text: str) -> set[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as stop

    return {w for w in _TOKEN.findall(text.lower()) if w not in stop and len(w) > 2}


def same_fact(story: StoryText, i: int, j: int, words: dict[int, set[str]] | None = None) -> bool:
    """Whether units ``i`` and ``j`` state one fact: alike beyond :data:`REDUNDANCY`, or the content
    words of one (at least four) lie mostly (:data:`SAME_FACT_WORDS`) inside the other's, or, from two
    outlets, alike beyond :data:`SUPPORT_SIM` with the same numbers."""
    if story.units[i].text == story.units[j].text or story.sim(i, j) > REDUNDANCY:
        return True
    a = words[i] if words and i in words else _content(story.units[i].text)
    b = words[j] if words and j in words else _content(story.units[j].text)
    small = min(len(a), len(b))
    if small >= 4 and len(a & b) >= SAME_FACT_WORDS * small:
        return True
    numbers_a = {w for w in a if w[0].isdigit()}
    return bool(numbers_a) and numbers_a == {w for w in b if w[0].isdigit()} and story.sim(i, j) > SUPPORT_SIM


def contest_units(story: StoryText, claims: tuple[Claim, ...]) -> list[int]:
    """The units of the story's first contested claim that a summary must carry: its first assertion
    and its first dispute (none when no claim is contested or a side has no unit)."""
    for claim in claims:
        if claim.status != "contested":
            continue
        sides = []
        for stance in ("asserts", "disputes"):
            text = next((p.text for p in claim.positions if p.stance == stance), None)
            unit = next((i for i, u in enumerate(story.units) if text is not None and u.text == text), None)
            sides.append(unit)
        if None not in sides:
            return [i for i in sides if i is not None]
    return []


def summarize(
    story: StoryText, summary_words: int, scores: np.ndarray | None = None, claims: tuple[Claim, ...] = ()
) -> tuple[SummarySentence, ...]:
    """Pick sentences greedily (score plus new shared bigrams) until ``summary_words``, in reading order;
    the first contested claim of ``claims`` and a dispute of it come first, and no sentence repeats the
    fact of one already chosen (:func:`same_fact`)."""
    if not story.units or summary_words <= 0:
        return ()
    scores = score_units(story) if scores is None else scores
    pool = [int(i) for i in np.nonzero(np.isfinite(scores))[0]]
    if not pool:
        return ()
    static = np.zeros(len(story.units))
    low, high = float(scores[pool].min()), float(scores[pool].max())
    static[pool] = (scores[pool] - low) / (high - low + 1e-9)
    every = [_bigrams(u.text) for u in story.units]  # weights count every sentence, not only candidates
    grams = {i: every[i] for i in pool}
    weights = _bigram_weights(story, every)
    covered: set[tuple[str, str]] = set()
    chosen: list[int] = []
    total = 0
    seen_texts: set[str] = set()
    content: dict[int, set[str]] = {}
    for i in contest_units(story, claims):
        chosen.append(i)
        if i in pool:
            pool.remove(i)
        seen_texts.add(story.units[i].text)
        covered |= every[i]
        total += story.units[i].words
        content[i] = _content(story.units[i].text)
    while pool and total < summary_words:
        gains = np.array(
            [sum(weights.get(b, 0) for b in grams[i] - covered) / max(story.units[i].words, 1) ** COVERAGE_LENGTH for i in pool]
        )
        if gains.max() > 0:
            gains /= gains.max()
        value = static[pool] + W_COVERAGE * gains
        pick = None
        for k in np.argsort(-value, kind="stable"):
            i = pool[int(k)]
            unit = story.units[i]
            if unit.text in seen_texts or (chosen and max(story.sim(i, j) for j in chosen) > REDUNDANCY):
                continue
            if i not in content:
                content[i] = _content(unit.text)
            if any(same_fact(story, i, j, content) for j in chosen):
                continue  # one fact from two outlets is said once
            if total and total + unit.words > summary_words and (total + unit.words - summary_words) > (
                summary_words - total
            ):
                continue  # adding it would overshoot by more than it would fill
            pick = i
            break
        if pick is None:
            break
        chosen.append(pick)
        pool.remove(pick)
        seen_texts.add(story.units[pick].text)
        covered |= grams[pick]
        total += story.units[pick].words
    chosen.sort(key=lambda i: (story.units[i].index, story.units[i].article))
    return tuple(SummarySentence(story.units[i].text, story.cite(story.units[i].text)) for i in chosen)
