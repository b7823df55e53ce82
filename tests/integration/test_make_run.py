"""`make run` (service.run): Redis started when none answers, the API and a worker, Ctrl-C stops all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import redis

from corroborate_testing import ROOT, free_port, make_run_env, seed_text


def get(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)
    except (urllib.error.URLError, ConnectionError, OSError):
        return None


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


@pytest.mark.skipif(
    not any(os.access(os.path.join(d, "redis-server"), os.X_OK) for d in os.environ.get("PATH", "").split(os.pathsep)),
    reason="needs redis-server",
)
def test_make_run_serves_the_api_with_a_worker_and_stops_on_ctrl_c(tmp_path):
    redis_port, api_port = free_port(), free_port()
    env = make_run_env(tmp_path, redis_port, api_port)
    run = subprocess.Popen(
        [sys.executable, "-m", "service.run"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{api_port}/api/v1"
    try:
        for _ in range(600):  # bounded wait for the engine to load
            health = get(f"{base}/health")
            if health and health["workers"] == 1:
                break
            assert run.poll() is None, run.stdout.read()
            time.sleep(0.1)
        else:
            pytest.fail("make run did not come up within a minute")
        assert (tmp_path / "redis").is_dir(), "the Redis it started keeps its data under the run directory"

        job = post(f"{base}/annotations", {"text": seed_text("001")})
        for _ in range(600):
            state = get(f"{base}/annotations/{job['id']}")
            if state["status"] in ("finished", "failed"):
                break
            time.sleep(0.1)
        assert state["status"] == "finished" and state["result"]["annotations"]

        run.send_signal(signal.SIGINT)
        assert run.wait(timeout=60) == 0
        assert get(f"{base}/health") is None, "the API is gone"
        with pytest.raises(redis.exceptions.ConnectionError):
            redis.Redis(port=redis_port, socket_connect_timeout=1).ping()
    finally:
        if run.poll() is None:
            run.send_signal(signal.SIGINT)
            run.wait(timeout=60)


def test_make_run_says_how_to_get_redis_when_there_is_none(tmp_path):
    env = dict(
        os.environ,
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        PATH=str(tmp_path),
        CORROBORATE_RUN_DIR=str(tmp_path),
    )
    done = subprocess.run(
        [sys.executable, "-m", "service.run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "no Redis answers" in done.stderr and "apt-get install redis-server" in done.stderr
    assert "Traceback" not in done.stderr
