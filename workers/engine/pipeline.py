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
from dataclasses import dataclass

import numpy as np

from workers.engine.claims import claim_sentences
from workers.engine.corpus import Report, corpus_version, load_folder
from workers.engine.embed import Embedder
from workers.engine.events import Event, document_event
from workers.engine.facts import Facts, Title, extract
from workers.engine.index import SentenceIndex
from workers.engine.judge import Candidate, Context, MeetingFact, Source, Statement, idf_weights, judge, meeting_facts
from workers.engine.params import PARAMS
from workers.engine.segment import split_sentences


@dataclass(frozen=True)
class Snapshot:
    """Everything derived from one version of the corpus."""

    reports: tuple[Report, ...]
    sources: tuple[Source, ...]
    statements: tuple[Statement, ...]
    index: SentenceIndex
    idf: dict[str, float]
    mentions: dict[str, list[tuple[Title, Statement]]]  # person key -> titled mentions
    known_places: frozenset[str]
    known_names: frozenset[str]
    meetings: tuple[tuple[MeetingFact, Statement], ...]  # when and where reports say talks took place
    version: str


def _person_key(person: str) -> str:
    return person[:4]


class Engine:
    def __init__(
        self,
        reports: list[Report],
        embedder: Embedder | None = None,
        on_phase: Callable[[str, str], None] | None = None,
    ):
        """``on_phase(name, "start" | "end")`` is told as each build step starts and ends (``make bench``);
        ``build_seconds`` then holds each step's time."""
        self.embedder = embedder or Embedder()
        self.on_phase = on_phase
        self.build_seconds: dict[str, float] = {}
        self._base = list(reports)
        self._vectors: dict[str, np.ndarray] = {}
        self._parsed: dict[str, list[tuple[str, Facts]]] = {}  # report text -> its claims and facts
        self._page_vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._snapshot = self._build(self._base)

    @property
    def snapshot(self) -> Snapshot:
        """The corpus as the engine holds it now (immutable; replaced by ``sync``)."""
        return self._snapshot

    def is_cached(self, sentence: str) -> bool:
        """Whether the vector of ``sentence`` is already known (no embedding needed)."""
        return sentence in self._vectors or sentence in self._page_vectors

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

    def _parse(self, report_text: str) -> list[tuple[str, Facts]]:
        """A report's claims with their facts, worked out once: a sync only parses new reports."""
        if report_text not in self._parsed:
            self._parsed[report_text] = [(c.text, extract(c.text)) for c in claim_sentences(report_text)]
        return self._parsed[report_text]

    def _build(self, reports: list[Report]) -> Snapshot:
        statements, owners = [], []
        with self._phase("claims + facts of every report"):
            for number, report in enumerate(reports):
                for text, facts in self._parse(report.text):
                    statements.append(Statement(text, facts, number))
                    owners.append(number)
        with self._phase("embed"):
            vectors = self._embed([s.text for s in statements], self._vectors)
        owners_array = np.array(owners, dtype=int)
        with self._phase("copies of one story (duplicate groups)"):
            groups = _duplicate_groups(statements, len(reports))
        with self._phase("report events (dated index + searches)"):
            events = _report_events(reports, vectors, owners_array)
        sources = tuple(Source(r.doc, r.title, groups[i], events[i]) for i, r in enumerate(reports))
        # One mention per person, title and independent report: the judge counts reports.
        mentions: dict[str, dict[tuple, tuple[Title, Statement]]] = defaultdict(dict)
        for statement in statements:
            for title in statement.facts.titles:
                key = (title.person, title.label(), groups[statement.source])
                mentions[_person_key(title.person)].setdefault(key, (title, statement))
        with self._phase("SentenceIndex over the corpus"):
            index = SentenceIndex(vectors)
        with self._phase("idf weights"):
            idf = idf_weights([s.facts.terms for s in statements])
        return Snapshot(
            reports=tuple(reports),
            sources=sources,
            statements=tuple(statements),
            index=index,
            idf=idf,
            mentions={person: list(found.values()) for person, found in mentions.items()},
            known_places=frozenset(p.name for s in statements for p in s.facts.places if p.kind in ("city", "country")),
            known_names=frozenset(n for s in statements for n in s.facts.names),
            meetings=tuple((m, s) for s in statements for m in meeting_facts(s.facts)),
            version=corpus_version(reports),
        )

    # -- annotating ---------------------------------------------------------------

    def annotate(self, text: str, url: str | None = None) -> dict:
        """Label every claim of ``text``; returns the JSON contract."""
        snap = self._snapshot
        sentences = split_sentences(text)
        claims = claim_sentences(text, sentences)
        if len(self._page_vectors) > PARAMS.page_cache:
            self._page_vectors.clear()
        vectors = self._embed([c.text for c in claims], self._page_vectors)
        neighbours = snap.index.search(vectors, PARAMS.candidates) if claims else []
        excluded = _own_groups(snap, neighbours, len(claims), url)
        context = Context(
            sources=snap.sources,
            idf=snap.idf,
            known_places=snap.known_places,
            known_names=snap.known_names,
            page_event=document_event(text) or _nearest_event(snap, neighbours, excluded),
            excluded=frozenset(excluded),
        )
        annotations = []
        for claim, (ids, cosines) in zip(claims, neighbours):
            facts = extract(claim.text)
            candidates = [Candidate(snap.statements[i], float(c)) for i, c in zip(ids, cosines)]
            mentions = [m for t in facts.titles for m in snap.mentions.get(_person_key(t.person), [])]
            verdict = judge(claim.text, facts, candidates, context, mentions, snap.meetings)
            annotations.append(
                {
                    "text": claim.text,
                    "start": claim.start,
                    "end": claim.end,
                    "start_utf16": claim.start_utf16,
                    "end_utf16": claim.end_utf16,
                    "label": verdict.label,
                    "support": [e.as_dict() for e in verdict.support],
                    "conflict": [e.as_dict() for e in verdict.conflict],
                }
            )
        return {
            "annotations": annotations,
            "corpus": {
                "documents": len(snap.reports),
                "sentences": len(snap.statements),
                "version": snap.version,
            },
        }


def _duplicate_groups(statements: list[Statement], count: int) -> list[int]:
    """Reports that share most of their sentences are one report printed twice."""
    by_text: dict[str, set[int]] = defaultdict(set)
    sizes = Counter(s.source for s in statements)
    for s in statements:
        by_text[" ".join(s.text.lower().split())].add(s.source)
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


def _report_events(reports: list[Report], vectors: np.ndarray, owners: np.ndarray) -> list[Event | None]:
    """Each report's event; an undated report takes the event of the dated report it echoes most."""
    events = [document_event(r.text) for r in reports]
    dated = [i for i, e in enumerate(events) if e is not None]
    if not dated or len(dated) == len(reports):
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


def _nearest_event(snap: Snapshot, neighbours: list, excluded: set[int]) -> Event | None:
    """An undated page is about the event of the reports it echoes most."""
    votes: Counter = Counter()
    for ids, cosines in neighbours:
        for i, c in zip(ids, cosines):
            source = snap.sources[snap.statements[i].source]
            if c >= PARAMS.same_event and source.event is not None and source.group not in excluded:
                votes[source.event] += float(c)
    return votes.most_common(1)[0][0] if votes else None


def load_engine(folder: str = "seeds") -> Engine:
    """An engine over the reports in ``folder``."""
    return Engine(load_folder(folder))
