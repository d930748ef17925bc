"""Extractive multi-document summary: centrality, cross-outlet support, lead position, MMR."""

from __future__ import annotations

import numpy as np

from ..models import SummarySentence
from .analysis import StoryText

# Weights of the sentence score, tuned on clusters 0-124 of the Multi-News sample (bench/eval_synthesis.py).
W_CENTROID = 1.0
W_SUPPORT = 0.6
W_POSITION = 0.3
REDUNDANCY = 0.55  # a sentence this similar to one already chosen is skipped
SUPPORT_SIM = 0.5  # similarity at which another outlet's sentence counts as reporting the same fact


def score_units(story: StoryText) -> np.ndarray:
    """A salience score per unit (higher is better); non-candidates get -inf."""
    n = len(story.units)
    if n == 0:
        return np.zeros(0)
    vectors = story.vectors
    centroid = vectors.mean(axis=0)
    norm = float(np.linalg.norm(centroid))
    centroid_sim = vectors @ (centroid / norm) if norm > 0 else np.zeros(n)
    sims = vectors @ vectors.T
    outlet_ids = {o: k for k, o in enumerate(sorted(set(story.outlets.values())))}
    outlet_of = np.array([outlet_ids[story.outlet_of_unit(u)] for u in story.units])
    n_outlets = len(set(outlet_of.tolist()))
    support = np.zeros(n)
    if n_outlets > 1:
        for o in set(outlet_of.tolist()):
            mask = outlet_of == o
            best = sims[:, mask].max(axis=1)
            best[mask] = 0.0
            support += best
        support /= n_outlets - 1
    position = np.array([1.0 / (1.0 + u.index) ** 0.5 for u in story.units])
    score = W_CENTROID * centroid_sim + W_SUPPORT * support + W_POSITION * position
    candidate = np.array([u.candidate for u in story.units])
    return np.where(candidate, score, -np.inf)


def summarize(story: StoryText, summary_words: int, scores: np.ndarray | None = None) -> tuple[SummarySentence, ...]:
    """Pick sentences by score with redundancy control until ``summary_words``, in reading order."""
    if not story.units or summary_words <= 0:
        return ()
    scores = score_units(story) if scores is None else scores
    order = [int(i) for i in np.argsort(-scores) if np.isfinite(scores[i])]
    chosen: list[int] = []
    total = 0
    seen_texts: set[str] = set()
    for i in order:
        unit = story.units[i]
        if unit.text in seen_texts:
            continue
        if chosen and max(story.sim(i, j) for j in chosen) > REDUNDANCY:
            continue
        if total and total + unit.words > summary_words and (total + unit.words - summary_words) > (
            summary_words - total
        ):
            continue  # adding it would overshoot by more than it would fill
        chosen.append(i)
        seen_texts.add(unit.text)
        total += unit.words
        if total >= summary_words:
            break
    chosen.sort(key=lambda i: (story.units[i].index, story.units[i].article))
    return tuple(SummarySentence(story.units[i].text, story.cite(story.units[i].text)) for i in chosen)
