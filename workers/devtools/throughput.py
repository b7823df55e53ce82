"""Batch throughput with 1 and 2 workers on a 200-page set (issue 11): pages/s through the queue.

    .venv/bin/python -m workers.devtools.throughput --redis-url redis://127.0.0.1:6379/9 --workers 1 2

The pages are the story pages of tests/data/stories and the seeds, each made new with a
different ending on every claim (so no cache answers and no sentence was seen before);
the corpus is the seeds. Each run starts N ``corroborate worker`` processes with
``CORROBORATE_THREADS`` = cores / N, waits until they are ready, times ``corroborate batch``
over the pages, then stops them. The Redis database given is flushed before each run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from workers.devtools.bench import fresh_page

ROOT = Path(__file__).resolve().parents[2]


def make_pages(folder: Path, count: int) -> int:
    sources = sorted((ROOT / "tests/data/stories").glob("*/pages/*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))
    texts = [p.read_text() for p in sources]
    words = 0
    for n in range(count):
        text = fresh_page(texts[n % len(texts)], 1000 + n)
        (folder / f"page{n:03d}.txt").write_text(text)
        words += len(text.split())
    return words


def run(url: str, workers: int, pages: Path, out: Path) -> float:
    redis.Redis.from_url(url).flushdb()
    env = dict(os.environ, REDIS_URL=url, HF_HUB_OFFLINE="1")
    env["CORROBORATE_THREADS"] = str(max(1, (os.cpu_count() or 1) // workers))
    cli = [str(Path(sys.executable).parent / "corroborate")]
    procs = [
        subprocess.Popen(cli + ["worker", "--quiet"], env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for _ in range(workers)
    ]
    try:
        for p in procs:  # "ready on ..." once the engine is loaded
            for line in p.stderr:
                if "ready on" in line:
                    break
        began = time.perf_counter()
        subprocess.run(
            cli + ["batch", str(pages), "--out", str(out)], env=env, cwd=ROOT, check=True, capture_output=True
        )
        return time.perf_counter() - began
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url", required=True, help="a database this may flush")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        words = make_pages(folder, args.pages)
        print(f"{args.pages} pages, {words / args.pages:.0f} words on average; load {os.getloadavg()[0]:.2f}")
        rates = {}
        for n in args.workers:
            seconds = run(args.redis_url, n, folder, Path(tmp) / f"out{n}.jsonl")
            rates[n] = args.pages / seconds
            print(
                f"{n} worker(s), {max(1, (os.cpu_count() or 1) // n)} thread(s) each: {seconds:.1f} s, {rates[n]:.2f} pages/s"
            )
        if 1 in rates and 2 in rates:
            print(f"two workers / one: {rates[2] / rates[1]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
