"""The checkable details of a sentence: numbers with units, dates, places, people's titles, negation.

Each extractor is a small set of general English patterns; nothing here knows the
corpus. Values are normalised so that two reports can be compared slot by slot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "dozen": 12,
    "dozens": 24,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HEDGE_ABOVE = ("more than", "over", "at least", "just over", "upwards of")
HEDGE_BELOW = ("less than", "under", "up to", "fewer than", "at most", "just under")
HEDGE_NEAR = ("almost", "nearly", "about", "around", "roughly", "approximately", "some", "close to")
UNIT_SKIP = {"long", "more", "full", "straight", "consecutive", "additional", "other", "new", "of", "and", "a", "half"}
UNIT_ALIASES = {
    "hrs": "hour",
    "hr": "hour",
    "mins": "minute",
    "min": "minute",
    "%": "percent",
    "per": "percent",
    "pct": "percent",
    "people": "person",
    "persons": "person",
}
# Spans of time are one quantity, in hours, so "five weeks" and "three months" compare.
HOURS = {"minute": 1 / 60, "hour": 1, "day": 24, "week": 168, "month": 730, "year": 8760, "decade": 87600}
NEGATIONS = re.compile(
    r"\b(not|no|never|none|neither|nor|without|absent|absence|excluded|exclude|excluding|exclusion|nothing|"
    r"nobody|cannot|refused|denied|rejected)\b|n['’]t\b",
    re.IGNORECASE,
)
TITLE_HEADS = (
    "president",
    "presidents",
    "minister",
    "ministers",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ambassador",
    "envoy",
    "chancellor",
    "senator",
    "governor",
    "speaker",
    "general",
    "leader",
    "king",
    "queen",
    "prince",
    "director",
    "chief",
    "ceo",
    "chairman",
    "chairwoman",
    "mayor",
    "commander",
    "adviser",
    "advisor",
    "premier",
    "representative",
    "sen",
    "gen",
    "gov",
)
# The words a title is made of: its heads and the words around them.
TITLE_WORDS = set(TITLE_HEADS) | {
    "vice",
    "prime",
    "foreign",
    "defense",
    "defence",
    "interior",
    "finance",
    "deputy",
    "assistant",
    "state",
    "special",
    "chair",
    "head",
    "ministry",
    "press",
    "national",
    "security",
    "of",
    "former",
    "ex",
    "then",
    "acting",
    "outgoing",
    "incoming",
    "new",
    "rep",
}
FORMER = {"former", "ex", "then", "outgoing"}
# Role words compared as one (judge) and, with abbreviations, titles' heads.
ROLE_ALIASES = {
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "presidents": "president",
    "ministers": "minister",
    "chairwoman": "chairman",
    "chair": "chairman",
    "advisor": "adviser",
}
HEAD_ALIASES = ROLE_ALIASES | {"sen": "senator", "gen": "general", "gov": "governor"}
VENUES = (
    "residence",
    "consulate",
    "embassy",
    "hotel",
    "palace",
    "headquarters",
    "mansion",
    "villa",
    "compound",
    "kremlin",
    "white house",
)
COUNTRIES = {
    "afghanistan",
    "albania",
    "algeria",
    "argentina",
    "armenia",
    "australia",
    "austria",
    "azerbaijan",
    "belarus",
    "belgium",
    "brazil",
    "bulgaria",
    "canada",
    "chile",
    "china",
    "colombia",
    "croatia",
    "cuba",
    "cyprus",
    "czechia",
    "denmark",
    "egypt",
    "estonia",
    "finland",
    "france",
    "georgia",
    "germany",
    "greece",
    "hungary",
    "india",
    "indonesia",
    "iran",
    "iraq",
    "ireland",
    "israel",
    "italy",
    "japan",
    "jordan",
    "kazakhstan",
    "kuwait",
    "latvia",
    "lebanon",
    "libya",
    "lithuania",
    "mexico",
    "moldova",
    "mongolia",
    "morocco",
    "netherlands",
    "nigeria",
    "north korea",
    "norway",
    "oman",
    "pakistan",
    "poland",
    "portugal",
    "qatar",
    "romania",
    "russia",
    "saudi arabia",
    "serbia",
    "singapore",
    "slovakia",
    "south africa",
    "south korea",
    "spain",
    "sweden",
    "switzerland",
    "syria",
    "taiwan",
    "turkey",
    "türkiye",
    "turkiye",
    "ukraine",
    "united arab emirates",
    "uae",
    "united kingdom",
    "uk",
    "britain",
    "united states",
    "us",
    "u.s.",
    "usa",
    "america",
    "venezuela",
    "vietnam",
    "yemen",
    "crimea",
    "europe",
}
STOPWORDS = set(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    this that these those it its it's their there they them he she his her we our you your i
    has have had do does did will would can could should may might must shall not no also than
    then so such which who whom whose what when where while after before during about into over
    under between both either each other more most some any all just only very said says say
    according told tell including amid against toward towards since until up out off per via
    new s""".split()
)

WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w’'.-]*")
NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ](?:[\w’'-]|\.(?=[A-Z]))*)"
NUMBER_TOKEN = r"(?:\d+(?:[.,]\d+)*|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
QUANTITY = re.compile(
    rf"\b(?P<num>{NUMBER_TOKEN}(?:[- ](?:and a half|{NUMBER_TOKEN}|million|billion))*)"
    rf"(?:(?P<pct>\s?%)|[- ](?P<unit>(?:[a-z]+[- ]){{0,2}}?[a-z]+))",
    re.IGNORECASE,
)
DAY_MONTH = re.compile(
    r"(?i)\b(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(?P<day>\d{1,2})\b"
    r"|\b(?P<day2>\d{1,2})\s+(?P<month2>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b",
)
MONTH_ONLY = re.compile(
    r"\b(?:in|since|from|until|by|early|late|mid-?)\s+(?P<month>"
    r"January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b"
)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
TITLE_WORD = r"(?:" + "|".join(sorted(TITLE_WORDS, key=len, reverse=True)) + r")\.?"
TITLED_NAME = re.compile(
    rf"(?i:\b(?P<title>(?:{TITLE_WORD}[\s-]+)*?(?:{'|'.join(TITLE_HEADS)})\.?(?:\s+of\s+state)?))\s+"
    rf"(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})"
    rf"(?P<more>(?:\s+and\s+{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})?)"
)
PLACE = re.compile(
    rf"\b(?:in|at)\s+(?:the\s+)?(?P<name>{NAME_WORD}(?:\s+(?:of\s+)?{NAME_WORD}){{0,2}})"
    rf"(?P<after>\.?\s+[a-z]+)?"
)
VENUE = re.compile(
    r"\b(?:at|in|inside|outside)\s+(?:the\s+)?(?P<name>(?:[\w.’'-]+\s+){0,4}?(?:" + "|".join(VENUES) + r"))\b",
    re.IGNORECASE,
)
FUNCTION_WORDS = STOPWORDS | {"last", "next", "earlier", "later", "today", "yesterday", "week", "month", "year"}


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    hedge: str  # "", "above", "below" or "near"
    text: str


@dataclass(frozen=True)
class Title:
    person: str  # surname, lower case
    role: str  # e.g. "president", "foreign minister"
    former: bool
    text: str

    @property
    def head(self) -> str:
        words = self.role.split(" of ")[0].split()
        return HEAD_ALIASES.get(words[-1], words[-1]) if words else ""

    def label(self) -> str:
        return ("former " if self.former else "") + self.role


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # "venue", "country" or "city"
    text: str
    context: frozenset[str] = frozenset()  # words just before it: what happened there


@dataclass(frozen=True)
class DateRef:
    key: str
    kind: str  # "weekday", "day", "month" or "year"
    text: str
    context: frozenset[str] = frozenset()  # words around it: what the date is the date of


@dataclass(frozen=True)
class Facts:
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateRef, ...] = ()
    places: tuple[Place, ...] = ()
    titles: tuple[Title, ...] = ()
    leaders: tuple[str, ...] = ()  # surnames of the people said to lead or head something
    negated: bool = False
    negated_clause: str | None = None  # the clause a negation stands in
    # What that clause denies: the words just before the negation and just after it.
    denied: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    terms: frozenset[str] = field(default_factory=frozenset)
    names: frozenset[str] = frozenset()  # stems of capitalised words: people, places, bodies


def stem(word: str) -> str:
    """A crude English stem: enough to match 'talks'/'talk', 'met'/'meeting' is left to embeddings."""
    word = word.lower().strip("’'.-")
    for suffix, keep in (
        ("ations", ""),
        ("ation", ""),
        ("ions", ""),
        ("ion", ""),
        ("ies", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + keep
    return word


def content_terms(text: str) -> frozenset[str]:
    """Lower-case stems of the words that carry meaning."""
    words = (w.lower().strip("’'.-") for w in WORD.findall(text))
    terms = {stem(w) for w in words if len(w) > 2 and w not in STOPWORDS}
    terms.update(f"#{q.value:g}" for q in quantities(text))
    return frozenset(terms)


def parse_number(text: str) -> float | None:
    total, current, seen = 0.0, 0.0, False
    for token in re.split(r"[- ]+", text.lower()):
        if token in ("and", "a"):
            continue
        if token == "half":
            current += 0.5
        elif token in SCALES:
            current = (current or 1) * SCALES[token]
            if SCALES[token] >= 1000:
                total, current = total + current, 0.0
        elif token in NUMBER_WORDS:
            current += NUMBER_WORDS[token]
        else:
            try:
                current += float(token.replace(",", ""))
            except ValueError:
                return None
        seen = True
    return total + current if seen else None


def _hedge(text: str, at: int) -> str:
    before = text[max(0, at - 16) : at].lower()
    for hedge, words in (("above", HEDGE_ABOVE), ("below", HEDGE_BELOW), ("near", HEDGE_NEAR)):
        if any(before.rstrip().endswith(w) for w in words):
            return hedge
    return ""


def _date_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in DAY_MONTH.finditer(text)] + [m.span() for m in YEAR.finditer(text)]


def quantities(text: str) -> list[Quantity]:
    """Numbers with the noun they count: 'six hours', 'five-hour', '30%', '60 others'."""
    taken = _date_spans(text)
    found = []
    for match in QUANTITY.finditer(text):
        if any(a <= match.start("num") < b for a, b in taken):
            continue
        value = parse_number(match.group("num"))
        if value is None:
            continue
        if match.group("pct"):
            unit = "percent"
        else:
            words = [w for w in re.split(r"[- ]", match.group("unit").lower()) if w]
            words = [w for w in words if w not in UNIT_SKIP] or words
            unit = UNIT_ALIASES.get(words[0], words[0])
            if unit in STOPWORDS or unit in MONTHS:
                continue
            singular = unit[:-1] if unit.endswith("s") and unit[:-1] in HOURS else unit
            unit = singular if singular in HOURS else (stem(unit) if len(unit) > 3 else unit)
        if unit in HOURS:
            value, unit = value * HOURS[unit], "duration"
        found.append(Quantity(value, unit, _hedge(text, match.start()), match.group().strip()))
    return found


def _context(text: str, start: int, end: int) -> frozenset[str]:
    # A date mostly qualifies what comes just before it ("annexed Crimea in 2014"),
    # sometimes the noun right after ("a February 12 call").
    before = WORD.findall(text[:start])[-4:]
    after = WORD.findall(text[end:])[:2]
    return frozenset(stem(w) for w in before + after if w.lower() not in STOPWORDS and len(w) > 2)


def dates(text: str) -> list[DateRef]:
    found = []
    for m in DAY_MONTH.finditer(text):
        month = MONTHS[(m.group("month") or m.group("month2")).lower()]
        day = int(m.group("day") or m.group("day2"))
        found.append(DateRef(f"{month:02d}-{day:02d}", "day", m.group(), _context(text, *m.span())))
    for m in MONTH_ONLY.finditer(text):
        key = f"{MONTHS[m.group('month').lower()]:02d}"
        found.append(DateRef(key, "month", m.group("month"), _context(text, *m.span())))
    found += [DateRef(m.group(), "year", m.group(), _context(text, *m.span())) for m in YEAR.finditer(text)]
    found += [
        DateRef(m.group(1).lower(), "weekday", m.group(1), _context(text, *m.span())) for m in WEEKDAY.finditer(text)
    ]
    return found


def _surname(name: str) -> str:
    last = name.split()[-1]
    return re.sub(r"['’]s$", "", last).strip(".").lower()


def titles(text: str) -> list[Title]:
    """People named right after a title: 'former President Donald Trump', 'Foreign Minister Sergey Lavrov'."""
    found = []
    for match in TITLED_NAME.finditer(text):
        role_words = [w.lower().strip(".") for w in re.split(r"[\s-]+", match.group("title"))]
        start = match.start("title")
        # "former" and friends may stand before words that are not titles: "former U.S. President".
        before = text[max(0, start - 30) : start].lower().split()
        former = any(w in FORMER for w in role_words) or any(w in FORMER for w in before[-2:])
        role = " ".join(w for w in role_words if w not in FORMER and w not in ("new", "acting", "incoming"))
        names = [match.group("name")] + re.findall(
            rf"and\s+({NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})", match.group("more")
        )
        for name in names:
            if name.split()[0].lower().strip(".") in TITLE_WORDS:
                continue
            found.append(Title(_surname(name), role, former, match.group().strip()))
    return found


def _place_kind(name: str) -> str:
    return "country" if name.lower() in COUNTRIES else "city"


VENUE_CUE = re.compile(r"\b(venue|hosted|took place|was held|were held|site)\b", re.IGNORECASE)
VENUE_SUBJECT = re.compile(
    r"\b[Tt]he\s+(?P<name>(?:[A-Z][\w.’'-]*\s+){1,3}(?:[a-z]+\s+)?(?:" + "|".join(VENUES) + r"))\b"
)


def places(text: str) -> list[Place]:
    """Where something happened: a venue ('at Russia's consulate') or a named city or country."""
    found = []
    if VENUE_CUE.search(text):  # "The Russian consulate served as the venue"
        for m in VENUE_SUBJECT.finditer(text):
            name = re.sub(r"['’]s\b", "", m.group("name").lower())
            found.append(Place(name, "venue", m.group(), frozenset({"venue"})))
    for m in VENUE.finditer(text):
        name = m.group("name").lower()
        if not re.search(
            r"\b(their|its|our|his|her|both|respective|these|those|to|over|in|on|for|with|about|from|into|and)\b", name
        ):
            before = frozenset(stem(w) for w in WORD.findall(text[: m.start()])[-4:])
            found.append(Place(re.sub(r"['’]s\b", "", name), "venue", m.group(), before))
    for m in PLACE.finditer(text):
        name = m.group("name")
        first = name.split()[0].lower().strip(".")
        after = (m.group("after") or "").strip(". ")
        if re.search(r"['’]s$", name):
            continue  # "in Washington's policy": an owner, not a place
        if first in MONTHS or first in WEEKDAYS or first in TITLE_WORDS or first in STOPWORDS:
            continue
        modifier = "-" in name or name.rstrip(".").isupper() or name.lower().endswith(("an", "ese", "ish"))
        if modifier and after and after not in FUNCTION_WORDS:
            continue  # "in US-Russia relations", "in U.S. foreign policy": a modifier, not a place
        found.append(Place(name.lower().rstrip("."), _place_kind(name.rstrip(".")), text[m.start() : m.end("name")]))
    return found


LEADS = re.compile(r"\b(led|leads|lead|leading|headed|heads|heading|chaired|chairs)\b", re.IGNORECASE)
FULL_NAME = re.compile(rf"{NAME_WORD}(?:\s+{NAME_WORD}){{1,2}}")
CLAUSE_BREAK = re.compile(r"\s*(?:[,;:—–]|\s(?:while|but|although|whereas|as)\s)\s*")


def leaders(text: str) -> list[str]:
    """Who a sentence says led or headed something: 'was led by Sonata Coulter' -> coulter."""
    if not LEADS.search(text):
        return []
    found = []
    for match in FULL_NAME.finditer(text):
        words = [w for w in match.group().split() if w.lower().strip(".") not in TITLE_WORDS]
        if len(words) >= 2 and words[0].lower() not in STOPWORDS and words[0].lower() not in COUNTRIES:
            found.append(_surname(" ".join(words)))
    return found


def negated_clause(text: str) -> str | None:
    """The clause that holds the sentence's first negation, if any."""
    for clause in CLAUSE_BREAK.split(text):
        if NEGATIONS.search(clause) and len(WORD.findall(clause)) >= 3:
            return clause.strip()
    return None


def denied_terms(clause: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words a negation governs: a few before the cue (its subject), a few after."""
    cue = NEGATIONS.search(clause)
    before = WORD.findall(clause[: cue.start()])[-3:]
    after = WORD.findall(clause[cue.end() :])[:8]
    return content_terms(" ".join(before)), content_terms(" ".join(after))


def names(text: str) -> frozenset[str]:
    """Stems of the capitalised words, but for a sentence's ordinary first word."""
    words = WORD.findall(text)
    return frozenset(
        stem(w)
        for n, w in enumerate(words)
        if w[:1].isupper()
        and len(w) > 2
        and not (n == 0 and w.lower() in STOPWORDS)
        and w.lower() not in STOPWORDS
        and w.lower() not in MONTHS
        and w.lower() not in WEEKDAYS
    )


def extract(text: str) -> Facts:
    """All the checkable details of one sentence."""
    clause = negated_clause(text)
    return Facts(
        quantities=tuple(quantities(text)),
        dates=tuple(dates(text)),
        places=tuple(places(text)),
        titles=tuple(titles(text)),
        leaders=tuple(leaders(text)),
        negated=bool(NEGATIONS.search(text)),
        negated_clause=clause,
        denied=denied_terms(clause) if clause else (frozenset(), frozenset()),
        terms=content_terms(text),
        names=names(text),
    )
