"""Nearest sentences by cosine: an exact scan for small corpora, an inverted-file index for large ones."""

from __future__ import annotations

import numpy as np

SCAN_LIMIT = 40_000  # below this many sentences a matrix product is faster than any index
PROBES = 12


class SentenceIndex:
    """Top-k neighbours of query vectors among unit-length corpus vectors."""

    def __init__(self, vectors: np.ndarray, seed: int = 0):
        self.vectors = vectors
        self.centroids: np.ndarray | None = None
        self.lists: list[np.ndarray] = []
        if len(vectors) > SCAN_LIMIT:
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
        assign = np.concatenate(
            [np.argmax(chunk @ centroids.T, axis=1) for chunk in np.array_split(self.vectors, 64)]
        )
        self.centroids = centroids
        self.lists = [np.flatnonzero(assign == c) for c in range(count)]

    def search(self, queries: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each query, (indices, cosines) of its k nearest corpus sentences, best first."""
        if len(self.vectors) == 0:
            return [(np.empty(0, int), np.empty(0, np.float32)) for _ in queries]
        if self.centroids is None:
            return [self._top(row, np.arange(len(self.vectors)), k) for row in queries @ self.vectors.T]
        results = []
        probes = np.argsort(-(queries @ self.centroids.T), axis=1)[:, :PROBES]
        for query, lists in zip(queries, probes):
            members = np.concatenate([self.lists[c] for c in lists])
            results.append(self._top(self.vectors[members] @ query, members, k))
        return results

    @staticmethod
    def _top(scores: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best])]
        return ids[best], scores[best]
