"""Counters the API, the workers and batch mode share, kept in Redis; ``/metrics`` reads them.

Every process that serves a request or runs a job adds to the same Redis hashes, so the
figures are those of the whole deployment (every gunicorn process, every worker on
every machine), whichever API process Prometheus scrapes. Histograms keep one count per
bucket (not cumulative) and their sum; ``service.metrics`` adds them up when it reports.

Recording never fails the request or the job it measures: a Redis error is dropped.
"""

from __future__ import annotations

import logging

from redis import Redis
from redis.exceptions import RedisError

from workers.queue.cache import PREFIX

log = logging.getLogger(__name__)

COUNTERS = f"{PREFIX}:metrics:counters"  # jobs and cache: field -> number
REQUESTS = f"{PREFIX}:metrics:requests"  # "METHOD endpoint status" -> number
LATENCY = f"{PREFIX}:metrics:latency"  # "endpoint|le" -> number, "endpoint|sum" -> seconds

JOB_EVENTS = ("queued", "started", "finished", "failed")
# Upper bounds in seconds; +Inf is implied.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
JOB_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


def bucket_for(seconds: float, bounds: tuple[float, ...]) -> str:
    """The smallest bound that holds ``seconds`` (as Prometheus writes it), or "+Inf"."""
    for bound in bounds:
        if seconds <= bound:
            return str(bound)
    return "+Inf"


def _safely(what: str, connection: Redis, fill) -> None:
    try:
        with connection.pipeline(transaction=False) as pipe:
            fill(pipe)
            pipe.execute()
    except RedisError as err:  # a metric is never worth a failed request or job
        log.debug("metrics: could not record %s: %s", what, err)


def job_event(connection: Redis, event: str, seconds: float | None = None) -> None:
    """A job was queued, started, finished or failed; ``seconds``: how long it ran (finished jobs)."""

    def fill(pipe):
        pipe.hincrby(COUNTERS, f"jobs_{event}", 1)
        if seconds is not None:
            pipe.hincrby(COUNTERS, f"job_seconds|{bucket_for(seconds, JOB_BUCKETS)}", 1)
            pipe.hincrbyfloat(COUNTERS, "job_seconds|sum", seconds)

    _safely(f"job {event}", connection, fill)


def cache_hit(connection: Redis) -> None:
    """A page was answered from the result cache (no job queued)."""
    _safely("cache hit", connection, lambda pipe: pipe.hincrby(COUNTERS, "cache_hits", 1))


def request_done(connection: Redis, method: str, endpoint: str, status: int, seconds: float) -> None:
    """One HTTP request was answered: its count by endpoint and status, and its latency."""

    def fill(pipe):
        pipe.hincrby(REQUESTS, f"{method} {endpoint} {status}", 1)
        pipe.hincrby(LATENCY, f"{endpoint}|{bucket_for(seconds, REQUEST_BUCKETS)}", 1)
        pipe.hincrbyfloat(LATENCY, f"{endpoint}|sum", seconds)

    _safely("request", connection, fill)


def read(connection: Redis) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The three hashes (counters, requests, latency), decoded."""
    with connection.pipeline(transaction=False) as pipe:
        for key in (COUNTERS, REQUESTS, LATENCY):
            pipe.hgetall(key)
        hashes = pipe.execute()
    return tuple({k.decode(): v.decode() for k, v in h.items()} for h in hashes)  # type: ignore[return-value]
