"""The engine's result as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

One Annotation per claim. Its target is the page, narrowed to the claim by a
TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector (code points,
as the model requires); its body carries the label and every piece of evidence.
The annotations of one page travel together in an AnnotationPage, so a batch can
append page by page and know, on a rerun, which pages are already done.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from workers.labels import SUMMARIES

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT_CHARS = 32  # how much text the prefix and suffix of a quote carry
GENERATOR = {"type": "Software", "name": "Corroborate"}
ID_NAMESPACE = uuid.UUID("5b6f1d0e-2f7c-4f5e-9a41-6c0b7f1e2d3a")


def annotation_id(page_key: str, index: int) -> str:
    """A stable id: the same page and claim get the same id on every run."""
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'{page_key}/{index}')}"


def page_id(page_key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, page_key)}"


def text_quote_selector(text: str, start: int, end: int) -> dict:
    return {
        "type": "TextQuoteSelector",
        "exact": text[start:end],
        "prefix": text[max(0, start - QUOTE_CONTEXT_CHARS) : start],
        "suffix": text[end : end + QUOTE_CONTEXT_CHARS],
    }


def evidence_line(item: dict, relation: str) -> str:
    """One report's evidence, readable on its own: who says what, and which value differs."""
    report = item.get("title") or item.get("doc") or "another report"
    line = f"{relation} by “{report}” ({item.get('doc', '?')}): “{item.get('sentence', '')}”"
    values = item.get("values")
    if values:
        line += f" [this page: {values.get('page')!s}; that report: {values.get('report')!s}]"
    return line


def label_summary(claim: dict) -> str:
    support, conflict = reports_count(claim, "support"), reports_count(claim, "conflict")
    parts = [SUMMARIES.get(claim["label"], claim["label"])]
    if support:
        parts.append(f"{support} report{'s' if support != 1 else ''} agree")
    if conflict:
        parts.append(f"{conflict} report{'s' if conflict != 1 else ''} differ")
    more = support + conflict - len(claim.get("support") or []) - len(claim.get("conflict") or [])
    if more > 0:
        parts.append(f"the strongest listed, and {more} more report{'s' if more != 1 else ''}")
    return "; ".join(parts)


def reports_count(claim: dict, side: str) -> int:
    """Every report on one side (``supporting_reports``/``differing_reports``), or the listed ones in older results."""
    key = "supporting_reports" if side == "support" else "differing_reports"
    listed = len(claim.get(side) or [])
    return max(int(claim.get(key) or 0), listed)


def claim_bodies(claim: dict) -> list[dict]:
    """The label (classifying), a one-line summary (describing), then each report's evidence."""
    bodies = [
        {"type": "TextualBody", "purpose": "classifying", "value": claim["label"], "format": "text/plain"},
        {"type": "TextualBody", "purpose": "describing", "value": label_summary(claim), "format": "text/plain"},
    ]
    for relation, key in (("Supported", "support"), ("Disputed", "conflict")):
        for item in claim.get(key) or []:
            bodies.append(
                {
                    "type": "TextualBody",
                    "purpose": "commenting",
                    "value": evidence_line(item, relation),
                    "format": "text/plain",
                }
            )
    return bodies


def claim_annotation(text: str, claim: dict, source: str, page_key: str, index: int, created: str) -> dict:
    """The Web Annotation for one claim of the page ``text`` found at IRI ``source``."""
    start, end = claim["start"], claim["end"]
    return {
        "@context": CONTEXT,
        "id": annotation_id(page_key, index),
        "type": "Annotation",
        "motivation": "assessing",
        "created": created,
        "generator": GENERATOR,
        "body": claim_bodies(claim),
        "target": {
            "source": source,
            "selector": [
                text_quote_selector(text, start, end),
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }


def page_annotations(text: str, result: dict, source: str, page_key: str, created: str | None = None) -> list[dict]:
    """One Annotation per claim of ``result`` (the engine's JSON contract) for ``text``."""
    created = created or datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return [
        claim_annotation(text, claim, source, page_key, index, created)
        for index, claim in enumerate(result.get("annotations") or [])
    ]


def annotation_page(text: str, result: dict, source: str, page_key: str, created: str | None = None) -> dict:
    """The AnnotationPage holding every annotation of one page."""
    return {
        "@context": CONTEXT,
        "id": page_id(page_key),
        "type": "AnnotationPage",
        "items": page_annotations(text, result, source, page_key, created),
    }
