"""Where the gold labels are and how they are read: the one place that knows ``tests/data``.

A gold set is a JSONL file of labelled sentences (its format: ``workers/devtools/evaluate.py``)
plus the folders holding the pages it labels.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
GOLD_SETS = {
    "seeds": DATA / "gold.jsonl",
    "planted": DATA / "planted_gold.jsonl",
    "heldout": DATA / "heldout_gold.jsonl",
}
SOURCE_DIRS = [ROOT / "seeds", DATA / "planted", DATA / "heldout"]


def load_gold(path: str | Path, set_name: str | None = None) -> list[dict]:
    """Rows of one gold file, each tagged with the set it belongs to."""
    path = Path(path)
    known = {p.resolve(): n for n, p in GOLD_SETS.items()}
    name = set_name or known.get(path.resolve()) or path.stem.replace("_gold", "")
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            row.setdefault("set", name)
            row.setdefault("support", [])
            row.setdefault("conflict", [])
            rows.append(row)
    return rows


def load_all_gold() -> list[dict]:
    rows: list[dict] = []
    for name, path in GOLD_SETS.items():
        if path.exists():
            rows.extend(load_gold(path, name))
    return rows


def find_source(doc: str, dirs: list[Path] | None = None) -> str:
    """The text of the page a gold row refers to (a seed or a planted page)."""
    for folder in dirs or SOURCE_DIRS:
        for ext in (".txt", ".md", ".html"):
            candidate = folder / f"{doc}{ext}"
            if candidate.exists():
                return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError(f"no page for gold doc {doc!r} in {[str(d) for d in dirs or SOURCE_DIRS]}")
