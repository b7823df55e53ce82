"""Jobs run by a real RQ worker: the engine's result, the cache, corpus sync, failures and retries."""

from __future__ import annotations

import redis
from rq import Retry
from rq.job import Job

from workers import config, queue
from workers.queue import CorpusStore, jobs

from corroborate_testing import TEST_REDIS_URL, seed_text, start_worker_process

PAGE = (
    "Velmora council backs harbour bridge\n\n"
    "On Tuesday the Velmora city council approved building a new harbour bridge."
)
REPORT = (
    "Harbour bridge in Velmora approved\n\n"
    "The city council of Velmora approved the construction of a new harbour bridge on Tuesday."
)


def fetch(connection, job_id) -> Job:
    return Job.fetch(job_id, connection=connection, serializer=queue.SERIALIZER)


def test_a_queued_page_gets_the_engines_result_and_is_cached(redis_db, run_jobs):
    text = seed_text("003")
    job = queue.enqueue_annotation(redis_db, text, url="https://example.org/3", title="Three")
    settings = config.settings()
    assert (
        job.timeout == settings.job_timeout
        and job.result_ttl == settings.result_ttl
        and job.retries_left == queue.RETRIES
    )
    run_jobs()

    state = queue.job_state(redis_db, job.id)
    assert state.status == "finished"
    assert state.result["corpus"]["documents"] == 5
    assert state.result["annotations"]

    version = CorpusStore(redis_db, "seeds").cache_version()
    hit = queue.cached_result(redis_db, queue.cache_key("seeds", version, text))
    assert hit == {"id": job.id, "result": state.result}
    cached, from_cache = queue.submit_annotation(redis_db, "seeds", version, text)
    assert from_cache and cached.result == state.result


def test_the_engine_follows_the_store_before_each_job(redis_db, run_jobs):
    first = queue.enqueue_annotation(redis_db, PAGE)
    run_jobs()
    assert all(a["label"] == "unverified" for a in queue.job_state(redis_db, first.id).result["annotations"])

    report, _ = CorpusStore(redis_db, "seeds").add("Harbour bridge in Velmora approved", REPORT)
    second = queue.enqueue_annotation(redis_db, PAGE)
    run_jobs()
    result = queue.job_state(redis_db, second.id).result
    assert result["corpus"]["documents"] == 6
    assert any(e["doc"] == report.doc for a in result["annotations"] for e in a["support"])

    CorpusStore(redis_db, "seeds").remove(report.doc)
    third = queue.enqueue_annotation(redis_db, PAGE)
    run_jobs()
    assert queue.job_state(redis_db, third.id).result["corpus"]["documents"] == 5


def test_the_job_is_a_plain_function(redis_db):
    result = jobs.annotate_page(seed_text("001"))
    assert set(result) == {"annotations", "corpus"}


def flaky_page(text: str, key: str) -> str:
    """Fails with a lost connection the first time it runs, then works."""
    if redis.Redis.from_url(TEST_REDIS_URL).incr(key) == 1:
        raise redis.exceptions.ConnectionError("connection lost")
    return text.upper()


def test_a_transient_failure_is_retried(redis_db, run_jobs):
    job = queue.annotation_queue(redis_db).enqueue(f"{__name__}.flaky_page", "ok", "flaky-count", retry=Retry(max=2))
    run_jobs()
    assert queue.job_state(redis_db, job.id).status == "finished"
    assert queue.job_state(redis_db, job.id).result == "OK"
    assert int(redis_db.get("flaky-count")) == 2


def test_a_page_the_engine_rejects_fails_once_with_its_message(redis_db, run_jobs):
    job = queue.annotation_queue(redis_db).enqueue(queue.JOB_FUNCTION, kwargs={"text": 17}, retry=Retry(max=2))
    run_jobs()
    state = queue.job_state(redis_db, job.id)
    assert state.status == "failed"
    assert state.error.splitlines() == [state.error] and "Error" in state.error
    assert fetch(redis_db, job.id).retries_left == 0


def test_a_worker_carries_on_when_redis_comes_back(own_redis, tmp_path):
    import time

    from rq import Worker

    from corroborate_testing import start_redis_server

    url, server = own_redis
    port = url.rsplit(":", 1)[1].split("/")[0]
    worker = start_worker_process(url)
    restarted = None
    try:
        connection = redis.Redis.from_url(url)
        for _ in range(600):
            if Worker.count(connection=connection):
                break
            time.sleep(0.1)
        server.terminate()
        server.wait(timeout=10)
        time.sleep(1)
        assert worker.poll() is None, "the worker waits for Redis instead of exiting"
        restarted = start_redis_server(port, tmp_path)
        job = queue.enqueue_annotation(connection, seed_text("000"))
        for _ in range(600):  # bounded: the worker retries every two seconds
            state = queue.job_state(connection, job.id)
            if state.status in ("finished", "failed"):
                break
            time.sleep(0.1)
        assert state.status == "finished"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        if restarted is not None:
            restarted.terminate()
            restarted.wait(timeout=10)


def test_a_stopped_job_ends_and_the_worker_takes_the_next(redis_db, worker_process):
    """`corroborate batch --timeout` stops a page that runs too long: the worker drops it and goes on."""
    import time

    from test_faults import slow_page

    slow = queue.enqueue_annotation(redis_db, slow_page(f"stop{time.time_ns()}", sentences=2500))
    after = queue.enqueue_annotation(redis_db, PAGE)
    for _ in range(600):  # bounded: waits for the worker to start the slow page
        if queue.job_state(redis_db, slow.id).status == "started":
            break
        time.sleep(0.1)
    queue.stop_job(redis_db, slow.id)
    for _ in range(600):
        if queue.job_state(redis_db, after.id).status in ("finished", "failed"):
            break
        time.sleep(0.1)
    assert queue.job_state(redis_db, slow.id).status == "failed"
    assert queue.job_state(redis_db, after.id).status == "finished"
    assert worker_process.poll() is None, "the worker carries on"
