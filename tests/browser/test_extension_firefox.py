"""The same extension/ in Firefox (ESR), driven over WebDriver BiDi, against the real API.

Firefox's own remote protocol cannot click the toolbar button, so this runs a test build:
a copy of extension/ whose host permission is the article's host (granted at install
with `extensions.originControls.grantByDefault`) and whose default settings are the test
API and that host as an auto-checked site. The auto-check path then runs the same
checkTab as a click: extraction, the API, marking, the popover.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from corroborate_ext import EXTENSION, add_hostile_report, free_port, normalize, utf16_slice
from test_extension_browser import api_result_for

LABELS = ("corroborated", "contradicted", "mixed", "unverified")

pytestmark = pytest.mark.browser
FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
HERE = Path(__file__).resolve().parent


def node_with_websocket() -> str | None:
    node = shutil.which("node")
    if not node:
        return None
    major = int(
        re.match(r"v(\d+)", subprocess.run([node, "--version"], capture_output=True, text=True).stdout).group(1)
    )
    return node if major >= 20 else None


HOSTILE = "<img src=x onerror=\"window.__pwned=2;document.title='pwned'\">"


def test_firefox_marks_match_the_api_with_popovers_hostile_evidence_as_text_and_clear(api, site, tmp_path):
    """The Chromium test's checks that BiDi can make: every claim marked with the API's label, the
    popover's evidence and values, a hostile report's title shown as text and run never, the popup's
    counts, the badge (conflicts) and the shortcut, and "Clear highlights" giving the page back."""
    node = node_with_websocket()
    assert FIREFOX, "firefox-esr is missing: `make install` installs it (apt-get install -y firefox-esr)"
    assert node, "Node 20 or later is needed to drive Firefox over WebDriver BiDi"
    # A report whose title and text carry markup: its evidence must show as text.
    created = add_hostile_report(api, "Firefox wire copy", HOSTILE, "extension-tests-firefox")

    build = tmp_path / "extension"
    shutil.copytree(EXTENSION, build)
    manifest = json.loads((build / "manifest.json").read_text())
    manifest["host_permissions"] = ["http://127.0.0.1/*"]
    (build / "manifest.json").write_text(json.dumps(manifest, indent=2))
    background = (build / "background.js").read_text()
    for old, new in (
        ('apiUrl: "http://127.0.0.1:8000"', f'apiUrl: "{api}"'),
        ("autoSites: [],", 'autoSites: ["127.0.0.1"],'),
    ):
        assert old in background
        background = background.replace(old, new)
    # BiDi cannot open an extension page itself: the test build opens its options page in a tab, which
    # the test then drives (it becomes the popup, for the popup's view of the tab and its Clear button).
    background += (
        '\nchrome.runtime.onInstalled.addListener(() => chrome.tabs.create({ url: "options.html", active: false }));\n'
    )
    (build / "background.js").write_text(background)

    article = f"{site}/seed-002.html"
    baseline = article.replace("127.0.0.1", "localhost")  # a host the test build neither checks nor may read
    proc = subprocess.run(
        [
            node,
            "--experimental-websocket",
            "--no-warnings",
            str(HERE / "firefox_smoke.mjs"),
            FIREFOX,
            str(build),
            article,
            str(free_port()),
            baseline,
            str(uuid.uuid4()),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, (proc.stdout, proc.stderr)
    out = json.loads(lines[-1])
    assert out["ok"], (out.get("error"), sorted(out))
    print(
        f"\nFirefox {out['version']}: {len({m[0] for m in out['marks']})} claims marked {out['ms']} ms after navigation"
    )

    # Marks and labels: exactly the API's answer for the text the extension sent.
    text = out["sentText"]
    assert isinstance(text, str) and text
    for outside in ("Home", "Read next", "Markets rally", "What is your opinion"):
        assert outside not in text
    annotations = api_result_for(api, text)["annotations"]
    assert len(annotations) >= 15
    claims: dict[int, dict] = {}
    for index, label, mark_text, tabindex in out["marks"]:
        entry = claims.setdefault(index, {"labels": set(), "text": "", "tabstops": 0})
        entry["labels"].add(label)
        entry["text"] += mark_text
        entry["tabstops"] += tabindex == "0"
    assert sorted(claims) == list(range(len(annotations)))
    for i, ann in enumerate(annotations):
        assert utf16_slice(text, ann["start_utf16"], ann["end_utf16"]) == ann["text"]
        assert claims[i]["labels"] == {ann["label"]}, (i, ann["text"], claims[i])
        assert normalize(claims[i]["text"]) == normalize(ann["text"]), (i, claims[i]["text"])
        assert claims[i]["tabstops"] == 1
    assert out["markBackground"] == "rgb(204, 242, 214)"  # the user-origin CSS applies

    # The popup, the badge and the shortcut.
    counts = {label: sum(a["label"] == label for a in annotations) for label in LABELS}
    assert out["state"]["status"] == "finished" and out["state"]["counts"] == counts
    assert out["state"]["missing"] == []
    assert out["popup"]["counts"] == counts and out["popup"]["claims"] == len(annotations)
    assert "claims checked" in out["popup"]["status"]
    assert out["badge"] == str(counts["contradicted"] + counts["mixed"])
    assert out["popup"]["shortcut"] == out["optionsShortcut"] == "Alt+Shift+K"
    assert "checks the page" in out["popup"]["shortcutText"]

    # The popover: each report's sentence and title, and a conflict's two values.
    pops = {int(k): v for k, v in out["popovers"].items()}
    assert sorted(pops) == list(range(len(annotations)))
    i = next(k for k, a in enumerate(annotations) if a["text"].startswith("A Russian delegation arrived at the U.S."))
    ann, pop = annotations[i], pops[i]
    assert pop["visible"] and pop["display"] == "block" and pop["background"] == "rgb(255, 255, 255)"
    assert ann["support"] and ann["conflict"]
    for item in ann["support"] + ann["conflict"]:
        assert item["sentence"] in pop["text"] and item["title"] in pop["text"]
    assert "four hours" in pop["text"] and "six hours" in pop["text"]
    assert re.search(r"Mixed: \d+ reports? agrees?, \d+ differs?", pop["text"]), pop["text"]

    # The hostile report's evidence: its markup shown as characters, no element made of it, nothing run.
    hit = [
        k for k, a in enumerate(annotations) if any(e["doc"] == created["doc"] for e in a["support"] + a["conflict"])
    ]
    assert hit, "the hostile report supports no claim"
    for k in hit:
        assert HOSTILE in pops[k]["text"]
        assert pops[k]["imgs"] == 0 and "img" not in pops[k]["elements"]
    assert out["afterPopovers"] == {"pwned": None, "title": out["title"], "imgs": 0}

    # "Clear highlights": the article exactly as it was before any mark, and no badge.
    assert out["baselineMarks"] == 0
    assert out["after"] == out["before"]
    assert out["badgeAfterClear"] == ""
