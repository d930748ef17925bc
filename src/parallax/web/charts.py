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

    Copies are hollow dots. None when fewer than one dated article.
    """
    dated = [a for a in articles if a.published is not None]
    if not dated:
        return None
    left, right, top = 104, 12, 8
    times = [_utc(a.published).timestamp() for a in dated if a.published]
    start, end = min(times), max(times)
    span = max(end - start, 3600.0)
    if end - start < 3600.0:
        start -= (span - (end - start)) / 2
    first_seen: dict[str, float] = {}
    for a in dated:
        assert a.published is not None
        name = article_outlet(a)
        first_seen[name] = min(first_seen.get(name, float("inf")), _utc(a.published).timestamp())
    order = sorted(first_seen, key=lambda n: (first_seen[n], n.lower()))
    rows = []
    plot = width - left - right
    for index, name in enumerate(order):
        y = top + index * row + row / 2
        dots = []
        for a in dated:
            if article_outlet(a) != name or a.published is None:
                continue
            x = left + (_utc(a.published).timestamp() - start) / span * plot
            dots.append(
                {
                    "x": round(x, 1),
                    "is_copy": a.duplicate_of is not None,
                    "label": f"{name}: {a.title or 'untitled'} ({_utc(a.published):%d %b %H:%M})",
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
    return {"width": width, "height": height, "left": left, "right": width - right, "axis_y": height - 18,
            "rows": rows, "ticks": ticks, "count": len(dated),
            "caption": f"{day:%d %b %Y}, UTC" if span < 86400 else "UTC"}
