"""One label vocabulary: the Python one (workers.labels), the extension's copy and its colours agree."""

from __future__ import annotations

import json
import re
from pathlib import Path

from workers.labels import COLOURS, LABELS

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"


def test_the_extension_labels_are_the_python_labels():
    source = (EXTENSION / "labels.js").read_text(encoding="utf-8")
    order = json.loads(re.search(r"order: Object\.freeze\((\[.*?\])\)", source).group(1))
    assert sorted(order) == sorted(LABELS)
    for label in LABELS:
        assert f'{label}: "{label.capitalize()}"' in source


def test_the_extension_colours_are_the_python_colours():
    css = (EXTENSION / "content.css").read_text(encoding="utf-8")
    for label, (tint, underline) in COLOURS.items():
        rule = re.search(r"\.corroborate-" + label + r"\s*\{(.*?)\}", css, re.S).group(1)
        assert underline in rule
        assert tint == "transparent" or tint in rule
