"""The corpus: the reports pages are checked against, loaded from a folder or added later."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from workers.inputs import SUFFIXES, InputError, read_page


@dataclass(frozen=True)
class Report:
    doc: str  # the file name without extension, or the id given when added
    title: str
    text: str
    url: str | None = None
    source: str | None = None


def load_folder(folder: str | Path) -> list[Report]:
    """Every readable .txt/.md/.html report in ``folder``, sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: corpus folder not found")
    reports = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES or not path.is_file() or path.name.startswith("."):
            continue
        page = read_page(str(path))
        reports.append(Report(doc=path.stem, title=page.title or path.stem, text=page.text))
    return reports


def corpus_version(reports: list[Report]) -> str:
    """A short hash that changes whenever a report is added, removed or edited."""
    digest = hashlib.sha256()
    for report in sorted(reports, key=lambda r: r.doc):
        digest.update(report.doc.encode() + b"\0" + report.text.encode() + b"\0")
    return digest.hexdigest()[:16]
