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
from pathlib import Path

import pytest

from corroborate_ext import EXTENSION, free_port, normalize

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


def test_firefox_marks_the_seed_article_and_shows_a_popover(api, site, tmp_path):
    node = node_with_websocket()
    if not FIREFOX or not node:
        pytest.skip("needs Firefox (apt-get install -y firefox-esr) and Node 20 or later")
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
    (build / "background.js").write_text(background)

    proc = subprocess.run(
        [
            node,
            "--experimental-websocket",
            "--no-warnings",
            str(HERE / "firefox_smoke.mjs"),
            FIREFOX,
            str(build),
            f"{site}/seed-002.html",
            str(free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, (proc.stdout, proc.stderr)
    out = json.loads(lines[-1])
    assert out["ok"], out
    print(
        f"\nFirefox {out['version']}: {len({m[0] for m in out['marks']})} claims marked {out['ms']} ms after navigation"
    )

    claims: dict[int, list] = {}
    for index, label, text in out["marks"]:
        claims.setdefault(index, [label, ""])[1] += text
    assert len(claims) >= 15
    assert all(label in ("corroborated", "contradicted", "mixed", "unverified") for label, _ in claims.values())
    assert any(
        normalize(t).startswith("A Russian delegation arrived at the U.S. consul general's residence")
        for _, t in claims.values()
    )
    assert out["markBackground"] == "rgb(204, 242, 214)"  # the user-origin CSS applies
    assert out["popover"]["display"] == "block" and out["popover"]["background"] == "rgb(255, 255, 255)"
    assert re.search(r"(Mixed|Corroborated)", out["popover"]["text"])
