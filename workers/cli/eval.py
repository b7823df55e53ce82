"""`corroborate eval`: the engine's quality on the gold labels (developer tooling: ``workers.devtools``)."""

from __future__ import annotations

import json
import time

import click

from workers.devtools.gold import SPLITS, gold_sets


@click.command("eval")
@click.option("--set", "names", multiple=True, help="Only this gold set (repeatable): seeds, planted, a story name...")
@click.option("--split", "splits", multiple=True, type=click.Choice(SPLITS), help="Only the sets of this split.")
@click.option("--verbose", "-v", is_flag=True, help="List every disagreement with the gold.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def eval_command(names: tuple[str, ...], splits: tuple[str, ...], verbose: bool, as_json: bool) -> None:
    """Score the engine against the hand-labelled gold in tests/data/: one row per set, then each split."""
    from workers.devtools.evaluate import (
        TABLE_HEADER,
        evaluate,
        format_disagreement,
        format_metrics,
        summarise,
        table_row,
    )
    from workers.engine import Engine
    from workers.engine.corpus import load_folder
    from workers.engine.embed import Embedder

    sets = gold_sets(list(names) or None, list(splits) or None)
    if not sets:
        raise click.ClickException("no gold sets found")
    started = time.perf_counter()
    embedder, engines, results = Embedder(), {}, {}
    for gold in sets:
        if gold.corpus not in engines:
            engines[gold.corpus] = Engine(load_folder(gold.corpus), embedder)
        results[gold.name] = evaluate(engines[gold.corpus], gold.rows, gold.pages, gold.urls)
    elapsed = time.perf_counter() - started
    by_split = {}
    for split in SPLITS:
        items = [it for gold in sets if gold.split == split for it in results[gold.name]["items"]]
        if items:
            by_split[split] = summarise(items)
    if as_json:
        slim = lambda m: {
            k: v for k, v in m.items() if k not in ("items", "disagreements", "label_disagreements", "by_set")
        }  # noqa: E731
        payload = {
            "sets": {g.name: {"split": g.split, **slim(results[g.name])} for g in sets},
            "splits": {k: slim(v) for k, v in by_split.items()},
        }
        click.echo(json.dumps(payload, indent=2))
        return
    lines = [TABLE_HEADER]
    lines += [table_row(gold.name, gold.split, results[gold.name]) for gold in sets]
    lines += [table_row(f"all {split}", split, metrics) for split, metrics in by_split.items()]
    lines.append(f"({len(sets)} sets, {elapsed:.1f}s)")
    if verbose:
        for gold in sets:
            result = results[gold.name]
            lines += format_metrics(gold.name, result)
            lines.append(f"{len(result['disagreements'])} class disagreements:")
            lines += [format_disagreement(it) for it in result["disagreements"]]
            if result["label_disagreements"]:
                lines.append(f"{len(result['label_disagreements'])} mixed/contradicted swaps (same class):")
                lines += [format_disagreement(it) for it in result["label_disagreements"]]
    click.echo("\n".join(lines))
