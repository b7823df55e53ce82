"""The RQ worker that holds a loaded engine (``corroborate worker`` starts it: ``workers.cli.worker``).

The engine is loaded once, before the first job is taken, and every job runs in the worker's
own process: no work horse is forked per job. (A forked horse paid for copy-on-write page
faults on the engine's objects, about 1.7 times the time of the same page in the worker.)
Before each job the worker syncs the engine with the corpus store, so reports added while
the worker runs are used from the next job on.

What the work horse gave, the worker keeps (``workers.queue.running``): a thread renews the
job's lease while the job runs, the time limit is RQ's SIGALRM in the main thread, a stop
request interrupts the job, and a job stuck where no signal reaches it ends the worker after
a grace period, so its lease lapses and another worker retries it.

Scale out by starting more of these, on any machine that reaches the same Redis.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from datetime import timedelta

import redis
from rq import SimpleWorker, Worker, worker_registration
from rq.exceptions import AbandonedJobError
from rq.registry import StartedJobRegistry
from rq.utils import now
from rq.worker import WorkerStatus

from workers.queue import jobs
from workers.queue.cache import PREFIX
from workers.queue.connection import (
    BUSY_HEARTBEAT,
    IDLE_HEARTBEAT,
    JOB_GRACE,
    QUEUE_NAME,
    SERIALIZER,
    annotation_queue,
    describe,
)
from workers.queue.running import HANG_GRACE, JobClock, Lease, hang_guard

log = logging.getLogger(__name__)

# Errors that say nothing about the page: trying again may well work. AbandonedJobError is a job whose
# worker died (killed, out of memory, the machine lost): the README promises it two more tries.
TRANSIENT = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError, MemoryError, AbandonedJobError)
REAP_EVERY = 2  # seconds between looks for abandoned jobs (one worker looks, whichever gets there first)


def no_retry_unless_transient(job, exc_type, exc_value, traceback) -> bool:
    """RQ exception handler: a job only gets its retries for transient failures.

    A page the engine rejects fails the same way every time; retrying it only
    delays the error the user is waiting for.
    """
    if exc_type is not None and not issubclass(exc_type, TRANSIENT):
        job.retries_left = 0
    return True  # go on to RQ's own handling (record the failure)


class CorpusWorker(SimpleWorker):
    """An RQ worker that runs each job in its own process, after syncing its engine with the corpus store.

    On top of RQ's worker it makes faults short:

    - while a job runs, a thread renews its lease every ``BUSY_HEARTBEAT`` s (``IDLE_HEARTBEAT`` s
      when idle); a lease lasts the heartbeat plus ``JOB_GRACE`` s, so a job whose worker died is seen
      within seconds, and ``reap`` (run by any live worker every ``REAP_EVERY`` s) retries it;
    - the job's time limit is enforced in the worker (``JobClock``), and a stop request ends the job;
    - it registers again when Redis lost its registration (a Redis restart), so /health counts it;
    - RQ's wait between reconnection attempts is capped at 2 s, so the first job after an outage
      starts within seconds of Redis coming back;
    - a second Ctrl-C or SIGTERM during a job (a cold shutdown) ends the worker at once; the job's
      lease lapses and another worker retries it.
    """

    max_connection_wait_time = 2.0
    death_penalty_class = JobClock

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("job_monitoring_interval", BUSY_HEARTBEAT)
        kwargs.setdefault("worker_ttl", IDLE_HEARTBEAT + 15)  # RQ blocks for worker_ttl - 15 s between heartbeats
        super().__init__(*args, **kwargs)
        self._next_reap = 0.0

    def execute_job(self, job, queue_):  # noqa: D401 - RQ's signature
        try:
            jobs.sync(self.connection)
        except Exception:  # the job syncs again and reports a real failure
            log.exception("corpus sync before job %s failed", job.id)
        execution = self.prepare_execution(job)
        lease = Lease(lambda: self.maintain_heartbeats(job, execution), self.job_monitoring_interval)
        lease.start()
        try:
            with hang_guard((job.timeout or self.queue_class.DEFAULT_TIMEOUT) + HANG_GRACE):
                self.perform_job(job, queue_, execution)
        finally:
            lease.stop()
        self.set_state(WorkerStatus.IDLE)

    def kill_horse(self, sig=None):
        """RQ's stop-job command (from its pubsub thread) lands here: interrupt the job running in this process."""
        JobClock.stop()

    def request_force_stop(self, signum, frame):
        """A second Ctrl-C or SIGTERM: leave now; the running job's lease lapses and another worker retries it."""
        if self._shutdown_requested_date is not None and now() - self._shutdown_requested_date < timedelta(seconds=1):
            return  # the same signal delivered twice (RQ's own guard)
        log.warning("worker %s: cold shut down; the job in hand will be retried by another worker", self.name)
        try:
            self.register_death()
        except redis.exceptions.RedisError:
            pass
        os._exit(1)

    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        """The job's lease: renewed every heartbeat, so it lapses ``JOB_GRACE`` s after its worker died."""
        return self.job_monitoring_interval + JOB_GRACE

    def heartbeat(self, timeout=None, pipeline=None):
        super().heartbeat(timeout, pipeline=pipeline)
        if pipeline is None:
            self.ensure_registered()
            self.reap()

    def maintain_heartbeats(self, job, execution):
        super().maintain_heartbeats(job, execution)
        self.ensure_registered()
        self.reap()

    def ensure_registered(self) -> None:
        """Register again when Redis forgot this worker (it was restarted): /health counts registered workers."""
        try:
            if self.connection.sismember(self.redis_workers_keys, self.key):
                return
            with self.connection.pipeline() as pipe:
                pipe.hset(self.key, mapping=self.serialize())
                pipe.expire(self.key, self.worker_ttl + 60)
                worker_registration.register(self, pipe)
                pipe.execute()
            log.warning("worker %s: Redis had lost this worker's registration; registered again", self.name)
            jobs.publish(self.connection)
        except redis.exceptions.RedisError:
            pass  # Redis is away; RQ's loop reconnects and the next heartbeat tries again

    def reap(self) -> None:
        """Retry (or fail, once out of retries) jobs whose worker stopped renewing their lease."""
        if time.monotonic() < self._next_reap:
            return
        self._next_reap = time.monotonic() + REAP_EVERY
        try:
            for queue_ in self.queues:
                # Whoever sets the key looks this time; it expires by itself, so a killed reaper blocks nobody.
                if self.connection.set(f"{PREFIX}:reaper:{queue_.name}", self.name, nx=True, ex=REAP_EVERY):
                    StartedJobRegistry(queue=queue_, serializer=self.serializer).cleanup(
                        exception_handlers=self._exc_handlers
                    )
        except redis.exceptions.RedisError:
            pass
        except Exception:
            log.exception("looking for abandoned jobs failed")


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
