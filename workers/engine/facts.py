"""The checkable facts of a sentence, each tied to what it is about.

A fact is (kind, what it is about, value): "40 killed" is an amount of 40 about
{death}; "former President Trump" a title of trump with the role "president";
"won 2-1" a score (2, 1) about {win}. Two sentences' facts are compared only
when they are of the same kind and about the same thing, so "12,000 injured"
never meets "4,000 dead". The parse comes from spaCy; the words that say what
counts as the same thing come from ``lexicon.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from workers.engine.dates import MONTH_NAMES
from workers.engine.lexicon import canonical, lexicon


@dataclass(frozen=True)
class Fact:
    """One checkable detail: of a ``kind``, about some words, with a normalised value."""

    kind: str  # amount, score, ordinal, date, place, title, agent, polarity
    unit: str  # amounts: USD, percent, hour, count, km/h...; titles/agents: the person or act
    about: frozenset[str]  # canonical words of what it is about
    value: object
    text: str  # the words of the sentence it came from, shown as evidence
    hedge: str = ""  # amounts: "", "near", "above", "below"
    head: str = ""  # the word it counts or measures ("passenger", "injury"), when the parse says
    own: frozenset[str] = frozenset()  # amounts: the words of its own phrase ("quarterly revenue", "consensus")


@dataclass(frozen=True)
class Facts:
    items: tuple[Fact, ...] = ()
    negated: bool = False
    denied: frozenset[str] = frozenset()  # the content words of the clause a negation stands in
    denied_key: frozenset[str] = frozenset()  # what is denied: the verb, or what "is not" ("on the agenda")
    names: frozenset[str] = frozenset()  # lower-case proper nouns: people, places, bodies
    terms: frozenset[str] = field(default_factory=frozenset)  # content lemmas
    core: frozenset[str] = frozenset()  # who does what to whom: lemmas of the main verb, its subject and object

    def of(self, kind: str) -> list[Fact]:
        return [f for f in self.items if f.kind == kind]


NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
SCORE = re.compile(r"(?<![\d.,/:-])(\d{1,2})\s?[-–](\s?)(\d{1,2})(?!\d|[.,/:-]\d)")
ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)
WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "dozens": 24,
    "half": 0.5,
    "a": 1,
    "an": 1,
}
AMOUNT_ENTITIES = {"MONEY", "PERCENT", "CARDINAL", "QUANTITY", "TIME", "DATE"}


def parse_value(text: str) -> float | None:
    """The number a phrase states: '41bn' 41e9, 'six and a half' 6.5, '1,200' 1200."""
    lex = lexicon()
    words = re.findall(r"\d[\d,]*(?:\.\d+)?|[a-z]+", text.lower().replace("-", " "))
    total, current, seen = 0.0, 0.0, False
    for word in words:
        if NUMBER.fullmatch(word):
            current += float(word.replace(",", ""))
            seen = True
        elif word in lex["scales"] and seen:
            current = (current or 1) * lex["scales"][word]
            if lex["scales"][word] >= 1000:
                total, current = total + current, 0.0
        elif word in WORD_NUMBERS and word not in ("a", "an"):
            value = WORD_NUMBERS[word]
            if word == "hundred":
                current = (current or 1) * 100
            elif word == "half":
                current += 0.5
            else:
                current += value
            seen = True
        elif word in ("and",):
            continue
    if not seen and len(words) == 2 and words[0] in ("a", "an"):
        return 1.0  # "a week", "an hour"
    return total + current if seen else None


def _hedge(before: str) -> str:
    before = " " + before.lower().strip() + " "
    for kind in ("above", "below", "near"):
        if any(f" {h} " in before[-24:] + " " for h in lexicon()["hedges"][kind]):
            return kind
    return ""


NAMED = "!"  # marks a proper noun among the words a fact is about
NATIONALITY = "~"  # marks a nationality among a title's words ("~swedish referee")
BASED = "@"  # marks the organisation of a base ("norvale@": "Austin-based Norvale")
BECOMES = ">"  # marks the person of a title someone is or becomes ("vasquez>": "Vasquez will become CEO")


def _about(token, skip: set[int]) -> tuple[set[str], set[str]]:
    """Canonical content words around a number: its own phrase (the noun it counts, what that is
    of, "from" a previous value), then also the verb that governs it and that verb's subject and object."""
    lex = lexicon()
    own: set[str] = set()
    wide: set[str] = set()

    def add(t, into: set[str]) -> None:
        if t.i in skip or t.like_num or t.pos_ in ("PUNCT", "DET", "ADP", "CCONJ", "PRON", "AUX", "NUM"):
            return
        into.add(canonical((t.lemma_ or t.text).lower()))
        into.add(canonical(t.text.lower()))
        if t.pos_ == "PROPN":  # who or what the figure belongs to: "Park raised $2.9 million"
            into.add(NAMED + t.text.lower())

    for child in token.children:
        if child.dep_ in ("amod", "compound", "nmod") and child.i not in skip:
            add(child, own)
    node, steps = token, 0
    while steps < 4:
        head = node.head
        if head is node:
            break
        # "up from 46 million", "from $32.2 billion": the value it was before.
        if head.lower_ == "from" and head.dep_ == "prep":
            own.add("previous")
        if head.pos_ in ("VERB", "AUX") or (head.pos_ == "ADJ" and head.dep_ == "ROOT"):
            # The verb and who did it mark the figure ("analysts expected $8.15bn" is an estimate);
            # its other arguments only say what it is about ("beat the consensus").
            add(head, own)
            for child in head.children:
                if (
                    child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "acomp", "agent")
                    and child.i not in skip
                    and child is not node
                ):
                    into = own if child.dep_ in ("nsubj", "nsubjpass", "agent") else wide
                    add(child, into)
                    for grand in child.children:
                        if grand.dep_ in ("compound", "amod", "prep") and grand.i not in skip:
                            add(grand, into if grand.dep_ != "prep" else wide)
                            for pobj in grand.children:
                                if pobj.dep_ == "pobj":
                                    add(pobj, wide)
                # "spent four hours in talks": where the time went says what it measures.
                if child.dep_ == "prep" and child is not node and child.i not in skip:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN":
                            add(pobj, wide)
            break
        add(head, own)
        # "four hours of talks", "revenue of $41bn": what the measure is of.
        for prep in head.children:
            if prep.lower_ == "of" and prep.i not in skip:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.i not in skip:
                        add(pobj, own)
        for child in head.children:
            if child.dep_ in ("amod", "compound", "nmod", "poss") and child.i not in skip:
                add(child, own)
        node, steps = head, steps + 1
    # The words just after a bare number ("12,000 injured", "40 dead") say what it counts.
    doc = token.doc
    for t in doc[token.i + 1 : min(len(doc), token.i + 3)]:
        if t.pos_ in ("ADJ", "VERB", "NOUN") and t.i not in skip:
            add(t, own)
            break
    keep = lambda words: {
        w
        for w in words
        if w not in lex["generic"] and len(w) > 1 and (w[0] == NAMED or not any(c.isdigit() for c in w))
    }  # noqa: E731
    return keep(own), keep(own | wide)


