"""Top stories: ranked by distinct outlets, velocity and recency.

>>> [s["id"] for s in rank_stories([
...     {"id": "a", "outlets": ["x"], "article_count": 1, "last_published": "2022-02-15T10:00:00+00:00"},
...     {"id": "b", "outlets": ["x", "y", "z"], "article_count": 3, "last_published": "2022-02-15T09:00:00+00:00"},
... ])]
['b', 'a']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

#: Hours after which a story's recency weight halves.
RECENCY_HALF_LIFE_HOURS = 24.0


def _when(story: dict[str, Any]) -> datetime | None:
    for key in ("last_published", "updated"):
        value = story.get(key)
        if value:
            try:
                parsed = datetime.fromisoformat(str(value))
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def score(story: dict[str, Any], now: datetime) -> float:
    """Distinct outlets count most, then velocity (articles per hour of coverage), then recency."""
    outlets = len(story.get("outlets") or [])
    articles = int(story.get("article_count") or 0)
    first = story.get("first_published")
    last = _when(story)
    span_hours = 1.0
    if first and last:
        try:
            start = datetime.fromisoformat(str(first))
            start = start if start.tzinfo else start.replace(tzinfo=UTC)
            span_hours = max(1.0, (last - start).total_seconds() / 3600)
        except ValueError:
            pass
    velocity = articles / span_hours
    age_hours = max(0.0, (now - last).total_seconds() / 3600) if last else 10 * RECENCY_HALF_LIFE_HOURS
    recency = 0.5 ** (age_hours / RECENCY_HALF_LIFE_HOURS)
    return 2.0 * math.log1p(outlets) + 0.5 * math.log1p(articles) + 0.5 * math.log1p(velocity) + 1.5 * recency


def rank_stories(stories: Iterable[dict[str, Any]], *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Stories best first. ``now`` defaults to the newest story's time, so archives rank sensibly."""
    items: Sequence[dict[str, Any]] = list(stories)
    if now is None:
        times = [t for t in (_when(s) for s in items) if t is not None]
        now = max(times) if times else datetime.now(UTC)
    return sorted(items, key=lambda s: (-score(s, now), s.get("id", "")))
