"""Both stores (SQLite, PostgreSQL): migrations, idempotent upserts, atomic writes, merges, safe search."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from parallax.models import Article, Story, SummarySentence, Synthesis
from parallax.store import SQLiteStore, open_store
from parallax.store.sqlite import migrations


def article(text: str, outlet: str = "Outlet", **kw) -> Article:
    return Article.create(source=f"{outlet}.txt", text=text, outlet=outlet, title=text[:30],
                          published=datetime(2022, 2, 15, tzinfo=UTC), **kw)


def synthesis_for(story: Story, arts: list[Article]) -> Synthesis:
    return Synthesis(story_id=story.id, title=story.title, article_ids=story.article_ids,
                     outlets=tuple(sorted({a.outlet for a in arts})),
                     summary=(SummarySentence(arts[0].text, (arts[0].id,)),))


def test_migrations_apply_once(store):
    assert store.migrate() == []  # nothing new the second time
    versions = [r[0] for r in store.query("SELECT version FROM schema_migrations ORDER BY version")]
    if isinstance(store, SQLiteStore):
        assert versions == [m[0] for m in migrations()]
        assert store.query("PRAGMA journal_mode")[0][0] == "wal"
    else:
        from parallax.store.postgres import migrations as pg_migrations

        assert versions == [m[0] for m in pg_migrations()]


def test_both_stores_implement_the_protocol(store):
    from parallax.store import Store

    assert isinstance(store, Store)
    assert store.supports_fts and not store.in_memory and not store.shared_connection


def test_upsert_is_idempotent(store):
    a = article("Troops return to base after drills.")
    store.upsert_articles([a])
    store.upsert_articles([a])
    assert store.stats()["articles"] == 1
    assert store.article(a.id) == a


def test_failed_write_leaves_store_unchanged(store):
    store.upsert_articles([article("First article stays.")])
    with pytest.raises(RuntimeError), store.write():
        store.upsert_articles([article("Second article is rolled back.")])
        raise RuntimeError("crash in the middle of a batch")
    assert store.stats()["articles"] == 1


def test_story_merge_redirects(store):
    a, b = article("Alpha report on the drills."), article("Beta report on the drills.", outlet="B")
    s1, s2 = Story("s1", "Alpha", (a.id,)), Story("s2", "Beta", (b.id,))
    store.upsert_articles([a, b], {a.id: "s1", b.id: "s2"})
    store.save_story(s1, synthesis_for(s1, [a]), [a])
    store.save_story(s2, synthesis_for(s2, [b]), [b])
    store.mark_merged({"s2": "s1"})
    assert store.resolve_story_id("s2") == "s1"
    assert store.story("s2") is None and store.story("s1")["id"] == "s1"
    assert {x.id for x in store.story_articles("s1")} == {a.id, b.id}
    assert [s["id"] for s in store.list_stories()] == ["s1"]
    assert store.resolve_story_id("nope") is None


@pytest.mark.parametrize("query", ['"', "NEAR(", "a OR", "*", "title:x", "'; DROP TABLE articles; --", "\x00", "é" * 500])
def test_search_never_raises(store, query):
    store.upsert_articles([article("Stoltenberg saw no sign of de-escalation.")])
    assert isinstance(store.search(query), list)
    assert store.search("de-escalation Stoltenberg")[0]["snippet"].count("\x02") == 3  # Stoltenberg, de, escalation


def test_read_only_database_gives_store_error(tmp_path):
    path = tmp_path / "p.db"
    open_store(str(path)).upsert_articles([article("Kept safely.")])
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1


def test_control_characters_that_mark_search_matches_are_not_stored():
    from parallax.models import Article

    article = Article.create(source="x.txt", text="Plain \x02war\x03 text\twith a tab\n", title="A \x02title\x03")
    assert article.text == "Plain war text\twith a tab\n" and article.title == "A title"


def test_pending_stories_of_a_dead_claimant_are_taken_over_but_not_a_live_ones(store):
    import subprocess
    import sys

    from parallax.models import Story
    from parallax.store.versions import claim_is_live, my_claim

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        host = my_claim().split(":")[0]
        store.touch_stories([Story(id="s-dead", title="a", article_ids=())], f"{host}:{dead.pid}:")
        store.touch_stories([Story(id="s-live", title="b", article_ids=())], f"{host}:{live.pid}:")
        store.touch_stories([Story(id="s-mine", title="c", article_ids=())], my_claim())
        assert claim_is_live(f"{host}:{live.pid}:", None) and not claim_is_live(f"{host}:{dead.pid}:", None)
        assert store.pending_syntheses() == 3
        assert sorted(store.claim_pending(my_claim())) == ["s-dead", "s-mine"]
    finally:
        live.kill()
        live.wait()


def test_search_finds_every_word_in_title_or_text_ranked_title_first(store):
    in_title = Article.create(source="a.txt", outlet="A", title="Ceasefire talks in Geneva",
                              text="Negotiators met on Monday.", published=datetime(2022, 2, 15, tzinfo=UTC))
    in_text = article("The ceasefire held overnight, officials said, as talks resumed in Geneva.")
    unrelated = article("Markets rallied on Tuesday.")
    store.upsert_articles([in_title, in_text, unrelated])
    assert [h["id"] for h in store.search("ceasefire GENEVA talks")] == [in_title.id, in_text.id]
    assert store.search("ceasefire markets") == []  # every word is required
    assert [h["id"] for h in store.search("rallied")] == [unrelated.id]


def test_nul_in_lookups_and_follows_gives_no_error(store):
    # SQLite stores NUL in text; PostgreSQL refuses it, so its store drops NUL from parameters.
    store.upsert_articles([article("Kept safely.")])
    assert store.stories_with_entity("a\x00b") == [] and store.entity_story_ids("\x00") == ([], 0)
    assert store.outlet_summary("Out\x00let") is None or store.outlet_summary("Out\x00let")["outlet"] == "Outlet"
    assert [h["title"] for h in store.search("kept\x00")] == ["Kept safely."]
    user = store.local_user()
    store.follow(user["id"], "topic", "har\x00bour")
    assert len(store.follows(user["id"])) == 1 and store.for_you(user["id"]) == []


def test_the_shared_queries_sqlite_dialect_is_translated_for_postgresql():
    pytest.importorskip("psycopg")
    from parallax.store.postgres import translate

    assert translate("SELECT * FROM t WHERE a = ? AND b LIKE '5%'") == "SELECT * FROM t WHERE a = %s AND b LIKE '5%%'"
    assert translate("INSERT OR IGNORE INTO t (a) VALUES (?)") == "INSERT INTO t (a) VALUES (%s) ON CONFLICT DO NOTHING"
    assert translate("SELECT id FROM stories INDEXED BY stories_pending WHERE x IS NOT y AND z IS NOT NULL") == (
        "SELECT id FROM stories WHERE x IS DISTINCT FROM y AND z IS NOT NULL")
    assert translate("INSERT OR REPLACE INTO story_entities (story_id, name) VALUES (?, ?)").endswith(
        "ON CONFLICT (story_id, name) DO UPDATE SET kind = excluded.kind, mentions = excluded.mentions")
