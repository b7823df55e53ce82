"""The engine: load a corpus once, then label the claims of any page against it.

    engine = load_engine("seeds")
    engine.annotate(text, url=None)  # -> the JSON contract (README)

``annotate`` is thread-safe: it reads one immutable snapshot of the corpus, and
``sync`` swaps in a new snapshot when reports are added or removed.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np

from workers.engine.analyses import Analyses, SharedStore
from workers.engine.claims import claim_sentences
from workers.engine.compare import anchors
from workers.engine.corpus import Report, corpus_version, load_folder
from workers.engine.dates import When
from workers.engine.embed import Embedder
from workers.engine.events import corpus_clock, same_event, timeline
from workers.engine.facts import Fact, Facts
from workers.engine.index import SentenceIndex
from workers.engine.judge import Context, Source, Statement, idf_weights, judge, names_the_year
from workers.engine.params import PARAMS
from workers.engine.segment import split_sentences


@dataclass(frozen=True)
class Rows:
    """Entries of a list (facts, titled mentions) grouped by the text of their sentence, so that a sentence
    that thousands of reports print is scored against a claim once (speed at scale, issue 11)."""

    ids: np.ndarray  # the entries, ascending
    grouped: np.ndarray  # the same entries, grouped by sentence text
    heads: np.ndarray  # per group, the statement number of one of its sentences (they share one vector)
    bounds: np.ndarray  # group g is grouped[bounds[g] : bounds[g + 1]]

    @classmethod
    def of(cls, ids: list[int], statements: np.ndarray, texts: np.ndarray) -> Rows:
        """``ids`` of entries whose statement numbers are ``statements[ids]``; ``texts``: a text id per statement."""
        ids = np.asarray(ids, dtype=np.int64)
        order = np.argsort(texts[statements[ids]], kind="stable")
        grouped = ids[order]
        keys = texts[statements[grouped]]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, dtype=np.int64)
        return cls(ids, grouped, statements[grouped[starts]], np.r_[starts, len(grouped)])


@dataclass(frozen=True)
class Snapshot:
    """Everything derived from one version of the corpus."""

    reports: tuple[Report, ...]
    sources: tuple[Source, ...]
    statements: tuple[Statement, ...]
    vectors: np.ndarray  # one row per statement
    index: SentenceIndex
    idf: dict[str, float]
    titled: dict[str, list[tuple[Fact, Statement]]]  # surname -> one titled mention per title and report
    titled_rows: dict[str, Rows]  # surname -> its titled mentions (indexes into titled[surname])
    titled_statements: dict[str, np.ndarray]  # surname -> the statement number of each titled mention
    facts: tuple[tuple[Fact, int], ...]  # every fact but titles, with its statement number
    fact_statements: np.ndarray  # the statement number of each of those facts
    facts_by_anchor: dict[tuple[str, str, str], Rows]  # (kind, unit, anchor word) -> indexes into facts
    events: tuple[When | None, ...]  # the event of each report
    names: frozenset[str]  # every proper noun the corpus uses
    topic: frozenset[str]  # common nouns most reports use: what the story is about
    clock: object  # the middle of the reports' dates, for datelines with no year
    version: str
    scopes: dict = field(default_factory=dict)  # page event -> (idf, topic, names) of its reports


@dataclass(frozen=True)
class Parsed:
    """A report's claims, read once: their text, facts and the time each is about."""

    texts: tuple[str, ...]
    facts: tuple[Facts, ...]
    whens: tuple[When | None, ...]
    event: When | None


