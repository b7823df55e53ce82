"""`corroborate corpus add/list/remove`: manage the reports the workers check pages against.

The corpus is the folder the workers start with plus the reports added at run time,
kept in Redis by ``workers.queue.CorpusStore``: the same store ``POST /api/v1/documents``
writes. Running workers use an added report from their next job on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import click
from rich.console import Console
from rich.table import Table

from workers.cli.common import answering, no_redis, redis_options
from workers.pages import InputError, read_page
from workers.queue import CorpusStore, StoreError


@dataclass
class CorpusContext:
    redis_url: str
    folder: str

    @cached_property
    def store(self) -> CorpusStore:
        """Connected on first use, so `--help` works without Redis."""
        return open_store(self.redis_url, self.folder)


def open_store(redis_url: str, corpus: str) -> CorpusStore:
    connection, answers = answering(redis_url)
    if not answers:
        raise click.ClickException(
            no_redis(
                connection, ": the corpus store lives there (set REDIS_URL or --redis-url, or start one: redis-server)"
            )
        )
    return CorpusStore(connection, corpus)


@click.group("corpus")
@redis_options("The Redis the workers use", "The corpus folder the workers were started with")
@click.pass_context
def corpus_group(context: click.Context, redis_url: str, corpus: str) -> None:
    """Add, list and remove the reports pages are checked against."""
    context.obj = CorpusContext(redis_url=redis_url, folder=corpus)


@corpus_group.command("add")
@click.argument("file")
@click.option("--title", default=None, help="The report's title (default: its first line, or the HTML <title>).")
@click.option("--url", default=None, help="Where the report was published.")
@click.option("--source", default=None, help="Who published it.")
@click.pass_obj
def add_command(corpus: CorpusContext, file: str, title: str | None, url: str | None, source: str | None) -> None:
    """Add the report in FILE (.txt, .md or .html; '-' for standard input)."""
    try:
        page = read_page(file)
        report, created = corpus.store.add(title or page.title or "", page.text, url=url, source=source)
    except (InputError, StoreError) as error:
        raise click.ClickException(str(error)) from None
    what = "added" if created else "already in the corpus:"
    click.echo(f"{what} {report.doc}  {report.title}  (added reports' version {corpus.store.version()})")


@corpus_group.command("list")
@click.pass_obj
def list_command(corpus: CorpusContext) -> None:
    """List the folder's reports and the added ones."""
    from workers.engine.corpus import load_folder

    try:
        folder_reports = load_folder(corpus.folder)
    except InputError as error:
        click.echo(f"(folder reports not listed: {error})", err=True)
        folder_reports = []
    added = corpus.store.list()
    table = Table(
        title=f"corpus {corpus.folder!r}: {len(folder_reports)} in the folder, {len(added)} added", title_justify="left"
    )
    for column in ("doc", "title", "url", "from"):
        table.add_column(column, overflow="fold")
    for report in folder_reports:
        table.add_row(report.doc, report.title, report.url or "", "folder")
    for report in added:
        table.add_row(report.doc, report.title, report.url or "", "added")
    Console(highlight=False).print(table)


@corpus_group.command("remove")
@click.argument("docs", nargs=-1, required=True)
@click.pass_obj
def remove_command(corpus: CorpusContext, docs: tuple[str, ...]) -> None:
    """Remove added reports by id (as `corpus list` shows them)."""
    missing = [doc for doc in docs if not corpus.store.remove(doc)]
    for doc in docs:
        if doc not in missing:
            click.echo(f"removed {doc}")
    if missing:
        raise click.ClickException(
            f"not an added report: {', '.join(missing)} (reports in the folder are removed by deleting their file)"
        )
