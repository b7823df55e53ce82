"""``make loadtest``: load-test the running API (``make run`` in another terminal).

Talks only to 127.0.0.1, is bounded in pages and in time, and stops by itself.

1. Round trip: ``--rounds`` seed pages one after another (POST, then poll until
   finished): p50 and p95 of the time from POST to the result.
2. Throughput: ``--pages`` pages posted at once, then polled until every one
   is finished: jobs per second, and whether any job was lost.
3. Concurrent clients (the default run): ``--clients`` N clients for ``--seconds`` T
   (50 x 60 s), each posting a new page, polling it until it is done, and posting the
   next: jobs/s, round-trip p50/p95/p99, failed and lost jobs (lost must be 0). Jobs
   still running at T are waited for (bounded by ``--max-seconds``).

Every page is a seed report with its paragraphs rotated, so the cache never answers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
LOCAL = {"127.0.0.1", "localhost", "::1"}


class API:
    def __init__(self, base: str, token: str | None):
        parsed = urlparse(base)
        if parsed.scheme != "http" or parsed.hostname not in LOCAL:
            raise SystemExit(f"loadtest: only http://127.0.0.1 is load-tested, not {base}")
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.throttled = 0

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        for attempt in range(2):
            try:
                self.connection.request(
                    method, path, body=None if body is None else json.dumps(body), headers=self.headers
                )
                response = self.connection.getresponse()
                data = response.read()
            except (ConnectionError, http.client.HTTPException, OSError) as error:
                self.connection.close()
                if attempt:
                    raise SystemExit(
                        f"loadtest: no API answers at http://{self.host}:{self.port} ({error}); "
                        "start it with `make run`"
                    ) from None
                continue
            if response.status == 429:  # respect the rate limit rather than count refusals as work
                self.throttled += 1
                time.sleep(float(response.getheader("Retry-After") or 1))
                return self.call(method, path, body)
            return response.status, (json.loads(data) if data else {})
        raise AssertionError("unreachable")


def nonce(number: int | None = None) -> str:
    """Trailing whitespace unique to this moment (and number): a new text for the cache, the same sentences."""
    return "\n" + "".join(" \t"[int(bit)] for bit in bin(time.time_ns() if number is None else number)[2:])


def pages(count: int) -> list[str]:
    seeds = [p.read_text() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    run = nonce()
    if not seeds:
        raise SystemExit("loadtest: no seed pages under seeds/")
    out = []
    for n in range(count):
        paragraphs = [p for p in seeds[n % len(seeds)].split("\n\n") if p.strip()]
        shift = (n // len(seeds)) % len(paragraphs)
        body = paragraphs[:1] + paragraphs[1:][shift:] + paragraphs[1:][:shift]  # keep the headline first
        out.append("\n\n".join(body) + nonce(n) + run)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def round_trips(api: API, rounds: int, deadline: float, page: str | None = None) -> list[float]:
    times = []
    seed = page or pages(1)[0]
    for _n in range(rounds):
        text = seed + nonce()  # a text the cache has not seen
        started = time.perf_counter()
        status, body = api.call("POST", "/api/v1/annotations", {"text": text})
        if status not in (200, 202):
            raise SystemExit(f"loadtest: POST refused: {status} {body}")
        while body.get("status") not in ("finished", "failed"):
            if time.monotonic() > deadline:
                raise SystemExit("loadtest: time is up during the round-trip test")
            time.sleep(0.02)
            status, body = api.call("GET", f"/api/v1/annotations/{body['id']}")
            if status != 200:
                raise SystemExit(f"loadtest: job {body} lost ({status})")
        if body["status"] == "failed":
            raise SystemExit(f"loadtest: a job failed: {body.get('error')}")
        times.append(time.perf_counter() - started)
    return times


def throughput(api: API, count: int, deadline: float) -> dict:
    texts = pages(count)
    started = time.perf_counter()
    ids = []
    for text in texts:
        status, body = api.call("POST", "/api/v1/annotations", {"text": text})
        if status not in (200, 202):
            raise SystemExit(f"loadtest: POST refused: {status} {body}")
        ids.append(body["id"])
    submitted = time.perf_counter() - started
    outstanding = list(dict.fromkeys(ids))
    finished: dict[str, float] = {}
    failed, lost = [], []
    while outstanding and time.monotonic() < deadline:
        # FIFO queue: the oldest jobs finish first, so poll only the head of the line
        for job_id in outstanding[:4]:
            status, body = api.call("GET", f"/api/v1/annotations/{job_id}")
            if status == 404:
                lost.append(job_id)
            elif body["status"] == "finished":
                finished[job_id] = time.perf_counter()
            elif body["status"] == "failed":
                failed.append(job_id)
            else:
                continue
            outstanding.remove(job_id)
        time.sleep(0.1)
    elapsed = (max(finished.values()) if finished else time.perf_counter()) - started
    return {
        "pages": count,
        "distinct_jobs": len(set(ids)),
        "finished": len(finished),
        "failed": len(failed),
        "lost": len(lost),
        "unfinished": len(outstanding),
        "seconds": elapsed,
        "submit_seconds": submitted,
        "jobs_per_second": len(finished) / elapsed if elapsed else 0.0,
    }


def clients(base: str, token: str | None, count: int, seconds: float, deadline: float) -> dict:
    """``count`` clients for ``seconds``: each posts a new page, polls it to the end, and posts the next."""
    texts = pages(max(count, 5))
    lock = threading.Lock()
    stats = {"times": [], "finished": 0, "failed": 0, "lost": 0, "unfinished": 0, "posted": 0, "throttled": 0}
    stop_posting = time.monotonic() + seconds

    def client(number: int) -> None:
        api = API(base, token)
        n = 0
        while time.monotonic() < stop_posting:
            text = texts[number % len(texts)] + nonce(number * 1_000_000 + n)
            n += 1
            started = time.perf_counter()
            status, body = api.call("POST", "/api/v1/annotations", {"text": text})
            if status not in (200, 202):
                with lock:
                    stats["failed"] += 1
                continue
            with lock:
                stats["posted"] += 1
            outcome = "unfinished"
            while time.monotonic() < deadline:
                if body.get("status") == "finished":
                    outcome = "finished"
                    break
                if body.get("status") == "failed":
                    outcome = "failed"
                    break
                time.sleep(0.25)
                status, body = api.call("GET", f"/api/v1/annotations/{body['id']}")
                if status == 404:
                    outcome = "lost"
                    break
            with lock:
                stats[outcome] += 1
                if outcome == "finished":
                    stats["times"].append(time.perf_counter() - started)
        with lock:
            stats["throttled"] += api.throttled

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.1, deadline - time.monotonic() + 5))
    stats["seconds"] = time.perf_counter() - started
    stats["jobs_per_second"] = stats["finished"] / stats["seconds"] if stats["seconds"] else 0.0
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("CORROBORATE_API", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=os.environ.get("CORROBORATE_API_TOKEN"))
    parser.add_argument("--rounds", type=int, default=0, help="sequential round trips first (e.g. 20)")
    parser.add_argument(
        "--page",
        type=Path,
        default=None,
        help="a .txt page for the round trips instead of seed 000 (seed sentences are already embedded)",
    )
    parser.add_argument("--pages", type=int, default=0, help="pages posted at once for the throughput test (e.g. 200)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50; 0 skips)")
    parser.add_argument("--seconds", type=float, default=60, help="how long the clients post pages (default 60)")
    parser.add_argument("--max-seconds", type=float, default=600, help="stop after this long, whatever happens")
    args = parser.parse_args(argv)
    if not (0 <= args.rounds <= 1000 and 0 <= args.pages <= 5000 and 0 <= args.clients <= 500):
        raise SystemExit("loadtest: keep --rounds <= 1000, --pages <= 5000 and --clients <= 500")
    if not 0 < args.seconds <= 3600:
        raise SystemExit("loadtest: keep 0 < --seconds <= 3600")
    deadline = time.monotonic() + args.max_seconds

    api = API(args.url, args.token)
    status, health = api.call("GET", "/api/v1/health")
    if status != 200:
        raise SystemExit(f"loadtest: the API is not healthy: {status} {health}")
    workers = health["workers"]
    print(
        f"API {args.url}: {workers} worker(s), {health['queue']['queued']} page(s) queued, "
        f"corpus {health['corpus']['name']!r}"
    )
    if not workers:
        raise SystemExit("loadtest: no worker is running (make run starts one)")

    if args.rounds:
        times = round_trips(api, args.rounds, deadline, args.page.read_text() if args.page else None)
        what = args.page.name if args.page else "one seed page"
        print(
            f"round trip, {what} at a time ({len(times)} pages): "
            f"p50 {percentile(times, 0.5) * 1000:.0f} ms, p95 {percentile(times, 0.95) * 1000:.0f} ms, "
            f"mean {statistics.mean(times) * 1000:.0f} ms"
        )
    if args.pages:
        stats = throughput(api, args.pages, deadline)
        print(
            f"throughput, {stats['pages']} pages posted at once, {workers} worker(s): "
            f"{stats['jobs_per_second']:.2f} jobs/s ({stats['finished']} finished in {stats['seconds']:.1f} s; "
            f"posting took {stats['submit_seconds']:.1f} s)"
        )
        lost = stats["lost"] + stats["unfinished"] + stats["failed"]
        print(
            "no job lost"
            if not lost and stats["finished"] == stats["distinct_jobs"] == stats["pages"]
            else f"JOBS LOST: {stats['lost']} vanished, {stats['failed']} failed, {stats['unfinished']} unfinished"
        )
        if lost:
            return 1
    if args.clients:
        stats = clients(args.url, args.token, args.clients, args.seconds, deadline)
        times = stats["times"] or [0.0]
        print(
            f"{args.clients} clients for {args.seconds:.0f} s, {workers} worker(s): "
            f"{stats['jobs_per_second']:.2f} jobs/s ({stats['finished']} finished in {stats['seconds']:.1f} s); "
            f"round trip p50 {percentile(times, 0.5):.2f} s, p95 {percentile(times, 0.95):.2f} s, "
            f"p99 {percentile(times, 0.99):.2f} s"
        )
        print(
            f"posted {stats['posted']}, finished {stats['finished']}, failed {stats['failed']}, "
            f"lost {stats['lost'] + stats['unfinished']} (vanished {stats['lost']}, unfinished {stats['unfinished']}); "
            f"{stats['throttled']} answer(s) of 429"
        )
        if stats["lost"] or stats["unfinished"] or stats["failed"]:
            return 1
    if api.throttled:
        print(f"(the rate limit held back {api.throttled} request(s); raise CORROBORATE_RATE_LIMIT* to measure more)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
