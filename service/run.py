"""``make run``: the API (gunicorn) and a worker, on the Redis at ``REDIS_URL``.

If no Redis answers there and ``redis-server`` is on the PATH, one is started
for the run (data under ``.run/redis``); otherwise this says how to get one.
Ctrl-C stops everything it started.

Environment: ``REDIS_URL`` (default redis://127.0.0.1:6379/0), ``CORROBORATE_BIND``
(default 127.0.0.1:8000), ``CORROBORATE_WORKERS`` (RQ workers, default 1),
``CORROBORATE_WEB_WORKERS`` (gunicorn processes, default 2), and everything
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


def stop(processes: list[subprocess.Popen], grace: float = 15.0) -> None:
    """SIGTERM everything still running (workers finish their job), then SIGKILL what lingers."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
    processes: list[subprocess.Popen] = []
    owned_redis: list[subprocess.Popen] = []
    try:
        if not redis_answers(url):
            started = start_redis(url, owned_redis)
            if started is None:
                print(HOW_TO_GET_REDIS.format(where=where), file=sys.stderr)
                return 1
        for _ in range(workers):
            processes.append(
                subprocess.Popen(
                    worker_command() + ["--quiet"], cwd=ROOT, stdin=subprocess.DEVNULL, start_new_session=True
                )
            )
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--bind",
                    bind,
                    "--workers",
                    web_workers,
                    "--threads",
                    "4",
                    "--graceful-timeout",
                    "10",
                    "service:create_app()",
                ],
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        say(f"API on http://{bind}/api/v1/health, {workers} worker(s), Redis at {where}. Ctrl-C stops all.")
        while True:
            for process in processes:
                if process.poll() is not None:
                    say(f"{' '.join(process.args[:3])} exited with code {process.returncode}; stopping")
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        say("stopping")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not orphan anything
        stop(processes)
        stop(owned_redis)


if __name__ == "__main__":
    sys.exit(main())
