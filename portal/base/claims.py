"""Who holds a claim on a piece of work that must happen exactly once (a reminder, a
newsletter delivery), and when a claim was abandoned by a dead worker.

A claim records the worker's identity: host, pid and the process start time (the start
time tells a reused pid from the original process). A claim may be taken over when its
worker is known to be dead (same host, process gone) or, for workers on other hosts,
after the stale limit. Used by events.reminders and clusters.newsletters.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta


def proc_start(pid: int) -> str | None:
    """The process start time (clock ticks since boot), or None if it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    if fields[0] in ("Z", "X"):
        return None
    return fields[19]


def worker_identity() -> str:
    """host:pid:start — the start time tells a reused pid from the original process."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{proc_start(pid) or ''}"


def claim_abandoned(
    claimed_by: str, claimed_at: datetime, now: datetime, stale_after: timedelta
) -> bool:
    """A claim may be taken over when its worker is known to be dead (same host,
    process gone) or, for workers on other hosts, after the stale limit."""
    if claimed_at < now - stale_after:
        return True
    host, _, rest = claimed_by.partition(":")
    pid, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit() or not os.path.isdir("/proc"):
        return False
    return proc_start(int(pid)) != (start or proc_start(int(pid)))
