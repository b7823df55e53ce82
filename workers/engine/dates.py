"""Dates: decide WHEN a news report and each of its sentences is about.

Facts about different events (this year's final vs last year's, a 2025 quake vs a
2019 one, the first round vs the runoff, Q2 vs Q1) must never be compared, so every
report and sentence gets a date interval (`When`) and, optionally, an ordinal event
tag (`event_round`).  Pure, offline: spaCy (DATE entities + parse) and dateparser,
which is only ever run on a DATE span or on a date-shaped match, never on prose.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# --------------------------------------------------------------------------------------
# Data: general-English word lists.  Kept here so behaviour is tuned by data, not code.
# --------------------------------------------------------------------------------------

# Labels of a metadata line carrying the publication date.  The first group wins over
# the second: an update can come days after the event, the first publication cannot.
PUBLISHED_LABELS = ("first published", "originally published", "published", "posted", "date")
UPDATED_LABELS = ("last updated", "updated", "last modified", "modified")
# Only this many lines from the top can hold a stand-alone date line (a byline area).
STANDALONE_SCAN_LINES = 15
# Numeric dates such as 03/04/2025 are read in this order (dateparser's DATE_ORDER).
NUMERIC_DATE_ORDER = "MDY"
# Plausible years for dates found in URLs (8-digit runs are otherwise ids).
URL_YEAR_RANGE = (1990, 2100)

# A head preposition (or first word of the span) that makes a date a boundary,
# a range or a deadline rather than the time of the event itself.
NON_ANCHOR_PREPOSITIONS = frozenset(
    {
        "for",
        "over",
        "throughout",
        "within",
        "since",
        "until",
        "till",
        "through",
        "across",
        "between",
        "by",
        "before",
        "after",
        "from",
        "spanning",
        "lasting",
    }
)
# Dependency labels of a date that modifies a noun ("last year's champion", "the 2024 winner").
NOUN_MODIFIER_DEPS = frozenset({"poss", "compound", "nmod", "amod"})
# Conjunctions of a clause that bounds a period rather than telling the event ("since records began in 1921").
BOUNDARY_MARKS = frozenset({"since", "until", "till"})
# Words that make a date the baseline of a comparison, not the time of the event.
BASELINE_WORDS = frozenset({"than", "compared", "versus", "vs", "vs."})
# Words that make a span a frequency ("every year", "twice a year").
FREQUENCY_WORDS = frozenset(
    {"every", "each", "per", "annual", "annually", "yearly", "monthly", "weekly", "daily", "once", "twice", "times"}
)
# Words that make a span an open period ending now ("the past decade", "recent years").
PERIOD_WORDS = frozenset(
    {
        "past",
        "recent",
        "recently",
        "coming",
        "few",
        "several",
        "many",
        "decades",
        "centuries",
        "years",
        "months",
        "weeks",
    }
)
# Words that make a span an age ("45 years old", "aged 45").
AGE_WORDS = frozenset({"old", "aged", "age", "ages", "older", "younger"})
# Words that turn a counted unit ("two years") into an anchor ("two years ago").
RELATIVE_ANCHOR_WORDS = frozenset(
    {"ago", "earlier", "later", "before", "after", "last", "this", "next", "previous", "prior"}
)
# "May last year", "last May", "this March", "March of next year": a month counted from the reference's year.
RELATIVE_YEAR_SHIFT = {"last": -1, "previous": -1, "this": 0, "next": 1}
# Synonyms dateparser does not know, rewritten to words it does.
RELATIVE_REWRITES = (
    (r"\b(earlier|before|previously|prior)$", "ago"),
    (r"^(.*)\blater$", r"in \1"),
    (r"\bprevious\b", "last"),
    (r"\bthe\s+", ""),
)
# Qualifiers inside a span that narrow it (early March) - dropped: we keep the
# whole unit, a deliberately coarse but safe interval.
QUALIFIER_RE = r"^(?:earlier|later|early|mid|late|the (?:end|start|beginning|middle|first half|second half) of)[\s-]+"
# Day-level phrases spaCy often tags TIME, as offsets from the reference date.
RELATIVE_DAYS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "yesterday morning": -1,
    "yesterday afternoon": -1,
    "yesterday evening": -1,
    "tomorrow": 1,
}
# Ordinals usable for quarters, halves and rounds.
ORDINALS = {
    "first": 1,
    "1st": 1,
    "opening": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "sixth": 6,
    "6th": 6,
}
# Northern-hemisphere seasons as (first month, number of months).
SEASONS = {"spring": (3, 3), "summer": (6, 3), "autumn": (9, 3), "fall": (9, 3), "winter": (12, 3)}
# "season" (sports) has no calendar: a 12-month window ending at the reference date.
SEASON_WORDS = frozenset({"season", "campaign"})
# Sub-day units: an ordinal of these ("the 88th minute") is match time, not a date.
SUBDAY_UNITS = frozenset({"second", "seconds", "minute", "minutes", "hour", "hours"})
# A yearless date more than this many days after the reference is taken from the
# previous year ("December 28" in a January report) unless the verb is future.
YEAR_WRAP_DAYS = 183
# Verbs that report rather than narrate: their complement clause holds the event.
REPORTING_VERBS = frozenset(
    {
        "said",
        "says",
        "say",
        "told",
        "tells",
        "announced",
        "announces",
        "reported",
        "reports",
        "added",
        "stated",
        "confirmed",
        "confirms",
        "disclosed",
        "revealed",
        "claimed",
        "noted",
        "wrote",
        "explained",
        "insisted",
    }
)
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
# Entity labels that signal a financial sentence, where "the second quarter" is fiscal.
FINANCIAL_LABELS = frozenset({"MONEY", "PERCENT"})
# Cheap pre-filter: a sentence without a digit or one of these words has no anchor,
# so spaCy and dateparser are skipped entirely.
GATE_WORDS = frozenset(
    {
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "decade",
        "century",
        "season",
        "quarter",
        "half",
        "today",
        "yesterday",
        "tonight",
        "tomorrow",
        "ago",
        "earlier",
        "later",
        "weekend",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
        "night",
        "morning",
        "afternoon",
        "evening",
        "campaign",
    }
)

# The one home of the month names (English, from the stdlib calendar): facts.py, events.py and the
# bench read them from here. MONTH_NUMBERS: every lower-case name and abbreviation ("sept" too) -> 1..12.
MONTH_NAMES: tuple[str, ...] = tuple(calendar.month_name[1:])
MONTH_NUMBERS: dict[str, int] = {
    name: number
    for number, month in enumerate(MONTH_NAMES, 1)
    for name in (month[:3].lower(), *(("sept",) if number == 9 else ()), month.lower())
}

# --------------------------------------------------------------------------------------
# Derived patterns (from the stdlib calendar, so no hand-typed month lists).
# --------------------------------------------------------------------------------------
_MONTH_ALT = "|".join(
    sorted(
        {*(m for m in calendar.month_name[1:]), *(m for m in calendar.month_abbr[1:]), "Sept"}, key=len, reverse=True
    )
)
_WEEKDAY_ALT = "|".join(sorted({*calendar.day_name, *calendar.day_abbr}, key=len, reverse=True))
_MONTH = rf"(?:{_MONTH_ALT})\.?"
_WEEKDAY = rf"(?:{_WEEKDAY_ALT})\.?"
_DAYNUM = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_LONG_DATE = (
    rf"(?:{_MONTH}\s+{_DAYNUM},?\s+{_YEAR}|{_DAYNUM}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"
    rf"|{_YEAR}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/{_YEAR})"
)
_YEARLESS_DATE = rf"(?:{_MONTH}\s+{_DAYNUM}|{_DAYNUM}\s+{_MONTH})"
_TIME_TAIL = (
    r"(?:[\s,|·•@]*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)?"
    r"(?:\s*\(?[A-Z]{2,5}\)?)?"
)

_URL_PATTERNS = (
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$|[^\d])"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.](\d{2})[-_.](\d{2})(?!\d)"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)"),
)
_LABEL_RE = re.compile(
    rf"^\W*(?P<label>{'|'.join(map(re.escape, PUBLISHED_LABELS + UPDATED_LABELS))})\b"
    rf"[^\n]{{0,40}}?(?P<date>{_LONG_DATE})",
    re.IGNORECASE | re.MULTILINE,
)
_DATELINE_RE = re.compile(
    rf"^[ \t]*(?:[A-Z][A-Z.'\- ]+(?:,\s*[A-Z][A-Za-z.'\- ]+)*,\s*)?(?:{_WEEKDAY},?\s+)?"
    rf"(?P<date>{_LONG_DATE}|{_YEARLESS_DATE})\s*(?:\([^)\n]{{1,40}}\))?\s*(?:[-–—:]|$)",
    re.MULTILINE,
)
_STANDALONE_RE = re.compile(
    rf"^\W*(?:{_WEEKDAY},?\s+)?(?P<date>{_LONG_DATE})"
    rf"(?:T[\d:.]+(?:Z|[+-]\d{{2}}:?\d{{2}})?)?{_TIME_TAIL}\W*$"
)
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_HAS_YEAR_RE = re.compile(rf"\b{_YEAR}\b")
_HAS_MONTH_RE = re.compile(rf"\b{_MONTH}(?!\w)", re.IGNORECASE)
_HAS_WEEKDAY_RE = re.compile(rf"\b(?P<wd>{_WEEKDAY_ALT})\b", re.IGNORECASE)
_DAY_NUMBER_RE = re.compile(r"(?<![\d-])\d{1,2}(?:st|nd|rd|th)?(?![\d-])")
_DECADE_RE = re.compile(r"^(?:the\s+)?((?:19|20)\d)0'?s$")
_QUARTER_RE = re.compile(
    rf"^(?:the\s+)?(?:(?P<qh>[qh])(?P<n>[1-4])|(?P<ord>{'|'.join(ORDINALS)})[\s-]+(?P<unit>quarter|half))"
    rf"(?:\s+(?:of\s+)?(?:fiscal\s+|fy\s*)?(?P<year>{_YEAR}))?$"
)
_RELATIVE_QUARTER_RE = re.compile(r"^(?:the\s+)?(?P<rel>last|previous|this|next|current)\s+quarter$")
_SEASON_RE = re.compile(
    rf"^(?:the\s+)?(?:(?P<rel>last|this|next)\s+)?(?P<s>{'|'.join(SEASONS)})"
    rf"(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?$"
)
_SPORT_SEASON_RE = re.compile(rf"^(?:the\s+)?(?P<rel>last|this|previous|current|next)\s+(?:{'|'.join(SEASON_WORDS)})$")
_COUNT_UNIT_RE = re.compile(
    r"^(?:about|around|nearly|almost|some|more than|over|up to|at least)?\s*"
    r"(?:the\s+)?(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"\d+(?:\.\d+)?|a few|several|many|a couple of|half an?|\d+-)?[\s-]*"
    r"(?:day|week|month|year|decade|century|centurie|hour|minute|season|quarter|night)s?(?:-long)?$"
)
_GATE_RE = re.compile(rf"\d|\b(?:{_MONTH_ALT}|{_WEEKDAY_ALT}|{'|'.join(GATE_WORDS)})\b", re.IGNORECASE)
_QTOKEN_RE = re.compile(r"^[QqHh][1-4]$")


# --------------------------------------------------------------------------------------
# The value type.
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class When:
    """An inclusive date interval and the words it came from."""

    start: dt.date
    end: dt.date
    text: str

    def overlaps(self, other: When, slack_days: int = 0) -> bool:
        """True when the intervals meet once each is widened by slack_days."""
        slack = dt.timedelta(days=slack_days)
        return self.start <= other.end + slack and other.start <= self.end + slack


def same_event(a: When | None, b: When | None, slack_days: int = 3) -> bool:
    """May a and b be the same event?  Unknown time (None) never rules it out."""
    if a is None or b is None:
        return True
    return a.overlaps(b, slack_days)


# --------------------------------------------------------------------------------------
# Interval helpers.
# --------------------------------------------------------------------------------------
def _day(d: dt.date, text: str) -> When:
    return When(d, d, text)


def _month(y: int, m: int, text: str, months: int = 1) -> When:
    end_y, end_m = y + (m + months - 2) // 12, (m + months - 2) % 12 + 1
    return When(dt.date(y, m, 1), dt.date(end_y, end_m, calendar.monthrange(end_y, end_m)[1]), text)


def _year(y: int, text: str) -> When:
    return When(dt.date(y, 1, 1), dt.date(y, 12, 31), text)


def _week(d: dt.date, text: str) -> When:
    monday = d - dt.timedelta(days=d.weekday())
    return When(monday, monday + dt.timedelta(days=6), text)


def _period(d: dt.date, period: str, text: str) -> When:
    """Widen a parsed date to the unit dateparser says it names."""
    if period == "year":
        return _year(d.year, text)
    if period == "month":
        return _month(d.year, d.month, text)
    if period == "week":
        return _week(d, text)
    return _day(d, text)


def _valid(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


# --------------------------------------------------------------------------------------
# dateparser, only ever on a short date-shaped string.
# --------------------------------------------------------------------------------------
def _dateparse(text: str, reference: dt.date | None, parts: list[str] | None = None):
    """(date, period) from dateparser, or None."""
    from dateparser.date import DateDataParser  # lazy: its import costs ~0.3 s

    settings: dict = {"PREFER_DATES_FROM": "past", "DATE_ORDER": NUMERIC_DATE_ORDER}
    if reference is not None:
        settings["RELATIVE_BASE"] = dt.datetime(reference.year, reference.month, reference.day)
    if parts:
        settings["REQUIRE_PARTS"] = parts
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


def _parse_full_date(text: str) -> dt.date | None:
    """A date-with-year string (ISO, long form, numeric) -> date."""
    m = _ISO_RE.match(text.strip())
    if m:  # exact, no timezone shifting
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    got = _dateparse(text, None, ["day", "month", "year"])
    return got[0] if got else None


# --------------------------------------------------------------------------------------
# Publication date.
# --------------------------------------------------------------------------------------
def _url_date(url: str) -> tuple[dt.date, str] | None:
    for pat in _URL_PATTERNS:
        for m in pat.finditer(url):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            if URL_YEAR_RANGE[0] <= y <= URL_YEAR_RANGE[1]:
                date = _valid(y, mo, d)
                if date:
                    return date, m.group(0).strip("/")
    return None


def _publication(text: str, url: str | None, today: dt.date | None) -> tuple[dt.date, str] | None:
    """Publication date and the words it came from; see publication_date."""
    if url:
        got = _url_date(url)
        if got:
            return got
    # Published/Posted beats Updated/Modified: the update may be days after the event.
    best: tuple[int, int, dt.date, str] | None = None
    for m in _LABEL_RE.finditer(text):
        rank = 0 if m["label"].lower() in PUBLISHED_LABELS else 1
        date = _parse_full_date(m["date"])
        if date and (best is None or (rank, m.start()) < best[:2]):
            best = (rank, m.start(), date, m.group(0).strip())
    if best:
        return best[2], best[3]
    for m in _DATELINE_RE.finditer(text):
        raw = m["date"]
        if _HAS_YEAR_RE.search(raw):
            date = _parse_full_date(raw)
        elif today is not None:  # a yearless dateline needs a clock to get its year
            got = _dateparse(raw, today, ["day", "month"])
            date = got[0] if got else None
        else:
            date = None
        if date:
            return date, m.group(0).strip()
    lines = [ln for ln in text.splitlines() if ln.strip()][:STANDALONE_SCAN_LINES]
    for line in lines:
        m = _STANDALONE_RE.match(line.strip())
        if m:
            date = _parse_full_date(m["date"])
            if date:
                return date, line.strip()
    return None


def publication_date(text: str, url: str | None = None, *, today: dt.date | None = None) -> dt.date | None:
    """The date a report was published or datelined: URL date, then a Published/Updated
    line (Published wins), then a paragraph-initial dateline, then a stand-alone date
    line near the top.  A yearless dateline ('LISBON, March 3 (Reuters) -') is used only
    when `today` is given (its most recent occurrence); None when nothing is found."""
    got = _publication(text, url, today)
    return got[0] if got else None


# --------------------------------------------------------------------------------------
# spaCy.
# --------------------------------------------------------------------------------------


def get_nlp():
    """The shared spaCy pipeline."""
    from workers.engine.nlp import pipeline

    return pipeline()


def _is_verb(tok) -> bool:
    return tok.tag_.startswith(("VB", "MD")) or tok.pos_ in ("VERB", "AUX")


def _governing_verb(tok):
    """Climb the parse from a token to the first verb (or the root)."""
    seen = 0
    while tok.head.i != tok.i and not _is_verb(tok) and seen < 50:
        tok, seen = tok.head, seen + 1
    return tok


def _is_future(verb) -> bool:
    return any(c.lower_ in FUTURE_AUX for c in verb.children) or verb.lower_ in FUTURE_AUX


def _candidate_spans(doc) -> list:
    """DATE entities (adjacent ones merged, a leading day number absorbed), TIME
    entities that name a day, and Q1/H2 tokens spaCy misses."""
    spans = []
    for ent in doc.ents:
        if ent.label_ == "DATE":
            start, end = ent.start, ent.end
            # spaCy splits 'Tuesday, 4 March 2025' and drops the '4': take it back.
            if start > 0 and _DAY_NUMBER_RE.fullmatch(doc[start - 1].text) and _HAS_MONTH_RE.match(doc[start].text):
                start -= 1
            if (
                spans
                and spans[-1].label_ == "DATE"
                and all(t.is_punct or _DAY_NUMBER_RE.fullmatch(t.text) for t in doc[spans[-1].end : start])
            ):
                start = spans.pop().start
            spans.append(doc[start:end])
            spans[-1].label_ = "DATE"
        elif ent.label_ == "TIME" and ent.text.lower().strip() in RELATIVE_DAYS:
            spans.append(ent)
    covered = {i for s in spans for i in range(s.start, s.end)}
    for tok in doc:
        if tok.i not in covered and _QTOKEN_RE.match(tok.text):
            end = tok.i + 1
            if end < len(doc) and _HAS_YEAR_RE.fullmatch(doc[end].text):
                end += 1
            span = doc[tok.i : end]
            span.label_ = "DATE"
            spans.append(span)
    return sorted(spans, key=lambda s: s.start)


def _is_non_anchor_context(span) -> bool:
    """Boundaries, ranges and deadlines: 'since 2015', 'for six hours', 'by 2030'."""
    first = span[0].lower_
    if first in NON_ANCHOR_PREPOSITIONS:
        return True
    head = span.root.head
    if span.root.dep_ == "pobj" and head.lower_ in NON_ANCHOR_PREPOSITIONS:
        return True
    prev = span.doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_ in NON_ANCHOR_PREPOSITIONS:
        return True
    # A baseline is not the event's time: "up from 46 million a year earlier", "compared with ... last year".
    tok, steps = head, 0
    while not _is_verb(tok) and tok.head.i != tok.i and steps < 8:
        if tok.lower_ in NON_ANCHOR_PREPOSITIONS or tok.lower_ in BASELINE_WORDS:
            return True
        tok, steps = tok.head, steps + 1
    return tok.lower_ in BASELINE_WORDS


# --------------------------------------------------------------------------------------
# Resolving one span.
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Anchor:
    when: When
    absolute: bool  # has its own month/year, not relative to the reference
    start: int  # token index, for ordering


def _yearless(d: dt.date, reference: dt.date, future: bool) -> dt.date:
    """Put a month/day on the reference's year; wrap back for late-year dates."""
    d = d.replace(year=reference.year) if not (d.month == 2 and d.day == 29) else d
    if not future and (d - reference).days > YEAR_WRAP_DAYS:
        d = d.replace(year=d.year - 1) if not (d.month == 2 and d.day == 29) else d
    return d


