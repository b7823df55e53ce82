"""GET /api/v1/openapi.json: an OpenAPI 3 document generated from the marshmallow schemas."""

from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, current_app

from service import schemas

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    from service.errors import MESSAGES

    return {str(code): _json("Error", MESSAGES[code]) for code in codes}


COMMON = (401, 429, 503)


def _submit(summary: str, schema: str, answers: dict, **extra) -> dict:
    """A POST that takes a JSON body of ``schema``: its answers plus the errors any body can get."""
    return {
        "summary": summary,
        **extra,
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
        "responses": {**answers, **_errors(400, 413, 415, *COMMON)},
    }


def _read(summary: str, answers: dict, *errors: int, **extra) -> dict:
    """A GET (or DELETE) without a body: its answers plus ``errors`` and the errors any call can get."""
    return {"summary": summary, **extra, "responses": {**answers, **_errors(*errors, *COMMON)}}


def build_spec() -> dict:
    spec = APISpec(
        title="Corroborate",
        version="1",
        openapi_version="3.0.3",
        info={
            "description": "Label every claim of a page against other reports: corroborated, "
            "contradicted, mixed or unverified."
        },
        plugins=[MarshmallowPlugin()],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name in (
        "AnnotationRequest",
        "Result",
        "AnnotationJob",
        "DocumentRequest",
        "Document",
        "DocumentList",
        "Health",
        "Error",
    ):
        spec.components.schema(name, schema=getattr(schemas, name + "Schema"))
    job_id = {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}
    doc_id = {"name": "doc", "in": "path", "required": True, "schema": {"type": "string"}}
    admin = [{"bearer": []}]

    paths = {
        "/api/v1/annotations": {
            "post": _submit(
                "Queue a page for annotation",
                "AnnotationRequest",
                {
                    "202": _json("AnnotationJob", "Queued; poll the Location header"),
                    "200": _json("AnnotationJob", "Answered from the cache: same text, same corpus version"),
                },
            )
        },
        "/api/v1/annotations/{job_id}": {
            "get": _read(
                "The state of a job: queued, started, finished (with the result) or failed (with the error)",
                {"200": _json("AnnotationJob", "The job")},
                404,
                parameters=[job_id],
            )
        },
        "/api/v1/documents": {
            "get": _read("The reports added to the corpus", {"200": _json("DocumentList", "Added reports")}),
            "post": _submit(
                "Add a report to the corpus (admin token)",
                "DocumentRequest",
                {"201": _json("Document", "Added"), "200": _json("Document", "Already there")},
                security=admin,
            ),
        },
        "/api/v1/documents/{doc}": {
            "get": _read(
                "One added report, with its text", {"200": _json("Document", "The report")}, 404, parameters=[doc_id]
            ),
            "delete": _read(
                "Remove an added report (admin token)",
                {"204": {"description": "Removed"}},
                404,
                parameters=[doc_id],
                security=admin,
            ),
        },
        "/api/v1/health": {
            "get": _read(
                "Redis reachable, queue length, workers alive, corpus size and version",
                {"200": _json("Health", "Health")},
            )
        },
        "/api/v1/openapi.json": {
            "get": {
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3 document"}},
            }
        },
    }
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    document = spec.to_dict()
    if current_app.config.get("API_TOKEN"):
        document["security"] = [{"bearer": []}]
    return document


@bp.get("/openapi.json")
def openapi():
    return build_spec()
