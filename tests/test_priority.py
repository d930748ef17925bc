"""Batch work lowers its own CPU priority (the ``batch_nice`` setting) so web readers come first."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from parallax.priority import MAX_NICE, lower_priority, niceness, policy, set_policy
from parallax.settings import load

ROOT = Path(__file__).resolve().parents[1]
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread niceness is Linux's")


def _in_thread(work):
    """Run ``work`` in a fresh thread (its niceness dies with it) and return what it returned."""
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("value", work()))
    thread.start()
    thread.join(30)
    return box["value"]


def _room(increment: int) -> None:
    if niceness(thread=True) + increment > MAX_NICE:
        pytest.skip("the tests already run at the lowest priority")


@linux
def test_a_thread_lowers_itself_alone():
    _room(3)
    before = niceness(thread=True)
    inside = _in_thread(lambda: (lower_priority(3, thread=True), niceness(thread=True)))
    assert inside == (before + 3, before + 3)
    assert niceness(thread=True) == before  # the calling thread is untouched


def test_zero_turns_it_off():
    before = niceness(thread=True)
    assert _in_thread(lambda: (lower_priority(0, thread=True), niceness(thread=True))) == (None, before)


@linux
def test_a_base_is_not_counted_twice():
    """A fetch thread started by the (already lowered) poller thread stays at base + increment."""
    _room(4)
    base = niceness(thread=True)

    def nested():
        lower_priority(4, thread=True, base=base)
        return _in_thread(lambda: (lower_priority(4, thread=True, base=base), niceness(thread=True)))

    assert _in_thread(nested) == (base + 4, base + 4)


@linux
def test_the_poller_thread_of_parallax_run_polls_at_the_lower_priority(monkeypatch):
    from parallax.sources.poller import Poller
    from parallax.store import open_store

    _room(5)
    seen = []
    ran = threading.Event()

    def poll_once(self):
        seen.append(niceness(thread=True))
        seen.append(policy(thread=True))
        ran.set()
        return []

    monkeypatch.setattr(Poller, "poll_once", poll_once)
    base = niceness(thread=True)
    web_policy = policy(thread=True)
    poller = Poller(open_store(":memory:"), load(environ={}, batch_nice=5, batch_policy="idle"))
    poller.start()
    try:
        assert ran.wait(30)
    finally:
        poller.stop()
    assert seen[0] == base + 5
    assert seen[1] == "SCHED_IDLE"
    assert niceness(thread=True) == base  # the web server's thread keeps its priority
    assert policy(thread=True) == web_policy != "SCHED_IDLE"


@pytest.mark.parametrize("setting, increment", [("7", 7), ("0", 0)])
def test_parallax_build_runs_at_the_lowered_priority(tmp_path, setting, increment):
    """`parallax build` lowers its whole process before any work (a subprocess: it cannot be undone)."""
    if (niceness() or 0) + 7 > MAX_NICE:
        pytest.skip("the tests already run at the lowest priority")
    probe = ("import os, sys\nfrom parallax.cli import app\n"
             "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print('NICE', os.getpriority(os.PRIO_PROCESS, 0))\n"
             "print('POLICY', os.sched_getscheduler(0) if hasattr(os, 'sched_getscheduler') else -1)\n")
    (tmp_path / "in").mkdir()
    env = {**os.environ, "PARALLAX_BATCH_NICE": setting, "PARALLAX_EMBEDDINGS": "false",
           "PARALLAX_BATCH_POLICY": "idle" if increment else "normal",
           "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", probe, "build", str(tmp_path / "in"), "--db", str(tmp_path / "x.db")],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    printed = [line for line in done.stdout.splitlines() if line.startswith("NICE ")]
    assert printed, done.stdout + done.stderr
    assert int(printed[-1].split()[1]) == (niceness() or 0) + increment
    if hasattr(os, "SCHED_IDLE") and increment:  # the default batch_policy: idle
        assert f"POLICY {os.SCHED_IDLE}" in done.stdout


@linux
def test_a_thread_puts_itself_under_sched_idle_alone():
    if policy(thread=True) != "SCHED_OTHER":
        pytest.skip("the tests do not run under SCHED_OTHER")
    assert _in_thread(lambda: (set_policy("idle", thread=True), policy(thread=True))) == ("SCHED_IDLE", "SCHED_IDLE")
    assert _in_thread(lambda: (set_policy("batch", thread=True), policy(thread=True))) == ("SCHED_BATCH", "SCHED_BATCH")
    assert _in_thread(lambda: (set_policy("normal", thread=True), policy(thread=True))) == (None, "SCHED_OTHER")
    assert policy(thread=True) == "SCHED_OTHER"  # the calling thread is untouched


@linux
def test_an_idle_thread_is_not_raised_to_sched_batch():
    if policy(thread=True) != "SCHED_OTHER":
        pytest.skip("the tests do not run under SCHED_OTHER")

    def twice():
        set_policy("idle", thread=True)
        return set_policy("batch", thread=True), policy(thread=True)

    assert _in_thread(twice) == ("SCHED_IDLE", "SCHED_IDLE")


def test_an_unknown_batch_policy_is_a_clear_error():
    from parallax.errors import ConfigError

    with pytest.raises(ConfigError, match="batch_policy.*idle, batch, normal"):
        load(environ={"PARALLAX_BATCH_POLICY": "lowest"})
    with pytest.raises(ValueError, match="batch_policy"):
        set_policy("lowest")


@linux
@pytest.mark.parametrize("own_session", [True, False])
def test_parallax_build_lowers_its_autogroup_only_when_it_leads_its_session(tmp_path, own_session):
    """Autogroups share the cores between sessions whatever the niceness inside them: a build that
    leads its own session (systemd, setsid) lowers its session's autogroup; one typed in a shell
    leaves the shell's session alone."""
    from parallax.priority import autogroup_nice

    if autogroup_nice() is None:
        pytest.skip("no autogroups here")
    probe = ("import sys\nfrom parallax.cli import app\nfrom parallax.priority import autogroup_nice\n"
             "print('BEFORE', autogroup_nice())\n"
             "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print('AFTER', autogroup_nice())\n")
    (tmp_path / "in").mkdir()
    env = {**os.environ, "PARALLAX_BATCH_NICE": "6", "PARALLAX_EMBEDDINGS": "false", "PARALLAX_BATCH_POLICY": "normal",
           "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", probe, "build", str(tmp_path / "in"), "--db", str(tmp_path / "x.db")],
                          capture_output=True, text=True, env=env, timeout=300, check=False,
                          start_new_session=own_session)
    values = dict(line.split() for line in done.stdout.splitlines() if line.startswith(("BEFORE ", "AFTER ")))
    assert values, done.stdout + done.stderr
    before, after = int(values["BEFORE"]), int(values["AFTER"])
    if own_session:
        assert after == min(MAX_NICE, before + 6)
    else:
        assert after == before == autogroup_nice()  # the session of the tests is untouched
