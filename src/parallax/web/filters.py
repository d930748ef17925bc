"""The reader's filters, read from the URL query so a filtered page can be shared.

``window`` = ``24h`` | ``7d`` | ``custom`` (with ``from`` and/or ``to``, ``YYYY-MM-DD`` or a full ISO
time), ``outlet`` (repeatable: keep only these outlets), ``exclude`` (repeatable: leave these out),
``lang`` (a language code such as ``en``). A story passes when one of its articles passes; undated
articles fall outside every time window. A bad value is a 400 with the app's error body.

>>> from datetime import UTC, datetime
>>> f = parse({"window": "custom", "from": "2022-02-14", "outlet": ["BBC", "DW"]})
>>> f.article_filter().published_from, f.article_filter().outlets
('2022-02-14T00:00:00+00:00', ('BBC', 'DW'))
>>> f.query()
'window=custom&from=2022-02-14&outlet=BBC&outlet=DW'
>>> parse({"window": "3d"})
Traceback (most recent call last):
...
fastapi.exceptions.HTTPException: 400: window must be 24h, 7d or custom, not '3d'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request

from ..store.queries import ArticleFilter

WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}
WINDOW_LABELS = {"": "Any time", "24h": "Last 24 hours", "7d": "Last 7 days", "custom": "Custom dates"}
#: Most outlets one filter may name (each side).
MAX_OUTLETS = 50
MAX_OUTLET_CHARS = 200
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
#: Query keys the filters own (other keys, such as ``q`` or ``all``, are the page's own).
KEYS = ("window", "from", "to", "outlet", "exclude", "lang")


def _bad(message: str) -> HTTPException:
    return HTTPException(status_code=400, detail=message)


def _moment(name: str, value: str, *, end: bool) -> datetime:
    """A bound of the custom window: a day (its start, or its end for ``to``) or a full ISO time."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _bad(f"{name} must be a date (YYYY-MM-DD) or an ISO time, not {value[:40]!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _names(name: str, values: list[str]) -> tuple[str, ...]:
    kept = tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    if len(kept) > MAX_OUTLETS:
        raise _bad(f"at most {MAX_OUTLETS} values of {name}, not {len(kept)}")
    for v in kept:
        if len(v) > MAX_OUTLET_CHARS or any(ord(c) < 32 for c in v):
            raise _bad(f"{name} {v[:40]!r} is not an outlet name")
    return kept


@dataclass(frozen=True)
class Filters:
    window: str = ""
    start: str = ""
    end: str = ""
    outlets: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    lang: str = ""
    now: datetime = field(default_factory=lambda: datetime.now(UTC).replace(second=0, microsecond=0), compare=False)

    @property
    def active(self) -> bool:
        return bool(self.window or self.outlets or self.exclude or self.lang)

    def article_filter(self) -> ArticleFilter:
        low = high = None
        if self.window in WINDOWS:
            low = _iso(self.now - WINDOWS[self.window])
        elif self.window == "custom":
            low = _iso(_moment("from", self.start, end=False)) if self.start else None
            high = _iso(_moment("to", self.end, end=True)) if self.end else None
        return ArticleFilter(published_from=low, published_to=high, outlets=self.outlets, exclude=self.exclude,
                             language=self.lang or None)

    def pairs(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if self.window:
            out.append(("window", self.window))
        if self.window == "custom":
            out += [(k, v) for k, v in (("from", self.start), ("to", self.end)) if v]
        out += [("outlet", o) for o in self.outlets] + [("exclude", o) for o in self.exclude]
        if self.lang:
            out.append(("lang", self.lang))
        return out

    def query(self, **extra: Any) -> str:
        """The filters (and ``extra`` keys that are not None) as a URL query, without "?"."""
        pairs = self.pairs() + [(k, str(v)) for k, v in extra.items() if v is not None]
        return urlencode(pairs)

    def suffix(self, **extra: Any) -> str:
        """``?query`` or an empty string."""
        text = self.query(**extra)
        return "?" + text if text else ""

    def without(self, key: str, value: str | None = None) -> Filters:
        """These filters less one (for the "remove" links of the active filters)."""
        if key == "window":
            return replace(self, window="", start="", end="")
        if key in ("outlet", "exclude"):
            attr = "outlets" if key == "outlet" else "exclude"
            return replace(self, **{attr: tuple(v for v in getattr(self, attr) if v != value)})
        return replace(self, lang="")

    def describe(self) -> list[dict[str, str]]:
        """The active filters in words, each with the query that removes it."""
        items = []
        if self.window == "custom":
            span = " to ".join(v for v in (self.start, self.end) if v) or "any date"
            items.append({"label": f"Published {('from ' + span) if self.start else ('up to ' + span) if self.end else span}",
                          "remove": self.without("window").query()})
        elif self.window:
            items.append({"label": WINDOW_LABELS[self.window], "remove": self.without("window").query()})
        items += [{"label": f"Only {o}", "remove": self.without("outlet", o).query()} for o in self.outlets]
        items += [{"label": f"Not {o}", "remove": self.without("exclude", o).query()} for o in self.exclude]
        if self.lang:
            items.append({"label": f"Language: {self.lang}", "remove": self.without("lang").query()})
        return items

    def as_json(self) -> dict[str, Any]:
        f = self.article_filter()
        return {"window": self.window or None, "from": f.published_from, "to": f.published_to,
                "outlets": list(self.outlets), "exclude": list(self.exclude), "lang": self.lang or None}


def parse(params: Mapping[str, Any], *, now: datetime | None = None) -> Filters:
    """Filters from query parameters (a mapping of lists or strings); 400 on a bad value."""

    def many(key: str) -> list[str]:
        value = params.get(key)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]

    def one(key: str) -> str:
        values = [v for v in many(key) if v.strip()]
        if len(values) > 1:
            raise _bad(f"give {key} once, not {len(values)} times")
        return values[0].strip() if values else ""

    window, start, end, lang = one("window"), one("from"), one("to"), one("lang")
    if (start or end) and window in ("", "custom"):
        window = "custom"
    elif (start or end) and window:
        raise _bad(f"from and to go with window=custom, not window={window}")
    if window and window not in WINDOW_LABELS:
        raise _bad(f"window must be 24h, 7d or custom, not {window[:20]!r}")
    if window == "custom" and not (start or end):
        window = ""
    if lang and not _LANG.match(lang):
        raise _bad(f"lang must be a language code such as en or pt-BR, not {lang[:20]!r}")
    filters = Filters(window=window, start=start, end=end, outlets=_names("outlet", many("outlet")),
                      exclude=_names("exclude", many("exclude")), lang=lang.lower(),
                      now=now or datetime.now(UTC).replace(second=0, microsecond=0))
    flt = filters.article_filter()  # checks the dates
    if flt.published_from and flt.published_to and flt.published_from > flt.published_to:
        raise _bad(f"from ({start}) is after to ({end})")
    return filters


def from_request(request: Request) -> Filters:
    """The filters of a request's query (a FastAPI dependency)."""
    params = {k: request.query_params.getlist(k) for k in KEYS if k in request.query_params}
    return parse(params)


def show_all(request: Request) -> bool:
    """``?all=1`` (or true/yes): show a whole list instead of its first page; 400 on another value."""
    value = (request.query_params.get("all") or "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise _bad(f"all must be 1 or 0, not {value[:20]!r}")
