"""Tests of parallax.dedup: syndicated copies versus distinct coverage of one event."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from parallax.dedup import Deduplicator
from parallax.models import Article
from parallax.settings import load

FIXTURES = Path(__file__).parent / "fixtures" / "stories" / "articles.jsonl"


def fixture_articles() -> dict[str, Article]:
    """The hand-written fixture articles, by key."""
    out = {}
    for line in FIXTURES.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out[row["key"]] = Article.create(
            source=f"{row['outlet']}/{row['key']}",
            text=row["text"],
            title=row["title"],
            outlet=row["outlet"],
            published=datetime.fromisoformat(row["published"]),
        )
    return out


@pytest.fixture()
def articles() -> dict[str, Article]:
    return fixture_articles()


@pytest.fixture()
def dedup() -> Deduplicator:
    return Deduplicator(load())


def test_edited_copy_points_to_canonical(dedup: Deduplicator, articles: dict[str, Article]) -> None:
    first = dedup.add(articles["quake-wire"])
    copy = dedup.add(articles["quake-copy"])
    assert first.duplicate_of is None
    assert copy.duplicate_of == articles["quake-wire"].id
    assert copy.id == articles["quake-copy"].id


def test_distinct_coverage_of_same_event_is_not_a_copy(
    dedup: Deduplicator, articles: dict[str, Article]
) -> None:
    results = [dedup.add(articles[k]) for k in ("quake-wire", "quake-other", "rates-a", "rates-b", "rates-c")]
    assert [r.duplicate_of for r in results] == [None] * 5


def test_copy_of_copy_points_to_first_canonical(dedup: Deduplicator, articles: dict[str, Article]) -> None:
    dedup.add(articles["quake-wire"])
    dedup.add(articles["quake-copy"])
    assert dedup.add(articles["quake-copy2"]).duplicate_of == articles["quake-wire"].id


def test_copy_seen_before_original_becomes_canonical(
    dedup: Deduplicator, articles: dict[str, Article]
) -> None:
    dedup.add(articles["quake-copy2"])
    assert dedup.add(articles["quake-wire"]).duplicate_of == articles["quake-copy2"].id
    assert dedup.add(articles["quake-copy"]).duplicate_of == articles["quake-copy2"].id


def test_exact_copy_after_normalisation(dedup: Deduplicator) -> None:
    a = Article.create(source="a", text="Officials said the bridge will reopen on Friday. Traffic is heavy.")
    b = Article.create(
        source="b", text="OFFICIALS said the bridge will reopen on Friday -- traffic is heavy!"
    )
    dedup.add(a)
    assert dedup.add(b).duplicate_of == a.id


def test_short_texts_need_an_exact_match(dedup: Deduplicator) -> None:
    a = Article.create(source="a", text="Markets closed higher today.")
    b = Article.create(source="b", text="Markets closed lower today.")
    dedup.add(a)
    assert dedup.add(b).duplicate_of is None


def test_same_id_twice_is_a_no_op(dedup: Deduplicator, articles: dict[str, Article]) -> None:
    dedup.add(articles["quake-wire"])
    first = dedup.add(articles["quake-copy"])
    size = len(dedup)
    again = dedup.add(articles["quake-copy"])
    assert again == first and len(dedup) == size
    assert dedup.add(articles["quake-wire"]).duplicate_of is None


def test_state_round_trip_continues(dedup: Deduplicator, articles: dict[str, Article]) -> None:
    dedup.add(articles["quake-wire"])
    dedup.add(articles["rates-a"])
    restored = Deduplicator.from_state(dedup.state(), load())
    assert restored.add(articles["quake-copy2"]).duplicate_of == articles["quake-wire"].id
    assert restored.add(articles["rates-a"]).duplicate_of is None
    assert restored.add(articles["rates-b"]).duplicate_of is None


def test_state_with_other_num_perm_is_refused(dedup: Deduplicator, articles: dict[str, Article]) -> None:
    dedup.add(articles["quake-wire"])
    with pytest.raises(ValueError, match="num_perm"):
        Deduplicator.from_state(dedup.state(), load(dedup_num_perm=64))


def test_copy_rule_thresholds() -> None:
    rule = Deduplicator(load()).is_copy
    assert rule(0.85, 0.9)  # near-identical
    assert rule(0.3, 0.95)  # trimmed: contained in the other
    assert rule(0.45, 0.6)  # edited copy
    assert not rule(0.25, 0.6)  # shares a quoted passage only
    assert not Deduplicator(load(dedup_threshold=0.95)).is_copy(0.9, 0.0)


def _wire(i: int, day: int, source: str = "") -> Article:
    """A distinct wire story (its own words) published on ``day`` of 2024 (by ``source``: a copy)."""
    words = " ".join(f"w{i}x{k}" for k in range(30))
    return Article.create(
        source=source or f"wire{i}", text=f"Story {i}: {words}.", published=datetime(2024, 1, 1) + timedelta(days=day)
    )


def test_copies_are_sought_within_the_window_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("parallax.dedup.EVICT_EVERY", 2)
    dedup = Deduplicator(load(dedup_window_days=10.0))
    old = dedup.add(_wire(0, 0))
    recent = dedup.add(_wire(1, 5))
    for i in range(2, 6):
        dedup.add(_wire(i, 20 + i))  # the newest is now day 25: day 0 is out of the window, day 5 too
    late_copy = _wire(0, 26, "late-copy")
    assert dedup.add(late_copy).duplicate_of is None  # the old original is forgotten
    fresh_copy = _wire(5, 26, "fresh-copy")
    assert dedup.add(fresh_copy).duplicate_of == _wire(5, 25).id
    assert old.id not in dedup.state().decode("utf-8", "replace") and recent.id not in dedup.state().decode(
        "utf-8", "replace"
    )


def test_state_follows_the_window_not_all_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("parallax.dedup.EVICT_EVERY", 4)
    sizes = []
    for count in (40, 160):
        dedup = Deduplicator(load(dedup_window_days=5.0))
        for i in range(count):
            dedup.add(_wire(i, i))
        sizes.append(len(dedup.state()))
    assert sizes[1] < 1.2 * sizes[0]
    unbounded = Deduplicator(load(dedup_window_days=0.0))
    for i in range(40):
        unbounded.add(_wire(i, 10 * i))
    assert len(unbounded) == 40  # 0 keeps every article


def test_window_state_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("parallax.dedup.EVICT_EVERY", 3)
    settings = load(dedup_window_days=4.0)
    whole, first = Deduplicator(settings), Deduplicator(settings)
    stream = [_wire(i, i) for i in range(12)] + [_wire(i, 12, f"copy{i}") for i in range(12)]
    expected = [whole.add(a).duplicate_of for a in stream]
    got = [first.add(a).duplicate_of for a in stream[:7]]
    restored = Deduplicator.from_state(first.state(), settings)
    got += [restored.add(a).duplicate_of for a in stream[7:]]
    assert got == expected
    assert expected[12:16] == [None] * 4 and all(expected[20:])  # old originals forgotten, recent ones found
