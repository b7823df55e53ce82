"""`corroborate report`: write a batch's results as one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

import click

from workers.outputs.html_report import ResultsError, read_results, report_html


@click.command("report")
@click.argument("results", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="The HTML file to write.")
@click.option("--title", default="Corroborate report", show_default=True, help="The report's heading.")
def report_command(results: str, out: str, title: str) -> None:
    """Write RESULTS (from `corroborate batch`) as one self-contained HTML report."""
    try:
        pages = read_results(results)
    except ResultsError as error:
        raise click.ClickException(str(error)) from None
    Path(out).write_text(report_html(pages, title), encoding="utf-8")
    click.echo(f"{out}: {len(pages)} pages, {sum(len(page.claims) for page in pages)} claims", err=True)
