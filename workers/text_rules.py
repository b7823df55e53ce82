"""The one rule for text coming in, whatever the way in: API pages and reports, `annotate`, `batch`, `corpus add`.

A page or report is refused, with the same message everywhere, when it

- is blank (nothing but whitespace),
- contains a NUL character (U+0000): text with one is almost always a binary file,
- contains a lone surrogate (U+D800 to U+DFFF on its own, as JSON's ``"\\ud800"`` can
  carry): it is not a character, cannot be encoded as UTF-8, and no tokenizer takes it,
- is longer than ``MAX_TEXT`` characters.

Nothing is cleaned silently: the offsets the engine returns index the text the caller
sent, so changing it would move every mark. This module imports nothing heavy: the API
process uses it too.
"""

from __future__ import annotations

import re

from workers.config import MAX_TEXT

SURROGATE = re.compile("[\ud800-\udfff]")
NUL_PROBLEM = "contains a NUL character (U+0000), so it looks like a binary file, not text"


class TextError(ValueError):
    """Text that breaks the rule; the message is meant for the user as it is."""


def text_problem(text: str, max_chars: int = MAX_TEXT) -> str | None:
    """What is wrong with ``text`` (a sentence fragment, no name), or None when it may come in."""
    if "\x00" in text:
        return NUL_PROBLEM
    match = SURROGATE.search(text)
    if match:
        return (
            f"contains a lone surrogate (U+{ord(match.group()):04X}) at character {match.start()}, "
            "which is not a character; send valid Unicode"
        )
    if not text.strip():
        return "is empty (nothing but whitespace)"
    if len(text) > max_chars:
        return f"too large ({len(text):,} characters; the limit is {max_chars:,})"
    return None


def check_text(text: str, name: str = "the text", max_chars: int = MAX_TEXT) -> str:
    """``text`` unchanged when it follows the rule; otherwise TextError("<name>: <what is wrong>")."""
    problem = text_problem(text, max_chars)
    if problem is not None:
        raise TextError(f"{name}: {problem}")
    return text


def check_field(text: str | None, name: str) -> str | None:
    """A short field (title, URL): no NUL and no lone surrogate; may be empty or None."""
    if text is None:
        return None
    if "\x00" in text or SURROGATE.search(text):
        raise TextError(f"{name}: contains a NUL character or a lone surrogate; send valid Unicode text")
    return text
