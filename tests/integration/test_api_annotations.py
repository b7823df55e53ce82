"""POST a page, poll it, get the engine's labels: with a real Redis and real RQ workers."""

from __future__ import annotations

from rq import Queue, Retry
from rq.job import Job, JobStatus

from workers import queue

from corroborate_testing import ADMIN_TOKEN, seed_text, wait_for

LABELS = {"corroborated", "contradicted", "mixed", "unverified"}

NEW_REPORT = {
    "title": "Harbour bridge in Velmora approved",
    "text": "Harbour bridge in Velmora approved\n\n"
    "The city council of Velmora approved the construction of a new harbour bridge on Tuesday. "
    "The bridge will cost 48 million euros and is due to open in 2029. "
    "Mayor Ilse Brandt said the bridge would cut commuting times in half.",
    "url": "https://example.org/velmora-bridge",
    "source": "Example Gazette",
}
NEW_PAGE = (
    "Velmora council backs harbour bridge\n\n"
    "On Tuesday the Velmora city council approved building a new harbour bridge. "
    "The bridge will cost 48 million euros, officials said."
)


def queued_jobs(redis_db) -> int:
    return Queue(queue.QUEUE_NAME, connection=redis_db).count


def test_a_page_goes_from_queued_to_finished_with_the_engines_labels(client, run_jobs, redis_db):
    page = seed_text("002")
    response = client.post("/api/v1/annotations", json={"text": page, "url": "https://example.org/a", "title": "Talks"})
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "queued"
    assert response.headers["Location"] == body["links"]["self"] == f"/api/v1/annotations/{body['id']}"

    assert client.get(response.headers["Location"]).get_json()["status"] == "queued"
    run_jobs()
    done = client.get(response.headers["Location"]).get_json()

    assert done["status"] == "finished" and done["id"] == body["id"]
    result = done["result"]
    assert set(result) == {"annotations", "corpus"}
    assert result["corpus"]["documents"] == 5
    assert result["annotations"], "a seed report has claims"
    for item in result["annotations"]:
        assert item["label"] in LABELS
        assert page[item["start"] : item["end"]] == item["text"]
        # seed 002 is in the corpus: it must never corroborate itself
        assert all(not e["doc"].startswith("002_") for e in item["support"] + item["conflict"])
    assert any(item["label"] == "corroborated" for item in result["annotations"])


def test_a_job_a_worker_has_taken_shows_started(client, redis_db):
    response = client.post("/api/v1/annotations", json={"text": "The talks lasted six hours."})
    job = Job.fetch(response.get_json()["id"], connection=redis_db, serializer=queue.SERIALIZER)
    job.set_status(JobStatus.STARTED)  # what a worker does when it takes the job
    assert client.get(response.headers["Location"]).get_json() == {
        "id": job.id,
        "status": "started",
        "links": {"self": response.headers["Location"]},
    }


def test_the_same_text_against_the_same_corpus_is_answered_from_the_cache(client, run_jobs, redis_db):
    page = seed_text("004")
    first = client.post("/api/v1/annotations", json={"text": page})
    run_jobs()
    finished = client.get(first.headers["Location"]).get_json()

    again = client.post("/api/v1/annotations", json={"text": page, "url": "https://example.org/other"})
    assert again.status_code == 200
    assert again.get_json()["status"] == "finished"
    assert again.get_json()["result"] == finished["result"]
    assert queued_jobs(redis_db) == 0, "a cached page is not queued again"


def test_the_same_page_posted_twice_while_queued_is_one_job_with_an_id_for_each(client, redis_db):
    first = client.post("/api/v1/annotations", json={"text": "The talks lasted six hours."}).get_json()
    second = client.post("/api/v1/annotations", json={"text": "The talks lasted six hours."}).get_json()
    assert first["id"] != second["id"], "another submitter's job id would tell them the text was sent"
    assert queued_jobs(redis_db) == 1
    assert client.get(second["links"]["self"]).get_json()["status"] == "queued"


def test_a_report_added_while_a_worker_runs_is_used_for_the_next_page(client, worker_process, redis_db):
    before = wait_for(client, client.post("/api/v1/annotations", json={"text": NEW_PAGE}).headers["Location"])
    assert before["status"] == "finished"
    assert all(item["label"] == "unverified" for item in before["result"]["annotations"])

    added = client.post("/api/v1/documents", json=NEW_REPORT, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert added.status_code == 201
    doc = added.get_json()["doc"]

    response = client.post("/api/v1/annotations", json={"text": NEW_PAGE})
    assert response.status_code == 202, "the old corpus's cached answer must not be served"
    after = wait_for(client, response.headers["Location"])
    assert after["status"] == "finished"
    assert after["result"]["corpus"]["documents"] == 6
    supported = [item for item in after["result"]["annotations"] if item["label"] == "corroborated"]
    assert supported and all(any(e["doc"] == doc for e in item["support"]) for item in supported)
    assert worker_process.poll() is None, "the same worker, not a restarted one"


def test_a_failed_job_reports_its_error_and_is_not_retried(client, run_jobs, redis_db):
    job = queue.annotation_queue(redis_db).enqueue(queue.JOB_FUNCTION, kwargs={"text": None}, retry=Retry(max=2))
    run_jobs()
    body = client.get(f"/api/v1/annotations/{job.id}").get_json()
    assert body["status"] == "failed"
    assert "Error" in body["error"] and "Traceback" not in body["error"]
    assert Job.fetch(job.id, connection=redis_db, serializer=queue.SERIALIZER).retries_left == 0


def test_an_unknown_job_is_404(client):
    for job_id in ("0123456789abcdef0123456789abcdef", "not a job!", "x" * 300):
        response = client.get(f"/api/v1/annotations/{job_id}")
        assert response.status_code == 404
        assert response.get_json()["error"]["status"] == 404
