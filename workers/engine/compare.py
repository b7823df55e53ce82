"""Whether two facts are about the same thing, and whether they agree.

Facts of different kinds never meet; facts of one kind meet only when they are
about the same thing (what a number counts, whose title, which outcome).
"""

from __future__ import annotations

from workers.engine.facts import NAMED, NATIONALITY, Fact
from workers.engine.lexicon import lexicon
from workers.engine.params import PARAMS


def anchors(fact: Fact) -> frozenset[str]:
    """The canonical words (death, revenue, meeting...) that say for sure what a fact is about."""
    return fact.about & lexicon()["anchors"]


def comparable(a: Fact, b: Fact) -> bool:
    """Two facts about the same thing (same kind, unit and subject)."""
    if a.kind != b.kind or a.unit != b.unit:
        return False
    if a.kind == "title":
        return True  # same person (the unit holds the surname)
    lex = lexicon()
    own_a, own_b = (a.own or a.about), (b.own or b.about)
    # Figures of different people or things named on both sides are not one figure ("Park raised
    # $2.9 million", "Lee raised $3.4 million"; "Silva's 51st minute", "Costa's 88th").
    if a.kind in ("amount", "ordinal", "score"):
        who_a, who_b = (
            _named(own_a if a.kind == "amount" else a.about),
            _named(own_b if b.kind == "amount" else b.about),
        )
        if who_a and who_b and not who_a & who_b:
            return False
    own_a, own_b = own_a - _named(own_a), own_b - _named(own_b)
    for marker in lex["markers"]:
        if bool(own_a & marker) != bool(own_b & marker):
            return False  # a forecast is not the result, a shootout is not the match
    if a.kind == "amount" and _opposed(a.about, b.about):
        return False  # counts acquitted are not counts convicted; a 3% rise is not a 9% fall
    groups_a = {i for i, g in enumerate(lex["alternatives"]) if own_a & g}
    groups_b = {i for i, g in enumerate(lex["alternatives"]) if own_b & g}
    if groups_a and groups_b and not groups_a & groups_b:
        return False  # a quarter is not a year
    if a.kind == "amount" and bool(a.head) != bool(b.head):
        # One side says what it counts: the other must speak of it too ("an 80 km/h limit" is no speed).
        head, other = (a.head, b) if a.head else (b.head, a)
        if head not in other.about:
            return False
    if a.kind == "amount" and a.head and b.head:
        # Passengers are not carriages, the injured are not the dead; "magnitude 6.4 quake" and
        # "magnitude 6.2" count the same thing when one's noun is in the other's phrase.
        return a.head == b.head or a.head in own_b or b.head in own_a
    if a.kind == "agent":
        # The same act on the same thing: sides named on both ("the Russian delegation") must match.
        sides_a, sides_b = {w for w in a.about if w[0] == "@"}, {w for w in b.about if w[0] == "@"}
        if sides_a and sides_b and not sides_a & sides_b:
            return False
        what_a, what_b = a.about - sides_a, b.about - sides_b
        if a.unit == "say":  # the same statement: enough words in common, or all the words of a short one
            shared = what_a & what_b
            return len(shared) >= PARAMS.quote_overlap or (len(shared) >= 2 and shared in (what_a, what_b))
        return len(what_a & what_b) >= 1
    if a.kind == "polarity":
        # Device sales are not services revenue: one outcome's subject must hold the other's.
        return bool(a.about & b.about) and (a.about <= b.about or b.about <= a.about)
    strong_a, strong_b = anchors(a), anchors(b)
    if a.kind == "amount":
        # Figures are compared for the same thing: their own phrases share a word ("revenue",
        # "buyback"), or what they count is named on both sides (deaths, passengers).
        if (own_a & own_b) - lex["generic"] - VERBS_OF_BEING:
            return not (anchors_of(own_a) and anchors_of(own_b) and not anchors_of(own_a) & anchors_of(own_b))
        if strong_a and strong_b:
            return bool(strong_a & strong_b)
        return len(a.about & b.about) >= (1 if a.unit != "count" else 2)
    if a.kind == "ordinal":
        # "the 88th minute" and "the 74th minute" are the same thing only for the same player or team.
        names_a, names_b = a.about - {a.unit} - _named(a.about), b.about - {b.unit} - _named(b.about)
        return bool(names_a & names_b) or not (names_a and names_b)
    if strong_a and strong_b:
        return bool(strong_a & strong_b)
    return bool(a.about & b.about)


def _opposed(words_a: frozenset[str], words_b: frozenset[str]) -> bool:
    """One side says an outcome, the other its opposite ('acquitted' / 'convicted', 'rose' / 'fell')."""
    outcome = lexicon()["outcome"]
    found_a = {outcome[w] for w in words_a if w in outcome}
    return any((pair, -direction) in found_a for pair, direction in (outcome[w] for w in words_b if w in outcome))


def _named(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in words if w.startswith(NAMED))


VERBS_OF_BEING = frozenset({"be", "is", "was", "were", "are", "have", "has", "had", "come", "came", "reach", "reached"})


