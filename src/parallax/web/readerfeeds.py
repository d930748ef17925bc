"""What a feed reader sees of Parallax: subscriptions, their stories as items, and each item's body.

Both feed-reader APIs (``web/greader.py``, ``web/fever.py``) read through here:

- the **subscriptions** of a user are the top stories, their picks, and each topic, entity and outlet
  they follow (mutes hide stories from the followed ones, as on "For you");
- the **items** are stories, numbered by the store (``store.item_numbers``) so both APIs give a story
  the same number; read and starred marks are the user's own (``store.set_marks``);
- an item's **body** is the story's synthesis as sanitised HTML whose every link is an absolute link
  back to Parallax (the story, its articles, its outlets).

>>> Subscription.of_follow("entity", "NATO").group
'Entities'
>>> parse_item_id("tag:google.com,2005:reader/item/000000000000002a"), parse_item_id("42")
(42, 42)
>>> long_item_id(42)
'tag:google.com,2005:reader/item/000000000000002a'
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from markupsafe import escape

from ..wording import plural
from .context import WebContext, path_quote
from .security import sanitize_html

#: Stories of the "Top stories" subscription (the front page's first ones).
TOP_ITEMS = 100
#: Stories of one followed topic, entity or outlet.
FOLLOW_ITEMS = 500
#: Groups (Fever) and labels (Google Reader), in order, with their Fever group ids.
GROUPS: dict[str, int] = {"Parallax": 1, "Topics": 2, "Entities": 3, "Outlets": 4}
_GROUP_OF_KIND = {"topic": "Topics", "entity": "Entities", "outlet": "Outlets"}
_LONG_PREFIX = "tag:google.com,2005:reader/item/"
#: How many of each part of a synthesis an item body shows (the rest: "N more on Parallax").
BODY_QUOTES = 5
BODY_FIGURES = 6
BODY_CLAIMS = 4


@dataclass(frozen=True, slots=True)
class Subscription:
    """One feed as a reader app sees it."""

    number: int  # Fever's feed id; Google Reader's stream id is ``feed/<number>``
    kind: str  # top | picks | topic | entity | outlet
    value: str  # the followed name ("" for top and picks)
    title: str
    group: str
    path: str  # its page on Parallax

    @property
    def stream_id(self) -> str:
        return f"feed/{self.number}"

    @classmethod
    def of_follow(cls, kind: str, value: str) -> Subscription:
        number = 16 + zlib.crc32(f"{kind}:{value.casefold()}".encode()) % (2**31 - 32)
        if kind == "topic":
            path = "/search?q=" + quote(value, safe="")
        else:
            path = f"/{'entities' if kind == 'entity' else 'outlets'}/{path_quote(value)}"
        return cls(number, kind, value, value, _GROUP_OF_KIND[kind], path)


TOP = Subscription(1, "top", "", "Parallax: top stories", "Parallax", "/")
PICKS = Subscription(2, "picks", "", "Parallax: your picks", "Parallax", "/picks")


def long_item_id(number: int) -> str:
    """Google Reader's long form of an item id."""
    return f"{_LONG_PREFIX}{number:016x}"


def parse_item_id(text: str) -> int | None:
    """An item number from its long form, its 16-digit hex form or its decimal form (else None)."""
    value = (text or "").strip()
    try:
        if value.startswith(_LONG_PREFIX):
            return int(value[len(_LONG_PREFIX):], 16)
        if len(value) == 16 and all(c in "0123456789abcdefABCDEF" for c in value):
            return int(value, 16)
        if value.isdigit() and len(value) <= 19:
            return int(value)
        if value.startswith("-") and value[1:].isdigit() and len(value) <= 20:  # a signed 64-bit view
            return int(value) % 2**64
    except ValueError:
        return None
    return None


def _timestamp(listing: dict[str, Any]) -> float:
    """A story's time as a reader sees it: its newest article, else its last update (seconds)."""
    for key in ("last_published", "updated"):
        value = listing.get(key)
        if value:
            try:
                parsed = datetime.fromisoformat(str(value))
            except ValueError:
                continue
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.timestamp()
    return 0.0


