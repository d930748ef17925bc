"""Composition of the stages: read -> clean -> de-duplicate -> group -> synthesise -> store.

>>> from parallax.store import open_store
>>> report = Pipeline(open_store(":memory:")).ingest([])
>>> report.articles_added
0

No logic of its own beyond wiring: each stage lives in its module. The de-duplication index and the
story grouper are restored from the store at start and saved back with the batch, in the same
transaction as the articles and stories, so a failed batch leaves the store as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from .clean import clean_documents
from .dedup import Deduplicator
from .models import Article, RawDocument, Rejected, Story
from .rank import rank_stories
from .settings import Settings, load
from .store import SQLiteStore, open_store
from .stories import StoryGrouper
from .synthesis import synthesize

log = logging.getLogger(__name__)

#: ``progress(stage, done, total)``: injected by the CLI (a Rich bar); library code never prints.
Progress = Callable[[str, int, "int | None"], None]

DEDUP_STATE = "dedup"
GROUPER_STATE = "stories"


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def _aware(value: datetime | None) -> datetime | None:
    """A naive date is taken as UTC, so every date compares with every other."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _time_key(article: Article) -> tuple[datetime, str]:
    """Articles are fed in publication order; undated ones keep their input order at the end."""
    return (_aware(article.published) or datetime.max.replace(tzinfo=UTC), "")


@dataclass(slots=True)
class IngestReport:
    """What one batch did."""

    documents: int = 0
    articles_added: int = 0
    already_stored: int = 0
    duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)  # this batch's new articles, input order
    stories_touched: list[str] = field(default_factory=list)
    merged: dict[str, str] = field(default_factory=dict)

    @property
    def processed(self) -> int:
        """Documents that were read and cleaned (new or already stored)."""
        return self.articles_added + self.already_stored


