"""When a report and each of its sentences is about: publication dates, datelines, time anchors."""

import datetime as dt

import pytest

from workers.engine.dates import When, get_nlp, publication_date, report_when, same_event, sentence_when

D = dt.date
REF = D(2025, 2, 28)  # a Friday

# (sentence, expected (start, end) or None) resolved against REF.
SENTENCES = [
    # disasters
    ("The quake struck on March 3, 2025, killing 12 people.", (D(2025, 3, 3), D(2025, 3, 3))),
    ("In 2019, a similar earthquake hit the region.", (D(2019, 1, 1), D(2019, 12, 31))),
    ("In the summer of 2019, floods hit the valley.", (D(2019, 6, 1), D(2019, 8, 31))),
    ("Rescuers worked for six hours.", None),
    ("Police said the man was arrested last night.", (D(2025, 2, 27), D(2025, 2, 27))),
    # weekdays against Friday 2025-02-28
    ("On Thursday, the central bank raised rates.", (D(2025, 2, 27), D(2025, 2, 27))),
    ("The minister resigned on Friday.", (D(2025, 2, 28), D(2025, 2, 28))),
    ("The vote will take place on Thursday.", (D(2025, 3, 6), D(2025, 3, 6))),
    ("On Tuesday, 4 March 2025, the court ruled.", (D(2025, 3, 4), D(2025, 3, 4))),
    # sports
    ("Last year, the team lost the final 2-1.", (D(2024, 1, 1), D(2024, 12, 31))),
    ("The team won the title last season.", (D(2023, 3, 2), D(2024, 2, 29))),
    ("Messi scored in the 88th minute.", None),
    ("They won 5-4 on penalties.", None),
    ("The match ended 2-1.", None),
    ("The Lakers led by 10 points in the fourth quarter.", None),
    ("The 2019 final was played in Madrid.", (D(2019, 1, 1), D(2019, 12, 31))),
    # earnings
    ("The company reported revenue of $3bn in the second quarter.", (D(2024, 4, 1), D(2024, 6, 30))),
    ("Profit fell 5% in the fourth quarter.", (D(2024, 10, 1), D(2024, 12, 31))),
    ("Ferrari's Q2 2024 profit rose.", (D(2024, 4, 1), D(2024, 6, 30))),
    ("Sales rose last month.", (D(2025, 1, 1), D(2025, 1, 31))),
    ("Over the past decade, prices have doubled.", None),
    ("The company said on Tuesday that profit rose sharply.", (D(2025, 2, 25), D(2025, 2, 25))),
    # courts
    ("He was sentenced to three years in prison.", None),
    ("Two years earlier, the same court had acquitted him.", (D(2023, 1, 1), D(2023, 12, 31))),
    ("He said on Monday that the quake struck in 2019.", (D(2019, 1, 1), D(2019, 12, 31))),
    ("A year ago, the plant was closed.", (D(2024, 1, 1), D(2024, 12, 31))),
    # elections
    ("The election is due in March.", (D(2025, 3, 1), D(2025, 3, 31))),
    ("Protests erupted in November.", (D(2024, 11, 1), D(2024, 11, 30))),
    ("The election will be held in November.", (D(2025, 11, 1), D(2025, 11, 30))),
    ("The runoff will be held on May 4.", (D(2025, 5, 4), D(2025, 5, 4))),
    ("In the first round on April 20, she won 45%.", (D(2025, 4, 20), D(2025, 4, 20))),
    ("The vote took place between 2019 and 2021.", None),
    ("He has been in office since 2015.", None),
    # misc non-anchors and edge cases
    ("Farmers have protested for decades.", None),
    ("The festival happens every year.", None),
    ("Police said the man, 45 years old, was detained.", None),
    ("Rescuers pulled survivors from the rubble.", None),
    ("It happened on December 28.", (D(2024, 12, 28), D(2024, 12, 28))),
    ("He was born in the 1990s.", (D(1990, 1, 1), D(1999, 12, 31))),
    ("The bridge collapsed yesterday.", (D(2025, 2, 27), D(2025, 2, 27))),
    ("Earlier this week, the minister resigned.", (D(2025, 2, 24), D(2025, 3, 2))),
    ("Voters went to the polls three weeks ago.", (D(2025, 2, 3), D(2025, 2, 9))),
    ("The plant opened in March 2024.", (D(2024, 3, 1), D(2024, 3, 31))),
    # a month counted from the reference's year
    ("In May last year, the river peaked at 6.8 metres.", (D(2024, 5, 1), D(2024, 5, 31))),
    ("Last December, the river peaked at 6.8 metres.", (D(2024, 12, 1), D(2024, 12, 31))),
    ("Last January, the river peaked at 6.8 metres.", (D(2025, 1, 1), D(2025, 1, 31))),
    ("The plant will open in March of next year.", (D(2026, 3, 1), D(2026, 3, 31))),
    # a date naming which champion yields to the date of the event
    ("Last year's champion won the final again on Sunday.", (D(2025, 2, 23), D(2025, 2, 23))),
    # a since-clause bounds a period; it does not date the event
    ("The storm brought 310 mm of rain in two days, the most since records began in 1921.", None),
]


