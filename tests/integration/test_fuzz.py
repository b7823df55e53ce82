"""Schemathesis fuzzes the real API server from its own OpenAPI document (issue 10): no 5xx, no answer
outside the document. Loopback only: gunicorn on 127.0.0.1 and a free port, database 13 of the test
Redis; bounded by the number of examples per operation (CORROBORATE_FUZZ_EXAMPLES, default 250)."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from service.run import gunicorn_command

from corroborate_testing import ADMIN_TOKEN, ROOT, TEST_REDIS_URL, clean_database, free_port, stop

EXAMPLES = int(os.environ.get("CORROBORATE_FUZZ_EXAMPLES", "250"))


@pytest.fixture(scope="module")
def api_base():
    yield from clean_database(TEST_REDIS_URL)


@pytest.fixture(scope="module")
def server(api_base):
    port = free_port()
    env = dict(
        os.environ,
        REDIS_URL=TEST_REDIS_URL,
        CORROBORATE_ADMIN_TOKEN=ADMIN_TOKEN,
        CORROBORATE_RATE_LIMIT_ENABLED="0",
        CORROBORATE_CORPUS="seeds",
    )
    process = subprocess.Popen(
        gunicorn_command(f"127.0.0.1:{port}", 2),
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/api/v1/health", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    stop(process)


def test_no_5xx_and_every_answer_as_documented(server):
    from hypothesis import given

    schema = schemathesis.openapi.from_url(server + "/api/v1/openapi.json")
    checks = [
        schemathesis.checks.not_a_server_error,
        schemathesis.checks.status_code_conformance,
        schemathesis.checks.content_type_conformance,
        schemathesis.checks.response_schema_conformance,
    ]
    counts = {"requests": 0, "5xx": 0}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {ADMIN_TOKEN}"}
            response = case.call(timeout=10)
            counts["requests"] += 1
            counts["5xx"] += response.status_code >= 500
            case.validate_response(response, checks=checks)

        fuzz()
    print(f"\nschemathesis: {counts['requests']} requests, {counts['5xx']} answers of 5xx")
    assert counts["requests"] >= EXAMPLES and counts["5xx"] == 0
