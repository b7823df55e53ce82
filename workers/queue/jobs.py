"""Jobs RQ runs: plain functions of plain arguments.

The engine is loaded once per worker process (``load``), before any job
arrives; the worker runs every job in its own process with it. Before each job the
engine is synced with the reports added to the corpus store, so a running
worker uses new reports without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from redis import Redis

from workers import config
from workers.queue import metrics
from workers.queue.cache import cache_key, cache_version, store_result
from workers.queue.connection import connect
from workers.queue.store import CorpusStore

log = logging.getLogger(__name__)

_lock = threading.Lock()
_engine = None
_corpus: str | None = None
_base_version: str | None = None  # the folder's corpus version, before any added report
_synced: str | None = None  # the store version the engine holds


def load(corpus: str | None = None):
    """Load the engine for ``corpus`` (a folder) once in this process and return it.

    Without ``corpus``: the engine already loaded, else the one ``CORROBORATE_CORPUS`` names.
    """
    global _engine, _corpus, _base_version, _synced
    corpus = corpus or _corpus or config.corpus_name()
    with _lock:
        if _engine is None or _corpus != corpus:
            from workers.engine import Engine
            from workers.engine.corpus import load_folder
            from workers.engine.embed import Embedder

            # CORROBORATE_THREADS: one intra-op thread per worker when several share a machine.
            _engine = Engine(load_folder(corpus), Embedder(threads=config.settings().threads or None))
            _corpus = corpus
            _base_version = _engine.version
            _synced = None
        return _engine


def sync(connection: Redis) -> str:
    """Make the engine's corpus the folder plus the store's reports; returns the store version used."""
    global _synced
    engine = load()
    store = CorpusStore(connection, _corpus)
    version, reports = store.snapshot()
    with _lock:
        if version != _synced:
            log.info("corpus %s: syncing %d added report(s), version %s", _corpus, len(reports), version)
            engine.sync(reports)
            _synced = version
    return version


def share_analyses(connection: Redis) -> None:
    """Share per-sentence analyses with every worker through this Redis (bounded: CORROBORATE_ANALYSIS_CACHE)."""
    from workers.queue.analyses import RedisAnalyses

    load().analyses.store = RedisAnalyses(connection, config.settings().analysis_cache)


def publish(connection: Redis, info: dict[str, Any] | None = None) -> None:
    """Tell the API which base corpus the workers hold (it keys the cache) and how big it is."""
    load()
    CorpusStore(connection, _corpus).publish_engine(_base_version, info)


def annotate_page(text: str, url: str | None = None, title: str | None = None) -> dict[str, Any]:
    """Label every claim of one page against the corpus: the engine's JSON contract.

    ``title`` is kept with the job for the record; the engine reads the text.
    """
    from rq import get_current_job

    engine = load()
    job = get_current_job()
    connection = job.connection if job is not None else connect(timeout=None)
    started = time.monotonic()
    metrics.job_event(connection, "started")
    try:
        result = _annotate(engine, connection, job, text, url)
    except BaseException:
        metrics.job_event(connection, "failed")
        raise
    metrics.job_event(connection, "finished", seconds=time.monotonic() - started)
    return result


def _annotate(engine, connection: Redis, job, text: str, url: str | None) -> dict[str, Any]:
    version = sync(connection)
    result = engine.annotate(text, url=url)
    store = CorpusStore(connection, _corpus)
    store.publish_engine(_base_version, result.get("corpus"))
    store_result(
        connection,
        cache_key(_corpus, cache_version(_base_version, version), text),
        job.id if job is not None else None,
        result,
    )
    return result
