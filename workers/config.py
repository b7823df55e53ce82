"""Every environment variable Corroborate reads, with its default, in one place.

Nothing reads ``os.environ`` at import time: ``settings()`` reads it when called,
so a test or a command that sets a variable first is always heard.

| variable | default | used by |
| --- | --- | --- |
| ``REDIS_URL`` | ``redis://127.0.0.1:6379/0`` | API, workers, batch, corpus commands |
| ``CORROBORATE_CORPUS`` | ``seeds`` | the reports folder every part checks pages against |
| ``CORROBORATE_JOB_TIMEOUT`` | 60 | seconds one page may take in a worker; past it the job fails and says so |
| ``CORROBORATE_RESULT_TTL`` | 86400 | seconds finished jobs and cached results are kept |
| ``CORROBORATE_FAILURE_TTL`` | 86400 | seconds failed jobs are kept |
| ``CORROBORATE_API_TOKEN`` | unset | every API call then needs ``Authorization: Bearer <token>`` |
| ``CORROBORATE_ADMIN_TOKEN`` | unset | needed to add or remove reports; unset, nobody can |
| ``CORROBORATE_CORS_ORIGINS`` | empty | origins allowed besides the extension's |
| ``CORROBORATE_RATE_LIMIT`` | ``3000 per minute`` | per client, every endpoint |
| ``CORROBORATE_RATE_LIMIT_SUBMIT`` | ``600 per minute`` | per client, ``POST /api/v1/annotations`` |
| ``CORROBORATE_RATE_LIMIT_BYTES`` | ``20000000 per minute`` | per client, bytes of pages posted to ``POST /api/v1/annotations`` |
| ``CORROBORATE_RATE_LIMIT_ENABLED`` | 1 | 0, false or no turns the limits off |
| ``CORROBORATE_TRUSTED_PROXIES`` | 0 | proxies in front of the API whose ``X-Forwarded-For`` is believed (0: none) |
| ``CORROBORATE_MAX_BODY_BYTES`` | 8 MiB | largest request body the API reads |
| ``CORROBORATE_REDIS_TIMEOUT`` | 0.5 | seconds the API waits for Redis before a 503 |
| ``CORROBORATE_THREADS`` | 0 (both of the first two cores) | intra-op threads of a worker's embedding model (numpy's BLAS runs on one thread once spaCy is loaded: ``engine/nlp.py``); ``make run`` sets cores / ``CORROBORATE_WORKERS`` (at least 1). Run one worker per core with 1 |
| ``CORROBORATE_ANALYSIS_CACHE`` | 40000 | per-sentence analyses (vector and parse, about 4.6 KB each) the workers share in Redis: at most this many, about 180 MB |
| ``CORROBORATE_BIND``, ``CORROBORATE_WORKERS``, ``CORROBORATE_WEB_WORKERS``, ``CORROBORATE_RUN_DIR`` | see ``service/run.py`` | ``make run`` |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_CORPUS = "seeds"

# Limits on input, the same for every way in (files, the API, added reports).
MAX_BYTES = 2 * 1024 * 1024  # a page file or standard input
MAX_TEXT = 500_000  # characters of a page or report sent to the API or added to the store


@dataclass(frozen=True)
class Settings:
    redis_url: str = DEFAULT_REDIS_URL
    corpus: str = DEFAULT_CORPUS
    job_timeout: int = 60
    result_ttl: int = 24 * 3600
    failure_ttl: int = 24 * 3600
    api_token: str | None = None
    admin_token: str | None = None
    cors_origins: str = ""
    rate_limit: str = "3000 per minute"
    rate_limit_submit: str = "600 per minute"
    rate_limit_bytes: str = "20000000 per minute"
    rate_limit_enabled: bool = True
    trusted_proxies: int = 0
    # 500,000 characters of text, up to 4 UTF-8 bytes each, plus JSON escapes.
    max_body_bytes: int = 8 * 1024 * 1024
    redis_timeout: float = 0.5
    threads: int = 0  # 0: the engine's default (both of the first two cores)
    analysis_cache: int = 40_000


def settings(env: Mapping[str, str] | None = None) -> Settings:
    """The settings the environment (or ``env``) gives, defaults for the rest."""
    env = os.environ if env is None else env
    d = Settings()
    return Settings(
        redis_url=env.get("REDIS_URL", d.redis_url),
        corpus=env.get("CORROBORATE_CORPUS", d.corpus),
        job_timeout=int(env.get("CORROBORATE_JOB_TIMEOUT", d.job_timeout)),
        result_ttl=int(env.get("CORROBORATE_RESULT_TTL", d.result_ttl)),
        failure_ttl=int(env.get("CORROBORATE_FAILURE_TTL", d.failure_ttl)),
        api_token=env.get("CORROBORATE_API_TOKEN") or None,
        admin_token=env.get("CORROBORATE_ADMIN_TOKEN") or None,
        cors_origins=env.get("CORROBORATE_CORS_ORIGINS", d.cors_origins),
        rate_limit=env.get("CORROBORATE_RATE_LIMIT", d.rate_limit),
        rate_limit_submit=env.get("CORROBORATE_RATE_LIMIT_SUBMIT", d.rate_limit_submit),
        rate_limit_bytes=env.get("CORROBORATE_RATE_LIMIT_BYTES", d.rate_limit_bytes),
        trusted_proxies=int(env.get("CORROBORATE_TRUSTED_PROXIES", d.trusted_proxies)),
        rate_limit_enabled=env.get("CORROBORATE_RATE_LIMIT_ENABLED", "1") not in ("0", "false", "no"),
        max_body_bytes=int(env.get("CORROBORATE_MAX_BODY_BYTES", d.max_body_bytes)),
        redis_timeout=float(env.get("CORROBORATE_REDIS_TIMEOUT", d.redis_timeout)),
        threads=int(env.get("CORROBORATE_THREADS") or d.threads),
        analysis_cache=int(env.get("CORROBORATE_ANALYSIS_CACHE") or d.analysis_cache),
    )


def redis_url() -> str:
    return settings().redis_url


def corpus_name() -> str:
    return settings().corpus
