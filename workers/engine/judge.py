"""Judge one claim against the sentences of other reports, as LABELS.md says.

Embeddings only find candidate sentences. A report supports the claim's main fact
when one of its sentences says the same thing (a close paraphrase, or a shared
telling fact); it agrees or differs on a detail when one of its sentences gives a
comparable fact (same kind, about the same thing). Only reports of the same event
count. Per fact, reports are counted, not sentences: a fact is disputed when at
least as many reports differ as agree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from workers.engine.compare import agrees, anchors, comparable, shown
from workers.engine.events import same_event
from workers.engine.facts import Facts
from workers.engine.lexicon import lexicon
from workers.engine.params import PARAMS, Params


@dataclass(frozen=True)
class Statement:
    text: str
    facts: Facts
    source: int
    when: object = None  # the time the sentence is about (its own anchor, or its report's)
    anchored: bool = False  # the sentence names its own time; otherwise ``when`` is its report's

    @cached_property
    def stems(self) -> tuple[frozenset[str], frozenset[str]]:
        """Its terms and its core up to derivation (worked out once: a sentence is a candidate of many claims)."""
        return stems(self.facts.terms), stems(self.facts.core)


@dataclass(frozen=True)
class Source:
    """What the judge needs to know about one corpus report."""

    doc: str
    title: str
    group: int  # near-duplicate reports share a group: one independent report
    names: frozenset[str] = frozenset()  # every proper noun the report uses


@dataclass(frozen=True)
class Context:
    """What holds for every claim of one page."""

    sources: tuple[Source, ...]
    idf: dict[str, float]
    excluded: frozenset[int]  # groups of the page's own report
    titled: dict  # surname -> [(title fact, statement)], one per title and report
    page_names: frozenset[str] = frozenset()  # every proper noun the page uses
    corpus_names: frozenset[str] = frozenset()  # every proper noun the corpus uses
    topic: frozenset[str] = frozenset()  # the words most reports use: what the story is about


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


def word_overlap(a: Facts, b: Facts, idf: dict[str, float]) -> float:
    if not a.terms or not b.terms:
        return 0.0
    weight = lambda terms: sum(idf.get(t, 1.0) for t in terms)  # noqa: E731
    return 2 * weight(a.terms & b.terms) / (weight(a.terms) + weight(b.terms))


FEATURES = (
    "cosine",
    "overlap",
    "coverage",
    "shared mass",
    "agreeing facts",
    "differing facts",
    "shared figures",
    "shared names",
    "claim length",
    "names the report lacks",
    "stem coverage",
    "content coverage",
    "core covered",
    "core shared",
)


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A word without its derivational endings, so "critically" meets "critical" and "evacuation" meets
    "evacuate" (the parse's lemmas only undo inflection). At least four letters are kept."""
    changed = True
    while changed:
        changed = False
        for suffix in lexicon()["suffixes"]:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word, changed = word[: -len(suffix)], True
                break
    return word


def stems(terms: frozenset[str]) -> frozenset[str]:
    return frozenset(stem(t) for t in terms)


def features(
    cosine: float,
    a: Facts,
    b: Facts,
    idf: dict[str, float],
    agree: int,
    differ: int,
    report_names: frozenset[str],
    b_stems: tuple[frozenset[str], frozenset[str]] | None = None,
    overlap: float | None = None,
) -> list[float]:
    """What the support model weighs for a claim and one sentence of a report (see FEATURES); ``b_stems``
    (``Statement.stems``) and ``overlap`` (``word_overlap``) when the caller has them already."""
    shared = a.terms & b.terms
    mass = sum(idf.get(t, 1.0) for t in a.terms) or 1.0
    shared_mass = sum(idf.get(t, 1.0) for t in shared)
    numbers = sum(1 for t in shared if t.startswith("#"))
    names = len(shared & a.names)
    unknown = len(a.names - report_names) / max(1, len(a.names))
    # The same words up to derivation ("critically", "critical"), and those that are not names: a sentence
    # about the same people that says something else about them shares the names only.
    theirs, their_core = b_stems or (stems(b.terms), stems(b.core))
    stemmed = [(t, idf.get(t, 1.0), stem(t) in theirs) for t in a.terms]
    content = [(w, hit) for t, w, hit in stemmed if t not in a.names]
    content_mass = sum(w for w, _ in content)
    # What the claim says happened (its verb, subject and object) is in the sentence, and is what the
    # sentence says happened: not only the setting the two share.
    core = stems(a.core)
    core_covered = len(core & theirs) / len(core) if core else 0.5
    core_shared = len(core & their_core) / len(core) if core else 0.0
    return [
        cosine,
        word_overlap(a, b, idf) if overlap is None else overlap,
        shared_mass / mass,
        math.log1p(shared_mass),
        float(agree),
        float(differ),
        float(numbers),
        float(names),
        math.log1p(len(a.terms)),
        unknown,
        sum(w for _, w, hit in stemmed if hit) / mass,
        sum(w for w, hit in content if hit) / content_mass if content_mass else 0.0,
        core_covered,
        core_shared,
    ]


