"""An undated article is placed by its feed's or file's time: stored as its placement time, shown as
"undated" (never as a date), and used to order and place it in lists, charts and timelines."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import EXAMPLES, json_lines, run_cli

from parallax.models import Article, RawDocument
from parallax.settings import load
from parallax.sources.feeds import FeedEntry, entry_document
from parallax.store import open_store
from parallax.web import charts
from parallax.web.views import who_covered

FILE_TIME = datetime(2022, 2, 15, 9, 0, tzinfo=UTC)  # before the Reuters report (15 Feb 2022 14:05 UTC)
DATELINE = "Tue 15 Feb 2022 21.30 GMT"


def _undated_dump(folder: Path) -> Path:
    """The Guardian example dump without its dateline and sidecar, its file time set to FILE_TIME."""
    text = (EXAMPLES / "guardian-russia-pullback.txt").read_text(encoding="utf-8")
    assert DATELINE in text
    path = folder / "guardian-undated.txt"
    path.write_text("\n".join(line for line in text.splitlines() if line.strip() != DATELINE), encoding="utf-8")
    os.utime(path, (FILE_TIME.timestamp(), FILE_TIME.timestamp()))
    return path


def test_clean_reports_an_undated_dump_as_undated_with_its_file_time(tmp_path):
    _undated_dump(tmp_path)
    result = run_cli("clean", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    [record] = json_lines(result.stdout)
    assert record["published"] is None
    assert datetime.fromisoformat(record["placed"]) == FILE_TIME
    shown = run_cli("clean", str(tmp_path))
    assert "undated (placed by its feed or file time, 2022-02-15T09:00)" in shown.stdout


def test_a_dated_article_has_no_placement_time(tmp_path):
    shutil.copy(EXAMPLES / "reuters-russia-pullback.html", tmp_path)
    [record] = json_lines(run_cli("clean", str(tmp_path), "--json").stdout)
    assert record["published"] is not None and record["placed"] is None


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_build_stores_the_placement_and_show_orders_by_it(store_url, tmp_path):
    shutil.copy(EXAMPLES / "reuters-russia-pullback.html", tmp_path)
    _undated_dump(tmp_path)
    assert run_cli("build", str(tmp_path), "--db", store_url).returncode == 0
    stories = json.loads(run_cli("stories", "--db", store_url, "--json").stdout)["stories"]
    story = next(s for s in stories if s["article_count"] == 2)
    store = open_store(store_url)
    articles = store.story_articles(story["id"])
    undated = next(a for a in articles if a.published is None)
    assert undated.placed == FILE_TIME  # stored and read back
    assert [a.published is None for a in articles] == [True, False]  # placed before the later Reuters report
    shown = run_cli("show", story["id"], "--db", store_url)
    assert shown.returncode == 0, shown.stderr
    listed = shown.stdout[shown.stdout.index("Articles"):]
    assert listed.index("undated (placed by its feed or file time, 2022-02-15T09:00)") < listed.index("2022-02-15T14:05")
    chart = charts.coverage_timeline(articles)
    dots = [d for r in chart["rows"] for d in r["dots"]]
    assert len(dots) == 2 and chart["count"] == 1 and chart["placed_undated"] == 1
    [faint] = [d for d in dots if d["undated"]]
    assert "undated" in faint["label"] and faint["x"] < max(d["x"] for d in dots)
    assert who_covered(articles, [])[0]["undated"] == 1  # the outlet read first (by file time) comes first


def test_feed_entries_without_a_date_are_placed_when_the_feed_delivers_them():
    entry = FeedEntry(key="k", url="https://example.org/a", title="A", published=None)
    before = datetime.now(UTC)
    doc = entry_document(entry, feed_url="https://example.org/feed", outlet="Example")
    assert doc.published is None and doc.placed is not None and doc.placed >= before
    given = entry_document(entry, feed_url="https://example.org/feed", outlet="Example", placed=FILE_TIME)
    assert given.placed == FILE_TIME


def test_the_record_date_wins_and_placement_stays_empty_for_dated_articles():
    from parallax.clean import clean_document

    body = "The council approved the new budget on Tuesday after a long debate about schools. " * 3
    dated = RawDocument("a.txt", body, "text", published=datetime(2024, 5, 1, tzinfo=UTC), placed=FILE_TIME)
    undated = RawDocument("b.txt", body, "text", placed=FILE_TIME)
    a, b = clean_document(dated, load(min_words=10)), clean_document(undated, load(min_words=10))
    assert isinstance(a, Article) and a.placed is None and a.when == a.published
    assert isinstance(b, Article) and b.published is None and b.placed == FILE_TIME and b.when == FILE_TIME
