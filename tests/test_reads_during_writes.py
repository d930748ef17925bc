"""Readers never wait for a writer on SQLite (issue 20: read p95 during writes).

Another process holds the write lock (``BEGIN IMMEDIATE``) with uncommitted rows, as a batch's write
transaction does; meanwhile every read path of the web app answers at once (WAL: a reader sees the
last committed state and takes no lock a writer holds), far below the 30 s busy timeout a waiting
reader would hit, and does not see the uncommitted rows.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))

import webdata

from parallax.store import open_store

HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE stories SET title = 'uncommitted title'")
conn.execute("CREATE TABLE IF NOT EXISTS ballast(x)")
conn.executemany("INSERT INTO ballast VALUES (?)", [(b"x" * 4000,)] * 2000)
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def test_reads_answer_while_another_process_holds_the_write_lock(tmp_path) -> None:
    db = tmp_path / "p.db"
    store = open_store(str(db))
    webdata.fill(store)
    client = webdata.make_client(store, raise_server_exceptions=False)
    story = store.list_stories(limit=1)[0]
    paths = ["/api/stories", f"/api/stories/{story['id']}", "/api/search?q=the", "/", f"/stories/{story['id']}", "/search?q=the"]
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), "20"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        slowest = 0.0
        for _ in range(3):
            for path in paths:
                started = time.monotonic()
                answer = client.get(path)
                slowest = max(slowest, time.monotonic() - started)
                assert answer.status_code == 200, (path, answer.text[:200])
                assert "uncommitted title" not in answer.text
        # a reader waiting on the lock would take the busy timeout (30 s); the bound leaves room for a loaded machine
        assert slowest < 10.0
        assert holder.poll() is None  # the lock was held throughout
    finally:
        holder.kill()
        holder.wait()
