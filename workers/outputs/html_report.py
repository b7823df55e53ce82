"""A batch's results as one self-contained HTML page people can read (``corroborate report``).

Per page, its text with every claim marked in the extension's colours and the
evidence shown on hover (or keyboard focus); on top, a table of claims per label
per page. No scripts, no external files: styles are inline in the document, and
every piece of text from a page or the corpus is HTML-escaped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape as _escape
from pathlib import Path

from workers.labels import COLOURS, LABELS


class ResultsError(ValueError):
    """A results file that is not batch results; the message is meant for the user as it is."""


STYLE = """
:root { color-scheme: light; }
body { font: 16px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 60rem;
       padding: 1.5rem; color: #1f2933; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.5rem 0 .25rem; }
.meta { color: #52606d; font-size: .9rem; margin: 0 0 1rem; word-break: break-all; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th { white-space: nowrap; }
th, td { border-bottom: 1px solid #e4e7eb; padding: .35rem .5rem; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: 600; }
.key { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: .3em; vertical-align: -.05em; }
.legend { margin: .5rem 0 1rem; font-size: .9rem; }
.legend span { margin-right: 1rem; }
.page-text { white-space: pre-wrap; overflow-wrap: anywhere; position: relative; }
.claims-only { position: relative; }
.claim { border-radius: 2px; cursor: help; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
.claim:focus { outline: 2px solid #1a4fd6; }
.claim.corroborated { background: #ccf2d6; box-shadow: inset 0 -2px 0 #1a7f37; }
.claim.mixed { background: #ffe6ad; box-shadow: inset 0 -2px 0 #9a5b00; }
.claim.contradicted { background: #ffd9d6; box-shadow: inset 0 -2px 0 #b3261e; }
.claim.unverified { text-decoration: underline dotted #8a8a8a 1px; text-underline-offset: 3px; }
.claim.corroborated:hover, .claim.corroborated:focus { background: #9fe3b1; }
.claim.mixed:hover, .claim.mixed:focus { background: #ffd477; }
.claim.contradicted:hover, .claim.contradicted:focus { background: #ffb3ad; }
.claim.unverified:hover, .claim.unverified:focus { background: #ececec; }
/* Left and right pin the evidence to the page's width; its top stays where it would be in the flow,
   which is just under the last line of the sentence. */
.evidence { display: none; position: absolute; left: 0; right: 0; z-index: 10; margin-top: .3rem; padding: .6rem .75rem; background: #fff; color: #1f2933; border: 1px solid #cbd2d9;
            border-radius: 6px; box-shadow: 0 6px 20px rgba(0,0,0,.15); font-size: .85rem; line-height: 1.45;
            white-space: normal; }
.claim:hover > .evidence, .claim:focus > .evidence { display: block; }
.evidence .label { display: block; margin-bottom: .25rem; text-transform: capitalize; }
.evidence .label.corroborated { color: #1a7f37; } .evidence .label.mixed { color: #9a5b00; }
.evidence .label.contradicted { color: #b3261e; } .evidence .label.unverified { color: #616e7c; }
.evidence ul { margin: .25rem 0 0; padding-left: 1.1rem; }
.evidence li { margin-bottom: .35rem; }
.evidence li.support::marker { color: #1a7f37; } .evidence li.conflict::marker { color: #b3261e; }
.evidence .who { font-weight: 600; }
.evidence .doc { color: #7b8794; font-size: .8em; }
.evidence .values { display: block; color: #8c1d18; }
.evidence q { display: block; font-style: italic; color: #3e4c59; }
.claims-only li { margin-bottom: .4rem; }
"""


def escape(value) -> str:
    """HTML-escaped text of anything a results file may hold (None is empty)."""
    return _escape(value if isinstance(value, str) else "" if value is None else str(value))


@dataclass(frozen=True)
class ResultsPage:
    title: str
    url: str | None
    source: str | None
    text: str | None  # the page text, when the results file carries it
    claims: list[dict]

    def count(self, label: str) -> int:
        return sum(1 for claim in self.claims if claim.get("label") == label)


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _claims(result, where: str) -> list[dict]:
    """The annotations of one results line, each checked enough to be drawn; ResultsError otherwise."""
    if result is None:
        return []
    if not isinstance(result, dict):
        raise ResultsError(f'{where}: "result" is not the engine\'s JSON object')
    annotations = result.get("annotations") or []
    if not isinstance(annotations, list):
        raise ResultsError(f'{where}: "result.annotations" is not a list')
    claims = []
    for number, claim in enumerate(annotations, 1):
        if not isinstance(claim, dict):
            raise ResultsError(f"{where}: annotation {number} is not an object")
        start, end = claim.get("start"), claim.get("end")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            raise ResultsError(f'{where}: annotation {number} has no whole-number "start" and "end"')
        for kind in ("support", "conflict"):
            items = claim.get(kind) or []
            if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
                raise ResultsError(f'{where}: annotation {number}: "{kind}" is not a list of objects')
        claims.append(claim)
    return sorted(claims, key=lambda claim: claim["start"])


def read_results(path: str | Path) -> list[ResultsPage]:
    """The pages of a batch results file (JSONL of {"url", "title", "result", ...}).

    Anything else (not UTF-8, not JSON, a line that is not a results record) is a
    ResultsError naming the line, never a traceback.
    """
    pages = []
    try:
        with open(path, encoding="utf-8") as handle:
            for line_no, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                where = f"{path}:{line_no}"
                try:
                    record = json.loads(line)
                except (ValueError, RecursionError):
                    raise ResultsError(f"{where}: not a JSON line of batch results") from None
                if not isinstance(record, dict):
                    raise ResultsError(f'{where}: not a batch results record (a JSON object with "result")')
                title, url, source = _text(record.get("title")), _text(record.get("url")), _text(record.get("source"))
                pages.append(
                    ResultsPage(
                        title=title or url or source or f"Page {len(pages) + 1}",
                        url=url,
                        source=source,
                        text=_text(record.get("text")),
                        claims=_claims(record.get("result"), where),
                    )
                )
    except UnicodeDecodeError as error:
        raise ResultsError(f"{path}: not a text file of batch results (not UTF-8 at byte {error.start})") from None
    except OSError as error:
        raise ResultsError(f"{path}: cannot read ({error.strerror})") from None
    return pages


def safe_link(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, so a click can only open a web page; None otherwise."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    if any(char <= " " or char == "\x7f" for char in url):
        return None
    return url


def evidence_item_html(item: dict, kind: str) -> str:
    """One report's evidence: who, which value differs (for a conflict), and the sentence itself."""
    verb = "Agrees" if kind == "support" else "Differs"
    report = escape(item.get("title") or item.get("doc") or "another report")
    values = item.get("values") if isinstance(item.get("values"), dict) else {}
    differs = (
        f'<span class="values">this page: <b>{escape(str(values.get("page")))}</b> · '
        f"that report: <b>{escape(str(values.get('report')))}</b></span>"
        if values
        else ""
    )
    return (
        f'<li class="{kind}"><span class="who">{verb}: {report}</span> '
        f'<span class="doc">{escape(str(item.get("doc", "")))}</span>{differs}'
        f"<q>{escape(item.get('sentence', ''))}</q></li>"
    )


def evidence_html(claim: dict) -> str:
    label = claim.get("label", "")
    items = [evidence_item_html(item, kind) for kind in ("support", "conflict") for item in claim.get(kind) or []]
    listed = len(claim.get("support") or []) + len(claim.get("conflict") or [])
    more = int(claim.get("supporting_reports") or 0) + int(claim.get("differing_reports") or 0) - listed
    if more > 0:
        items.append(f'<li class="more">and {more} more report{"s" if more != 1 else ""}</li>')
    listing = f"<ul>{''.join(items)}</ul>" if items else "<div>No other report addresses this sentence.</div>"
    return f'<span class="evidence" role="tooltip"><b class="label {escape(label)}">{escape(label)}</b>{listing}</span>'


def claim_html(claim: dict, body: str) -> str:
    label = claim.get("label", "unverified")
    css = label if label in LABELS else "unverified"
    return f'<span class="claim {css}" tabindex="0" data-label="{escape(label)}">{body}{evidence_html(claim)}</span>'


def marked_text_html(text: str, claims: list[dict]) -> str:
    """The page text, escaped, with each claim wrapped in its mark; overlapping or stale spans are skipped."""
    pieces, at = [], 0
    for claim in claims:
        start, end = claim.get("start", -1), claim.get("end", -1)
        if start < at or end > len(text) or text[start:end] != claim.get("text"):
            continue
        pieces.append(escape(text[at:start]))
        pieces.append(claim_html(claim, escape(text[start:end])))
        at = end
    pieces.append(escape(text[at:]))
    return "".join(pieces)


def page_html(page: ResultsPage, anchor: str) -> str:
    where = page.url or page.source or ""
    href = safe_link(page.url)  # only http(s): a "javascript:" URL is shown as text, never linked
    link = f'<a href="{escape(href)}">{escape(page.url)}</a>' if href else escape(where)
    if page.text is not None:
        body = f'<div class="page-text">{marked_text_html(page.text, page.claims)}</div>'
    else:  # results without the page text: list the claims on their own
        items = "".join(f"<li>{claim_html(claim, escape(claim.get('text', '')))}</li>" for claim in page.claims)
        body = f'<ul class="claims-only">{items}</ul>'
    return (
        f'<section class="page" id="{anchor}"><h2>{escape(page.title)}</h2><p class="meta">{link}</p>{body}</section>'
    )


def summary_html(pages: list[ResultsPage]) -> str:
    head = "".join(
        f'<th class="n"><span class="key" style="background:{COLOURS[label][0]};'
        f'box-shadow: inset 0 0 0 1px {COLOURS[label][1]}"></span>{label}</th>'
        for label in LABELS
    )
    rows = []
    for index, page in enumerate(pages):
        counts = "".join(f'<td class="n">{page.count(label)}</td>' for label in LABELS)
        rows.append(
            f'<tr><td><a href="#page-{index + 1}">{escape(page.title)}</a></td>{counts}'
            f'<td class="n">{len(page.claims)}</td></tr>'
        )
    totals = "".join(f'<td class="n">{sum(page.count(label) for page in pages)}</td>' for label in LABELS)
    total = sum(len(page.claims) for page in pages)
    return (
        f'<table class="summary"><thead><tr><th>Page</th>{head}<th class="n">claims</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody><tfoot><tr><td>All pages</td>{totals}<td class="n">{total}</td></tr>'
        f"</tfoot></table>"
    )


def legend_html() -> str:
    return (
        '<p class="legend">'
        + "".join(f'<span><span class="claim {label}">{label}</span></span>' for label in LABELS)
        + " Hover over or tab to a marked sentence to see the reports behind its label.</p>"
    )


def report_html(pages: list[ResultsPage], title: str = "Corroborate report") -> str:
    sections = "".join(page_html(page, f"page-{index + 1}") for index, page in enumerate(pages))
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f'<h1>{escape(title)}</h1><p class="meta">{len(pages)} page{"s" if len(pages) != 1 else ""}, '
        f"{sum(len(page.claims) for page in pages)} claims</p>"
        f"{legend_html()}{summary_html(pages)}{sections}</body></html>\n"
    )
