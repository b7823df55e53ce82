"""A corpus report as every layer sees it, and the version of a set of them.

Kept apart from the engine so that the API and the corpus store can name a report
without loading the engine (or trafilatura) into their process.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Report:
    doc: str  # the file name without extension, or the id given when added
    title: str
    text: str
    url: str | None = None
    source: str | None = None


def corpus_version(reports: list[Report]) -> str:
    """A short hash that changes whenever a report is added, removed or edited."""
    digest = hashlib.sha256()
    for report in sorted(reports, key=lambda r: r.doc):
        digest.update(report.doc.encode() + b"\0" + report.text.encode() + b"\0")
    return digest.hexdigest()[:16]
