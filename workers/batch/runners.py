"""Two ways to annotate a batch of pages, both yielding each page's outcome as it completes.

- ``QueueRunner``: through the API's RQ queue (``workers.queue.submit_annotation``), so
  every ``corroborate worker`` on any machine shares the work and the API's result
  cache answers pages it has seen. It keeps a window of jobs in flight, waits, and
  collects. Pages left queued by an interrupted run are still annotated; their
  results wait in the cache for the rerun.
- ``InProcessRunner``: the engine in this process, for when there is no Redis.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from redis import Redis

from workers import queue
from workers.batch.sources import BatchPage

FINAL_STATUSES = {"finished", "failed", "stopped", "canceled"}
MIN_WINDOW = 64  # jobs kept in flight, at least; more when many workers are listening
JOBS_PER_WORKER = 4
POLL_SECONDS = (0.05, 0.5)  # first and longest pause between looks at the jobs in flight
WORKER_CHECK_SECONDS = 2.0


@dataclass(frozen=True)
class PageOutcome:
    page: BatchPage
    result: dict[str, Any] | None = None
    error: str | None = None


def timed_out(seconds: float) -> str:
    return f"timed out after {seconds:g} s"


class QueueRunner:
    """Pages through the RQ queue the API uses, waiting for the workers' results."""

    def __init__(
        self,
        connection: Redis,
        corpus: str,
        timeout: float | None = None,
        say: Callable[[str], None] = lambda message: None,
    ):
        self.connection = connection
        self.corpus = corpus
        self.timeout = timeout
        self.say = say
        self.store = queue.CorpusStore(connection, corpus)
        self.queue = queue.annotation_queue(connection)
        self._workers = 0
        self._workers_checked = float("-inf")
        self._warned_idle = False

    def workers(self) -> int:
        """Live workers on the queue, looked up every few seconds; warns once when there are none."""
        now = time.monotonic()
        if now - self._workers_checked >= WORKER_CHECK_SECONDS:
            self._workers = queue.worker_count(self.connection, self.queue.name)
            self._workers_checked = now
            if self._workers == 0 and not self._warned_idle:
                self.say(
                    f"no worker is taking pages from queue {self.queue.name!r} on "
                    f"{queue.describe(self.connection)}; waiting (start one: corroborate worker)"
                )
                self._warned_idle = True
        return self._workers

    def window(self) -> int:
        return max(MIN_WINDOW, JOBS_PER_WORKER * self.workers())

    def statuses(self, job_ids: list[str]) -> dict[str, str | None]:
        """The RQ status of each job in one round trip; None for a job that no longer exists."""
        return queue.job_statuses(self.connection, job_ids)

    def stop(self, job_id: str) -> None:
        queue.stop_job(self.connection, job_id)

    def outcomes(self, job_id: str, pages: list[BatchPage]) -> list[PageOutcome]:
        state = queue.job_state(self.connection, job_id)
        if state is None:
            return [PageOutcome(page, error="the job vanished from Redis (expired or deleted)") for page in pages]
        if state.status == "finished" and isinstance(state.result, dict):
            return [PageOutcome(page, result=state.result) for page in pages]
        return [PageOutcome(page, error=state.error or "the job failed") for page in pages]

    def run(self, pages: Iterable[BatchPage]) -> Iterator[PageOutcome]:
        todo = deque(pages)
        waiting: dict[str, list[BatchPage]] = {}  # job id -> pages with that text (usually one)
        started: dict[str, float] = {}  # job id -> when it was first seen at work
        pause = POLL_SECONDS[0]
        while todo or waiting:
            while todo and len(waiting) < self.window():
                page = todo.popleft()
                state, _from_cache = queue.submit_annotation(
                    self.connection, self.corpus, self.store.cache_version(), page.text, url=page.url, title=page.title
                )
                if state.status == "finished" and isinstance(state.result, dict):
                    yield PageOutcome(page, result=state.result)
                else:
                    waiting.setdefault(state.id, []).append(page)
            if not waiting:
                continue
            done_any = False
            now = time.monotonic()
            for job_id, status in self.statuses(list(waiting)).items():
                if status is None or status in FINAL_STATUSES:
                    yield from self.outcomes(job_id, waiting.pop(job_id))
                    started.pop(job_id, None)
                    done_any = True
                elif status == "started" and self.timeout:
                    since = started.setdefault(job_id, now)
                    if now - since > self.timeout:
                        self.stop(job_id)
                        for page in waiting.pop(job_id):
                            yield PageOutcome(page, error=timed_out(self.timeout))
                        started.pop(job_id)
                        done_any = True
            pause = POLL_SECONDS[0] if done_any else min(pause * 1.5, POLL_SECONDS[1])
            if waiting and not done_any:
                time.sleep(pause)


class PageTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float | None):
    """Raise PageTimeout in the block after ``seconds`` (main thread only; elsewhere no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise PageTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class InProcessRunner:
    """Pages through an engine loaded in this process, one after another."""

    def __init__(
        self,
        corpus: str,
        timeout: float | None = None,
        connection: Redis | None = None,
        say: Callable[[str], None] = lambda message: None,
    ):
        self.corpus = corpus
        self.timeout = timeout
        self.connection = connection  # when given, the store's added reports join the corpus
        self.say = say

    def load(self):
        self.say(f"loading the engine for corpus {self.corpus!r} ...")
        from workers.engine import load_engine

        engine = load_engine(self.corpus)
        if self.connection is not None:
            _version, added = queue.CorpusStore(self.connection, self.corpus).snapshot()
            engine.sync(added)
        return engine

    def run(self, pages: Iterable[BatchPage]) -> Iterator[PageOutcome]:
        pages = list(pages)
        if not pages:
            return
        engine = self.load()
        for page in pages:
            try:
                with time_limit(self.timeout):
                    result = engine.annotate(page.text, url=page.url)
            except PageTimeout:
                yield PageOutcome(page, error=timed_out(self.timeout))
            except Exception as error:  # one bad page must not stop the batch
                yield PageOutcome(page, error=f"{type(error).__name__}: {error}")
            else:
                yield PageOutcome(page, result=result)
