"""Every tuned threshold of the engine, in one frozen dataclass.

Tuned on the `tune` and (once its first figures were reported) `blind` stories and the seed sets, never on `fresh` (``tests/data/stories/split.json``; ``make eval``).
Modules read ``PARAMS``; an experiment builds another with ``dataclasses.replace(PARAMS, ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Params:
    # claims: which sentences are claims
    min_words: int = 3  # a claim has at least this many words ("Smith has conceded.")
    title_min_words: int = 6  # a headline-like line of this many words is a claim
    standfirst_lowercase: float = 0.5  # a standfirst below the headline has at least this share of lower-case words

    # judge: how alike two sentences are (pair score = cosine_weight * cosine + rest * idf word overlap)
    cosine_weight: float = 0.6
    detail: float = 0.25  # pair score from which a shared detail (a figure, a date, a place) agrees
    conflict: float = 0.45  # pair score from which a differing detail counts as a conflict
    negation: float = 0.45  # pair score from which a denial of what the other sentence affirms counts
    conflict_elsewhere: float = 0.6  # the same, for a claim naming people or places no report knows
    unknown_names: int = 2  # a claim naming this many proper nouns the corpus never uses is about something else
    sole_figure: float = 0.6  # cosine from which the only figures of one unit in two sentences are compared
    same_statement: float = 0.7  # cosine at which a sentence dated to another time is the same statement
    same_year_statement: float = 0.5  # ...or, naming the year the claim names, is about that time
    topic_share: float = 0.6  # a word in this share of the reports is a word of the story...
    topic_words: int = 12  # ...and the story has at most this many
    report_fact: float = 0.15  # pair score from which an anchored fact elsewhere in a report is compared
    # The support model: logistic regression over judge.features(), fitted on tune, blind and seed (not fresh)
    # (workers/devtools/fit_support.py); a report supports the claim's main fact above the threshold. The fit
    # prints the threshold best for (claim, report) pairs (0.44); 0.46 is the one best for the labels (make eval).
    support_bias: float = -6.568
    support_weights: tuple[float, ...] = (
        3.014,
        1.577,
        -0.074,
        0.644,
        1.190,
        -1.039,
        0.768,
        0.165,
        1.184,
        -0.906,
        -0.056,
        0.664,
        0.389,
        -0.136,
    )
    support_probability: float = 0.46
    covered: float = 0.85  # ...or when the sentence has this share of the claim's words (idf-weighted)
    differing_blocks_support: bool = True  # a sentence differing on the claim's detail does not support it
    figures_needed: bool = True  # a claim stating figures is supported only by a sentence giving them

    # compare: when two stated figures are one value
    exact_tolerance: float = 0.01  # unhedged figures this close (relative) are the same
    hedged_tolerance: float = 0.12  # "about", "nearly": this close
    above_range: float = 1.5  # "more than 40" allows up to 60
    below_range: float = 0.67  # "less than 40" allows down to about 27
    quote_overlap: int = 3  # words two statements must share to be the same statement
    name_min_length: int = 6  # surnames this long may differ by one letter (transliterations)

    # events: which event a report and a sentence are about
    event_slack_days: int = 6  # days this close are the same story: a follow-up of Saturday on Tuesday's crash
    other_time_share: float = 0.5  # share of a report's dated sentences that must point elsewhere...
    other_time_min: int = 2  # ...and at least this many, to move the report to that other time

    # pipeline: the corpus and the page
    candidates: int = 40  # nearest corpus sentences of the claim's event looked at per claim...
    candidate_pool: int = 3  # ...out of this many times as many nearest sentences of any event
    same_sentence: float = 0.97  # cosine at which two sentences are copies of each other
    same_event: float = 0.6  # cosine of sentences that tie a report without a date to a dated one
    event_neighbours: int = 5  # dated sentences an undated report's sentence votes with
    page_cache: int = 20_000  # page sentence vectors (and facts) kept in a process
    scope_cache: int = 256  # page events whose word weights, story words and names are kept
    parse_memo: int = 5_000  # spaCy parses kept in a process (a sentence seen again is not parsed again)
    copy_max_owners: int = 50  # a sentence shared by more reports than this is boilerplate, not a copy
    copy_share: float = 0.6  # reports sharing this share of the smaller one's sentences are copies
    own_min_hits: int = 2  # a report is the page itself when at least this many claims...
    own_share: float = 0.5  # ...and this share of the claims are copies of its sentences
    evidence_shown: int = 5  # pieces of evidence listed per side (the strongest); the counts cover every report
    # Speed at scale (issue 11): what one claim is compared with when thousands of reports repeat a story.
    report_facts_nearest: int = 100  # report-wide facts compared per fact of the claim: the nearest by cosine
    titled_nearest: int = 100  # mentions of a titled person (one per title and report): the nearest by cosine

    # embed and index
    embed_model: str = "minilm-l3-int8"  # workers/engine/embed.py MODELS: minilm-l3-int8, minilm-l3, minilm-l6-int8
    max_tokens: int = 128
    embed_batch: int = (
        1  # int8 scales activations per call: batched, a sentence's vector would depend on its batch-mates
    )
    scan_limit: int = 40_000  # below this many sentences a matrix product is faster than any index
    probes: int = 12
    index_batch: int = 64  # from this many queries on, the inverted lists are scored list by list, for all at once
    scan_chunk: int = 256  # queries per matrix product of an exact scan (bounds its memory)


PARAMS = Params()
