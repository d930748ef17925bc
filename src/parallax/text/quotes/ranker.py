"""The learned speaker ranker: gradient-boosted trees over each quote's candidates
(:mod:`.candidates`), run in numpy from ``data/speaker_ranker.json`` (trained by
``bench/train_speakers.py`` on PolNeAR train, its margin chosen on PolNeAR dev).

Each candidate is scored alone (the probability that it is the speaker); the quote goes to the
top-scored one. The sieves' speaker is a feature and a candidate itself, and it stays when there is
no candidate, when the top candidate does not beat it by the model's ``margin``, and when it is the
name the sieves resolved an attribution next to the quote to ("the president said", the most
precise sieve); a person the sieves named gives way only to another person of the article. When the
attribution is a pronoun the sieves resolve it in the article; a "he" or "she" they resolved to
no person (a place, a weekday, an organisation) goes to the nearest person before the quote whose
gender does not contradict it (around the quote, else anywhere before it in the article). A speaker named only by a role
("the announcer") is a candidate like a name: it is kept unless a name scores higher.

With the MiniLM cross-encoder (:mod:`.xenc`, :class:`CrossScorer`), a quote whose trees' first two
candidates are within ``gap`` has its ``top_k`` candidates (and the sieves' speaker) re-scored: all
such pairs of an article in one batch, each candidate's score then ``(1 - weight) p + weight x``
(``data/speaker_xenc.json``, chosen on PolNeAR dev); the choice above runs on the blended scores.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from ...clean.textdump import TreeEnsemble
from .candidates import _CREDIT_CHAR, FEATURES, QuoteCandidates
from .lexicon import words
from .spans import QuoteSpan

MODEL_PATH = Path(__file__).with_name("data") / "speaker_ranker.json"
XENC_PARAMS = Path(__file__).with_name("data") / "speaker_xenc.json"
_NOT_PEOPLE = frozenset(words("times"))  # days and months: data/times.txt


UNLOCK_LEAD = 0.3  # how far an organisation next to the quote must score above a person the sieves carried from afar


@dataclass(frozen=True, slots=True)
class SpeakerRanker:
    trees: TreeEnsemble
    features: tuple[str, ...]
    margin: float = 0.0

    @classmethod
    def from_spec(cls, spec: dict) -> SpeakerRanker:
        return cls(TreeEnsemble(spec["trees"]), tuple(spec["features"]), float(spec.get("margin", 0.0)))

    def scores(self, group: QuoteCandidates) -> np.ndarray:
        return self.scores_of([group])[0]

    def scores_of(self, groups: list[QuoteCandidates]) -> list[np.ndarray]:
        """Each group's candidate scores, all candidates of ``groups`` scored in one pass."""
        if tuple(self.features) != FEATURES:
            raise ValueError("speaker ranker: the model's features differ from candidates.FEATURES; retrain it")
        rows = [c.vector() for g in groups for c in g.candidates]
        if not rows:
            return [np.zeros(0) for _ in groups]
        p = self.trees.predict_proba(np.array(rows, dtype=float))
        out, at = [], 0
        for g in groups:
            out.append(p[at : at + len(g.candidates)])
            at += len(g.candidates)
        return out

    def choose(
        self, group: QuoteCandidates, rules: str | None, p: np.ndarray | None = None, *, margin: float | None = None
    ) -> str | None:
        """The speaker of one quote: the top candidate, or the sieves' speaker (see the module);
        ``p`` the candidates' scores (the trees' when not given, or those blended with the
        cross-encoder's), ``margin`` the model's when not given."""
        if group.pronoun:
            return self._person(group, rules)
        if not group.candidates or group.resolved:
            return rules
        if p is None:
            p = self.scores(group)
        ruled = [k for k, c in enumerate(group.candidates) if c.f.get("is_rules")]
        # A person the sieves named is replaced only by another person of the article, never by an
        # organisation or a place next to the quote ("FBI", "North Dakota").
        # Unless that person is not mentioned around the quote at all (the sieves carried the name
        # from far away) and an organisation named next to it scores far above: "The Clinton
        # Foundation describes itself in the following way: “…”".
        person = any(group.candidates[k].f.get("person_in_doc") for k in ruled)
        if person and not any(group.candidates[k].f.get("src_mention") for k in ruled):
            top = max(range(len(p)), key=lambda k: (p[k], -k))
            if group.candidates[top].f.get("is_org") and p[top] - max(p[k] for k in ruled) > UNLOCK_LEAD:
                person = False
        allowed = [
            k for k, c in enumerate(group.candidates)
            if (not person or c.f.get("person_in_doc") or c.f.get("is_rules")) and not _CREDIT_CHAR.search(c.name)
        ]  # never a photo credit read as a name ("Getty/Instagram")
        if not allowed:
            return rules
        best = max(allowed, key=lambda k: (p[k], -k))
        if ruled and p[best] - max(p[k] for k in ruled) <= (self.margin if margin is None else margin):
            return rules
        return group.candidates[best].name

    @staticmethod
    def _person(group: QuoteCandidates, rules: str | None) -> str | None:
        """A "he" or "she" is a person: the sieves' resolution when it is a person named around the
        quote (or no mention at all: a role, a relative), else the nearest person before the quote
        whose gender does not contradict the pronoun."""
        if not group.gender:
            return rules
        ruled = next((c for c in group.candidates if c.f.get("is_rules")), None)
        if ruled is not None:
            if ruled.f.get("person_in_doc") and ruled.f.get("gender", 0.0) * group.gender >= 0:
                return rules  # a person of the article the text does not make of the other gender
            if not ruled.f.get("src_mention") and rules is not None and rules[:1].islower():
                return rules  # a role or a relative ("his father")
            if rules is not None and not ruled.f.get("other_in_doc") and rules.split()[-1].lower() not in _NOT_PEOPLE:
                return rules  # a name spaCy did not label, not a place, an organisation or a day of the article
        people = [c for c in group.candidates if c.f.get("is_person") and c.f.get("agreeing_rank", 99.0) < 99.0]
        if not people:
            return group.nearest or rules
        return min(people, key=lambda c: c.f["agreeing_rank"]).name

    def apply(
        self, quotes: list[QuoteSpan], groups: list[QuoteCandidates], text: str | None = None, cross: CrossScorer | None = None
    ) -> list[QuoteSpan]:
        """``quotes`` with each quote's speaker (and its continued parts') chosen by the ranker;
        with ``cross`` (and the ``text`` of the quotes) the trees' top candidates of each quote are
        re-scored by the MiniLM cross-encoder (:mod:`.xenc`) and the two scores blended."""
        out = list(quotes)
        ranked = [g for g in groups if not g.pronoun and not g.resolved and g.candidates]
        scores = dict(zip((id(g) for g in ranked), self.scores_of(ranked)))
        margins: dict[int, float] = {}
        if cross is not None and text is not None:
            margins = cross.rescore(text, quotes, ranked, scores)
        for group in groups:
            head = quotes[group.index]
            speaker = self.choose(group, head.speaker, scores.get(id(group)), margin=margins.get(id(group)))
            if speaker == head.speaker:
                continue
            k = group.index
            out[k] = replace(head, speaker=speaker)
            k += 1
            while k < len(out) and out[k].continued:
                out[k] = replace(out[k], speaker=speaker)
                k += 1
        return out


