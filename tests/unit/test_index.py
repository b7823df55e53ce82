"""The inverted-file index finds the same neighbours as an exact scan."""

from dataclasses import replace

import numpy as np

import workers.engine.index as index_module
from workers.engine.index import SentenceIndex


def unit_rows(rng, count, centres):
    rows = centres[rng.integers(0, len(centres), count)] + 0.3 * rng.normal(size=(count, centres.shape[1]))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_inverted_lists_agree_with_an_exact_scan_for_one_query_and_for_many(monkeypatch):
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(50, 32))
    corpus, queries = unit_rows(rng, 6000, centres), unit_rows(rng, 100, centres)
    exact = SentenceIndex(corpus)
    monkeypatch.setattr(index_module, "PARAMS", replace(index_module.PARAMS, scan_limit=1000))
    indexed = SentenceIndex(corpus)
    assert exact.centroids is None and indexed.centroids is not None
    truth = exact.search(queries, 10)
    for found in (indexed.search(queries, 10), indexed.search(queries[:5], 10)):  # batched, and one by one
        hits = [len(set(f[0][:10]) & set(t[0][:10])) / 10 for f, t in zip(found, truth)]
        assert np.mean(hits) >= 0.9
        assert all(np.all(np.diff(scores) <= 1e-6) for _, scores in found)  # best first
