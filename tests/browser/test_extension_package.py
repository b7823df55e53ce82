"""`make package`: the store packages, one version, web-ext lint clean; the Chromium zip, unpacked, works."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import zipfile

import pytest

from corroborate_ext import EXTENSION, ROOT, Browser, launch_with_extension
from test_extension_browser import api_result_for, assert_marks_match, sent_text

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def packages(tmp_path_factory, npx):
    if npx is None:
        pytest.skip("npx (Node.js) is needed for web-ext")
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "workers.devtools.package_extension", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    assert "no errors, no warnings" in proc.stdout
    return out


def version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def test_both_packages_carry_pyprojects_version_and_every_file(packages):
    v = version()
    assert sorted(p.name for p in packages.iterdir()) == [
        f"corroborate-{v}-chrome.zip",
        f"corroborate-{v}-firefox.zip",
    ]
    assert json.loads((EXTENSION / "manifest.json").read_text())["version"] == v  # Load unpacked says the same
    shipped = sorted(p.relative_to(EXTENSION).as_posix() for p in EXTENSION.rglob("*") if p.is_file())
    for browser in ("chrome", "firefox"):
        with zipfile.ZipFile(packages / f"corroborate-{v}-{browser}.zip") as zf:
            files = [n for n in zf.namelist() if not n.endswith("/")]  # web-ext also lists folders
            assert sorted(files) == shipped, browser
            manifest = json.loads(zf.read("manifest.json"))
            assert manifest["version"] == v
            for name in files:
                if name != "manifest.json":
                    assert zf.read(name) == (EXTENSION / name).read_bytes(), name
        if browser == "chrome":
            assert manifest["background"] == {"service_worker": "background.js"}
            assert "browser_specific_settings" not in manifest
        else:
            assert manifest["background"] == {"scripts": ["background.js"]}
            assert manifest["browser_specific_settings"]["gecko"]["id"] == "corroborate@corroborate.invalid"
        assert manifest["commands"]["check-page"]["suggested_key"]["default"] == "Alt+Shift+K"


def test_the_chromium_zip_unpacked_loads_and_checks_a_page(packages, playwright, api, site, tmp_path):
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(packages / f"corroborate-{version()}-chrome.zip") as zf:
        zf.extractall(unpacked)
    context = launch_with_extension(playwright, unpacked, tmp_path / "profile")
    try:
        browser = Browser(context)
        assert browser.worker.url.endswith("/background.js")
        manifest = browser.worker.evaluate("() => chrome.runtime.getManifest()")
        assert manifest["version"] == version()
        page = context.new_page()
        browser.goto(page, f"{site}/seed-002.html")
        state, _ = browser.check(page, apiUrl=api)
        assert state["status"] == "finished", state
        annotations = api_result_for(api, sent_text(browser, page))["annotations"]
        assert len(annotations) >= 15
        assert_marks_match(page, sent_text(browser, page), annotations)
        c = state["counts"]
        assert browser.badge(browser.tab_id(page)) == str(c["contradicted"] + c["mixed"])
    finally:
        context.close()