def blend(p: np.ndarray, x: np.ndarray, weight: float, top: Sequence[int]) -> np.ndarray:
    """The trees' scores ``p`` blended with the cross-encoder's ``x``: ``(1 - weight) p + weight x``
    for the candidates ``top`` (those the cross-encoder scored), ``(1 - weight) p`` for the others."""
    q = (1.0 - weight) * np.asarray(p, dtype=float)
    top = list(top)
    q[top] += weight * np.asarray(x, dtype=float)[top]
    return q


def rescored(group: QuoteCandidates, p: np.ndarray, top_k: int, gap: float) -> list[int]:
    """The candidates the cross-encoder scores for one quote: the trees' ``top_k`` and the sieves'
    speaker, when there are two of them or more and the trees' first two are within ``gap``."""
    if len(p) < 2:
        return []
    order = sorted(range(len(p)), key=lambda k: (-p[k], k))
    if p[order[0]] - p[order[1]] > gap:
        return []
    chosen = order[:top_k]
    chosen += [k for k, c in enumerate(group.candidates) if c.f.get("is_rules") and k not in chosen]
    return sorted(chosen)


@dataclass(frozen=True, slots=True)
class CrossScorer:
    """The cross-encoder and how its scores join the trees' (``data/speaker_xenc.json``, chosen on
    PolNeAR dev by ``bench/train_speaker_xenc.py combine``)."""

    model: object  # xenc.SpeakerCrossEncoder
    weight: float
    top_k: int
    gap: float
    margin: float

    def rescore(
        self, text: str, quotes: list[QuoteSpan], groups: list[QuoteCandidates], scores: dict[int, np.ndarray]
    ) -> dict[int, float]:
        """Blend, in ``scores``, the cross-encoder's scores into the trees' for the quotes of
        ``groups`` that have more than one plausible candidate (all pairs scored in one batch);
        the margin to use for each such quote is returned."""
        from .xenc import pair_text

        todo, pairs = [], []
        for g in groups:
            top = rescored(g, scores[id(g)], self.top_k, self.gap)
            if not top:
                continue
            last = g.index
            while last + 1 < len(quotes) and quotes[last + 1].continued:
                last += 1
            start, end = quotes[g.index].start, quotes[last].end
            todo.append((g, top, len(pairs)))
            pairs += [pair_text(text, start, end, g.candidates[k].name, g.candidates[k].spans) for k in top]
        if not pairs:
            return {}
        x = self.model.score(pairs)  # type: ignore[attr-defined]
        margins = {}
        for g, top, at in todo:
            full = np.zeros(len(g.candidates))
            full[top] = x[at : at + len(top)]
            scores[id(g)] = blend(scores[id(g)], full, self.weight, top)
            margins[id(g)] = self.margin
        return margins


@lru_cache(maxsize=1)
def load_cross_scorer(path: Path = XENC_PARAMS) -> CrossScorer | None:
    """The cross-encoder with its blending parameters, or None (the trees alone) when either file
    is missing, the model does not load, or ``PARALLAX_SPEAKER_XENC=0``."""
    from . import xenc

    if not xenc.enabled() or not path.exists():
        return None
    model = xenc.load_cross_encoder()
    if model is None:
        return None
    spec = json.loads(path.read_text(encoding="utf-8"))
    if not spec.get("weight"):
        return None
    return CrossScorer(model, float(spec["weight"]), int(spec["top_k"]), float(spec.get("gap", 1.0)), float(spec.get("margin", 0.0)))


@lru_cache(maxsize=1)
def load_ranker(path: Path = MODEL_PATH) -> SpeakerRanker | None:
    """The shipped ranker, or None (the sieves' speakers stand) when the file is missing."""
    if not path.exists():
        return None
    return SpeakerRanker.from_spec(json.loads(path.read_text(encoding="utf-8")))
