"""The Corroborate HTTP API: a Flask app factory, configured from the environment.

    gunicorn 'service:create_app()'     # what `make run` does

Views queue pages for the workers and read their results; nothing here runs
the engine.
"""

import re
from typing import Any

from flask import Flask

from workers import config

EXTENSION_ORIGINS = [
    re.compile(r"^chrome-extension://[A-Za-z0-9_-]+$"),
    re.compile(r"^moz-extension://[A-Za-z0-9_-]+$"),
]


def _origins(listed: str) -> list[Any]:
    """The extension's origins plus those listed (comma or space separated), each matched exactly."""
    extra = [o.strip().rstrip("/") for o in re.split(r"[,\s]+", listed or "") if o.strip()]
    return EXTENSION_ORIGINS + [re.compile("^" + re.escape(o) + "$", re.IGNORECASE) for o in extra]


def config_from_env(env: dict[str, str] | None = None) -> dict[str, Any]:
    """The app's configuration from the environment (names and defaults: ``workers.config``)."""
    settings = config.settings(env)
    return {
        "REDIS_URL": settings.redis_url,
        "API_TOKEN": settings.api_token,
        "ADMIN_TOKEN": settings.admin_token,
        "CORS_ORIGINS": settings.cors_origins,
        "CORPUS": settings.corpus,
        # Per client (its bearer token when tokens are in use, else its address); ";" separates several limits.
        "RATE_LIMIT": settings.rate_limit,
        "RATE_LIMIT_SUBMIT": settings.rate_limit_submit,
        "RATE_LIMIT_BYTES": settings.rate_limit_bytes,
        "RATE_LIMIT_ENABLED": settings.rate_limit_enabled,
        # Opt-in: how many proxies in front of the API to believe X-Forwarded-For from (0: the peer address).
        "TRUSTED_PROXIES": settings.trusted_proxies,
        "MAX_CONTENT_LENGTH": settings.max_body_bytes,
        "REDIS_TIMEOUT": settings.redis_timeout,
    }


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides what the environment says (tests use it)."""
    from flask_cors import CORS

    from service import annotations, auth, documents, errors, health, limits, metrics, openapi
    from service.db import init_app as init_redis

    app = Flask(__name__)
    app.config.update(config_from_env())
    app.config.update(config or {})
    app.json.sort_keys = False

    init_redis(app)
    metrics.init_app(app)  # first: it times every request, refused ones too
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["TRUSTED_PROXIES"]))

    CORS(
        app,
        resources={r"/api/*": {"origins": _origins(app.config["CORS_ORIGINS"])}},
        allow_headers=["Content-Type", "Authorization"],
        expose_headers=["Location", "Retry-After"],
        methods=["GET", "POST", "DELETE", "OPTIONS"],
        max_age=600,
    )
    errors.init_app(app)
    auth.init_app(app)
    app.register_blueprint(annotations.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(openapi.bp)
    limits.init_app(app)
    return app
