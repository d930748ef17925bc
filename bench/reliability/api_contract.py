"""Schemathesis against the web app's own OpenAPI document: every check, stateful links followed.

The app is served by uvicorn on 127.0.0.1 (a free port) over a temporary SQLite store holding the
web fixtures (tests/fixtures/web), in single-user mode, so the local admin reaches every write. The
run sends the session cookie and its CSRF token with every request (``GET /api/session`` gives them).

    OMP_NUM_THREADS=1 python bench/reliability/api_contract.py                  # 20,000+ cases
    OMP_NUM_THREADS=1 python bench/reliability/api_contract.py --max-examples 50 --max-time 120

The figures (cases, failures by check, the command) go to ``docs/reliability-api.md``.
``tests/test_api_contract.py`` runs a bounded version in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Self

ROOT = Path(__file__).resolve().parents[2]
for extra in (ROOT / "src", ROOT / "tests" / "fixtures" / "web"):
    if str(extra) not in sys.path:
        sys.path.append(str(extra))  # after PYTHONPATH: a run may measure another source tree

REPORT = ROOT / "docs" / "reliability-api.md"
SCHEMA_PATH = "/api/openapi.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """The app over a filled temporary store, served by uvicorn in a thread of this process."""

    def __init__(self, *, multi_user: bool = False) -> None:
        import uvicorn
        import webdata

        from parallax.settings import load
        from parallax.store import open_store
        from parallax.web.app import create_app

        self.dir = tempfile.TemporaryDirectory(prefix="parallax-api-")
        store = open_store(str(Path(self.dir.name) / "api.db"))
        webdata.fill(store)
        webdata.fill_hostile(store)
        settings = load(environ={}, multi_user=multi_user, secret_key="api-contract-" + "k" * 32)
        self.app = create_app(store, settings)
        self.port = free_port()
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="critical", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.dir.cleanup()

    def session_headers(self) -> dict[str, str]:
        """The session cookie and its CSRF token, as headers for every request of the run."""
        import httpx

        answer = httpx.get(self.base + "/api/session")
        cookie = answer.cookies.get("parallax_session")
        return {"Cookie": f"parallax_session={cookie}", "X-CSRF-Token": answer.json()["csrf_token"]}


def run_schemathesis(base: str, headers: dict[str, str], *, max_examples: int, max_time: int | None,
                     workers: int, seed: int | None, report_dir: Path, phases: str) -> dict[str, Any]:
    """One ``schemathesis run``; returns its exit code, cases, failures by check and output tail."""
    exe = Path(sys.executable).with_name("schemathesis")
    command = [str(exe) if exe.exists() else "schemathesis", "run", base + SCHEMA_PATH, "--checks", "all",
               "--phases", phases, "--max-examples", str(max_examples), "--workers", str(workers),
               "--suppress-health-check", "all", "--report", "ndjson", "--report-dir", str(report_dir),
               "--request-timeout", "30", "--no-color", "--continue-on-failure"]
    if max_time:
        command += ["--max-time", str(max_time)]
    if seed is not None:
        command += ["--seed", str(seed)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"},
                          cwd=report_dir)  # its .schemathesis/ cache stays out of the repository
    output = done.stdout + done.stderr
    cases = _cases(output)
    failures = _failures(report_dir)
    return {"exit": done.returncode, "cases": cases, "failures": failures, "seconds": time.perf_counter() - started,
            "output": output, "command": " ".join("<session>" if any(v in c for v in headers.values()) else c for c in command)}


def _cases(output: str) -> int | None:
    """Test cases generated, from the summary line (``Test cases: N generated, ...``)."""
    found = re.search(r"Test cases:\s*([\d,]+) generated", output)
    return int(found.group(1).replace(",", "")) if found else None


def _failures(report_dir: Path) -> dict[str, list[str]]:
    """Distinct failures by check name, from the ndjson event log."""
    out: dict[str, set[str]] = {}
    for path in report_dir.glob("*.ndjson"):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if '"failure' not in line.lower() and '"check' not in line.lower():
                continue
            try:
                event = json.loads(line)
            except ValueError:
                continue
            _collect(event, out, "")
    return {k: sorted(v) for k, v in out.items()}


def _collect(node: Any, out: dict[str, set[str]], label: str) -> None:
    """Walk an event for failed checks: ``{"name": ..., "status": "failure", ...}`` with a label."""
    if isinstance(node, dict):
        if node.get("label") and isinstance(node.get("label"), str):
            label = node["label"]
        status = str(node.get("status", "")).lower()
        if node.get("name") and status in ("failure", "error", "failed"):
            title = node.get("failure_info", {}) or {}
            detail = ""
            if isinstance(title, dict):
                failure = title.get("failure") or {}
                detail = str(failure.get("title") or failure.get("message") or "")[:160]
            out.setdefault(str(node["name"]), set()).add(f"{label} {detail}".strip())
        for value in node.values():
            _collect(value, out, label)
    elif isinstance(node, list):
        for value in node:
            _collect(value, out, label)


def write_report(runs: list[tuple[str, dict[str, Any]]], command: str, path: Path = REPORT) -> None:
    lines = ["# API contract figures", "",
             "Schemathesis against the app's own OpenAPI document (`bench/reliability/api_contract.py`): all",
             "checks, stateful links followed, the app on uvicorn over the web fixtures, single-user mode with",
             "the session cookie and CSRF token on every request (writes reached).", "",
             f"Command: `{command}`", "",
             "| run | cases | failing checks | distinct failures | exit | seconds |", "|---|---:|---:|---:|---:|---:|"]
    for name, r in runs:
        distinct = sum(len(v) for v in r["failures"].values())
        lines.append(f"| {name} | {r['cases'] if r['cases'] is not None else '?'} | {len(r['failures'])} | "
                     f"{distinct} | {r['exit']} | {r['seconds']:.0f} |")
    for name, r in runs:
        if r["failures"]:
            lines += ["", f"## Failures: {name}", ""]
            for check, items in r["failures"].items():
                for item in items[:12]:
                    lines.append(f"- `{check}`: {item}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=1000, help="cases per operation and phase")
    parser.add_argument("--max-time", type=int, default=None, help="time budget of the run, in seconds")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--phases", default="examples,coverage,fuzzing,stateful")
    parser.add_argument("--label", default="run")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    with Served() as served, tempfile.TemporaryDirectory() as reports:
        result = run_schemathesis(served.base, served.session_headers(), max_examples=args.max_examples,
                                  max_time=args.max_time, workers=args.workers, seed=args.seed,
                                  report_dir=Path(reports), phases=args.phases)
    print(result["output"])
    print(json.dumps({k: v for k, v in result.items() if k != "output"}, indent=1))
    command = "OMP_NUM_THREADS=1 python bench/reliability/api_contract.py " + " ".join(
        argv if argv is not None else sys.argv[1:])
    write_report([(args.label, result)], command.strip(), args.report)
    return 0 if result["exit"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
