"""/api/v1/annotations: queue a page, then read its labels."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, url_for

from service.db import get_redis
from service.errors import APIError
from service.schemas import AnnotationRequestSchema, load_body
from workers import queue

bp = Blueprint("annotations", __name__, url_prefix="/api/v1/annotations")

JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _body(state) -> dict:
    body = {"id": state.id, "status": state.status, "links": {"self": url_for("annotations.show", job_id=state.id)}}
    if state.result is not None:
        body["result"] = state.result
    if state.error is not None:
        body["error"] = state.error
    return body  # shaped as AnnotationJobSchema; the result is the engine's contract, passed on as it is


@bp.post("")
def create():
    """Queue a page; the same text against the same corpus is answered from the cache."""
    page = load_body(AnnotationRequestSchema())
    connection = get_redis()
    corpus = current_app.config["CORPUS"]
    version = queue.CorpusStore(connection, corpus).cache_version()
    state, cached = queue.submit_annotation(connection, corpus, version, page["text"], page["url"], page["title"])
    status = 200 if cached else 202
    return _body(state), status, {"Location": url_for("annotations.show", job_id=state.id)}


@bp.get("/<job_id>")
def show(job_id: str):
    """queued -> started -> finished (with the result) or failed (with the error)."""
    state = queue.job_state(get_redis(), job_id) if JOB_ID.fullmatch(job_id) else None
    if state is None:
        raise APIError(404, f"no annotation job {job_id!r} (unknown, or its result has expired)")
    return _body(state)
