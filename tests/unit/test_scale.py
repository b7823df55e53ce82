"""Speed at scale (issue 11): report-wide facts found by anchor word, and the nearest-N caps."""

from collections import defaultdict
from dataclasses import replace
from types import SimpleNamespace

import numpy as np

from workers.engine import pipeline
from workers.engine.claims import claim_sentences
from workers.engine.pipeline import Rows, _nearest, _report_facts


def _every_fact_of_the_kind(snap, facts, vector) -> dict:
    """What the judge was given before the index: every corpus fact of each kind the claim states."""
    by_kind = defaultdict(list)
    for fact, n in snap.facts:
        by_kind[(fact.kind, fact.unit)].append((fact, n))
    found = {}
    for fact in facts.items:
        key = (fact.kind, fact.unit)
        if key in by_kind and key not in found:
            found[key] = [(other, snap.statements[n], float(snap.vectors[n] @ vector)) for other, n in by_kind[key]]
    return found


def test_the_index_keeps_every_fact_the_judge_can_take(engine):
    """Below the cap, the index loses nothing the judge would compare: same anchor, same kind."""
    from workers.engine.compare import anchors

    snap = engine.snapshot
    for report in snap.reports:
        claims = [c.text for c in claim_sentences(report.text)]
        vectors, _, claim_facts = engine.analyses.analyse(claims, lambda step: None)
        for facts, vector in zip(claim_facts, vectors):
            found = _report_facts(snap, facts, vector)
            full = _every_fact_of_the_kind(snap, facts, vector)
            for mine in facts.items:
                strong = anchors(mine) | (mine.about & snap.topic)
                if mine.kind == "title" or not strong:
                    continue
                kept = {(id(f), s.text) for f, s, _ in found.get((mine.kind, mine.unit), [])}
                for theirs, statement, _ in full.get((mine.kind, mine.unit), []):
                    if strong & (anchors(theirs) | (theirs.about & snap.topic)):
                        assert (id(theirs), statement.text) in kept


def test_the_cap_keeps_the_nearest_and_scores_each_text_once():
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.8, 0.6], [1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    snap = SimpleNamespace(vectors=vectors)
    statements = np.array([0, 1, 2, 3, 4, 0])  # entry -> statement; statements 0 and 3 are one text
    texts = np.array([0, 1, 2, 0, 3])
    rows = Rows.of(list(range(6)), statements, texts)
    assert len(rows.heads) == 4
    claim = np.array([1.0, 0.0], dtype=np.float32)
    ids, cosines = _nearest([rows], statements, snap, claim, cap=10)
    assert ids == [0, 1, 2, 3, 4, 5] and cosines[1] == 0.0
    ids, cosines = _nearest([rows], statements, snap, claim, cap=3)
    assert ids == [0, 3, 5] and cosines == [1.0, 1.0, 1.0]
    ids, _ = _nearest([rows], statements, snap, claim, cap=4)
    assert ids == [0, 2, 3, 5]


def test_a_capped_corpus_still_labels(engine, monkeypatch):
    """With caps far below the corpus, every claim is still judged (the seeds' labels need few reports)."""
    page = engine.reports[4].text
    full = engine.annotate(page)
    monkeypatch.setattr(pipeline, "PARAMS", replace(pipeline.PARAMS, report_facts_nearest=1, titled_nearest=1))
    capped = engine.annotate(page)
    assert [a["text"] for a in capped["annotations"]] == [a["text"] for a in full["annotations"]]
