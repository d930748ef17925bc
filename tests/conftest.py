"""Shared test helpers: paths to fixtures, a runner for the real ``parallax`` command, and the stores.

``store_url`` / ``store`` run a test on both stores: a SQLite file and a database of a throwaway
PostgreSQL cluster started once per session (``tests/pgcluster.py``). Without PostgreSQL (or root to
run it as the ``postgres`` user) the PostgreSQL half skips with the reason; ``PARALLAX_REQUIRE_POSTGRES=1``
(set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The CLI's batch commands lower their own priority (``batch_nice``); in the suite they would then
#: wait behind everything else on a busy machine and hit test timeouts. tests/test_priority.py sets
#: it where it is the subject.
os.environ.setdefault("PARALLAX_BATCH_NICE", "0")
os.environ.setdefault("PARALLAX_BATCH_POLICY", "normal")  # likewise for SCHED_IDLE
EXAMPLES = ROOT / "examples" / "articles"
FIXTURES = ROOT / "tests" / "fixtures"
BAD = FIXTURES / "bad"


def parallax_command() -> list[str]:
    """The installed ``parallax`` script beside this interpreter (the real CLI)."""
    script = Path(sys.executable).parent / "parallax"
    return [str(script)] if script.exists() else [sys.executable, "-m", "parallax.cli"]


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``parallax ARGS`` in a subprocess and return the finished process (text mode)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [*parallax_command(), *args], check=False, capture_output=True, text=True, env=full_env,
        cwd=cwd or ROOT, timeout=timeout, stdin=subprocess.DEVNULL,
    )


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "parallax.db"


#: The stores every store-using test runs on.
STORES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """One throwaway PostgreSQL cluster for the session (removed afterwards), or a skip with the reason."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from pgcluster import PgCluster, unavailable

    reason = unavailable()
    required = os.environ.get("PARALLAX_REQUIRE_POSTGRES") == "1"
    if reason:
        message = f"PostgreSQL half skipped: {reason}"
        if required:
            pytest.fail(f"{message} (PARALLAX_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(message)
    try:
        cluster = PgCluster.start()
    except Exception as exc:  # noqa: BLE001 - said in the skip (or failure) message
        message = f"PostgreSQL half skipped: the test cluster did not start ({type(exc).__name__}: {exc})"
        if required:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=STORES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each store: a SQLite file path, then a ``postgresql://`` URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "parallax.db")
        return
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.new_database()
    try:
        yield url
    finally:
        cluster.drop_database(url)


@pytest.fixture
def store(store_url: str) -> Iterator[Any]:
    """An open store on each of the two (closed afterwards)."""
    from parallax.store import open_store

    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()
