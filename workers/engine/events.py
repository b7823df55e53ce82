"""Which event a report, and each of its sentences, is about.

A report is about the time it is datelined or published, unless most of its own
dated sentences point to another time (an archive piece on an earlier crash). A
sentence with its own time anchor ("in 2011", "on Thursday") is about that time.
Reports of another event never support or dispute a claim.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from workers.engine import dates
from workers.engine.dates import MONTH_NUMBERS, When
from workers.engine.params import PARAMS

# A DATE entity is an anchor only when it names a calendar time: a year, a month, a weekday,
# or a relative day ("yesterday", "last year"); "34" (an age) is not one.
ANCHOR_WORDS = re.compile(
    r"\b(1[89]\d\d|20\d\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|yesterday|today|tonight|last|ago|earlier|previous|this|q[1-4])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Timeline:
    """A report's event, the date its relative dates count from, and each sentence's time."""

    event: When | None
    reference: dt.date | None
    sentences: tuple[When | None, ...]


MONTHS = MONTH_NUMBERS
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
FULL_DATE = re.compile(
    rf"(?i)\b{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month2>"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\.?,?\s+(?P<year2>(?:19|20)\d\d)\b"
    r"|\b(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)\b"
    r"|\b(?P<na>\d{1,2})[/.](?P<nb>\d{1,2})[/.](?P<ny>(?:19|20)\d\d)\b"
)
# "LISBON, March 3 (Reuters) -", "AUSTIN, Texas, Oct 28 (Wire) -": a dateline without a year.
DATELINE = re.compile(
    r"^[A-Z][A-Z .'’-]+,(?:\s+[A-Z][\w .'’-]+,)?\s+(?P<month>(?i:"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r"))\.?\s+(?P<day>\d{1,2})\b"
)
# "continuing talks that began in February": the report is about a later round than that month.
CONTINUATION = re.compile(
    r"\b(?:began|begun|started|opened|launched|first met)\b[^.]{0,40}?\bin\s+(?P<month>(?i:"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r"))\b"
)
YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
# A sentence pointing back to the time the previous sentence named.
BACK_REFERENCE = re.compile(
    r"^(?:Back then|At the time|That time|That year|On that|In that|The earlier|That earlier)\b"
)
OWN_PERIOD_DAYS = 31  # a month, quarter or year ending this close to a report's event is the story's own time
AFTERMATH = dt.timedelta(days=366)  # an archive piece on an event also tells what followed it within a year
LATER_ROUND_DAYS = 92  # how long after that month a later round is looked for
WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
LEAD_CHARS = 300  # how far into a wire story its lead runs
COPYRIGHT = re.compile(r"(?:\(c\)|©|copyright)\s*((?:19|20)\d\d)\b", re.IGNORECASE)
HEAD_LINES = 6  # metadata (bylines, dates, datelines) stands in the first lines of a report
HEAD_LINE_LENGTH = 160


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _full_date(match: re.Match, clock: dt.date | None) -> dt.date | None:
    g = match.groupdict()
    if g["month"]:
        return _date(int(g["year"]), MONTHS[g["month"].lower()], int(g["day"]))
    if g["month2"]:
        return _date(int(g["year2"]), MONTHS[g["month2"].lower()], int(g["day2"]))
    if g["iy"]:
        return _date(int(g["iy"]), int(g["im"]), int(g["id"]))
    a, b, year = int(g["na"]), int(g["nb"]), int(g["ny"])
    # 12/03/2025: day first or month first; the reading nearer the corpus's dates wins.
    readings = [d for d in (_date(year, b, a), _date(year, a, b)) if d]
    if clock and len(readings) == 2:
        return min(readings, key=lambda d: abs((d - clock).days))
    return readings[0] if readings else None


def publication_date(text: str, url: str | None, clock: dt.date | None = None) -> dt.date | None:
    """The date a report was published or datelined: from its URL, its first lines, or a dateline."""
    found = dates.publication_date("", url) if url else None
    if found:
        return found
    lines = [line.strip() for line in text.splitlines() if line.strip()][:HEAD_LINES]
    for line in lines:
        if len(line) <= HEAD_LINE_LENGTH or DATELINE.match(line):
            match = FULL_DATE.search(line[:HEAD_LINE_LENGTH])
            if match and (day := _full_date(match, clock)):
                return day
    for line in lines:
        match = DATELINE.match(line)
        if match and clock:
            month, day = MONTHS[match.group("month").lower()], int(match.group("day"))
            # A wire story's copyright line ("(c) 2024 Wire Services") gives the year its dateline leaves out.
            copyright_year = COPYRIGHT.search(text)
            if copyright_year:
                return _date(int(copyright_year.group(1)), month, day)
            readings = [d for d in (_date(clock.year, month, day), _date(clock.year - 1, month, day)) if d]
            # A wire lead says which weekday its dateline is ("BOSTON, Nov 12 - ... on Tuesday"): that year.
            weekday = WEEKDAY.search(text[match.end() : match.end() + LEAD_CHARS])
            if weekday:
                readings = [d for d in readings if d.strftime("%A").lower() == weekday.group(1).lower()] or readings
            return min(readings, key=lambda d: abs((d - clock).days)) if readings else None
    return dates.publication_date(text, None)


def corpus_clock(texts: list[tuple[str, str | None]]) -> dt.date | None:
    """The middle of the dates the reports give, for datelines with no year and dates like 12/03/2025."""
    found = sorted(d for text, url in texts if (d := publication_date(text, url)))
    if not found:
        return None
    # The year most reports give, so that reports of an earlier event do not move the clock.
    year = Counter(d.year for d in found).most_common(1)[0][0]
    in_year = [d for d in found if d.year == year]
    return in_year[len(in_year) // 2]


def _anchor(sentence: str, reference: dt.date | None, doc) -> When | None:
    found = dates.sentence_when(sentence, reference, doc)
    if found is None or not ANCHOR_WORDS.search(found.text or ""):
        return None
    if reference is None and not YEAR.search(found.text or ""):
        return None  # a relative date with nothing to count from
    return found


def _fine(when: When) -> bool:
    return (when.end - when.start).days < 32


def timeline(text: str, url: str | None, sentences: list[str], docs: list, clock: dt.date | None = None) -> Timeline:
    """When a report and each of its sentences is about."""
    published = publication_date(text, url, clock)
    event = When(published, published, "published") if published else dates.report_when(text, url, docs)
    if event is None and clock and (later := CONTINUATION.search(text)):
        month = MONTHS[later.group("month").lower()]
        start = dt.date(clock.year + month // 12, month % 12 + 1, 1)
        event = When(start, start + dt.timedelta(days=LATER_ROUND_DAYS), later.group(0))
    reference = published or (event.start if event and _fine(event) else None)
    anchors = [_anchor(s, reference, d) for s, d in zip(sentences, docs)]
    fine = [a for a in anchors if a and _fine(a)]
    if event is not None and fine:
        elsewhere = [a for a in fine if not a.overlaps(event, 31)]
        # An archive piece names the year it is about: yearless months ("agreed in February") recount
        # earlier steps of the story the report is dated in.
        with_year = [a for a in elsewhere if YEAR.search(a.text or "")]
        if published is None:
            with_year = with_year or elsewhere
        if len(with_year) >= PARAMS.other_time_min and len(elsewhere) >= PARAMS.other_time_share * len(fine):
            elsewhere = with_year
            months = Counter((a.start.year, a.start.month) for a in elsewhere)
            (year, month), _ = months.most_common(1)[0]
            in_month = [a for a in elsewhere if (a.start.year, a.start.month) == (year, month)]
            core = Counter(in_month).most_common(1)[0][0]
            # An archive piece: "in February", "on Tuesday" count from the time it is about,
            # not from the day it was published.
            reference = core.end
            # It tells that event's aftermath too ("In June 2012 investigators published their report").
            aftermath = [a.end for a in with_year if core.start <= a.start <= core.start + AFTERMATH]
            event = When(core.start, max([core.end, *aftermath]), core.text)
            anchors = [_anchor(s, reference, d) for s, d in zip(sentences, docs)]
    anchors = _follow_back_references(sentences, docs, anchors, event)
    # A sentence's own anchor counts when it points elsewhere; "in 2025" in a report of 14 March 2025
    # says nothing more precise than the report's own date.
    own = [a if a and not (event and a.overlaps(event) and _wider(a, event)) else None for a in anchors]
    return Timeline(event, reference, tuple(_with_event(a, event) if a else event for a in own))


def _points_back(sentence: str, doc) -> bool:
    """'Back then, ...', 'At the time ...', or a demonstrative subject: 'That quake killed 38 people'."""
    if BACK_REFERENCE.match(sentence):
        return True
    first = doc[0] if doc is not None and len(doc) else None
    return first is not None and first.lower_ in ("that", "those") and first.dep_ == "det"


def _follow_back_references(sentences: list[str], docs: list, anchors: list, event: When | None) -> list:
    """'In July Norvale cut its forecast. Back then, earnings were $1.78 a share.': a sentence that points
    back ("That quake", "Back then", "At the time") is about the time the sentence before it named."""
    out, last = [], None  # last: the time the previous sentence named, when it is not the story's own
    for sentence, doc, anchor in zip(sentences, docs, anchors):
        if anchor is None and _points_back(sentence, doc):
            anchor = last
        else:
            elsewhere = anchor is not None and event is not None and not anchor.overlaps(event, PARAMS.event_slack_days)
            last = anchor if elsewhere else None
        out.append(anchor)
    return out


def _with_event(anchor: When, event: When | None) -> When:
    """A period reaching up to the report's event ("at the end of September" in a report of late October,
    "earlier this month") spans both: the story's own time and the time it names. So does a day a few
    days off ("released the figures on Wednesday" in a report of Tuesday): a day of the story, which
    may itself be the fact that differs."""
    if event is None:
        return anchor
    near = (
        anchor.overlaps(event, OWN_PERIOD_DAYS)
        if _wider(anchor, event)
        else anchor.overlaps(event, PARAMS.event_slack_days)
    )
    if not near:
        return anchor
    return When(min(anchor.start, event.start), max(anchor.end, event.end), anchor.text)


def _wider(a: When, b: When) -> bool:
    return (a.end - a.start) > (b.end - b.start)


def same_event(a: When | None, b: When | None, slack_days: int) -> bool:
    """Whether two times may be one event: unknown is never ruled out; the slack is for days
    reported a little differently, not for periods ("after February") that already say enough."""
    if a is None or b is None:
        return True
    short = _fine_day(a) and _fine_day(b)
    return a.overlaps(b, slack_days if short else 0)


def _fine_day(when: When) -> bool:
    return (when.end - when.start).days <= 7
