"""What keeps a job honest when the worker runs it in its own process (no work horse).

- ``Lease``: a thread that renews the running job's lease (and the worker's heartbeat) every few
  seconds, since the job blocks the worker's main loop. A killed worker stops renewing it, so the job
  is seen as abandoned within seconds and another worker retries it.
- ``JobClock``: the job's time limit, RQ's SIGALRM death penalty in the main thread, which a stop
  request (``corroborate batch --timeout``, RQ's stop-job command) can also end at once.
- ``hang_guard``: a backstop below Python. A job stuck in native code or a loop holding the GIL
  never sees SIGALRM; faulthandler's own C thread then prints where it is stuck and exits the
  process, so the job's lease lapses and the job is retried elsewhere, as after a kill.
"""

from __future__ import annotations

import faulthandler
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

from rq.timeouts import BaseTimeoutException, UnixSignalDeathPenalty

log = logging.getLogger(__name__)

STOP_REPEAT = 0.2  # seconds between the signals that end a job asked to stop, until it has ended
HANG_GRACE = 30  # seconds past its time limit after which a job that ignores SIGALRM ends its worker


class JobStopped(BaseTimeoutException):
    """Raised in a job that was asked to stop."""


class Lease(threading.Thread):
    """Calls ``renew()`` every ``every`` seconds until stopped (the job's lease and the worker's heartbeat)."""

    def __init__(self, renew: Callable[[], None], every: float):
        super().__init__(name="corroborate-lease", daemon=True)
        self.renew, self.every = renew, every
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.every):
            try:
                self.renew()
            except Exception:  # Redis away: the next beat tries again; a lapsed lease means a retry
                log.warning("could not renew the job's lease", exc_info=log.isEnabledFor(logging.DEBUG))

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=10)


class JobClock(UnixSignalDeathPenalty):
    """RQ's SIGALRM time limit, plus ``JobClock.stop()`` to end the running job early, from any thread.

    A SIGALRM that is neither the limit nor a stop (one that raced with the end of an earlier job) is
    ignored, and when disarmed the clock leaves SIGALRM ignored rather than at its default action
    (which would end the worker).
    """

    _armed: JobClock | None = None

    def setup_death_penalty(self):
        self._stopped = False
        self._deadline = time.monotonic() + self._timeout
        JobClock._armed = self
        super().setup_death_penalty()

    def cancel_death_penalty(self):
        JobClock._armed = None
        signal.setitimer(signal.ITIMER_REAL, 0)  # the time limit and any repeating stop signal
        signal.signal(signal.SIGALRM, signal.SIG_IGN)

    def handle_death_penalty(self, signum, frame):
        if JobClock._armed is not self:
            return
        if self._stopped:
            raise JobStopped("the job was stopped on request")
        if time.monotonic() >= self._deadline - 0.5:
            super().handle_death_penalty(signum, frame)

    @classmethod
    def stop(cls) -> bool:
        """Interrupt the job now running in the main thread; False when none is."""
        armed = cls._armed
        if armed is None:
            return False
        armed._stopped = True
        # Again every STOP_REPEAT s until the job ends: a signal that lands while a destructor runs
        # raises there, where Python ignores it ("Exception ignored in __del__"), and the job would go on.
        signal.setitimer(signal.ITIMER_REAL, STOP_REPEAT, STOP_REPEAT)
        signal.pthread_kill(threading.main_thread().ident, signal.SIGALRM)
        return True


@contextmanager
def hang_guard(seconds: float):
    """Exit the process (after printing every thread's stack) if the block runs ``seconds`` longer."""
    faulthandler.dump_traceback_later(seconds, exit=True, file=sys.stderr)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
