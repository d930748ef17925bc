"""Each article analysed once, on both stores: the per-article analysis is stored with the article when
it is featurised, and a later synthesis of its story (another process: cold caches) reads it instead of
running pysbd, spaCy and MiniLM again, with a synthesis identical to one computed from scratch."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from parallax.models import Article, RawDocument
from parallax.pipeline import Pipeline
from parallax.settings import load
from parallax.store import open_store
from parallax.synthesis import synthesize
from parallax.synthesis import stored as stored_analysis
from parallax.synthesis.stored import analysis_version, clear_caches, decode, load_stored

QUAKE = [
    ("Coast Daily", "A magnitude 6.1 earthquake struck the northern coast on Monday, damaging 120 homes and cutting "
     "power to 40,000 people, the civil protection agency said. \"We are still counting the damage,\" said Mayor "
     "Ana Ruiz of Porto Vale. Schools stayed closed on Tuesday while engineers inspected them."),
    ("Valley Post", "An earthquake of magnitude 6.1 hit the northern coast on Monday. About 120 houses were damaged "
     "and 40,000 people lost power, according to the civil protection agency. Mayor Ana Ruiz said rescue teams "
     "had reached every village by nightfall. The national weather service warned of aftershocks."),
    ("Harbour News", "Rescue teams reached every village of the northern coast after Monday's magnitude 6.1 "
     "earthquake, Mayor Ana Ruiz said. The civil protection agency put the damage at 120 homes. Power returned "
     "to most of the 40,000 households on Tuesday, the utility said."),
]


def docs(items, day=3):
    return [RawDocument(source=f"{k}.txt", content=text, kind="text", outlet=outlet, title=text.split(".")[0],
                        url=f"https://{outlet.lower().replace(' ', '')}.example/{k}",
                        published=datetime(2024, 3, day, 8 + k, tzinfo=UTC))
            for k, (outlet, text) in enumerate(items)]


def _fresh(store, story_id, embeddings=True):
    """The story's synthesis computed from scratch (cold caches, nothing read from the store)."""
    clear_caches()
    snap = store.synthesis_input(story_id)
    return synthesize(snap.story, snap.canonical, copies=snap.copies, embeddings=embeddings).to_dict(), snap


@pytest.mark.parametrize("embeddings", [True, False])
def test_analysis_stored_once_and_resynthesis_reads_it_identically(store_url, monkeypatch, embeddings):
    settings = load(db=store_url, embeddings=embeddings)
    store = open_store(store_url)
    report = Pipeline(store, settings).ingest(docs(QUAKE[:2]))
    [story_id] = report.stories_touched
    ids = [a.id for a in report.articles]
    blobs = store.analyses(ids, version=analysis_version())
    assert sorted(blobs) == sorted(ids)  # stored in the batch's write, for every canonical article
    assert store.analyses(ids, version="other-code") == {}  # made by other code: not used
    decoded = [decode(article, blobs[article.id]) for article in report.articles]
    assert any(found.parts.mentions for found in decoded) and any(found.reported for found in decoded)
    for found in decoded:
        assert found is not None and found.parts.sentences and found.parts.dates
        assert (found.vectors is not None) == embeddings
        if embeddings:
            assert found.vectors.shape == (len(found.parts.sentences), 384)

    # A third article joins: the story is redone in a "new process" (cold caches) from the stored analyses.
    clear_caches()
    pipeline = Pipeline(open_store(store_url), settings)
    third = pipeline.ingest(docs(QUAKE[2:]))
    assert third.stories_touched == [story_id]
    expected, snap = _fresh(store, story_id, embeddings)
    assert store.story(story_id)["summary"] == json.loads(json.dumps(expected))["summary"]

    # Once more from cold caches, now with every analysing step forbidden: all is read from the store.
    clear_caches()

    def forbidden(*args, **kwargs):
        raise AssertionError("an article was analysed again")

    monkeypatch.setattr("parallax.synthesis.analysis.extract_entities", forbidden)
    monkeypatch.setattr("parallax.synthesis.analysis.split_sentences", forbidden)
    monkeypatch.setattr("parallax.text.quotes.sieves.parse_many", forbidden)
    monkeypatch.setattr("parallax.text.embed.MiniLMEmbedder.embed", forbidden)
    assert load_stored(store, snap.canonical, embeddings=embeddings) == []
    again = synthesize(snap.story, snap.canonical, copies=snap.copies, embeddings=embeddings).to_dict()
    assert again == expected
    store.close()


def test_resynthesis_from_stored_analysis_equals_one_from_scratch(store_url):
    """The same story synthesised from scratch and from its stored analyses, cold both times."""
    store = open_store(store_url)
    report = Pipeline(store, load(db=store_url)).ingest(docs(QUAKE))
    [story_id] = report.stories_touched
    expected, snap = _fresh(store, story_id)
    clear_caches()
    assert load_stored(store, snap.canonical) == []
    assert synthesize(snap.story, snap.canonical, copies=snap.copies).to_dict() == expected
    store.close()


def test_an_older_database_gets_its_analyses_at_the_next_synthesis(store_url):
    """Articles stored without an analysis (before migration 005) are analysed by synthesis and kept."""
    store = open_store(store_url)
    report = Pipeline(store, load(db=store_url)).ingest(docs(QUAKE[:2]))
    [story_id] = report.stories_touched
    with store.write() as conn:
        conn.execute("DELETE FROM article_analysis")
        conn.execute("UPDATE stories SET synthesis_version = NULL")
    clear_caches()
    Pipeline(store, load(db=store_url))._synthesize(story_id, type("R", (), {"failed_syntheses": []})())
    assert sorted(store.analyses([a.id for a in report.articles], version=analysis_version())) == sorted(
        a.id for a in report.articles)
    store.close()


def test_an_unreadable_or_misdated_analysis_is_made_again():
    a = Article.create(source="a", text="Flooding closed the M62 motorway near Leeds on Friday, police said.",
                       published=datetime(2024, 1, 5, tzinfo=UTC))
    [analysis] = stored_analysis.analyse_articles([a], embeddings=False)
    _, _, blob = stored_analysis.encode(a, analysis)
    back = decode(a, blob)
    assert back.parts == analysis.parts and back.reported == analysis.reported and back.vectors is None
    later = Article.create(source="a", text=a.text, published=datetime(2024, 2, 5, tzinfo=UTC))
    assert decode(later, blob) is None  # dates are read relative to the publication date
    assert decode(a, b"garbage") is None
    assert decode(a, blob[:20]) is None
