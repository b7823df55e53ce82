"""The label vocabulary of ../shared/LABELS.md, with its colours, used by the CLI, the HTML
report, the W3C output and the API schemas (the extension has its own copy in
``extension/labels.js``, checked against this one by a test)."""

from __future__ import annotations

LABELS = ("corroborated", "mixed", "contradicted", "unverified")

# The terminal colour of each label (rich style names).
TERMINAL_COLOURS = {"corroborated": "green", "contradicted": "red", "mixed": "yellow", "unverified": "dim"}

# The extension's colours (extension/content.css): a tint and an underline per label.
COLOURS = {
    "corroborated": ("#ccf2d6", "#1a7f37"),
    "mixed": ("#ffe6ad", "#9a5b00"),
    "contradicted": ("#ffd9d6", "#b3261e"),
    "unverified": ("transparent", "#8a8a8a"),
}

# What each label says in one line (the W3C output's describing body).
SUMMARIES = {
    "corroborated": "Corroborated",
    "mixed": "Mixed: supported in part, disputed in part",
    "contradicted": "Contradicted",
    "unverified": "Unverified: no other report addresses it",
}
