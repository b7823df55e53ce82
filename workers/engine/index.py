"""Nearest sentences by cosine: an exact scan for small corpora, an inverted-file index for large ones."""

from __future__ import annotations

import numpy as np

from workers.engine.params import PARAMS


class SentenceIndex:
    """Top-k neighbours of query vectors among unit-length corpus vectors."""

    def __init__(self, vectors: np.ndarray, seed: int = 0):
        self.vectors = vectors
        self.centroids: np.ndarray | None = None
        self.lists: list[np.ndarray] = []
        if len(vectors) > PARAMS.scan_limit:
            self._build_lists(np.random.default_rng(seed))

    def _build_lists(self, rng: np.random.Generator, iterations: int = 6) -> None:
        count = int(np.sqrt(len(self.vectors)) * 2)
        sample = self.vectors[rng.choice(len(self.vectors), min(len(self.vectors), count * 40), replace=False)]
        centroids = sample[rng.choice(len(sample), count, replace=False)]
        for _ in range(iterations):
            assign = np.argmax(sample @ centroids.T, axis=1)
            for c in range(count):
                members = sample[assign == c]
                if len(members):
                    mean = members.mean(axis=0)
                    centroids[c] = mean / max(np.linalg.norm(mean), 1e-9)
        assign = np.concatenate([np.argmax(chunk @ centroids.T, axis=1) for chunk in np.array_split(self.vectors, 64)])
        self.centroids = centroids
        self.lists = [np.flatnonzero(assign == c) for c in range(count)]
        # The members of each list stored next to each other: a probe is a slice, not a gather.
        self.order = np.concatenate(self.lists)
        self.packed = np.ascontiguousarray(self.vectors[self.order])
        ends = np.cumsum([len(members) for members in self.lists])
        self.ends = ends.tolist()  # plain ints: indexing a list is cheaper than an array here
        self.starts = [0] + self.ends[:-1]

    def search(self, queries: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each query, (indices, cosines) of its k nearest corpus sentences, best first."""
        if len(self.vectors) == 0:
            return [(np.empty(0, int), np.empty(0, np.float32)) for _ in queries]
        if self.centroids is None:
            everyone = np.arange(len(self.vectors))
            return [
                self._top(row, everyone, k)
                for begin in range(0, len(queries), PARAMS.scan_chunk)
                for row in queries[begin : begin + PARAMS.scan_chunk] @ self.vectors.T
            ]
        probes = np.argsort(-(queries @ self.centroids.T), axis=1)[:, : PARAMS.probes]
        if len(queries) >= PARAMS.index_batch:
            results = []
            for begin in range(0, len(queries), 4096):
                results.extend(self._search_lists(queries[begin : begin + 4096], probes[begin : begin + 4096], k))
            return results
        results = []
        for query, lists in zip(queries, probes):
            spans = [(self.starts[c], self.ends[c]) for c in lists.tolist()]
            scores = np.concatenate([self.packed[s:e] @ query for s, e in spans])
            ids = np.concatenate([self.order[s:e] for s, e in spans])
            results.append(self._top(scores, ids, k))
        return results

    def _search_lists(self, queries: np.ndarray, probes: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Many queries at once: each list is scored against all the queries that probe it."""
        count, probed = probes.shape
        best_scores = np.full((count, probed * k), -np.inf, dtype=np.float32)
        best_ids = np.zeros((count, probed * k), dtype=np.int64)
        flat = probes.ravel()
        query_of = np.repeat(np.arange(count), probed)
        slot_of = np.tile(np.arange(probed), count) * k
        by_list = np.argsort(flat, kind="stable")
        for group in np.split(by_list, np.flatnonzero(np.diff(flat[by_list])) + 1):
            c = int(flat[group[0]])
            start, end = self.starts[c], self.ends[c]
            if end == start:
                continue
            rows = query_of[group]
            scores = queries[rows] @ self.packed[start:end].T
            keep = min(k, end - start)
            top = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
            where = slot_of[group][:, None] + np.arange(keep)
            best_scores[rows[:, None], where] = np.take_along_axis(scores, top, axis=1)
            best_ids[rows[:, None], where] = self.order[start:end][top]
        return [(ids[np.isfinite(s)], s[np.isfinite(s)]) for ids, s in _top_rows(best_scores, best_ids, k)]

    @staticmethod
    def _top(scores: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best])]
        return ids[best], scores[best]


def _top_rows(scores: np.ndarray, ids: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Row by row, the k best (ids, scores), best first; ``ids`` is one row for all or one per row."""
    k = min(k, scores.shape[1])
    if k == 0:
        return [(np.empty(0, int), np.empty(0, np.float32)) for _ in scores]
    best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    best = np.take_along_axis(best, np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1), axis=1)
    top_scores = np.take_along_axis(scores, best, axis=1)
    top_ids = ids[best] if ids.ndim == 1 else np.take_along_axis(ids, best, axis=1)
    return list(zip(top_ids, top_scores))
