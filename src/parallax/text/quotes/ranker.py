"""The learned speaker ranker: gradient-boosted trees over each quote's candidates
(:mod:`.candidates`), run in numpy from ``data/speaker_ranker.json`` (trained by
``bench/train_speakers.py`` on PolNeAR train, its margin chosen on PolNeAR dev).

Each candidate is scored alone (the probability that it is the speaker); the quote goes to the
top-scored one. The sieves' speaker is a feature and a candidate itself, and it stays when the
attribution is a pronoun (the sieves resolve those in the article), when there is no candidate, or
when the top candidate does not beat it by the model's ``margin``. A speaker named only by a role
("the announcer") is a candidate like a name: it is kept unless a name scores higher.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from ...clean.textdump import TreeEnsemble
from .candidates import FEATURES, QuoteCandidates
from .spans import QuoteSpan

MODEL_PATH = Path(__file__).with_name("data") / "speaker_ranker.json"


@dataclass(frozen=True, slots=True)
class SpeakerRanker:
    trees: TreeEnsemble
    features: tuple[str, ...]
    margin: float = 0.0

    @classmethod
    def from_spec(cls, spec: dict) -> SpeakerRanker:
        return cls(TreeEnsemble(spec["trees"]), tuple(spec["features"]), float(spec.get("margin", 0.0)))

    def scores(self, group: QuoteCandidates) -> np.ndarray:
        if tuple(self.features) != FEATURES:
            raise ValueError("speaker ranker: the model's features differ from candidates.FEATURES; retrain it")
        return self.trees.predict_proba(np.array([c.vector() for c in group.candidates], dtype=float))

    def choose(self, group: QuoteCandidates, rules: str | None) -> str | None:
        """The speaker of one quote: the top candidate, or the sieves' speaker (see the module)."""
        if group.pronoun or not group.candidates:
            return rules
        p = self.scores(group)
        best = int(p.argmax())
        chosen = group.candidates[best]
        ruled = [k for k, c in enumerate(group.candidates) if c.f.get("is_rules")]
        if ruled and p[best] - max(p[k] for k in ruled) <= self.margin:
            return rules
        return chosen.name

    def apply(self, quotes: list[QuoteSpan], groups: list[QuoteCandidates]) -> list[QuoteSpan]:
        """``quotes`` with each quote's speaker (and its continued parts') chosen by the ranker."""
        out = list(quotes)
        for group in groups:
            head = quotes[group.index]
            speaker = self.choose(group, head.speaker)
            if speaker == head.speaker:
                continue
            k = group.index
            out[k] = replace(head, speaker=speaker)
            k += 1
            while k < len(out) and out[k].continued:
                out[k] = replace(out[k], speaker=speaker)
                k += 1
        return out


@lru_cache(maxsize=1)
def load_ranker(path: Path = MODEL_PATH) -> SpeakerRanker | None:
    """The shipped ranker, or None (the sieves' speakers stand) when the file is missing."""
    if not path.exists():
        return None
    return SpeakerRanker.from_spec(json.loads(path.read_text(encoding="utf-8")))
