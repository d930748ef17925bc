"""Batch work yields the CPU to interactive readers.

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
