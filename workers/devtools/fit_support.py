"""Fit the support model (``judge.features`` -> does this report support the claim?) on the tuning gold.

    .venv/bin/python -m workers.devtools.fit_support        # prints the weights for params.py

Pairs: every gold claim of the ``tune``, ``blind`` and ``seed`` splits with every report the judge
looked at (same event, not the page itself); the report's sentence nearest the claim gives the
features (then, refitted a few rounds, the sentence the model rates highest, as the judge takes a report
when any of its sentences passes); the target is whether the gold lists the report as support. Logistic
regression (numpy, L2), then the threshold that maximises F1. The ``fresh`` split (never seen while tuning) is never read;
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
ROUNDS = 4


def pairs(splits: tuple[str, ...] = ("tune", "blind", "seed")) -> tuple[list[np.ndarray], np.ndarray]:
    """Features of every sentence the judge weighed, and the target, of every (gold claim, report) pair of
    the given splits: one array of sentences per pair (the judge takes a report when any one passes)."""
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
                by_source: dict[int, list[list[float]]] = {}
                for source, x in traces[j]:
                    by_source.setdefault(source, []).append(x)
                for source, xs in by_source.items():
                    rows_x.append(np.array(xs, dtype=float))
                    rows_y.append(engine.snapshot.sources[source].doc in rows[i]["support"])
    return rows_x, np.array(rows_y, dtype=float)


def strongest(bags: list[np.ndarray], weights: np.ndarray | None, bias: float) -> np.ndarray:
    """Each pair's sentence the model rates highest (the nearest by cosine and overlap before any fit)."""
    if weights is None:
        return np.array([bag[np.argmax(bag[:, 0] + bag[:, 1])] for bag in bags])
    return np.array([bag[np.argmax(bag @ weights + bias)] for bag in bags])


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
    bags, y = pairs()
    # The judge takes a report when its strongest sentence passes: fit on each pair's strongest sentence,
    # which depends on the fit; a few rounds settle it.
    weights, bias = None, 0.0
    for _ in range(ROUNDS):
        x = strongest(bags, weights, bias)
        weights, bias = fit(x, y)
    x = strongest(bags, weights, bias)
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
