"""Concurrent ``parallax build`` runs into one SQLite file, then a syndicated copy of each build's articles.

    python bench/reliability/concurrent_builds.py --builds 4 --events 6 --per-event 3

Prints one JSON object: builds failed, "database is locked" count, articles missing from the dedup and
grouper state after the concurrent builds, and syndicated copies (built afterwards) detected /
expected. Real CLI processes, the interpreter running this script.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from checks import copies_report, state_report
from corpus import articles, syndicated_copy, write_jsonl


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "parallax.cli", *args]


def run(builds: int, events: int, per_event: int, workdir: Path, embeddings: bool) -> dict:
    db = workdir / "parallax.db"
    env = {**os.environ, "PARALLAX_EMBEDDINGS": "true" if embeddings else "false"}
    records = {}
    for b in range(builds):
        name = chr(ord("a") + b)
        records[name] = articles(name, events=events, per_event=per_event, seed=b, event_offset=b * events)
        write_jsonl(workdir / name / "articles.jsonl", records[name])
    # open (create and migrate) the database once, so the builds race only on their batches
    subprocess.run([sys.executable, "-c", f"from parallax.store import open_store; open_store({str(db)!r})"],
                   env=env, check=True)
    started = time.monotonic()
    procs = {name: subprocess.Popen(cli("build", str(workdir / name), "--db", str(db)), env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in records}
    outcomes = {name: (p.wait(), p.communicate()) for name, p in procs.items()}
    elapsed = time.monotonic() - started
    failed = sum(1 for code, _ in outcomes.values() if code != 0)
    locked = sum((out + err).count("database is locked") for _, (out, err) in outcomes.values())
    state = state_report(db)
    # afterwards: a syndicated copy of two articles of every build, in one later build
    copies = [syndicated_copy(r, "Late Copy Gazette") for recs in records.values() for r in recs[:2]]
    write_jsonl(workdir / "copies" / "copies.jsonl", copies)
    late = subprocess.run(cli("build", str(workdir / "copies"), "--db", str(db)), env=env,
                          capture_output=True, text=True, check=False)
    everything = [r for recs in records.values() for r in recs] + copies
    return {
        "builds": builds,
        "articles_per_build": events * per_event,
        "builds_failed": failed,
        "database_is_locked": locked,
        "seconds": round(elapsed, 1),
        **{f"after_builds_{k}": v for k, v in state.items()},
        "late_copy_build_exit": late.returncode,
        **copies_report(db, everything),
        "errors": [err.strip().splitlines()[-1] for code, (_, err) in outcomes.values() if code and err.strip()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=4)
    parser.add_argument("--events", type=int, default=6)
    parser.add_argument("--per-event", type=int, default=3)
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(args.builds, args.events, args.per_event, args.keep, not args.no_embeddings)
    else:
        with tempfile.TemporaryDirectory(prefix="parallax-concurrent-") as tmp:
            result = run(args.builds, args.events, args.per_event, Path(tmp), not args.no_embeddings)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
