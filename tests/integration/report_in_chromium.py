"""Open a `corroborate report` HTML file in real headless Chromium and print what it shows, as JSON.

Run as its own process by tests/integration/test_report.py, so it never shares Playwright's
event loop with other browser tests in the same pytest session:

    python tests/integration/report_in_chromium.py report.html
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from workers.labels import LABELS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from corroborate_testing import CHROMIUM_ARGS  # noqa: E402 - run as a script: found through the path set above

CHROMIUM = "/usr/bin/chromium"  # the system browser; Playwright never downloads one here
STYLES = {
    "corroborated": ("background-color", "box-shadow"),
    "mixed": ("background-color", "box-shadow"),
    "contradicted": ("background-color", "box-shadow"),
    "unverified": ("background-color", "text-decoration-style"),
}


def observe(report: Path) -> dict:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(report.resolve().as_uri())
        seen = {
            "title": page.title(),
            "marks": {label: page.locator(f".page-text .claim.{label}").count() for label in LABELS},
            "summary_rows": page.locator("table.summary tbody tr").count(),
            "scripts_and_images": page.locator("script, img").count(),
            "styles": {
                label: {
                    prop: page.locator(f".page-text .claim.{label}").first.evaluate(
                        f"(el) => getComputedStyle(el).getPropertyValue('{prop}')"
                    )
                    for prop in props
                }
                for label, props in STYLES.items()
            },
        }
        last = page.locator("section.page").last
        mark = last.locator(".claim.mixed").first
        evidence = mark.locator(".evidence")
        seen["last_page_text"] = last.locator(".page-text").inner_text()
        seen["evidence_visible_before_hover"] = evidence.is_visible()
        mark.hover()
        seen["evidence_visible_on_hover"] = evidence.is_visible()
        seen["evidence_on_hover"] = evidence.inner_text()
        page.mouse.move(0, 0)
        focused = page.locator(".page-text .claim.corroborated").first
        focused.focus()
        seen["evidence_visible_on_focus"] = focused.locator(".evidence").is_visible()
        seen["evidence_on_focus"] = focused.locator(".evidence").inner_text()
        seen["requests"] = requested
        browser.close()
    return seen


if __name__ == "__main__":
    print(json.dumps(observe(Path(sys.argv[1]))))
