"""Geometry of the inline SVG charts; templates draw it (so every label is escaped there).

>>> bar = coverage_bar(["BBC", "DW"])
>>> [round(s["width"]) for s in bar["segments"]]
[8, 8]
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ..clean.outlets import article_outlet
from ..models import Article

#: Colour classes of the palette in ``static/parallax.css`` (``.c0`` ... ``.c7``).
PALETTE_SIZE = 8
BAR_WIDTH = 120.0
BAR_MAX_SEGMENTS = 12


def outlet_class(outlet: str | None) -> str:
    """A stable colour class for an outlet name."""
    digest = hashlib.blake2s((outlet or "?").lower().encode(), digest_size=2).digest()
    return f"c{int.from_bytes(digest, 'big') % PALETTE_SIZE}"


def coverage_bar(outlets: Sequence[str]) -> dict[str, Any]:
    """One segment per outlet (up to 12) on a fixed scale, so a wider story draws a longer bar."""
    shown = list(outlets)[:BAR_MAX_SEGMENTS]
    step = BAR_WIDTH / BAR_MAX_SEGMENTS
    segments = [
        {"x": i * step, "width": max(step - 2.0, 1.0), "outlet": name, "cls": outlet_class(name)}
        for i, name in enumerate(shown)
    ]
    return {"width": BAR_WIDTH, "height": 8, "segments": segments, "more": max(0, len(outlets) - len(shown))}


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def coverage_timeline(articles: Sequence[Article], *, width: int = 360, row: int = 24) -> dict[str, Any] | None:
    """Coverage over time: one row per outlet (first to report on top), one dot per article.

    Copies are hollow dots. An undated article with a placement time (its feed's or file's time,
    ``Article.placed``) is placed by it as a faint dashed dot whose label says "undated"; an article
    with neither stays off the axis. None when no article can be placed.
    """
    placed = [a for a in articles if a.when is not None]
    if not placed:
        return None
    left, right, top = 104, 12, 8
    times = [_utc(a.when).timestamp() for a in placed if a.when]
    start, end = min(times), max(times)
    span = max(end - start, 3600.0)
    if end - start < 3600.0:
        start -= (span - (end - start)) / 2
    first_seen: dict[str, float] = {}
    for a in placed:
        assert a.when is not None
        name = article_outlet(a)
        first_seen[name] = min(first_seen.get(name, float("inf")), _utc(a.when).timestamp())
    order = sorted(first_seen, key=lambda n: (first_seen[n], n.lower()))
    rows = []
    plot = width - left - right
    for index, name in enumerate(order):
        y = top + index * row + row / 2
        dots = []
        for a in placed:
            if article_outlet(a) != name or a.when is None:
                continue
            x = left + (_utc(a.when).timestamp() - start) / span * plot
            when = (f"{_utc(a.published):%d %b %H:%M}" if a.published is not None
                    else f"undated; placed by its feed or file time, {_utc(a.when):%d %b %H:%M}")
            dots.append(
                {
                    "x": round(x, 1),
                    "is_copy": a.duplicate_of is not None,
                    "undated": a.published is None,
                    "label": f"{name}: {a.title or 'untitled'} ({when})",
                }
            )
        rows.append({"outlet": name, "y": round(y, 1), "cls": outlet_class(name), "dots": dots})
    height = int(top + len(order) * row + 24)
    ticks = []
    for i in range(3):
        t = start + span * i / 2
        when = datetime.fromtimestamp(t, tz=UTC)
        label = f"{when:%H:%M}" if span < 86400 else (f"{when:%d %b %Hh}" if span < 3 * 86400 else f"{when:%d %b}")
        ticks.append({"x": round(left + plot * i / 2, 1), "label": label})
    day = datetime.fromtimestamp(start, tz=UTC)
    dated = sum(1 for a in placed if a.published is not None)
    return {"width": width, "height": height, "left": left, "right": width - right, "axis_y": height - 18,
            "rows": rows, "ticks": ticks, "count": dated, "placed_undated": len(placed) - dated,
            "caption": f"{day:%d %b %Y}, UTC" if span < 86400 else "UTC"}