def support_probability(x: list[float], params: Params) -> float:
    z = params.support_bias + sum(w * v for w, v in zip(params.support_weights, x))
    return 1 / (1 + math.exp(-z))


def pair_score(cosine: float, a: Facts, b: Facts, idf: dict[str, float], params: Params = PARAMS) -> float:
    return blend(cosine, word_overlap(a, b, idf), params)


def blend(cosine: float, overlap: float, params: Params = PARAMS) -> float:
    """The pair score of a cosine and an idf word overlap."""
    w = params.cosine_weight
    return w * max(cosine, 0.0) + (1 - w) * overlap


def named_elsewhere(mine, theirs, source: Source, context: Context) -> bool:
    """Two place names that need not differ: the report names the page's place too, or the page
    the report's ("Doha" on one side and "Qatar" on the other, each also naming the other)."""
    if mine.kind != "place" or mine.unit != "named":
        return False
    return bool(set(mine.value.split()) & source.names) or bool(set(theirs.value.split()) & context.page_names)


class Findings:
    """Each independent report's stance on each fact of one claim: agreement wins within a report."""

    def __init__(self) -> None:
        self.by_fact: dict[tuple, dict[int, tuple[bool, Evidence]]] = defaultdict(dict)

    def record(self, key: tuple, group: int, agree: bool, evidence: Evidence) -> None:
        known = self.by_fact[key].get(group)
        # Agreement wins: a report that also states the page's value is not against it.
        if known is None or (agree and not known[0]) or (agree == known[0] and evidence.score > known[1].score):
            self.by_fact[key][group] = (agree, evidence)


def differs(mine, theirs) -> dict:
    """The two values a conflict names, as the evidence shows them."""
    return {"page": shown(mine), "report": shown(theirs)}


def judge(
    claim: Facts,
    claim_when,
    candidates: list[tuple[Statement, float]],
    context: Context,
    report_facts: dict | None = None,
    params: Params = PARAMS,
    trace: list | None = None,
) -> Judgement:
    """Label one claim: from the corpus sentences nearest to it (statement, cosine), from facts of the
    same subject anywhere in a report of its event (``report_facts``), and from people's titles."""
    findings = Findings()
    # A claim naming several people or places no report knows is news about something else.
    elsewhere = len(claim.names - context.corpus_names) >= params.unknown_names
    _judge_nearest(claim, claim_when, candidates, context, elsewhere, findings, params, trace)
    if report_facts and not elsewhere:
        _judge_report_facts(claim, claim_when, report_facts, context, findings, params)
    _judge_titles(claim, context, findings)
    return verdict(findings.by_fact)