def anchors_of(words: frozenset[str]) -> frozenset[str]:
    return words & lexicon()["anchors"]


def _significant(value: float) -> int:
    """Significant digits of a stated figure: 300 has 1, 297 has 3, 2.10 has 2."""
    text = f"{value:.6g}".replace(".", "").lstrip("0")
    return max(1, len(text.rstrip("0")))


def _rounds_to(exact: float, rough: float) -> bool:
    if rough == 0:
        return exact == 0
    digits = _significant(rough)
    from math import floor, log10

    magnitude = floor(log10(abs(rough))) - digits + 1
    return (
        round(exact / 10**magnitude) * 10**magnitude == rough
        if magnitude > 0
        else abs(round(exact, -magnitude) - rough) < 1e-9
    )


def same_amount(a: Fact, b: Fact) -> bool:
    if isinstance(a.value, tuple) or isinstance(b.value, tuple):
        return _same_range(a.value, b.value)
    x, y = float(a.value), float(b.value)
    if x == y:
        return True
    for one, other in ((a, b), (b, a)):
        if other.hedge in ("above", "below"):
            continue  # "more than 600" and "more than 400" are two different floors
        v, w = float(one.value), float(other.value)
        if one.hedge == "above" and v <= w <= v * PARAMS.above_range:
            return True
        if one.hedge == "below" and v * PARAMS.below_range <= w <= v:
            return True
    if a.hedge == "near" or b.hedge == "near":
        return abs(x - y) <= PARAMS.hedged_tolerance * max(abs(x), abs(y))
    if abs(x - y) <= PARAMS.exact_tolerance * max(abs(x), abs(y)):
        return True
    # Rounding is not a different value: 300 vs 297, 1.5 million vs 1,480,000.
    if _significant(x) < _significant(y) and _significant(x) <= 2 and y > 50:
        return _rounds_to(y, x)
    if _significant(y) < _significant(x) and _significant(y) <= 2 and x > 50:
        return _rounds_to(x, y)
    return False


def _same_range(a, b) -> bool:
    """A range is the same range, or contains the single figure given on the other side."""
    (a_low, a_high) = a if isinstance(a, tuple) else (a, a)
    (b_low, b_high) = b if isinstance(b, tuple) else (b, b)
    close = lambda x, y: abs(x - y) <= PARAMS.exact_tolerance * max(abs(x), abs(y))  # noqa: E731
    if isinstance(a, tuple) and isinstance(b, tuple):
        return close(a_low, b_low) and close(a_high, b_high)
    return a_low <= b_high * (1 + PARAMS.exact_tolerance) and b_low <= a_high * (1 + PARAMS.exact_tolerance)


def same_title(a: Fact, b: Fact) -> bool:
    """One role: the same standing (former or not), the same rank (deputy, assistant...), and one
    role's words within the other's ('minister' and 'foreign minister', not 'prime minister')."""
    lex = lexicon()
    (former_a, role_a), (former_b, role_b) = a.value, b.value
    words_a, words_b = set(role_a.split()) - {"of"}, set(role_b.split()) - {"of"}
    # A Swedish referee is not a Norwegian one; a nationality one side leaves out is no difference.
    from_a, from_b = _nationalities(words_a), _nationalities(words_b)
    if from_a and from_b and not from_a & from_b:
        return False
    words_a, words_b = words_a - from_a, words_b - from_b
    if former_a != former_b or (words_a & lex["rank"]) != (words_b & lex["rank"]):
        return False
    return not words_a or not words_b or words_a <= words_b or words_b <= words_a


def _nationalities(words: set[str]) -> set[str]:
    return {w for w in words if w.startswith(NATIONALITY)}


def same_venue(a: Fact, b: Fact) -> bool:
    (kind_a, owner_a), (kind_b, owner_b) = a.value, b.value
    return kind_a == kind_b and (
        not owner_a or not owner_b or bool(owner_a & owner_b) or any(x[:4] == y[:4] for x in owner_a for y in owner_b)
    )


def same_person(a: str, b: str) -> bool:
    """One surname, allowing one letter's difference in long ones (Gorbachev / Gorbachov)."""
    if a == b:
        return True
    if min(len(a), len(b)) < PARAMS.name_min_length or abs(len(a) - len(b)) > 1:
        return False
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer))) or (
        len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1
    )


def agrees(a: Fact, b: Fact) -> bool:
    """Whether two comparable facts give the same value."""
    if a.kind == "agent":
        return same_person(a.value, b.value)
    if a.kind == "place" and a.unit == "venue":
        return same_venue(a, b)
    if a.kind == "place":
        return a.value in b.value or b.value in a.value
    if a.kind == "amount":
        return same_amount(a, b)
    if a.kind == "title":
        return same_title(a, b)
    return a.value == b.value


def shown(fact: Fact) -> str:
    """The words that state a fact, as the evidence shows them: a title by its role."""
    if fact.kind == "title":
        former, role = fact.value
        return ("former " if former else "") + role.replace(NATIONALITY, "")
    return fact.text
