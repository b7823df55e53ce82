"""Fixtures for the batch, report and corpus command tests: Redis database 12 and real workers.

Database 12 of the test Redis (CORROBORATE_TEST_REDIS) is these tests' own: flushed at the
start and end of each test that uses it, and by nothing else. Commands run as
real subprocesses (``corroborate batch``, ``corroborate worker``), as a user runs them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from corroborate_testing import clean_database, stop, test_redis_url

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
W3C_TESTS = ROOT.parent / "shared" / "w3c-annotation-tests"
REDIS_URL = test_redis_url(12)
CORROBORATE = Path(sys.executable).with_name("corroborate")
HANG_GUARD = 180.0  # seconds; a bound against hangs, never a speed expectation


def command_env(**extra: str) -> dict[str, str]:
    return dict(os.environ, REDIS_URL=REDIS_URL, CORROBORATE_CORPUS="seeds", HF_HUB_OFFLINE="1", COLUMNS="200", **extra)


def corroborate(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run the `corroborate` command in the repository, capturing its output."""
    return subprocess.run(
        [str(CORROBORATE), *args],
        cwd=ROOT,
        env=command_env(),
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


def start_corroborate(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [str(CORROBORATE), *args], cwd=ROOT, env=command_env(), text=True, stdin=subprocess.DEVNULL, **kwargs
    )


def wait_until(condition, what: str, process: subprocess.Popen | None = None, limit: float = HANG_GUARD) -> None:
    """Poll ``condition`` until it holds; fail (not hang) if it never does or ``process`` dies first."""
    deadline = time.monotonic() + limit
    while not condition():
        if process is not None and process.poll() is not None:
            pytest.fail(f"process exited with {process.returncode} while waiting for {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def read_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture
def redis12(monkeypatch):
    """Database 12 of the local Redis, empty at the start and flushed again at the end."""
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    yield from clean_database(REDIS_URL)


def start_worker(connection: redis.Redis) -> subprocess.Popen:
    """A real `corroborate worker` on database 12, returned once it has registered with RQ."""
    from rq import Worker

    before = Worker.count(connection=connection)
    process = start_corroborate("worker", "--quiet", stdout=subprocess.DEVNULL)  # stderr: captured by pytest
    try:
        wait_until(lambda: Worker.count(connection=connection) > before, "the worker to register", process)
    except BaseException:
        stop(process)
        raise
    return process


@pytest.fixture
def worker12(redis12):
    """One `corroborate worker` process taking pages from database 12 for the whole test."""
    process = start_worker(redis12)
    yield process
    stop(process)
