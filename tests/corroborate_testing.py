"""Constants and helpers the API and worker tests share (imported by name; conftest holds the fixtures)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TEST_REDIS_URL = "redis://127.0.0.1:6379/13"
ADMIN_TOKEN = "admin-secret-for-tests"


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