MEASURE_WORDS = {
    "km",
    "h",
    "kph",
    "mph",
    "mm",
    "cm",
    "m",
    "kg",
    "km/h",
    "metre",
    "meter",
    "mile",
    "tonne",
    "ton",
    "degree",
    "feet",
    "ft",
    "inch",
    "kilometre",
    "kilometer",
    "point",
    "points",
}
UNIT_WORDS = MEASURE_WORDS | {
    "%",
    "percent",
    "per",
    "cent",
    "$",
    "€",
    "£",
    "¥",
    "million",
    "billion",
    "thousand",
    "bn",
    "m",
    "of",
    "for",
    "about",
    "some",
    "than",
    "more",
    "least",
    "at",
    "around",
    "nearly",
    "almost",
}


def _counted(token, span) -> str:
    """The noun or verb a number counts: '212 passengers' passenger, '63 were injured' injury."""
    lex = lexicon()
    inside = {t.i for t in span}
    node = token
    for _ in range(4):
        head = node.head
        if head is node:
            break
        word = (head.lemma_ or head.text).lower()
        if (
            head.i in inside
            or word in UNIT_WORDS
            or word.rstrip("s") in lex["hours"]
            or head.pos_ in ("ADP", "DET", "NUM")
            or (canonical(word) in lex["generic"] and head.pos_ == "NOUN")  # "212 people were killed"
        ):
            node = head
            continue
        if head.pos_ in ("NOUN", "PROPN", "ADJ") or canonical(word) in lex["anchors"]:
            return canonical(word)
        if head.pos_ == "VERB":
            return ""  # "rose 5%": a verb says what happened, not what is counted
        node = head
    for t in token.doc[span.end : span.end + 2]:
        if (
            t.pos_ in ("NOUN", "ADJ", "VERB")
            and t.lower_.rstrip("s") not in lex["hours"]
            and canonical(t.lemma_ or t.text) not in lex["generic"]
        ):
            return canonical(t.lemma_ or t.text)
    return ""


def _unit_of(span_text: str, after: list[str]) -> tuple[str, float]:
    """(unit, multiplier) of an amount: a currency, percent, a span of time in hours, or count."""
    lex = lexicon()
    low = span_text.lower()
    for symbol, code in lex["currencies"].items():
        if not symbol.isalpha() and symbol in low:
            return code, 1.0
    words = re.findall(r"[a-z%$€£¥]+", low) + [w.lower() for w in after[:2]]
    for word in words:
        if word in lex["currencies"]:
            return lex["currencies"][word], 1.0
        if word == "percentage" and "point" in " ".join(words):
            return "points", 1.0  # "7.6 percentage points" is a gap between two shares, not a share
        if word in ("%", "percent", "per", "pct", "percentage"):
            return "percent", 1.0
        singular = word[:-1] if word.endswith("s") else word
        if singular in lex["hours"]:
            return "hour", float(lex["hours"][singular])
    for word in words:
        if re.fullmatch(
            r"(km|kph|mph|mm|cm|m|metres?|meters?|kilometres?|kilometers?|miles?|kg|tonnes?|tons?|degrees?|feet|ft|inches)",
            word,
        ):
            return word.rstrip("s"), 1.0
    return "count", 1.0