@dataclass(slots=True)
class Item:
    """One story as an item of a user's feeds."""

    number: int
    story_id: str
    listing: dict[str, Any]
    feeds: list[Subscription] = field(default_factory=list)
    read: bool = False
    starred: bool = False

    @property
    def timestamp(self) -> float:
        return _timestamp(self.listing)

    @property
    def title(self) -> str:
        return str(self.listing.get("title") or "(untitled story)")

    @property
    def origin(self) -> Subscription:
        return self.feeds[0] if self.feeds else TOP


class ReaderView:
    """A user's subscriptions and items, read once per request."""

    def __init__(self, web: WebContext, user: dict[str, Any]) -> None:
        self.web = web
        self.store = web.store
        self.user = user
        follows = self.store.follows(user["id"])
        self.subscriptions = [TOP, PICKS] + [Subscription.of_follow(f["kind"], f["value"])
                                             for f in follows if not f["muted"]]
        self._mutes = [(f["kind"], f["value"]) for f in follows if f["muted"]]
        self._items: dict[str, Item] | None = None

    def subscription(self, stream_id: str) -> Subscription | None:
        for sub in self.subscriptions:
            if sub.stream_id == stream_id:
                return sub
        return None

    def by_number(self, number: int) -> Subscription | None:
        return self.subscription(f"feed/{number}")

    def _story_ids(self, sub: Subscription, muted: set[str]) -> list[str]:
        if sub.kind == "top":
            return self.web.top.ranked_ids(self.store)[:TOP_ITEMS]
        if sub.kind == "picks":
            return [s["id"] for s in self.store.picks(self.user["id"])]
        found = self.store.follow_story_ids(sub.kind, sub.value, limit=FOLLOW_ITEMS)
        return sorted(found - muted)

    def items(self) -> dict[str, Item]:
        """Every item of every subscription, by story id (each knows the feeds it is in)."""
        if self._items is not None:
            return self._items
        muted: set[str] = set()
        for kind, value in self._mutes:
            muted |= self.store.follow_story_ids(kind, value, limit=5000)
        members: dict[str, list[Subscription]] = {}
        for sub in self.subscriptions:
            for story_id in self._story_ids(sub, muted):
                members.setdefault(story_id, []).append(sub)
        listings = {s["id"]: s for s in self.store.listings(list(members))}
        numbers = self.store.item_numbers(list(listings)) if listings else {}
        read = self.store.marked_story_ids(self.user["id"], "read")
        starred = self.store.marked_story_ids(self.user["id"], "starred")
        self._items = {
            sid: Item(numbers[sid], sid, listing, members[sid], sid in read, sid in starred)
            for sid, listing in listings.items()
        }
        return self._items

    def starred_items(self) -> list[Item]:
        """Starred stories, also those no longer in any subscription."""
        items = self.items()
        extra = [sid for sid in self.store.marked_story_ids(self.user["id"], "starred") if sid not in items]
        found = list(items.values())
        if extra:
            listings = self.store.listings(extra)
            numbers = self.store.item_numbers([s["id"] for s in listings])
            read = self.store.marked_story_ids(self.user["id"], "read")
            found += [Item(numbers[s["id"]], s["id"], s, [], s["id"] in read, True) for s in listings]
        return [i for i in found if i.starred]

    def by_numbers(self, numbers: list[int]) -> list[Item]:
        """Items by number, in the order asked (unknown numbers left out)."""
        stories = self.store.item_story_ids(numbers)
        items = self.items()
        missing = [sid for sid in stories.values() if sid not in items]
        if missing:
            read = self.store.marked_story_ids(self.user["id"], "read")
            starred = self.store.marked_story_ids(self.user["id"], "starred")
            number_of = {sid: n for n, sid in stories.items()}
            for s in self.store.listings(missing):
                number = number_of[s["id"]]
                items[s["id"]] = Item(number, s["id"], s, [], s["id"] in read, s["id"] in starred)
        return [items[stories[n]] for n in numbers if n in stories and stories[n] in items]

    def mark(self, items: list[Item], *, read: bool | None = None, starred: bool | None = None) -> int:
        count = self.store.set_marks(self.user["id"], [i.story_id for i in items], read=read, starred=starred)
        for i in items:
            if read is not None:
                i.read = read
            if starred is not None:
                i.starred = starred
        return count


