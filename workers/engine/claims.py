"""Which sentences of a text are factual claims, and which are page furniture.

Furniture never gets a label and never corroborates anything: "Read next" blocks
and what follows them, lists of headlines, timestamps, bylines, photo credits,
comment prompts, section headings, questions, reader prompts (polls, "Follow ... for
more", "Refresh this page"), contact lines ("Email our desk") and disclaimers ("This
column is not investment advice", "The views expressed are the author's own"). The
headline, the standfirst below it and photo captions are claims. The phrase lists
are in lexicon.toml, under [furniture].
"""

from __future__ import annotations

import re

from workers.engine.lexicon import lexicon
from workers.engine.params import PARAMS
from workers.engine.segment import Sentence, split_sentences

FURNITURE = lexicon()["furniture"]


def _any(phrases: tuple[str, ...]) -> str:
    return "|".join(f"(?:{phrase})" for phrase in phrases)


RELATED_MARKER = re.compile(rf"^({_any(FURNITURE['related'])})\s*:?$", re.IGNORECASE)
TIMESTAMP = re.compile(r"^\(?\d{1,2}[:.]\d{2}(\s?[ap]\.?m\.?)?\)?( [A-Z]{2,4})?$", re.IGNORECASE)
# "By Jane Doe", "Reporting by ...": a byline is a few capitalised names, not "By Wednesday morning, ...".
BYLINE = re.compile(
    r"^(?:(?:written |reporting |editing )?by\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*[,|;].*)?$"
    r"|(?:written|reporting|editing) by\s)",
    re.IGNORECASE,
)
# "Photo: Reuters" is a credit; "Photo: The mayor concedes in the harbour district." is a caption.
SHORT_CREDIT = re.compile(r"^(photo|image|source|picture|video)s?\s*:\s*\S+(\s+\S+){0,4}$", re.IGNORECASE)
READER = re.compile(rf"^(?:please\s+)?({_any(FURNITURE['to_the_reader'])})\b", re.IGNORECASE)
# A note on who wrote the piece: "Jane Doe is the Herald's transport columnist."
AUTHOR_NOTE = re.compile(
    r"\bis (?:a |an |the |our )?(?:[\w'’]+ ){0,3}(columnist|correspondent|reporter|editor|writer|contributor)\.?$",
    re.IGNORECASE,
)
CREDIT = re.compile(r"^\(?[^()]{0,40}\b(photo|photograph|image|video|file)\)?$", re.IGNORECASE)
PROMPT = re.compile(rf"\b({_any(FURNITURE['prompts'])})(?!\w)", re.IGNORECASE)
# When and where the page was posted: "Updated: 3 May 2025", "The Daily Example | 3 May 2025".
DATELINE = re.compile(rf"^(?:{_any(FURNITURE['datelines'])})\b|\s[|·•]\s", re.IGNORECASE)
# A note about the piece itself: "This column is not investment advice", "The views expressed are the author's own".
DISCLAIMER = re.compile(
    rf"^(?:{_any(FURNITURE['about_the_piece'])})\b.*\b(?:{_any(FURNITURE['disclaimers'])})\b", re.IGNORECASE
)
OWN_VIEWS = re.compile(rf"\b({_any(FURNITURE['own_views'])})\b", re.IGNORECASE)
# A way to reach the newsroom: "Email our desk", "Write to tips@example.org".
CONTACT = re.compile(
    rf"^(?:please\s+)?(?:{_any(FURNITURE['contact_verbs'])})\s+(?:{_any(FURNITURE['contact_targets'])})\b",
    re.IGNORECASE,
)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def furniture_lines(sentences: list[Sentence]) -> set[int]:
    """Lines that are not part of the report: related-story blocks and headline lists."""
    lines: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        lines.setdefault(sentence.line, []).append(sentence)
    furniture: set[int] = set()
    for line_no in sorted(lines):
        first = lines[line_no][0]
        if len(lines[line_no]) == 1 and RELATED_MARKER.match(first.text):
            furniture.update(n for n in lines if n >= line_no)
            break
    # Three or more unpunctuated lines in a row form a list of headlines or tags
    # (a bulleted list is the report's own content).
    run: list[int] = []
    for line_no in sorted(lines) + [None]:
        if line_no is not None and not any(s.terminated or s.bullet for s in lines[line_no]):
            run.append(line_no)
            continue
        if len(run) >= 3:
            furniture.update(run)
        run = []
    return furniture


def is_claim_text(sentence: Sentence) -> bool:
    """Whether one sentence, on its own, reads as a statement of fact."""
    text = sentence.text.strip()
    if len(_words(text)) < PARAMS.min_words:
        return False
    if text.rstrip("\"'”’ )").endswith("?") or text.endswith(":"):
        return False
    if TIMESTAMP.match(text) or BYLINE.match(text) or CREDIT.match(text) or PROMPT.search(text):
        return False
    if SHORT_CREDIT.match(text) or READER.match(text) or AUTHOR_NOTE.search(text):
        return False
    if DISCLAIMER.search(text) or OWN_VIEWS.search(text) or CONTACT.match(text):
        return False
    return True


def _title_lines(sentences: list[Sentence]) -> set[int]:
    """The headline, the first long unpunctuated line before the body begins, and the standfirst:
    a long unpunctuated line right below it."""
    for number, sentence in enumerate(sentences):
        if sentence.terminated:
            return set()
        if len(_words(sentence.text)) >= PARAMS.title_min_words and not sentence.bullet:
            lines = {sentence.line}
            below = sentences[number + 1 : number + 3]
            if below and below[0].line == sentence.line + 1 and _standfirst(below[0], below[1:]):
                lines.add(below[0].line)
            return lines
    return set()


def _standfirst(sentence: Sentence, after: list[Sentence]) -> bool:
    """A line that sums the story up under the headline: long, unpunctuated, alone on its line."""
    alone = not after or after[0].line != sentence.line
    long = len(_words(sentence.text)) >= PARAMS.title_min_words
    if not (alone and long and not sentence.terminated and not sentence.bullet and is_claim_text(sentence)):
        return False
    # Not the outlet's name and date ("The Daily Example | Updated 3 May, 10:15"): a sentence is mostly small words.
    words = [w for w in _words(sentence.text) if not w.isdigit()]
    lower = sum(1 for w in words if w.islower())
    return not DATELINE.search(sentence.text) and lower >= PARAMS.standfirst_lowercase * len(_words(sentence.text))


def claim_sentences(text: str, sentences: list[Sentence] | None = None) -> list[Sentence]:
    """The sentences of ``text`` that are factual claims, in order."""
    sentences = split_sentences(text) if sentences is None else sentences
    titles = _title_lines(sentences)
    furniture = furniture_lines(sentences) - titles
    claims, seen = [], set()
    for sentence in sentences:
        if sentence.line in furniture or not is_claim_text(sentence):
            continue
        # Unpunctuated lines are headings, except the headline, the standfirst and the items of a list.
        if not (sentence.terminated or sentence.bullet or sentence.line in titles):
            continue
        key = " ".join(sentence.text.lower().split())
        if key in seen:
            continue  # a headline repeated as the first line of the body
        seen.add(key)
        claims.append(sentence)
    return claims
