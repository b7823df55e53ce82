"""Read pages and reports from files, refusing bad input with one clear message.

HTML becomes the text of its article with trafilatura (no hand-written tag stripping).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from workers.config import MAX_BYTES, MAX_TEXT
from workers.text_rules import NUL_PROBLEM, TextError, text_problem

TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES


class InputError(TextError):
    """A page that cannot be read; the message is meant for the user as it is."""


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None = None
    url: str | None = None


def decode(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> str:
    """Bytes to text: not huge, UTF-8 only, then the one text rule (not blank, no NUL, ...)."""
    if len(data) > max_bytes:
        raise InputError(f"{name}: too large ({len(data):,} bytes; the limit is {max_bytes:,})")
    if b"\x00" in data:  # said before UTF-8 errors: a binary file is usually both
        raise InputError(f"{name}: {NUL_PROBLEM}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not valid UTF-8 (byte {error.start})") from None
    return checked(text, name, max_chars=max_bytes)


def checked(text: str, name: str, max_chars: int = MAX_TEXT) -> str:
    """``text`` when it follows the one text rule (``workers.text_rules``), else InputError with its message."""
    problem = text_problem(text, max_chars)
    if problem is not None:
        raise InputError(f"{name}: {problem}")
    return text


def html_to_text(html: str) -> str:
    """The article's text, paragraphs on their own lines; '' when none is found."""
    import trafilatura  # here: only HTML pages need it (0.2 s of every start otherwise)

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True, deduplicate=False)
    if not text:
        text = trafilatura.html2txt(html) or ""
    return text.strip()


def html_title(html: str) -> str | None:
    """The page's <title>, if it has one."""
    match = TITLE.search(html)
    return re.sub(r"\s+", " ", match.group(1)).strip() if match else None


def is_html(name: str, text: str) -> bool:
    suffix = Path(name).suffix.lower()
    return suffix in HTML_SUFFIXES or (
        suffix not in TEXT_SUFFIXES and text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))
    )


def page_from_text(text: str, name: str, html: bool = False) -> Page:
    """A page from decoded text: HTML becomes its article text, plain text its first line the title."""
    if html:
        body = html_to_text(text)
        if not body:
            raise InputError(f"{name}: no article text found in the HTML")
        return Page(text=checked(body, name), title=html_title(text))
    text = checked(text, name)
    lines = [line for line in text.splitlines() if line.strip()]
    # The first line is the title, unless it is a lone section name ("World").
    title = next((line for line in lines if len(line.split()) >= 3), lines[0])
    return Page(text=text, title=short_title(title))


def short_title(line: str, limit: int = 120) -> str:
    """A first line as a title: whole when short, else cut at a word with an ellipsis."""
    line = " ".join(line.split())
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0] + "…"


def read_page(path: str) -> Page:
    """Read a .txt/.md/.html file, or standard input for '-'."""
    if path == "-":
        data, name = sys.stdin.buffer.read(MAX_BYTES + 1), "standard input"
    else:
        file = Path(path)
        try:
            is_folder = file.is_dir() if file.stat() else False  # stat: a symlink loop is not "no such file"
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except OSError as error:
            raise InputError(f"{path}: cannot read ({error.strerror})") from None
        if is_folder:
            raise InputError(f"{path}: is a folder, not a file")
        try:
            with file.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise InputError(f"{path}: cannot read ({error.strerror})") from None
        name = path
    text = decode(data, name)
    return page_from_text(text, name, html=is_html(name, text))
