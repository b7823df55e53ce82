"""`make run` supervises its children (issue 10, defect 7) and the real server's refusals are JSON (defect 10).

Kills go by pid; `make run` starts its own throwaway redis-server on a free port; every wait is bounded.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_faults import alive, descendants, slow_page, wait

from corroborate_testing import ROOT, free_port, make_run_env


def get(port: int, path: str) -> tuple[int, str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def health(port: int) -> dict | None:
    try:
        status, _, body = get(port, "/api/v1/health")
    except OSError:
        return None
    return json.loads(body) if status == 200 else None


def post(port: int, body: dict) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        "POST", "/api/v1/annotations", body=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    return json.loads(connection.getresponse().read())


def started(port: int, job_id: str) -> bool:
    status, _, body = get(port, f"/api/v1/annotations/{job_id}")
    return status == 200 and json.loads(body)["status"] == "started"


def worker_pids(port: int) -> list[int]:
    import redis

    connection = redis.Redis(port=port)
    return [
        int(connection.hget(key, "pid")) for key in connection.smembers("rq:workers") if connection.hget(key, "pid")
    ]


@pytest.fixture
def make_run(tmp_path):
    redis_port, api_port = free_port(), free_port()
    env = make_run_env(tmp_path, redis_port, api_port, CORROBORATE_SHUTDOWN_GRACE="2")
    log = (tmp_path / "run.log").open("w+")
    run = subprocess.Popen(
        [sys.executable, "-m", "service.run"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
    )
    run.log, run.redis_port, run.api_port = log, redis_port, api_port
    try:
        wait(lambda: (health(api_port) or {}).get("workers") == 1, 120, "make run up with one worker")
        yield run
    finally:
        everything = descendants(run.pid)
        if run.poll() is None:
            run.send_signal(signal.SIGINT)
            run.wait(timeout=60)
        for pid in everything:  # nothing may be left, whatever the test did
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def output(run) -> str:
    run.log.flush()
    return Path(run.log.name).read_text()


def test_a_worker_that_dies_is_started_again_and_sigkill_leaves_no_orphan(make_run):
    run = make_run
    (first,) = worker_pids(run.redis_port)
    os.kill(first, signal.SIGKILL)  # an OOM kill, say
    wait(lambda: [p for p in worker_pids(run.redis_port) if p != first and alive(p)], 60, "a new worker registered")
    assert run.poll() is None, "make run carries on"
    assert "exited with code -9; starting it again in 1 s" in output(run)
    assert "started again" in output(run)

    # Defect 10, on the real server: a 10 MB chunked body is 413 and a long URL a JSON error, never HTML.
    connection = http.client.HTTPConnection("127.0.0.1", run.api_port, timeout=30)
    chunk = b'{"text": "' + b"x" * (1 << 20)
    connection.putrequest("POST", "/api/v1/annotations")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    try:
        for _ in range(10):
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.send(b"0\r\n\r\n")
    except OSError:
        pass  # the server may answer and close before reading it all
    response = connection.getresponse()
    assert response.status == 413, response.read()[:200]
    assert json.loads(response.read())["error"]["status"] == 413
    for length, status in ((5000, 404), (20000, 414)):
        code, kind, body = get(run.api_port, "/api/v1/annotations/" + "a" * length)
        assert code == status and kind.startswith("application/json"), (code, body[:200])

    # SIGKILL to make run during a job: no handler runs, yet the API, the worker and Redis all go.
    job = post(run.api_port, {"text": slow_page(f"orphan{time.time_ns()}")})
    wait(lambda: started(run.api_port, job["id"]), 60, "a worker busy with the job")
    everything = descendants(run.pid)
    assert len(everything) >= 4, everything  # redis, gunicorn (+ its worker), corroborate worker
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=10)
    wait(lambda: not any(alive(pid) for pid in everything), 20, "every child of make run gone")
    with pytest.raises(OSError):
        get(run.api_port, "/api/v1/health")


def test_shutdown_during_a_long_job_stops_everything(make_run):
    run = make_run
    job = post(run.api_port, {"text": slow_page(f"term{time.time_ns()}", sentences=2500)})
    wait(lambda: started(run.api_port, job["id"]), 60, "a worker busy with the job")
    everything = descendants(run.pid)
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=30) == 0
    wait(lambda: not any(alive(pid) for pid in everything), 10, "the worker and everything else stopped")
