"""Shared fixtures: the real test Redis (CORROBORATE_TEST_REDIS, database 13, flushed here only) and real RQ workers."""

from __future__ import annotations

import os
import shutil
import time

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from corroborate_testing import (  # noqa: E402 - after HF_HUB_OFFLINE is set
    ADMIN_TOKEN,
    TEST_REDIS_URL,
    clean_database,
    free_port,
    start_redis_server,
    start_worker_process,
    stop,
)


@pytest.fixture
def redis_db(monkeypatch):
    """Database 13 of the local Redis, empty at the start and flushed again at the end."""
    monkeypatch.setenv("REDIS_URL", TEST_REDIS_URL)
    monkeypatch.setenv("CORROBORATE_CORPUS", "seeds")
    yield from clean_database(TEST_REDIS_URL)


@pytest.fixture
def make_app(redis_db):
    """Build the API on database 13; keyword arguments override its configuration."""
    from service import create_app

    def make(**config):
        settings = {
            "REDIS_URL": TEST_REDIS_URL,
            "CORPUS": "seeds",
            "ADMIN_TOKEN": ADMIN_TOKEN,
            "API_TOKEN": None,
            "RATE_LIMIT_ENABLED": False,
            "TESTING": True,
        }
        settings.update(config)
        return create_app(settings)

    return make


@pytest.fixture
def client(make_app):
    return make_app().test_client()


@pytest.fixture
def run_jobs(redis_db):
    """Run every queued job with a real RQ worker in burst mode (in this process, as `corroborate worker` runs them)."""
    from workers import queue
    from workers.queue.worker import make_worker, prepare

    def run() -> None:
        connection = queue.connect(TEST_REDIS_URL, timeout=None)
        prepare(connection, "seeds")
        make_worker(connection).work(burst=True, logging_level="WARNING")

    return run


@pytest.fixture
def worker_process(redis_db):
    """A real `corroborate worker` running in the background until the test ends."""
    from rq import Worker

    process = start_worker_process(TEST_REDIS_URL)
    try:
        for _ in range(600):  # bounded: the engine loads in a few seconds
            if Worker.count(connection=redis_db) >= 1:
                break
            if process.poll() is not None:
                pytest.fail(f"corroborate worker exited with code {process.returncode}")
            time.sleep(0.1)
        else:
            pytest.fail("corroborate worker did not register within a minute")
        yield process
    finally:
        stop(process)


@pytest.fixture
def own_redis(tmp_path):
    """A second, throwaway redis-server on a free port; yields (url, process). Stopped at the end."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not on the PATH")
    port = free_port()
    process = start_redis_server(port, tmp_path)
    yield f"redis://127.0.0.1:{port}/0", process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)
