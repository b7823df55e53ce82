"""The queue layer: everything that touches Redis or RQ, for the API, the workers and the CLI.

- ``connection``: fail-fast Redis clients, the annotation queue, job states, submitting a page
- ``cache``: the result cache key and the one cache version
- ``store``: the reports added to a corpus at run time (``CorpusStore``)
- ``jobs``: the functions RQ runs (they load the engine); ``worker``: the RQ worker that holds it

The API imports this package only; it never imports ``jobs`` or ``worker``, so the
engine stays out of its process.
"""

from __future__ import annotations

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from workers.config import DEFAULT_REDIS_URL
from workers.documents import Report
from workers.queue.cache import PREFIX, cache_key, cache_version, cached_result, store_result
from workers.queue.connection import (
    JOB_FUNCTION,
    QUEUE_NAME,
    RETRIES,
    SERIALIZER,
    JobState,
    annotation_queue,
    connect,
    describe,
    enqueue_annotation,
    error_message,
    fail_fast_options,
    job_state,
    job_statuses,
    stop_job,
    submit_annotation,
    worker_count,
)
from workers.queue.store import CorpusStore, StoreError

# Redis is down or unreachable (as opposed to answering with an error).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

__all__ = [
    "DEFAULT_REDIS_URL",
    "JOB_FUNCTION",
    "PREFIX",
    "QUEUE_NAME",
    "RETRIES",
    "SERIALIZER",
    "UNREACHABLE",
    "CorpusStore",
    "JobState",
    "RedisError",
    "Report",
    "ResponseError",
    "StoreError",
    "annotation_queue",
    "cache_key",
    "cache_version",
    "cached_result",
    "connect",
    "describe",
    "enqueue_annotation",
    "error_message",
    "fail_fast_options",
    "job_state",
    "job_statuses",
    "stop_job",
    "store_result",
    "submit_annotation",
    "worker_count",
]
