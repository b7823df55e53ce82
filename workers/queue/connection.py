"""Redis connections and the annotation queue, shared by the API, the workers and the CLI.

Nothing here knows about HTTP: the API turns these values into responses, the
CLI into lines of text.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry as RedisRetry
from rq import Queue, Retry
from rq.command import send_stop_job_command
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from rq.utils import utcparse
from rq.worker_registration import WORKERS_BY_QUEUE_KEY

from workers import config
from workers.queue import metrics
from workers.queue.cache import PREFIX, cache_key, cached_result, pending_key

ALIAS = f"{PREFIX}:alias:"  # a submitter's own job id for an answer shared with others (cache or running job)

QUEUE_NAME = "corroborate"
JOB_FUNCTION = "workers.queue.jobs.annotate_page"
RETRIES = 2  # extra attempts after a transient failure (lost Redis, a killed worker)
BUSY_HEARTBEAT = 2  # seconds between a busy worker's heartbeats (RQ's job_monitoring_interval)
IDLE_HEARTBEAT = 5  # seconds between an idle worker's heartbeats
JOB_GRACE = 6  # a job whose worker missed its heartbeats this long is abandoned, and retried
ALIVE_WITHIN = 15  # a worker with no heartbeat for this long is not counted as alive

# Jobs travel as JSON, not pickle: any worker on any machine can read them and
# nothing in Redis can make a worker run arbitrary code.
SERIALIZER = JSONSerializer


def fail_fast_options(timeout: float | None) -> dict:
    """Client options for a Redis that fails fast: no retries, ``timeout`` seconds to connect and per command."""
    return {
        "socket_connect_timeout": timeout if timeout is not None else 5,
        "socket_timeout": timeout,
        "retry": RedisRetry(NoBackoff(), 0),
    }


def connect(url: str | None = None, timeout: float | None = 0.5) -> Redis:
    """A client that fails fast: no retries, ``timeout`` seconds to connect and per command.

    The API uses the default so that a Redis outage becomes a 503 within a second.
    Workers pass ``timeout=None`` because RQ blocks on the queue for longer.
    """
    return Redis.from_url(
        url or config.redis_url(),
        **fail_fast_options(timeout),
        health_check_interval=30,
    )


def describe(connection: Redis) -> str:
    """host:port/db of a connection, without any password, for error messages."""
    kwargs = connection.connection_pool.connection_kwargs
    if "path" in kwargs:
        return f"unix:{kwargs['path']}"
    return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"


def annotation_queue(connection: Redis, name: str = QUEUE_NAME) -> Queue:
    return Queue(name, connection=connection, serializer=SERIALIZER, default_timeout=config.settings().job_timeout)


def worker_count(connection: Redis, name: str = QUEUE_NAME) -> int:
    """Workers taking pages from the queue whose last heartbeat is recent. Reads only: changes nothing."""
    keys = sorted(connection.smembers(WORKERS_BY_QUEUE_KEY % name))
    if not keys:
        return 0
    with connection.pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.hget(key, "last_heartbeat")
        beats = pipe.execute()
    cutoff = utcnow() - timedelta(seconds=ALIVE_WITHIN)
    alive = 0
    for beat in beats:
        try:
            alive += beat is not None and utcparse(beat.decode()) >= cutoff
        except ValueError:
            continue
    return alive


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_job_id() -> str:
    return uuid.uuid4().hex


def enqueue_annotation(
    connection: Redis,
    text: str,
    url: str | None = None,
    title: str | None = None,
    queue_name: str = QUEUE_NAME,
) -> Job:
    """Queue one page for ``workers.queue.jobs.annotate_page``; returns the job (its id is the API's id)."""
    queue = annotation_queue(connection, queue_name)
    settings = config.settings()
    job = queue.enqueue(
        JOB_FUNCTION,
        kwargs={"text": text, "url": url, "title": title},
        job_id=new_job_id(),
        job_timeout=settings.job_timeout,
        result_ttl=settings.result_ttl,
        failure_ttl=settings.failure_ttl,
        retry=Retry(max=RETRIES),
        description="annotate " + (url or title or f"{len(text)} characters"),
    )
    metrics.job_event(connection, "queued")
    return job


@dataclass(frozen=True)
class JobState:
    """What the API and CLI show of a job."""

    id: str
    status: str  # queued | started | finished | failed
    result: dict[str, Any] | None = None
    error: str | None = None


_STATUS = {
    JobStatus.QUEUED: "queued",
    JobStatus.DEFERRED: "queued",
    JobStatus.SCHEDULED: "queued",  # waiting to be retried
    JobStatus.STARTED: "started",
    JobStatus.FINISHED: "finished",
    JobStatus.FAILED: "failed",
    JobStatus.STOPPED: "failed",
    JobStatus.CANCELED: "failed",
}


def error_message(exc_string: str | None) -> str:
    """The last line of a traceback: the exception and its message, which is what a user needs."""
    if "JobTimeoutException" in (exc_string or ""):
        limit = config.settings().job_timeout
        return (
            f"the page took longer than {limit} s to check, the limit per page (CORROBORATE_JOB_TIMEOUT); "
            "send a shorter page, or split it"
        )
    if "AbandonedJobError" in (exc_string or ""):
        return "the workers running this page died three times; it was given up"
    lines = [line for line in (exc_string or "").strip().splitlines() if line.strip()]
    if not lines:
        return "the job failed without a message"
    return lines[-1].strip()[:2000]


def _alias(connection: Redis, target: dict[str, str], ttl: int) -> str:
    """A new id of the submitter's own, standing for ``target`` ({"cache": key} or {"job": id})."""
    own = new_job_id()
    connection.set(ALIAS + own, json.dumps(target), ex=ttl)
    return own


def _aliased_state(connection: Redis, job_id: str) -> JobState | None:
    raw = connection.get(ALIAS + job_id)
    if raw is None:
        return None
    target = json.loads(raw)
    if "cache" in target:
        hit = cached_result(connection, target["cache"])
        if hit is None or not isinstance(hit.get("result"), dict):
            return None
        return JobState(job_id, "finished", result=hit["result"])
    state = job_state(connection, target["job"], follow=False)
    return None if state is None else JobState(job_id, state.status, state.result, state.error)


def job_state(connection: Redis, job_id: str, follow: bool = True) -> JobState | None:
    """The state of one job, or None when no such job exists (never queued, or expired)."""
    try:
        job = Job.fetch(job_id, connection=connection, serializer=SERIALIZER)
    except NoSuchJobError:
        return _aliased_state(connection, job_id) if follow else None
    status = _STATUS.get(job.get_status(refresh=False), "queued")
    if status == "finished":
        return JobState(job_id, status, result=job.return_value())
    if status == "failed":
        latest = job.latest_result()
        exc_string = latest.exc_string if latest is not None else None
        if job.get_status(refresh=False) == JobStatus.STOPPED:
            exc_string = exc_string or "the job was stopped"
        elif job.get_status(refresh=False) == JobStatus.CANCELED:
            exc_string = exc_string or "the job was canceled"
        return JobState(job_id, status, error=error_message(exc_string))
    return JobState(job_id, status)


def submit_annotation(
    connection: Redis,
    corpus: str,
    corpus_version: str,
    text: str,
    url: str | None = None,
    title: str | None = None,
) -> tuple[JobState, bool]:
    """Answer from the cache, join an identical job still in the queue, or queue a new one.

    Returns the job's state and whether it was answered from the cache. Every submitter gets a job id
    of their own: another user's id would tell that the same text was sent before.
    """
    key = cache_key(corpus, corpus_version, text)
    settings = config.settings()
    hit = cached_result(connection, key)
    if hit is not None and isinstance(hit.get("result"), dict):
        metrics.cache_hit(connection)
        own = _alias(connection, {"cache": key}, settings.result_ttl)
        return JobState(own, "finished", result=hit["result"]), True
    pending = pending_key(key)
    waiting_for = connection.get(pending)
    if waiting_for is not None:
        state = job_state(connection, waiting_for.decode(), follow=False)
        if state is not None and state.status in ("queued", "started"):
            own = _alias(connection, {"job": state.id}, settings.job_timeout * (RETRIES + 1) + settings.result_ttl)
            return JobState(own, state.status), False
    job = enqueue_annotation(connection, text, url=url, title=title)
    connection.set(pending, job.id, ex=config.settings().job_timeout * (RETRIES + 1) + 60)
    return JobState(job.id, "queued"), False


def job_statuses(connection: Redis, job_ids: list[str]) -> dict[str, str | None]:
    """RQ's status of each job in one round trip; None for a job that no longer exists."""
    with connection.pipeline(transaction=False) as pipe:
        for job_id in job_ids:
            pipe.hget(Job.key_for(job_id), "status")
        raw = pipe.execute()
    return {job_id: (value.decode() if value else None) for job_id, value in zip(job_ids, raw)}


def stop_job(connection: Redis, job_id: str) -> None:
    """Ask the worker running ``job_id`` to stop it; nothing when it finished or vanished meanwhile."""
    try:
        send_stop_job_command(connection, job_id, serializer=SERIALIZER)
    except Exception:  # it finished or vanished meanwhile: nothing to stop
        pass
