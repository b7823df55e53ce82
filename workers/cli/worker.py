"""`corroborate worker`: an RQ worker that holds a loaded engine (``workers.queue.worker``).

Scale out by starting more of these, on any machine that reaches the same Redis.
"""

from __future__ import annotations

import logging
import os
import sys

import click

from workers import queue
from workers.cli.common import answering, no_redis, redis_options


@click.command("worker")
@redis_options("The Redis the API queues pages on", "Folder of reports to check pages against")
@click.option("--burst", is_flag=True, help="Quit when the queue is empty.")
@click.option("--name", default=None, help="Worker name shown in RQ (default: random).")
@click.option("--queue", "queue_name", default=queue.QUEUE_NAME, show_default=True, help="Queue to take pages from.")
@click.option("--quiet", is_flag=True, help="Log warnings only.")
def worker_command(redis_url: str, corpus: str, burst: bool, name: str | None, queue_name: str, quiet: bool) -> None:
    """Annotate pages queued by the API. Start as many as you like, on any machine reaching the same Redis."""
    from workers.queue.worker import prepare, serve

    def say(message: str) -> None:
        click.echo(f"corroborate worker: {message}", err=True)

    os.environ["CORROBORATE_CORPUS"] = corpus
    threads = os.environ.get("CORROBORATE_THREADS")
    if threads and threads != "0":  # BLAS (numpy) too, before it loads
        for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(variable, threads)
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(asctime)s %(message)s")
    connection, answers = answering(redis_url, timeout=None, errors=queue.RedisError)
    if not answers:
        say(no_redis(connection, " (set REDIS_URL, or start one: redis-server)"))
        sys.exit(2)
    say(f"loading the engine for corpus {corpus!r} ...")
    try:
        prepare(connection, corpus)
    except Exception as error:  # a missing corpus folder, a broken install
        say(f"cannot load the engine: {error}")
        sys.exit(2)
    say(f"ready on {queue.describe(connection)}, queue {queue_name!r}")
    serve(connection, name=name, queue_name=queue_name, burst=burst, quiet=quiet, say=say)
