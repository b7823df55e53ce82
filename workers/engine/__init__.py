"""The engine: label every claim of a page against a corpus of reports.

    from workers.engine import load_engine
    engine = load_engine("seeds")        # loads once (about 2 s)
    engine.annotate(text, url=None)      # thread-safe; returns the JSON contract

Pure logic: no Redis, RQ, Flask, click or rich. One module per idea:
``segment`` (sentences and offsets), ``claims`` (which sentences are claims),
``facts`` (the checkable details of a sentence), ``events`` (which round of a
story), ``judge`` (one claim against its candidates), ``embed`` and ``index``
(sentence vectors, nearest-sentence search), ``corpus`` (reports from a folder),
``pipeline`` (ties them together), ``params`` (every tuned threshold).
"""

from __future__ import annotations

from workers.engine.params import PARAMS, Params
from workers.engine.pipeline import Engine, load_engine

__all__ = ["PARAMS", "Engine", "Params", "load_engine"]
