"""Concurrent writers on one database (a SQLite file; a PostgreSQL database), through real ``parallax``
processes: nothing lost, nothing stuck.

- four ``parallax build`` runs at once: all succeed, every article ends in the saved dedup and
  grouper state, and a syndicated copy built afterwards is found;
- a web write (follow, pin) made while a build is synthesising succeeds (the build is held inside
  its synthesis phase by a file barrier; no timing is asserted);
- ``kill -9`` at random points of builds, then the builds run again: the database is intact, no
  article is lost or stored twice, and the state and syntheses are complete.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, parallax_command

sys.path.insert(0, str(ROOT / "bench" / "reliability"))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "web"))

from checks import copies_report, state_report
from corpus import articles, syndicated_copy, write_jsonl

from parallax.store import open_store

ENV = {**os.environ, "PARALLAX_EMBEDDINGS": "false", "OMP_NUM_THREADS": "1"}

#: Runs the CLI with ``synthesize`` held at a barrier: it creates ENTERED, then waits for RELEASE.
HELD_BUILD = """
import sys, time
from pathlib import Path
import parallax.pipeline as pipeline
entered, release = Path(sys.argv[1]), Path(sys.argv[2])
real = pipeline.synthesize
def held(*args, **kwargs):
    entered.touch()
    deadline = time.monotonic() + 300
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return real(*args, **kwargs)
pipeline.synthesize = held
from parallax.cli import app
sys.argv = ["parallax", *sys.argv[3:]]
app()
"""


def _folders(tmp_path: Path, names: str, *, events: int = 2, per_event: int = 2) -> dict[str, list[dict]]:
    records = {}
    for b, name in enumerate(names):
        records[name] = articles(name, events=events, per_event=per_event, seed=b, event_offset=b * events)
        write_jsonl(tmp_path / name / "articles.jsonl", records[name])
    return records


def _build(folder: Path, db: Path | str) -> subprocess.Popen[str]:
    return subprocess.Popen([*parallax_command(), "build", str(folder), "--db", str(db)], env=ENV, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)


def _integrity(db: Path | str) -> str:
    """What the integrity check says when clean: SQLite's ``integrity_check``; PostgreSQL has none."""
    return "n/a" if str(db).startswith("postgresql://") else "ok"


def test_four_concurrent_builds_keep_all_state_and_later_copies_are_found(tmp_path, store_url):
    db = store_url
    open_store(str(db)).close()
    records = _folders(tmp_path, "abcd")
    procs = [_build(tmp_path / name, db) for name in records]
    outcomes = [(p.wait(timeout=900), *p.communicate()) for p in procs]
    for code, _, err in outcomes:
        assert code == 0, err
        assert "database is locked" not in err
    state = state_report(db)
    assert state["articles"] == sum(len(r) for r in records.values())
    assert state["missing_dedup"] == 0 and state["missing_grouper"] == 0
    assert state["integrity"] == _integrity(db) and state["stale_syntheses"] == 0
    # a syndicated copy of one article of each build, built afterwards, is found as a copy of it
    copies = [syndicated_copy(recs[0], "Late Copy Gazette") for recs in records.values()]
    write_jsonl(tmp_path / "copies" / "copies.jsonl", copies)
    late = _build(tmp_path / "copies", db)
    assert late.wait(timeout=900) == 0, late.communicate()[1]
    everything = [r for recs in records.values() for r in recs] + copies
    assert copies_report(db, everything) == {"copies_expected": 4, "copies_detected": 4}


def test_web_writes_succeed_while_a_build_is_synthesising(tmp_path, store_url):
    import webdata

    db = store_url
    records = _folders(tmp_path, "ab", events=1, per_event=2)
    first = _build(tmp_path / "a", db)
    assert first.wait(timeout=900) == 0, first.communicate()[1]
    entered, release = tmp_path / "entered", tmp_path / "release"
    held = subprocess.Popen([sys.executable, "-c", HELD_BUILD, str(entered), str(release), "build",
                             str(tmp_path / "b"), "--db", str(db)], env=ENV, cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600
        while not entered.exists() and held.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert entered.exists(), held.communicate()[1] if held.poll() is not None else "never synthesised"
        store = open_store(str(db))
        story_id = store.list_stories()[0]["id"]
        client = webdata.make_client(store)
        headers = {"X-CSRF-Token": webdata.csrf_token(client)}
        follow = client.post("/api/follows", json={"kind": "topic", "value": "harbour"}, headers=headers)
        pin = client.post("/api/picks", json={"story_id": story_id}, headers=headers)
        assert follow.status_code == 200, follow.text
        assert pin.status_code == 200 and pin.json()["pinned"], pin.text
        assert held.poll() is None  # the build was still inside its synthesis
    finally:
        release.touch()
    assert held.wait(timeout=900) == 0, held.communicate()[1]
    state = state_report(db)
    assert state["articles"] == sum(len(r) for r in records.values()) and state["stale_syntheses"] == 0


def test_kill_9_at_random_points_then_rerun_loses_nothing(tmp_path, store_url):
    db = store_url
    open_store(str(db)).close()
    records = _folders(tmp_path, "abc", events=2, per_event=2)
    rng = random.Random(20)
    kills = 0
    for name in records:  # each build killed at a random moment of its run
        proc = _build(tmp_path / name, db)
        time.sleep(rng.uniform(0.5, 8.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(timeout=900)
        proc.communicate()
    for name in records:  # then each build again, to the end
        again = _build(tmp_path / name, db)
        assert again.wait(timeout=900) == 0, again.communicate()[1]
    state = state_report(db)
    assert state["integrity"] == _integrity(db) and state["duplicated_urls"] == 0
    assert state["articles"] == sum(len(r) for r in records.values())  # none lost, none twice
    assert state["missing_dedup"] == 0 and state["missing_grouper"] == 0
    assert state["stale_syntheses"] == 0 and state["stories_without_synthesis"] == 0
    if kills == 0:
        pytest.skip("every build finished before its kill (a very fast machine): nothing was killed")
