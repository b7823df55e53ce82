"""The result cache: one key per text and corpus version, and the one way to build that version.

A result is kept under ``corroborate:cache:<corpus>:<cache version>:<sha256 of the text>``.
The cache version is the workers' base corpus version (the folder) joined to the
version of the reports added in the store; the API (looking up) and the workers
(storing) both build it with ``cache_version`` so the two can never drift apart.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from redis import Redis

from workers import config

PREFIX = "corroborate"


def cache_version(base_version: str, added_version: str) -> str:
    """The version the result cache is keyed by: the folder's corpus and the added reports."""
    return f"{base_version}-{added_version}"


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def cache_key(corpus: str, version: str, text: str) -> str:
    """Where the result for ``text`` against one cache version of one corpus is kept."""
    return f"{PREFIX}:cache:{corpus}:{version}:{text_digest(text)}"


def pending_key(cache: str) -> str:
    """Where the id of the job computing the result for cache key ``cache`` is kept."""
    return cache.replace(f"{PREFIX}:cache:", f"{PREFIX}:pending:", 1)


def cached_result(connection: Redis, key: str) -> dict[str, Any] | None:
    """``{"id", "result"}`` stored by the job that annotated this text, or None."""
    raw = connection.get(key)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def store_result(connection: Redis, key: str, job_id: str | None, result: dict[str, Any]) -> None:
    connection.set(key, json.dumps({"id": job_id, "result": result}), ex=config.settings().result_ttl)
