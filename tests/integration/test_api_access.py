"""Who may call the API: CORS origins and bearer tokens."""

from __future__ import annotations

import pytest

from corroborate_testing import ADMIN_TOKEN

ALLOWED = [
    "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
    "moz-extension://0b5c3a1e-4f1d-4f6e-9a57-2f0d1c7e9a11",
    "https://news.example.org",
]
DENIED = [
    "https://evil.example",
    "https://news.example.org.evil.example",
    "http://news.example.org",
    "chrome-extension://abc.evil.example/x",
    "null",
]


@pytest.fixture
def cors_client(make_app):
    return make_app(CORS_ORIGINS="https://news.example.org, https://other.example").test_client()


def preflight_post(client, origin: str):
    """The browser's CORS preflight before it posts a page with a token."""
    return client.options(
        "/api/v1/annotations",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization",
        },
    )


@pytest.mark.parametrize("origin", ALLOWED)
def test_the_extension_and_listed_origins_may_call(cors_client, origin):
    response = cors_client.get("/api/v1/health", headers={"Origin": origin})
    assert response.headers["Access-Control-Allow-Origin"] == origin
    preflight = preflight_post(cors_client, origin)
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()
    posted = cors_client.post("/api/v1/annotations", json={"text": "A sentence."}, headers={"Origin": origin})
    assert "Location" in posted.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("origin", DENIED)
def test_other_origins_get_no_cors_headers(cors_client, origin):
    response = cors_client.get("/api/v1/health", headers={"Origin": origin})
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = cors_client.options(
        "/api/v1/annotations", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_without_a_token_configured_no_credentials_are_needed(client):
    assert client.get("/api/v1/health").status_code == 200
    assert client.post("/api/v1/annotations", json={"text": "A sentence."}).status_code == 202


def test_with_a_token_configured_every_call_needs_it(make_app):
    client = make_app(API_TOKEN="user-token").test_client()
    calls = [
        ("get", "/api/v1/health", None),
        ("get", "/api/v1/documents", None),
        ("get", "/api/v1/openapi.json", None),
        ("get", "/api/v1/annotations/abc", None),
        ("post", "/api/v1/annotations", {"text": "A sentence."}),
    ]
    for method, path, body in calls:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic dXNlcjp0b2tlbg=="}):
            response = getattr(client, method)(path, json=body, headers=headers)
            assert response.status_code == 401, path
            assert response.get_json()["error"]["status"] == 401
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
    good = {"Authorization": "Bearer user-token"}
    assert client.get("/api/v1/health", headers=good).status_code == 200
    assert client.post("/api/v1/annotations", json={"text": "A sentence."}, headers=good).status_code == 202
    # the user token does not change the corpus; the admin token does, and works everywhere
    report = {"title": "T", "text": "A report."}
    assert client.post("/api/v1/documents", json=report, headers=good).status_code == 401
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    assert client.post("/api/v1/documents", json=report, headers=admin).status_code == 201
    assert client.get("/api/v1/documents", headers=admin).status_code == 200


def test_a_cors_preflight_needs_no_token(make_app):
    client = make_app(API_TOKEN="user-token").test_client()
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    preflight = preflight_post(client, origin)
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    refused = client.get("/api/v1/health", headers={"Origin": origin})
    assert refused.status_code == 401
    assert refused.headers["Access-Control-Allow-Origin"] == origin, "the extension can read why it was refused"
