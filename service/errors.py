"""Every error is JSON: ``{"error": {"status", "message", "fields"?}}``.

Covers the API's own refusals, werkzeug's (404, 405, 413, 415, ...), the
rate limiter's 429, marshmallow's field errors (400) and an unreachable Redis
(503, answered within a second and without a traceback).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from service.db import get_redis
from workers import queue

log = logging.getLogger(__name__)

MESSAGES = {
    400: "the request is not valid",
    401: "missing or wrong bearer token",
    404: "no such resource",
    405: "method not allowed here",
    413: "the request body is too large",
    414: "the URL is too long",
    415: "send JSON, with Content-Type: application/json",
    429: "too many requests; slow down",
    503: "the service is unavailable",
}


class APIError(Exception):
    """An error a view raises on purpose; ``message`` is shown to the user as it is."""

    def __init__(self, status: int, message: str, fields: dict[str, Any] | None = None, headers=None):
        super().__init__(message)
        self.status, self.message, self.fields, self.headers = status, message, fields, headers or {}


def error_response(status: int, message: str, fields: dict[str, Any] | None = None, headers=None):
    body: dict[str, Any] = {"status": status, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _api_error(error: APIError):
    return error_response(error.status, error.message, error.fields, error.headers)


def _validation_error(error: ValidationError):
    messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
    return error_response(400, "some fields are not valid", messages)


def _http_error(error: HTTPException):
    status = error.code or 500
    message = MESSAGES.get(status) or (error.description or error.name)
    if status == 400 and error.description and "JSON" in error.description:
        message = "the body is not valid JSON"
    elif status == 404:
        message = "no such resource; see /api/v1/openapi.json"
    elif status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        message = f"the request body is too large (the limit is {limit:,} bytes)" if limit else message
    elif status == 429:
        message = f"too many requests: the limit is {error.description}; try again later"
    headers = {}
    if error.response is not None:  # the limiter's Retry-After and rate limit headers
        headers.update(
            {k: v for k, v in error.response.headers.items() if k.lower() not in ("content-type", "content-length")}
        )
    for name, value in error.get_headers():  # Allow on 405, WWW-Authenticate on 401
        if name.lower() != "content-type":
            headers[name] = value
    return error_response(status, message, headers=headers)


def _redis_down(error: Exception):
    where = queue.describe(get_redis())
    if isinstance(error, queue.UNREACHABLE):
        message = f"Redis is unreachable at {where}; try again shortly"
    else:  # something answers, but not as a usable Redis (another protocol, no auth, out of memory)
        message = f"Redis at {where} is not usable ({type(error).__name__}); try again shortly"
    log.warning("%s: %s", message, error)
    return error_response(503, message, headers={"Retry-After": "5"})


def _unexpected(error: Exception):
    log.exception("unexpected error")
    return error_response(500, "internal error; the server log has the details")


MAX_URL_BYTES = 8192  # path and query; gunicorn reads request lines up to 1 MB (service.run), so the app says no


def _url_not_too_long() -> None:
    from flask import request

    raw = request.environ.get("RAW_URI") or request.full_path
    if len(raw) > MAX_URL_BYTES:
        raise APIError(414, f"the URL is too long ({len(raw):,} bytes; the limit is {MAX_URL_BYTES:,})")


def init_app(app: Flask) -> None:
    app.before_request(_url_not_too_long)
    app.register_error_handler(APIError, _api_error)
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(queue.RedisError, _redis_down)
    app.register_error_handler(Exception, _unexpected)
