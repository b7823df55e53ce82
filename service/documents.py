"""/api/v1/documents: the reports added to the corpus at run time."""

from __future__ import annotations

from flask import Blueprint, current_app, url_for

from service.auth import admin_required
from service.db import get_redis
from service.errors import APIError
from service.schemas import DocumentRequestSchema, load_body
from workers.queue import CorpusStore, Report, StoreError

bp = Blueprint("documents", __name__, url_prefix="/api/v1/documents")


def _store() -> CorpusStore:
    return CorpusStore(get_redis(), current_app.config["CORPUS"])


def _document(report: Report, with_text: bool = False) -> dict:
    body = {
        "doc": report.doc,
        "title": report.title,
        "url": report.url,
        "source": report.source,
        "characters": len(report.text),
        "links": {"self": url_for("documents.show", doc=report.doc)},
    }
    if with_text:
        body["text"] = report.text
    return body


@bp.get("")
def index():
    store = _store()
    version, reports = store.snapshot()
    return {
        "documents": [_document(r) for r in reports],
        "corpus": {"name": store.corpus, "added_documents": len(reports), "added_version": version},
    }


@bp.post("")
@admin_required
def create():
    """Add a report; workers use it from their next job, and cached results of the old corpus stop answering."""
    data = load_body(DocumentRequestSchema())
    try:
        report, created = _store().add(data["title"], data["text"], url=data["url"], source=data["source"])
    except StoreError as error:
        raise APIError(400, str(error)) from None
    location = url_for("documents.show", doc=report.doc)
    return _document(report), 201 if created else 200, {"Location": location}


@bp.get("/<doc>")
def show(doc: str):
    report = _store().get(doc)
    if report is None:
        raise APIError(404, f"no added document {doc!r}")
    return _document(report, with_text=True)


@bp.delete("/<doc>")
@admin_required
def remove(doc: str):
    if not _store().remove(doc):
        raise APIError(404, f"no added document {doc!r}")
    return "", 204