def _weekday(name: str, reference: dt.date, mode: str) -> dt.date:
    """'on'/'last': the weekday on or (strictly) before the reference; 'next'/'future':
    (strictly) on or after it."""
    target = [d.lower()[:3] for d in calendar.day_name].index(name.lower()[:3])
    back = (reference.weekday() - target) % 7
    fwd = (target - reference.weekday()) % 7
    if mode == "last":
        return reference - dt.timedelta(days=back or 7)
    if mode == "next":
        return reference + dt.timedelta(days=fwd or 7)
    if mode == "future":
        return reference + dt.timedelta(days=fwd)
    return reference - dt.timedelta(days=back)


def _quarter(n: int, months: int, year: int | None, reference: dt.date | None, text: str) -> When | None:
    first_month = (n - 1) * months + 1
    if year is None:
        if reference is None:
            return None
        # The most recent such period that has begun: reports cover completed periods.
        year = reference.year if dt.date(reference.year, first_month, 1) <= reference else reference.year - 1
    return _month(year, first_month, text, months)


def _resolve(span, reference: dt.date | None, financial: bool, future: bool) -> tuple[When, bool] | None:
    """(When, absolute?) for one candidate span, or None for durations/non-anchors."""
    text = span.text.strip()
    low = re.sub(r"'s$|’s$", "", text.lower()).strip(" ,.")
    words = set(re.findall(r"[a-z]+", low))
    if _is_non_anchor_context(span) or words & FREQUENCY_WORDS or words & AGE_WORDS:
        return None
    if low in RELATIVE_DAYS:
        return (_day(reference + dt.timedelta(days=RELATIVE_DAYS[low]), text), False) if reference else None
    low = re.sub(QUALIFIER_RE, "", low)
    if m := _DECADE_RE.match(low):
        y = int(m[1]) * 10
        return When(dt.date(y, 1, 1), dt.date(y + 9, 12, 31), text), True
    if m := _QUARTER_RE.match(low):
        # Bare 'the second quarter' is a game period unless money/percent or a year says fiscal.
        if not (m["qh"] or m["year"] or financial):
            return None
        n = int(m["n"]) if m["n"] else ORDINALS[m["ord"]]
        months = 6 if (m["qh"] == "h" or m["unit"] == "half") else 3
        if months == 6 and n > 2:
            return None
        w = _quarter(n, months, int(m["year"]) if m["year"] else None, reference, text)
        return (w, bool(m["year"])) if w else None
    if m := _RELATIVE_QUARTER_RE.match(low):
        if reference is None:
            return None
        q = (reference.month - 1) // 3
        shift = {"last": -1, "previous": -1, "next": 1}.get(m["rel"], 0)
        y, q = reference.year + (q + shift) // 4, (q + shift) % 4
        return _month(y, q * 3 + 1, text, 3), False
    if m := _SEASON_RE.match(low):
        first, n = SEASONS[m["s"]]
        if m["year"]:
            return _month(int(m["year"]), first, text, n), True
        if reference is None or not m["rel"]:
            return None
        y = reference.year - (first > reference.month) - (m["rel"] == "last") + (m["rel"] == "next")
        return _month(y, first, text, n), False
    if m := _SPORT_SEASON_RE.match(low):
        if reference is None:
            return None
        shift = {"last": -1, "previous": -1, "next": 1}.get(m["rel"], 0)
        end = reference + dt.timedelta(days=365 * shift)
        return When(end - dt.timedelta(days=364), end, text), False
    has_year = bool(_HAS_YEAR_RE.search(low))
    has_month = bool(_HAS_MONTH_RE.search(low))
    if not (words & RELATIVE_ANCHOR_WORDS) and not has_year and not has_month:
        if _COUNT_UNIT_RE.match(low) or words & PERIOD_WORDS:
            return None  # 'three years', 'decades', 'six hours': a duration
    if words & PERIOD_WORDS and not (words & {"ago", "earlier", "later"}):
        return None  # 'the past decade', 'the last three years', 'recent months'
    if words & SUBDAY_UNITS or re.search(r"\d(?:st|nd|rd|th)\s+(?:day|week|month|year)", low):
        return None  # 'the 88th minute', 'the 3rd day' count from an event, not the calendar
    if re.fullmatch(rf"(?:in\s+)?({_YEAR})", low):
        return _year(int(low[-4:]), text), True
    wd = _HAS_WEEKDAY_RE.search(low)
    if wd and not has_month and not re.search(r"\d", low):
        if reference is None:
            return None
        mode = "last" if "last" in words else "next" if "next" in words else "future" if future else "on"
        return _day(_weekday(wd["wd"], reference, mode), text), False
    if wd:  # 'Tuesday, 4 March 2025': the weekday adds nothing once a date is there
        low = _HAS_WEEKDAY_RE.sub("", low).strip(" ,")
    if (
        has_month
        and not has_year
        and reference is not None
        and (relative := _month_of_relative_year(low, words, reference, text))
    ):
        return relative, False
    if has_month:
        has_day = bool(_DAY_NUMBER_RE.search(_HAS_YEAR_RE.sub("", low)))
        parts = (["day"] if has_day else []) + ["month"] + (["year"] if has_year else [])
        if not has_year and reference is None:
            return None
        got = _dateparse(low, reference, parts)
        if got is None:
            return None
        d, _ = got
        if not has_year:
            d = _yearless(d, reference, future)
        return (_day(d, text) if has_day else _month(d.year, d.month, text)), has_year
    if has_year and not (words & RELATIVE_ANCHOR_WORDS):
        # 'fiscal 2024', 'the 2019 final' residue: the year itself.
        return _year(int(_HAS_YEAR_RE.search(low).group(0)), text), True
    if reference is None:
        return None
    rel = low
    for pat, rep in RELATIVE_REWRITES:
        rel = re.sub(pat, rep, rel).strip()
    got = _dateparse(rel, reference)
    if got is None:
        return None
    return _period(got[0], got[1], text), False


