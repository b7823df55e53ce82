"""Redis connections, the annotation queue and the result cache, shared by the API and the CLI.

Nothing here knows about HTTP: the API turns these values into responses, the
CLI into lines of text.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from typing import Any

from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry as RedisRetry
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
QUEUE_NAME = "corroborate"
PREFIX = "corroborate"

JOB_TIMEOUT = int(os.environ.get("CORROBORATE_JOB_TIMEOUT", "300"))  # seconds one page may take
RESULT_TTL = int(os.environ.get("CORROBORATE_RESULT_TTL", str(24 * 3600)))  # finished jobs and cache
FAILURE_TTL = int(os.environ.get("CORROBORATE_FAILURE_TTL", str(24 * 3600)))
RETRIES = 2  # extra attempts after a transient failure (lost Redis, killed work horse)

# Jobs travel as JSON, not pickle: any worker on any machine can read them and
# nothing in Redis can make a worker run arbitrary code.
SERIALIZER = JSONSerializer


def redis_url() -> str:
    return os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)


def connect(url: str | None = None, timeout: float | None = 0.5) -> Redis:
    """A client that fails fast: no retries, ``timeout`` seconds to connect and per command.

    The API uses the default so that a Redis outage becomes a 503 within a second.
    Workers pass ``timeout=None`` because RQ blocks on the queue for longer.
    """
    return Redis.from_url(
        url or redis_url(),
        socket_connect_timeout=timeout if timeout is not None else 5,
        socket_timeout=timeout,
        retry=RedisRetry(NoBackoff(), 0),
        health_check_interval=30,
    )


def describe(connection: Redis) -> str:
    """host:port/db of a connection, without any password, for error messages."""
    kwargs = connection.connection_pool.connection_kwargs
    if "path" in kwargs:
        return f"unix:{kwargs['path']}"
    return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"


def annotation_queue(connection: Redis, name: str = QUEUE_NAME) -> Queue:
    return Queue(name, connection=connection, serializer=SERIALIZER, default_timeout=JOB_TIMEOUT)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def cache_key(corpus: str, corpus_version: str, text: str) -> str:
    """Where the result for ``text`` against one version of one corpus is kept."""
    return f"{PREFIX}:cache:{corpus}:{corpus_version}:{text_digest(text)}"


def cached_result(connection: Redis, key: str) -> dict[str, Any] | None:
    """``{"id", "result"}`` stored by the job that annotated this text, or None."""
    raw = connection.get(key)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def store_result(connection: Redis, key: str, job_id: str | None, result: dict[str, Any]) -> None:
    connection.set(key, json.dumps({"id": job_id, "result": result}), ex=RESULT_TTL)


def new_job_id() -> str:
    return uuid.uuid4().hex


def enqueue_annotation(
    connection: Redis,
    text: str,
    url: str | None = None,
    title: str | None = None,
    queue_name: str = QUEUE_NAME,
) -> Job:
    """Queue one page for ``workers.jobs.annotate_page``; returns the job (its id is the API's id)."""
    queue = annotation_queue(connection, queue_name)
    return queue.enqueue(
        "workers.jobs.annotate_page",
        kwargs={"text": text, "url": url, "title": title},
        job_id=new_job_id(),
        job_timeout=JOB_TIMEOUT,
        result_ttl=RESULT_TTL,
        failure_ttl=FAILURE_TTL,
        retry=Retry(max=RETRIES),
        description="annotate " + (url or title or f"{len(text)} characters"),
    )


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
    lines = [line for line in (exc_string or "").strip().splitlines() if line.strip()]
    if not lines:
        return "the job failed without a message"
    return lines[-1].strip()[:2000]


def job_state(connection: Redis, job_id: str) -> JobState | None:
    """The state of one job, or None when no such job exists (never queued, or expired)."""
    try:
        job = Job.fetch(job_id, connection=connection, serializer=SERIALIZER)
    except NoSuchJobError:
        return None
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


def pending_key(cache: str) -> str:
    return cache.replace(f"{PREFIX}:cache:", f"{PREFIX}:pending:", 1)


def submit_annotation(
    connection: Redis,
    corpus: str,
    corpus_version: str,
    text: str,
    url: str | None = None,
    title: str | None = None,
) -> tuple[JobState, bool]:
    """Answer from the cache, join an identical job still in the queue, or queue a new one.

    Returns the job's state and whether it was answered from the cache.
    """
    key = cache_key(corpus, corpus_version, text)
    hit = cached_result(connection, key)
    if hit is not None and isinstance(hit.get("result"), dict):
        return JobState(hit.get("id") or new_job_id(), "finished", result=hit["result"]), True
    pending = pending_key(key)
    waiting_for = connection.get(pending)
    if waiting_for is not None:
        state = job_state(connection, waiting_for.decode())
        if state is not None and state.status in ("queued", "started"):
            return JobState(state.id, state.status), False
    job = enqueue_annotation(connection, text, url=url, title=title)
    connection.set(pending, job.id, ex=JOB_TIMEOUT * (RETRIES + 1) + 60)
    return JobState(job.id, "queued"), False