def amounts(doc, skip: set[int]) -> list[Fact]:
    """Numbers with what they count: money, percentages, spans of time, measures, counts."""
    lex = lexicon()
    facts = []
    used: set[int] = set(skip)
    spans = [e for e in doc.ents if e.label_ in AMOUNT_ENTITIES]
    # Bare numerals spaCy did not call an entity.
    covered = {t.i for e in spans for t in e}
    extra = [doc[t.i : t.i + 1] for t in doc if t.like_num and t.i not in covered]
    for span in list(spans) + extra:
        if any(t.i in used for t in span):
            continue
        if any(ORDINAL.match(t.text) for t in span):
            continue
        # "phase 3", "Article 5", "Route 66": a number after the noun it labels names it, counts nothing.
        if (
            len(span) == 1
            and span[0].dep_ == "nummod"
            and span[0].head.i == span.start - 1
            and span[0].head.pos_ in ("NOUN", "PROPN")
            and span[0].text.isdigit()
            and len(span[0].text) <= 2
            and canonical(span[0].head.lemma_ or span[0].head.text) not in lex["anchors"]
        ):
            continue
        # "Formula One", "Air Force One": a number word in a name is no figure.
        if all(not any(c.isdigit() for c in t.text) and t.text[:1].isupper() and t.i > 0 for t in span):
            continue
        text = span.text
        if span.start > 0 and doc[span.start - 1].text.lower() in lex["currencies"]:
            text = doc[span.start - 1].text + text
        if span.label_ == "DATE" if hasattr(span, "label_") else False:
            # Only spans of time ("three years") are amounts; calendar dates are dates.
            if not re.search(
                r"\b(second|minute|hour|day|week|fortnight|month|year|decade)s?\b", text.lower()
            ) or re.search(r"\b(ago|last|next|this|earlier|later|previous)\b", text.lower()):
                continue
            if re.search(r"\b(19|20)\d{2}\b", text):
                continue
        if span.label_ == "TIME" if hasattr(span, "label_") else False:
            if re.search(r"\d[:.]\d\d|\b[ap]\.?m\b|morning|evening|night|noon|midnight", text.lower()):
                continue
        if re.fullmatch(r"(19|20)\d{2}", text.strip()):
            continue
        value = parse_value(re.sub(r"(\d)(bn|m|k|mn|tn)\b", r"\1 \2", text, flags=re.I))
        if value is None:
            continue
        number_tokens = [t for t in span if t.like_num]
        anchor = number_tokens[-1] if number_tokens else span.root
        after = [t.text for t in doc[span.end : span.end + 2]]
        if (
            span.end < len(doc)
            and doc[span.end].lower_ in ("ago", "earlier", "before", "later", "after")
            and re.search(r"\b(second|minute|hour|day|week|fortnight|month|year|decade)s?\b", text.lower())
        ):
            continue  # "a day after", "two years ago": when, not how long
        if span.end + 2 < len(doc) and doc[span.end + 2].lower_ in ("ago", "earlier", "before", "later"):
            after = []  # "46 million a year ago": the time words date the figure, they are not its unit
        unit, factor = _unit_of(text, after)
        # "$2.10 a share": the unit of the number is per share.
        tail = " ".join(after).lower()
        own, about = _about(anchor, {t.i for t in span})
        about |= {
            canonical(t.lemma_ or t.text)
            for t in span
            if t.is_alpha
            and not t.like_num
            and t.lower_ not in lex["generic"]
            and t.lower_.rstrip("s") not in lex["hours"]
        }
        if unit not in ("count",) and re.match(r"^(a|per) share", tail):
            about, own = about | {"eps"}, own | {"eps"}
        before = doc[max(0, span.start - 4) : span.start].text + " " + text
        amount = value * factor
        low_high = RANGE.fullmatch(text)
        if low_high:  # "$9.1 billion to $9.4 billion": one fact, a range
            low, high = (parse_value(_scaled(part)) for part in low_high.group(1, 2))
            scale = _scale_of(low_high.group(2))
            if low is not None and high is not None:
                amount = (low * (scale if low < scale else 1) * factor, high * factor)
        facts.append(
            Fact("amount", unit, frozenset(about), amount, text, _hedge(before), _counted(anchor, span), frozenset(own))
        )
        used.update(t.i for t in span)
    return _join_ranges(doc, facts)


