"""Dates in news text, absolute ("February 15, 2022", "15 Feb", "2022-02-15") and relative
("on Tuesday", "yesterday", "earlier this week", "later today") resolved against the article's
publication date.

A weekday names the last such day on or before publication, or the next one when its own clause
speaks of the future ("will", "is due", "next Tuesday"; "said on Monday that it will" is past). A
weekday written with its date ("Monday, April 17") is that date. "Earlier this week" is the Monday
of the publication week; "last week" and vaguer spans are not resolved, nor relative dates inside a
quotation (they count from when the words were said).

>>> from datetime import date
>>> [(d.date, d.text) for d in find_dates("Talks ended on Tuesday.", date(2022, 2, 16))]
[('2022-02-15', 'on Tuesday')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_MONTH_NUM = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_ABSOLUTE = [
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<monnum>\d\d)-(?P<day>\d\d)\b"),
]
_RELATIVE = re.compile(
    r"\b(?P<phrase>(?:(?:on|last|this|next|by|until|since|from)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:earlier|later)\s+(?:this|today)(?:\s+week)?|later today|earlier today|earlier this week|later this week"
    r"|yesterday|today|tomorrow|tonight|last night)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(r"\b(?:will|would|is due|are due|is set to|are set to|plans? to|scheduled|expected to|next)\b")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression: ``text == article_text[start:end]``, ``date`` in ISO form."""

    date: str
    text: str
    start: int
    end: int
    relative: bool


def _as_date(value: date | datetime | None) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


# Where a clause starts: the tense that governs a date is the one of its own clause.
_CLAUSE_BREAK = re.compile(r"[,;:—–(]|\b(?:that|and|but|who|which|when|while|after|before|because)\b", re.IGNORECASE)


def _future_clause(before: str, after: str) -> bool:
    """Whether the clause around a weekday speaks of the future: "the vote will be held on Monday",
    not "he said on Monday that the vote will be held" nor "they were found Monday and will leave"."""
    cut = [m.end() for m in _CLAUSE_BREAK.finditer(before)]
    own = before[cut[-1] :] if cut else before
    if re.search(r"[A-Za-z]{3,}", re.sub(r"(?i)\b(?:on|by|until|from|since|late|early|this)\b", "", own)):
        return _FUTURE.search(own) is not None
    after = after.lstrip(",;: ")
    stop = _CLAUSE_BREAK.search(after)
    return _FUTURE.search(after[: stop.start()] if stop else after) is not None


def _in_quote(paragraph: str) -> bool:
    """Whether the end of ``paragraph`` (its text up to a date) lies inside a quotation (a relative
    date there counts from when the words were said, which the article does not give)."""
    return paragraph.count("“") > paragraph.count("”") or paragraph.count('"') % 2 == 1


def _resolve_relative(phrase: str, weekday: str | None, pub: date, before: str, after: str) -> date | None:
    """The date a relative expression names, seen from ``pub`` (``before``/``after``: the text of
    its sentence on either side, for the tense of its clause)."""
    low = phrase.lower()
    if weekday:
        target = _WEEKDAYS.index(weekday.lower())
        future = low.startswith("next") or (not low.startswith("last") and _future_clause(before, after))
        if future:
            delta = (target - pub.weekday()) % 7 or (7 if low.startswith("next") else 0)
            return pub + timedelta(days=delta)
        delta = (pub.weekday() - target) % 7
        if low.startswith("last") and delta == 0:
            delta = 7
        return pub - timedelta(days=delta)
    if "yesterday" in low or low == "last night":
        return pub - timedelta(days=1)
    if "tomorrow" in low:
        return pub + timedelta(days=1)
    if "earlier this week" in low:
        return pub - timedelta(days=pub.weekday())
    if "later this week" in low:
        return None
    if "today" in low or "tonight" in low:
        return pub
    return None


def find_dates(text: str, published: date | datetime | None = None) -> list[DateMention]:
    """The dates of ``text`` that resolve to a day, in order (relative ones need ``published``)."""
    pub = _as_date(published)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _ABSOLUTE:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            groups = m.groupdict()
            month = int(groups["monnum"]) if groups.get("monnum") else _MONTH_NUM[groups["mon"][:3].lower()]
            year_text = groups.get("year")
            if year_text:
                year = int(year_text)
            elif pub is not None:
                year = pub.year
            else:
                continue
            try:
                day = date(year, month, int(groups["day"]))
            except ValueError:
                continue
            if not year_text and pub is not None and (day - pub).days > 60:
                day = day.replace(year=year - 1)
            end = m.end()
            if text[end - 1] == "." and groups.get("mon") and len(groups["mon"]) > 4 or groups.get("mon") == "May":
                end -= text[end - 1] == "."
            found.append(DateMention(day.isoformat(), text[m.start() : end], m.start(), end, False))
            taken.append((m.start(), end))
    if pub is not None:
        starts = {s for s, _ in taken}
        for m in _RELATIVE.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            gap = re.match(r",?\s*", text[m.end() : m.end() + 4])
            if m.group("wd") and m.end() + (gap.end() if gap else 0) in starts:
                continue  # "Monday, April 17": the weekday of an absolute date, not a day of its own
            if _in_quote(text[text.rfind("\n", 0, m.start()) + 1 : m.start()]):
                continue
            s_start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
            s_end = text.find(". ", m.end())
            before, after = text[s_start : m.start()], text[m.end() : s_end if s_end >= 0 else len(text)]
            day = _resolve_relative(m.group("phrase"), m.group("wd"), pub, before, after)
            if day is not None:
                found.append(DateMention(day.isoformat(), m.group(0), m.start(), m.end(), True))
    return sorted(found, key=lambda d: d.start)
