"""Limits that protect other users and the submitters' privacy (issue 10, defects 8, 9 and 11)."""

from __future__ import annotations

import time

from corroborate_testing import TEST_REDIS_URL, seed_text, start_worker_process, stop, wait_for


# 11. The cache answers by content, but never with another submitter's job id.
def test_a_cached_answer_comes_with_an_id_of_ones_own(client, run_jobs, redis_db):
    page = seed_text("002")
    first = client.post("/api/v1/annotations", json={"text": page}).get_json()
    run_jobs()
    done = client.get(first["links"]["self"]).get_json()
    seen = {first["id"]}
    for _ in range(3):
        again = client.post("/api/v1/annotations", json={"text": page})
        body = again.get_json()
        assert again.status_code == 200 and body["status"] == "finished"
        assert body["id"] not in seen and first["id"] not in again.get_data(as_text=True)
        seen.add(body["id"])
        assert again.headers["Location"] == f"/api/v1/annotations/{body['id']}"
        assert client.get(again.headers["Location"]).get_json() == body
        assert body["result"] == done["result"]


# 9. Limits per client: per token when tokens are in use; X-Forwarded-For only from trusted proxies.
def submit(client, text, **headers):
    return client.post("/api/v1/annotations", json={"text": text}, headers=headers).status_code


def test_without_trusted_proxies_x_forwarded_for_is_ignored(make_app):
    client = make_app(RATE_LIMIT_ENABLED=True, RATE_LIMIT_SUBMIT="2 per minute").test_client()
    codes = [submit(client, f"Page {n}.", **{"X-Forwarded-For": f"10.0.0.{n}"}) for n in range(3)]
    assert codes == [202, 202, 429], "a header anyone can send must not buy a new limit"


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(make_app):
    client = make_app(RATE_LIMIT_ENABLED=True, RATE_LIMIT_SUBMIT="2 per minute", TRUSTED_PROXIES=1).test_client()
    for n in range(5):  # fifty clients behind one proxy, in small
        forwarded = {"X-Forwarded-For": f"203.0.113.{n}"}
        assert [submit(client, f"Page {n} {k}.", **forwarded) for k in range(3)] == [202, 202, 429]


def test_with_tokens_each_token_has_its_own_limit(make_app):
    client = make_app(
        RATE_LIMIT_ENABLED=True, RATE_LIMIT_SUBMIT="2 per minute", API_TOKEN="alice-token, bob-token"
    ).test_client()
    for who in ("alice-token", "bob-token"):
        auth = {"Authorization": f"Bearer {who}"}
        assert [submit(client, f"{who} page {k}.", **auth) for k in range(3)] == [202, 202, 429]
    assert submit(client, "No token.") == 401


# 8. The cost of a job is bounded: bytes per client per minute, and time per page with a clear message.
def test_bytes_of_pages_per_client_are_limited(make_app):
    client = make_app(RATE_LIMIT_ENABLED=True, RATE_LIMIT_BYTES="300000 per minute").test_client()
    big = "The council met on Tuesday. " * 5000  # 140,000 characters
    assert [submit(client, big + str(n)) for n in range(3)] == [202, 202, 429]
    assert submit(client, "A short page.", **{"X-Forwarded-For": "1.2.3.4"}) == 429  # the same client


def test_a_page_over_its_time_fails_with_a_clear_message_and_the_next_page_runs(make_app, redis_db, monkeypatch):

    monkeypatch.setenv("CORROBORATE_JOB_TIMEOUT", "3")
    client = make_app().test_client()
    worker = start_worker_process(TEST_REDIS_URL, env={"CORROBORATE_JOB_TIMEOUT": "3"})
    try:
        words = "harbour bridge council budget tunnel ferry school hospital road station".split()
        huge = " ".join(
            f"The {words[n % 10]} plan {n} cost {n * 7 + 3} million in district {n} on Tuesday." for n in range(4000)
        )
        started = time.monotonic()
        slow = client.post("/api/v1/annotations", json={"text": huge}).headers["Location"]
        small = client.post("/api/v1/annotations", json={"text": "Officials met in Istanbul."}).headers["Location"]
        failed = wait_for(client, slow, limit=120)
        assert failed["status"] == "failed"
        assert "took longer than 3 s" in failed["error"] and "CORROBORATE_JOB_TIMEOUT" in failed["error"]
        assert wait_for(client, small, limit=60)["status"] == "finished"
        assert time.monotonic() - started < 60, "one page held the worker for no more than its limit"
    finally:
        stop(worker)
