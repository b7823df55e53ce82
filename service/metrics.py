"""GET /metrics: the service in Prometheus's text format, for the monitoring a self-hoster already runs.

    corroborate_http_requests_total{method, endpoint, status}    requests answered, by route and status
    corroborate_http_request_duration_seconds{endpoint}          request latency (histogram)
    corroborate_jobs_total{event}                                jobs queued, started, finished, failed
    corroborate_job_duration_seconds                             how long finished jobs ran (histogram)
    corroborate_cache_hits_total                                 pages answered from the result cache
    corroborate_workers                                          workers alive on the queue
    corroborate_queue_jobs{state}                                jobs queued, started and failed now
    corroborate_corpus_documents, corroborate_corpus_sentences   the corpus the workers hold

Counters live in Redis (``workers.queue.metrics``): every API process and every worker
adds to the same ones, so any API process reports the whole deployment. The endpoint
label is the route's rule (``/api/v1/annotations/<job_id>``), never the raw path, so
the number of series stays bounded. Like every route, it needs the API token when
``CORROBORATE_API_TOKEN`` is set.
"""

from __future__ import annotations

import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from service.db import get_redis
from workers import queue
from workers.queue import metrics as store

bp = Blueprint("metrics", __name__)
# The classic text format (what generate_latest writes), which every Prometheus reads.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _histogram(name: str, doc: str, labels: list[str]) -> HistogramMetricFamily:
    return HistogramMetricFamily(name, doc, labels=labels)


def _add_histogram(family, label_values: list[str], counts: dict[str, float], total: float, bounds) -> None:
    """Cumulative buckets from per-bucket counts."""
    buckets, running = [], 0.0
    for bound in [str(b) for b in bounds] + ["+Inf"]:
        running += counts.get(bound, 0)
        buckets.append((bound, running))
    family.add_metric(label_values, buckets, total)


class RedisCollector:
    """Builds every family from Redis at scrape time."""

    def __init__(self, connection, corpus: str):
        self.connection = connection
        self.corpus = corpus

    def collect(self):
        counters, requests, latency = store.read(self.connection)

        family = CounterMetricFamily(
            "corroborate_http_requests", "HTTP requests answered", labels=["method", "endpoint", "status"]
        )
        for field, value in sorted(requests.items()):
            method, endpoint, status = field.split(" ", 2)
            family.add_metric([method, endpoint, status], float(value))
        yield family

        family = _histogram("corroborate_http_request_duration_seconds", "Time to answer an HTTP request", ["endpoint"])
        per_endpoint: dict[str, dict[str, float]] = {}
        for field, value in latency.items():
            endpoint, _, part = field.rpartition("|")
            per_endpoint.setdefault(endpoint, {})[part] = float(value)
        for endpoint, parts in sorted(per_endpoint.items()):
            _add_histogram(family, [endpoint], parts, parts.get("sum", 0.0), store.REQUEST_BUCKETS)
        yield family

        family = CounterMetricFamily(
            "corroborate_jobs", "Annotation jobs queued, started, finished and failed", labels=["event"]
        )
        for event in store.JOB_EVENTS:
            family.add_metric([event], float(counters.get(f"jobs_{event}", 0)))
        yield family

        family = _histogram("corroborate_job_duration_seconds", "How long a finished annotation job ran", [])
        parts = {k.split("|", 1)[1]: float(v) for k, v in counters.items() if k.startswith("job_seconds|")}
        _add_histogram(family, [], parts, parts.get("sum", 0.0), store.JOB_BUCKETS)
        yield family

        yield CounterMetricFamily(
            "corroborate_cache_hits", "Pages answered from the result cache", value=float(counters.get("cache_hits", 0))
        )

        q = queue.annotation_queue(self.connection)
        yield GaugeMetricFamily(
            "corroborate_workers", "Workers alive on the queue", value=queue.worker_count(self.connection, q.name)
        )
        family = GaugeMetricFamily("corroborate_queue_jobs", "Jobs in the queue now, by state", labels=["state"])
        family.add_metric(["queued"], q.count)
        family.add_metric(["started"], q.started_job_registry.count)
        family.add_metric(["failed"], q.failed_job_registry.count)
        yield family

        engine = queue.CorpusStore(self.connection, self.corpus).engine_info() or {}
        yield GaugeMetricFamily(
            "corroborate_corpus_documents",
            "Reports in the corpus, as the workers last reported",
            value=float(engine.get("documents") or 0),
        )
        yield GaugeMetricFamily(
            "corroborate_corpus_sentences",
            "Sentences in the corpus, as the workers last reported",
            value=float(engine.get("sentences") or 0),
        )


@bp.get("/metrics")
def metrics():
    registry = CollectorRegistry(auto_describe=False)
    registry.register(RedisCollector(get_redis(), current_app.config["CORPUS"]))
    return Response(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE})


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _record(response):
    # A 503 means Redis is not answering: recording would only wait for it again.
    if response.status_code != 503:
        started = g.pop("metrics_started", None)
        seconds = time.perf_counter() - started if started is not None else 0.0
        endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
        store.request_done(get_redis(), request.method, endpoint, response.status_code, seconds)
    return response


def init_app(app: Flask) -> None:
    """Register /metrics and time every request. Call it before other before_request hooks
    (auth, rate limits), so that their refusals are timed and counted too."""
    app.before_request(_start_timer)
    app.after_request(_record)
    app.register_blueprint(bp)
