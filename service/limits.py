"""Rate limits per client (remote address), counted in the same Redis as the queue."""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from workers import queue


def _retry_after_only_when_refused(response):
    """flask-limiter sends Retry-After on every response; a client should only see it on 429 and 503."""
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
    return response


def init_app(app: Flask) -> Limiter:
    timeout = app.config["REDIS_TIMEOUT"]
    # Registered before the limiter's own hook, so it runs after it.
    app.after_request(_retry_after_only_when_refused)
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.config["REDIS_URL"],
        # Fail fast like the API's own client: Redis down is a 503, not a hang.
        storage_options=queue.fail_fast_options(timeout),
        default_limits=[app.config["RATE_LIMIT"]],
        default_limits_exempt_when=lambda: request.method == "OPTIONS",
        headers_enabled=True,
        key_prefix="corroborate",
        swallow_errors=False,
        enabled=app.config["RATE_LIMIT_ENABLED"],
    )
    # Queuing pages costs workers' time: a tighter limit on it.
    endpoint = "annotations.create"
    app.view_functions[endpoint] = limiter.limit(lambda: app.config["RATE_LIMIT_SUBMIT"])(app.view_functions[endpoint])
    app.extensions["corroborate.limiter"] = limiter  # the decorator holds it only weakly
    return limiter
