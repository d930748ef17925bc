"""The reader of the writers benchmark (bench/reliability/run_reliability.py) reads every path it
times, through the ASGI client and the TestClient control, and logs what the tables count."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_benchmark_reader_logs_reads_and_both_controls(tmp_path):
    sys.path.insert(0, str(ROOT / "bench" / "reliability"))
    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "web"))
    import run_reliability
    import webdata

    from parallax.store import open_store

    db = tmp_path / "r.db"
    store = open_store(str(db))
    webdata.fill(store)
    store.close()
    log = tmp_path / "reader.log"
    run_reliability.web_reader(db, time.time() + 1.0, log)
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    kinds = {x["kind"] for x in lines}
    assert kinds == {"read", "control", "control_testclient"}
    assert {x["path"] for x in lines if x["kind"] == "read"} == {"stories", "search"}
    assert all(x["status"] == 200 for x in lines), [x for x in lines if x["status"] != 200][:3]
    assert all(x["ms"] > 0 and "load" in x for x in lines)
