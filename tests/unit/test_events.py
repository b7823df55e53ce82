"""Which event a report and each of its sentences is about (workers/engine/events.py)."""

import datetime as dt

from workers.engine.claims import claim_sentences
from workers.engine.dates import When, get_nlp
from workers.engine.events import publication_date, timeline

D = dt.date


def _timeline(text: str, url: str | None = None, clock: dt.date | None = None):
    sentences = [c.text for c in claim_sentences(text)]
    return sentences, timeline(text, url, sentences, list(get_nlp().pipe(sentences)), clock)


def test_a_yearless_dateline_takes_the_year_its_weekday_fits():
    # 12 November was a Tuesday in 2024, a Wednesday in 2025: the lead's "on Tuesday" says which.
    text = "BOSTON, Nov 12 (Wire) - Hexley Systems on Tuesday abandoned its takeover of Morrow Data."
    assert publication_date(text, None, D(2025, 10, 16)) == D(2024, 11, 12)


def test_a_dated_report_recounting_earlier_steps_stays_in_its_own_event():
    text = (
        "Hexley drops bid for Morrow\n"
        "Published 12 November 2024\n"
        "Hexley had agreed in February to pay $62 a share.\n"
        "Regulators sued to block the deal in June.\n"
        "Hexley said on Tuesday it had ended the agreement."
    )
    _, line = _timeline(text)
    assert (line.event.start, line.event.end) == (D(2024, 11, 12), D(2024, 11, 12))


def test_an_archive_piece_is_about_the_years_it_names():
    text = (
        "Harwick, 2011: the last crash on the line\n"
        "Published 12 March 2025\n"
        "On Wednesday 19 October 2011, the evening train derailed near Harwick.\n"
        "In June 2012 the investigators published their final report.\n"
        "The train had derailed in October 2011 at 95 km/h."
    )
    _, line = _timeline(text)
    assert line.event.start.year == 2011
    # ...and about what followed within the year: the investigators' report of June 2012 is the same story,
    # the crash of 2025 it was published beside is not.
    assert line.event.overlaps(When(D(2012, 6, 6), D(2012, 6, 6), "published"))
    assert not line.event.overlaps(When(D(2025, 3, 11), D(2025, 3, 11), "published"))


def test_a_comparison_baseline_does_not_move_a_sentence_to_last_year():
    text = "Published 28 October 2025\nThe service now has 58 million subscribers, up from 46 million a year earlier."
    sentences, line = _timeline(text)
    when = line.sentences[sentences.index(next(s for s in sentences if "58 million" in s))]
    assert when.start <= D(2025, 10, 28) <= when.end


def test_a_period_reaching_up_to_the_report_spans_the_story_and_the_period():
    text = "Published 28 October 2025\nThe service had 58 million subscribers at the end of September."
    sentences, line = _timeline(text)
    when = line.sentences[-1]
    assert isinstance(when, When) and when.start <= D(2025, 9, 30) and when.end >= D(2025, 10, 28)


def test_a_day_of_the_same_week_is_a_day_of_the_story_and_may_be_the_fact_that_differs():
    # Published on a Tuesday: "on Wednesday" is six days back, still this story, so the day can be compared.
    text = "Published 28 October 2025\nThe company released the figures on Wednesday."
    _, line = _timeline(text)
    when = line.sentences[-1]
    assert when.start <= D(2025, 10, 22) and when.end >= D(2025, 10, 28)


def test_a_sentence_pointing_back_is_about_the_time_the_sentence_before_named():
    text = (
        "Published 28 October 2025\n"
        "In July 2024 the company cut its annual forecast.\n"
        "Back then, earnings were $1.78 a share.\n"
        "Earnings are now $2.14 a share."
    )
    sentences, line = _timeline(text)
    then, now = line.sentences[-2], line.sentences[-1]
    assert (then.start, then.end) == (D(2024, 7, 1), D(2024, 7, 31))
    assert now.start <= D(2025, 10, 28) <= now.end


def test_a_sentence_whose_subject_points_back_is_about_the_time_the_sentence_before_named():
    text = (
        "Published 15 October 2025\n"
        "The last major quake in the province struck near Velas in March 2021.\n"
        "That quake killed 38 people.\n"
        "This quake has killed 212 people."
    )
    sentences, line = _timeline(text)
    then, now = line.sentences[-2], line.sentences[-1]
    assert (then.start, then.end) == (D(2021, 3, 1), D(2021, 3, 31))
    assert now.start <= D(2025, 10, 15) <= now.end