def _judge_nearest(claim, claim_when, candidates, context, elsewhere, findings, params, trace) -> None:
    """The nearest sentences: does one say the claim (the support model), and which facts agree or differ."""
    for statement, cosine in candidates:
        source = context.sources[statement.source]
        if source.group in context.excluded:
            continue
        # Another event's report is no evidence, unless it says the very same thing with another
        # date ("annexed Crimea in 2014"): then the date it gives is what differs.
        other_time = not same_event(claim_when, statement.when, params.event_slack_days)
        if other_time and cosine < params.same_statement and not names_the_year(claim, statement.facts, cosine, params):
            continue
        # A later report that says the very same thing without a time of its own may be recounting the
        # claim's event ("In Riyadh, the two sides agreed to..." a week after): it can still say the claim.
        recounts = other_time and _recounts(statement, claim_when)
        overlap = word_overlap(claim, statement.facts, context.idf)
        score = blend(cosine, overlap, params)
        agreeing, differing, told = [], [], []
        for n, mine in enumerate(claim.items):
            if (other_time and mine.kind != "date") or mine.kind == "title":
                continue  # titles are facts of the whole report: compared in _judge_titles
            for theirs in statement.facts.items:
                if comparable(mine, theirs) or (
                    cosine >= params.sole_figure and sole_figures(mine, theirs, claim, statement.facts)
                ):
                    if agrees(mine, theirs):
                        agreeing.append((n, mine, theirs))
                    elif not named_elsewhere(mine, theirs, source, context):
                        differing.append((n, mine, theirs))
                elif same_telling_figure(mine, theirs):
                    told.append((n, mine, theirs))
        evidence = lambda values=None: Evidence(source.doc, source.title, statement.text, score, values)  # noqa: E731
        if other_time:
            for n, _, _ in agreeing:
                findings.record(("fact", n), source.group, True, evidence())
            for n, mine, theirs in differing:
                findings.record(("fact", n), source.group, False, evidence(differs(mine, theirs)))
            if not recounts:
                continue
        elif denies(claim, statement.facts) and score >= params.negation:
            values = {
                "page": "not" if claim.negated else "affirmed",
                "report": "not" if statement.facts.negated else "affirmed",
            }
            findings.record(("negation",), source.group, False, evidence(values))
            continue
        x = features(
            cosine,
            claim,
            statement.facts,
            context.idf,
            len(agreeing),
            len(differing),
            source.names,
            statement.stems,
            overlap,
        )
        if trace is not None and not other_time:  # the model is fitted on sentences of the claim's event
            trace.append((statement.source, x))
        # A claim whose figures the sentence never gives is not confirmed by it (the figure is the news).
        figures_missing = (
            claim.items
            and all(f.kind == "amount" for f in claim.items)
            and not any(m.kind == "amount" for _, m, _ in agreeing + differing)
            and not x[FEATURES.index("shared figures")]
        )
        # A sentence that gives another value for the claim's detail, and agrees on none, does not
        # back the claim as a whole: what it says differs ("lasted six hours" vs "four hours").
        only_differs = differing and not agreeing and params.differing_blocks_support
        # A sentence that says nearly every word the claim says (weighted by rarity) says the claim,
        # however short the claim or long the sentence ("She was broken to love").
        covered = x[FEATURES.index("coverage")] >= params.covered and len(claim.terms & statement.facts.terms) >= 2
        if (
            (support_probability(x, params) >= params.support_probability or covered)
            and not (figures_missing and params.figures_needed)
            and not only_differs
        ):
            findings.record(("main",), source.group, True, evidence())
        if other_time:
            continue  # a recounting sentence supports the claim as a whole; its details were compared above
        # A detail both give, or a telling figure both give ("$1.2 million", "31 percent", "15,000")
        # even in other words: the same value for the same thing.
        if score >= params.detail:
            for n, _, _ in agreeing + told:
                findings.record(("fact", n), source.group, True, evidence())
        for n, mine, theirs in differing:
            if any(m == n for m, _, _ in agreeing):
                continue  # the same sentence also gives the page's value
            if score >= (params.conflict_elsewhere if elsewhere else params.conflict):
                findings.record(("fact", n), source.group, False, evidence(differs(mine, theirs)))


def names_the_year(claim: Facts, other: Facts, cosine: float, params: Params = PARAMS) -> bool:
    """A close sentence that names the year the claim names ("last won the cup in 1998", "their first cup since
    1998") speaks of that time, whatever its report's date: its date is compared."""
    return cosine >= params.same_year_statement and any(
        mine.kind == theirs.kind == "date"
        and mine.unit in YEARS
        and theirs.unit in YEARS
        and mine.value == theirs.value
        for mine in claim.items
        for theirs in other.items
    )


YEARS = ("year", "since")


def _recounts(statement: Statement, claim_when) -> bool:
    """A sentence with no time of its own, in a report published after the claim's time: what it says may be
    about that earlier time (a report can look back; it cannot report what has not happened yet)."""
    return not statement.anchored and claim_when is not None and statement.when.start > claim_when.end


def _figures_of_one_unit(mine, theirs) -> bool:
    """Two amounts in the same unit that do not say they count different things."""
    return (
        mine.kind == theirs.kind == "amount"
        and mine.unit == theirs.unit
        and not (mine.head and theirs.head and mine.head != theirs.head)
    )


def same_telling_figure(mine, theirs) -> bool:
    """The same figure, unlikely to be given for something else ("$1.2 million", "31 percent", "15,000"):
    money, two significant digits, or thousands; a small or round number could be anything."""
    if not _figures_of_one_unit(mine, theirs):
        return False
    if isinstance(mine.value, tuple) or isinstance(theirs.value, tuple) or mine.value != theirs.value:
        return False
    value = float(mine.value)
    digits = len(f"{value:.6g}".replace(".", "").lstrip("0").rstrip("0"))
    return value >= 1000 or digits >= 2 or (mine.unit not in ("count", "percent", "hour") and value > 1)


def sole_figures(mine, theirs, claim: Facts, other: Facts) -> bool:
    """Two close sentences that each give one figure of a unit ("took four hours", "after about 11 hours
    of deliberation") give it for the same thing, unless they say they count different things."""
    if not _figures_of_one_unit(mine, theirs) or mine.unit == "count":
        return False
    same_unit = lambda facts: sum(1 for f in facts.items if f.kind == "amount" and f.unit == mine.unit)  # noqa: E731
    return same_unit(claim) == 1 and same_unit(other) == 1


