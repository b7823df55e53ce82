"""The pages a batch annotates: .txt/.html files, folders of them, and JSONL files of pages.

A JSONL line is {"url", "title", "text" | "html"}. Every page gets a key (its URL, or
else its file's absolute path, plus a hash of its text) so a rerun can tell which
pages are already done. Pages that cannot be read come back as ``PageFailure`` with
the reason, and do not stop the others.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from workers.pages import SUFFIXES, InputError, checked, decode, page_from_text, read_page
from workers.text_rules import TextError, check_field

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FOLDER_SUFFIXES = (SUFFIXES - {""}) | JSONL_SUFFIXES


@dataclass(frozen=True)
class BatchPage:
    source: str  # where it came from, as the user named it: "pages/a.txt", "more.jsonl:3"
    text: str
    title: str | None
    url: str | None
    key: str  # identity for resuming: (url or absolute source) + text hash
    location: str  # an absolute IRI for the page: its URL, or its file's file:// URI


@dataclass(frozen=True)
class PageFailure:
    """A page that could not be read or annotated, and why."""

    source: str
    reason: str


def page_key(identity: str, text: str) -> str:
    text_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return hashlib.sha256(f"{identity}\0{text_hash}".encode()).hexdigest()[:32]


def is_absolute_url(url: str | None) -> bool:
    return bool(url) and bool(urlsplit(url).scheme) and not any(char.isspace() for char in url)


def _batch_page(source: str, text: str, title: str | None, url: str | None, file: Path, line: int | None = None):
    location = url if is_absolute_url(url) else file.resolve().as_uri() + (f"#line={line}" if line else "")
    return BatchPage(
        source=source, text=text, title=title, url=url, key=page_key(url or location, text), location=location
    )


def pages_from_file(path: Path, source: str) -> list[BatchPage | PageFailure]:
    try:
        page = read_page(str(path))
    except InputError as error:
        return [PageFailure(source, str(error))]
    return [_batch_page(source, page.text, page.title, page.url, path)]


def page_from_json_line(line: str, source: str, file: Path, line_no: int) -> BatchPage:
    """One JSONL record as a page; raises InputError with the reason when it is not one."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"{source}: not valid JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise InputError(f'{source}: expected a JSON object with "text" or "html"')
    body, is_html = (record.get("text"), False) if record.get("text") is not None else (record.get("html"), True)
    if not isinstance(body, str):
        raise InputError(f'{source}: needs a "text" or "html" string')
    url, title = record.get("url"), record.get("title")
    if url is not None and not isinstance(url, str) or title is not None and not isinstance(title, str):
        raise InputError(f'{source}: "url" and "title" must be strings')
    text = checked(body, source)  # the one text rule first: a lone surrogate cannot even be encoded
    text = decode(text.encode("utf-8"), source)  # the same limits as a file: size, binary, empty
    for name, value in (("url", url), ("title", title)):
        try:
            check_field(value, f"{source}: {name}")
        except TextError as error:
            raise InputError(str(error)) from None
    page = page_from_text(text, source, html=is_html)
    return _batch_page(source, page.text, title or page.title, url or None, file, line_no)


def pages_from_jsonl(path: Path, source: str) -> list[BatchPage | PageFailure]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        return [PageFailure(source, f"{source}: cannot read ({error.strerror})")]
    pages: list[BatchPage | PageFailure] = []
    with handle:
        try:
            for line_no, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                line_source = f"{source}:{line_no}"
                try:
                    pages.append(page_from_json_line(line, line_source, path, line_no))
                except InputError as error:
                    pages.append(PageFailure(line_source, str(error)))
        except UnicodeDecodeError as error:
            pages.append(PageFailure(source, f"{source}: not valid UTF-8 (byte {error.start}); later lines skipped"))
    return pages


def files_in_folder(folder: Path) -> list[Path]:
    """The page files under ``folder`` (recursively), hidden ones left out, in name order."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix.lower() in FOLDER_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def pages_from_path(name: str) -> list[BatchPage | PageFailure]:
    path = Path(name)
    if path.is_dir():
        found = files_in_folder(path)
        if not found:
            return [PageFailure(name, f"{name}: no .txt, .html or .jsonl files in this folder")]
        return [page for file in found for page in pages_from_path(str(file))]
    if path.suffix.lower() in JSONL_SUFFIXES:
        return pages_from_jsonl(path, name)
    return pages_from_file(path, name)


def gather_pages(names: list[str]) -> tuple[list[BatchPage], list[PageFailure]]:
    """Every page named by ``names``, each key once, in order; and what could not be read."""
    pages: dict[str, BatchPage] = {}
    unreadable: list[PageFailure] = []
    for name in names:
        for item in pages_from_path(name):
            if isinstance(item, PageFailure):
                unreadable.append(item)
            else:
                pages.setdefault(item.key, item)
    return list(pages.values()), unreadable
