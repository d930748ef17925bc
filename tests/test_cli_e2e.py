"""End to end through the real ``parallax`` command: files in, attributed stories out."""

from __future__ import annotations

import json
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from conftest import BAD, EXAMPLES, ROOT, json_lines, run_cli

SCHEMA = json.loads((ROOT / "src" / "parallax" / "schema" / "document.schema.json").read_text())


def substring_violations(doc: dict[str, Any]) -> list[str]:
    """Every cited text must be an exact substring of each cited article's cleaned text."""
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    problems = []

    def check(kind: str, text: str, ids: list[str]) -> None:
        for article_id in ids:
            if article_id not in texts:
                problems.append(f"{kind}: unknown article {article_id}")
            elif text not in texts[article_id]:
                problems.append(f"{kind}: {text[:60]!r} not in article {article_id}")

    for story in doc["stories"]:
        for item in story["summary"]:
            check("summary", item["text"], item["article_ids"])
        for item in story["quotes"]:
            check("quote", item["text"], item["article_ids"])
            assert not item["text"].startswith(('"', "“", "'", "‘")), item["text"]
        for item in story["figures"]:
            check("figure", item["text"], item["article_ids"])
        for item in story["timeline"]:
            check("timeline", item["text"], item["article_ids"])
        for claim in story["claims"]:
            for position in claim["positions"]:
                check("position", position["text"], position["article_ids"])
    return problems


