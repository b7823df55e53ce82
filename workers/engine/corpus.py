"""The corpus: the reports pages are checked against, loaded from a folder or added later."""

from __future__ import annotations

from pathlib import Path

from workers.documents import Report, corpus_version
from workers.pages import SUFFIXES, InputError, read_page

__all__ = ["Report", "corpus_version", "load_folder"]


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
