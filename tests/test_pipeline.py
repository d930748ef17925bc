"""The pipeline in process, on both stores: stages composed, state restored between batches, one transaction a batch."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from conftest import EXAMPLES

from parallax.models import RawDocument, Rejected
from parallax.pipeline import Pipeline, digest
from parallax.settings import load
from parallax.sources.files import read_paths
from parallax.store import open_store


def doc(name: str, outlet: str, text: str, day: int = 15) -> RawDocument:
    return RawDocument(source=f"{name}.txt", content=text, kind="text", outlet=outlet, title=text.split(".")[0],
                       url=f"https://{outlet.lower().replace(' ', '')}.example/{name}",
                       published=datetime(2022, 2, day, 12, tzinfo=UTC))


BRIDGE = ("The city council reopened the harbour bridge on Tuesday after eight months of repairs. Engineers replaced "
          "240 steel cables and resurfaced the deck. The mayor said the work came in under budget, and a cycle lane "
          "will open next month.")


def test_restored_state_continues_across_pipelines(store_url):
    settings = load(db=store_url)
    store = open_store(settings.db)
    first = Pipeline(store, settings).ingest(read_paths([EXAMPLES / "reuters-russia-pullback.html"], settings))
    assert first.articles_added == 1 and len(first.stories_touched) == 1
    # A new Pipeline (as in a new process) restores the dedup index and the grouper from the store.
    second = Pipeline(store, settings).ingest(read_paths([EXAMPLES / "dw-archive.warc.gz"], settings))
    assert second.articles_added == 1
    assert second.stories_touched == first.stories_touched or second.merged
    assert store.stats()["stories"] == 1


def test_copy_in_a_later_batch_points_to_the_stored_canonical(store_url):
    store = open_store(store_url)
    Pipeline(store).ingest([doc("bridge", "City Herald", BRIDGE)])
    report = Pipeline(store).ingest([doc("bridge-copy", "Evening Post", BRIDGE + " Traffic was light.")])
    [copy] = report.articles
    assert copy.duplicate_of is not None and store.article(copy.duplicate_of).outlet == "City Herald"
    [story] = store.list_stories()
    assert sorted(story["outlets"]) == ["City Herald", "Evening Post"]


STORM = ("A winter storm brought heavy snow to the northern valleys on Monday, "
         "closing two mountain passes and cutting power to 3,000 homes, the regional utility said.")


def test_failing_stage_in_the_write_leaves_the_store_untouched(store_url, monkeypatch):
    store = open_store(store_url)
    Pipeline(store).ingest([doc("bridge", "City Herald", BRIDGE)])
    before, state = store.stats(), store.get_state("stories")

    def boom(*args, **kwargs):
        raise RuntimeError("grouping crashed")

    monkeypatch.setattr("parallax.stories.StoryGrouper.add_many", boom)
    with pytest.raises(RuntimeError):
        Pipeline(store).ingest([doc("storm", "Weather Daily", STORM)])
    assert store.stats() == before and store.get_state("stories") == state


def test_failed_synthesis_leaves_the_story_pending_and_the_next_batch_completes_it(store_url, monkeypatch):
    store = open_store(store_url)
    Pipeline(store).ingest([doc("bridge", "City Herald", BRIDGE)])
    real = __import__("parallax.pipeline", fromlist=["synthesize"]).synthesize

    def boom(*args, **kwargs):
        raise RuntimeError("synthesis crashed")

    monkeypatch.setattr("parallax.pipeline.synthesize", boom)
    report = Pipeline(store).ingest([doc("storm", "Weather Daily", STORM)])  # no traceback: the batch goes on
    [storm] = report.articles
    [story_id] = report.failed_syntheses
    assert store.article(storm.id) is not None and store.story(story_id) is None
    assert store.pending_syntheses() == 1
    monkeypatch.setattr("parallax.pipeline.synthesize", real)
    Pipeline(store).ingest([])  # any later batch, even an empty one, takes the pending story over
    assert store.pending_syntheses() == 0 and store.story(story_id)["article_ids"] == [storm.id]


def test_digest_document_has_articles_rejections_and_stories():
    result = digest([doc("bridge", "City Herald", BRIDGE), Rejected("broken.html", "broken gzip file")])
    assert [a["outlet"] for a in result["articles"]] == ["City Herald"]
    assert result["rejected"] == [{"source": "broken.html", "reason": "broken gzip file"}]
    assert len(result["stories"]) == 1 and result["stories"][0]["article_ids"] == [result["articles"][0]["id"]]


def test_story_retired_within_a_batch_still_gets_its_synthesis(store_url, monkeypatch):
    # A batch spanning months: the grouper retires early stories (out of its index) during the batch;
    # each must still be stored with its synthesis.
    monkeypatch.setattr("parallax.stories.EVICT_EVERY", 2)
    settings = load(db=store_url, embeddings=False, story_window_days=1.0)
    store = open_store(settings.db)
    events = [("Lyon", "bridge", "cyclists"), ("Quito", "airport", "pilots"), ("Perth", "stadium", "fans"),
              ("Oslo", "library", "readers"), ("Dakar", "harbour", "fishermen"), ("Hanoi", "tramway", "commuters")]
    leads = ["{p} opened its new {w} on Monday, and {c} were first to use it.",
             "Hundreds of {c} queued as the {w} of {p} finally opened after years of delays."]
    tails = ["The mayor of {p} said the {w} cost less than planned.", "Officials expect {c} to fill the {w} daily."]
    docs = [
        RawDocument(source=f"{p}-{k}.txt", kind="text", outlet=f"Outlet {k}", title=f"{p} opens its {w}",
                    content=(leads[k] + " " + tails[k]).format(p=p, w=w, c=c),
                    published=datetime(2022, 1 + month, 10 + k, 12, tzinfo=UTC))
        for month, (p, w, c) in enumerate(events) for k in range(2)
    ]
    report = Pipeline(store, settings).ingest(docs)
    assert report.articles_added == 12 and len(report.stories_touched) == 6
    stored = store.list_stories(limit=100)
    assert sorted(s["id"] for s in stored) == sorted(report.stories_touched)


def test_late_copy_of_a_retired_story_adds_its_outlet(store_url, monkeypatch):
    monkeypatch.setattr("parallax.stories.EVICT_EVERY", 2)
    settings = load(db=store_url, embeddings=False, story_window_days=1.0)
    store = open_store(settings.db)
    storm = ("A winter storm brought heavy snow to the northern valleys on Monday, closing two mountain passes "
             "and cutting power to 3,000 homes, the regional utility said.")
    concert = ("The city orchestra played its first open-air concert of the year in the harbour park on Friday, "
               "and organisers counted 12,000 listeners on the lawns.")
    first = Pipeline(store, settings)
    first.ingest([doc("bridge", "City Herald", BRIDGE, day=1), doc("storm", "Weather Daily", storm, day=10),
                  doc("concert", "Culture Post", concert, day=11)])
    [bridge_story] = [s for s in store.list_stories() if s["outlets"] == ["City Herald"]]
    assert bridge_story["id"] not in {s.id for s in first.grouper.stories()}  # retired: out of the index
    report = Pipeline(store, settings).ingest([doc("bridge-copy", "Evening Post", BRIDGE + " Traffic was light.",
                                                   day=12)])
    assert report.articles[0].duplicate_of is not None and report.stories_touched == [bridge_story["id"]]
    assert sorted(store.story_listing(bridge_story["id"])["outlets"]) == ["City Herald", "Evening Post"]
    assert "Evening Post" in json.dumps(store.story(bridge_story["id"]))


def test_two_writers_with_stale_state_in_memory_do_not_fork_it(store_url):
    # Two pipelines (as two processes) both hold the state in memory; each batch re-reads what the
    # other saved meanwhile, so neither overwrites the other's articles in the dedup index or grouper.
    settings = load(db=store_url, embeddings=False)
    first, second = Pipeline(open_store(settings.db), settings), Pipeline(open_store(settings.db), settings)
    assert len(first.dedup) == len(second.dedup) == 0  # both loaded before either wrote
    bridge = first.ingest([doc("bridge", "City Herald", BRIDGE)]).articles[0]
    storm = second.ingest([doc("storm", "Weather Daily", STORM)]).articles[0]
    later = Pipeline(open_store(settings.db), settings)
    assert {bridge.id, storm.id} <= set(later.dedup.known_ids()) and {bridge.id, storm.id} <= set(later.grouper.known_ids())
    copy = first.ingest([doc("bridge-copy", "Evening Post", BRIDGE + " Traffic was light.")]).articles[0]
    assert copy.duplicate_of == bridge.id


def test_a_synthesis_of_an_older_membership_never_overwrites_a_newer_one(store_url):
    settings = load(db=store_url, embeddings=False)
    store = open_store(settings.db)
    [story_id] = Pipeline(store, settings).ingest([doc("bridge", "City Herald", BRIDGE)]).stories_touched
    old = store.synthesis_input(story_id)
    report = Pipeline(store, settings).ingest([doc("bridge-copy", "Evening Post", BRIDGE + " Traffic was light.")])
    assert report.stories_touched == [story_id]
    newer = store.story(story_id)
    assert "Evening Post" in json.dumps(newer)
    from parallax.synthesis import synthesize

    stale = synthesize(old.story, old.canonical, copies=old.copies, embeddings=False)
    assert store.save_synthesis(old.story, stale, old.members, old.version) is False
    assert store.story(story_id) == newer and store.pending_syntheses() == 0
