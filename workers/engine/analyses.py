"""Per-sentence analyses worked out once: a sentence's vector and its spaCy parse (and facts).

The engine asks ``Analyses`` for the vectors and parses of a list of sentences. Each
sentence text is analysed at most once per process (bounded memos), and, when a
``SharedStore`` is given, at most once for all the processes that share it: the store
holds the vector and the serialised parse under a hash of the sentence and of what
made them (embedding model, maximum tokens, spaCy model), so a model change never reads
stale entries. Facts are derived from the parse in each process (``facts.extract`` may
change with the code; the parse does not), and memoised there.

The engine never imports Redis: ``workers.queue.analyses.RedisAnalyses`` is one store.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Protocol

import numpy as np

from workers.engine import nlp
from workers.engine.facts import Facts, extract
from workers.engine.params import PARAMS

DIMENSIONS = 384
VECTOR_BYTES = DIMENSIONS * 4


class SharedStore(Protocol):
    """Bytes by key, shared between processes (a bounded cache: any entry may be gone)."""

    def get_many(self, keys: list[str]) -> list[bytes | None]: ...

    def set_many(self, items: dict[str, bytes]) -> None: ...


def _no_clock(step: str) -> None:
    pass


class _Memo:
    """A dict cleared when it outgrows ``limit`` (cheaper than an LRU, and bounded)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.data: dict = {}

    def get(self, key):
        return self.data.get(key)

    def __contains__(self, key) -> bool:
        return key in self.data

    def put(self, key, value) -> None:
        if len(self.data) >= self.limit:
            self.data.clear()
        self.data[key] = value


class Analyses:
    """Vectors, parses and facts of sentences, each worked out once (see the module's docstring)."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray], model: str, store: SharedStore | None = None):
        self.embed = embed
        self.store = store
        self.vectors = _Memo(PARAMS.page_cache)
        self.docs = _Memo(PARAMS.parse_memo)  # a parse weighs some KB: fewer are kept
        self.facts = _Memo(PARAMS.page_cache)
        self.salt = f"{model}|{PARAMS.max_tokens}|{nlp.model_version()}|".encode()
        self.counts = {"memo": 0, "shared": 0, "computed": 0}
        self._lock = threading.Lock()

    def key(self, text: str) -> str:
        return "a:" + hashlib.blake2b(self.salt + text.encode(), digest_size=16).hexdigest()

    def has_vector(self, text: str) -> bool:
        return text in self.vectors

    def _fetch(self, texts: list[str], want_doc: bool, clock=_no_clock) -> None:
        """Fill the memos for ``texts`` from the shared store, then by computing what is still missing."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors or (want_doc and t not in self.docs)]
        self.counts["memo"] += len(texts) - len(missing)
        if not missing:
            return
        if self.store is not None:
            keys = [self.key(t) for t in missing]
            try:
                found = self.store.get_many(keys)
            except Exception:  # a shared cache that is down only costs time
                found = [None] * len(keys)
            left = []
            for text, blob in zip(missing, found):
                if blob is None or len(blob) < VECTOR_BYTES:
                    left.append(text)
                    continue
                self.vectors.put(text, np.frombuffer(blob[:VECTOR_BYTES], dtype=np.float32))
                if want_doc:
                    self.docs.put(text, nlp.from_bytes(blob[VECTOR_BYTES:]))
                self.counts["shared"] += 1
            missing = left
            clock("shared cache (read)")
        if not missing:
            return
        self.counts["computed"] += len(missing)
        vectors = self.embed(missing)
        clock("embedding")
        docs = nlp.parse(missing)
        clock("spaCy parse")
        for text, vector, doc in zip(missing, vectors, docs):
            self.vectors.put(text, vector)
            self.docs.put(text, doc)
        if self.store is not None:
            items = {
                self.key(t): v.astype(np.float32).tobytes() + nlp.to_bytes(d) for t, v, d in zip(missing, vectors, docs)
            }
            try:
                self.store.set_many(items)
            except Exception:
                pass
            clock("shared cache (write)")

    def vectors_of(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text (rows in order)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self._fetch(missing, want_doc=False) if self.store is not None else self._embed_only(missing)
        rows = [self.vectors.get(t) for t in texts]
        if any(r is None for r in rows):  # a memo cleared between fill and read: embed what it lost
            lost = [t for t, r in zip(texts, rows) if r is None]
            got = dict(zip(lost, self.embed(lost)))
            rows = [r if r is not None else got[t] for t, r in zip(texts, rows)]
        return np.array(rows, dtype=np.float32).reshape(len(texts), DIMENSIONS)

    def _embed_only(self, texts: list[str]) -> None:
        self.counts["computed"] += len(texts)
        for text, vector in zip(texts, self.embed(texts)):
            self.vectors.put(text, vector)

    def _docs(self, texts: list[str]) -> list:
        docs = [self.docs.get(t) for t in texts]
        if any(d is None for d in docs):
            lost = list(dict.fromkeys(t for t, d in zip(texts, docs) if d is None))
            self.counts["computed"] += len(lost)
            got = dict(zip(lost, nlp.parse(lost)))
            for text, doc in got.items():
                self.docs.put(text, doc)
            docs = [d if d is not None else got[t] for t, d in zip(texts, docs)]
        return docs

    def _facts(self, texts: list[str], docs: list) -> list[Facts]:
        out = []
        for text, doc in zip(texts, docs):
            found = self.facts.get(text)
            if found is None:
                found = extract(doc)
                self.facts.put(text, found)
            out.append(found)
        return out

    def analyse(self, texts: list[str], clock=_no_clock) -> tuple[np.ndarray, list, list[Facts]]:
        """Vectors, spaCy docs and facts of a page's ``texts`` (through the shared store, when there is one).

        ``clock(step)`` is called as each step ends (the engine's profile)."""
        self._fetch(texts, want_doc=True, clock=clock)
        docs = self._docs(texts)
        vectors = self.vectors_of(texts)
        clock("spaCy parse")
        facts = self._facts(texts, docs)
        clock("facts")
        return vectors, docs, facts

    def parses(self, texts: list[str]) -> tuple[list, list[Facts]]:
        """spaCy docs and facts of ``texts``, each distinct text parsed once (the corpus: no vectors here)."""
        docs = self._docs(texts)
        return docs, self._facts(texts, docs)