RANGE = re.compile(r"(?:between\s+)?(\D*\d.*?)\s*(?:to|and|-|–)\s*(\D*\d.*)", re.IGNORECASE)


def _scaled(text: str) -> str:
    return re.sub(r"(\d)(bn|m|k|mn|tn)\b", r"\1 \2", text, flags=re.I)


def _scale_of(text: str) -> float:
    """The scale word of the upper end of a range ("$9.4 billion"), which the lower end shares."""
    words = re.findall(r"[a-z]+", _scaled(text).lower())
    return next((lexicon()["scales"][w] for w in words if w in lexicon()["scales"]), 1.0)


def _join_ranges(doc, facts: list[Fact]) -> list[Fact]:
    """Two figures joined by "to" or "and" ("between $33.0 billion and $33.5 billion") are one range."""
    joined: list[Fact] = []
    for fact in facts:
        previous = joined[-1] if joined else None
        if (
            previous
            and previous.unit == fact.unit
            and not isinstance(previous.value, tuple)
            and not isinstance(fact.value, tuple)
        ):
            between = doc.text[doc.text.find(previous.text) + len(previous.text) : doc.text.find(fact.text)]
            if re.fullmatch(r"\s*(to|and|-|–)\s*", between) and previous.value < fact.value:
                joined[-1] = Fact(
                    "amount",
                    fact.unit,
                    previous.about | fact.about,
                    (previous.value, fact.value),
                    f"{previous.text}{between}{fact.text}",
                    previous.hedge,
                    previous.head or fact.head,
                    previous.own | fact.own,
                )
                continue
        joined.append(fact)
    return joined


def scores(doc) -> list[Fact]:
    """Tallies like '2-1' or '5-4 on penalties', with what they are the score of."""
    facts = []
    for match in SCORE.finditer(doc.text):
        a, b = int(match.group(1)), int(match.group(3))
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        window = doc[max(0, span.start - 4) : min(len(doc), span.end + 4)]
        about = {canonical(t.lemma_ or t.text) for t in window if t.pos_ in ("NOUN", "VERB", "ADJ")}
        about -= lexicon()["generic"]
        facts.append(Fact("score", "score", frozenset(about), (max(a, b), min(a, b)), match.group(0)))
    return facts


WORD_ORDINALS = {
    w: n
    for n, w in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"), 1
    )
}
WORD_RANK = re.compile(
    r"(?i)\b(" + "|".join(list(WORD_ORDINALS)[1:]) + r")[- ](?:(straight|consecutive|successive) (\w+)|(\w+est))\b"
)


TOP_RANK = re.compile(r"(?i)\b(?:the|its|their|his|her)\s+(\w+est)\b(?=\s+[a-z])")


def ordinals(doc) -> list[Fact]:
    """'the 88th minute', 'his 15th title': a numeric ordinal and the noun it ranks."""
    facts = []
    for token in doc:
        found = ORDINAL.match(token.text)
        if not found:
            continue
        noun = token.head if token.head.pos_ in ("NOUN", "PROPN") else token
        about = {canonical(noun.lemma_ or noun.text)} | _about(noun, {token.i})[1]
        facts.append(
            Fact(
                "ordinal",
                canonical(noun.lemma_ or noun.text),
                frozenset(about),
                int(found.group(1)),
                f"{token.text} {noun.text}" if noun is not token else token.text,
            )
        )
    # "the largest acquisition in its history": first of its kind, unless only "since" some year.
    for match in TOP_RANK.finditer(doc.text):
        rest = doc.text[match.end() : match.end() + 40].lower()
        if " since " not in f" {rest} " and not WORD_RANK.search(doc.text[max(0, match.start() - 12) : match.end()]):
            what = match.group(1).lower()
            facts.append(Fact("ordinal", canonical(what), frozenset({canonical(what)}), 1, match.group(0)))
    # "the second-deadliest quake", "the third straight quarter": a ranking in words.
    for match in WORD_RANK.finditer(doc.text):
        rank = WORD_ORDINALS[match.group(1).lower()]
        what = (match.group(3) or match.group(4)).lower()
        facts.append(Fact("ordinal", canonical(what), frozenset({canonical(what)}), rank, match.group(0)))
    return facts


NAME_TOKEN = re.compile(r"^[A-Z][\w'’.-]*$")
POSSESSORS = {"the", "a", "an", "its", "their", "his", "her", "'s", "’s", "team", "club", "company"}


def _is_title_word(token) -> bool:
    word = token.text.lower()
    lex = lexicon()
    return word in lex["title_heads"] or word in lex["title_modifiers"]


