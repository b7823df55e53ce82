"""`corroborate batch`: annotate many pages through the workers, with progress and resume.

    corroborate batch pages/ more.jsonl article.html --out results.jsonl
    corroborate batch pages/ --out results.jsonl            # again: skips what is done
    corroborate batch --format w3c pages/ --out annotations.jsonld

Pages go through the same RQ queue as the API (any number of ``corroborate worker``
processes share them); ``--in-process``, or no Redis answering, runs the engine here.
Each page's line is appended as soon as it is done; failures are listed at the end,
and the exit status is 1 when any page failed.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from workers import queue
from workers.batch.results import FORMATS, ResultsFile
from workers.batch.runners import InProcessRunner, QueueRunner
from workers.batch.sources import BatchPage, PageFailure, gather_pages
from workers.cli.common import answering, no_redis, redis_options
from workers.pages import InputError

DEFAULT_TIMEOUT = 300.0


class RateColumn(ProgressColumn):
    """Pages per second: over the last few seconds while running, over the whole run at the end."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        if speed is None and task.completed and task.elapsed:
            speed = task.completed / task.elapsed
        return Text("– pages/s" if speed is None else f"{speed:.2f} pages/s", style="cyan")


class FailedColumn(ProgressColumn):
    def render(self, task) -> Text:
        failed = task.fields.get("failed", 0)
        return Text(f"{failed} failed", style="bold red" if failed else "dim")


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("done"),
        FailedColumn(),
        RateColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


@dataclass
class BatchSummary:
    written: int = 0
    skipped: int = 0
    failures: list[PageFailure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.written / self.seconds if self.seconds > 0 else 0.0


def choose_runner(in_process: bool, redis_url: str, corpus: str, timeout: float | None, console: Console):
    """The queue when Redis answers (unless ``in_process``); the engine in this process otherwise."""

    def say(message: str) -> None:
        console.print(message, style="yellow", markup=False)

    connection, answers = answering(redis_url)
    if not answers:
        say(no_redis(connection, ": annotating in this process"))
        return InProcessRunner(corpus, timeout, say=say)
    if in_process:
        return InProcessRunner(corpus, timeout, connection=connection, say=say)
    return QueueRunner(queue.connect(redis_url, timeout=10), corpus, timeout, say=say)


def run_batch(
    pages: list[BatchPage], unreadable: list[PageFailure], output: ResultsFile, runner, console: Console
) -> BatchSummary:
    """Annotate the pages ``output`` does not hold yet, appending each as it completes."""
    summary = BatchSummary(failures=list(unreadable))
    todo = [page for page in pages if not output.has(page)]
    summary.skipped = len(pages) - len(todo)
    if summary.skipped:
        console.print(f"{summary.skipped} page(s) already in {output.path}: skipped", markup=False)
    started = time.monotonic()
    with progress_bar(console) as progress:
        task = progress.add_task(
            "annotating", total=len(todo) + len(unreadable), failed=len(unreadable), completed=len(unreadable)
        )
        for outcome in runner.run(todo):
            if outcome.result is not None:
                output.append(outcome.page, outcome.result)
                summary.written += 1
            else:
                summary.failures.append(PageFailure(outcome.page.source, outcome.error or "failed"))
                progress.update(task, failed=len(summary.failures))
            progress.advance(task)
    summary.seconds = time.monotonic() - started
    return summary


def print_summary(summary: BatchSummary, output: ResultsFile, console: Console) -> None:
    console.print(
        f"{summary.written} page(s) written to {output.path} in {summary.seconds:.1f} s "
        f"({summary.rate:.2f} pages/s); {summary.skipped} skipped; {len(summary.failures)} failed",
        markup=False,
    )
    if summary.failures:
        console.print("[bold red]Failed pages:[/]")
        for failure in summary.failures:
            reason = (
                failure.reason if failure.reason.startswith(failure.source) else f"{failure.source}: {failure.reason}"
            )
            console.print(f"  [red]✗[/] {escape(reason)}")


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="File to append results to; rerun with the same file to resume.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="jsonl",
    show_default=True,
    help="jsonl: {url, title, result} per page; w3c: a W3C Web Annotation page (JSON-LD) per page.",
)
@click.option("--in-process", is_flag=True, help="Run the engine in this process instead of the workers.")
@click.option(
    "--timeout",
    type=float,
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds one page may take once a worker starts it; 0 for no limit.",
)
@redis_options("The Redis the workers take pages from", "The corpus folder the workers were started with")
def batch_command(
    inputs: tuple[str, ...], out: str, fmt: str, in_process: bool, timeout: float, redis_url: str, corpus: str
) -> None:
    """Annotate INPUTS: .txt/.html files, folders of them, and .jsonl files of {url, title, text|html}."""
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    pages, unreadable = gather_pages(list(inputs))
    runner = choose_runner(in_process, redis_url, corpus, timeout or None, console)
    try:
        output = ResultsFile(out, fmt)
    except OSError as error:
        console.print(f"cannot use {out} for the results: {error.strerror}", style="red", markup=False)
        sys.exit(2)
    with output:
        try:
            summary = run_batch(pages, unreadable, output, runner, console)
        except InputError as error:  # the corpus folder cannot be loaded
            console.print(f"cannot load the engine: {error}", style="red", markup=False)
            sys.exit(2)
        except KeyboardInterrupt:
            console.print(
                f"interrupted: what is written to {out} stays; run the same command again to resume",
                style="yellow",
                markup=False,
            )
            sys.exit(130)
        except queue.UNREACHABLE as error:
            console.print(
                f"lost Redis ({error}); what is written to {out} stays; run again to resume", style="red", markup=False
            )
            sys.exit(3)
    print_summary(summary, output, console)
    if summary.failures:
        sys.exit(1)
