"""Every tuned threshold of the engine, in one frozen dataclass (tuned on the gold labels: ``make eval``).

Modules read ``PARAMS``; an experiment builds another with ``dataclasses.replace(PARAMS, ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Params:
    # claims: which sentences are claims
    min_words: int = 4  # a claim has at least this many words
    title_min_words: int = 6  # a headline-like line of this many words is a claim

    # judge: one claim against its candidates (resemblance is pair_score, 0..1)
    cosine_weight: float = 0.6  # pair_score = cosine_weight * cosine + overlap_weight * word overlap
    overlap_weight: float = 0.4
    support: float = 0.42  # the main fact: the other sentence says the same thing
    detail: float = 0.46  # a common detail (a weekday, a city, a year) agrees: the sentences are about the same thing
    support_elsewhere: float = 0.55  # the same, for a sentence about people and places no report names
    specific_detail: float = 0.36  # a telling detail (a venue, a full date, a figure) agrees, at a weaker resemblance
    conflict: float = 0.50  # a differing detail counts as a conflict
    year_conflict: float = 0.62  # years differ between related sentences about different moments far more often
    denial_span: int = 10  # words within which the affirmed terms must stand
    negation_topic: float = 0.35  # resemblance needed before words a report denies, found affirmed, conflict
    meeting_detail: float = 0.2  # two sentences about a meeting that both give, e.g., its length or place
    meeting_topic: float = 0.5  # cosine that shows two meeting sentences are about the same talks
    # The values a stated figure allows, as (low, high) factors, by hedge: "about six" is 5.3 to 6.7.
    number_spread: dict = field(
        default_factory=lambda: {
            "": (0.95, 1.05),
            "near": (0.88, 1.12),
            "above": (1.0, 1.5),
            "below": (0.67, 1.0),
        }
    )
    name_prefix: int = 4  # transliterations (Darchiev / Darchiyev) share this many first letters...
    name_min_length: int = 5  # ...are at least this long...
    name_length_slack: int = 2  # ...and differ in length by at most this much

    # pipeline: the corpus and the page
    candidates: int = 40  # nearest corpus sentences looked at per claim
    same_sentence: float = 0.97  # cosine at which two sentences are copies of each other
    same_event: float = 0.6  # cosine of sentences that tie a report without a date to a dated one
    event_neighbours: int = 5  # dated sentences an undated report's sentence votes with
    page_cache: int = 20_000  # page sentence vectors kept
    copy_max_owners: int = 50  # a sentence shared by more reports than this is boilerplate, not a copy
    copy_share: float = 0.6  # reports sharing this share of the smaller one's sentences are copies
    own_min_hits: int = 2  # a report is the page itself when at least this many claims...
    own_share: float = 0.5  # ...and this share of the claims are copies of its sentences

    # embed and index
    max_tokens: int = 128
    embed_batch: int = 16
    scan_limit: int = 40_000  # below this many sentences a matrix product is faster than any index
    probes: int = 12
    index_batch: int = 64  # from this many queries on, the inverted lists are scored list by list, for all at once
    scan_chunk: int = 256  # queries per matrix product of an exact scan (bounds its memory)


PARAMS = Params()
