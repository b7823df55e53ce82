"""Helpers for the extension's browser tests: constants, test articles, the Browser driver."""

from __future__ import annotations

import html
import json
import os
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

from corroborate_testing import CHROMIUM_ARGS, free_port, test_redis_url

__all__ = ["free_port"]  # the tests import it from here

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
SEEDS = ROOT / "seeds"
CHROMIUM = os.environ.get("CORROBORATE_CHROMIUM", "/usr/bin/chromium")
EXT_REDIS_URL = test_redis_url(14)
EXT_ADMIN_TOKEN = "extension-tests-admin-token"
EXT_API_TOKEN = "extension-tests-api-token"

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def get_json(url: str, timeout: float = 2.0) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return json.load(resp)


def api_json(base: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    """One call to the API (POST when ``body`` is given); returns (status, JSON body)."""
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def add_hostile_report(base: str, name: str, markup: str, source: str) -> dict:
    """Add a report whose title and text carry ``markup`` (it must reach a page only as text); returns it."""
    doc = {
        "title": f"{name} {markup}",
        "text": f"{name} {markup}\nOfficials said {markup} a Russian delegation arrived at the U.S. consul "
        "general's residence in Istanbul on Thursday for talks with American officials.\n",
        "source": source,
    }
    status, created = api_json(base, "/api/v1/documents", doc, token=EXT_ADMIN_TOKEN)
    assert status == 201, created
    return created


# ---------------------------------------------------------------- API + worker
def _esc(text: str) -> str:
    return html.escape(text, quote=False)


PAGE_STYLE = """
  body { font: 18px/1.6 Georgia, serif; max-width: 760px; margin: 0 auto; padding: 0 20px; color: #222; }
  nav, aside, footer { font: 14px/1.4 Arial, sans-serif; color: #555; }
  nav a { margin-right: 12px; }
  /* Page styles that would clash with naive highlighting: */
  mark { background: yellow; color: red; font-weight: bold; }
  div, span { box-sizing: content-box; }
  figcaption { font-size: 14px; color: #666; }
"""

# Planted detail for the seed article: 004 says the talks lasted six hours.
PLANTED = ("for talks with American officials", "for four hours of talks with American officials")


def seed_article_html() -> str:
    """Seed report 002 as a news page: title in <h1>, caption in <figcaption>, paragraphs in <p>,
    phrases in <em>, <a> and <strong>, one sentence split over several text nodes; navigation,
    a "Read next" box and a footer outside the <article>. One detail is planted (PLANTED)."""
    seed = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    lines = [line.strip() for line in seed.splitlines() if line.strip()]
    title, caption, paragraphs = lines[0], lines[1], lines[2:]
    body = []
    for i, para in enumerate(paragraphs):
        h = _esc(para)
        if i == 0:
            h = h.replace(_esc(PLANTED[0]), _esc(PLANTED[1]))
            h = h.replace("U.S. consul general's residence", "<em>U.S. consul general's residence</em>", 1)
            h = h.replace(
                "American officials",
                '<a href="https://example.org/officials" id="officials-link">American officials</a>',
                1,
            )
        elif i == 2:
            h = h.replace(
                "Kremlin spokesman Dmitry Peskov",
                '<a href="https://example.org/peskov"><strong>Kremlin spokesman</strong> Dmitry Peskov</a>',
                1,
            )
        elif i == 3:
            # Several text nodes (split by comments and a <span>) inside one sentence.
            h = h.replace("talks in Riyadh marked", "talks in <!-- a -->Riyadh <!-- b --> marked", 1)
            h = h.replace("foreign policy", '<span class="x">foreign</span> policy', 1)
        body.append(f"    <p>{h}</p>")
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{_esc(title)} | Daily Test News</title>
  <style>{PAGE_STYLE}</style>
</head>
<body>
  <nav><a href="/">Home</a><a href="/world">World</a><a href="/sport">Sport</a></nav>
  <article>
    <h1>{_esc(title)}</h1>
    <figure><figcaption>{_esc(caption)}</figcaption></figure>
{chr(10).join(body)}
  </article>
  <aside><h2>Read next</h2><ul><li><a href="/a">Markets rally on Friday</a></li><li><a href="/b">Storm hits the coast</a></li></ul></aside>
  <footer>© Daily Test News. What is your opinion on this topic?</footer>
</body>
</html>
"""


EMOJI_PARAGRAPHS = [
    "🇹🇷🇺🇸🇷🇺 Живой репортаж: переговоры в Стамбуле. 北京和东京的观察人士密切关注。 👩‍👩‍👧‍👦🎉",
    "Обновлено 😀 в 10:00. A Russian delegation arrived at the U.S. consul general's residence in Istanbul on "
    "Thursday for talks with American officials to address diplomatic disputes over their embassies in Washington "
    "and Moscow.",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✨ 伊斯坦布尔。 Kremlin spokesman Dmitry Peskov said that the talks in Istanbul followed an understanding "
    "reached during President Donald Trump's call with Russian President Vladimir Putin on Feb. 12.",
    "مرحبا بكم 🌍. Ukraine and its European allies, meanwhile, are worried that Trump's push to end the conflict "
    "swiftly could lead to a deal with Moscow that sidelines them and undermines their security.",
]


def emoji_article_html() -> str:
    """Claims from the seed corpus preceded by emoji (astral, flags, ZWJ sequences), Cyrillic, CJK,
    Arabic and mathematical letters: every one is two UTF-16 units or more per character."""
    paras = "\n".join(f"    <p>{_esc(p)}</p>" for p in EMOJI_PARAGRAPHS)
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Emoji 🎉 and non-Latin text before claims</title><style>{PAGE_STYLE}</style></head>
<body>
  <main>
    <h1>🇹🇷 Стамбул · 伊斯坦布尔 · Istanbul</h1>
{paras}
  </main>
</body>
</html>
"""


def launch_with_extension(playwright, extension: Path, user_data: Path):
    """Debian's Chromium with the unpacked extension at ``extension`` (and no other) loaded."""
    return playwright.chromium.launch_persistent_context(
        str(user_data),
        executable_path=CHROMIUM,
        headless=True,
        viewport={"width": 1100, "height": 760},
        args=[
            *CHROMIUM_ARGS,
            "--enable-unsafe-extension-debugging",
            f"--disable-extensions-except={extension}",
            f"--load-extension={extension}",
        ],
    )


class Browser:
    """Chromium with the unpacked extension, its service worker, and a browser-level CDP session."""

    def __init__(self, context):
        self.context = context
        self.worker = (
            context.service_workers[0]
            if context.service_workers
            else context.wait_for_event("serviceworker", timeout=20000)
        )
        self.extension_id = self.worker.url.split("/")[2]
        self.cdp = context.browser.new_browser_cdp_session()

    def tab_id(self, page) -> int:
        """The extension's tab id for ``page`` (the worker sees no URLs without the `tabs` permission,
        so the page is brought to the front and the active tab is taken)."""
        page.bring_to_front()
        ids = self.worker.evaluate(
            "async () => (await chrome.tabs.query({active: true, lastFocusedWindow: true})).map(t => t.id)"
        )
        assert len(ids) == 1, ids
        return ids[0]

    def click_action(self, page) -> None:
        """What a click on the toolbar button does (it grants activeTab on the page's tab)."""
        targets = self.cdp.send("Target.getTargets", {"filter": [{"type": "tab"}]})["targetInfos"]
        matching = [t for t in targets if t["url"] == page.url]
        assert len(matching) == 1, ("open each page at a URL of its own (Browser.goto)", page.url, targets)
        self.cdp.send("Extensions.triggerAction", {"id": self.extension_id, "targetId": matching[0]["targetId"]})
        # The grant is asynchronous: wait until the extension can read the tab.
        tab = self.tab_id(page)
        deadline = time.monotonic() + 5
        while not self.worker.evaluate(
            """(t) => chrome.scripting.executeScript({target: {tabId: t}, func: () => true})
                        .then(() => true, () => false)""",
            tab,
        ):
            assert time.monotonic() < deadline, "activeTab was not granted"
            time.sleep(0.05)

    def goto(self, page, url: str) -> None:
        """Open ``url`` in ``page`` at an address of its own (a unique query), so that its tab is told apart."""
        page.goto(f"{url}{'&' if '?' in url else '?'}tab={time.time_ns()}")

    def settings(self, **values) -> None:
        self.worker.evaluate(
            "async (v) => { await chrome.storage.local.clear(); await chrome.storage.local.set(v); }", values
        )

    def check(self, page, **settings) -> tuple[dict, float]:
        """Click the toolbar button on ``page`` and run checkTab; returns (state, seconds)."""
        self.settings(**settings)
        tab = self.tab_id(page)
        self.click_action(page)
        t0 = time.monotonic()
        state = self.worker.evaluate("(t) => checkTab(t)", tab)
        return state, time.monotonic() - t0

    def start_check(self, page, **settings) -> int:
        """Click the toolbar button on ``page`` and start checkTab without waiting; returns the tab id."""
        self.settings(**settings)
        tab = self.tab_id(page)
        self.click_action(page)
        self.worker.evaluate("(t) => { checkTab(t); return true; }", tab)
        return tab

    def badge(self, tab: int) -> str:
        return self.worker.evaluate("(t) => chrome.action.getBadgeText({tabId: t})", tab)

    def in_content(self, page, method: str, arg=None):
        """Call ``globalThis.__corroborate[method](arg)`` in the content script's world of ``page``
        (MV3 content scripts cannot eval, so a method name, not an expression)."""
        tab = self.tab_id(page)
        return self.worker.evaluate(
            """async ([tab, method, arg]) => {
                 const [r] = await chrome.scripting.executeScript({target: {tabId: tab},
                   func: (m, a) => globalThis.__corroborate[m](a), args: [method, arg]});
                 return r.result;
               }""",
            [tab, method, arg],
        )

    def popup(self, page):
        """The toolbar popup for ``page``'s tab, opened as a page (popup.html?tab=<id>)."""
        tab = self.tab_id(page)
        popup = self.context.new_page()
        popup.goto(f"chrome-extension://{self.extension_id}/popup.html?tab={tab}")
        return popup


def marks_by_index(page) -> dict[int, dict]:
    """{index: {"label", "labels", "text", "count"}} for every mark on the page, in document order."""
    rows = page.evaluate(
        """() => [...document.querySelectorAll('[data-corroborate-index]')].map(m => [
             Number(m.getAttribute('data-corroborate-index')), m.getAttribute('data-corroborate-label'), m.textContent])"""
    )
    out: dict[int, dict] = {}
    for index, label, text in rows:
        entry = out.setdefault(index, {"labels": set(), "text": "", "count": 0})
        entry["labels"].add(label)
        entry["text"] += text
        entry["count"] += 1
    for entry in out.values():
        entry["label"] = next(iter(entry["labels"])) if len(entry["labels"]) == 1 else None
    return out


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def utf16_slice(text: str, start: int, end: int) -> str:
    """text[start:end] in UTF-16 code units, as JavaScript (and start_utf16/end_utf16) count."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def huge_article_html(characters: int = 520_000) -> str:
    """An article longer than the API accepts (500,000 characters)."""
    sentence = "The committee met again on Tuesday to discuss the annual budget of the city library. "
    paragraph = sentence * 10
    count = characters // len(paragraph) + 1
    paras = "\n".join(f"<p>{paragraph}</p>" for _ in range(count))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A very long page</title></head>'
        f"<body><article><h1>A very long page</h1>{paras}</article></body></html>"
    )
