"""Render docs/report.png: a batch report in headless Chromium, one contested claim hovered.

    .venv/bin/corroborate batch --in-process seeds tests/data/planted --out /tmp/results.jsonl
    .venv/bin/corroborate report /tmp/results.jsonl --out /tmp/report.html
    .venv/bin/python docs/screenshot_report.py /tmp/report.html docs/report.png

Uses the system Chromium (/usr/bin/chromium); Playwright never downloads a browser here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from corroborate_testing import CHROMIUM_ARGS as ARGS  # noqa: E402 - found through the path set above


def main(report: str, png: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1650}, device_scale_factor=1)
        page.goto(Path(report).resolve().as_uri())
        contested = page.locator(".page-text .claim.mixed, .page-text .claim.contradicted").first
        contested.scroll_into_view_if_needed()
        contested.hover()
        page.screenshot(path=png)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
