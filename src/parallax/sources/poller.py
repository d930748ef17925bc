"""The polling loop: fetch due feeds in worker threads, ingest new entries from one thread.

>>> from parallax.settings import load
>>> from parallax.store import open_store
>>> store = open_store("parallax.db")  # doctest: +SKIP
>>> store.add_feed("https://example.org/feed.xml", title="Example")  # doctest: +SKIP
>>> poller = Poller(store, load())  # doctest: +SKIP
>>> [r.outcome for r in poller.poll_once()]  # doctest: +SKIP
['new']

Each due feed is fetched (conditional GET, robots.txt, per-host gate) and parsed in a worker
thread; new entries whose feed item is a teaser get their article page fetched. The poll thread
then runs the new documents through the pipeline (which is not thread-safe, so only that thread
touches it) and only after they are stored marks the entries seen and advances the feed's
validators and schedule: a crash in between re-reads the entries, it never skips them.

Scheduling: a feed's interval adapts to how often it publishes (half the median gap between its
entries, between ``MIN_INTERVAL`` and ``MAX_INTERVAL``, growing while it is quiet); Cache-Control
max-age and Retry-After push the next fetch later; failures back off exponentially.
"""

from __future__ import annotations

import itertools
import logging
import re
import statistics
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from ..errors import FetchError
from ..models import RawDocument, Rejected
from ..priority import niceness, yield_cpu
from ..settings import Settings
from ..store.feeds import utc_iso
from .feeds import (
    FeedEntry,
    FeedError,
    ParsedFeed,
    discover_feeds,
    entry_document,
    looks_like_article,
    looks_like_html,
    parse_feed,
)
from .fetch import FEED_TYPES, PAGE_TYPES, Fetcher, Response
from .robots import RobotsCache

log = logging.getLogger(__name__)

#: Fewest / most seconds between two polls of a healthy feed (the default interval is a setting).
MIN_INTERVAL = 300.0
MAX_INTERVAL = 86_400.0
#: Longest back-off of a failing feed, in seconds.
MAX_BACKOFF = 86_400.0
#: Fetching threads (fetch and parse; ingestion is one thread).
WORKERS = 8
#: Most new entries taken from one feed in one poll; the rest come at the next poll.
MAX_NEW_PER_POLL = 100
#: Documents gathered before the pipeline runs once on them.
BATCH_DOCS = 200
#: Longest a fetched feed waits for more before its batch is stored, in seconds.
BATCH_WAIT = 3.0
#: Longest sleep of the background loop between two looks at the schedule, in seconds.
MAX_SLEEP = 30.0


