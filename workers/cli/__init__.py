"""The `corroborate` command line: one module per command group.

annotate  workers.cli.annotate   one page, a coloured summary or the JSON contract
batch     workers.cli.batch      many pages through the workers, with progress and resume
report    workers.cli.report     a batch's results as one HTML page
corpus    workers.cli.corpus     add, list and remove the reports pages are checked against
worker    workers.cli.worker     an RQ worker holding the engine
eval      workers.cli.eval       quality against the gold labels (developer tooling)
"""

from __future__ import annotations

import os

import click

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from workers.cli.annotate import annotate  # noqa: E402 - HF_HUB_OFFLINE must be set before any model import
from workers.cli.batch import batch_command  # noqa: E402 - as above
from workers.cli.corpus import corpus_group  # noqa: E402 - as above
from workers.cli.eval import eval_command  # noqa: E402 - as above
from workers.cli.report import report_command  # noqa: E402 - as above
from workers.cli.worker import worker_command  # noqa: E402 - as above


@click.group()
def main() -> None:
    """Check which claims of a news article other reports back up or contradict."""


for command in (annotate, batch_command, report_command, corpus_group, worker_command, eval_command):
    main.add_command(command)
