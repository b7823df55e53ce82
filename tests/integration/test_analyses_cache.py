"""The per-sentence analyses the workers share through Redis: bounded, and used by the engine."""

from __future__ import annotations

import numpy as np
import pytest

from workers.engine.analyses import Analyses
from workers.queue.analyses import RedisAnalyses


@pytest.fixture
def connection(redis_db):
    return redis_db


def test_store_is_bounded_and_answers_recent_entries(connection):
    store = RedisAnalyses(connection, limit=10)
    for n in range(30):
        store.set_many({f"k{n}": b"v%d" % n})
    assert store.entries() <= 10
    assert store.get_many(["k29", "k28"]) == [b"v29", b"v28"]
    assert store.get_many(["k0"]) == [None]


def test_a_sentence_analysed_by_one_process_is_read_by_another(connection):
    calls = []

    def embed(texts):
        calls.append(list(texts))
        return np.ones((len(texts), 384), dtype=np.float32) / np.sqrt(384)

    store = RedisAnalyses(connection, limit=1000)
    first = Analyses(embed, "test-model", store)
    vectors, docs, facts = first.analyse(["The talks in Istanbul lasted six hours on Thursday."])
    second = Analyses(embed, "test-model", store)
    again, docs2, facts2 = second.analyse(["The talks in Istanbul lasted six hours on Thursday."])
    assert len(calls) == 1 and second.counts["shared"] == 1
    assert np.allclose(vectors, again)
    assert [t.ent_type_ for t in docs[0]] == [t.ent_type_ for t in docs2[0]]
    assert facts == facts2
    # Another model never reads these entries.
    assert Analyses(embed, "other-model", store).key("x") != first.key("x")
