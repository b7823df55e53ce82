"""The word lists the fact model reads (``lexicon.toml``): data, not logic, and no story's words."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The lexicon, read once, with lookups built for the fact model."""
    with open(LEXICON_FILE, "rb") as handle:
        data = tomllib.load(handle)
    outcome: dict[str, tuple[int, int]] = {}
    for number, (up, down) in enumerate(data["outcomes"]["pairs"]):
        for word in up:
            outcome.setdefault(word, (number, 1))
        for word in down:
            outcome.setdefault(word, (number, -1))
    return {
        "canonical": {word: key for key, words in data["canonical"].items() for word in words},
        "anchors": frozenset(data["canonical"]),
        "generic": frozenset(data["about"]["generic"]),
        "alternatives": [frozenset(group) for group in data["about"]["alternatives"]],
        "markers": [frozenset(group) for group in data["about"]["markers"]],
        "hours": data["hours"],
        "hedges": data["hedges"],
        "currencies": {word: code for code, words in data["currencies"].items() for word in words},
        "scales": data["scales"],
        "venues": frozenset(data["places"]["venues"]),
        "title_heads": frozenset(data["titles"]["heads"]),
        "title_modifiers": frozenset(data["titles"]["modifiers"]),
        "former": frozenset(data["titles"]["former"]),
        "title_aliases": data["titles"]["aliases"],
        "role_aliases": data["titles"]["role_aliases"],
        "rank": frozenset(data["titles"]["rank"]),
        "outcome": outcome,
        "speech_verbs": frozenset(data["speech"]["verbs"]),
        "negative_verbs": tuple(data["negation"]["verbs"]),
        "furniture": {key: tuple(phrases) for key, phrases in data["furniture"].items()},
        "suffixes": tuple(data["stems"]["suffixes"]),
    }


def canonical(word: str) -> str:
    """The one word a lexicon group folds ``word`` into ('killed', 'deaths' -> 'death')."""
    word = word.lower()
    return lexicon()["canonical"].get(word, word)
