"""Judge one claim against the sentences of other reports, as LABELS.md says.

A claim states facts: its main fact and details (numbers with units, dates, places,
people's titles). Each independent report that addresses a fact either gives the
same value or a different one. Embeddings only find candidate sentences; the
facts themselves are compared value by value.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from workers.engine.events import Event, compatible, sentence_event
from workers.engine.facts import ROLE_ALIASES, WORD, Facts, Place, Quantity, Title, stem
from workers.engine.params import PARAMS

# Pair scores mix embedding cosine with idf-weighted word overlap (see pair_score).
MEETING_DETAILS = {"quantity", "place", "leader"}
MEETING = re.compile(
    r"\b(met|meet|meets|meeting|meetings|talks|discussions?|delegations?|sat down|round|sessions?|"
    r"negotiations?|led|headed|held)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Statement:
    """A claim sentence of a corpus report."""

    text: str
    facts: Facts
    source: int  # index of its report


@dataclass(frozen=True)
class Source:
    """What the judge needs to know about one corpus report."""

    doc: str
    title: str
    group: int  # near-duplicate reports share a group: one independent report
    event: Event | None


@dataclass(frozen=True)
class Evidence:
    doc: str
    title: str
    sentence: str
    score: float
    values: dict | None = None

    def as_dict(self) -> dict:
        out = {"doc": self.doc, "title": self.title, "sentence": self.sentence, "score": round(self.score, 3)}
        if self.values is not None:
            out["values"] = self.values
        return out


@dataclass
class Judgement:
    label: str
    support: list[Evidence] = field(default_factory=list)
    conflict: list[Evidence] = field(default_factory=list)


@dataclass
class _Finding:
    """One report's stance on one fact of the claim."""

    agrees: bool
    evidence: Evidence


def pair_score(cosine: float, page: Facts, other: Facts, idf: dict[str, float]) -> float:
    """How strongly two sentences are about the same thing, 0..1."""
    return PARAMS.cosine_weight * max(cosine, 0.0) + PARAMS.overlap_weight * word_overlap(page, other, idf)


def word_overlap(page: Facts, other: Facts, idf: dict[str, float]) -> float:
    """idf-weighted Dice overlap of the two sentences' content words."""
    if not page.terms or not other.terms:
        return 0.0
    weight = lambda terms: sum(idf.get(t, 1.0) for t in terms)
    shared = weight(page.terms & other.terms)
    return 2 * shared / (weight(page.terms) + weight(other.terms))


def _interval(q: Quantity) -> tuple[float, float]:
    """The values a stated figure allows: 'about six' is 5.3 to 6.7, 'just over five' 5 to 7.5."""
    low, high = PARAMS.number_spread[q.hedge]
    return q.value * low, q.value * high


def _same_number(a: Quantity, b: Quantity) -> bool:
    (a_low, a_high), (b_low, b_high) = _interval(a), _interval(b)
    return a_low <= b_high and b_low <= a_high


def _same_place(a: Place, b: Place) -> bool:
    a, b = (Place(p.name.replace(".", ""), p.kind, p.text) for p in (a, b))
    if a.name in b.name or b.name in a.name:
        return True
    if a.kind == "venue":
        # Same kind of building with the same owner ("Russia consulate", "Russian consulate").
        kind_a, kind_b = a.name.split()[-1], b.name.split()[-1]
        return kind_a == kind_b and a.name.split()[0][:4] == b.name.split()[0][:4]
    return False


def _same_person(a: str, b: str) -> bool:
    if a == b:
        return True
    # Transliterations differ by a letter or two: Darchiev / Darchiyev, Sergey / Sergei.
    shortest, prefix = PARAMS.name_min_length, PARAMS.name_prefix
    return (
        len(a) >= shortest
        and len(b) >= shortest
        and a[:prefix] == b[:prefix]
        and abs(len(a) - len(b)) <= PARAMS.name_length_slack
    )


GENERIC_HEADS = {"leader", "head", "chief", "representative", "official"}


def _role_words(title: Title) -> set[str]:
    return {ROLE_ALIASES.get(w, w) for w in title.role.split() if w not in ("of", "the")}


