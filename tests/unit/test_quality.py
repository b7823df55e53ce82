"""The product's quality, measured on the hand-labelled gold in tests/data/.

Gold: the seed sets (every claim of the five seeds judged leave-one-out, pages with
planted conflicts, held-out pages) and seventeen stories in nine kinds of news, each with its own
corpus, split by story into tune, blind and fresh (tests/data/stories/split.json).
`make eval` prints the same figures per set; `--verbose` lists every disagreement.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.devtools.evaluate import label_class
from workers.devtools.gold import gold_sets

# Floors a little under the measured figures (README, "Quality, measured"), not the targets: a
# change that loses quality on the seed sets, the tuning half or the (seen) blind half fails here.
# The fresh split has no floor: it is the unseen test, not something to hold the engine to. The targets
# (macro-F1 0.85, conflict recall 0.75) are not met yet; `make eval` shows how far each set is.
FLOORS = {"seed": (0.75, 0.65), "tune": (0.73, 0.66), "blind": (0.68, 0.55)}  # split: (macro-F1, conflict recall)
LABELS = ("corroborated", "mixed", "contradicted", "unverified", None)


@pytest.mark.parametrize("gold", gold_sets(), ids=lambda g: g.name)
def test_gold_is_well_formed(gold):
    corpus_docs = {p.stem for p in Path(gold.corpus).iterdir()}
    seen = set()
    for row in gold.rows:
        assert gold.pages[row["doc"]][row["start"] : row["end"]] == row["text"], row
        assert row["label"] in LABELS
        assert set(row["support"] + row["conflict"]) <= corpus_docs, row
        assert row["doc"] not in row["support"] + row["conflict"], "a page never supports itself"
        if row["label"] in ("unverified", None):
            assert not row["support"] and not row["conflict"], row
        if label_class(row["label"]) == "conflict":
            assert row["conflict"], row
        key = (row["doc"], row["start"], row["end"])
        assert key not in seen
        seen.add(key)


def test_stories_are_split_by_story_across_at_least_five_domains():
    stories = [g for g in gold_sets() if g.split != "seed"]
    assert {"tune", "blind"} <= {g.split for g in stories} <= {"tune", "blind", "fresh"}
    assert len({g.domain for g in stories}) >= 5
    assert sum(len([r for r in g.rows if r["label"]]) for g in stories) >= 600


@pytest.fixture(scope="module", params=sorted(FLOORS))
def result(request):
    from workers.devtools.evaluate import evaluate, summarise
    from workers.engine import Engine
    from workers.engine.corpus import load_folder
    from workers.engine.embed import Embedder

    embedder, items = Embedder(), []
    for gold in gold_sets(splits=[request.param]):
        engine = Engine(load_folder(gold.corpus), embedder)
        items += evaluate(engine, gold.rows, gold.pages, gold.urls)["items"]
    return request.param, summarise(items)


def test_macro_f1_floor(result):
    split, metrics = result
    floor = FLOORS[split][0]
    assert metrics["macro_f1"] >= floor, f"{split}: macro-F1 {metrics['macro_f1']:.3f} < {floor}; run `make eval`"


def test_conflict_recall_floor(result):
    split, metrics = result
    floor = FLOORS[split][1]
    assert metrics["conflict_recall"] >= floor, f"{split}: conflict recall {metrics['conflict_recall']:.3f} < {floor}"
