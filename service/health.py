"""/api/v1/health: is Redis there, how long is the queue, are workers alive, which corpus."""

from __future__ import annotations

from flask import Blueprint, current_app

from service.db import get_redis
from workers import queue

bp = Blueprint("health", __name__, url_prefix="/api/v1")


@bp.get("/health")
def health():
    connection = get_redis()
    connection.ping()  # unreachable -> 503 through the error handlers
    q = queue.annotation_queue(connection)
    store = queue.CorpusStore(connection, current_app.config["CORPUS"])
    version, reports = store.snapshot()
    workers = queue.worker_count(connection, q.name)
    body = {
        "status": "ok" if workers else "degraded",
        "redis": True,
        "queue": {
            "queued": q.count,
            # get_job_count(cleanup=False): reading the health never changes the queue (RQ's .count cleans up)
            "started": q.started_job_registry.get_job_count(cleanup=False),
            "failed": q.failed_job_registry.get_job_count(cleanup=False),
        },
        "workers": workers,
        "corpus": {
            "name": store.corpus,
            "added_documents": len(reports),
            "added_version": version,
            "engine": store.engine_info(),  # documents, sentences, version as the workers last reported
        },
    }
    if not workers:
        body["message"] = "no worker is running; start one with: corroborate worker"
    return body
