"""Claims: facts several outlets report (agreed), assertions set against denials (contested),
and facts only one outlet reports (single-source)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

import numpy as np

from ..models import Claim, Position
from ..text.quotes import attribution
from .analysis import StoryText

AGREE_SIM = 0.62  # units this similar from two outlets report the same fact
CONTEST_SIM = 0.3  # a dispute this similar to an assertion answers it
RELATED_SIM = 0.03  # a dispute at least this similar may answer an assertion several outlets report
PROMINENCE = 0.5  # weight of an assertion's reach (share of outlets) when matching a dispute
MAX_AGREED = 8
MAX_CONTESTED = 6
MAX_SINGLE = 5
DISPUTE = re.compile(
    r"\b(?:no (?:meaningful |real |significant |clear )?(?:evidence|sign|signs|indication|proof|pullback|withdrawal)|"
    r"despite (?:\w+['’]?s? ){0,2}(?:claims?|assurances?|announcements?)|not (?:seen|see|yet seen|verified|true|evidence)|"
    r"(?:has|have|had) not (?:seen|observed|verified)|(?:did|does|do) not (?:see|believe|buy)|"
    r"den(?:y|ies|ied)|dismiss(?:ed|es)?|reject(?:ed|s)?|disput(?:ed|es)|refut(?:ed|es)|"
    r"sceptic(?:al)?|skeptic(?:al)?|doubt(?:s|ed|ful)?|cast doubt|question(?:ed|s)|false|untrue|"
    r"baseless|misleading|contrary|contradict(?:ed|s)?|rebuff(?:ed)?|wrong)\b",
    re.IGNORECASE,
)


_CLAUSE = re.compile(r",?\s+(?:but|however|while|whereas|although|though)\s+", re.IGNORECASE)


def _actor(story: StoryText, i: int, name: Callable[[str | None], str | None], *, dispute: bool = False) -> str | None:
    """Who a unit reports: the speaker of a quote in it, else its attribution (for a dispute,
    the attribution of the clause that disputes)."""
    unit = story.units[i]
    quotes = story.quotes[unit.article]
    inside = next((q.speaker for q in quotes if unit.start <= q.start < unit.end and q.speaker), None)
    if inside:
        return name(inside)
    text, offset = unit.text, unit.start
    if dispute:
        for m in _CLAUSE.finditer(unit.text):
            if DISPUTE.search(unit.text[m.end() :]) and not DISPUTE.search(unit.text[: m.start()]):
                text, offset = unit.text[m.end() :], unit.start + m.end()
                break
    return name(attribution(text, story.mentions[unit.article], offset, story.articles[unit.article].text))


def _clusters(story: StoryText, members: list[int], threshold: float) -> list[list[int]]:
    """Single-link groups of units (similarity >= threshold) across different articles."""
    parent = {i: i for i in members}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if members:
        sims = story.similarities()[np.ix_(members, members)]
        rows, cols = np.nonzero(np.triu(sims >= threshold, k=1))
        for r, c in zip(rows.tolist(), cols.tolist()):
            a, b = members[r], members[c]
            if story.units[a].article != story.units[b].article:
                parent[find(a)] = find(b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in members:
        groups[find(i)].append(i)
    return list(groups.values())


def _positions(story: StoryText, units: list[int], stance: str, actors: dict[int, str | None]) -> list[Position]:
    """One position per distinct exact text, citing every article holding that text."""
    seen: dict[str, Position] = {}
    for i in units:
        text = story.units[i].text
        if text not in seen:
            seen[text] = Position(actors[i], stance, text, story.cite(text))  # type: ignore[arg-type]
    return list(seen.values())


def find_claims(
    story: StoryText, scores: np.ndarray, name: Callable[[str | None], str | None]
) -> tuple[Claim, ...]:
    """Agreed, contested and single-source claims of the story."""
    members = [i for i, u in enumerate(story.units) if u.candidate]
    if not members:
        return ()
    outlet = {i: story.outlet_of_unit(story.units[i]) for i in members}
    disputes = [i for i in members if DISPUTE.search(story.units[i].text)]
    dispute_set = set(disputes)
    actor = {i: _actor(story, i, name, dispute=i in dispute_set) for i in members}
    claims: list[Claim] = []
    used: set[int] = set()

    # Contested: an assertion (with its paraphrases) set against the disputes that answer it.
    asserts = [i for i in members if i not in dispute_set and actor[i] is not None]
    groups = _clusters(story, asserts, AGREE_SIM)
    answered: dict[int, list[int]] = defaultdict(list)
    n_outlets = max(1, len(set(outlet.values())))
    for d in disputes:
        if actor[d] is None:
            continue
        best, best_score = -1, 0.0
        for g, group in enumerate(groups):
            if any(actor[i] == actor[d] for i in group):
                continue
            sim = max(story.sim(i, d) for i in group)
            reach = len({outlet[i] for i in group})
            if reach >= 2 and sim >= RELATED_SIM:
                # A dispute most often answers what most outlets report, in other words.
                value = sim + PROMINENCE * reach / n_outlets
            elif sim >= CONTEST_SIM:
                value = sim
            else:
                continue
            if value > best_score:
                best, best_score = g, value
        if best >= 0:
            answered[best].append(d)
    contested: list[tuple[float, Claim]] = []
    for g, ds in answered.items():
        group = groups[g]
        lead = max(group, key=lambda i: (len(story.cite(story.units[i].text)), scores[i]))
        positions = _positions(story, group, "asserts", actor) + _positions(story, ds, "disputes", actor)
        weight = len({outlet[i] for i in ds}) + len({outlet[i] for i in group})
        contested.append((weight, Claim(story.units[lead].text, "contested", tuple(positions))))
    contested.sort(key=lambda kv: -kv[0])
    for _, claim in contested[:MAX_CONTESTED]:
        claims.append(claim)
    for g, ds in answered.items():
        used.update(groups[g])
        used.update(ds)

    # Agreed: facts two or more outlets report; single-source: facts one outlet alone reports.
    agreed: list[tuple[float, Claim]] = []
    single: list[tuple[float, Claim]] = []
    for group in _clusters(story, [i for i in members if i not in used], AGREE_SIM):
        # Independent outlets only: a syndicated copy is cited but does not corroborate.
        canonical = {a.id for a in story.articles}
        outlets = {outlet[i] for i in group}
        for i in group:
            outlets.update(story.outlets[aid] for aid in story.cite(story.units[i].text) if aid in canonical)
        best = max(group, key=lambda i: scores[i])
        if len(outlets) >= 2:
            positions = _positions(story, group, "asserts", actor)
            agreed.append((len(outlets) + float(scores[best]), Claim(story.units[best].text, "agreed", tuple(positions))))
        elif np.isfinite(scores[best]):
            unit = story.units[best]
            has_figure = any(unit.start <= f.start < unit.end for f in story.figures[unit.article])
            if actor[best] is not None or has_figure:
                positions = _positions(story, [best], "asserts", actor)
                single.append((float(scores[best]), Claim(unit.text, "single-source", tuple(positions))))
    agreed.sort(key=lambda kv: -kv[0])
    single.sort(key=lambda kv: -kv[0])
    claims.extend(c for _, c in agreed[:MAX_AGREED])
    claims.extend(c for _, c in single[:MAX_SINGLE])
    return tuple(claims)