def _name_span(doc, start: int, step: int = 1) -> tuple[int, int] | None:
    """The capitalised name that starts (step 1) or ends (step -1) at ``start``, as [i, j)."""
    i = start
    while (
        0 <= i < len(doc)
        and NAME_TOKEN.match(doc[i].text)
        and not _is_title_word(doc[i])
        and doc[i].pos_ in ("PROPN", "NOUN", "X", "ADJ")
    ):
        i += step
    if i == start:
        return None
    return (start, i) if step == 1 else (i + 1, start + 1)


def _surname(doc, span: tuple[int, int]) -> str:
    return re.sub(r"['’]s?$", "", doc[span[1] - 1].text.lower())


def titles(doc) -> list[Fact]:
    """People's titles and roles: 'former President Donald Trump', 'Jane Doe, the CFO',
    'Acme's chief executive, John Smith', 'captain Ana Lima'."""
    lex = lexicon()
    facts, i = [], 0
    while i < len(doc):
        if not _is_title_word(doc[i]):
            i += 1
            continue
        j = i
        while j < len(doc) and (
            _is_title_word(doc[j]) or (doc[j].lower_ in ("of", "-") and j + 1 < len(doc) and _is_title_word(doc[j + 1]))
        ):
            j += 1
        start = i
        # "Swedish referee", "Russian Foreign Minister": a nationality belongs to the role.
        while start > 0 and doc[start - 1].ent_type_ == "NORP" and doc[start - 1].pos_ in ("ADJ", "PROPN"):
            start -= 1
        role = [NATIONALITY + t.lower_ if t.i < i else t.lower_ for t in doc[start:j]]
        # "Secretary of State", "Minister of Finance": one capitalised word after "of" belongs to it.
        if (
            j + 1 < len(doc)
            and doc[j].lower_ == "of"
            and doc[j + 1].text[:1].isupper()
            and j + 2 < len(doc)
            and NAME_TOKEN.match(doc[j + 2].text)
        ):
            role += ["of", doc[j + 1].lower_]
            j += 2
        if not any(w in lex["title_heads"] for w in role):
            i = j
            continue
        after = j + 1 if j < len(doc) and doc[j].text == "," else j
        name = _name_span(doc, after)
        if name:  # the title stands before the name
            facts.append(_title_fact(role, _surname(doc, name), doc[i : name[1]].text))
            i = name[1]
            # "Presidents Donald Trump and Vladimir Putin": a plural title covers each name.
            if role[-1].endswith("s") and i + 1 < len(doc) and doc[i].lower_ == "and":
                other = _name_span(doc, i + 1)
                if other:
                    facts.append(_title_fact(role, _surname(doc, other), doc[start : other[1]].text))
                    i = other[1]
            continue
        # "Jane Doe, the company's CFO": a name, a comma, then the title.
        k = start
        # Back over "the company's", "Corran Rail's", "its": the organisation the title belongs to.
        while k > 0 and (
            doc[k - 1].lower_ in POSSESSORS
            or (
                doc[k - 1].pos_ == "PROPN"
                and k > 1
                and (doc[k].lower_ in ("'s", "’s") or doc[k - 1].text[:1].isupper() and doc[k].pos_ == "PROPN")
            )
        ):
            k -= 1
        if k > 1 and doc[k - 1].text == ",":
            name = _name_span(doc, k - 2, step=-1)
            if name and (name[0] == 0 or doc[name[0] - 1].text != ","):
                facts.append(_title_fact(role, _surname(doc, name), doc[name[0] : j].text))
        i = j
    return _with_nationalities(doc, facts + _predicate_titles(doc, {f.unit for f in facts})) + _bases(doc)


