"""Entities of a story (names normalised across spellings) and who covered what."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from ..models import Entity, OutletCoverage
from ..text.entities import canonical_names, name_key, surname_key
from ..text.places import is_place
from .analysis import StoryText

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


def _unshout(name: str) -> str:
    """A dateline's capitals as a name is written ("WASHINGTON" -> "Washington"); acronyms stay."""
    if name.isupper() and len(name) > 3 and (" " in name or is_place(name)):
        return name.title()
    return name


def _first_names(displays: set[str]) -> dict[str, str]:
    """A lone first name that starts exactly one full name of the story stands for that person
    ("Kristian" for "Kristian Perez")."""
    firsts: dict[str, set[str]] = defaultdict(set)
    for display in displays:
        words = display.split()
        if len(words) >= 2:
            firsts[name_key(words[0])].add(display)
    return {first: next(iter(full)) for first, full in firsts.items() if len(full) == 1}


def story_entities(story: StoryText) -> tuple[Entity, ...]:
    """Entities by mentions, persons merged across spellings and short forms."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    people = [m.name for ms in story.mentions for m in ms if m.kind == "person"]
    person_map = canonical_names(people)
    others = [_unshout(m.name) for ms in story.mentions for m in ms if m.kind != "person"]
    other_map = canonical_names(others, persons=False)
    person_keys: dict[str, str] = {}
    surnames: dict[str, set[str]] = defaultdict(set)
    firsts = _first_names(set(person_map.values()))
    person_map = {
        name: firsts.get(name_key(display), display) if " " not in display else display
        for name, display in person_map.items()
    }
    for display in set(person_map.values()):
        person_keys[name_key(display)] = display
        surnames[surname_key(display)].add(display)
    for ms in story.mentions:
        for m in ms:
            kind = m.kind
            if not _named(m.name):
                continue
            if kind == "person":
                display = person_map.get(m.name, m.name)
            else:
                written = _unshout(m.name)
                display = other_map.get(written, written)
                # A person's name spaCy tagged once as an organisation or place joins the person.
                key = name_key(m.name)
                if key in person_keys:
                    display, kind = person_keys[key], "person"
                elif " " not in key and len(surnames.get(key, ())) == 1:
                    display, kind = next(iter(surnames[key])), "person"
                elif " " not in key and key in firsts:
                    display, kind = firsts[key], "person"  # "Kristian" tagged as a place
            kinds[display][kind] += 1
            forms[display][m.name] += 1
    entities = []
    for display, kind_counts in kinds.items():
        total = sum(kind_counts.values())
        kind = kind_counts.most_common(1)[0][0]
        aliases = tuple(sorted(f for f in forms[display] if f != display and name_key(f) != ""))
        entities.append(Entity(display, kind, total, aliases))  # type: ignore[arg-type]
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
