"""Turn an HTML page into the text of its article (trafilatura, not hand-written stripping)."""

from __future__ import annotations

import re

import trafilatura

TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def html_to_text(html: str) -> str:
    """The article's text, paragraphs on their own lines; '' when none is found."""
    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True, deduplicate=False
    )
    if not text:
        text = trafilatura.html2txt(html) or ""
    return text.strip()


def html_title(html: str) -> str | None:
    """The page's <title>, if it has one."""
    match = TITLE.search(html)
    return re.sub(r"\s+", " ", match.group(1)).strip() if match else None
