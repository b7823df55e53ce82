"""GET /metrics: Prometheus text format, counters that move with requests and jobs, the API token."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from workers import queue

from corroborate_testing import seed_text


def scrape(client, headers=None) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} from /metrics, parsed by prometheus-client's own parser."""
    response = client.get("/metrics", headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_counters_move_with_requests_jobs_and_cache_hits(client, run_jobs, redis_db):
    before = scrape(client)
    assert value(before, "corroborate_jobs_total", event="queued") == 0
    assert value(before, "corroborate_workers") == 0

    page = seed_text("002")
    first = client.post("/api/v1/annotations", json={"text": page})
    assert first.status_code == 202
    # A job that fails: its function raises (no retry: it fails once and stays failed).
    queue.annotation_queue(redis_db).enqueue(queue.JOB_FUNCTION, kwargs={"text": None})
    run_jobs()
    assert client.get(first.headers["Location"]).get_json()["status"] == "finished"
    again = client.post("/api/v1/annotations", json={"text": page})  # answered from the cache
    assert again.status_code == 200
    assert client.get("/api/v1/annotations/no-such-job").status_code == 404

    after = scrape(client)
    assert value(after, "corroborate_jobs_total", event="queued") == 1  # the API's; the failing one went straight to RQ
    assert value(after, "corroborate_jobs_total", event="started") == 2
    assert value(after, "corroborate_jobs_total", event="finished") == 1
    assert value(after, "corroborate_jobs_total", event="failed") == 1
    assert value(after, "corroborate_cache_hits_total") == 1
    assert value(after, "corroborate_job_duration_seconds_count") == 1
    assert 0 < value(after, "corroborate_job_duration_seconds_sum") < 120
    assert value(after, "corroborate_job_duration_seconds_bucket", le="+Inf") == 1

    post = {"method": "POST", "endpoint": "/api/v1/annotations"}
    assert value(after, "corroborate_http_requests_total", status="202", **post) == 1
    assert value(after, "corroborate_http_requests_total", status="200", **post) == 1
    show = {"method": "GET", "endpoint": "/api/v1/annotations/<job_id>"}
    assert value(after, "corroborate_http_requests_total", status="200", **show) == 1
    assert value(after, "corroborate_http_requests_total", status="404", **show) == 1
    # The first scrape is counted too: by route, with its status.
    assert value(after, "corroborate_http_requests_total", method="GET", endpoint="/metrics", status="200") == 1
    latency = "corroborate_http_request_duration_seconds"
    assert value(after, f"{latency}_count", endpoint="/api/v1/annotations") == 2
    assert value(after, f"{latency}_bucket", endpoint="/api/v1/annotations", le="+Inf") == 2
    assert value(after, f"{latency}_sum", endpoint="/api/v1/annotations") > 0
    # Buckets are cumulative: never decreasing with the bound.
    buckets = sorted(
        (float(dict(labels)["le"]), v)
        for (name, labels), v in after.items()
        if name == f"{latency}_bucket" and dict(labels)["endpoint"] == "/api/v1/annotations"
    )
    assert [v for _, v in buckets] == sorted(v for _, v in buckets)

    # The corpus the worker loaded, and the queue now.
    assert value(after, "corroborate_corpus_documents") == 5
    assert value(after, "corroborate_corpus_sentences") > 50
    assert value(after, "corroborate_queue_jobs", state="queued") == 0
    assert value(after, "corroborate_queue_jobs", state="failed") == 1


def test_unknown_paths_are_counted_under_one_label(client):
    assert client.get("/no/such/path/123").status_code == 404
    assert client.get("/another/unknown").status_code == 404
    samples = scrape(client)
    assert value(samples, "corroborate_http_requests_total", method="GET", endpoint="unmatched", status="404") == 2
    assert not any("/no/such" in str(labels) for _, labels in samples)


def test_metrics_need_the_api_token_when_one_is_set(make_app):
    client = make_app(API_TOKEN="metrics-token").test_client()
    refused = client.get("/metrics")
    assert refused.status_code == 401
    assert refused.get_json()["error"]["status"] == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    samples = scrape(client, headers={"Authorization": "Bearer metrics-token"})
    # The refusals were counted, under the route they asked for.
    assert value(samples, "corroborate_http_requests_total", method="GET", endpoint="/metrics", status="401") == 2
