"""What `parallax show`, `stories` and `search` print: cut lists said out loud, counts that agree.

The store is filled without the NLP pipeline (a synthetic story with long lists), so this is fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import run_cli

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))

import webdata

from parallax.store import open_store


def _long_story() -> dict:
    articles = [{"id": f"l-{i}", "source": f"l{i}", "text": f"Quote {i} here. Figure {i} million. Long words.",
                 "outlet": f"Outlet {i % 3}", "title": f"Long {i}",
                 "published": None if i == 4 else f"2022-02-1{i % 9}T10:00:00+00:00",
                 "duplicate_of": "l-0" if i == 5 else None} for i in range(6)]
    ids = [a["id"] for a in articles if not a["duplicate_of"]]
    return {"articles": articles, "stories": [{
        "id": "story-long", "title": "A story with long lists", "keywords": ["long"], "article_ids": ids,
        "copies": ["l-5"], "outlets": ["Outlet 0", "Outlet 1", "Outlet 2"],
        "quotes": [{"text": f"Quote {i} here.", "speaker": "Ann Lee", "article_ids": ["l-0"]} for i in range(40)],
        "figures": [{"value": i, "unit": "million", "text": f"Figure {i} million.", "attributed_to": None,
                     "article_ids": ["l-1"]} for i in range(15)],
        "timeline": [{"date": f"2022-02-{1 + i:02d}", "text": f"Event {i}.", "article_ids": ["l-2"]} for i in range(14)],
        "entities": [{"name": f"Name {i}", "kind": "person", "mentions": 1} for i in range(40)],
        "coverage": [], "summary": [], "claims": []}]}


@pytest.fixture()
def long_db(store_url: str) -> str:
    """The long story and the fixture stories, on each store (a SQLite file, a PostgreSQL database)."""
    db = store_url
    store = open_store(db)
    webdata.load_document(_long_story(), store)
    webdata.fill(store)
    store.close()
    return db


def test_show_says_what_it_leaves_out_and_all_prints_everything(long_db):
    cut = run_cli("show", "story-long", "--db", str(long_db))
    assert cut.returncode == 0, cut.stderr
    assert cut.stdout.count("“Quote") == 10 and "… 30 more quotes (parallax show story-long --all)" in cut.stdout
    assert "… 3 more figures" in cut.stdout and "… 2 more dated events" in cut.stdout
    assert "… 25 more entities" in cut.stdout
    every = run_cli("show", "story-long", "--db", str(long_db), "--all")
    assert every.returncode == 0, every.stderr
    assert every.stdout.count("“Quote") == 40 and "more quotes" not in every.stdout
    assert every.stdout.count("Figure ") == 15 and "Name 39 (person)" in every.stdout


def test_show_counts_articles_as_stories_and_the_web_app_do(long_db):
    shown = run_cli("show", "story-long", "--db", str(long_db)).stdout
    listed = json.loads(run_cli("stories", "--db", str(long_db), "--json").stdout)
    count = {s["id"]: s["article_count"] for s in listed["stories"]}["story-long"]
    assert count == 6
    assert "6 articles (1 syndicated copy), 1 undated · 3 outlets" in shown
    troops = run_cli("show", "story-troops", "--db", str(long_db)).stdout
    assert "5 articles (1 syndicated copy) · 5 outlets" in troops


def test_stories_and_search_say_how_many_more(long_db):
    table = run_cli("stories", "--db", str(long_db), "--limit", "1")
    assert "Top stories: 1 of 3 (--limit N for more)" in table.stdout
    search = run_cli("search", "words", "--db", str(long_db), "--limit", "2")
    assert "6 articles match 'words'; the best 2 below (--limit N for more)." in search.stderr
    body = json.loads(run_cli("search", "words", "--db", str(long_db), "--limit", "2", "--json").stdout)
    assert body["total"] == 6 and len(body["results"]) == 2
    one = run_cli("search", "Scholz", "--db", str(long_db))
    assert "1 article matches 'Scholz'." in one.stderr