def _bases(doc) -> list[Fact]:
    """Where a named organisation is based ('Austin-based Norvale', 'Quillon, which is based in Charlotte'):
    like a title, a fact of the organisation, not of one event; kept as a title 'based in austin'."""
    facts = []
    for based in doc:
        if based.lower_ not in ("based", "headquartered"):
            continue
        org = based.head if based.dep_ in ("amod", "acl", "relcl") else None
        if org is None or org.pos_ != "PROPN":
            org = next((c for c in based.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PROPN"), None)
        # "Austin-based" (the place modifies "based") or "based in Austin" (the object of "in").
        places = [c for c in based.children if c.dep_ == "npadvmod"]
        places += [p for c in based.children if c.lower_ == "in" for p in c.children if p.dep_ == "pobj"]
        places = [p for p in places if p.ent_type_ in ("GPE", "LOC")]
        if org is None or not places:
            continue
        words = [t.lower_ for p in places for t in p.subtree if t.ent_type_ in ("GPE", "LOC")]
        # "Norvale Technologies" and "Norvale" are one organisation: keyed by the first word of its name.
        name = min([org] + [c for c in org.children if c.dep_ == "compound" and c.pos_ == "PROPN"], key=lambda t: t.i)
        span = doc[min(based.i, *(p.i for p in places)) : max(based.i, *(p.i for p in places)) + 1]
        facts.append(_title_fact(["based", "in", *words], name.lower_ + BASED, span.text))
    return facts


def _predicate_titles(doc, titled: set[str]) -> list[Fact]:
    """A title the sentence gives as what someone is or becomes: 'Vasquez will become chief executive'."""
    facts = []
    for noun in doc:
        if noun.dep_ not in ("attr", "oprd") or noun.lower_ not in lexicon()["title_heads"]:
            continue
        person = next((c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass") and _a_person(c)), None)
        surname = _surname(doc, (person.i, person.i + 1)) if person is not None else None
        if surname is None or surname in titled:
            continue
        role = [t.lower_ for t in noun.lefts if _is_title_word(t)] + [noun.lower_]
        # What someone becomes is compared only with what others say they become: "Castell, a former
        # deputy mayor" and "Castell will be mayor" are two times, not two titles.
        facts.append(_title_fact(role, surname + BECOMES, doc[person.i : noun.i + 1].text))
    return facts


def _with_nationalities(doc, facts: list[Fact]) -> list[Fact]:
    """'Referee Anders Lindqvist, a Norwegian,': a nationality in apposition belongs to the person's title."""
    for token in doc:
        if token.ent_type_ != "NORP" or token.dep_ != "appos" or token.head.pos_ != "PROPN":
            continue
        person = _surname(doc, (token.head.i, token.head.i + 1))
        for n, fact in enumerate(facts):
            if fact.unit == person and NATIONALITY not in fact.value[1]:
                former, role = fact.value
                facts[n] = replace(fact, value=(former, f"{NATIONALITY}{token.lower_} {role}"))
    return facts


def _title_fact(role_words: list[str], person: str, text: str) -> Fact:
    lex = lexicon()
    former = any(w in lex["former"] for w in role_words)
    words = [
        lex["title_aliases"].get(w, w)
        for w in role_words
        if w not in lex["former"] and w not in ("new", "current", "sitting", "of", "-")
    ]
    role = " ".join(words)
    for phrase, meaning in lex["role_aliases"].items():
        role = re.sub(rf"\b{re.escape(phrase)}\b", meaning, role)
    role = re.sub(r"\b(\w+)( \1\b)+", r"\1", role)
    return Fact("title", person, frozenset(role.replace(NATIONALITY, "").split()), (former, role), text)


def polarity(doc) -> tuple[list[Fact], bool]:
    """Outcomes that have an opposite ('rose'/'fell', 'won'/'lost') and negated predicates."""
    lex = lexicon()
    facts = []
    denied: set[str] = set()
    keys: set[str] = set()
    for token in doc:
        lemma = (token.lemma_ or token.text).lower()
        # Headlines in title case ("Ukraine Not on Agenda") parse badly: the word decides, not its label.
        if (
            token.dep_ == "neg"
            or token.lower_ in ("not", "n't", "never")
            or (token.lower_ == "no" and token.dep_ in ("det", "neg", "advmod"))
            or (token.lower_ in ("nobody", "nothing", "none") and token.dep_ in ("nsubj", "nsubjpass", "dobj"))
        ):
            head = (
                token.head
                if token.dep_ == "neg" or token.lower_ != "no"
                else (token.head.head if token.head.dep_ != "ROOT" else token.head)
            )
            # "have not met since 2019" dates the last time; it denies nothing another report affirms.
            temporal = any(c.lower_ in ("since", "until", "yet") for c in head.children)
            # Only a negation of what the sentence tells counts, not one in a side clause.
            if not temporal and (head.dep_ in ("ROOT", "conj", "ccomp") or head.head.dep_ == "ROOT"):
                if head.lemma_ in ("be", "have") or head.pos_ == "AUX":
                    keys |= {
                        canonical(t.lemma_ or t.text)
                        for c in head.children
                        if c.dep_ in ("attr", "acomp", "prep", "dobj")
                        for t in c.subtree
                        if t.pos_ in ("NOUN", "ADJ", "VERB", "PROPN") and not t.is_stop
                    }
                else:
                    keys.add(canonical(head.lemma_ or head.text))
                denied |= {
                    canonical(t.lemma_ or t.text)
                    for t in head.subtree
                    if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") and not t.is_stop
                }
                # "The driver survived and has not been arrested": the subject of the first verb is denied of too.
                if head.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children):
                    denied |= {
                        canonical(c.lemma_ or c.text)
                        for c in head.head.children
                        if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN")
                    }
        if (
            token.pos_ not in ("VERB", "ADJ", "NOUN", "ADV", "ADP")
            or token.dep_ == "prt"
            or (token.dep_ in ("amod", "compound") and token.pos_ == "VERB")
        ):
            continue
        pair = lex["outcome"].get(lemma) or lex["outcome"].get(token.lower_)
        if pair is None:
            continue
        if token.pos_ in ("NOUN", "ADP", "ADV") and token.lower_ not in (
            "up",
            "down",
            "higher",
            "lower",
            "victory",
            "defeat",
            "loss",
            "profit",
            "intact",
        ):
            continue
        subject = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subject and token.dep_ in ("conj", "xcomp", "advcl") and token.head.pos_ in ("VERB", "AUX"):
            subject = [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        obj = [c for c in token.children if c.dep_ in ("dobj", "attr")]
        about = set()
        for node in subject + obj:
            about |= {
                canonical(t.lemma_ or t.text) for t in node.subtree if t.pos_ in ("NOUN", "PROPN") and not t.like_num
            }
        sign = pair[1]
        if any(c.dep_ == "neg" for c in token.children):
            sign = -sign
        facts.append(Fact("polarity", f"outcome:{pair[0]}", frozenset(about - lex["generic"]), sign, token.text))
    text = doc.text.lower()
    for phrase in lex["negative_verbs"]:
        if phrase in text:
            verb = next((t for t in doc if t.lower_ == phrase.split()[0]), None)
            if verb is not None:
                keys |= {canonical(t.lemma_ or t.text) for t in verb.subtree if t.pos_ in ("NOUN", "PROPN")}
                denied |= keys
    return facts, frozenset(denied), frozenset(keys)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {m.lower(): i for i, m in enumerate(MONTH_NAMES, 1)}
DAY_OF_MONTH = re.compile(
    r"(?i)\b(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?\s+(\d{1,2})\b"
    r"|\b(\d{1,2})\s+(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\b"
)


def dates(doc) -> list[Fact]:
    """Calendar dates a sentence gives for what it tells: 'on Thursday', 'on Feb. 27', 'in 2019'."""
    facts = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        low = ent.text.lower()
        # What a date is the date of: the words it hangs on, and the words just before it
        # ("the invasion of Ukraine in 2022"), which a parse of a long sentence often misplaces.
        before = {
            canonical(t.lemma_ or t.text)
            for t in doc[max(0, ent.start - 3) : ent.start]
            if t.pos_ in ("NOUN", "PROPN", "VERB") and not t.is_stop
        }
        about = frozenset(_about(ent.root, {t.i for t in ent})[1] | before)
        found = DAY_OF_MONTH.search(ent.text)
        if found:
            month = (found.group(1) or found.group(4)).lower()[:3]
            day = int(found.group(2) or found.group(3))
            number = next(i for m, i in MONTHS.items() if m.startswith(month))
            facts.append(Fact("date", "day", about, f"{number:02d}-{day:02d}", ent.text))
        weekday = next((w for w in WEEKDAYS if w in low), None)
        if weekday:
            facts.append(Fact("date", "weekday", about, weekday, ent.text))
        year = re.search(r"\b(19|20)\d{2}\b", ent.text)
        before_word = doc[max(0, ent.start - 1)].lower_
        if year and before_word == "since":  # "the deadliest since 1998": a record's other end
            facts.append(Fact("date", "since", about, int(year.group(0)), f"since {ent.text}"))
        elif year and before_word not in ("until", "by", "before", "after"):
            facts.append(Fact("date", "year", about, int(year.group(0)), ent.text))
    return facts


def places(doc) -> list[Fact]:
    """Where something happened: named places and venues after 'in' or 'at'."""
    lex = lexicon()
    facts = []
    for token in doc:
        if token.lower_ not in ("in", "at", "inside", "outside") or token.dep_ != "prep":
            continue
        objects = [c for c in token.children if c.dep_ == "pobj"]
        if not objects:
            continue
        obj = objects[0]
        words = [t for t in obj.subtree if t.dep_ != "punct" and t.i <= obj.i]
        text = doc[words[0].i : words[-1].i + 1].text if words else obj.text
        if obj.lower_ in lex["venues"]:
            owner = [
                t.lower_
                for t in words
                if t.pos_ in ("PROPN", "ADJ", "NOUN")
                and t is not obj
                and t.ent_type_ in ("GPE", "NORP", "ORG", "FAC", "PERSON")
                or t.text[:1].isupper()
            ]
            value = (obj.lower_, frozenset(re.sub(r"['’]s$|\.", "", w) for w in owner) - {""})
            facts.append(
                Fact(
                    "place",
                    "venue",
                    frozenset(_about(token.head, {t.i for t in words})[1] | {canonical(token.head.lemma_)})
                    - lex["generic"],
                    value,
                    text,
                )
            )
        elif obj.ent_type_ in ("GPE", "LOC", "FAC") and obj.pos_ == "PROPN":
            name = " ".join(t.lower_ for t in words if t.ent_type_ in ("GPE", "LOC", "FAC") and t.lower_ != "the")
            about = (
                frozenset(
                    _about(token.head, {t.i for t in words})[1] | {canonical(token.head.lemma_ or token.head.text)}
                )
                - lex["generic"]
            )
            facts.append(Fact("place", "named", about, name, text))
    return facts


NOT_PEOPLE = ("GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW")


def _a_person(token) -> bool:
    """A proper noun that names a person (the small model calls some people ORG: a one-word ORG passes)."""
    if token.pos_ != "PROPN" or token.ent_type_ in NOT_PEOPLE:
        return False
    entity = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    return not (token.ent_type_ == "ORG" and entity is not None and len(entity) > 1)


def agents(doc) -> list[Fact]:
    """Who did what: 'Smith led the U.S. side', 'the penalty was scored by Silva', 'Jones said
    the company would keep costs down'. The act is the verb (folded by the lexicon: led = headed),
    what it is about is its object, the value is the person's surname."""
    lex = lexicon()
    facts = []
    for verb in doc:
        if verb.pos_ != "VERB":
            continue
        doers = [c for c in verb.children if c.dep_ == "nsubj"]
        doers += [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        if not doers and verb.dep_ == "conj":  # "Okafor took and scored the penalty": the first verb's subject
            doers = [c for c in verb.head.children if c.dep_ == "nsubj"]
        person = next((d for d in doers if _a_person(d)), None)
        if person is None:
            continue
        act = canonical(verb.lemma_ or verb.text)
        spoken = act in lex["speech_verbs"]
        objects = [c for c in verb.children if c.dep_ in (("ccomp", "dobj") if spoken else ("dobj", "nsubjpass"))]
        about = set()
        for obj in objects:
            for t in obj.subtree:
                if t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") and not t.is_stop and t is not person:
                    word = canonical(t.lemma_ or t.text)
                    # A side named by its people ("the Russian delegation") must match; a place name
                    # may be said two ways ("Washington's team", "the U.S. side").
                    about.add("@" + word if t.ent_type_ == "NORP" else word)
        about -= lex["generic"]
        if about:
            surname = re.sub(r"['’]s?$", "", person.text.lower())
            facts.append(Fact("agent", "say" if spoken else act, frozenset(about), surname, person.text))
    return facts


NAME_ENTITIES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
NOT_NAMES = ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")


def _figure_term(token) -> str:
    value = parse_value(token.text) if token.like_num else None
    return "#" + (f"{value:g}" if value is not None else token.text.replace(",", ""))


def extract(doc) -> Facts:
    """Every fact of one parsed sentence."""
    score_facts = scores(doc)
    # The numbers of a score ("2-1") are not amounts of their own.
    skip = set()
    for match in SCORE.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None:
            skip.update(t.i for t in span)
    title_facts = titles(doc)
    outcome_facts, denied, keys = polarity(doc)
    items = (
        amounts(doc, skip)
        + score_facts
        + ordinals(doc)
        + title_facts
        + outcome_facts
        + dates(doc)
        + places(doc)
        + agents(doc)
    )
    words = [t for t in doc if t.is_alpha and len(t.text) > 3]
    title_case = len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.6 * len(words)
    # In a headline in title case every word looks like a name: only the named entities are names.
    names = frozenset(
        canonical(t.lemma_ or t.text)
        for t in doc
        if len(t.text) > 1
        and t.ent_type_ not in NOT_NAMES  # "Friday", "March" are dates, not names
        and (t.ent_type_ in NAME_ENTITIES if title_case else t.pos_ == "PROPN")
    )
    terms = {
        canonical(t.lemma_ or t.text)
        for t in doc
        if t.is_alpha and not t.is_stop and len(t.text) > 2 and not t.like_num
    }
    # A figure is a telling word of its own, however it is written: '212', '06:55', 'nine' = '9'.
    terms |= {_figure_term(t) for t in doc if t.like_num or any(c.isdigit() for c in t.text)}
    return Facts(tuple(items), bool(denied), denied, keys, names, terms, core_terms(doc))


CORE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "acomp", "oprd", "xcomp", "dative", "agent"})


def core_terms(doc) -> frozenset[str]:
    """The content lemmas of what a sentence says happened: its main verb with the heads of its subject,
    object and complement (and of their prepositional objects). For "X said Y" it is Y's: the statement."""
    speech = lexicon()["speech_verbs"]
    core: set[str] = set()
    for root in (t for t in doc if t.dep_ == "ROOT"):
        clause = root
        if canonical(root.lemma_ or root.text) in speech:
            clause = next((c for c in root.children if c.dep_ in ("ccomp", "parataxis")), root)
        for t in [clause, *clause.children]:
            if t is not clause and t.dep_ not in CORE_DEPS:
                continue
            if t.dep_ == "agent":  # "was approved by the board": the board
                t = next((c for c in t.children if c.dep_ == "pobj"), t)
            words = [t]
            # "sanctions against Russia": what the noun is of; "is on the agenda", "led to sanctions": a
            # verb without an object says what it is about in its preposition.
            if t is not clause or not any(c.dep_ in ("dobj", "attr", "acomp") for c in t.children):
                words += [o for p in t.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
            core.update(
                canonical(w.lemma_ or w.text) for w in words if w.is_alpha and not w.is_stop and len(w.text) > 2
            )
    return frozenset(core)
