"""The product's quality target, measured on the hand-labelled gold in tests/data/.

Gold: every claim of the five seeds judged leave-one-out against the other four
(gold.jsonl), plus pages with planted conflicts judged against all five
(planted_gold.jsonl). `make eval` prints the same figures in detail; `--verbose`
lists every disagreement.
"""

from __future__ import annotations

import json

import pytest

from workers.devtools.evaluate import label_class
from workers.devtools.gold import GOLD_SETS, find_source, load_all_gold

MACRO_F1_TARGET = 0.85
CONFLICT_RECALL_TARGET = 0.7


def test_gold_is_well_formed():
    rows = load_all_gold()
    assert {r["set"] for r in rows} == set(GOLD_SETS)
    seen = set()
    for row in rows:
        text = find_source(row["doc"])
        assert text[row["start"] : row["end"]] == row["text"], row
        assert row["label"] in ("corroborated", "mixed", "contradicted", "unverified", None)
        assert row["doc"] not in row["support"] + row["conflict"], "a page never supports itself"
        if row["label"] == "unverified":
            assert not row["support"] and not row["conflict"], row
        if label_class(row["label"]) == "conflict":
            assert row["conflict"], row
        key = (row["doc"], row["start"], row["end"])
        assert key not in seen
        seen.add(key)


@pytest.fixture(scope="module")
def result():
    from workers.devtools.evaluate import evaluate
    from workers.devtools.gold import ROOT
    from workers.engine import load_engine

    engine = load_engine(str(ROOT / "seeds"))
    return evaluate(engine, load_all_gold())


def test_macro_f1_target(result):
    summary = json.dumps({name: round(m["macro_f1"], 3) for name, m in result["by_set"].items()})
    macro_f1 = result["macro_f1"]
    assert macro_f1 >= MACRO_F1_TARGET, (
        f"macro-F1 {macro_f1:.3f} < {MACRO_F1_TARGET} (by set: {summary}); "
        "run `make eval` with --verbose for the disagreements"
    )


def test_conflict_recall_target(result):
    recall = result["conflict_recall"]
    assert recall >= CONFLICT_RECALL_TARGET, (
        f"conflict recall {recall:.3f} < {CONFLICT_RECALL_TARGET}; run `.venv/bin/corroborate eval --verbose`"
    )
