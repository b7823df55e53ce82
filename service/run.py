"""``make run``: the API (gunicorn) and a worker, on the Redis at ``REDIS_URL``.

If no Redis answers there and ``redis-server`` is on the PATH, one is started
for the run (data under ``.run/redis``); otherwise this says how to get one.
Ctrl-C stops everything it started.

It supervises its children: a worker that exits is started again, after 1 s, then
2, 4, ... up to 30 s while it keeps exiting within a minute, with a line saying so.
Every child gets a death signal (Linux), so even SIGKILL to this process stops them;
on shutdown a worker finishes its job for up to ``GRACE`` seconds, then it is killed
(the job is retried by the next worker).

Environment: ``REDIS_URL`` (default redis://127.0.0.1:6379/0), ``CORROBORATE_BIND``
(default 127.0.0.1:8000), ``CORROBORATE_WORKERS`` (RQ workers, default 1),
``CORROBORATE_WEB_WORKERS`` (gunicorn processes, default 2), ``CORROBORATE_SHUTDOWN_GRACE``
(seconds a worker may finish its job on shutdown, default 15), and everything
``service.create_app`` reads.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from workers import queue
from workers.config import DEFAULT_REDIS_URL
from workers.lifecycle import die_with_parent

ROOT = Path(__file__).resolve().parent.parent
RUN_DIR = Path(os.environ.get("CORROBORATE_RUN_DIR", ROOT / ".run"))
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

HOW_TO_GET_REDIS = """\
make run: no Redis answers at {where}, and there is no redis-server on the PATH to start one.
Get Redis in one of these ways, then run `make run` again:
  Debian/Ubuntu:  sudo apt-get install redis-server
  macOS:          brew install redis && brew services start redis
  Docker:         docker run -d -p 6379:6379 redis:7
or point REDIS_URL at a Redis you already have, e.g.
  REDIS_URL=redis://my-redis-host:6379/0 make run"""


def say(message: str) -> None:
    print(f"make run: {message}", file=sys.stderr, flush=True)


def redis_answers(url: str) -> bool:
    try:
        return bool(queue.connect(url, timeout=0.5).ping())
    except queue.ResponseError:  # e.g. needs a password: a Redis is there
        return True
    except queue.RedisError:  # nothing, or something that is not Redis
        return False


def start_redis(url: str, owned: list[subprocess.Popen]) -> subprocess.Popen | None:
    """Start a redis-server for this run when the URL points at this machine and none answers."""
    parsed = urlparse(url)
    server = shutil.which("redis-server")
    if server is None or parsed.scheme != "redis" or (parsed.hostname or "127.0.0.1") not in LOCAL_HOSTS:
        return None
    data = RUN_DIR / "redis"
    data.mkdir(parents=True, exist_ok=True)
    port = parsed.port or 6379
    say(f"no Redis answers at {parsed.hostname}:{port}; starting redis-server (data in {data})")
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(data),
            "--save",
            "60 1",
            "--appendonly",
            "no",
            "--logfile",
            str(data / "redis.log"),
        ],
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=die_with_parent,
    )
    owned.append(process)  # stopped by main() whatever happens next
    for _ in range(50):
        if redis_answers(url):
            return process
        if process.poll() is not None:
            break
        time.sleep(0.1)
    say(f"redis-server did not start; see {data / 'redis.log'}")
    raise SystemExit(1)


def worker_command() -> list[str]:
    script = Path(sys.executable).with_name("corroborate")
    return [str(script), "worker"] if script.exists() else [sys.executable, "-m", "workers.cli", "worker"]


GRACE = 15.0
MAX_BACKOFF = 30.0
LIMIT_REQUEST_LINE = 0  # gunicorn: up to 1 MB; the app answers a URL over its own limit with a JSON 414


def gunicorn_command(bind: str, web_workers: str | int) -> list[str]:
    """The API server `make run` starts (the tests start the same one)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        bind,
        "--workers",
        str(web_workers),
        "--threads",
        "4",
        "--graceful-timeout",
        "10",
        "--limit-request-line",
        str(LIMIT_REQUEST_LINE),
        "service:create_app()",
    ]


def spawn(command: list[str]) -> subprocess.Popen:
    """A child in its own process group (Ctrl-C reaches this process only) that dies with this process."""
    return subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=die_with_parent
    )


def stop(processes: list[subprocess.Popen], grace: float = GRACE) -> None:
    """SIGTERM everything still running (workers finish their job), then SIGKILL what lingers, group and all."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)  # its own group, and anything it started
            except ProcessLookupError:
                pass
            process.kill()
            process.wait()


class Supervised:
    """One worker slot: started again when its process exits, with a growing pause if it keeps exiting."""

    def __init__(self, command: list[str], number: int):
        self.command, self.number = command, number
        self.process = spawn(command)
        self.started = time.monotonic()
        self.backoff = 1.0
        self.restart_at: float | None = None

    def check(self) -> None:
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.process, self.started, self.restart_at = spawn(self.command), now, None
                say(f"worker {self.number} started again (pid {self.process.pid})")
            return
        if self.process.poll() is None:
            return
        if now - self.started > 60:  # it ran a good while: start again soon
            self.backoff = 1.0
        say(
            f"worker {self.number} (pid {self.process.pid}) exited with code {self.process.returncode}; "
            f"starting it again in {self.backoff:.0f} s"
        )
        self.restart_at = now + self.backoff
        self.backoff = min(MAX_BACKOFF, self.backoff * 2)


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    url = os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    bind = os.environ.get("CORROBORATE_BIND", "127.0.0.1:8000")
    workers = int(os.environ.get("CORROBORATE_WORKERS", "1"))
    web_workers = os.environ.get("CORROBORATE_WEB_WORKERS", "2")
    # Workers sharing this machine share its cores: each gets cores / workers intra-op threads (at least 1).
    os.environ.setdefault("CORROBORATE_THREADS", str(max(1, (os.cpu_count() or 1) // max(1, workers))))
    where = "{}:{}".format(urlparse(url).hostname or "127.0.0.1", urlparse(url).port or 6379)

    def on_term(signum, frame):
        raise KeyboardInterrupt

    # Children run in their own process groups: Ctrl-C reaches this process only, which
    # stops the API and the workers first (a worker finishes its job) and Redis last.
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    slots: list[Supervised] = []
    api: list[subprocess.Popen] = []
    owned_redis: list[subprocess.Popen] = []
    try:
        if not redis_answers(url):
            started = start_redis(url, owned_redis)
            if started is None:
                print(HOW_TO_GET_REDIS.format(where=where), file=sys.stderr)
                return 1
        slots.extend(Supervised(worker_command() + ["--quiet"], n + 1) for n in range(workers))
        api.append(spawn(gunicorn_command(bind, web_workers)))
        say(f"API on http://{bind}/api/v1/health, {workers} worker(s), Redis at {where}. Ctrl-C stops all.")
        while True:
            for slot in slots:
                slot.check()
            if api[0].poll() is not None:
                say(f"the API server (gunicorn) exited with code {api[0].returncode}; stopping")
                return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        say("stopping")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not orphan anything
        stop(api + [slot.process for slot in slots], grace=float(os.environ.get("CORROBORATE_SHUTDOWN_GRACE", GRACE)))
        stop(owned_redis)


if __name__ == "__main__":
    sys.exit(main())
