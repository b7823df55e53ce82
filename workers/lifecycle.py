"""Processes that must not outlive their parent (Linux: prctl PR_SET_PDEATHSIG).

``make run`` gives each child a death signal,
so SIGKILL to the parent (which no handler can catch) still stops the children
instead of leaving them running and holding the port or the job.
"""

from __future__ import annotations

import ctypes
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(signum: int = signal.SIGTERM) -> None:
    """This process gets ``signum`` when its parent dies. Linux only; elsewhere it does nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the parent's own shutdown still stops the child
        pass
