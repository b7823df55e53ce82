"""Where the gold labels are and how they are read: the one place that knows ``tests/data``.

A gold set is a corpus folder, the pages judged against it (with their URLs) and a JSONL file
of labelled sentences (its format: ``workers/devtools/evaluate.py``). The seed sets are judged
against ``seeds/``; each story under ``tests/data/stories/`` has its own corpus, and
``stories/split.json`` says which stories are for tuning and which are the blind test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
STORIES = DATA / "stories"
SEED_SETS = {
    "seeds": (DATA / "gold.jsonl", ROOT / "seeds"),
    "planted": (DATA / "planted_gold.jsonl", DATA / "planted"),
    "heldout": (DATA / "heldout_gold.jsonl", DATA / "heldout"),
}
SPLITS = ("seed", "tune", "blind", "fresh")


@dataclass(frozen=True)
class GoldSet:
    """Labelled pages and the corpus they were judged against."""

    name: str
    split: str  # one of SPLITS
    corpus: Path
    rows: list[dict]
    pages: dict[str, str]  # page doc id -> its text
    urls: dict[str, str | None] = field(default_factory=dict)
    domain: str = "diplomacy"


def load_gold(path: str | Path, set_name: str | None = None) -> list[dict]:
    """Rows of one gold file, each tagged with the set it belongs to."""
    path = Path(path)
    name = set_name or path.stem.replace("_gold", "")
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                row.setdefault("set", name)
                row.setdefault("support", [])
                row.setdefault("conflict", [])
                rows.append(row)
    return rows


def _pages(folder: Path, docs: set[str]) -> dict[str, str]:
    return {doc: (folder / f"{doc}.txt").read_text(encoding="utf-8") for doc in docs}


def _story_split() -> dict[str, str]:
    split_file = STORIES / "split.json"
    if not split_file.exists():
        return {}
    split = json.loads(split_file.read_text(encoding="utf-8"))
    return {story: half for half in SPLITS for story in split.get(half, [])}


def gold_sets(names: list[str] | None = None, splits: list[str] | None = None) -> list[GoldSet]:
    """Every gold set (or those named, or those of the given splits), seed sets first."""
    found: list[GoldSet] = []
    for name, (path, pages) in SEED_SETS.items():
        if path.exists():
            rows = load_gold(path, name)
            folder = pages if name != "seeds" else ROOT / "seeds"
            found.append(GoldSet(name, "seed", ROOT / "seeds", rows, _pages(folder, {r["doc"] for r in rows})))
    halves = _story_split()
    for folder in sorted(p for p in STORIES.glob("*") if (p / "gold.jsonl").exists()):
        meta = json.loads((folder / "story.json").read_text(encoding="utf-8"))
        rows = load_gold(folder / "gold.jsonl", folder.name)
        corpus = ROOT / "seeds" if meta.get("corpus") == "seeds" else folder / "corpus"
        urls = {doc: page.get("url") for doc, page in meta.get("pages", {}).items()}
        pages = _pages(folder / "pages", {r["doc"] for r in rows})
        split = halves.get(folder.name, "tune")
        found.append(GoldSet(folder.name, split, corpus, rows, pages, urls, meta.get("domain", "")))
    return [s for s in found if (not names or s.name in names) and (not splits or s.split in splits)]