@lru_cache(maxsize=1)
def examples_digest() -> dict[str, Any]:
    result = run_cli("digest", str(EXAMPLES), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def by_outlet(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The first article of each outlet, in input order (The Guardian's dump comes before its sport piece)."""
    found: dict[str, dict[str, Any]] = {}
    for article in doc["articles"]:
        found.setdefault(article["outlet"], article)
    return found


def test_digest_output_matches_schema_and_substring_rules():
    doc = examples_digest()
    jsonschema.validate(doc, SCHEMA)
    assert substring_violations(doc) == []


def test_digest_drops_the_syndicated_copy_and_groups_the_event():
    doc = examples_digest()
    articles = by_outlet(doc)
    assert articles["The Seattle Times"]["duplicate_of"] == articles["AP"]["id"]
    assert articles["AP"]["duplicate_of"] is None
    russia = [s for s in doc["stories"] if articles["Reuters"]["id"] in s["article_ids"]]
    assert len(russia) == 1
    story = russia[0]
    for outlet in ("Reuters", "The Guardian", "BBC News", "AP", "DW"):
        assert articles[outlet]["id"] in story["article_ids"], outlet
    assert articles["The Seattle Times"]["id"] not in story["article_ids"]  # a copy, not coverage
    assert "The Seattle Times" in story["outlets"]  # ... but its outlet carried the story
    sport = [s for s in doc["stories"] if articles["The New York Times"]["id"] in s["article_ids"]]
    assert len(sport) == 1 and sport[0]["id"] != story["id"]
    assert articles["Reuters"]["id"] not in sport[0]["article_ids"]


def test_digest_reports_rejections_and_synthesis_content():
    doc = examples_digest()
    assert [r["reason"] for r in doc["rejected"]] == [
        "not an HTML response (image/png) for https://www.dw.com/image/tanks.png"]
    articles = by_outlet(doc)
    story = next(s for s in doc["stories"] if articles["Reuters"]["id"] in s["article_ids"])
    assert story["summary"], "a summary"
    speakers = {q["speaker"] for q in story["quotes"]}
    assert any(s and "Stoltenberg" in s for s in speakers), speakers
    assert any(f["value"] == 150000 for f in story["figures"]), story["figures"]
    assert any(c["status"] == "contested" for c in story["claims"]), story["claims"]
    names = {e["name"] for e in story["entities"]}
    assert any("Stoltenberg" in n for n in names), names


def test_summary_words_option_bounds_the_summary():
    short = run_cli("digest", str(EXAMPLES), "--json", "--summary-words", "30")
    assert short.returncode == 0, short.stderr
    doc = json.loads(short.stdout)
    for story in doc["stories"]:
        words = sum(len(s["text"].split()) for s in story["summary"])
        first = len(story["summary"][0]["text"].split()) if story["summary"] else 0
        assert words <= max(30, first) + 30, words  # about 30 words: whole sentences only


def test_clean_json_lines_one_per_document():
    result = run_cli("clean", str(EXAMPLES), "--json")
    assert result.returncode == 0, result.stderr
    lines = json_lines(result.stdout)
    errors = [line for line in lines if "error" in line]
    good = [line for line in lines if "error" not in line]
    assert len(good) == 8 and len(errors) == 1
    assert set(good[0]) == {"source", "url", "outlet", "title", "byline", "published", "placed", "text"}
    guardian = next(g for g in good if g["source"].endswith("guardian-russia-pullback.txt"))
    assert "The date of the footage is also unclear." in guardian["text"]
    for noise in ("Sign up to First Edition", "Leave a Reply", "Support the Guardian", "Reuse this content"):
        assert noise not in guardian["text"], noise
    reuters = next(g for g in good if g["source"].endswith("reuters-russia-pullback.html"))
    assert reuters["outlet"] == "Reuters"
    assert reuters["published"].startswith("2022-02-15")
    assert reuters["placed"] is None  # a dated article is placed by its own date
    assert "Accept all cookies" not in reuters["text"] and "Read next" not in reuters["text"]


def test_build_is_incremental_and_idempotent(store_url):
    first = run_cli("build", str(EXAMPLES), "--db", store_url)
    assert first.returncode == 0, first.stderr
    assert "1 rejected" in first.stderr
    listing = json.loads(run_cli("stories", "--db", store_url, "--json").stdout)
    again = run_cli("build", str(EXAMPLES), "--db", store_url)
    assert again.returncode == 0, again.stderr
    assert "0 new articles" in again.stderr and "8 already stored" in again.stderr
    relisting = json.loads(run_cli("stories", "--db", store_url, "--json").stdout)
    assert [(s["id"], s["article_count"]) for s in relisting["stories"]] == [
        (s["id"], s["article_count"]) for s in listing["stories"]]


def test_build_in_two_batches_joins_the_same_story(store_url, tmp_path):
    part1, part2 = tmp_path / "one", tmp_path / "two"
    part1.mkdir(), part2.mkdir()
    shutil.copy(EXAMPLES / "reuters-russia-pullback.html", part1)
    for name in ("guardian-russia-pullback.txt", "guardian-russia-pullback.txt.meta.json", "dw-archive.warc.gz"):
        shutil.copy(EXAMPLES / name, part2)
    assert run_cli("build", str(part1), "--db", store_url).returncode == 0
    [story] = json.loads(run_cli("stories", "--db", store_url, "--json").stdout)["stories"]
    assert run_cli("build", str(part2), "--db", store_url).returncode == 0
    stories = json.loads(run_cli("stories", "--db", store_url, "--json").stdout)["stories"]
    assert len(stories) == 1
    live = stories[0]["id"]
    assert stories[0]["article_count"] == 3
    shown = run_cli("show", story["id"], "--db", store_url, "--json")  # old id still answers
    assert shown.returncode == 0 and json.loads(shown.stdout)["id"] == live


def test_bad_inputs_do_not_damage_the_store(store_url, tmp_path):
    assert run_cli("build", str(EXAMPLES), "--db", store_url).returncode == 0
    before = run_cli("stories", "--db", store_url, "--json").stdout
    result = run_cli("build", str(BAD), "--db", store_url)
    assert result.returncode == 0, result.stderr  # mixed.jsonl#1 is a good article
    for reason in ("file is binary", "broken gzip file", "file is empty", "unsupported file type",
                   "malformed WARC", "malformed JSON line"):
        assert reason in result.stderr, reason
    assert "tiny.txt" in result.stderr  # too short to be an article: rejected by cleaning
    after = json.loads(run_cli("stories", "--db", store_url, "--json").stdout)
    old_ids = {s["id"] for s in json.loads(before)["stories"]}
    assert old_ids <= {s["id"] for s in after["stories"]}


def test_nothing_readable_exits_1_and_usage_exits_2(tmp_path, db_path):
    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    for name in ("binary.txt", "empty.txt", "broken.html.gz"):
        shutil.copy(BAD / name, only_bad)
    result = run_cli("build", str(only_bad), "--db", str(db_path))
    assert result.returncode == 1
    assert "file is binary" in result.stderr
    assert run_cli("digest", str(only_bad), "--json").returncode == 1
    assert run_cli("build").returncode == 2
    assert run_cli("stories", "--limit", "zero").returncode == 2
    assert run_cli("no-such-command").returncode == 2


def test_show_search_and_stories_render(store_url):
    assert run_cli("build", str(EXAMPLES), "--db", store_url).returncode == 0
    listing = run_cli("stories", "--db", store_url)
    assert listing.returncode == 0 and "Top stories" in listing.stdout
    top = json.loads(run_cli("stories", "--db", store_url, "--json").stdout)["stories"][0]
    assert set(top) >= {"id", "title", "article_count", "outlets", "updated"}
    shown = run_cli("show", top["id"], "--db", store_url)
    assert shown.returncode == 0 and "Summary" in shown.stdout
    found = json.loads(run_cli("search", "Stoltenberg de-escalation", "--db", store_url, "--json").stdout)
    assert found["results"] and all("\x02" not in r["snippet"] for r in found["results"])
    assert run_cli("show", "0000000000000000", "--db", store_url).returncode == 1
    hostile = run_cli("search", '"; DROP TABLE articles; -- NEAR( *', "--db", store_url)
    assert hostile.returncode == 0


def test_database_from_environment(store_url):
    """PARALLAX_DB chooses the store (a SQLite file or a postgresql:// URL) when --db is not given."""
    env = {"PARALLAX_DB": store_url}
    result = run_cli("build", str(EXAMPLES / "wire-and-sport.jsonl"), env=env)
    assert result.returncode == 0, result.stderr
    if not store_url.startswith("postgresql://"):
        assert Path(store_url).exists()
    listed = json.loads(run_cli("stories", "--json", env=env).stdout)["stories"]
    assert listed and listed == json.loads(run_cli("stories", "--json", "--db", store_url).stdout)["stories"]


def test_database_that_is_missing_or_not_a_database_gets_one_line_and_exit_2(tmp_path):
    missing = tmp_path / "typo.db"
    for command in (["stories"], ["show", "some-id"], ["search", "troops"], ["serve"]):
        result = run_cli(*command, "--db", str(missing))
        assert result.returncode == 2, (command, result.stderr)
        assert "no database at" in result.stderr and "Traceback" not in result.stderr
    assert not missing.exists()  # a read-only command never creates one
    text = tmp_path / "notadb.txt"
    text.write_text("just some notes\n" * 20, encoding="utf-8")
    for command in (["stories"], ["build", str(EXAMPLES)]):
        result = run_cli(*command, "--db", str(text))
        assert result.returncode == 2 and "is not a Parallax database" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert text.read_text(encoding="utf-8") == "just some notes\n" * 20


def test_migrate_copies_a_sqlite_database_into_postgresql_idempotently(db_path, pg_cluster):
    assert run_cli("build", str(EXAMPLES), "--db", str(db_path)).returncode == 0
    target = pg_cluster.new_database()
    for _ in range(2):  # a second run changes nothing
        result = run_cli("migrate", str(db_path), target)
        assert result.returncode == 0, result.stderr
        assert "8 articles" in result.stderr
    for command in (("stories", "--json"), ("search", "Stoltenberg de-escalation", "--json")):
        here = json.loads(run_cli(*command, "--db", str(db_path)).stdout)
        there = json.loads(run_cli(*command, "--db", target).stdout)
        if command[0] == "stories":
            assert there == here
        else:
            assert {r["id"] for r in there["results"]} == {r["id"] for r in here["results"]} != set()
    top = json.loads(run_cli("stories", "--json", "--db", target).stdout)["stories"][0]
    assert json.loads(run_cli("show", top["id"], "--json", "--db", target).stdout)["id"] == top["id"]
    bad = run_cli("migrate", str(db_path), "postgresql://nobody@127.0.0.1:1/none")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "error" in bad.stderr
