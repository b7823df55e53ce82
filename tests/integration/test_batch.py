"""`corroborate batch` end to end: real Redis (database 12), real `corroborate worker` processes."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
from collections import Counter
from pathlib import Path

import pytest

from workers.batch.runners import PageTimeout, time_limit
from workers.batch.sources import gather_pages
from workers.config import MAX_BYTES

from batch_fixtures import (  # noqa: F401 - fixtures
    REDIS_URL,
    ROOT,
    corroborate,
    read_lines,
    redis12,
    seed_files,
    start_corroborate,
    start_worker,
    stop,
    wait_until,
    worker12,
)

PLANTED = ROOT / "tests" / "data" / "planted"


def planted_text(name: str) -> str:
    return next(PLANTED.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def html_page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>© Example News</footer></body></html>"
    )


@pytest.fixture
def mixed_inputs(tmp_path: Path) -> tuple[list[str], int]:
    """A folder of .txt pages, an .html file, and a .jsonl of text and html pages; and how many pages."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for seed in seed_files()[:3]:
        (folder / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "p01.txt").write_text(planted_text("p01"), encoding="utf-8")
    article = tmp_path / "article.html"
    article.write_text(html_page("Envoys meet in Istanbul", planted_text("p02").splitlines()[2:]), encoding="utf-8")
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text(
        json.dumps({"url": "https://example.org/p03", "title": "Former president", "text": planted_text("p03")})
        + "\n"
        + "\n"
        + json.dumps(
            {
                "url": "https://example.org/p07",
                "title": "Consulate",
                "html": html_page("Consulate", planted_text("p07").splitlines()),
            }
        )
        + "\n",
        encoding="utf-8",
    )
    return [str(folder), str(article), str(jsonl)], 4 + 1 + 2


def test_mixed_inputs_through_the_queue_give_one_result_per_page(redis12, worker12, mixed_inputs, tmp_path):
    inputs, pages = mixed_inputs
    out = tmp_path / "results.jsonl"
    done = corroborate("batch", *inputs, "--out", str(out), "--redis-url", REDIS_URL)
    assert done.returncode == 0, done.stderr
    records = read_lines(out)
    assert len(records) == pages
    assert len({record["key"] for record in records}) == pages
    for record in records:
        assert set(record) >= {"url", "title", "result"}
        annotations = record["result"]["annotations"]
        assert annotations, record["source"]
        for claim in annotations:
            assert record["text"][claim["start"] : claim["end"]] == claim["text"]
            assert claim["label"] in {"corroborated", "mixed", "contradicted", "unverified"}
    by_url = {record["url"]: record for record in records}
    assert by_url["https://example.org/p03"]["title"] == "Former president"
    consulate = by_url["https://example.org/p07"]
    assert "<p>" not in consulate["text"] and "Home | World" not in consulate["text"]
    html_record = next(record for record in records if record["source"].endswith("article.html"))
    assert html_record["title"] == "Envoys meet in Istanbul"
    assert "written to" in done.stderr and "0 failed" in done.stderr


def test_results_match_the_engine_run_in_process(redis12, worker12, tmp_path):
    pages = [str(path) for path in seed_files()[:2]]
    queued, local = tmp_path / "queued.jsonl", tmp_path / "local.jsonl"
    assert corroborate("batch", *pages, "--out", str(queued), "--redis-url", REDIS_URL).returncode == 0
    in_process = corroborate("batch", *pages, "--out", str(local), "--in-process", "--redis-url", REDIS_URL)
    assert in_process.returncode == 0, in_process.stderr

    def labels(path):
        return {r["key"]: [(a["start"], a["label"]) for a in r["result"]["annotations"]] for r in read_lines(path)}

    assert labels(queued) == labels(local)


