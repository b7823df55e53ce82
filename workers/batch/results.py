"""A batch's output file: appended one page at a time, and read back to resume.

Two formats, one line per page either way, so an interrupted run loses nothing
and a rerun skips what is written:

- ``jsonl``: ``{"url", "title", "result", "source", "key", "text"}``; ``result`` is the
  engine's JSON contract, ``text`` the page text it refers to (the report shows it).
- ``w3c``: a W3C ``AnnotationPage`` of JSON-LD Annotations, one per claim.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from workers.batch.sources import BatchPage
from workers.outputs import w3c

FORMATS = ("jsonl", "w3c")


def drop_partial_last_line(path: Path, chunk_size: int = 1 << 20) -> None:
    """Cut off a last line left half-written by an interrupted run, so appending starts clean."""
    if not path.exists():
        return
    with path.open("rb+") as handle:
        end = position = handle.seek(0, os.SEEK_END)
        while position > 0:
            start = max(0, position - chunk_size)
            handle.seek(start)
            chunk = handle.read(position - start)
            if position == end and chunk.endswith(b"\n"):
                return
            newline = chunk.rfind(b"\n")
            if newline != -1:
                handle.truncate(start + newline + 1)
                return
            position = start
        handle.truncate(0)


def written_ids(path: Path, field: str) -> set[str]:
    """The ``field`` of every complete line already in ``path``."""
    if not path.exists():
        return set()
    ids = set()
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get(field), str):
                ids.add(record[field])
    return ids


class ResultsFile:
    """Where a batch writes, in ``fmt`` (``jsonl`` or ``w3c``)."""

    def __init__(self, path: str | Path, fmt: str = "jsonl"):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        self.path = Path(path)
        self.format = fmt
        self._id_field = "key" if fmt == "jsonl" else "id"
        drop_partial_last_line(self.path)
        self._written = written_ids(self.path, self._id_field)
        self._handle = None

    def _id(self, page: BatchPage) -> str:
        return page.key if self.format == "jsonl" else w3c.page_id(page.key)

    def has(self, page: BatchPage) -> bool:
        return self._id(page) in self._written

    def record(self, page: BatchPage, result: dict[str, Any]) -> dict[str, Any]:
        if self.format == "w3c":
            return w3c.annotation_page(page.text, result, page.location, page.key)
        return {
            "url": page.url,
            "title": page.title,
            "result": result,
            "source": page.source,
            "key": page.key,
            "text": page.text,
        }

    def append(self, page: BatchPage, result: dict[str, Any]) -> None:
        """Write one page's line and push it to disk before going on."""
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("a", encoding="utf-8")
        self._handle.write(json.dumps(self.record(page, result), ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._written.add(self._id(page))

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> ResultsFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
