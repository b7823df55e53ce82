"""`corroborate corpus add/list/remove`: the same store as /api/v1/documents, used by running workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.queue import CorpusStore

from batch_fixtures import REDIS_URL, corroborate, read_lines, redis12, worker12  # noqa: F401 - fixtures

ADMIN = "corpus-cli-admin-token"

REPORT = """Envoys agree to a third round of embassy talks

The two delegations agreed to hold a third round of talks in Vienna in late June, a diplomat said on Friday.
Officials from both foreign ministries described the atmosphere as businesslike.
A joint working group will prepare a list of visa cases before the next meeting.
"""

PAGE = """Embassy talks: what comes next

Relations between the two capitals remain tense after years of expulsions.
The delegations agreed to hold a third round of talks in Vienna in late June, officials said.
Analysts expect little progress on the broader dispute before the autumn.
"""
SHARED_CLAIM = "The delegations agreed to hold a third round of talks in Vienna in late June, officials said."


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    path = tmp_path / "vienna.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


@pytest.fixture
def api(redis12):
    from service import create_app

    app = create_app(
        {
            "REDIS_URL": REDIS_URL,
            "CORPUS": "seeds",
            "ADMIN_TOKEN": ADMIN,
            "API_TOKEN": None,
            "RATE_LIMIT_ENABLED": False,
            "TESTING": True,
        }
    )
    return app.test_client()


def added_doc(stdout: str) -> str:
    return next(word for word in stdout.split() if word.startswith("added_"))


def test_add_list_and_remove(redis12, report_file):
    added = corroborate(
        "corpus", "add", str(report_file), "--title", "Vienna round", "--url", "https://example.org/vienna"
    )
    assert added.returncode == 0, added.stderr
    doc = added_doc(added.stdout)
    [report] = CorpusStore(redis12, "seeds").list()
    assert (report.doc, report.title, report.url) == (doc, "Vienna round", "https://example.org/vienna")
    assert report.text == REPORT

    again = corroborate("corpus", "add", str(report_file), "--title", "Vienna round")
    assert again.returncode == 0 and "already in the corpus" in again.stdout
    assert len(CorpusStore(redis12, "seeds").list()) == 1

    listing = corroborate("corpus", "list")
    assert listing.returncode == 0, listing.stderr
    assert doc in listing.stdout and "Vienna round" in listing.stdout and "added" in listing.stdout
    assert "5 in the folder, 1 added" in listing.stdout
    assert "004_49438ab21b2257f1" in listing.stdout

    removed = corroborate("corpus", "remove", doc)
    assert removed.returncode == 0 and f"removed {doc}" in removed.stdout
    assert CorpusStore(redis12, "seeds").list() == []

    missing = corroborate("corpus", "remove", doc)
    assert missing.returncode == 1 and "not an added report" in missing.stderr


def test_the_title_defaults_to_the_first_line(redis12, report_file):
    added = corroborate("corpus", "add", str(report_file))
    assert added.returncode == 0, added.stderr
    [report] = CorpusStore(redis12, "seeds").list()
    assert report.title == "Envoys agree to a third round of embassy talks"


def test_bad_files_get_one_clear_line(redis12, tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x00\x01\x02")
    for path, message in (
        (binary, "contains a NUL character (U+0000), so it looks like a binary file"),
        (tmp_path / "nope.txt", "no such file"),
    ):
        done = corroborate("corpus", "add", str(path), "--title", "x")
        assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr


def test_without_redis_it_says_where_the_store_should_be(report_file):
    done = corroborate("corpus", "--redis-url", "redis://127.0.0.1:1/0", "add", str(report_file))
    assert done.returncode == 1
    assert "no Redis answers at 127.0.0.1:1/0" in done.stderr and "Traceback" not in done.stderr


def test_it_is_the_store_of_the_documents_api(api, report_file):
    cli = corroborate("corpus", "add", str(report_file), "--title", "From the CLI")
    assert cli.returncode == 0, cli.stderr
    listed = api.get("/api/v1/documents").get_json()["documents"]
    assert [d["title"] for d in listed] == ["From the CLI"]

    posted = api.post(
        "/api/v1/documents", json={"title": "From the API", "text": PAGE}, headers={"Authorization": f"Bearer {ADMIN}"}
    )
    assert posted.status_code == 201, posted.get_json()
    listing = corroborate("corpus", "list")
    assert "From the API" in listing.stdout and "From the CLI" in listing.stdout


def test_a_running_worker_uses_an_added_report_from_its_next_page(redis12, worker12, report_file, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")

    def shared_claim(out: Path) -> dict:
        [record] = read_lines(out)
        return next(claim for claim in record["result"]["annotations"] if claim["text"] == SHARED_CLAIM)

    before = tmp_path / "before.jsonl"
    assert corroborate("batch", str(page), "--out", str(before)).returncode == 0
    assert not any(e["doc"].startswith("added_") for e in shared_claim(before)["support"])

    doc = added_doc(corroborate("corpus", "add", str(report_file), "--title", "Vienna round").stdout)
    after = tmp_path / "after.jsonl"
    done = corroborate("batch", str(page), "--out", str(after))
    assert done.returncode == 0, done.stderr
    claim = shared_claim(after)
    assert doc in [evidence["doc"] for evidence in claim["support"]]
    assert claim["label"] in {"corroborated", "mixed"}
