"""Health, the OpenAPI document, and what happens when Redis goes away."""

from __future__ import annotations

import pytest

from service import create_app

from corroborate_testing import ADMIN_TOKEN, TEST_REDIS_URL, seed_text


def test_health_reports_redis_queue_workers_and_corpus(client, worker_process):
    client.post(
        "/api/v1/documents",
        json={"title": "T", "text": "A report."},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    body = client.get("/api/v1/health").get_json()
    assert body["status"] == "ok" and body["redis"] is True
    assert body["workers"] == 1
    assert body["queue"] == {"queued": 0, "started": 0, "failed": 0}
    assert body["corpus"]["name"] == "seeds"
    assert body["corpus"]["added_documents"] == 1
    assert body["corpus"]["engine"] is None or body["corpus"]["engine"]["documents"] >= 5


def test_health_says_when_no_worker_runs(client):
    client.post("/api/v1/annotations", json={"text": seed_text("001")})
    body = client.get("/api/v1/health").get_json()
    assert body["status"] == "degraded" and body["workers"] == 0
    assert body["queue"]["queued"] == 1
    assert "corroborate worker" in body["message"]


def test_the_openapi_document_covers_every_endpoint(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    app = create_app({"REDIS_URL": TEST_REDIS_URL})
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        assert path in spec["paths"], path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = spec["paths"][path][method.lower()]
            assert operation["responses"], (path, method)
    request = spec["components"]["schemas"]["AnnotationRequest"]
    assert request["required"] == ["text"]
    assert request["properties"]["text"]["maxLength"] == 500_000
    assert "Result" in spec["components"]["schemas"] and "Error" in spec["components"]["schemas"]


@pytest.mark.timeout(15)  # a hang guard: a 503 must come back, not a stuck request
def test_redis_going_away_is_a_clean_503(own_redis):
    url, server = own_redis
    client = create_app({"REDIS_URL": url, "ADMIN_TOKEN": ADMIN_TOKEN}).test_client()
    assert client.get("/api/v1/health").status_code == 200
    server.terminate()
    server.wait(timeout=10)

    calls = [
        client.get("/api/v1/health"),
        client.post("/api/v1/annotations", json={"text": "A sentence."}),
        client.get("/api/v1/annotations/abc"),
        client.get("/api/v1/documents"),
        client.post(
            "/api/v1/documents",
            json={"title": "T", "text": "A report."},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        ),
    ]
    for response in calls:
        assert response.status_code == 503
        error = response.get_json()["error"]
        assert error["status"] == 503 and "Redis is unreachable" in error["message"]
        assert "Traceback" not in response.get_data(as_text=True)
        assert response.headers["Retry-After"]


@pytest.mark.timeout(15)  # a hang guard
def test_a_redis_that_never_answers_is_a_503_not_a_hang():
    import socket

    with socket.socket() as silent:  # accepts connections (the kernel does), never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        client = create_app({"REDIS_URL": f"redis://127.0.0.1:{silent.getsockname()[1]}/0"}).test_client()
        for response in (
            client.get("/api/v1/health"),
            client.post("/api/v1/annotations", json={"text": "A sentence."}),
        ):
            assert response.status_code == 503
            assert response.get_json()["error"]["status"] == 503
