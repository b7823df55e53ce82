"""Adding, listing and removing reports over HTTP."""

from __future__ import annotations

from corroborate_testing import ADMIN_TOKEN

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
REPORT = {
    "title": "Council approves bridge",
    "text": "The council approved the bridge on Tuesday.",
    "url": "https://example.org/bridge",
    "source": "Gazette",
}


def test_add_list_show_and_remove_a_report(client):
    assert client.get("/api/v1/documents").get_json()["documents"] == []
    version = client.get("/api/v1/documents").get_json()["corpus"]["added_version"]

    added = client.post("/api/v1/documents", json=REPORT, headers=ADMIN)
    assert added.status_code == 201
    doc = added.get_json()
    assert doc["title"] == REPORT["title"] and doc["url"] == REPORT["url"] and doc["source"] == "Gazette"
    assert added.headers["Location"] == f"/api/v1/documents/{doc['doc']}"

    listing = client.get("/api/v1/documents").get_json()
    assert [d["doc"] for d in listing["documents"]] == [doc["doc"]]
    assert listing["corpus"]["added_version"] != version
    assert client.get(added.headers["Location"]).get_json()["text"] == REPORT["text"]

    again = client.post("/api/v1/documents", json=REPORT, headers=ADMIN)
    assert again.status_code == 200 and again.get_json()["doc"] == doc["doc"]
    assert len(client.get("/api/v1/documents").get_json()["documents"]) == 1

    assert client.delete(added.headers["Location"], headers=ADMIN).status_code == 204
    assert client.get(added.headers["Location"]).status_code == 404
    assert client.delete(added.headers["Location"], headers=ADMIN).status_code == 404
    assert client.get("/api/v1/documents").get_json()["corpus"]["added_version"] == version


def test_a_report_needs_a_title_and_text(client):
    response = client.post("/api/v1/documents", json={"title": " ", "url": 5}, headers=ADMIN)
    assert response.status_code == 400
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"title", "text", "url"}


def test_changing_the_corpus_needs_the_admin_token(make_app):
    client = make_app().test_client()
    assert client.post("/api/v1/documents", json=REPORT).status_code == 401
    wrong = client.post("/api/v1/documents", json=REPORT, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.get_json()["error"]["message"] == "wrong admin token"
    assert client.delete("/api/v1/documents/x", headers={"Authorization": "Bearer nope"}).status_code == 401

    unconfigured = make_app(ADMIN_TOKEN=None).test_client()
    response = unconfigured.post("/api/v1/documents", json=REPORT, headers=ADMIN)
    assert response.status_code == 401
    assert "CORROBORATE_ADMIN_TOKEN" in response.get_json()["error"]["message"]
