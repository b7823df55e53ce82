"""Details are read the same way from every report, so they can be compared."""

from workers.engine.facts import extract


def test_numbers_with_units_words_and_hyphens_spans_of_time_in_hours():
    found = {
        (q.value, q.unit) for q in extract("They met for six hours, then a five-hour session and 30% more.").quantities
    }
    assert {(6, "duration"), (5, "duration"), (30, "percent")} <= found


def test_titles_belong_to_the_person_named():
    titles = {
        (t.person, t.label())
        for t in extract(
            "The shift came under former President Donald Trump, said Foreign Minister Sergey Lavrov."
        ).titles
    }
    assert titles == {("trump", "former president"), ("lavrov", "foreign minister")}


def test_a_plural_title_covers_both_names():
    titles = {t.person for t in extract("The goal set by Presidents Donald Trump and Vladimir Putin.").titles}
    assert titles == {"trump", "putin"}


def test_dates_places_and_negation():
    facts = extract(
        "Ukraine was not on the agenda of the talks at the U.S. consul general's residence in Istanbul on Thursday, Feb. 27."
    )
    assert {d.key for d in facts.dates} >= {"thursday", "02-27"}
    assert {(p.name, p.kind) for p in facts.places} >= {
        ("istanbul", "city"),
        ("u.s. consul general residence", "venue"),
    }
    assert facts.negated


def test_an_adjective_after_in_is_not_a_place():
    assert extract("A dramatic shift in U.S. foreign policy and in Washington's stance.").places == ()
