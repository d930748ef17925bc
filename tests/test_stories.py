"""Tests of parallax.stories: online grouping, batch equivalence, merges, state."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from parallax import stories as stories_module
from parallax.models import Article, content_id
from parallax.settings import load
from parallax.stories import Assignment, StoryGrouper, featurize
from parallax.text.embed import default_embedder

FIXTURES = Path(__file__).parent / "fixtures" / "stories" / "articles.jsonl"
CANONICAL = [
    "quake-wire",
    "rates-a",
    "quake-other",
    "rates-b",
    "rates-c",
    "telescope",
    "final-a",
    "final-b",
    "final-c",
]


def load_fixture() -> tuple[dict[str, Article], dict[str, str]]:
    """Fixture articles by key, and the event of each key."""
    articles, events = {}, {}
    for line in FIXTURES.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        articles[row["key"]] = Article.create(
            source=f"{row['outlet']}/{row['key']}",
            text=row["text"],
            title=row["title"],
            outlet=row["outlet"],
            published=datetime.fromisoformat(row["published"]),
        )
        events[row["key"]] = row["event"]
    return articles, events


ARTICLES, EVENTS = load_fixture()


def canonical() -> list[Article]:
    return [ARTICLES[k] for k in CANONICAL]


def partition(assignments: list[Assignment]) -> set[frozenset[str]]:
    """The grouping as a set of sets of fixture keys."""
    key_of = {a.id: k for k, a in ARTICLES.items()}
    groups: dict[str, set[str]] = {}
    for a in assignments:
        groups.setdefault(a.story_id, set()).add(key_of[a.article_id])
    return {frozenset(g) for g in groups.values()}


def expected_partition(keys: list[str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for k in keys:
        groups.setdefault(EVENTS[k], set()).add(k)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def features():
    return featurize(canonical(), load())


def test_groups_events_and_keeps_them_apart(features) -> None:
    grouper = StoryGrouper(load())
    result = grouper.add_many(canonical(), features)
    assert partition(result) == expected_partition(CANONICAL)
    assert [a.article_id for a in result] == [a.id for a in canonical()]


def test_one_by_one_equals_batch(features) -> None:
    batch = StoryGrouper(load())
    together = batch.add_many(canonical())
    online = StoryGrouper(load())
    alone = [online.add(a) for a in sorted(canonical(), key=lambda a: a.published)]
    by_id = {a.article_id: a.story_id for a in alone}
    assert {a.article_id: a.story_id for a in together} == by_id
    assert [(s.id, s.article_ids) for s in batch.stories()] == [
        (s.id, s.article_ids) for s in online.stories()
    ]


def test_batch_is_fed_in_time_order(features) -> None:
    shuffled = list(reversed(canonical()))
    grouper = StoryGrouper(load())
    result = grouper.add_many(shuffled)
    first_quake = grouper.story_of(ARTICLES["quake-wire"].id)
    assert first_quake == content_id("story", ARTICLES["quake-wire"].id)
    assert partition(result) == expected_partition(CANONICAL)


def test_story_title_keywords_and_ids(features) -> None:
    grouper = StoryGrouper(load())
    grouper.add_many(canonical(), features)
    stories = {s.id: s for s in grouper.stories()}
    rates = stories[grouper.story_of(ARTICLES["rates-a"].id)]
    assert rates.id == content_id("story", ARTICLES["rates-a"].id)
    assert rates.title in {ARTICLES[k].title for k in ("rates-a", "rates-b", "rates-c")}
    assert set(rates.keywords) & {"ecb", "lagarde", "rate", "rates", "inflation"}
    assert len(rates.article_ids) == 3 and rates.merged_into is None


def test_re_adding_an_article_is_a_no_op(features) -> None:
    grouper = StoryGrouper(load())
    first = grouper.add_many(canonical(), features)
    again = grouper.add(ARTICLES["rates-b"])
    assert again == next(a for a in first if a.article_id == ARTICLES["rates-b"].id)
    assert sum(len(s.article_ids) for s in grouper.stories()) == len(CANONICAL)


def test_state_round_trip_continues_like_one_run(features) -> None:
    settings = load()
    whole = StoryGrouper(settings)
    whole.add_many(canonical(), features)
    first = StoryGrouper(settings)
    first.add_many(canonical()[:4], features[:4])
    restored = StoryGrouper.from_state(first.state(), settings)
    restored.add_many(canonical()[4:], features[4:])
    assert [(s.id, s.title, s.article_ids, s.keywords) for s in restored.stories()] == [
        (s.id, s.title, s.article_ids, s.keywords) for s in whole.stories()
    ]


def test_bridging_article_merges_stories_and_redirects(features) -> None:
    grouper = StoryGrouper(load())
    grouper.threshold = 0.99  # every article opens its own story
    grouper.add_many([ARTICLES["rates-a"], ARTICLES["rates-b"]], features[1:2] + features[3:4])
    assert len(grouper.stories()) == 2
    grouper.threshold = 0.2  # now rates-c is close enough to both, which are close to each other
    result = grouper.add(ARTICLES["rates-c"])
    older = content_id("story", ARTICLES["rates-a"].id)
    newer = content_id("story", ARTICLES["rates-b"].id)
    assert result.story_id == older and result.merged == (newer,)
    assert grouper.redirects() == {newer: older}
    assert [s.id for s in grouper.stories()] == [older]
    assert grouper.story_of(ARTICLES["rates-b"].id) == older


def test_time_distance_separates_similar_articles() -> None:
    settings = load(embeddings=False)
    base = datetime(2024, 1, 1)
    text = "Floods closed the main bridge in Porto Alegre as the river rose again."
    first = Article.create(source="a", text=text, published=base)
    same_week = Article.create(source="b", text=text + " Schools shut.", published=base + timedelta(days=2))
    months_later = Article.create(source="c", text=text + " Roads shut.", published=base + timedelta(days=90))
    grouper = StoryGrouper(settings)
    a, b, c = grouper.add_many([first, same_week, months_later])
    assert a.story_id == b.story_id != c.story_id


def test_undated_articles_are_grouped() -> None:
    grouper = StoryGrouper(load())
    undated = [replace(ARTICLES[k], published=None) for k in ("final-a", "final-b", "telescope")]
    a, b, c = grouper.add_many(undated)
    assert a.story_id == b.story_id != c.story_id


def test_eviction_keeps_batch_equal_to_online(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories_module, "EVICT_EVERY", 3)
    settings = load(embeddings=False, story_window_days=1.0)
    base = datetime(2024, 1, 1)
    articles = [
        Article.create(
            source=f"s{i}",
            text=f"Event {i % 4} report: the {w} of item {i % 4} again.",
            published=base + timedelta(days=i),
        )
        for i, w in enumerate(
            ["council", "storm", "match", "market", "council", "storm", "match", "market", "vote"]
        )
    ]
    batch = StoryGrouper(settings)
    together = batch.add_many(articles)
    online = StoryGrouper(settings)
    alone = [online.add(a) for a in articles]
    assert together == alone
    assert batch._index.ntotal < len(articles)  # old articles left the index


def test_empty_batch() -> None:
    assert StoryGrouper(load()).add_many([]) == []


def test_full_texts_lean_on_tfidf_short_texts_on_embeddings() -> None:
    short = stories_module._weights(10)
    long = stories_module._weights(5000)
    middle = stories_module._weights((stories_module.SHORT_WORDS + stories_module.LONG_WORDS) // 2)
    assert short == pytest.approx((stories_module.W_EMBED, stories_module.W_TFIDF, stories_module.W_ENTITY, 0.0))
    assert long == pytest.approx(
        (
            stories_module.W_EMBED_LONG,
            stories_module.W_TFIDF_LONG,
            stories_module.W_ENTITY_LONG,
            -stories_module.LONG_THRESHOLD_SHIFT,
        )
    )
    assert short[1] < middle[1] < long[1]  # TF-IDF weight grows with the length


def test_features_count_words_and_take_entities_from_the_lead() -> None:
    tail = " filler" * 400 + " Ouagadougou"
    article = Article.create(source="x", text="Angela Merkel met Emmanuel Macron in Paris." + tail)
    (feats,) = featurize([article], load())
    assert feats.words == len(article.text.split())
    assert "merkel" in feats.entities and not any("ouagadougou" in e for e in feats.entities)


def test_tfidf_counts_the_body_of_a_full_text_not_only_its_lead() -> None:
    lead = "The council met on Monday to discuss the budget for the schools of the town. " * 40
    terms = stories_module.terms_of(lead + "Later the treasurer of Zanzibar resigned over the accounts.")
    assert "zanzibar" in terms and "treasurer" in terms  # past the 600th word
    endless = "harbour " * stories_module.TF_WORDS + "lighthouse"
    assert "lighthouse" not in stories_module.terms_of(endless)  # a cap remains


def _rolling_events(count: int) -> list[Article]:
    """Two articles a day on one event each day: every event is over by the next week."""
    base = datetime(2024, 1, 1)
    places = ["Lyon", "Quito", "Perth", "Oslo", "Dakar", "Hanoi", "Lima", "Riga", "Accra", "Cusco", "Hobart"]
    works = ["bridge", "harbour", "tramway", "stadium", "library", "airport", "dam", "museum", "market", "tunnel"]
    out = []
    for i in range(count):
        day, place, work = i // 2, places[(i // 2) % len(places)], works[(i // 2) % len(works)]
        out.append(
            Article.create(
                source=f"r{i}",
                text=f"The new {work} of {place} opened on day {day}. Crowds visited the {work} in {place}.",
                published=base + timedelta(days=3 * day),
            )
        )
    return out


def test_stories_out_of_the_index_are_retired(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories_module, "EVICT_EVERY", 4)
    settings = load(embeddings=False, story_window_days=1.0)
    articles = _rolling_events(40)
    grouper = StoryGrouper(settings)
    first = grouper.add_many(articles[:2])
    first_story = first[0].story_id
    assert first[1].story_id == first_story
    later = grouper.add_many(articles[2:])
    assert len({a.story_id for a in later}) == 19  # one story per day, none reopened
    open_ids = {s.id for s in grouper.stories()}
    assert first_story not in open_ids and len(open_ids) < 5
    # what the last call changed is still there to store, even where it was retired in that call
    assert all(grouper.story(a.story_id) is not None for a in later)
    assert grouper.story(first_story).article_ids == (articles[0].id, articles[1].id)  # retired in this call
    grouper.add_many([])
    assert grouper.story(first_story) is None  # the next call forgets it
    assert grouper.story_of(articles[0].id) is None


def test_saved_state_follows_open_stories_not_all_ever_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories_module, "EVICT_EVERY", 4)
    settings = load(embeddings=False, story_window_days=1.0)
    sizes = []
    for count in (40, 160):
        grouper = StoryGrouper(settings)
        grouper.add_many(_rolling_events(count))
        sizes.append(len(grouper.state()))
    assert sizes[1] < 1.5 * sizes[0]  # four times the articles, about the same state


def test_retirement_keeps_batch_equal_to_online_and_state_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories_module, "EVICT_EVERY", 4)
    settings = load(embeddings=False, story_window_days=1.0)
    articles = _rolling_events(30)
    batch = StoryGrouper(settings)
    together = batch.add_many(articles)
    online = StoryGrouper(settings)
    alone = [online.add(a) for a in articles]
    assert together == alone
    resumed = StoryGrouper(settings)
    resumed.add_many(articles[:17])
    resumed = StoryGrouper.from_state(resumed.state(), settings)
    assert resumed.add_many(articles[17:]) == together[17:]
    assert [(s.id, s.article_ids) for s in resumed.stories()] == [(s.id, s.article_ids) for s in batch.stories()]


def test_state_of_version_1_is_still_read(features) -> None:
    import io

    import numpy as np

    settings = load()
    first = StoryGrouper(settings)
    first.add_many(canonical()[:4], features[:4])
    with np.load(io.BytesIO(first.state()), allow_pickle=False) as arrays:
        parts = {k: arrays[k] for k in arrays.files}
    header = json.loads(parts["header"].tobytes())
    # version 1 kept the per-article lists whole
    header["seq_story"], header["seq_days"] = list(first._seq_story), list(first._seq_days)
    del header["active_story"], header["active_days"]
    header["version"] = 1
    parts["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **parts)
    restored = StoryGrouper.from_state(buffer.getvalue(), settings)
    whole = StoryGrouper(settings)
    whole.add_many(canonical(), features)
    assert restored.add_many(canonical()[4:], features[4:]) == whole.add_many(canonical()[4:], features[4:])


def _unit(*xs: float) -> np.ndarray:
    """A 384-dim unit vector with the given leading components."""
    vector = np.zeros(default_embedder().dimension, dtype=np.float32)
    vector[: len(xs)] = xs
    return vector / np.linalg.norm(vector)


@pytest.mark.parametrize(("w_closest", "joins"), [(0.0, False), (0.5, True)])
def test_article_joins_through_its_closest_member(
    monkeypatch: pytest.MonkeyPatch, w_closest: float, joins: bool
) -> None:
    # a and b are one story; c is close to a (cosine 0.8) but far from b, so far from the centroid.
    monkeypatch.setattr(stories_module, "W_CLOSEST", w_closest)
    vectors = {"a": _unit(1.0), "b": _unit(0.8, 0.6), "c": _unit(0.8, -0.6)}
    terms = {"a": {"lava": 1.0}, "b": {"lava": 1.0}, "c": {"ash": 1.0}}
    articles = [Article.create(source=k, text=f"text {k}") for k in "abc"]
    feats = [
        stories_module.ArticleFeatures(a.id, vectors[k], terms[k], frozenset(), None, k)
        for k, a in zip("abc", articles)
    ]
    grouper = StoryGrouper(load())
    grouper.threshold = 0.56  # centroid alone: 0.51 for c; with half of its closest member: 0.61
    a, b, c = grouper.add_many(articles, feats)
    assert a.story_id == b.story_id
    assert (c.story_id == a.story_id) is joins