class Engine:
    def __init__(
        self,
        reports: list[Report],
        embedder: Embedder | None = None,
        on_phase: Callable[[str, str], None] | None = None,
        shared: SharedStore | None = None,
    ):
        """``on_phase(name, "start" | "end")`` is told as each build step starts and ends (``make bench``);
        ``build_seconds`` then holds each step's time. ``shared``: a store of per-sentence analyses
        shared with other processes (``workers.queue.analyses.RedisAnalyses``; see ``analyses.py``)."""
        self.embedder = embedder or Embedder()
        # Speed (issue 11): each sentence's vector, parse and facts worked out once.
        self.analyses = Analyses(
            lambda texts: self._embed(texts, {}), getattr(self.embedder, "model", "minilm"), shared
        )
        self.on_phase = on_phase
        self.build_seconds: dict[str, float] = {}
        self._base = list(reports)
        self._vectors: dict[str, np.ndarray] = {}
        self._parsed: dict[tuple, Parsed] = {}  # (report text, url, clock) -> its claims, facts and times
        self._lock = threading.Lock()
        self._snapshot = self._build(self._base)

    @property
    def snapshot(self) -> Snapshot:
        """The corpus as the engine holds it now (immutable; replaced by ``sync``)."""
        return self._snapshot

    def is_cached(self, sentence: str) -> bool:
        """Whether the vector of ``sentence`` is already known (no embedding needed)."""
        return sentence in self._vectors or self.analyses.has_vector(sentence)

    @property
    def distinct_sentences(self) -> int:
        """How many distinct corpus sentence texts were embedded."""
        return len(self._vectors)

    @contextmanager
    def _phase(self, name: str):
        if self.on_phase:
            self.on_phase(name, "start")
        began = time.perf_counter()
        try:
            yield
        finally:
            self.build_seconds[name] = self.build_seconds.get(name, 0.0) + time.perf_counter() - began
            if self.on_phase:
                self.on_phase(name, "end")

    @property
    def version(self) -> str:
        return self._snapshot.version

    @property
    def reports(self) -> tuple[Report, ...]:
        return self._snapshot.reports

    def sync(self, extra: list[Report]) -> bool:
        """Make the corpus the base folder plus ``extra``; True when it changed."""
        reports = self._base + [r for r in extra if r.doc not in {b.doc for b in self._base}]
        if corpus_version(reports) == self._snapshot.version:
            return False
        with self._lock:
            self._snapshot = self._build(reports)
        return True

    # -- building -----------------------------------------------------------------

    def _embed(self, texts: list[str], cache: dict[str, np.ndarray]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in cache and t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.embedder.embed(missing)):
                cache[text] = vector
        rows = [self._vectors.get(t) if t in self._vectors else cache[t] for t in texts]
        return np.array(rows, dtype=np.float32).reshape(len(texts), Embedder.dimensions)

    def _parse(self, report: Report, clock) -> Parsed:
        """A report's claims with their facts and times, worked out once: a sync only parses new reports."""
        key = (report.text, report.url, clock)
        if key not in self._parsed:
            claims = [c.text for c in claim_sentences(report.text)]
            docs, facts = self.analyses.parses(claims)
            line = timeline(report.text, report.url, claims, docs, clock)
            self._parsed[key] = Parsed(tuple(claims), tuple(facts), line.sentences, line.event)
        return self._parsed[key]

    def _build(self, reports: list[Report]) -> Snapshot:
        clock = corpus_clock([(r.text, r.url) for r in reports])
        with self._phase("claims, facts and dates of every report"):
            parsed = [self._parse(report, clock) for report in reports]
        texts = [t for p in parsed for t in p.texts]
        owners = np.array([n for n, p in enumerate(parsed) for _ in p.texts], dtype=int)
        with self._phase("embed"):
            vectors = self._embed(texts, self._vectors)
        with self._phase("copies of one story (duplicate groups)"):
            groups = _duplicate_groups(texts, owners, len(reports))
        with self._phase("report events (undated reports follow the dated ones they echo)"):
            events = _report_events([p.event for p in parsed], vectors, owners)
        statements = tuple(
            Statement(text, facts, number, when or events[number], anchored=when is not None and when != p.event)
            for number, p in enumerate(parsed)
            for text, facts, when in zip(p.texts, p.facts, p.whens)
        )
        names: list[set[str]] = [set() for _ in reports]
        for statement in statements:
            names[statement.source] |= statement.facts.names
        sources = tuple(Source(r.doc, r.title, groups[i], frozenset(names[i])) for i, r in enumerate(reports))
        topic = _topic(statements, len(reports))
        text_ids: dict[str, int] = {}
        texts = np.array([text_ids.setdefault(s.text, len(text_ids)) for s in statements], dtype=np.int64)
        # One mention per person, title and independent report: the judge counts reports.
        titled: dict[str, dict[tuple, tuple[Fact, int]]] = defaultdict(dict)
        facts: list[tuple[Fact, int]] = []
        by_anchor: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        for number, statement in enumerate(statements):
            for fact in statement.facts.items:
                if fact.kind == "title":
                    titled[fact.unit].setdefault((fact.value, groups[statement.source]), (fact, number))
                    continue
                # Speed (issue 11): a report-wide fact is only compared on a word that says what it is
                # about (a lexicon anchor, or a word of the story), so it is found by those words.
                for word in _about_words(fact, topic):
                    by_anchor[(fact.kind, fact.unit, word)].append(len(facts))
                facts.append((fact, number))
        titled_statements = {
            person: np.array([n for _, n in found.values()], dtype=np.int64) for person, found in titled.items()
        }
        fact_statements = np.array([n for _, n in facts], dtype=np.int64)
        with self._phase("SentenceIndex over the corpus"):
            index = SentenceIndex(vectors)
        with self._phase("idf weights"):
            idf = idf_weights([s.facts.terms for s in statements])
        return Snapshot(
            reports=tuple(reports),
            sources=sources,
            statements=statements,
            vectors=vectors,
            index=index,
            idf=idf,
            titled={person: [(fact, statements[n]) for fact, n in found.values()] for person, found in titled.items()},
            titled_rows={
                person: Rows.of(list(range(len(found))), titled_statements[person], texts)
                for person, found in titled.items()
            },
            titled_statements=titled_statements,
            facts=tuple(facts),
            fact_statements=fact_statements,
            facts_by_anchor={key: Rows.of(rows, fact_statements, texts) for key, rows in by_anchor.items()},
            events=tuple(events),
            names=frozenset().union(*(source.names for source in sources)),
            topic=topic,
            clock=clock,
            version=corpus_version(reports),
        )

    # -- annotating ---------------------------------------------------------------

    def annotate(
        self, text: str, url: str | None = None, traces: list | None = None, timings: dict | None = None
    ) -> dict:
        """Label every claim of ``text``; returns the JSON contract.

        ``traces``, when given, receives per claim what the support model saw (for fitting it);
        ``timings``, when given, receives the seconds of each step (``make bench``'s profile).
        """
        clock = _Clock(timings)
        snap = self._snapshot
        sentences = split_sentences(text)
        clock("segmentation")
        claims = claim_sentences(text, sentences)
        clock("claims")
        vectors, docs, claim_facts = self.analyses.analyse([c.text for c in claims], clock)
        neighbours = snap.index.search(vectors, PARAMS.candidates * PARAMS.candidate_pool) if claims else []
        excluded = frozenset(_own_groups(snap, neighbours, len(claims), url))
        clock("search")
        line = timeline(text, url, [c.text for c in claims], docs, snap.clock)
        page_event = line.event or _nearest_event(snap, neighbours, excluded)
        clock("dates and events")
        idf, topic, names = _scope(snap, page_event)
        context = Context(
            snap.sources,
            idf,
            excluded,
            snap.titled,
            page_names=frozenset(n for f in claim_facts for n in f.names),
            corpus_names=names,
            topic=topic,
        )
        annotations = []
        for claim, facts, (ids, cosines), vector, when in zip(claims, claim_facts, neighbours, vectors, line.sentences):
            # Sentences of other events may crowd the nearest ones: keep the claim's own event's first.
            claim_when = when or page_event
            nearest = [(snap.statements[i], float(c)) for i, c in zip(ids, cosines)]
            same = [same_event(claim_when, statement.when, PARAMS.event_slack_days) for statement, _ in nearest]
            candidates = [pair for pair, ok in zip(nearest, same) if ok][: PARAMS.candidates] + [
                pair
                for pair, ok in zip(nearest, same)
                if not ok and (pair[1] >= PARAMS.same_statement or names_the_year(facts, pair[0].facts, pair[1]))
            ]
            trace = [] if traces is not None else None
            verdict = judge(
                facts,
                claim_when,
                candidates,
                _titled(snap, context, facts, vector),
                _report_facts(snap, facts, vector),
                trace=trace,
            )
            if traces is not None:
                traces.append(trace)
            annotations.append((claim, verdict))
        clock("judging")
        annotations = [_annotation(claim, verdict) for claim, verdict in annotations]
        clock("output")
        return {
            "annotations": annotations,
            "corpus": {
                "documents": len(snap.reports),
                "sentences": len(snap.statements),
                "version": snap.version,
            },
        }


