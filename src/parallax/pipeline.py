"""Composition of the stages: read -> clean -> de-duplicate -> group -> synthesise -> store.

>>> from parallax.store import open_store
>>> report = Pipeline(open_store(":memory:")).ingest([])
>>> report.articles_added
0

No logic of its own beyond wiring: each stage lives in its module. The heavy work runs outside any
transaction: cleaning and the text features before the write, synthesis after it. The write itself
is short: it re-reads the de-duplication index and the story grouper when another writer (a
concurrent ``parallax build``, ``parallax run``) saved them since this one read them (a generation
counter tells), applies the batch to them and saves them with the articles, in one transaction, so
concurrent writers never fork or drop that state and a failed batch leaves the store as it was.
Each synthesis is then saved in its own short transaction, only if the story's membership is still
the one it was computed from; a story left without a current synthesis (a crash, a failure) is
taken over by the next batch of any writer. See docs/reliability.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from .dedup import Deduplicator, Fingerprint
from .models import Article, RawDocument, Rejected, Story
from .rank import rank_stories
from .runners import Analyses, InProcessRunner, Runner, SynthesisJob
from .settings import Settings, load
from .store import Store, open_store
from .store.versions import my_claim
from .stories import ArticleFeatures, StoryGrouper
from .synthesis import synthesize
from .synthesis.stored import analysis_version, encode_many, load_stored
from .text.embed import Embedder, default_embedder

log = logging.getLogger(__name__)

#: ``progress(stage, done, total)``: injected by the CLI (a Rich bar); library code never prints.
Progress = Callable[[str, int, "int | None"], None]

DEDUP_STATE = "dedup"
GROUPER_STATE = "stories"
STATE_KEYS = (DEDUP_STATE, GROUPER_STATE)
#: A synthesis found stale at save time (the story changed meanwhile) is recomputed this many times in all.
SYNTHESIS_ATTEMPTS = 3


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def _aware(value: datetime | None) -> datetime | None:
    """A naive date is taken as UTC, so every date compares with every other."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _time_key(article: Article) -> tuple[datetime, str]:
    """Articles are fed in publication order; undated ones at the end, in the order of their feed or
    file time (``Article.placed``; input order where they have none)."""
    placed = _aware(article.placed)
    return (_aware(article.published) or datetime.max.replace(tzinfo=UTC), placed.isoformat() if placed else "~")


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
    failed_syntheses: list[str] = field(default_factory=list)  # left pending for the next batch

    @property
    def processed(self) -> int:
        """Documents that were read and cleaned (new or already stored)."""
        return self.articles_added + self.already_stored


