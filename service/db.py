"""The API's Redis client: one fail-fast client per app, reached through ``get_redis()``.

As in Flask's tutorial (``get_db``), views ask for the connection rather than
build one; unlike a database connection, a Redis client is a thread-safe pool, so
one per app serves every request. Everything about Redis and RQ comes from
``workers.queue``.
"""

from __future__ import annotations

from flask import Flask, current_app

from workers import queue


def init_app(app: Flask) -> None:
    app.extensions["redis"] = queue.connect(app.config["REDIS_URL"], timeout=app.config["REDIS_TIMEOUT"])


def get_redis():
    """The current app's Redis client."""
    return current_app.extensions["redis"]