class Pipeline:
    """Ingests documents into a store, keeping stories and their syntheses current."""

    def __init__(self, store: SQLiteStore, settings: Settings | None = None, *, progress: Progress | None = None):
        self.store = store
        self.settings = settings or load()
        self.progress = progress or _no_progress
        self._dedup: Deduplicator | None = None
        self._grouper: StoryGrouper | None = None

    # -- state -----------------------------------------------------------------------------

    @property
    def dedup(self) -> Deduplicator:
        if self._dedup is None:
            blob = self.store.get_state(DEDUP_STATE)
            self._dedup = Deduplicator.from_state(blob, self.settings) if blob else Deduplicator(self.settings)
        return self._dedup

    @property
    def grouper(self) -> StoryGrouper:
        if self._grouper is None:
            blob = self.store.get_state(GROUPER_STATE)
            self._grouper = StoryGrouper.from_state(blob, self.settings) if blob else StoryGrouper(self.settings)
        return self._grouper

    # -- stages ----------------------------------------------------------------------------

    def ingest(self, inputs: Iterable[RawDocument | Rejected]) -> IngestReport:
        """Run one batch through every stage and store the result in one transaction."""
        report = IngestReport()
        raw: list[RawDocument] = []
        for item in inputs:
            report.documents += 1
            if isinstance(item, Rejected):
                report.rejected.append(item)
            else:
                raw.append(item)
            self.progress("read", report.documents, None)

        cleaned: list[Article] = []
        for done, result in enumerate(clean_documents(raw, self.settings), start=1):
            if isinstance(result, Rejected):
                report.rejected.append(result)
            else:
                cleaned.append(result)
            self.progress("clean", done, len(raw))

        stored = self.store.has_articles(a.id for a in cleaned)
        fresh: dict[str, Article] = {}
        for article in cleaned:
            if article.published is not None and article.published.tzinfo is None:
                article = replace(article, published=_aware(article.published))
            if article.id in stored or article.id in fresh:
                report.already_stored += 1
            else:
                fresh[article.id] = article
        ordered = sorted(fresh.values(), key=_time_key)

        marked: dict[str, Article] = {}
        for done, article in enumerate(ordered, start=1):
            marked[article.id] = self.dedup.add(article)
            self.progress("dedup", done, len(ordered))
        canonical = [a for a in (marked[a.id] for a in ordered) if a.duplicate_of is None]
        copies = [a for a in marked.values() if a.duplicate_of is not None]
        report.duplicates = len(copies)

        story_of: dict[str, str] = {}
        merged: dict[str, str] = {}
        self.progress("group", 0, len(canonical))
        for assignment in self.grouper.add_many(canonical):
            story_of[assignment.article_id] = assignment.story_id
            for old in assignment.merged:
                merged[old] = assignment.story_id
        self.progress("group", len(canonical), len(canonical))
        redirects = self.grouper.redirects()
        merged = {old: redirects.get(new, new) for old, new in merged.items()}
        story_of = {a: redirects.get(s, s) for a, s in story_of.items()}

        canonical_story = self._stories_of_canonicals({c.duplicate_of for c in copies if c.duplicate_of}, story_of)
        for copy in copies:
            sid = canonical_story.get(copy.duplicate_of or "")
            if sid:
                story_of[copy.id] = sid

        touched = sorted({sid for sid in story_of.values()} | set(merged.values()))
        live = {sid: story for sid in touched if (story := self.grouper.story(sid) or self._stored_story(sid))}
        with self.store.write():
            self.store.upsert_articles((marked[a.id] for a in ordered), story_of)
            self.store.mark_merged(merged)
            for done, story_id in enumerate(touched, start=1):
                story = live.get(story_id)
                if story is not None:
                    self._synthesize_story(story)
                self.progress("synthesize", done, len(touched))
            self.store.set_state(DEDUP_STATE, self.dedup.state())
            self.store.set_state(GROUPER_STATE, self.grouper.state())
            if report.rejected:
                self.store.add_rejections(report.rejected)

        report.articles_added = len(ordered)
        report.articles = [marked[a.id] for a in fresh.values()]
        report.stories_touched = touched
        report.merged = merged
        log.info(
            "ingested %d documents: %d new articles (%d copies), %d already stored, %d rejected, %d stories touched",
            report.documents, report.articles_added, report.duplicates, report.already_stored,
            len(report.rejected), len(touched),
        )
        return report

    def _stories_of_canonicals(self, ids: set[str], in_batch: dict[str, str]) -> dict[str, str]:
        found = {i: in_batch[i] for i in ids if i in in_batch}
        missing = [i for i in ids if i not in found]
        for article_id in missing:
            row = self.store.conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row and row[0]:
                found[article_id] = self.store.resolve_story_id(row[0]) or row[0]
        return found

    def _stored_story(self, story_id: str) -> Story | None:
        """A story the grouper has retired (e.g. a late copy joins it), as the store holds it."""
        row = self.store.story_listing(story_id)
        if row is None:
            return None
        members = self.store.story_articles(story_id)
        return Story(id=story_id, title=row["title"], keywords=tuple(row["keywords"]),
                     article_ids=tuple(a.id for a in members if a.duplicate_of is None))

    def _synthesize_story(self, story: Any) -> None:
        members = self.store.story_articles(story.id)
        canonical = [a for a in members if a.duplicate_of is None]
        if not canonical:
            return
        copies = [a for a in members if a.duplicate_of is not None]
        synthesis = synthesize(story, canonical, copies=copies, summary_words=self.settings.summary_words,
                               embeddings=self.settings.embeddings)
        self.store.save_story(story, synthesis, members)


def digest(inputs: Iterable[RawDocument | Rejected], settings: Settings | None = None,
           *, progress: Progress | None = None) -> dict[str, Any]:
    """One-shot, no database file: the JSON document of ``docs/json.md`` for the given inputs."""
    settings = settings or load()
    store = open_store(":memory:")
    try:
        report = Pipeline(store, settings, progress=progress).ingest(inputs)
        return document(store, report.articles, report.rejected)
    finally:
        store.close()


def document(store: SQLiteStore, articles: Sequence[Article], rejected: Sequence[Rejected],
             story_ids: Sequence[str] | None = None) -> dict[str, Any]:
    """The JSON document: articles, rejections and the (ranked) stories they belong to."""
    listing = store.list_stories(limit=1_000_000, ids=story_ids)
    stories = []
    for row in rank_stories(listing):
        body = store.story(row["id"])
        if body is not None:
            stories.append(body)
    return {
        "articles": [a.to_dict() for a in articles],
        "rejected": [r.to_dict() for r in rejected],
        "stories": stories,
    }


__all__ = ["IngestReport", "Pipeline", "digest", "document"]
