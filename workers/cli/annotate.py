"""`corroborate annotate`: label every claim of one page, as a coloured summary or the JSON contract."""

from __future__ import annotations

import json

import click

from workers import config
from workers.cli.common import fail
from workers.labels import TERMINAL_COLOURS
from workers.pages import InputError, read_page


@click.command("annotate")
@click.argument("page")
@click.option(
    "--corpus",
    default=config.corpus_name,
    show_default=config.DEFAULT_CORPUS,
    help="Folder of reports to check against.",
)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
@click.option("--url", default=None, help="The page's address (a corpus report with it is skipped).")
def annotate(page: str, corpus: str, output: str, url: str | None) -> None:
    """Label every claim of PAGE (.txt, .md, .html, or - for standard input)."""
    from workers.engine import load_engine

    try:
        loaded = read_page(page)
        engine = load_engine(corpus)
    except InputError as error:
        fail(str(error))
    result = engine.annotate(loaded.text, url=url or loaded.url)
    if output == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_summary(result)


def print_summary(result: dict) -> None:
    """A readable, coloured summary: one line per claim, evidence underneath."""
    from rich.console import Console

    console = Console(highlight=False)
    counts: dict[str, int] = {}
    for number, item in enumerate(result["annotations"], 1):
        label = item["label"]
        counts[label] = counts.get(label, 0) + 1
        console.print(f"[bold {TERMINAL_COLOURS[label]}]{label:>12}[/] {number:>3}. ", end="")
        console.print(item["text"], markup=False)
        for evidence in item["support"]:
            console.print(f"{'':17}[green]+ {evidence['doc']}:[/] ", end="")
            console.print(evidence["sentence"], markup=False)
        for evidence in item["conflict"]:
            values = evidence["values"]
            console.print(f"{'':17}[red]- {evidence['doc']} ('{values['page']}' vs '{values['report']}'):[/] ", end="")
            console.print(evidence["sentence"], markup=False)
    corpus = result["corpus"]
    summary = ", ".join(f"{n} {label}" for label, n in sorted(counts.items())) or "no claims"
    console.print(f"\n{summary} — against {corpus['documents']} reports (corpus {corpus['version']})")
