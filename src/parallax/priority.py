"""Batch work yields the CPU to interactive readers.

Two knobs, both applied by the batch work to itself (never needing privileges):

- the Linux scheduling policy (setting ``batch_policy``, default ``idle``): ``SCHED_IDLE`` threads
  run only on CPU time no normal thread wants (weight 3 against 1,024 for a normal thread at
  niceness 0, and a waking normal thread preempts them at once; the kernel also places a waking
  thread on a core that runs only ``SCHED_IDLE`` work as if it were idle). ``batch`` is
  ``SCHED_BATCH`` (the niceness weight, but it never preempts on wake-up); ``normal`` leaves the
  policy alone. A normal thread's share is also kept against other sessions: under the kernel's
  autogroups (``/proc/sys/kernel/sched_autogroup_enabled``) a session's weight goes to its cores in
  proportion to its runnable load, and a ``SCHED_IDLE`` build adds almost none, so the reader's
  session keeps nearly its whole weight on the reader's core. Without privileges a thread cannot
  leave ``SCHED_IDLE``, so batch work keeps it to its end (its write transactions are short).
- the niceness (``batch_nice``), which orders batch work where ``SCHED_IDLE`` is not available.

A build, or the polling and building thread of ``parallax run``, raises its own niceness by the
``batch_nice`` setting (default 10; 0 turns it off), so the web app's requests (and anything else
the owner runs at normal priority) are scheduled first when the cores are busy. On Linux the
niceness of a thread can be raised alone (``parallax run`` lowers its poller and fetch threads
while its web server keeps the normal priority); elsewhere only a whole process can be, so there a
thread is left as it is. Raising niceness never needs privileges; lowering it back would, so it is
never done.

>>> lower_priority(0) is None
True
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

#: The highest niceness (the lowest priority) on POSIX systems.
MAX_NICE = 19
#: ``batch_policy`` values and the Linux scheduling policy each names (``normal``: left alone).
POLICIES: dict[str, str | None] = {"idle": "SCHED_IDLE", "batch": "SCHED_BATCH", "normal": None}
#: Linux scheduling policy numbers and their names (those this Python knows).
POLICY_NAMES: dict[int, str] = {
    getattr(os, n): n for n in ("SCHED_OTHER", "SCHED_BATCH", "SCHED_IDLE", "SCHED_FIFO", "SCHED_RR") if hasattr(os, n)
}


def _per_thread() -> bool:
    """Linux schedules threads one by one: ``setpriority`` on a thread id changes that thread only."""
    return sys.platform.startswith("linux") and hasattr(os, "setpriority")


def niceness(thread: bool = False) -> int | None:
    """The current niceness of this process (or, on Linux with ``thread``, of the calling thread)."""
    if not hasattr(os, "getpriority"):
        return None
    who = threading.get_native_id() if thread and _per_thread() else 0
    return os.getpriority(os.PRIO_PROCESS, who)


def lower_priority(increment: int, *, thread: bool = False, base: int | None = None) -> int | None:
    """Raise the niceness by ``increment`` (capped at 19); return the new niceness, or ``None`` when
    nothing was changed (``increment`` <= 0, no support on this system, or a thread outside Linux).

    ``thread=False`` is for a process about to do batch work (``parallax build``): call it before
    any thread starts, and the threads and processes it starts inherit the niceness. ``thread=True``
    lowers the calling thread only (threads it starts later inherit it). With ``base`` the target is
    ``base + increment`` (a thread that inherited it already is left as it is), not the current
    niceness plus ``increment``.
    """
    if increment <= 0 or not hasattr(os, "setpriority"):
        return None
    if thread and not _per_thread():
        return None
    # on Linux PRIO_PROCESS with id 0 is the calling thread; a thread id names one thread
    who = threading.get_native_id() if _per_thread() else 0
    try:
        current = os.getpriority(os.PRIO_PROCESS, who)
        target = max(current, min(MAX_NICE, (current if base is None else base) + increment))
        if target != current:
            os.setpriority(os.PRIO_PROCESS, who, target)
        return target
    except OSError as exc:  # e.g. a sandbox that forbids it: batch work still runs, at its priority
        log.info("could not lower the priority of batch work: %s", exc)
        return None


def _who(thread: bool) -> int:
    return threading.get_native_id() if thread and _per_thread() else 0


def policy(thread: bool = False) -> str | None:
    """The scheduling policy of this process (or, on Linux with ``thread``, of the calling thread):
    ``"SCHED_OTHER"``, ``"SCHED_BATCH"``, ``"SCHED_IDLE"``, ... or ``None`` where it cannot be read."""
    if not hasattr(os, "sched_getscheduler"):
        return None
    try:
        number = os.sched_getscheduler(_who(thread))
    except OSError:
        return None
    return POLICY_NAMES.get(number, str(number))


def set_policy(name: str, *, thread: bool = False) -> str | None:
    """Put batch work under the scheduling policy ``name`` (a key of :data:`POLICIES`); return the
    policy now in force, or ``None`` when nothing was changed (``normal``, a system without it, a
    thread outside Linux, or a refusal). ``thread`` as for :func:`lower_priority`; threads and
    processes started afterwards inherit the policy. A real-time thread is left as it is.
    """
    if name not in POLICIES:
        raise ValueError(f"batch_policy must be one of {', '.join(POLICIES)}, not {name!r}")
    wanted = POLICIES[name]
    if wanted is None or not hasattr(os, wanted) or not hasattr(os, "sched_setscheduler"):
        return None
    if thread and not _per_thread():
        return None
    current = policy(thread)
    if current in ("SCHED_FIFO", "SCHED_RR", wanted) or (current == "SCHED_IDLE" and wanted == "SCHED_BATCH"):
        return current  # never raise a real-time thread's or an idle one's priority
    try:
        os.sched_setscheduler(_who(thread), getattr(os, wanted), os.sched_param(0))
    except OSError as exc:  # a sandbox that forbids it: the niceness still applies
        log.info("could not put batch work under %s: %s", wanted, exc)
        return None
    return wanted


AUTOGROUP = "/proc/self/autogroup"


def autogroup_nice() -> int | None:
    """The nice value of this process's autogroup (Linux with autogroups), or ``None``."""
    try:
        with open(AUTOGROUP, encoding="ascii") as f:
            return int(f.read().split("nice")[1])
    except (OSError, IndexError, ValueError):
        return None


