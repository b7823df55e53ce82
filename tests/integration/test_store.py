"""The corpus store: reports added at run time, kept in Redis, with a version that tracks them."""

from __future__ import annotations

import pytest

from workers.documents import corpus_version
from workers.queue import CorpusStore, StoreError


@pytest.fixture
def store(redis_db):
    return CorpusStore(redis_db, "seeds")


def test_add_get_list_and_remove(store):
    empty = store.version()
    report, created = store.add(
        "Bridge approved", "The council approved the bridge.", url="https://e.org/b", source="Gazette"
    )
    assert created and report.doc.startswith("added_")
    assert store.get(report.doc) == report
    assert store.list() == [report]
    assert store.version() == corpus_version([report]) != empty

    other, _ = store.add("Second", "Another report.")
    assert [r.doc for r in store.list()] == sorted([report.doc, other.doc])
    assert store.snapshot() == (store.version(), store.list())

    assert store.remove(report.doc) is True
    assert store.remove(report.doc) is False
    assert store.get(report.doc) is None
    store.remove(other.doc)
    assert store.version() == empty, "the same reports give the same version"


def test_the_same_report_twice_is_stored_once(store):
    first, created = store.add("T", "Text.")
    again, created_again = store.add("T", "Text.")
    assert created and not created_again and first == again
    assert len(store.list()) == 1


@pytest.mark.parametrize("title, text", [("", "Text."), ("  ", "Text."), ("T", ""), ("T", " \n ")])
def test_a_report_needs_a_title_and_text(store, title, text):
    with pytest.raises(StoreError):
        store.add(title, text)
    assert store.list() == []


def test_corpora_are_kept_apart(redis_db, store):
    store.add("T", "Text.")
    assert CorpusStore(redis_db, "other").list() == []


def test_the_cache_version_follows_workers_and_added_reports(store):
    before = store.cache_version()
    store.publish_engine("base1", {"documents": 5, "sentences": 90, "version": "base1"})
    published = store.cache_version()
    assert published != before and published.startswith("base1-")
    assert store.engine_info()["documents"] == 5
    store.add("T", "Text.")
    assert store.cache_version() != published
