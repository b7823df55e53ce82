"""`corroborate eval`: the engine's quality on the gold labels (developer tooling: ``workers.devtools``)."""

from __future__ import annotations

import json
import os

import click

from workers.devtools.gold import ROOT, load_all_gold, load_gold


@click.command("eval")
@click.option(
    "--corpus",
    default=lambda: os.environ.get("CORROBORATE_CORPUS", str(ROOT / "seeds")),
    show_default="seeds",
    help="Folder of reports the gold was judged against.",
)
@click.option(
    "--gold",
    "gold_paths",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Gold file(s) (default: tests/data/gold.jsonl and planted_gold.jsonl).",
)
@click.option("--verbose", "-v", is_flag=True, help="List every disagreement with the gold.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def eval_command(corpus: str, gold_paths: tuple[str, ...], verbose: bool, as_json: bool) -> None:
    """Score the engine against the hand-labelled gold in tests/data/."""
    import time

    from workers.devtools.evaluate import evaluate, format_disagreement, format_metrics
    from workers.engine import load_engine

    rows = [r for p in gold_paths for r in load_gold(p)] if gold_paths else load_all_gold()
    if not rows:
        raise click.ClickException("no gold rows found")
    started = time.perf_counter()
    engine = load_engine(corpus)
    loaded = time.perf_counter()
    result = evaluate(engine, rows)
    done = time.perf_counter()
    if as_json:
        slim = {k: v for k, v in result.items() if k not in ("disagreements", "label_disagreements")}
        click.echo(json.dumps(slim, indent=2))
        return
    lines: list[str] = []
    for name, metrics in result["by_set"].items():
        lines += format_metrics(name, metrics)
    if len(result["by_set"]) > 1:
        lines += format_metrics("combined", result)
    lines.append(
        f"(engine load {loaded - started:.1f}s, annotate {done - loaded:.1f}s for "
        f"{len({r['doc'] for r in rows})} pages)"
    )
    if verbose:
        lines.append(f"\n{len(result['disagreements'])} class disagreements:")
        lines += [format_disagreement(it) for it in result["disagreements"]]
        if result["label_disagreements"]:
            lines.append(f"\n{len(result['label_disagreements'])} mixed/contradicted swaps (same class):")
            lines += [format_disagreement(it) for it in result["label_disagreements"]]
    click.echo("\n".join(lines))
