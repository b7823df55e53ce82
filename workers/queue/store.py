"""Reports added to a corpus at run time, kept in Redis.

The corpus a worker checks pages against is the folder it was started with
(``seeds`` by default) plus the reports added here, through ``POST
/api/v1/documents`` or ``corroborate corpus add``. Every change gives the added
set a new version; workers compare it before each job and sync their engine, and
the result cache is keyed by it, so old answers stop being served.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from redis import Redis
from redis.client import Pipeline

from workers.config import DEFAULT_CORPUS, MAX_TEXT
from workers.documents import Report, corpus_version
from workers.queue.cache import PREFIX, cache_version
from workers.text_rules import TextError, check_field, check_text


class StoreError(ValueError):
    """A report that cannot be stored; the message is meant for the user as it is."""


def document_id(title: str, text: str) -> str:
    """A stable id for an added report, shaped like the seed file names."""
    digest = hashlib.sha256((title + "\0" + text).encode("utf-8", "surrogatepass")).hexdigest()
    return f"added_{digest[:16]}"


class CorpusStore:
    """The added reports of one corpus (a hash of JSON records) and their version."""

    def __init__(self, connection: Redis, corpus: str = DEFAULT_CORPUS):
        self.connection = connection
        self.corpus = corpus
        self.docs_key = f"{PREFIX}:corpus:{corpus}:docs"
        self.version_key = f"{PREFIX}:corpus:{corpus}:version"
        self.engine_key = f"{PREFIX}:corpus:{corpus}:engine"

    # -- reading ---------------------------------------------------------------

    @staticmethod
    def _decode(raw: bytes | str) -> Report:
        data = json.loads(raw)
        return Report(**{k: data.get(k) for k in ("doc", "title", "text", "url", "source")})

    def list(self) -> list[Report]:
        return sorted((self._decode(v) for v in self.connection.hvals(self.docs_key)), key=lambda r: r.doc)

    def get(self, doc: str) -> Report | None:
        raw = self.connection.hget(self.docs_key, doc)
        return None if raw is None else self._decode(raw)

    def version(self) -> str:
        raw = self.connection.get(self.version_key)
        return raw.decode() if raw is not None else corpus_version([])

    def snapshot(self) -> tuple[str, list[Report]]:
        """The version and the reports it stands for, read atomically."""
        with self.connection.pipeline(transaction=True) as pipe:
            pipe.get(self.version_key)
            pipe.hvals(self.docs_key)
            raw_version, values = pipe.execute()
        reports = sorted((self._decode(v) for v in values), key=lambda r: r.doc)
        return (raw_version.decode() if raw_version is not None else corpus_version([])), reports

    # -- writing ---------------------------------------------------------------

    def _change(self, doc: str, record: str | None) -> bool:
        """Set (or delete, when ``record`` is None) one report and the version, atomically."""
        changed = False

        def apply(pipe: Pipeline) -> None:
            nonlocal changed
            current = {k.decode(): v for k, v in pipe.hgetall(self.docs_key).items()}
            existed = doc in current
            if record is None:
                current.pop(doc, None)
            else:
                current[doc] = record.encode()
            changed = existed if record is None else not existed
            version = corpus_version([self._decode(v) for v in current.values()])
            pipe.multi()
            if record is None:
                pipe.hdel(self.docs_key, doc)
            else:
                pipe.hset(self.docs_key, doc, record)
            pipe.set(self.version_key, version)

        self.connection.transaction(apply, self.docs_key)
        return changed

    def add(
        self,
        title: str,
        text: str,
        url: str | None = None,
        source: str | None = None,
        doc: str | None = None,
    ) -> tuple[Report, bool]:
        """Store one report; returns it and whether it is new (the same report twice is stored once)."""
        title, text = (title or "").strip(), text or ""
        if not title:
            raise StoreError("a report needs a title")
        if not text.strip():
            raise StoreError("a report needs some text")
        try:  # the one text rule, the same as for pages (workers.text_rules)
            check_text(text, "the report's text", max_chars=MAX_TEXT)
            check_field(title, "the report's title")
            check_field(url, "the report's url")
            check_field(source, "the report's source")
        except TextError as error:
            raise StoreError(str(error)) from None
        report = Report(doc=doc or document_id(title, text), title=title, text=text, url=url, source=source)
        created = self._change(report.doc, json.dumps(asdict(report)))
        return report, created

    def remove(self, doc: str) -> bool:
        """Remove one report; False when there was none with that id."""
        return self._change(doc, None)

    # -- what the workers publish ---------------------------------------------

    def cache_version(self) -> str:
        """The version the result cache is keyed by: the workers' base corpus and the added reports."""
        base, added = self.connection.mget(self.engine_key + ":base", self.version_key)
        return cache_version((base or b"unknown").decode(), (added or corpus_version([]).encode()).decode())

    def publish_engine(self, base_version: str, info: dict[str, Any] | None = None) -> None:
        """Record what the workers loaded: the folder's version and the corpus size they last used."""
        with self.connection.pipeline(transaction=False) as pipe:
            pipe.set(self.engine_key + ":base", base_version)
            if info is not None:
                pipe.set(self.engine_key, json.dumps(info))
            pipe.execute()

    def engine_info(self) -> dict[str, Any] | None:
        raw = self.connection.get(self.engine_key)
        return None if raw is None else json.loads(raw)