@pytest.mark.parametrize("sentence,expected", SENTENCES, ids=[s[:40] for s, _ in SENTENCES])
def test_sentence_when(sentence, expected):
    got = sentence_when(sentence, REF)
    assert (got and (got.start, got.end)) == expected if expected else got is None


def test_sentence_when_uses_given_doc():
    s = "In 2019, a similar earthquake hit the region."
    assert sentence_when(s, REF, doc=get_nlp()(s)).start == D(2019, 1, 1)


@pytest.mark.parametrize(
    "sentence", ["On Thursday, the bank raised rates.", "Sales rose last month.", "The quake struck on March 3."]
)
def test_relative_anchor_without_reference_is_none(sentence):
    assert sentence_when(sentence, None) is None


def test_thursday_on_a_thursday_is_same_day():
    assert sentence_when("On Thursday, the bank raised rates.", D(2025, 2, 27)).start == D(2025, 2, 27)


def test_yearless_date_takes_reference_year():
    assert sentence_when("The quake struck on March 3.", D(2019, 3, 10)).start == D(2019, 3, 3)


# (text, url, expected publication date)
PUBLICATIONS = [
    ("Body text.", "https://example.com/news/2025/03/04/quake-hits", D(2025, 3, 4)),
    ("Body text.", "https://example.com/world/quake-2025-03-04-story", D(2025, 3, 4)),
    ("Body text.", "https://example.com/article/20250304/quake", D(2025, 3, 4)),
    ("Body text.", "https://example.com/article/12345678/quake", None),
    ("Quake hits\nPublished: March 4, 2025 at 10:32 a.m. EST\nText.", None, D(2025, 3, 4)),
    ("Quake hits\nUpdated 6 March 2025\nPublished 4 March 2025\nText.", None, D(2025, 3, 4)),
    ("Quake hits\nLast updated: 2025-03-06T10:00:00Z\nText.", None, D(2025, 3, 6)),
    ("Quake hits\nPosted Tue 4 Mar 2025 10.32 GMT\nText.", None, D(2025, 3, 4)),
    ("LISBON, March 3, 2025 (Reuters) - A quake struck.", None, D(2025, 3, 3)),
    ("March 3, 2025 — A strong quake struck the coast.", None, D(2025, 3, 3)),
    ("Quake hits\nTuesday, 4 March 2025\n\nA strong quake struck.", None, D(2025, 3, 4)),
    ("Quake hits\n2025-03-04\n\nA strong quake struck.", None, D(2025, 3, 4)),
    ("LISBON, March 3 (Reuters) - A quake struck.", None, None),  # yearless, no clock
    ("A strong quake struck the coast in 2019, officials said.", None, None),
    ("URL beats text\nPublished March 9, 2025", "https://x.com/2025/03/04/a", D(2025, 3, 4)),
]


@pytest.mark.parametrize("text,url,expected", PUBLICATIONS)
def test_publication_date(text, url, expected):
    assert publication_date(text, url) == expected


def test_yearless_dateline_with_clock():
    text = "LISBON, March 3 (Reuters) - A quake struck."
    assert publication_date(text, today=D(2025, 3, 5)) == D(2025, 3, 3)
    assert publication_date(text, today=D(2025, 1, 5)) == D(2024, 3, 3)


def test_report_when_prefers_publication():
    w = report_when("Published 4 March 2025\nThe quake struck on March 3.")
    assert (w.start, w.end) == (D(2025, 3, 4), D(2025, 3, 4))


def test_report_when_from_event_sentences():
    text = (
        "A powerful earthquake struck the coast on March 3, 2025.\n"
        "A similar quake hit the region in 2019.\n"
        "On March 3, rescuers searched the rubble.\n"
        "The 2019 quake struck on June 5, 2019."
    )
    w = report_when(text)
    assert (w.start, w.end) == (D(2025, 3, 3), D(2025, 3, 3))


def test_report_when_none():
    assert report_when("Farmers have protested for decades.") is None


OVERLAPS = [
    (When(D(2025, 3, 3), D(2025, 3, 3), "a"), When(D(2025, 3, 5), D(2025, 3, 5), "b"), 3, True),
    (When(D(2025, 3, 3), D(2025, 3, 3), "a"), When(D(2025, 3, 9), D(2025, 3, 9), "b"), 3, False),
    (When(D(2019, 1, 1), D(2019, 12, 31), "a"), When(D(2025, 3, 3), D(2025, 3, 3), "b"), 3, False),
    (When(D(2025, 1, 1), D(2025, 12, 31), "a"), When(D(2025, 3, 3), D(2025, 3, 3), "b"), 0, True),
    (None, When(D(2025, 3, 3), D(2025, 3, 3), "b"), 0, True),
]


@pytest.mark.parametrize("a,b,slack,expected", OVERLAPS)
def test_same_event(a, b, slack, expected):
    assert same_event(a, b, slack) is expected


def test_overlaps_symmetric_and_zero_slack():
    a, b = When(D(2025, 3, 3), D(2025, 3, 3), "a"), When(D(2025, 3, 4), D(2025, 3, 4), "b")
    assert not a.overlaps(b) and a.overlaps(b, 1) and b.overlaps(a, 1)