def test_an_interrupted_run_resumes_without_duplicates(redis12, tmp_path):
    """Interrupt a run after some pages are written, leave a half-written line, rerun: every page once."""
    folder = tmp_path / "pages"
    folder.mkdir()
    texts = [seed.read_text(encoding="utf-8") for seed in seed_files()] + [
        path.read_text(encoding="utf-8") for path in sorted(PLANTED.glob("*.txt"))
    ]
    for number, text in enumerate(texts):
        (folder / f"page_{number:02}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "results.jsonl"
    first_share = 4

    # No worker yet: the batch queues every page and waits.
    batch = start_corroborate(
        "batch",
        str(folder),
        "--out",
        str(out),
        "--redis-url",
        REDIS_URL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        from rq import Queue

        from workers import queue as queues

        pending = Queue(queues.QUEUE_NAME, connection=redis12)
        wait_until(lambda: pending.count == len(texts), "every page to be queued", batch)
        # A real RQ worker takes exactly `first_share` pages, then stops.
        from workers.queue.worker import make_worker, prepare

        connection = queues.connect(REDIS_URL, timeout=None)
        prepare(connection, "seeds")
        make_worker(connection).work(burst=True, max_jobs=first_share, logging_level="WARNING")
        wait_until(lambda: len(read_lines(out)) == first_share, "the finished pages to be written", batch)
        batch.send_signal(signal.SIGINT)
        _, stderr = batch.communicate(timeout=60)
    finally:
        stop(batch)
    assert batch.returncode == 130, stderr
    assert "resume" in stderr
    assert len(read_lines(out)) == first_share

    with out.open("a", encoding="utf-8") as handle:  # as if killed in the middle of a write
        handle.write('{"url": null, "title": "half a li')

    worker = start_worker(redis12)
    try:
        rerun = corroborate("batch", str(folder), "--out", str(out), "--redis-url", REDIS_URL)
    finally:
        stop(worker)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{first_share} page(s) already in" in rerun.stderr
    records = read_lines(out)  # parses every line: the half line is gone
    assert len(records) == len(texts)
    assert Counter(record["source"] for record in records) == Counter(
        str(folder / f"page_{n:02}.txt") for n in range(len(texts))
    )

    again = corroborate("batch", str(folder), "--out", str(out), "--redis-url", REDIS_URL)
    assert again.returncode == 0 and f"{len(texts)} page(s) already in" in again.stderr
    assert len(read_lines(out)) == len(texts)


def test_failing_pages_are_reported_and_the_others_finish(redis12, worker12, tmp_path):
    good = [str(path) for path in seed_files()[:2]]
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Le président a parlé à Genève pendant six heures.".encode("latin-1"))
    jsonl = tmp_path / "pages.jsonl"
    jsonl.write_text(
        json.dumps({"url": "https://example.org/huge", "text": "Talks went on. " * (MAX_BYTES // 15 + 10)})
        + "\n"
        + "{not json\n"
        + json.dumps({"url": "https://example.org/no-text", "title": "nothing"})
        + "\n"
        + json.dumps({"url": "https://example.org/ok", "text": planted_text("p04")})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.jsonl"
    done = corroborate(
        "batch",
        *good,
        str(binary),
        str(latin1),
        str(tmp_path / "missing.txt"),
        str(jsonl),
        "--out",
        str(out),
        "--redis-url",
        REDIS_URL,
    )
    assert done.returncode == 1
    records = read_lines(out)
    assert sorted(r["url"] or r["source"] for r in records) == sorted(good + ["https://example.org/ok"])
    failures = done.stderr.split("Failed pages:")[1]
    assert "scan.txt: contains a NUL character (U+0000), so it looks like a binary file" in failures
    assert "latin1.txt: not valid UTF-8" in failures
    assert "missing.txt: no such file" in failures
    assert "pages.jsonl:1: too large" in failures
    assert "pages.jsonl:2: not valid JSON" in failures
    assert 'pages.jsonl:3: needs a "text" or "html" string' in failures
    assert "6 failed" in done.stderr

    rerun = corroborate("batch", *good, str(binary), "--out", str(out), "--redis-url", REDIS_URL)
    assert rerun.returncode == 1 and "2 page(s) already in" in rerun.stderr
    assert len(read_lines(out)) == 3


def test_without_redis_it_says_so_and_runs_the_engine_itself(tmp_path):
    out = tmp_path / "results.jsonl"
    page = str(seed_files()[0])
    done = corroborate("batch", page, "--out", str(out), "--redis-url", "redis://127.0.0.1:1/0")
    assert done.returncode == 0, done.stderr
    assert "no Redis answers at 127.0.0.1:1/0: annotating in this process" in done.stderr
    assert len(read_lines(out)) == 1


def test_in_process_flag_skips_the_queue(redis12, tmp_path):
    out = tmp_path / "results.jsonl"
    done = corroborate("batch", str(seed_files()[1]), "--in-process", "--out", str(out), "--redis-url", REDIS_URL)
    assert done.returncode == 0, done.stderr
    assert len(read_lines(out)) == 1
    from rq import Queue

    assert Queue("corroborate", connection=redis12).count == 0


def test_the_same_page_named_twice_is_annotated_once(tmp_path):
    seed = seed_files()[0]
    pages, unreadable = gather_pages([str(seed), str(seed), str(seed.parent)])
    assert not unreadable
    assert len(pages) == len(seed_files())


def test_time_limit_stops_a_page_that_never_ends():
    never = threading.Event()
    with pytest.raises(PageTimeout):
        with time_limit(0.05):
            never.wait()