# -- speed (issue 11): the output step and the profile --------------------------------------


def _annotation(claim, verdict) -> dict:
    """One claim of the contract: its label as judged, the strongest ``PARAMS.evidence_shown`` pieces of
    evidence per side, and how many reports support it and differ (all of them, also those not listed)."""
    shown = PARAMS.evidence_shown
    return {
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "start_utf16": claim.start_utf16,
        "end_utf16": claim.end_utf16,
        "label": verdict.label,
        "support": [e.as_dict() for e in verdict.support[:shown]],
        "conflict": [e.as_dict() for e in verdict.conflict[:shown]],
        "supporting_reports": len(verdict.support),
        "differing_reports": len(verdict.conflict),
    }


class _Clock:
    """Adds the seconds since the last call to ``timings[step]`` (does nothing without ``timings``)."""

    def __init__(self, timings: dict | None):
        self.timings = timings
        self.last = time.perf_counter()

    def __call__(self, step: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[step] = self.timings.get(step, 0.0) + now - self.last
            self.last = now


def _about_words(fact: Fact, topic: frozenset[str]) -> frozenset[str]:
    """The words a report-wide fact can be matched on: its lexicon anchors and the story's words it is about.
    (A superset of what the judge asks of either side, so the index never hides a fact the judge would take.)"""
    words = anchors(fact) | (fact.about & topic)
    if fact.kind == "amount" and fact.head:
        words |= {"head:" + fact.head}  # the same counted noun ("rescuers")
    if fact.kind in ("agent", "polarity", "score"):
        words |= fact.about  # the same act, outcome or tally of the same thing
    if fact.kind == "date" and fact.unit in ("weekday", "day") and fact.about & topic:
        words |= {"story-day"}  # a day given for the story's own event (judge._story_day)
    return words


def _nearest(
    lists: list[Rows], statements: np.ndarray, snap: Snapshot, vector: np.ndarray, cap: int
) -> tuple[list[int], list[float]]:
    """The entries of ``lists`` (ascending) with the cosine of their statement (``statements[entry]``) to the
    claim: every one, or when there are more than ``cap``, the ``cap`` nearest, scored once per distinct text."""
    if sum(len(rows.ids) for rows in lists) <= cap:
        ids = np.unique(np.concatenate([rows.ids for rows in lists])) if len(lists) > 1 else lists[0].ids
        return ids.tolist(), (snap.vectors[statements[ids]] @ vector).tolist()
    cosines = [snap.vectors[rows.heads] @ vector for rows in lists]
    owner = np.concatenate([np.full(len(c), n) for n, c in enumerate(cosines)])
    group = np.concatenate([np.arange(len(c)) for c in cosines])
    flat = np.concatenate(cosines)
    kept: dict[int, float] = {}
    for i in np.argsort(-flat, kind="stable").tolist():
        rows, g = lists[owner[i]], group[i]
        for entry in rows.grouped[rows.bounds[g] : rows.bounds[g + 1]].tolist():
            kept.setdefault(entry, float(flat[i]))
        if len(kept) >= cap:
            break
    ids = sorted(kept, key=lambda e: (-kept[e], e))[:cap]
    ids.sort()
    return ids, [kept[e] for e in ids]


def _report_facts(snap: Snapshot, facts: Facts, vector: np.ndarray) -> dict:
    """The corpus facts of each kind the claim states that share a word saying what they are about, with the
    cosine of their sentence to the claim. Speed (issue 11): found through ``facts_by_anchor``, and at most
    ``PARAMS.report_facts_nearest`` per fact of the claim (the nearest by cosine): a story that thousands of
    reports repeat is judged on its nearest few, a normal corpus on every report."""
    wanted: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for fact in facts.items:
        if fact.kind == "title":
            continue  # titles are compared through ``titled``
        lists = [snap.facts_by_anchor.get((fact.kind, fact.unit, w)) for w in _about_words(fact, snap.topic)]
        lists = [rows for rows in lists if rows is not None]
        if lists:
            ids, cosines = _nearest(lists, snap.fact_statements, snap, vector, PARAMS.report_facts_nearest)
            wanted[(fact.kind, fact.unit)].update(zip(ids, cosines))
    return {
        key: [(snap.facts[r][0], snap.statements[snap.facts[r][1]], cosines[r]) for r in sorted(cosines)]
        for key, cosines in wanted.items()
    }


def _titled(snap: Snapshot, context: Context, facts: Facts, vector: np.ndarray) -> Context:
    """The page's context, with each person the claim titles cut to the ``PARAMS.titled_nearest`` mentions
    nearest the claim (one per title and independent report already): a normal corpus keeps every one."""
    cap = PARAMS.titled_nearest
    long = {f.unit for f in facts.items if f.kind == "title" and len(snap.titled.get(f.unit, ())) > cap}
    if not long:
        return context
    titled = dict(context.titled)
    for person in long:
        ids, _ = _nearest([snap.titled_rows[person]], snap.titled_statements[person], snap, vector, cap)
        titled[person] = [snap.titled[person][i] for i in ids]
    return replace(context, titled=titled)


def _duplicate_groups(texts: list[str], owners: np.ndarray, count: int) -> list[int]:
    """Reports that share most of their sentences are one report printed twice."""
    by_text: dict[str, set[int]] = defaultdict(set)
    sizes = Counter(int(o) for o in owners)
    for text, owner in zip(texts, owners):
        by_text[" ".join(text.lower().split())].add(int(owner))
    shared: Counter = Counter()
    for owners in by_text.values():
        if 1 < len(owners) <= PARAMS.copy_max_owners:
            ordered = sorted(owners)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    shared[a, b] += 1
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (a, b), n in shared.items():
        if n >= PARAMS.copy_share * min(sizes[a], sizes[b]):
            parent[root(b)] = root(a)
    return [root(i) for i in range(count)]


def _report_events(events: list[When | None], vectors: np.ndarray, owners: np.ndarray) -> list[When | None]:
    """Each report's event; an undated report takes the event of the dated report it echoes most."""
    events = list(events)
    dated = [i for i, e in enumerate(events) if e is not None]
    if not dated or len(dated) == len(events):
        return events
    is_dated = np.isin(owners, dated)
    dated_rows = np.flatnonzero(is_dated)
    undated_rows = np.flatnonzero(~is_dated)
    if len(dated_rows) == 0 or len(undated_rows) == 0:
        return events
    dated_index = SentenceIndex(vectors[dated_rows])
    # One batched search for the sentences of every undated report (rows are in report order).
    votes: dict[int, Counter] = defaultdict(Counter)
    for row, (ids, cosines) in zip(undated_rows, dated_index.search(vectors[undated_rows], PARAMS.event_neighbours)):
        tally = votes[int(owners[row])]
        for i, c in zip(ids, cosines):
            if c >= PARAMS.same_event:
                tally[int(owners[dated_rows[i]])] += float(c)
    for number, tally in votes.items():
        if tally:
            events[number] = events[tally.most_common(1)[0][0]]
    return events


def _scope(snap: Snapshot, event: When | None) -> tuple[dict[str, float], frozenset[str], frozenset[str]]:
    """Word weights, story words and names from the reports of the page's own event only, so that
    reports of another event change nothing about how the page is judged."""
    if event not in snap.scopes:
        same = {n for n, e in enumerate(snap.events) if same_event(event, e, PARAMS.event_slack_days)}
        statements = tuple(s for s in snap.statements if s.source in same)
        if len(snap.scopes) > PARAMS.scope_cache:
            snap.scopes.clear()
        snap.scopes[event] = (
            idf_weights([s.facts.terms for s in statements]),
            _topic(statements, len(same)),
            frozenset().union(*(snap.sources[n].names for n in same)),
        )
    return snap.scopes[event]


def _topic(statements: tuple[Statement, ...], reports: int) -> frozenset[str]:
    """The words most reports use, minus names and figures: what the story is about ("final", "quake")."""
    used: dict[str, set[int]] = defaultdict(set)
    for statement in statements:
        for term in statement.facts.terms - statement.facts.names:
            if not term.startswith("#"):
                used[term].add(statement.source)
    common = [t for t, owners in used.items() if len(owners) >= PARAMS.topic_share * reports and reports >= 3]
    return frozenset(sorted(common, key=lambda t: -len(used[t]))[: PARAMS.topic_words])


def _own_groups(snap: Snapshot, neighbours: list, claims: int, url: str | None) -> set[int]:
    """The page's own report (and its copies): a page never corroborates itself."""
    copies: Counter = Counter()
    for ids, cosines in neighbours:
        hits = {snap.statements[i].source for i, c in zip(ids, cosines) if c >= PARAMS.same_sentence}
        copies.update(hits)
    own = {n for n, hits in copies.items() if hits >= max(PARAMS.own_min_hits, PARAMS.own_share * claims)}
    if url:
        own |= {n for n, r in enumerate(snap.reports) if r.url and r.url == url}
    return {snap.sources[n].group for n in own}


def _nearest_event(snap: Snapshot, neighbours: list, excluded: frozenset[int]) -> When | None:
    """An undated page is about the event of the reports it echoes most."""
    votes: Counter = Counter()
    for ids, cosines in neighbours:
        # Each claim votes once, for the event of the report sentence nearest to it: a report that
        # alone tells this page's event is not outvoted by the many that tell another.
        for i, c in zip(ids, cosines):
            statement = snap.statements[i]
            event = snap.events[statement.source]
            if c >= PARAMS.same_event and event is not None and snap.sources[statement.source].group not in excluded:
                votes[event] += float(c)
                break
    return votes.most_common(1)[0][0] if votes else None


def load_engine(folder: str = "seeds") -> Engine:
    """An engine over the reports in ``folder``."""
    return Engine(load_folder(folder))