class Ingestor(Protocol):
    """What the poller hands new documents to (``parallax.pipeline.Pipeline``)."""

    def ingest(self, inputs: Iterable[RawDocument | Rejected]) -> Any: ...


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of one feed did. ``outcome``: new, unchanged, not-modified, error, discovered."""

    feed_id: int
    url: str
    outcome: str
    status: int | None = None
    new_entries: int = 0
    articles_added: int = 0
    error: str | None = None
    next_fetch: str | None = None


@dataclass(slots=True)
class _Fetched:
    """A worker's answer for one feed: documents to ingest and the feed's fields to record after."""

    feed: dict[str, Any]
    outcome: str
    docs: list[RawDocument | Rejected] = field(default_factory=list)
    new_keys: list[tuple[str, str | None]] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


#: How the address guard's refusal begins (:class:`~parallax.errors.BlockedAddress`).
BLOCKED_MARK = "refused to connect to "


def backoff(failures: int, base: float) -> float:
    """Seconds to wait after ``failures`` consecutive failures: base, 2×base, 4×base ... capped."""
    return min(base * 2 ** max(failures - 1, 0), max(MAX_BACKOFF, base))


def adaptive_interval(published: Iterable[datetime | None], *, base: float, previous: float | None,
                      new: int) -> float:
    """The next polling interval from the entries' dates: half their median gap, clamped.

    >>> from datetime import datetime, timedelta
    >>> hourly = [datetime(2026, 1, 1) + timedelta(hours=h) for h in range(10)]
    >>> adaptive_interval(hourly, base=900, previous=None, new=10)
    1800.0
    """
    low, high = min(base, MIN_INTERVAL), max(base, MAX_INTERVAL)
    dates = sorted({d for d in published if d is not None}, reverse=True)[:20]
    gaps = [(a - b).total_seconds() for a, b in itertools.pairwise(dates)]
    gaps = [g for g in gaps if g > 0]
    interval = statistics.median(gaps) / 2 if len(gaps) >= 2 else (previous or base)
    if new == 0 and previous:
        interval = max(interval, previous * 1.5)
    return float(min(max(interval, low), high))


_META_CHARSET = re.compile(rb"<meta[^>]+charset", re.IGNORECASE)


def page_body(response: Response) -> str | bytes:
    """A fetched page for the cleaner: decoded with the HTTP charset when only the header names one.

    Bytes with a BOM, a ``<meta charset>`` or valid UTF-8 are left to the cleaner's own detection.
    """
    data = response.content
    charset = (response.charset or "").lower()
    if not charset or data[:3] == b"\xef\xbb\xbf" or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data
    if _META_CHARSET.search(data[:4096]):
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    if charset in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        charset = "cp1252"  # what servers mean by it (WHATWG)
    try:
        return data.decode(charset, errors="replace")
    except LookupError:
        return data


def _later(seconds: float) -> str:
    return utc_iso(datetime.now(UTC) + timedelta(seconds=seconds))


class Poller:
    """Polls the store's feeds: ``poll_once()`` for one round, ``start()``/``stop()`` for a thread."""

    def __init__(self, store: Any, settings: Settings, *, fetcher: Fetcher | None = None,
                 pipeline: Ingestor | None = None, workers: int = WORKERS,
                 on_result: Callable[[PollResult], None] | None = None) -> None:
        self.store = store
        self.settings = settings
        if fetcher is None:
            fetcher = Fetcher(settings)
            fetcher.robots = RobotsCache(fetcher)
        self.fetcher = fetcher
        self._pipeline = pipeline
        self.workers = max(1, workers)
        self.on_result = on_result
        self._soon: set[int] = set()
        self._soon_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._guard_checked = False
        self._pool: ThreadPoolExecutor | None = None
        self._base_nice = niceness(thread=True)  # the creating thread's: the web server's in `parallax run`
        # an in-memory store shares one connection between threads: serialise its use
        self._db_lock = threading.RLock() if getattr(store, "shared_connection", False) else None

    @property
    def pipeline(self) -> Ingestor:
        if self._pipeline is None:
            from ..pipeline import Pipeline

            self._pipeline = Pipeline(self.store, self.settings)
        return self._pipeline

    def _db(self) -> Any:
        return self._db_lock if self._db_lock is not None else nullcontext()

    # -- public interface ------------------------------------------------------------------

    def poll_soon(self, feed_id: int | str) -> None:
        """Schedule a feed for the next round, now (thread-safe; wakes the loop)."""
        try:
            fid = int(feed_id)
        except (TypeError, ValueError):
            return
        with self._soon_lock:
            self._soon.add(fid)
        self._wake.set()

    def _refused_by_a_lifted_guard(self) -> set[int]:
        """Feeds the address guard refused at their last poll, when it no longer would: they are due
        now, not at the back-off time their refusal set."""
        policy = getattr(self.fetcher, "policy", None)
        if policy is None or not policy.allow_private:
            return set()
        with self._db():
            feeds = self.store.list_feeds()
        return {int(f["id"]) for f in feeds if BLOCKED_MARK in (f.get("last_error") or "")}

    def poll_once(self) -> list[PollResult]:
        """Poll every feed that is due (and those asked for with ``poll_soon``); returns what each did."""
        with self._soon_lock:
            soon, self._soon = self._soon, set()
        if not self._guard_checked:
            soon |= self._refused_by_a_lifted_guard()
            self._guard_checked = True
        with self._db():
            due = self.store.due_feeds(utc_iso(), also=soon)
        if not due:
            return []
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="parallax-fetch",
                                            initializer=self._lower_priority)
        results: list[PollResult] = []
        feed_of: dict[Future[_Fetched], dict[str, Any]] = {
            self._pool.submit(self._poll_feed, feed): feed for feed in due
        }
        pending = set(feed_of)
        started = {feed["id"] for feed in due}
        buffer: list[_Fetched] = []
        oldest = time.monotonic()  # when the oldest buffered result arrived
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for feed in self._late_requests(started):  # poll_soon during a long round joins it
                future = self._pool.submit(self._poll_feed, feed)
                feed_of[future] = feed
                pending.add(future)
            if self._stop.is_set():
                for future in pending:
                    future.cancel()
            for future in done:
                if future.cancelled():
                    continue
                try:
                    buffer.append(future.result())
                except Exception as exc:  # a bug in a worker must not stop the other feeds
                    log.exception("polling feed %s failed", feed_of[future]["url"])
                    buffer.append(self._failure(feed_of[future], f"internal error: {exc}"))
            if not buffer:
                oldest = time.monotonic()
            elif (not pending or sum(len(b.docs) for b in buffer) >= BATCH_DOCS
                  or time.monotonic() - oldest >= BATCH_WAIT):
                results += self._store_batch(buffer)
                buffer = []
        if buffer:
            results += self._store_batch(buffer)
        return results

    def _late_requests(self, started: set[int]) -> list[dict[str, Any]]:
        """Feeds asked for with ``poll_soon`` since the round began (those in flight wait for the next)."""
        if self._stop.is_set():
            return []
        with self._soon_lock:
            late = self._soon - started
            self._soon -= late
        feeds = []
        for fid in sorted(late):
            with self._db():
                feed = self.store.feed(fid)
            if feed is not None:
                started.add(fid)
                feeds.append(feed)
        return feeds

    def start(self) -> None:
        """Poll in a background thread until :meth:`stop`."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="parallax-poller", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the background thread: in-flight fetches are cancelled, a running batch finishes."""
        self._stop.set()
        self.fetcher.cancel.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self.fetcher.close()

    # -- the loop --------------------------------------------------------------------------

    def _lower_priority(self) -> None:
        """Poll and build at a lower priority than the web app's requests (``batch_nice``): on Linux
        for this thread only, so ``parallax run`` keeps serving readers at its own priority."""
        yield_cpu(self.settings, thread=True, base=self._base_nice)

    def _run(self) -> None:
        self._lower_priority()
        while not self._stop.is_set():
            try:
                for result in self.poll_once():
                    log.info("feed %s: %s%s", result.url, result.outcome, f" ({result.error})" if result.error else "")
            except Exception:
                log.exception("poll round failed")
            if self._stop.is_set():
                break
            self._wake.wait(self._sleep_time())
            self._wake.clear()

    def _sleep_time(self) -> float:
        with self._soon_lock:
            if self._soon:
                return 0.0
        with self._db():
            due = self.store.next_due()
        if due is None:
            return MAX_SLEEP
        seconds = (datetime.fromisoformat(due) - datetime.now(UTC)).total_seconds()
        return min(max(seconds, 0.2), MAX_SLEEP)

    # -- one feed (worker threads) ---------------------------------------------------------

    def _failure(self, feed: dict[str, Any], error: str, *, status: int | None = None,
                 wait_at_least: float = 0.0) -> _Fetched:
        failures = int(feed.get("failures") or 0) + 1
        delay = max(backoff(failures, self.settings.poll_interval), wait_at_least)
        return _Fetched(feed, "error", error=error, fields={
            "last_fetch": utc_iso(), "last_status": status, "last_error": error, "failures": failures,
            "next_fetch": _later(delay),
        })

    def _poll_feed(self, feed: dict[str, Any]) -> _Fetched:
        """Fetch and parse one feed, and fetch the pages of its new teaser entries."""
        try:
            if feed["kind"] == "page":
                return self._poll_page(feed)
            return self._poll_feed_document(feed)
        except FetchError as exc:
            if self._stop.is_set():  # shutting down: the feed stays as it was, due at the next start
                return _Fetched(feed, "cancelled", error=str(exc))
            return self._failure(feed, str(exc))
        except FeedError as exc:
            return self._failure(feed, f"not a readable feed: {exc}", status=200)

    def _poll_page(self, feed: dict[str, Any]) -> _Fetched:
        response = self.fetcher.get(feed["url"], accept=PAGE_TYPES)
        if response.status != 200:
            return self._status_failure(feed, response)
        doc = RawDocument(source=feed["url"], content=page_body(response), kind="html", url=response.url,
                          outlet=feed.get("title"), placed=datetime.now(UTC))
        return _Fetched(feed, "new", docs=[doc], new_keys=[(feed["url"], response.url)], fields={
            "last_fetch": utc_iso(), "last_status": response.status, "last_error": None, "failures": 0,
            "next_fetch": None,
        })

    def _status_failure(self, feed: dict[str, Any], response: Response) -> _Fetched:
        wait_at_least = 0.0
        if response.status in (429, 503) and response.retry_after is not None:
            wait_at_least = response.retry_after
        error = f"HTTP {response.status}"
        if wait_at_least:
            error += f" (retry after {wait_at_least:.0f}s)"
        return self._failure(feed, error, status=response.status, wait_at_least=wait_at_least)

    def _poll_feed_document(self, feed: dict[str, Any]) -> _Fetched:
        response = self.fetcher.get(feed["url"], accept=FEED_TYPES, etag=feed.get("etag"),
                                    last_modified=feed.get("last_modified"))
        base = feed.get("interval") or self.settings.poll_interval
        if response.not_modified:
            interval = adaptive_interval([], base=self.settings.poll_interval, previous=base, new=0)
            return _Fetched(feed, "not-modified", fields={
                "last_fetch": utc_iso(), "last_status": 304, "last_error": None, "failures": 0,
                "interval": interval, "next_fetch": _later(self._cache_floor(interval, response)),
            })
        if response.status != 200:
            return self._status_failure(feed, response)
        if looks_like_html(response.content, response.content_type):
            return self._from_page(feed, response)
        parsed = parse_feed(response.content, url=response.url, content_type=response.content_type,
                            charset=response.charset)
        return self._new_entries(feed, parsed, response)

    def _from_page(self, feed: dict[str, Any], response: Response) -> _Fetched:
        """An HTML page where a feed was expected: an article is read as one; a site page leads to its feed."""
        links = [u for u in discover_feeds(response.content, response.url) if u != feed["url"]]
        if links and not looks_like_article(response.content):
            return _Fetched(feed, "discovered", fields={
                "url": links[0], "site_url": feed.get("site_url") or response.url, "last_fetch": utc_iso(),
                "last_status": response.status, "last_error": None, "next_fetch": utc_iso(),
            })
        page = dict(feed, kind="page")
        doc = RawDocument(source=feed["url"], content=page_body(response), kind="html", url=response.url,
                          outlet=feed.get("title"), placed=datetime.now(UTC))
        return _Fetched(page, "new", docs=[doc], new_keys=[(feed["url"], response.url)], fields={
            "kind": "page", "last_fetch": utc_iso(), "last_status": response.status, "last_error": None,
            "failures": 0, "next_fetch": None,
        })

    def _cache_floor(self, interval: float, response: Response) -> float:
        """The interval, pushed later by a Cache-Control max-age (up to ``MAX_INTERVAL``)."""
        age = response.max_age
        return max(interval, min(age, MAX_INTERVAL)) if age else interval

    def _new_entries(self, feed: dict[str, Any], parsed: ParsedFeed, response: Response) -> _Fetched:
        keys = [e.key for e in parsed.entries]
        with self._db():
            seen = self.store.seen_entries(feed["id"], keys)
        fresh: dict[str, FeedEntry] = {}
        for entry in parsed.entries:
            if entry.key not in seen and entry.key not in fresh:
                fresh[entry.key] = entry
        entries = list(fresh.values())
        complete = len(entries) <= MAX_NEW_PER_POLL
        entries = entries[:MAX_NEW_PER_POLL]
        outlet = feed.get("title") or parsed.title or urlsplit(feed["url"]).hostname
        docs: list[RawDocument | Rejected] = []
        for entry in entries:
            if self._stop.is_set():
                raise FetchError("poller stopping", url=feed["url"])
            docs.append(self._document(entry, feed["url"], outlet))
        interval = adaptive_interval((e.published for e in parsed.entries), base=self.settings.poll_interval,
                                     previous=feed.get("interval"), new=len(entries))
        fields: dict[str, Any] = {
            "last_fetch": utc_iso(), "last_status": response.status, "last_error": None, "failures": 0,
            "interval": interval,
            "next_fetch": _later(self._cache_floor(interval, response) if complete else 0),
        }
        if complete:  # validators only advance once every entry of this version is taken
            fields.update(etag=response.etag, last_modified=response.last_modified)
        if response.moved and feed["kind"] == "feed":
            fields["url"] = response.url  # a permanent redirect: poll the new address from now on
        if not feed.get("title") and parsed.title:
            fields["title"] = parsed.title
        if parsed.site_url and not feed.get("site_url"):
            fields["site_url"] = parsed.site_url
        return _Fetched(feed, "new" if entries else "unchanged", docs=docs,
                        new_keys=[(e.key, e.url) for e in entries], fields=fields)

    def _document(self, entry: FeedEntry, feed_url: str, outlet: str | None) -> RawDocument | Rejected:
        """The entry's document, or its rejection: one bad entry never fails its feed."""
        try:
            return self._entry_document(entry, feed_url, outlet)
        except Exception as exc:  # a bulkhead: the feed's other entries go on
            log.exception("feed entry %s of %s could not be read", entry.url or entry.key, feed_url)
            return Rejected(source=entry.url or feed_url, reason=f"entry could not be read: {exc}", stage="fetch")

    def _entry_document(self, entry: FeedEntry, feed_url: str, outlet: str | None) -> RawDocument | Rejected:
        """The entry's document: its article page when the feed item is a teaser."""
        if not entry.truncated or not entry.url:
            return entry_document(entry, feed_url=feed_url, outlet=outlet)
        try:
            page = self.fetcher.get(entry.url, accept=PAGE_TYPES)
        except FetchError as exc:
            return self._teaser_fallback(entry, feed_url, outlet, str(exc))
        if page.status != 200:
            return self._teaser_fallback(entry, feed_url, outlet, f"HTTP {page.status}")
        return entry_document(entry, feed_url=feed_url, outlet=outlet, page=page_body(page), page_url=page.url)

    def _teaser_fallback(self, entry: FeedEntry, feed_url: str, outlet: str | None,
                         reason: str) -> RawDocument | Rejected:
        if entry.content or entry.summary:
            log.info("article page %s unavailable (%s): using the feed's text", entry.url, reason)
            return entry_document(entry, feed_url=feed_url, outlet=outlet)
        return Rejected(source=entry.url or feed_url, reason=f"article page unavailable: {reason}", stage="fetch")

    # -- storing (the poll thread only) ----------------------------------------------------

    def _store_batch(self, batch: list[_Fetched]) -> list[PollResult]:
        """Ingest the batch's documents, then record each feed's poll (entries seen, validators)."""
        docs = [d for b in batch for d in b.docs]
        added_sources: dict[str, int] = {}
        if docs:
            try:
                with self._db():
                    report = self.pipeline.ingest(docs)
                for article in getattr(report, "articles", []):
                    added_sources[article.source] = added_sources.get(article.source, 0) + 1
            except Exception as exc:
                log.exception("ingesting %d documents failed", len(docs))
                batch = [b if not b.docs else self._failure(b.feed, f"processing failed: {exc}") for b in batch]
        results = []
        for item in batch:
            if item.outcome == "cancelled":
                continue
            fields = dict(item.fields)
            new_keys = item.new_keys if item.outcome != "error" else []
            with self._db():
                other = self.store.feed_by_url(fields["url"]) if "url" in fields else None
                if other is not None and other["id"] != item.feed["id"]:
                    if item.outcome == "discovered":
                        fields = {"last_error": f"duplicate of feed {other['id']} ({fields['url']})",
                                  "next_fetch": None, "last_fetch": fields["last_fetch"]}
                    else:  # moved to a feed already in the list: keep this one's address
                        del fields["url"]
                self.store.record_poll(item.feed["id"], new_entries=new_keys, **fields)
            added = sum(added_sources.get(getattr(d, "source", ""), 0) for d in item.docs)
            result = PollResult(
                feed_id=item.feed["id"], url=item.feed["url"], outcome=item.outcome,
                status=fields.get("last_status"), new_entries=len(new_keys), articles_added=added,
                error=item.error, next_fetch=fields.get("next_fetch"),
            )
            if item.outcome == "discovered":
                self.poll_soon(item.feed["id"])
            if self.on_result is not None:
                self.on_result(result)
            results.append(result)
        return results


__all__ = ["MAX_INTERVAL", "MIN_INTERVAL", "PollResult", "Poller", "adaptive_interval", "backoff"]