# -- the item body --------------------------------------------------------------------------


def _more(count: int, shown: int, what: str, link: str) -> str:
    if count <= shown:
        return ""
    return f'<p><a href="{escape(link)}">{escape(plural(count - shown, what))} more on Parallax</a></p>'


def item_html(base: str, story_id: str, synthesis: dict[str, Any] | None, listing: dict[str, Any]) -> str:
    """A story's synthesis as sanitised HTML; every link goes back to Parallax (absolute)."""
    story_url = f"{base}/stories/{path_quote(story_id)}"
    if not synthesis:
        return sanitize_html(f'<p><a href="{escape(story_url)}">Read the story on Parallax</a></p>')
    outlet_of: dict[str, str] = {}
    for cov in synthesis.get("coverage") or []:
        for article_id in cov.get("article_ids") or []:
            outlet_of.setdefault(article_id, cov.get("outlet") or "source")

    def sources(article_ids: list[str]) -> str:
        links = [f'<a href="{escape(base)}/articles/{escape(path_quote(a))}">{escape(outlet_of.get(a, "source"))}</a>'
                 for a in (article_ids or [])[:4]]
        return f" ({', '.join(links)})" if links else ""

    outlets = list(synthesis.get("outlets") or listing.get("outlets") or [])
    parts = []
    count = int(listing.get("article_count") or len(synthesis.get("article_ids") or []))
    outlet_links = ", ".join(f'<a href="{escape(base)}/outlets/{escape(path_quote(o))}">{escape(o)}</a>'
                             for o in outlets[:12])
    rest = f" and {len(outlets) - 12} more" if len(outlets) > 12 else ""
    parts.append(f"<p><em>{escape(plural(count, 'article'))} from {escape(plural(len(outlets), 'outlet'))}"
                 f"{': ' if outlets else ''}</em>{outlet_links}{escape(rest)}</p>")
    for sentence in synthesis.get("summary") or []:
        parts.append(f"<p>{escape(sentence.get('text', ''))}{sources(sentence.get('article_ids'))}</p>")
    quotes = synthesis.get("quotes") or []
    if quotes:
        parts.append("<p><strong>Quotes</strong></p>")
        for q in quotes[:BODY_QUOTES]:
            who = f" <cite>{escape(q['speaker'])}</cite>" if q.get("speaker") else ""
            parts.append(f"<blockquote><p>{escape(q.get('text', ''))}{who}{sources(q.get('article_ids'))}</p></blockquote>")
        parts.append(_more(len(quotes), BODY_QUOTES, "quote", story_url))
    figures = synthesis.get("figures") or []
    if figures:
        parts.append("<p><strong>Figures</strong></p><ul>")
        for f in figures[:BODY_FIGURES]:
            by = f" ({escape(f['attributed_to'])})" if f.get("attributed_to") else ""
            parts.append(f"<li>{escape(f.get('text', ''))}{by}{sources(f.get('article_ids'))}</li>")
        parts.append("</ul>" + _more(len(figures), BODY_FIGURES, "figure", story_url))
    disputed = [c for c in synthesis.get("claims") or [] if c.get("status") == "contested"]
    if disputed:
        parts.append("<p><strong>Disputed</strong></p><ul>")
        for c in disputed[:BODY_CLAIMS]:
            parts.append(f"<li>{escape(c.get('statement', ''))}</li>")
        parts.append("</ul>" + _more(len(disputed), BODY_CLAIMS, "disputed claim", story_url))
    parts.append(f'<p><a href="{escape(story_url)}">Read the whole story on Parallax</a></p>')
    return sanitize_html("".join(parts))


def body_of(web: WebContext, base: str, item: Item) -> str:
    return item_html(base, item.story_id, web.store.story(item.story_id), item.listing)
