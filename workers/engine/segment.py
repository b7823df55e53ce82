"""Split text into sentences with exact offsets, in code points and in UTF-16 units.

Lines are hard boundaries (headlines, bullets and captions rarely end with a full
stop), except where the next line carries on in lower case; inside a line a sentence ends at . ! ? (or their CJK forms) followed by space
and something that can start a sentence, unless the word before is an abbreviation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sen",
    "rep",
    "gov",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "st",
    "jr",
    "sr",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "no",
    "nos",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "approx",
    "est",
    "dept",
    "univ",
    "ave",
    "blvd",
    "mt",
    "ft",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
}

LINE = re.compile(r"[^\r\n]+")
# A line that carries on the one before: an unfinished line, then one starting in lower case.
CONTINUED = re.compile(r"(?<![.!?…。！？])[ \t]*(?:\r\n|\r|\n)[ \t]*(?=[a-z])")
# A terminator, optional closing quotes/brackets, then the whitespace that separates.
BOUNDARY = re.compile(r"([.!?…]+|[。！？]+)([\"'”’»)\]]*)(\s+|(?<=[。！？])(?=\S))")
BULLET = re.compile(r"^[\s•·●▪◦‣*\-–—]+(?=\S)")
WORD_BEFORE = re.compile(r"([\w.]+)$")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    start_utf16: int
    end_utf16: int
    line: int  # index of the line (paragraph) the sentence starts on
    terminated: bool  # ends with sentence punctuation (headlines do not)
    bullet: bool = False  # an item of a bulleted list


def utf16_offsets(text: str) -> list[int]:
    """Map each code-point offset (0..len) to its UTF-16 offset."""
    offsets = [0] * (len(text) + 1)
    units = 0
    for index, char in enumerate(text):
        offsets[index] = units
        units += 2 if ord(char) > 0xFFFF else 1
    offsets[len(text)] = units
    return offsets


def _is_abbreviation(line: str, dot_at: int) -> bool:
    # WORD_BEFORE's match lies in the run of non-space characters before the dot (or before a newline
    # just before it): searching from that run's start finds what a search from 0 finds, without
    # rescanning the line for every dot (which made a long one-line page quadratic).
    start = dot_at - 1 if dot_at and line[dot_at - 1] == "\n" else dot_at
    while start and not line[start - 1].isspace():
        start -= 1
    match = WORD_BEFORE.search(line, start, dot_at)
    if not match:
        return False
    original = match.group(1).rstrip(".")
    word = original.lower()
    if word in ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "J.", "U.S.", "D.C." (not the "h" of "km/h.").
    dotted = "." in word and bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", word)) and len(word) <= 5
    return dotted or (len(original) == 1 and original.isupper())


def _starts_sentence(line: str, at: int) -> bool:
    if at >= len(line):
        return False
    char = line[at]
    # "…$5.2 billion. iPad sales fell": a word with a capital inside starts a sentence too.
    word = re.match(r"\w+", line[at:])
    return not char.islower() or bool(word and any(c.isupper() for c in word.group(0)[1:]))


def _split_line(line: str) -> list[tuple[int, int]]:
    """Sentence spans inside one line, relative to the line."""
    spans, begin = [], 0
    for match in BOUNDARY.finditer(line):
        next_start = match.end()
        if match.group(1) == "." and _is_abbreviation(line, match.start(1)):
            continue
        if not _starts_sentence(line, next_start):
            continue
        spans.append((begin, match.end(2)))
        begin = next_start
    spans.append((begin, len(line)))
    return spans


def _lines(text: str):
    """(start, end) of each line, joining lines that carry on the one before."""
    joined = {m.start() for m in CONTINUED.finditer(text)}
    spans = []
    for match in LINE.finditer(text):
        if spans and any(spans[-1][1] <= j < match.start() for j in joined):
            spans[-1] = (spans[-1][0], match.end())
        else:
            spans.append((match.start(), match.end()))
    return spans


def split_sentences(text: str) -> list[Sentence]:
    """All sentences of ``text`` in order; ``text[s.start:s.end] == s.text``."""
    utf16 = utf16_offsets(text)
    sentences = []
    for line_no, (line_start, line_end) in enumerate(_lines(text)):
        line = text[line_start:line_end]
        for begin, end in _split_line(line):
            piece = line[begin:end]
            bullet = BULLET.match(piece) if begin == 0 else None
            if bullet:
                begin += bullet.end()
            stripped_left = len(line[begin:end]) - len(line[begin:end].lstrip())
            begin += stripped_left
            end -= len(line[begin:end]) - len(line[begin:end].rstrip())
            if end <= begin or not any(ch.isalnum() for ch in line[begin:end]):
                continue
            start, stop = line_start + begin, line_start + end
            body = text[start:stop]
            sentences.append(
                Sentence(
                    text=body,
                    start=start,
                    end=stop,
                    start_utf16=utf16[start],
                    end_utf16=utf16[stop],
                    line=line_no,
                    terminated=bool(re.search(r"[.!?…。！？][\"'”’»)\]]*$", body)),
                    bullet=bullet is not None,
                )
            )
    return sentences