def _same_title(a: Title, b: Title) -> bool:
    """Same standing ('former' or not) and the same office: one role's words within the other's
    ('Foreign Minister' and 'Russian Foreign Minister', not 'Prime Minister')."""
    if a.former != b.former:
        return False
    mine, theirs = _role_words(a), _role_words(b)
    return mine <= theirs or theirs <= mine or bool({a.head, b.head} & GENERIC_HEADS)


def _same_people(mine: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    """One list of names within the other (a report may name only one side's leader)."""
    unmatched_mine = [a for a in mine if not any(_same_person(a, b) for b in theirs)]
    unmatched_theirs = [b for b in theirs if not any(_same_person(a, b) for a in mine)]
    return not unmatched_mine or not unmatched_theirs


SPECIFIC = {"quantity", "day", "venue", "leader"}


def _details(page: Facts, other: Facts) -> list[tuple[tuple, bool, str, str]]:
    """(fact key, agrees, page value, report value) for each detail both sentences give.

    The key's second part names the kind of detail: ("date", "weekday"), ("place", "venue").
    """
    found = []
    for q in page.quantities:
        for r in other.quantities:
            if q.unit == r.unit:
                found.append((("quantity", q.unit), _same_number(q, r), q.text, r.text))
    for kind in ("weekday", "day", "year"):
        for mine, theirs in _paired_dates(page, other, kind):
            found.append((("date", kind, mine.key), mine.key == theirs.key, mine.text, theirs.text))
    if page.leaders and other.leaders:
        agrees = _same_people(page.leaders, other.leaders)
        found.append((("leader",), agrees, ", ".join(page.leaders), ", ".join(other.leaders)))
    for kind in ("venue", "city"):
        mine = [p for p in page.places if p.kind == kind]
        theirs = [p for p in other.places if p.kind == kind]
        if mine and theirs:
            agrees = any(_same_place(a, b) for a in mine for b in theirs)
            found.append((("place", kind), agrees, mine[0].text, theirs[0].text))
    return found


def _other_occasion(page: Facts, other: Facts, known_places: frozenset[str]) -> bool:
    """Sentences naming different cities, with no date in common, tell of different events.

    Unless the page's city is one no report mentions at all: then the page may
    simply have the place wrong, and the difference is a conflict to show.
    """
    mine = {p.name for p in page.places if p.kind == "city"}
    theirs = {p.name for p in other.places if p.kind == "city"}
    if not mine or not theirs or mine & theirs or not mine <= known_places:
        return False
    shared_date = {(d.kind, d.key) for d in page.dates if d.kind in ("weekday", "day")} & {
        (d.kind, d.key) for d in other.dates
    }
    return not shared_date


MEETING_WORDS = frozenset(
    stem(w)
    for w in (
        "met",
        "meet",
        "meeting",
        "talks",
        "session",
        "held",
        "convene",
        "convened",
        "discussions",
        "negotiations",
        "round",
        "sat",
        "delegation",
        "delegations",
        "summit",
    )
)


@dataclass(frozen=True)
class MeetingFact:
    """When or where a sentence says a meeting took place."""

    kind: str  # "weekday", "day" or "venue"
    value: str
    text: str


def meeting_facts(facts: Facts) -> list[MeetingFact]:
    """The weekdays, dates and venues a sentence gives for a meeting ('talks on Thursday', 'held at
    the residence'): facts of the whole report, wherever in it they are given."""
    found = [
        MeetingFact(d.kind, d.key, d.text)
        for d in facts.dates
        if d.kind in ("weekday", "day") and d.context & MEETING_WORDS
    ]
    found += [
        MeetingFact("venue", p.name, p.text)
        for p in facts.places
        if p.kind == "venue" and p.context & (MEETING_WORDS | {"venue", "arriv", "host"})
    ]
    return found


def _same_meeting_fact(a: MeetingFact, b: MeetingFact) -> bool:
    if a.kind == "venue":
        return _same_place(Place(a.value, "venue", a.text), Place(b.value, "venue", b.text))
    return a.value == b.value


def _paired_dates(page: Facts, other: Facts, kind: str) -> list[tuple]:
    """Each date of the page with the report's date of the same thing (by the words around them)."""
    mine = [d for d in page.dates if d.kind == kind]
    theirs = [d for d in other.dates if d.kind == kind]
    if not mine or not theirs:
        return []
    if len(mine) == 1 and len(theirs) == 1:
        return [(mine[0], theirs[0])]
    pairs = []
    for date in mine:
        same = [t for t in theirs if t.key == date.key and (t.context & date.context or len(theirs) == 1)]
        best = max(theirs, key=lambda t: len(t.context & date.context))
        if same:
            pairs.append((date, same[0]))
        elif best.context & date.context:
            pairs.append((date, best))
    return pairs


def _is_meeting(text: str) -> bool:
    return bool(MEETING.search(text))


@dataclass(frozen=True)
class Candidate:
    """A corpus sentence near the claim."""

    statement: Statement
    cosine: float


@dataclass(frozen=True)
class Context:
    """What holds for every claim of one page."""

    sources: tuple[Source, ...]
    idf: dict[str, float]
    known_places: frozenset[str]  # cities and countries the corpus mentions
    known_names: frozenset[str]  # every capitalised word the corpus uses
    page_event: Event | None
    excluded: frozenset[int]  # groups of the page's own report


def judge(
    text: str,
    facts: Facts,
    candidates: list[Candidate],
    context: Context,
    title_mentions: list[tuple[Title, Statement]] = (),
    meetings: list[tuple[MeetingFact, Statement]] = (),
) -> Judgement:
    """Label one claim from the corpus sentences nearest to it.

    ``title_mentions`` are the corpus's titled mentions of the people the claim names:
    a person's title is a fact of the report, wherever in it the title is given.
    ``meetings`` are the corpus's meeting dates and venues (see ``meeting_facts``).
    """
    findings: dict[tuple, dict[int, _Finding]] = defaultdict(dict)
    meeting = _is_meeting(text)
    # A sentence that dates what it tells ("the first round, on Feb. 27") is about that event.
    event = sentence_event(facts) or context.page_event
    # A sentence naming several people or places no report knows is about something else.
    elsewhere = len(facts.names - context.known_names) >= 2

    def record(key: tuple, group: int, finding: _Finding) -> None:
        known = findings[key].get(group)
        # Agreement wins: a report that also states the page's value is not against it.
        if (
            known is None
            or (finding.agrees and not known.agrees)
            or (finding.agrees == known.agrees and finding.evidence.score > known.evidence.score)
        ):
            findings[key][group] = finding

    for candidate in candidates:
        statement = candidate.statement
        source = context.sources[statement.source]
        if source.group in context.excluded:
            continue
        other_meeting = _is_meeting(statement.text)
        both_meetings = meeting and other_meeting
        if not compatible(event, source.event) and (meeting or other_meeting):
            continue  # a fact about another round of talks neither supports nor contradicts
        if _other_occasion(facts, statement.facts, context.known_places):
            continue
        score = pair_score(candidate.cosine, facts, statement.facts, context.idf)
        evidence = lambda values=None: Evidence(source.doc, source.title, statement.text, score, values)
        denial = _denial((text, facts), (statement.text, statement.facts), score)
        if denial:
            page_says, report_says = denial if facts.negated else denial[::-1]
            values = {"page": page_says, "report": report_says}
            record(("polarity",), source.group, _Finding(False, evidence(values)))
        elif score >= (PARAMS.support_elsewhere if elsewhere else PARAMS.support) and not _touches_denial(
            facts, statement.facts
        ):
            record(("main",), source.group, _Finding(True, evidence()))
        for key, agrees, mine, theirs in _details(facts, statement.facts):
            if score >= _needed(key, agrees, both_meetings and (key[0] == "leader" or not elsewhere), candidate.cosine):
                values = None if agrees else {"page": mine, "report": theirs}
                record(key, source.group, _Finding(agrees, evidence(values)))

    # When and where a meeting took place are facts of the whole report, wherever it gives them.
    for fact in meeting_facts(facts) if not elsewhere else ():
        for other, statement in meetings:
            source = context.sources[statement.source]
            if (
                other.kind != fact.kind
                or source.group in context.excluded
                or not compatible(event, source.event)
                or _other_occasion(facts, statement.facts, context.known_places)
            ):
                continue
            agrees = _same_meeting_fact(fact, other)
            values = None if agrees else {"page": fact.text, "report": other.text}
            ev = Evidence(source.doc, source.title, statement.text, 1.0, values)
            record(("meeting", fact.kind, fact.value), source.group, _Finding(agrees, ev))

    for title in facts.titles:
        for other, statement in title_mentions:
            source = context.sources[statement.source]
            if source.group in context.excluded or not _same_person(title.person, other.person):
                continue
            agrees = _same_title(title, other)
            values = None if agrees else {"page": title.label(), "report": other.label()}
            ev = Evidence(source.doc, source.title, statement.text, 1.0, values)
            record(("title", title.person), source.group, _Finding(agrees, ev))
    return _verdict(findings)


def _needed(key: tuple, agrees: bool, both_meetings: bool, cosine: float) -> float:
    """The resemblance two sentences need before one of their details is compared."""
    kind = key[1] if len(key) > 1 else key[0]
    same_topic = key[0] == "quantity" or cosine >= PARAMS.meeting_topic  # not just any meeting elsewhere
    if key[0] in MEETING_DETAILS and both_meetings and same_topic:
        # How long the talks lasted, where, who led them: details of the same meeting.
        return PARAMS.meeting_detail
    if not agrees:
        return PARAMS.year_conflict if kind == "year" else PARAMS.conflict
    return PARAMS.specific_detail if key[0] in SPECIFIC or kind in SPECIFIC else PARAMS.detail


def _denial(page: tuple[str, Facts], other: tuple[str, Facts], score: float) -> tuple[str, str] | None:
    """Where one sentence denies what the other affirms ('Ukraine is not on the agenda' vs
    'Ukraine was discussed'): the denying clause and the affirming words, else None."""
    if page[1].negated == other[1].negated:
        return None
    (_, denying), (affirming_text, affirming) = (other, page) if other[1].negated else (page, other)
    subject, rest = (side & affirming.terms for side in denying.denied)
    # The affirming sentence must speak of what is denied on both sides of the "not"...
    if any(denying.denied) and not all(shared for shared, side in zip((subject, rest), denying.denied) if side):
        return None
    denied = subject | rest
    named = denied & (denying.names | affirming.names)
    if score < PARAMS.negation_topic or not ((named and len(denied) >= 2) or len(denied) >= 3):
        return None
    # ...and in one breath, not in words far apart.
    words = WORD.findall(affirming_text)
    positions = [n for n, word in enumerate(words) if stem(word) in denied]
    if positions[-1] - positions[0] > PARAMS.denial_span:
        return None
    return denying.negated_clause, " ".join(words[positions[0] : positions[-1] + 1])


def _touches_denial(page: Facts, other: Facts) -> bool:
    """One sentence denies something the other speaks of: it cannot simply support it."""
    if page.negated == other.negated:
        return False
    denying, affirming = (other, page) if other.negated else (page, other)
    return bool((denying.denied[0] | denying.denied[1]) & affirming.terms & (denying.names | affirming.names))


def _verdict(findings: dict[tuple, dict[int, _Finding]]) -> Judgement:
    supported = disputed = False
    support: dict[int, Evidence] = {}
    conflict: dict[int, Evidence] = {}
    for key, by_group in findings.items():
        agree = [g for g, f in by_group.items() if f.agrees]
        differ = [g for g, f in by_group.items() if not f.agrees]
        if differ and len(differ) >= len(agree):
            disputed = True
        elif agree:
            supported = True
        for group in agree:
            if group not in support or key == ("main",):
                support[group] = by_group[group].evidence
        for group in differ:
            conflict.setdefault(group, by_group[group].evidence)
    if supported and disputed:
        label = "mixed"
    elif disputed:
        label = "contradicted"
    elif supported:
        label = "corroborated"
    else:
        label = "unverified"
    by_score = lambda items: sorted(items, key=lambda e: -e.score)
    return Judgement(label, by_score(support.values()), by_score(conflict.values()))


def idf_weights(term_sets: list[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency of each term over corpus sentences."""
    counts: dict[str, int] = defaultdict(int)
    for terms in term_sets:
        for term in terms:
            counts[term] += 1
    total = len(term_sets) + 1
    return {term: math.log(total / (1 + n)) + 1 for term, n in counts.items()}
