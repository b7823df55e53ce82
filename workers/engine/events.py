"""Which round of a story a report is about, so facts of different events are kept apart.

A report's event is the month it dates its meeting to: the first explicit date
("Feb. 27", "on April 10") or month ("in April"). A report that says its talks
"began in February" or follow "February's talks" is about a later round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workers.engine.facts import MONTHS, Facts

MONTH_NAMES = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
LATER_ROUND = re.compile(
    rf"\b(?:began|begun|started|launched|opened|held|first round|first met|earlier talks|previous talks|last met)\s+(?:\w+\s+){{0,3}}?in\s+{MONTH_NAMES}"
    rf"|\b(?:since|after|following)\s+(?:the\s+)?{MONTH_NAMES}(?:['’]s)?\s+(?:talks|meeting|round)",
)
DATED = re.compile(rf"\b(?:on|in|since|by)?\s*{MONTH_NAMES}\s+\d{{1,2}}\b|\bin\s+{MONTH_NAMES}\b")


@dataclass(frozen=True)
class Event:
    month: int
    later: bool = False  # after ``month``, month itself unknown


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def document_event(text: str) -> Event | None:
    """The event a report is about, or None when it gives no month."""
    later = LATER_ROUND.search(text)
    if later:
        return Event(_month(next(g for g in later.groups() if g)), later=True)
    dated = DATED.search(text)
    if dated:
        return Event(_month(next(g for g in dated.groups() if g)))
    return None


def sentence_event(facts: Facts) -> Event | None:
    """The event a sentence dates itself to ('on Feb. 27'), if it gives a full date."""
    days = [d for d in facts.dates if d.kind == "day"]
    return Event(int(days[0].key[:2])) if days else None


def compatible(a: Event | None, b: Event | None) -> bool:
    """Whether two reports may be about the same event."""
    if a is None or b is None or (a.later and b.later):
        return True
    if a.later:
        return b.month > a.month
    if b.later:
        return a.month > b.month
    return a.month == b.month
