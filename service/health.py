"""/api/v1/health: is Redis there, how long is the queue, are workers alive, which corpus."""

from __future__ import annotations

from flask import Blueprint, current_app
from rq import Worker

from workers import queue
from workers.store import CorpusStore

bp = Blueprint("health", __name__, url_prefix="/api/v1")


@bp.get("/health")
def health():
    connection = current_app.extensions["redis"]
    connection.ping()  # unreachable -> 503 through the error handlers
    q = queue.annotation_queue(connection)
    store = CorpusStore(connection, current_app.config["CORPUS"])
    version, reports = store.snapshot()
    workers = Worker.count(connection=connection, queue=q)
    body = {
        "status": "ok" if workers else "degraded",
        "redis": True,
        "queue": {
            "queued": q.count,
            "started": q.started_job_registry.count,
            "failed": q.failed_job_registry.count,
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
