"""Constants and helpers the API and worker tests share (imported by name; conftest holds the fixtures)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The Redis the tests use, without a database number: several checkouts on one machine can each
# point theirs at their own redis-server (CORROBORATE_TEST_REDIS=redis://127.0.0.1:6380).
TEST_REDIS = os.environ.get("CORROBORATE_TEST_REDIS", "redis://127.0.0.1:6379").rstrip("/")


def test_redis_url(db: int) -> str:
    """One database of the test Redis; each test family has its own (12 batch, 13 API and queue, 14 browser)."""
    return f"{TEST_REDIS}/{db}"


test_redis_url.__test__ = False  # a helper, not a test
TEST_REDIS_URL = test_redis_url(13)
ADMIN_TOKEN = "admin-secret-for-tests"
# Headless Chromium for the report and extension tests (and docs/screenshot_report.py).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text()


def wait_for(client, location: str, headers=None, statuses=("finished", "failed"), limit: float = 120.0) -> dict:
    """Poll a job until it reaches one of ``statuses`` (bounded; the bound is a hang guard, not a speed test)."""
    deadline = time.monotonic() + limit
    while True:
        response = client.get(location, headers=headers or {})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        if body["status"] in statuses:
            return body
        if time.monotonic() > deadline:
            pytest.fail(f"job stuck in {body['status']!r}")
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_worker_process(url: str, *args: str, **popen) -> subprocess.Popen:
    """A real `corroborate worker` on Redis ``url`` with the seed corpus (``CORROBORATE_*`` settings may be
    passed as ``env``), started the way `make run` starts its workers."""
    from service.run import worker_command

    env = dict(os.environ, REDIS_URL=url, CORROBORATE_CORPUS="seeds", HF_HUB_OFFLINE="1", **popen.pop("env", {}))
    return subprocess.Popen([*worker_command(), "--quiet", *args], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, **popen)


def make_run_env(folder: Path, redis_port: int, api_port: int, **settings: str) -> dict:
    """The environment a test gives `make run` (service.run): its own Redis port, API port and run folder."""
    return dict(
        os.environ,
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        CORROBORATE_BIND=f"127.0.0.1:{api_port}",
        CORROBORATE_RUN_DIR=str(folder),
        CORROBORATE_WEB_WORKERS="1",
        HF_HUB_OFFLINE="1",
        **settings,
    )


def clean_database(url: str):
    """A generator for fixtures: one database of the local Redis, flushed before and after.

    Each test family has its own database number, and only that one is ever flushed.
    """
    import redis

    connection = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(
            f"these tests need the Redis at {TEST_REDIS} (start one: redis-server, or set CORROBORATE_TEST_REDIS)"
        )
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


def start_redis_server(port: int | str, folder: Path):
    """A throwaway redis-server on ``port`` (nothing saved), returned once it answers."""
    import shutil
    import subprocess

    import redis

    process = subprocess.Popen(
        [
            shutil.which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    connection = redis.Redis.from_url(f"redis://127.0.0.1:{port}/0")
    for _ in range(100):
        try:
            connection.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    return process


def stop(process) -> None:
    """Stop a child process: politely, then firmly after 30 seconds."""
    import subprocess

    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
