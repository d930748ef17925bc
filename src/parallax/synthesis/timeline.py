"""Timeline: dated events of a story, relative dates resolved per article, merged and ordered."""

from __future__ import annotations

import numpy as np

from ..models import TimelineEvent
from ..text.dates import DateMention, find_dates
from .analysis import StoryText

MAX_EVENTS = 30
SAME_EVENT_SIM = 0.55  # two dated sentences this similar, on one date, are one event


def build_timeline(story: StoryText, scores: np.ndarray) -> tuple[TimelineEvent, ...]:
    """One event per dated, self-contained sentence; paraphrases of one event merged. Relative dates
    count from each article's own date (:func:`story_dates`); an undated article's events keep the
    dates it writes out."""
    dates = story_dates(story)
    dated: list[tuple[str, int]] = []
    for i, unit in enumerate(story.units):
        if not unit.candidate:
            continue
        inside = [d for d in dates[unit.article] if unit.start <= d.start < unit.end]
        if inside:
            dated.append((inside[0].date, i))
    events: list[tuple[str, int, list[int]]] = []
    for day, i in sorted(dated, key=lambda x: (x[0], -scores[x[1]])):
        for event in events:
            if event[0] == day and story.sim(event[1], i) >= SAME_EVENT_SIM:
                event[2].append(i)
                break
        else:
            events.append((day, i, [i]))
    ranked = sorted(events, key=lambda e: (-len({story.units[i].article for i in e[2]}), -scores[e[1]]))
    kept = sorted(ranked[:MAX_EVENTS], key=lambda e: (e[0], story.units[e[1]].article, story.units[e[1]].index))
    return tuple(TimelineEvent(day, story.units[i].text, story.cite(story.units[i].text)) for day, i, _ in kept)


def story_dates(story: StoryText) -> list[list[DateMention]]:
    """The dates of each article: its own (relative ones resolved against its publication date); for
    an article without a date, the days it writes out, a day without a year taking the year of the
    story's latest dated article, else of the article's placement time (its feed's or file's time;
    relative ones stay unresolved: their day is unknown)."""
    known = [a.published for a in story.articles if a.published is not None]
    latest = max(known) if known else None
    out: list[list[DateMention]] = []
    for k, article in enumerate(story.articles):
        reference = latest or getattr(article, "placed", None)
        if article.published is None and reference is not None:
            out.append([d for d in find_dates(article.text, reference) if not d.relative])
        else:
            out.append(story.dates[k])
    return out