def lower_session(increment: int) -> int | None:
    """Raise the nice value of this process's autogroup by ``increment`` (capped at 19) when the
    process leads its own session (a systemd service, a cron job run through ``setsid``): under
    autogroups the sessions share the cores equally whatever the niceness inside them, so a batch
    session at full weight would take its share from the web server's. A process that does not lead
    its session (a command typed in a shell) leaves the autogroup alone: it is the shell's too.
    Return the new autogroup nice, or ``None`` when nothing was changed."""
    if increment <= 0 or not hasattr(os, "getsid") or os.getsid(0) != os.getpid():
        return None
    current = autogroup_nice()
    if current is None:
        return None
    target = max(current, min(MAX_NICE, current + increment))
    try:
        if target != current:
            with open(AUTOGROUP, "w", encoding="ascii") as f:
                f.write(str(target))
    except OSError as exc:
        log.info("could not lower the priority of this session: %s", exc)
        return None
    return target


def yield_cpu(settings: object, *, thread: bool = False, base: int | None = None) -> tuple[str | None, int | None]:
    """Apply both knobs of ``settings`` (``batch_policy``, ``batch_nice``) to this process or thread;
    return (policy, niceness) as :func:`set_policy` and :func:`lower_priority` do. A whole process
    that leads its own session also lowers its autogroup (:func:`lower_session`)."""
    if not thread:
        lower_session(getattr(settings, "batch_nice", 0))
    return (set_policy(getattr(settings, "batch_policy", "normal"), thread=thread),
            lower_priority(getattr(settings, "batch_nice", 0), thread=thread, base=base))
