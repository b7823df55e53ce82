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

from workers.events import Event, compatible
from workers.facts import Facts, Place, Quantity, Title

# Pair scores mix embedding cosine with idf-weighted word overlap (see pair_score).
SUPPORT = 0.42  # the main fact: the other sentence says the same thing
DETAIL = 0.46  # a common detail (a weekday, a city, a year) agrees: the sentences are about the same thing
SPECIFIC_DETAIL = 0.36  # a telling detail (a venue, a full date, a figure) agrees, at a weaker resemblance
CONFLICT = 0.50  # a differing detail counts as a conflict
YEAR_CONFLICT = 0.62  # years differ between related sentences about different moments far more often
NEGATION_OVERLAP = 0.55  # word overlap needed before opposite polarity is a conflict
RELATIVE_TOLERANCE = 0.1  # rounding, not a different figure
MEETING = re.compile(
    r"\b(met|meet|meets|meeting|meetings|talks|discussions?|delegations?|sat down|round|session|"
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
    return 0.6 * max(cosine, 0.0) + 0.4 * word_overlap(page, other, idf)


def word_overlap(page: Facts, other: Facts, idf: dict[str, float]) -> float:
    """idf-weighted Dice overlap of the two sentences' content words."""
    if not page.terms or not other.terms:
        return 0.0
    weight = lambda terms: sum(idf.get(t, 1.0) for t in terms)  # noqa: E731
    shared = weight(page.terms & other.terms)
    return 2 * shared / (weight(page.terms) + weight(other.terms))


def _same_number(a: Quantity, b: Quantity) -> bool:
    if a.hedge == "above" or b.hedge == "below":
        low, high = (a, b) if a.hedge == "above" else (b, a)
        return high.value >= low.value * (1 - RELATIVE_TOLERANCE)
    if a.hedge == "below" or b.hedge == "above":
        return _same_number(b, a)
    return abs(a.value - b.value) <= RELATIVE_TOLERANCE * max(a.value, b.value)


def _same_place(a: Place, b: Place) -> bool:
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
    return len(a) >= 5 and len(b) >= 5 and a[:4] == b[:4] and abs(len(a) - len(b)) <= 2


GENERIC_HEADS = {"leader", "head", "chief", "representative", "official"}


def _same_title(a: Title, b: Title) -> bool:
    """Same standing ('former' or not) and the same office, where both name one."""
    return a.former == b.former and (a.head == b.head or {a.head, b.head} & GENERIC_HEADS)


SPECIFIC = {"quantity", "day", "venue"}


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
        mine = {d.key: d.text for d in page.dates if d.kind == kind}
        theirs = {d.key: d.text for d in other.dates if d.kind == kind}
        if mine and theirs:
            agrees = bool(mine.keys() & theirs.keys())
            found.append((("date", kind), agrees, ", ".join(mine.values()), ", ".join(theirs.values())))
    for kind in ("venue", "city"):
        mine = [p for p in page.places if p.kind == kind]
        theirs = [p for p in other.places if p.kind == kind]
        if mine and theirs:
            agrees = any(_same_place(a, b) for a in mine for b in theirs)
            found.append((("place", kind), agrees, mine[0].text, theirs[0].text))
    return found


def _other_occasion(page: Facts, other: Facts) -> bool:
    """Sentences naming different cities, with no date in common, tell of different events."""
    mine = {p.name for p in page.places if p.kind == "city"}
    theirs = {p.name for p in other.places if p.kind == "city"}
    if not mine or not theirs or mine & theirs:
        return False
    shared_date = {(d.kind, d.key) for d in page.dates if d.kind in ("weekday", "day")} & {
        (d.kind, d.key) for d in other.dates
    }
    return not shared_date


def _is_meeting(text: str) -> bool:
    return bool(MEETING.search(text))


def judge(
    text: str,
    facts: Facts,
    candidates: list[tuple[Statement, float]],
    sources: list[Source],
    page_event: Event | None,
    excluded: set[int],
    idf: dict[str, float],
    title_mentions: list[tuple[Title, Statement]] = (),
) -> Judgement:
    """Label one claim from the candidate sentences of other reports (cosine given).

    ``title_mentions`` are the corpus's titled mentions of the people the claim names:
    a person's title is a fact of the report, wherever in it the title is given.
    """
    findings: dict[tuple, dict[int, _Finding]] = defaultdict(dict)
    meeting = _is_meeting(text)

    def record(key: tuple, group: int, finding: _Finding) -> None:
        known = findings[key].get(group)
        # Agreement wins: a report that also states the page's value is not against it.
        if known is None or (finding.agrees and not known.agrees) or (
            finding.agrees == known.agrees and finding.evidence.score > known.evidence.score
        ):
            findings[key][group] = finding

    for statement, cosine in candidates:
        source = sources[statement.source]
        if source.group in excluded:
            continue
        if not compatible(page_event, source.event) and (meeting or _is_meeting(statement.text)):
            continue  # a fact about another round of talks neither supports nor contradicts
        if _other_occasion(facts, statement.facts):
            continue
        score = pair_score(cosine, facts, statement.facts, idf)
        evidence = lambda values=None: Evidence(  # noqa: E731
            source.doc, source.title, statement.text, score, values
        )
        if score >= SUPPORT:
            opposite = facts.negated != statement.facts.negated
            if opposite and word_overlap(facts, statement.facts, idf) >= NEGATION_OVERLAP:
                values = {"page": _polarity(facts), "report": _polarity(statement.facts)}
                record(("main",), source.group, _Finding(False, evidence(values)))
            else:
                record(("main",), source.group, _Finding(True, evidence()))
        if score >= SPECIFIC_DETAIL:
            for key, agrees, mine, theirs in _details(facts, statement.facts):
                specific = key[0] in SPECIFIC or key[1] in SPECIFIC
                needed = YEAR_CONFLICT if key[1] == "year" else CONFLICT
                if (agrees and score >= (SPECIFIC_DETAIL if specific else DETAIL)) or score >= needed:
                    values = None if agrees else {"page": mine, "report": theirs}
                    record(key, source.group, _Finding(agrees, evidence(values)))

    for title in facts.titles:
        for other, statement in title_mentions:
            source = sources[statement.source]
            if source.group in excluded or not _same_person(title.person, other.person):
                continue
            agrees = _same_title(title, other)
            values = None if agrees else {"page": title.label(), "report": other.label()}
            ev = Evidence(source.doc, source.title, statement.text, 1.0, values)
            record(("title", title.person), source.group, _Finding(agrees, ev))
    return _verdict(findings)


def _polarity(facts: Facts) -> str:
    return "negated" if facts.negated else "affirmed"


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
    by_score = lambda items: sorted(items, key=lambda e: -e.score)  # noqa: E731
    return Judgement(label, by_score(support.values()), by_score(conflict.values()))


def idf_weights(term_sets: list[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency of each term over corpus sentences."""
    counts: dict[str, int] = defaultdict(int)
    for terms in term_sets:
        for term in terms:
            counts[term] += 1
    total = len(term_sets) + 1
    return {term: math.log(total / (1 + n)) + 1 for term, n in counts.items()}
