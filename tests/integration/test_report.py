"""`corroborate report`: one self-contained HTML file that real Chromium shows with the claims marked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from workers.labels import LABELS
from workers.outputs.html_report import read_results, report_html

from batch_fixtures import HANG_GUARD, ROOT, corroborate, read_lines, seed_files

CHROMIUM = "/usr/bin/chromium"
PROBE = Path(__file__).with_name("report_in_chromium.py")
HOSTILE_TEXT = "Officials said <img src=x onerror=\"document.title='pwned'\"> talks lasted four hours in Istanbul."


def hostile_record() -> dict:
    """A page whose text and evidence are full of markup, with one claim of every label."""
    text = HOSTILE_TEXT + " Second claim here. Third claim here. Fourth claim here."
    spans = [(0, len(HOSTILE_TEXT))] + [
        (text.index(sentence), text.index(sentence) + len(sentence))
        for sentence in ("Second claim here.", "Third claim here.", "Fourth claim here.")
    ]
    evidence = {
        "doc": "evil_<b>",
        "title": "<script>alert(1)</script>",
        "sentence": "</span><i>injected</i>",
        "score": 0.9,
    }
    conflict = dict(evidence, values={"page": "<u>four</u>", "report": "six & more"})
    claims = [
        {
            "text": text[a:b],
            "start": a,
            "end": b,
            "start_utf16": a,
            "end_utf16": b,
            "label": label,
            "support": [evidence] if label in ("corroborated", "mixed") else [],
            "conflict": [conflict] if label in ("mixed", "contradicted") else [],
        }
        for (a, b), label in zip(spans, ("contradicted", "corroborated", "mixed", "unverified"))
    ]
    return {
        "url": "https://example.org/<evil>",
        "title": "<i>Hostile</i> page",
        "source": "hostile.jsonl:1",
        "key": "hostile",
        "text": text,
        "result": {"annotations": claims, "corpus": {}},
    }


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    """Batch results for the seeds and two planted pages (engine in process), plus a hostile page."""
    out = tmp_path_factory.mktemp("report") / "results.jsonl"
    planted = sorted((ROOT / "tests" / "data" / "planted").glob("*.txt"))[:2]
    done = corroborate(
        "batch",
        "--in-process",
        *map(str, seed_files() + planted),
        "--out",
        str(out),
        "--redis-url",
        "redis://127.0.0.1:1/0",
    )
    assert done.returncode == 0, done.stderr
    with out.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(hostile_record()) + "\n")
    return out


@pytest.fixture(scope="module")
def report(results) -> Path:
    html = results.with_name("report.html")
    done = corroborate("report", str(results), "--out", str(html))
    assert done.returncode == 0, done.stderr
    return html


def test_the_report_escapes_every_piece_of_server_text(report):
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "<i>" not in html and "<u>" not in html
    assert "&lt;img src=x onerror=" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<link" not in html and "src=" not in html.replace("&lt;img src=x", "")  # nothing to fetch


def test_the_summary_counts_claims_per_label_per_page(results):
    pages = read_results(results)
    records = read_lines(results)
    assert len(pages) == len(records)
    for page, record in zip(pages, records):
        counts = Counter(claim["label"] for claim in record["result"]["annotations"])
        assert {label: page.count(label) for label in LABELS} == {label: counts[label] for label in LABELS}


def test_marks_skip_claims_whose_offsets_do_not_match_the_text(tmp_path):
    record = hostile_record()
    record["result"]["annotations"][1]["start"] += 1  # stale offsets: left unmarked rather than mis-marked
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps(record) + "\n", encoding="utf-8")
    html = report_html(read_results(results))
    assert html.count('<span class="claim ') - len(LABELS) == 3  # the legend shows one of each label


@pytest.fixture(scope="module")
def in_chromium(report) -> dict:
    """What real headless Chromium shows of the report (observed in a process of its own)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (make install does it)")
    done = subprocess.run(
        [sys.executable, str(PROBE), str(report)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        env=dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1"),
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.browser
def test_chromium_shows_every_mark_and_the_summary(in_chromium, results):
    assert in_chromium["title"] == "Corroborate report"  # the hostile onerror never ran
    expected = Counter(claim["label"] for record in read_lines(results) for claim in record["result"]["annotations"])
    assert in_chromium["marks"] == {label: expected[label] for label in LABELS}
    assert in_chromium["summary_rows"] == len(read_lines(results))
    assert in_chromium["scripts_and_images"] == 0
    assert "<img src=x" in in_chromium["last_page_text"]  # shown as text, never as markup
    assert [url for url in in_chromium["requests"] if not url.startswith("file://")] == []


@pytest.mark.browser
def test_chromium_shows_the_extension_colours(in_chromium):
    """The extension's colours (extension/content.css): green, amber, red tints; a dotted underline."""
    styles = in_chromium["styles"]
    assert styles["corroborated"]["background-color"] == "rgb(204, 242, 214)"
    assert "rgb(26, 127, 55)" in styles["corroborated"]["box-shadow"]
    assert styles["mixed"]["background-color"] == "rgb(255, 230, 173)"
    assert styles["contradicted"]["background-color"] == "rgb(255, 217, 214)"
    assert "rgb(179, 38, 30)" in styles["contradicted"]["box-shadow"]
    assert styles["unverified"]["text-decoration-style"] == "dotted"
    assert styles["unverified"]["background-color"] == "rgba(0, 0, 0, 0)"


@pytest.mark.browser
def test_chromium_shows_the_evidence_on_hover_and_on_focus(in_chromium):
    assert not in_chromium["evidence_visible_before_hover"]
    assert in_chromium["evidence_visible_on_hover"]
    shown = in_chromium["evidence_on_hover"]
    assert "</span><i>injected</i>" in shown and "<u>four</u>" in shown and "six & more" in shown
    assert in_chromium["evidence_visible_on_focus"]
    assert "Agrees:" in in_chromium["evidence_on_focus"]