class Pipeline:
    """Ingests documents into a store, keeping stories and their syntheses current."""

    def __init__(self, store: Store, settings: Settings | None = None, *, progress: Progress | None = None,
                 embedder: Embedder | None = None, runner: Runner | None = None):
        self.store = store
        self.runner = runner or InProcessRunner()  # where the parallel stages run (see runners/)
        self.settings = settings or load()
        self.embedder = embedder or default_embedder()
        self.progress = progress or _no_progress
        self._dedup: Deduplicator | None = None
        self._grouper: StoryGrouper | None = None
        self._generation: tuple[int, ...] | None = None  # of the stored state the two above reflect
        self.claim = my_claim()

    # -- state -----------------------------------------------------------------------------

    @property
    def dedup(self) -> Deduplicator:
        if self._dedup is None:
            self._load()
        assert self._dedup is not None
        return self._dedup

    @property
    def grouper(self) -> StoryGrouper:
        if self._grouper is None:
            self._load()
        assert self._grouper is not None
        return self._grouper

    def _load(self) -> None:
        """Restore the dedup index and the grouper as stored now (one snapshot), with their generation."""
        with self.store.read():
            generation = self.store.state_generations(STATE_KEYS)
            dedup_blob = self.store.get_state(DEDUP_STATE)
            grouper_blob = self.store.get_state(GROUPER_STATE)
        self._dedup = Deduplicator.from_state(dedup_blob, self.settings) if dedup_blob else Deduplicator(self.settings)
        self._grouper = (StoryGrouper.from_state(grouper_blob, self.settings, self.embedder) if grouper_blob
                         else StoryGrouper(self.settings, self.embedder))
        self._generation = generation

    def _current(self) -> bool:
        """Whether the state in memory is the stored one (no other writer saved since)."""
        return self._dedup is not None and self.store.state_generations(STATE_KEYS) == self._generation

    def _forget(self) -> None:
        """Drop the state in memory (it may hold a batch that was not committed)."""
        self._dedup = self._grouper = None
        self._generation = None

    # -- stages ----------------------------------------------------------------------------

    def ingest(self, inputs: Iterable[RawDocument | Rejected]) -> IngestReport:
        """Run one batch through every stage.

        Reading, cleaning and the text features (copy fingerprints, embeddings, entities) are computed
        first, outside any transaction. One short write transaction then brings the dedup index and the
        grouper up to date with the store (re-read only when another writer saved them since), marks
        copies, groups, and stores the articles, their stories' new versions and the state. The touched
        stories are synthesised afterwards, each saved in its own short transaction unless a newer
        membership of the story was stored meanwhile (whoever stored it synthesises it).
        """
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
        for done, result in enumerate(self.runner.clean(raw, self.settings), start=1):
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

        # -- compute before the write: fingerprints, a first pass of dedup, grouping features --
        if not self._current():
            self._load()
        try:  # from here the state in memory holds this batch: forgotten unless it is committed
            prints = {a.id: self.dedup.fingerprint(a) for a in ordered}
            marked = self._mark_copies(ordered, prints)
            analyses: Analyses = {}
            features = self._featurize([a for a in ordered if marked[a.id].duplicate_of is None], analyses)

            # -- one short write transaction --
            with self.store.write():
                if self.store.state_generations(STATE_KEYS) != self._generation:
                    self._load()  # another writer saved since: redo the cheap part on the newest state
                    again = self.store.has_articles(a.id for a in ordered)
                    report.already_stored += len(again)
                    ordered = [a for a in ordered if a.id not in again]
                    marked = self._mark_copies(ordered, prints)
                    late = [a for a in ordered if marked[a.id].duplicate_of is None and a.id not in features]
                    features.update(self._featurize(late, analyses))
                touched, merged = self._group_and_store(ordered, marked, features, analyses, report)
                self._generation = self.store.state_generations(STATE_KEYS)
                orphans = self.store.claim_pending(self.claim)
        except BaseException:
            self._forget()
            raise

        # -- synthesis, outside the transaction --
        todo = touched + sorted(set(orphans) - set(touched))
        if self.runner.parallel:
            self._synthesize_many(todo, report)
        else:
            for done, story_id in enumerate(todo, start=1):
                self._synthesize(story_id, report)
                self.progress("synthesize", done, len(todo))

        report.articles_added = len(ordered)
        added = {a.id for a in ordered}
        report.articles = [marked[i] for i in fresh if i in added]
        report.stories_touched = touched
        report.merged = merged
        log.info(
            "ingested %d documents: %d new articles (%d copies), %d already stored, %d rejected, %d stories "
            "touched, %d pending stories taken over, %d syntheses failed",
            report.documents, report.articles_added, report.duplicates, report.already_stored,
            len(report.rejected), len(touched), len(set(orphans) - set(touched)), len(report.failed_syntheses),
        )
        return report

    def _mark_copies(self, ordered: Sequence[Article], prints: dict[str, Fingerprint]) -> dict[str, Article]:
        """Run the batch through the dedup index (in memory; saved with the batch)."""
        marked: dict[str, Article] = {}
        for done, article in enumerate(ordered, start=1):
            marked[article.id] = self.dedup.add(article, prints[article.id])
            self.progress("dedup", done, len(ordered))
        return marked

    def _featurize(self, articles: Sequence[Article], analyses: Analyses) -> dict[str, ArticleFeatures]:
        """Grouping features of the articles, and their per-article analysis (into ``analyses``): both
        computed before the write, the analysis stored with the articles for every later synthesis."""
        self.progress("features", 0, len(articles))
        found = {f.article_id: f for f in self.runner.featurize(articles, self.settings, self.embedder)} if articles else {}
        if articles:
            analyses.update(self.runner.analyse(articles, self.settings))
        self.progress("features", len(articles), len(articles))
        return found

    def _group_and_store(self, ordered: Sequence[Article], marked: dict[str, Article],
                         features: dict[str, ArticleFeatures], analyses: Analyses,
                         report: IngestReport) -> tuple[list[str], dict[str, str]]:
        """Inside the write transaction: group the canonical articles, store everything, save the state."""
        canonical = [a for a in (marked[a.id] for a in ordered) if a.duplicate_of is None]
        copies = [marked[a.id] for a in ordered if marked[a.id].duplicate_of is not None]
        report.duplicates = len(copies)

        story_of: dict[str, str] = {}
        merged: dict[str, str] = {}
        self.progress("group", 0, len(canonical))
        for assignment in self.grouper.add_many(canonical, [features[a.id] for a in canonical]):
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
        live = [story for sid in touched if (story := self.grouper.story(sid) or self._stored_story(sid))]
        self.store.upsert_articles((marked[a.id] for a in ordered), story_of)
        self.store.save_analyses({a.id: analyses[a.id] for a in canonical if a.id in analyses})
        self.store.mark_merged(merged)
        self.store.touch_stories(live, self.claim)
        if ordered:
            self.store.set_state(DEDUP_STATE, self.dedup.state())
            self.store.set_state(GROUPER_STATE, self.grouper.state())
        if report.rejected:
            self.store.add_rejections(report.rejected)
        return [s.id for s in live], merged

    def _stories_of_canonicals(self, ids: set[str], in_batch: dict[str, str]) -> dict[str, str]:
        found = {i: in_batch[i] for i in ids if i in in_batch}
        missing = [i for i in ids if i not in found]
        for article_id in missing:
            stored = self.store.story_of_article(article_id)
            if stored:
                found[article_id] = self.store.resolve_story_id(stored) or stored
        return found

    def _stored_story(self, story_id: str) -> Story | None:
        """A story the grouper has retired (e.g. a late copy joins it), as the store holds it."""
        row = self.store.story_listing(story_id)
        if row is None:
            return None
        members = self.store.story_articles(story_id)
        return Story(id=story_id, title=row["title"], keywords=tuple(row["keywords"]),
                     article_ids=tuple(a.id for a in members if a.duplicate_of is None))

    def _synthesize_many(self, todo: Sequence[str], report: IngestReport) -> None:
        """Synthesise many stories at once on the runner, then save each as :meth:`_synthesize` does.

        Snapshots are taken first; a story whose membership changed before its result is saved is
        recomputed here, one at a time, by :meth:`_synthesize`.
        """
        jobs: list[tuple[str, Any, SynthesisJob | None]] = []
        for story_id in todo:
            try:
                snapshot = self.store.synthesis_input(story_id)
            except Exception as error:  # noqa: BLE001 - one story never fails the batch
                log.error("synthesis of story %s failed (%s: %s); it stays pending for the next batch",
                          story_id, type(error).__name__, error)
                report.failed_syntheses.append(story_id)
                continue
            if snapshot is None or snapshot.current:
                continue
            canonical = snapshot.canonical
            job = (SynthesisJob(snapshot.story, tuple(canonical), tuple(snapshot.copies),
                                self.settings.summary_words, self.settings.embeddings,
                                tuple(self.store.analyses([a.id for a in canonical],
                                                          version=analysis_version()).items()))
                   if canonical else None)
            jobs.append((story_id, snapshot, job))
        work = [job for _, _, job in jobs if job is not None]
        results = iter(self.runner.synthesize(work))
        for done, (story_id, snapshot, job) in enumerate(jobs, start=1):
            result = next(results) if job is not None else None
            if isinstance(result, Exception):
                log.error("synthesis of story %s failed (%s: %s); it stays pending for the next batch",
                          story_id, type(result).__name__, result)
                report.failed_syntheses.append(story_id)
            elif not self.store.save_synthesis(snapshot.story, result, snapshot.members, snapshot.version):
                log.info("story %s changed while it was synthesised: recomputing", story_id)
                self._synthesize(story_id, report)
            self.progress("synthesize", done, len(jobs))

    def _synthesize(self, story_id: str, report: IngestReport) -> bool:
        """Synthesise a story from one snapshot of its members; saved unless a newer membership landed.

        A stale result is recomputed (a few times); past that, the writer that stored the newer
        membership has claimed the story and synthesises it. A failure leaves the story pending for the
        next batch (of any writer); the rest of the batch goes on.
        """
        for _ in range(SYNTHESIS_ATTEMPTS):
            try:
                snapshot = self.store.synthesis_input(story_id)
                if snapshot is None:  # merged into another story meanwhile: that one is synthesised
                    return False
                if snapshot.current:  # another writer already saved a synthesis of this membership
                    return True
                canonical = snapshot.canonical
                unanalysed = load_stored(self.store, canonical, embeddings=self.settings.embeddings)
                synthesis = (synthesize(snapshot.story, canonical, copies=snapshot.copies,
                                        summary_words=self.settings.summary_words,
                                        embeddings=self.settings.embeddings) if canonical else None)
                if unanalysed:  # stored before analyses were (an older database): kept for next time
                    self.store.save_analyses(encode_many(unanalysed, embeddings=self.settings.embeddings))
            except Exception as error:  # noqa: BLE001 - one story never fails the batch
                log.error("synthesis of story %s failed (%s: %s); it stays pending for the next batch",
                          story_id, type(error).__name__, error)
                report.failed_syntheses.append(story_id)
                return False
            if self.store.save_synthesis(snapshot.story, synthesis, snapshot.members, snapshot.version):
                return True
            log.info("story %s changed while it was synthesised: recomputing", story_id)
        return False


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


def document(store: Store, articles: Sequence[Article], rejected: Sequence[Rejected],
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
