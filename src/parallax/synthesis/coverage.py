"""Entities of a story (one canonical name per referent, :mod:`.names`) and who covered what."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..models import Entity, OutletCoverage
from .analysis import StoryText
from .names import StoryNames, story_names

MAX_ENTITIES = 40
MAX_EXCLUSIVE = 3
EXCLUSIVE_SIM = 0.35  # a sentence no other outlet's sentence comes this close to is exclusive
# Page words spaCy takes for names when a page shouts them ("UPDATE: ...", "CLOSE", "WATCH").
_PAGE_WORDS = frozenset(
    {"update", "updated", "breaking", "watch", "close", "photo", "photos", "video", "read", "more", "live",
     "exclusive", "opinion", "analysis", "advertisement", "related", "share", "editor", "note", "embed"}
)  # fmt: skip
# Words that name no one in particular: "Department", "Police Department", "the agency".
_GENERIC = frozenset(
    {"department", "police", "office", "agency", "ministry", "government", "administration", "company",
     "authority", "authorities", "county", "city", "state", "district", "school", "university",
     "hospital", "court", "committee", "council", "the"}
)  # fmt: skip


def _named(name: str) -> bool:
    """Whether ``name`` names someone or something in particular (not a shouted page word or a
    generic noun like "Department")."""
    words = name.split()
    if len(words) == 1 and name.isupper() and name.lower() in _PAGE_WORDS:
        return False
    return not all(w.lower() in _GENERIC for w in words)


def story_entities(story: StoryText, names: StoryNames | None = None) -> tuple[Entity, ...]:
    """Entities by mentions, one per referent: the story's canonical names (:mod:`.names`), each
    with the other spellings, short forms and aliases the articles write for it."""
    names = names if names is not None else story_names(story)
    counts = names.mentions()
    entities = []
    for display, total in counts.items():
        if not _named(display):
            continue
        kind = names.kind(display)
        if kind == "none":
            continue  # a word, not a name
        entities.append(Entity(display, kind, total, names.aliases(display)))  # type: ignore[arg-type]
    entities.sort(key=lambda e: (-e.mentions, e.name))
    return tuple(entities[:MAX_ENTITIES])


def outlet_coverage(story: StoryText, scores: np.ndarray) -> tuple[OutletCoverage, ...]:
    """Per outlet: its articles (copies too), when it first published, what only it reports."""
    by_outlet: dict[str, list] = defaultdict(list)
    for a in [*story.articles, *story.copies]:
        by_outlet[story.outlets[a.id]].append(a)
    unit_outlet = [story.outlet_of_unit(u) for u in story.units]
    sims = story.similarities() if story.units else np.zeros((0, 0))
    out = []
    for outlet, arts in by_outlet.items():
        times = [a.published for a in arts if a.published is not None]
        first = min(times).isoformat() if times else None
        exclusive: list[str] = []
        if len(by_outlet) > 1:
            mine = [i for i, o in enumerate(unit_outlet) if o == outlet and story.units[i].candidate]
            theirs = np.array([o != outlet for o in unit_outlet])
            if mine and theirs.any():
                closest = sims[np.ix_(mine, np.nonzero(theirs)[0])].max(axis=1)
                alone = [i for i, c in zip(mine, closest.tolist()) if c < EXCLUSIVE_SIM]
                alone.sort(key=lambda i: -scores[i])
                for i in alone[:MAX_EXCLUSIVE]:
                    text = story.units[i].text
                    if not any(story.outlets[aid] != outlet for aid in story.cite(text)):
                        exclusive.append(text)
        out.append(OutletCoverage(outlet, tuple(a.id for a in arts), first, tuple(exclusive)))
    return tuple(out)
