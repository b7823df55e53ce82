"""Hostile input, every way text comes in (issue 10, defects 1, 2, 3 and 10): a clear refusal, never a 500,
a traceback or a working script."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workers.outputs.html_report import ResultsError, read_results, report_html
from workers.text_rules import NUL_PROBLEM, TextError, check_text

from batch_fixtures import corroborate, seed_files

LONE = "met \ud800 today"
NUL = "met \x00 today"


def error_of(response, status):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    return response.get_json()["error"]


# 1. Deeply nested JSON was a 500 (RecursionError escaped get_json(silent=True)).
@pytest.mark.parametrize("path", ["/api/v1/annotations", "/api/v1/documents"])
def test_deeply_nested_json_is_400_not_500(client, path):
    body = '{"text": ' + "[" * 2000 + "]" * 2000 + "}"
    headers = {"Authorization": "Bearer admin-secret-for-tests"}
    error = error_of(client.post(path, data=body, content_type="application/json", headers=headers), 400)
    assert "nested" in error["message"]


# 2. Lone surrogates and NUL: refused the same way everywhere, with the same words.
@pytest.mark.parametrize("text", [LONE, NUL])
def test_the_api_refuses_a_lone_surrogate_or_nul_in_a_page(client, text):
    raw = json.dumps({"text": text})  # json.dumps writes \ud800 and \u0000 escapes, as a hostile client would
    error = error_of(client.post("/api/v1/annotations", data=raw, content_type="application/json"), 400)
    message = " ".join(error["fields"]["text"])
    assert ("lone surrogate" in message) if text is LONE else (NUL_PROBLEM in message)


@pytest.mark.parametrize("field", ["text", "title", "url", "source"])
def test_the_api_refuses_a_lone_surrogate_in_a_report_with_400_not_500(client, field):
    body = {"title": "A title", "text": "A report about the talks.", field: LONE}
    raw = json.dumps(body)
    headers = {"Authorization": "Bearer admin-secret-for-tests"}
    error = error_of(client.post("/api/v1/documents", data=raw, content_type="application/json", headers=headers), 400)
    assert field in error["fields"]


def test_one_rule_one_message():
    for text, words in ((LONE, "lone surrogate (U+D800)"), (NUL, NUL_PROBLEM), (" \n", "empty")):
        with pytest.raises(TextError, match=None) as caught:
            check_text(text, "page")
        assert words in str(caught.value)
    assert check_text("A fine sentence.") == "A fine sentence."


def test_the_store_refuses_what_the_api_refuses(redis_db):
    from workers.queue import CorpusStore, StoreError

    store = CorpusStore(redis_db, "seeds")
    for text in (LONE, NUL):
        with pytest.raises(StoreError, match="lone surrogate|NUL"):
            store.add("Title", text)


def test_cli_annotate_and_corpus_add_refuse_nul_with_the_same_message(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(b"Officials met \x00 for four hours.")
    for args in (("annotate", str(page)), ("corpus", "--redis-url", "redis://127.0.0.1:1/0", "add", str(page))):
        out = corroborate(*args)
        assert out.returncode != 0
        assert NUL_PROBLEM in out.stderr and "Traceback" not in out.stderr, out.stderr


def test_a_batch_line_with_a_lone_surrogate_fails_alone(tmp_path):
    lines = tmp_path / "pages.jsonl"
    good = seed_files()[0].read_text()
    lines.write_text(
        json.dumps({"url": "https://example.org/bad", "text": LONE})
        + "\n"
        + json.dumps({"url": "https://example.org/bad-title", "title": "\ud800", "text": good})
        + "\n"
        + json.dumps({"url": "https://example.org/good", "text": good})
        + "\n"
    )
    out_file = tmp_path / "out.jsonl"
    out = corroborate("batch", "--in-process", str(lines), "--out", str(out_file))
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 1
    assert "pages.jsonl:1: contains a lone surrogate" in out.stderr
    assert "pages.jsonl:2: title: contains a NUL character or a lone surrogate" in out.stderr
    assert [json.loads(line)["url"] for line in out_file.read_text().splitlines()] == ["https://example.org/good"]


def test_a_symlink_loop_is_not_no_such_file(tmp_path):
    loop = tmp_path / "loop.txt"
    os.symlink(loop, loop)
    out = corroborate("annotate", str(loop))
    assert out.returncode == 2
    assert "no such file" not in out.stderr and "loop.txt: cannot read" in out.stderr, out.stderr


# 3. Only http(s) links in the report.
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "java\tscript:alert(1)",
    ],
)
def test_the_report_links_only_http_urls(tmp_path, url):
    results = tmp_path / "r.jsonl"
    results.write_text(json.dumps({"url": url, "title": "t", "result": {"annotations": []}, "text": "x"}) + "\n")
    html = report_html(read_results(results))
    assert 'href="java' not in html.lower() and 'href=" java' not in html.lower()
    assert "<a href" not in html.split("<table")[1].split("</table>")[1]  # no link in the page section
    good = tmp_path / "g.jsonl"
    good.write_text(json.dumps({"url": "https://example.org/a?b=1&c=2", "result": {"annotations": []}}) + "\n")
    assert '<a href="https://example.org/a?b=1&amp;c=2">' in report_html(read_results(good))


# 10. A malformed results file is one clear line, never a traceback.
@pytest.mark.parametrize(
    "content",
    [
        b"[1,2]\n",
        b'{"result":"x"}\n',
        b'{"result":{"annotations":[{"end":3,"text":"abc","label":"mixed"}]}}\n',
        b'{"result":{"annotations":"no"}}\n',
        b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",
        b"[" * 5000 + b"\n",
    ],
)
def test_corroborate_report_on_a_malformed_file_is_one_line(tmp_path, content):
    results = tmp_path / "bad.jsonl"
    results.write_bytes(content)
    out = corroborate("report", str(results), "--out", str(tmp_path / "r.html"))
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and out.stderr.strip().count("\n") == 0, out.stderr


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "url",
                    "title",
                    "text",
                    "result",
                    "annotations",
                    "start",
                    "end",
                    "label",
                    "support",
                    "conflict",
                    "values",
                    "page",
                    "report",
                    "doc",
                    "sentence",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=JSON)
def test_any_json_line_is_a_report_or_a_results_error(tmp_path, record):
    results = tmp_path / "any.jsonl"
    results.write_text(json.dumps(record) + "\n")
    try:
        report_html(read_results(results))
    except ResultsError:
        pass
