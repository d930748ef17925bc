"""End to end: `parallax run` polls a local feed, builds the story, serves it, stops on SIGINT/SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, parallax_command, run_cli
from mockserver import MockServer, serve_news

from parallax.sources.opml import to_opml

ARTICLES = json.loads((ROOT / "tests" / "fixtures" / "live" / "articles.json").read_text(encoding="utf-8"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_run(db: Path | str, port: int, *feeds: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PARALLAX_ALLOW_PRIVATE_NETWORKS": "1", "PARALLAX_HOST_DELAY": "0"}
    args = [*parallax_command(), "run", "--db", str(db), "--host", "127.0.0.1", "--port", str(port), "--no-default"]
    for feed in feeds:
        args += ["--feeds", feed]
    return subprocess.Popen(args, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def stop(process: subprocess.Popen[str], sig: int = signal.SIGINT) -> tuple[int, str]:
    process.send_signal(sig)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
        pytest.fail(f"parallax run did not stop within 30 s of signal {sig}:\n{err}")
    return process.returncode, err


def test_run_ingests_a_feed_and_serves_the_story(store_url):
    """On each store: a SQLite file, a postgresql:// URL (poller, builds and web app in one process)."""
    event = [a for a in ARTICLES if a["event"]]
    with MockServer() as server:
        serve_news(server, ARTICLES, etag='"e2e"')
        port = free_port()
        process = start_run(store_url, port, server.url("/feed.xml"))
        story, articles = None, []
        deadline = time.monotonic() + 60
        with httpx.Client(trust_env=False, timeout=5) as client:
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    stories = client.get(f"http://127.0.0.1:{port}/api/stories").json()["stories"]
                except (httpx.HTTPError, ValueError):
                    stories = []
                story = next((s for s in stories if s["article_count"] >= len(event)), None)
                if story is not None:
                    articles = client.get(f"http://127.0.0.1:{port}/api/stories/{story['id']}/articles").json()
                    break
                time.sleep(1)
        code, err = stop(process)
    assert story is not None, f"no story with all {len(event)} articles within a minute:\n{err}"
    urls = {a["url"] for a in articles["articles"]}
    assert urls == {server.url(f"/articles/{a['slug']}.html") for a in event}
    assert code == 0, err
    assert "stopped" in err

    listed = run_cli("feeds", "list", "--json", "--db", store_url)
    [feed] = json.loads(listed.stdout)["feeds"]
    assert feed["entries"] == len(ARTICLES) and feed["last_status"] == 200 and feed["last_error"] is None


def test_run_without_network_starts_shows_errors_and_stops_on_sigterm(tmp_path):
    """Feeds that cannot be reached: it still serves, says why each failed, and stops cleanly."""
    port = free_port()
    dead = f"http://127.0.0.1:{free_port()}/feed.xml"  # nothing listens there
    opml = tmp_path / "mine.opml"
    opml.write_bytes(to_opml([{"url": dead, "title": "Dead"}, {"url": "https://feeds.invalid/rss.xml", "title": "Nowhere"}]))
    process = start_run(tmp_path / "off.db", port, str(opml))
    deadline = time.monotonic() + 30
    status = None
    with httpx.Client(trust_env=False, timeout=5) as client:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status = client.get(f"http://127.0.0.1:{port}/api/stories").status_code
                feeds = json.loads(run_cli("feeds", "list", "--json", "--db", str(tmp_path / "off.db")).stdout)["feeds"]
                if all(f["last_error"] for f in feeds):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
    code, err = stop(process, signal.SIGTERM)
    assert status == 200
    assert code == 0, err
    errors = {f["url"]: f["last_error"] for f in feeds}
    assert "ConnectError" in errors[dead] or "refused" in errors[dead].lower()
    assert "cannot resolve feeds.invalid" in errors["https://feeds.invalid/rss.xml"]
    assert "feeds.invalid" in err  # the CLI printed each feed's error
    assert {f["title"] for f in feeds} == {"Dead", "Nowhere"}  # read from the OPML file
