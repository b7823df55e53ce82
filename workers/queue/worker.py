"""The RQ worker that holds a loaded engine (``corroborate worker`` starts it: ``workers.cli.worker``).

The engine is loaded in this (parent) process before the first job is taken,
so the work horse RQ forks for each job starts with it warm. Before each job
the parent syncs the engine with the corpus store, so reports added while the
worker runs are used from the next job on, and every later horse inherits the
synced engine.

Scale out by starting more of these, on any machine that reaches the same Redis.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable

import redis
from rq import Worker

from workers.queue import jobs
from workers.queue.connection import QUEUE_NAME, SERIALIZER, annotation_queue, describe

log = logging.getLogger(__name__)

# Errors that say nothing about the page: trying again may well work.
TRANSIENT = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError, MemoryError)


def no_retry_unless_transient(job, exc_type, exc_value, traceback) -> bool:
    """RQ exception handler: a job only gets its retries for transient failures.

    A page the engine rejects fails the same way every time; retrying it only
    delays the error the user is waiting for.
    """
    if exc_type is not None and not issubclass(exc_type, TRANSIENT):
        job.retries_left = 0
    return True  # go on to RQ's own handling (record the failure)


class CorpusWorker(Worker):
    """An RQ worker that syncs its engine with the corpus store before forking each work horse."""

    def execute_job(self, job, queue_):  # noqa: D401 - RQ's signature
        try:
            jobs.sync(self.connection)
        except Exception:  # the horse syncs again and reports a real failure
            log.exception("corpus sync before job %s failed", job.id)
        return super().execute_job(job, queue_)


def make_worker(connection: redis.Redis, name: str | None = None, queue_name: str = QUEUE_NAME) -> Worker:
    worker = CorpusWorker(
        [annotation_queue(connection, queue_name)],
        connection=connection,
        serializer=SERIALIZER,
        name=name,
        exception_handlers=[no_retry_unless_transient],
    )
    return worker


def prepare(connection: redis.Redis, corpus: str) -> None:
    """Load the engine in this process and sync it, before any job arrives."""
    jobs.load(corpus)
    jobs.share_analyses(connection)
    jobs.sync(connection)
    jobs.publish(connection)


def serve(
    connection: redis.Redis,
    name: str | None = None,
    queue_name: str = QUEUE_NAME,
    burst: bool = False,
    quiet: bool = False,
    say: Callable[[str], None] = lambda message: None,
) -> None:
    """Take jobs until told to stop (or, with ``burst``, until the queue is empty), riding out Redis outages."""
    level = "WARNING" if quiet else "INFO"
    while True:
        current = make_worker(connection, name=name, queue_name=queue_name)
        try:
            current.work(burst=burst, logging_level=level)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            pass  # lost while registering or tearing down; handled below
        if burst or getattr(current, "_shutdown_requested_date", None) is not None:
            return  # asked to stop (Ctrl-C, SIGTERM) or the queue is empty in burst mode
        # RQ's loop ends on a lost connection: wait for Redis and carry on, engine still loaded.
        say(f"lost Redis at {describe(connection)}; waiting for it")
        if not wait_for_redis(connection):
            return
        jobs.publish(connection)


def wait_for_redis(connection: redis.Redis) -> bool:
    """Ping every two seconds until Redis answers (True) or the worker is told to stop (False)."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while True:
            try:
                connection.ping()
                return True
            except redis.exceptions.RedisError:
                time.sleep(2)
    except KeyboardInterrupt:
        return False
