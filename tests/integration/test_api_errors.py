"""Every refusal is JSON {"error": {"status", "message", "fields"?}}, never HTML or a traceback."""

from __future__ import annotations

import pytest

from service.schemas import MAX_TEXT


def error_of(response, status):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status
    assert error["message"] and "Traceback" not in error["message"]
    return error


@pytest.mark.parametrize(
    "body, fields",
    [
        ({}, {"text"}),
        ({"text": ""}, {"text"}),
        ({"text": "   \n"}, {"text"}),
        ({"text": 42}, {"text"}),
        ({"text": "x" * (MAX_TEXT + 1)}, {"text"}),
        ({"text": "A sentence.", "url": ["not", "a", "string"]}, {"url"}),
        ({"text": "A sentence.", "colour": "blue"}, {"colour"}),
    ],
)
def test_bad_fields_are_400_with_the_field_named(client, body, fields):
    error = error_of(client.post("/api/v1/annotations", json=body), 400)
    assert set(error["fields"]) == fields


def test_the_longest_allowed_text_is_accepted(client):
    assert client.post("/api/v1/annotations", json={"text": "x" * MAX_TEXT}).status_code == 202


@pytest.mark.parametrize("raw", ["{", "", "[1, 2]", "null", '"text"'])
def test_a_body_that_is_not_a_json_object_is_400(client, raw):
    error_of(client.post("/api/v1/annotations", data=raw, content_type="application/json"), 400)


def test_a_body_that_is_not_json_is_415(client):
    error = error_of(
        client.post("/api/v1/annotations", data="text=hello", content_type="application/x-www-form-urlencoded"), 415
    )
    assert "application/json" in error["message"]
    error_of(client.post("/api/v1/documents", data="hello", headers={"Authorization": "Bearer x"}), 401)


def test_an_unknown_path_is_404(client):
    error_of(client.get("/api/v1/nothing-here"), 404)
    error_of(client.get("/"), 404)


def test_an_unknown_or_malformed_job_id_is_404(client):
    # "0\n" once passed the id pattern ($ matches before a final newline) and RQ refused it: a 500.
    for job_id in ("0123456789abcdef", "0%0A", "a%20b", "%C3%A9"):
        error_of(client.get(f"/api/v1/annotations/{job_id}"), 404)


def test_a_wrong_method_is_405_with_allow(client):
    response = client.put("/api/v1/annotations")
    error_of(response, 405)
    assert "POST" in response.headers["Allow"]
    error_of(client.post("/api/v1/health"), 405)


def test_a_body_over_the_size_limit_is_413(client):
    body = '{"text": "' + "x" * (9 * 1024 * 1024) + '"}'
    error = error_of(client.post("/api/v1/annotations", data=body, content_type="application/json"), 413)
    assert "bytes" in error["message"]


def test_too_many_pages_from_one_client_is_429(make_app):
    client = make_app(RATE_LIMIT_ENABLED=True, RATE_LIMIT_SUBMIT="2 per minute").test_client()
    for n in range(2):
        assert client.post("/api/v1/annotations", json={"text": f"Page number {n}."}).status_code == 202
    response = client.post("/api/v1/annotations", json={"text": "One page too many."})
    error = error_of(response, 429)
    assert "2 per 1 minute" in error["message"]
    assert int(response.headers["Retry-After"]) > 0
    # reading results is limited separately, and more generously
    assert client.get("/api/v1/health").status_code == 200
    # another client is not affected
    other = client.post("/api/v1/annotations", json={"text": "Someone else."}, environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert other.status_code == 202
