"""Browser tests of the extension: real Chromium, real API (gunicorn), real RQ worker, real Redis.

Redis database 14 is this suite's own: flushed when the session starts and when it ends,
never any other. Test articles are served over HTTP from 127.0.0.1 by a small server in
this process. Chromium is Debian's (/usr/bin/chromium); Playwright never downloads one.

How a test clicks the toolbar button: the Chrome DevTools Protocol's
`Extensions.triggerAction` runs the extension's action on a tab exactly as a click would,
which grants `activeTab` for that tab. The test then calls `checkTab(tabId)` in the
service worker, the hook the toolbar popup and the context menu use.
"""

from __future__ import annotations

import html
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from corroborate_ext import (
    CHROMIUM,
    EXT_ADMIN_TOKEN,
    EXT_API_TOKEN,
    EXT_REDIS_URL,
    EXTENSION,
    ROOT,
    Browser,
    emoji_article_html,
    free_port,
    get_json,
    huge_article_html,
    launch_with_extension,
    seed_article_html,
)
from corroborate_testing import clean_database


def _stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def _start_gunicorn(port: int, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--graceful-timeout",
            "5",
            "service:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _wait_health(base: str, processes: list[subprocess.Popen], need_worker: bool, limit: float = 90.0) -> None:
    deadline = time.monotonic() + limit
    last = None
    while time.monotonic() < deadline:
        for p in processes:
            if p.poll() is not None:
                raise RuntimeError(f"{p.args[:3]} exited with {p.returncode}")
        try:
            last = get_json(base + "/api/v1/health")
            if not need_worker or last.get("workers", 0) >= 1:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"API at {base} not ready: {last}")


@pytest.fixture(scope="session")
def ext_redis():
    yield from clean_database(EXT_REDIS_URL)


@pytest.fixture(scope="session")
def api_env(ext_redis):
    env = dict(os.environ)
    for key in ("CORROBORATE_API_TOKEN", "CORROBORATE_CORS_ORIGINS"):
        env.pop(key, None)
    env.update(
        REDIS_URL=EXT_REDIS_URL,
        CORROBORATE_ADMIN_TOKEN=EXT_ADMIN_TOKEN,
        CORROBORATE_CORPUS="seeds",
        CORROBORATE_RATE_LIMIT_ENABLED="0",
        HF_HUB_OFFLINE="1",
    )
    return env


@pytest.fixture(scope="session")
def api_stack(api_env, tmp_path_factory):
    """The real API (gunicorn, `service:create_app()`) and one real `corroborate worker`:
    yields (base URL, worker process)."""
    logs = tmp_path_factory.mktemp("api-logs")
    from service.run import worker_command

    worker = subprocess.Popen(
        [*worker_command(), "--quiet"],
        cwd=ROOT,
        env=api_env,
        stdin=subprocess.DEVNULL,
        stdout=(logs / "worker.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    port = free_port()
    web = _start_gunicorn(port, api_env, logs / "api.log")
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_health(base, [worker, web], need_worker=True)
        yield base, worker
    except RuntimeError as err:
        pytest.fail(
            f"{err}\n--- api.log\n{(logs / 'api.log').read_text()[-3000:]}\n--- worker.log\n"
            f"{(logs / 'worker.log').read_text()[-3000:]}"
        )
    finally:
        _stop([web, worker])


@pytest.fixture(scope="session")
def api(api_stack):
    """The base URL of the real API (with its worker running)."""
    return api_stack[0]


@pytest.fixture
def paused_worker(api_stack):
    """Pause the worker (SIGSTOP) so that jobs stay queued; resume() or the fixture's end continues it."""
    worker = api_stack[1]

    class Pause:
        def __init__(self):
            worker.send_signal(signal.SIGSTOP)
            self.paused = True

        def resume(self):
            if self.paused:
                worker.send_signal(signal.SIGCONT)
                self.paused = False

    pause = Pause()
    try:
        yield pause
    finally:
        pause.resume()


@pytest.fixture(scope="session")
def api_with_token(api, api_env, tmp_path_factory):
    """A second API process on the same Redis and worker that requires CORROBORATE_API_TOKEN."""
    logs = tmp_path_factory.mktemp("api-token-logs")
    env = dict(api_env, CORROBORATE_API_TOKEN=EXT_API_TOKEN)
    port = free_port()
    web = _start_gunicorn(port, env, logs / "api.log")
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if web.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {web.returncode}")
            try:
                urllib.request.urlopen(base + "/api/v1/health", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # 401 without the token: it is up
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        _stop([web])


# ---------------------------------------------------------------- test articles


class _Pages(BaseHTTPRequestHandler):
    pages: dict[str, str] = {}

    def do_GET(self):  # noqa: N802 - the name http.server calls
        path = self.path.split("?")[0]
        body = self.pages.get(path)
        if body is None and path.startswith("/fresh/"):
            # The seed article with one more sentence: a text the API has not seen (no cache hit).
            edition = html.escape(path[len("/fresh/") :].removesuffix(".html"))
            body = self.pages["/seed-002.html"].replace(
                "</article>", f"<p>This edition, number {edition}, was printed on Friday.</p></article>"
            )
        if body is None:
            self.send_error(404)
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site():
    """Test articles over HTTP on 127.0.0.1; yields the base URL."""
    _Pages.pages = {
        "/seed-002.html": seed_article_html(),
        "/emoji.html": emoji_article_html(),
        "/huge.html": huge_article_html(),
    }
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------- Chromium with the extension


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the session (its sync API allows one at a time); it drives Debian's Chromium."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium, or `make install`)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright, tmp_path_factory):
    context = launch_with_extension(playwright, EXTENSION, tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield Browser(context)
    finally:
        context.close()


@pytest.fixture
def page(browser):
    page = browser.context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.page_errors = errors
    yield page
    page.close()


@pytest.fixture(scope="session")
def npx():
    return shutil.which("npx")
