"""The Corroborate HTTP API: a Flask app factory, configured from the environment.

    gunicorn 'service:create_app()'     # what `make run` does

Views queue pages for the workers and read their results; nothing here runs
the engine.
"""


import os
import re
from typing import Any

from flask import Flask

from workers.queue import DEFAULT_REDIS_URL

EXTENSION_ORIGINS = [
    re.compile(r"^chrome-extension://[A-Za-z0-9_-]+$"),
    re.compile(r"^moz-extension://[A-Za-z0-9_-]+$"),
]


def _origins(listed: str) -> list[Any]:
    """The extension's origins plus those listed (comma or space separated), each matched exactly."""
    extra = [o.strip().rstrip("/") for o in re.split(r"[,\s]+", listed or "") if o.strip()]
    return EXTENSION_ORIGINS + [re.compile("^" + re.escape(o) + "$", re.IGNORECASE) for o in extra]


def config_from_env(env: dict[str, str] | None = None) -> dict[str, Any]:
    env = dict(os.environ if env is None else env)
    return {
        "REDIS_URL": env.get("REDIS_URL", DEFAULT_REDIS_URL),
        "API_TOKEN": env.get("CORROBORATE_API_TOKEN") or None,
        "ADMIN_TOKEN": env.get("CORROBORATE_ADMIN_TOKEN") or None,
        "CORS_ORIGINS": env.get("CORROBORATE_CORS_ORIGINS", ""),
        "CORPUS": env.get("CORROBORATE_CORPUS", "seeds"),
        # Per client (remote address); ";" separates several limits.
        "RATE_LIMIT": env.get("CORROBORATE_RATE_LIMIT", "3000 per minute"),
        "RATE_LIMIT_SUBMIT": env.get("CORROBORATE_RATE_LIMIT_SUBMIT", "600 per minute"),
        "RATE_LIMIT_ENABLED": env.get("CORROBORATE_RATE_LIMIT_ENABLED", "1") not in ("0", "false", "no"),
        # 500,000 characters of text, up to 4 UTF-8 bytes each, plus JSON escapes.
        "MAX_CONTENT_LENGTH": int(env.get("CORROBORATE_MAX_BODY_BYTES", str(8 * 1024 * 1024))),
        "REDIS_TIMEOUT": float(env.get("CORROBORATE_REDIS_TIMEOUT", "0.5")),
    }


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides what the environment says (tests use it)."""
    from flask_cors import CORS

    from service import annotations, auth, documents, errors, health, limits, openapi
    from workers.queue import connect

    app = Flask(__name__)
    app.config.update(config_from_env())
    app.config.update(config or {})
    app.json.sort_keys = False

    app.extensions["redis"] = connect(app.config["REDIS_URL"], timeout=app.config["REDIS_TIMEOUT"])

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