def _month_of_relative_year(low: str, words: set[str], reference: dt.date, text: str) -> When | None:
    """'May last year', 'March of next year', 'last May' (the latest May before the reference's month)."""
    shift = next((RELATIVE_YEAR_SHIFT[w] for w in words if w in RELATIVE_YEAR_SHIFT), None)
    if shift is None:
        return None
    month = MONTH_NUMBERS[_HAS_MONTH_RE.search(low).group(0).lower()]
    if "year" in words:
        year = reference.year + shift
    elif shift < 0:
        year = reference.year if month < reference.month else reference.year - 1
    elif shift > 0:
        year = reference.year if month > reference.month else reference.year + 1
    else:
        year = reference.year
    return _month(year, month, text)


def _in_boundary_clause(verb, root) -> bool:
    """'The most since records began in 1921': a date in a since/until clause bounds a period, it does not
    date the sentence's event. (A relative clause may: 'the study, published in 2023, found ...'.)"""
    tok, steps = verb, 0
    while tok.i != root.i and steps < 50:
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in BOUNDARY_MARKS for c in tok.children):
            return True
        tok, steps = tok.head, steps + 1
    return False


def _anchors(span, reference: dt.date | None) -> list[_Anchor]:
    """All resolvable anchors of a sentence span, main-event ones first.

    Main event = the root verb, or, when the root is a reporting verb ('said'),
    its complement clause first ('He said on Monday that the quake struck in 2019'
    -> 2019).  Within a rank, order of appearance."""
    doc = span.doc
    cands = [c for c in _candidate_spans(doc) if c.start >= span.start and c.end <= span.end]
    if not cands:
        return []
    financial = any(e.label_ in FINANCIAL_LABELS for e in doc.ents if e.start >= span.start and e.end <= span.end)
    ranked = []
    for c in cands:
        verb = _governing_verb(c.root)
        root = c.sent.root if c.doc.has_annotation("DEP") else verb
        if (
            root.lower_ in REPORTING_VERBS
            and verb.i != root.i
            and verb.head.i == root.i
            and verb.dep_ in ("ccomp", "conj")
        ):
            rank = 0
        elif verb.i == root.i:
            rank = 1 if root.lower_ not in REPORTING_VERBS else 2
        elif _in_boundary_clause(verb, root):
            continue
        else:
            rank = 3
        got = _resolve(c, reference, financial, _is_future(verb))
        if got:
            # "Last year's champion won on Sunday": a date naming which champion yields to the date of the winning.
            modifier = c.root.dep_ in NOUN_MODIFIER_DEPS
            ranked.append((rank, modifier, c.start, _Anchor(got[0], got[1], c.start)))
    return [a for *_, a in sorted(ranked, key=lambda r: r[:3])]


