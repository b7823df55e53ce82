"""Fit the support model (``judge.features`` -> does this report support the claim?) on the tuning gold.

    .venv/bin/python -m workers.devtools.fit_support        # prints the weights for params.py

Pairs: every gold claim of the ``tune``, ``blind`` and ``seed`` splits with every report the judge
looked at (same event, not the page itself); the report's sentence nearest the claim gives the
features; the target is whether the gold lists the report as support. Logistic regression (numpy, L2),
then the threshold that maximises F1. The ``fresh`` split (never seen while tuning) is never read;
``blind`` joined the fit once its first figures had been reported.
"""

from __future__ import annotations

import numpy as np

from workers.devtools.evaluate import _align
from workers.devtools.gold import gold_sets
from workers.engine import Engine
from workers.engine.corpus import load_folder
from workers.engine.embed import Embedder
from workers.engine.judge import FEATURES

L2 = 0.01
STEPS = 4000
RATE = 0.1


def pairs(splits: tuple[str, ...] = ("tune", "blind", "seed")) -> tuple[np.ndarray, np.ndarray]:
    """Features and targets of every (gold claim, report) pair of the given splits."""
    embedder, engines, rows_x, rows_y = Embedder(), {}, [], []
    for gold in gold_sets(splits=list(splits)):
        if gold.corpus not in engines:
            engines[gold.corpus] = Engine(load_folder(gold.corpus), embedder)
        engine = engines[gold.corpus]
        by_doc: dict[str, list[dict]] = {}
        for row in gold.rows:
            by_doc.setdefault(row["doc"], []).append(row)
        for doc, rows in by_doc.items():
            rows.sort(key=lambda r: (r["start"], r["end"]))
            traces: list = []
            result = engine.annotate(gold.pages[doc], url=gold.urls.get(doc), traces=traces)
            matched, _ = _align(rows, result["annotations"])
            for i, j in matched.items():
                if rows[i]["label"] is None:
                    continue
                best: dict[int, list[float]] = {}
                for source, x in traces[j]:
                    if source not in best or x[0] + x[1] > best[source][0] + best[source][1]:
                        best[source] = x
                for source, x in best.items():
                    rows_x.append(x)
                    rows_y.append(engine.snapshot.sources[source].doc in rows[i]["support"])
    return np.array(rows_x, dtype=float), np.array(rows_y, dtype=float)


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Logistic regression on standardised features, returned on the raw feature scale."""
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / scale
    weights, bias = np.zeros(z.shape[1]), 0.0
    for _ in range(STEPS):
        error = 1 / (1 + np.exp(-(z @ weights + bias))) - y
        weights -= RATE * (z.T @ error / len(y) + L2 * weights)
        bias -= RATE * error.mean()
    return weights / scale, float(bias - (weights * mean / scale).sum())


def main() -> None:
    x, y = pairs()
    weights, bias = fit(x, y)
    probability = 1 / (1 + np.exp(-(x @ weights + bias)))
    best = max(
        np.arange(0.2, 0.8, 0.02),
        key=lambda t: 2 * ((probability >= t) & (y == 1)).sum() / ((probability >= t).sum() + y.sum()),
    )
    hits, chosen = ((probability >= best) & (y == 1)).sum(), (probability >= best).sum()
    print(f"{len(y)} pairs, {int(y.sum())} supporting")
    for name, w in zip(FEATURES, weights):
        print(f"  {name:<24}{w:+.3f}")
    print(f"support_bias: float = {bias:.3f}")
    print(f"support_weights: tuple[float, ...] = ({', '.join(f'{w:.3f}' for w in weights)})")
    print(f"support_probability: float = {best:.2f}  (precision {hits / chosen:.2f}, recall {hits / y.sum():.2f})")


if __name__ == "__main__":
    main()
