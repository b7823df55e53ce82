"""Rate limits per client, counted in the same Redis as the queue.

A client is its bearer token when it presents a configured one (so users behind one address do not
share a limit), otherwise its address: the peer's, or with ``CORROBORATE_TRUSTED_PROXIES`` set, the
one the trusted proxies put in ``X-Forwarded-For`` (off by default: a header anyone can send).
Posting pages also counts their bytes, so a few huge pages cost as much as many small ones.
"""

from __future__ import annotations

import hashlib

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from workers import queue


def _retry_after_only_when_refused(response):
    """flask-limiter sends Retry-After on every response; a client should only see it on 429 and 503."""
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
    return response


def client_key() -> str:
    from service.auth import client_token

    token = client_token()
    if token is not None:
        return "token:" + hashlib.sha256(token.encode()).hexdigest()[:24]
    return "addr:" + (get_remote_address() or "unknown")


def body_bytes() -> int:
    """The cost of one POST of a page: its body's size (read once; the view reuses it)."""
    return max(1, len(request.get_data(cache=True)))


def init_app(app: Flask) -> Limiter:
    timeout = app.config["REDIS_TIMEOUT"]
    # Registered before the limiter's own hook, so it runs after it.
    app.after_request(_retry_after_only_when_refused)
    limiter = Limiter(
        client_key,
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
    view = limiter.limit(lambda: app.config["RATE_LIMIT_SUBMIT"])(app.view_functions[endpoint])
    # ... and on the bytes of pages a client posts: a bound on the work one client can queue.
    view = limiter.limit(lambda: app.config["RATE_LIMIT_BYTES"], cost=body_bytes, scope="bytes")(view)
    app.view_functions[endpoint] = view
    app.extensions["corroborate.limiter"] = limiter  # the decorator holds it only weakly
    return limiter