def sentence_when(sentence: str, reference: dt.date | None, doc=None) -> When | None:
    """The time the sentence anchors itself to, resolved against `reference`, or None
    (no anchor, or only durations/frequencies/ranges/match times).  With several
    anchors: the first one attached to the main event verb (see _anchors)."""
    if doc is None:
        if not _GATE_RE.search(sentence):
            return None  # no digit and no time word: skip spaCy and dateparser
        doc = get_nlp()(sentence)
    anchors = _anchors(doc[:], reference)
    return anchors[0].when if anchors else None


# --------------------------------------------------------------------------------------
# Whole report.
# --------------------------------------------------------------------------------------
def _sentences(text: str, docs: Iterable | None) -> list:
    if docs is None:
        paras = [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
        docs = get_nlp().pipe(paras)
    return [s for d in docs for s in d.sents]


def report_when(text: str, url: str | None = None, docs=None, *, today: dt.date | None = None) -> When | None:
    """The event a whole report is about: its publication date when known, else the
    day/month (with a year) its sentences' main anchors give most often, yearless
    mentions counted after taking the year of the first dated mention; else None.
    Year-only mentions never decide ('in 2019' is usually background)."""
    got = _publication(text, url, today)
    if got:
        return _day(got[0], got[1])
    sents = _sentences(text, docs)
    first_pass = [a for s in sents for a in _anchors(s, None)[:1]]
    dated = [a.when for a in first_pass if a.absolute and (a.when.end - a.when.start).days < 31]
    if not dated:
        return None
    reference = Counter((w.start, w.end) for w in dated).most_common(1)[0][0][1]
    votes: Counter = Counter()
    first_seen: dict = {}
    for i, s in enumerate(sents):
        for a in _anchors(s, reference)[:1]:
            if (a.absolute or _HAS_MONTH_RE.search(a.when.text)) and (a.when.end - a.when.start).days < 31:
                key = (a.when.start, a.when.end)
                votes[key] += 1
                first_seen.setdefault(key, (i, a.when))
    best = max(votes, key=lambda k: (votes[k], -first_seen[k][0]))
    return first_seen[best][1]