def _judge_report_facts(claim, claim_when, report_facts, context, findings, params) -> None:
    """An anchored fact (how many died, how long the talks lasted) is a fact of the whole report."""
    for n, mine in enumerate(claim.items):
        # What the fact is about must be named on both sides: a lexicon anchor (deaths, revenue)
        # or a word of the story itself (the final, the quake) for when and where it happened.
        topic = context.topic if mine.kind in ("place", "date", "amount", "ordinal", "score") else frozenset()
        strong = anchors(mine) | (mine.about & topic)
        if mine.kind == "title" or not (strong or mine.head or mine.kind in ("agent", "polarity", "score")):
            continue
        for theirs, statement, cosine in report_facts.get((mine.kind, mine.unit), []):
            source = context.sources[statement.source]
            if (
                source.group in context.excluded
                or not (
                    _story_day(mine, theirs, topic)
                    or (_same_subject(mine, theirs, strong, topic) and comparable(mine, theirs))
                )
                or (claim.names and not claim.names & source.names)
                or not same_event(claim_when, statement.when, params.event_slack_days)
            ):
                continue
            score = pair_score(cosine, claim, statement.facts, context.idf, params)
            if score < params.report_fact:
                continue
            agree = agrees(mine, theirs)
            if not agree and named_elsewhere(mine, theirs, source, context):
                continue
            values = None if agree else differs(mine, theirs)
            findings.record(
                ("fact", n), source.group, agree, Evidence(source.doc, source.title, statement.text, score, values)
            )


def _judge_titles(claim, context, findings) -> None:
    """A person's title is a fact of the person, not of one event: every report's mention counts."""
    if not context.titled:
        return
    for mine in claim.items:
        if mine.kind != "title":
            continue
        for theirs, statement in context.titled.get(mine.unit, []):
            source = context.sources[statement.source]
            if source.group in context.excluded:
                continue
            agree = agrees(mine, theirs)
            values = None if agree else differs(mine, theirs)
            findings.record(
                ("title", mine.unit),
                source.group,
                agree,
                Evidence(source.doc, source.title, statement.text, 1.0, values),
            )


def _same_subject(mine, theirs, strong: frozenset[str], topic: frozenset[str]) -> bool:
    """Whether a fact elsewhere in a report is surely about what the claim's fact is about: the same
    anchor word (deaths, the final), the same counted noun (rescuers), the same act by someone
    (scored the decisive penalty), or an outcome of the same two-word subject."""
    if strong & (anchors(theirs) | (theirs.about & topic)):
        return True
    if mine.kind == "amount":
        return bool(mine.head) and mine.head == theirs.head
    if mine.kind in ("agent", "polarity"):
        return len(mine.about & theirs.about) >= 2
    if mine.kind == "score":  # a tally of the same thing ("the shootout")
        return bool(mine.about & theirs.about)
    return False


def _story_day(mine, theirs, topic: frozenset[str]) -> bool:
    """Two days given for the story's own event ("the final was played on Saturday", "won the final on
    Sunday"): both sentences speak of what the story is about."""
    return (
        mine.kind == "date"
        and mine.unit in ("weekday", "day")
        and bool(mine.about & topic)
        and bool(theirs.about & topic)
        and mine.unit == theirs.unit
    )


def denies(a: Facts, b: Facts) -> bool:
    """One sentence denies what the other affirms: the words it denies are there, affirmed."""
    if a.negated == b.negated:
        return False
    denying, affirming = (a, b) if a.negated else (b, a)
    if not denying.denied_key & affirming.terms:
        return False  # the other sentence does not speak of what is denied
    shared = denying.denied & affirming.terms
    return len(shared) >= 2 or bool(shared & (denying.names | affirming.names))


def verdict(findings: dict[tuple, dict[int, tuple[bool, Evidence]]]) -> Judgement:
    supported = disputed = False
    support: dict[int, Evidence] = {}
    conflict: dict[int, Evidence] = {}
    for key, by_group in findings.items():
        agree = [g for g, (a, _) in by_group.items() if a]
        differ = [g for g, (a, _) in by_group.items() if not a]
        if differ and len(differ) >= len(agree):
            disputed = True
        elif agree:
            supported = True
        for group in agree:
            if group not in support or key == ("main",):
                support[group] = by_group[group][1]
        for group in differ:
            conflict.setdefault(group, by_group[group][1])
    label = (
        "mixed"
        if supported and disputed
        else "contradicted"
        if disputed
        else "corroborated"
        if supported
        else "unverified"
    )
    by_score = lambda items: sorted(items, key=lambda e: -e.score)  # noqa: E731
    return Judgement(label, by_score(support.values()), by_score(conflict.values()))


def idf_weights(term_sets: list[frozenset[str]]) -> dict[str, float]:
    counts: dict[str, int] = defaultdict(int)
    for terms in term_sets:
        for term in terms:
            counts[term] += 1
    total = len(term_sets) + 1
    return {term: math.log(total / (1 + n)) + 1 for term, n in counts.items()}
