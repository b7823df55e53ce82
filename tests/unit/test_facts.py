"""Facts are read the same way from every report, tied to what they are about, so they can be compared.

Kinds of facts from several domains: money and percentages (company results), scores and
ordinals (sport), counts of people (disasters, accidents), durations and dates, places,
titles and roles, outcomes and negation.
"""

import pytest

from workers.engine import nlp
from workers.engine.compare import agrees, comparable
from workers.engine.facts import extract


def facts(text):
    return extract(nlp.parse([text])[0])


def only(text, kind, unit=None):
    found = [f for f in facts(text).items if f.kind == kind and (unit is None or f.unit == unit)]
    assert len(found) == 1, (text, found)
    return found[0]


def compare(a, b, kind, unit=None):
    """(comparable, agrees) for the one fact of ``kind`` in each sentence."""
    x, y = only(a, kind, unit), only(b, kind, unit)
    return comparable(x, y), comparable(x, y) and agrees(x, y)


def test_money_in_any_notation_is_one_value_per_currency():
    fact = only("Acme reported revenue of $41bn for the quarter.", "amount", "USD")
    assert fact.value == 41e9 and "revenue" in fact.about
    assert compare("Revenue came in at $41bn.", "The company posted revenue of $41 billion.", "amount") == (True, True)
    assert compare("Revenue came in at $41bn.", "The company posted revenue of $44 billion.", "amount") == (True, False)


def test_a_figure_per_share_is_not_a_total():
    assert compare("It earned $2.10 a share.", "Earnings were $2.01 a share.", "amount") == (True, False)
    assert not comparable(only("It earned $2.10 a share.", "amount"), only("Revenue rose to $2.1 billion.", "amount"))


def test_analysts_estimates_are_not_the_result_and_a_quarter_is_not_a_year():
    result, estimate = (
        only("Quarterly revenue was $8.42 billion.", "amount"),
        only("Analysts had expected revenue of $8.15 billion.", "amount"),
    )
    assert not comparable(result, estimate)
    assert not comparable(
        only("Quarterly revenue was $8.42 billion.", "amount"), only("Annual revenue was $33 billion.", "amount")
    )


def test_percentages_compare_with_percentages():
    assert compare(
        "Shares fell 7% after the results.", "The stock dropped 4% after the results.", "amount", "percent"
    ) == (True, False)


def test_scores_and_shootouts_are_different_tallies():
    assert compare("Rovers won 2-1 in the final.", "Rovers beat City 3-1 in the final.", "score") == (True, False)
    main, shootout = [
        f for f in facts("The match ended 2-2 and Redmoor won the shootout 5-4.").items if f.kind == "score"
    ]
    assert main.value == (2, 2) and shootout.value == (5, 4)


def test_ordinals_name_what_they_rank():
    fact = only("Ferreira scored in the 88th minute.", "ordinal")
    assert fact.value == 88 and fact.unit == "minute"
    assert compare("Ferreira scored in the 88th minute.", "Ferreira struck in the 81st minute.", "ordinal") == (
        True,
        False,
    )


def test_counts_of_people_are_compared_only_for_the_same_thing():
    killed, injured = (only("At least 40 people were killed.", "amount"), only("Some 120 were injured.", "amount"))
    assert not comparable(killed, injured)
    assert compare("The quake killed 212 people.", "The death toll reached 247.", "amount") == (True, False)
    assert compare("Nearly 300 people died.", "The quake killed 297 people.", "amount") == (True, True)
    assert compare("More than 200 passengers were on board.", "The train carried 212 passengers.", "amount") == (
        True,
        True,
    )


def test_durations_are_in_hours_and_rounding_is_not_a_different_value():
    assert only("They met for six hours.", "amount").value == 6
    assert only("The talks lasted two weeks.", "amount", "hour").value == 336
    assert compare("The delegations sat down for six hours.", "Officials met for six hours.", "amount") == (True, True)
    assert compare("Officials met for about six hours.", "They held talks for four hours.", "amount") == (True, False)


def test_calendar_dates_and_weekdays():
    values = {
        (f.unit, f.value) for f in facts("The talks were held on Thursday, Feb. 27, 2025.").items if f.kind == "date"
    }
    assert {("weekday", "thursday"), ("day", "02-27"), ("year", 2025)} <= values


def test_places_named_and_venues():
    found = {
        (f.unit, f.value if f.unit == "named" else f.value[0])
        for f in facts("The delegation arrived at the U.S. consul general's residence in Istanbul.").items
        if f.kind == "place"
    }
    assert {("named", "istanbul"), ("venue", "residence")} <= found


@pytest.mark.parametrize(
    ("text", "person", "role", "former"),
    [
        ("The shift came under former President Donald Trump.", "trump", "president", True),
        ("Foreign Minister Sergey Lavrov spoke.", "lavrov", "foreign minister", False),
        ("Mary Stone, Acme Rail's chief operating officer, spoke.", "stone", "chief operating officer", False),
        ("Finance chief Greg Olsen said so.", "olsen", "chief financial officer", False),
        ("Captain Ana Cruz lifted the trophy.", "cruz", "captain", False),
    ],
)
def test_titles_and_roles_belong_to_the_person_named(text, person, role, former):
    fact = only(text, "title")
    assert (fact.unit, fact.value) == (person, (former, role))


def test_a_plural_title_covers_both_names():
    people = {
        f.unit for f in facts("The goal set by Presidents Donald Trump and Vladimir Putin.").items if f.kind == "title"
    }
    assert people == {"trump", "putin"}


def test_a_different_rank_or_office_is_a_different_title():
    assert compare("Manager Tom Hale praised them.", "Castleton manager Tom Hale said.", "title") == (True, True)
    assert compare("Assistant manager Tom Hale said.", "Manager Tom Hale said.", "title") == (True, False)
    assert compare("Prime Minister Sam Arden flew in.", "Interior Minister Sam Arden flew in.", "title") == (
        True,
        False,
    )
    assert compare("Former President Donald Trump spoke.", "President Donald Trump spoke.", "title") == (True, False)


def test_a_nationality_belongs_to_the_title_and_only_two_named_ones_can_differ():
    swedish = "The Swedish referee Anders Lindqvist showed eight yellow cards."
    assert compare("Referee Anders Lindqvist, a Norwegian, was calm.", swedish, "title") == (True, False)
    assert compare("Referee Anders Lindqvist was calm.", swedish, "title") == (True, True)


def test_a_title_someone_becomes_is_compared_only_with_what_others_say_they_become():
    becomes = only("Rina Vale will become chief executive once the deal closes.", "title")
    assert compare("Rina Vale will become chief executive.", "Rina Vale will be executive chair.", "title") == (
        True,
        False,
    )
    assert becomes.unit != only("Rina Vale, a former deputy mayor, spoke.", "title").unit


def test_opposite_outcomes_of_the_same_thing():
    assert compare("Device sales rose in the quarter.", "Device sales fell 3% in the quarter.", "polarity") == (
        True,
        False,
    )
    assert compare("The bridge collapsed.", "The bridge survived the quake.", "polarity") == (True, False)
    # Device sales are not services revenue.
    assert not comparable(only("Device sales rose.", "polarity"), only("Services revenue grew 22%.", "polarity"))


def test_negation_of_the_main_clause_and_a_save_is_not_a_denial():
    assert facts("Ukraine was not on the agenda.").negated
    assert not facts("The keeper denied the striker twice.").negated
    assert not facts("The leaders have not met in person since 2019.").negated


def test_a_short_quote_said_by_someone_else_is_who_said_it_differing():
    judge = 'Judge Prescott told the court the books "are not a playground."'
    prosecutor = '"The company\'s books are not a playground," prosecutor Dana Rusk told jurors.'
    assert compare(judge, prosecutor, "agent", "say") == (True, False)


def test_where_an_organisation_is_based_is_a_fact_of_the_organisation():
    austin = "Austin-based Norvale Technologies reported revenue."
    assert compare("Norvale, headquartered in Austin, Texas, makes phones.", austin, "title") == (True, True)
    assert compare("Norvale, which is based in Dallas, makes phones.", austin, "title") == (True, False)


def test_counts_of_opposite_outcomes_are_different_quantities():
    acquitted = only("He was acquitted of one count of wire fraud.", "amount")
    convicted = only("The jury convicted him on three counts of wire fraud.", "amount")
    assert not comparable(acquitted, convicted)
    assert compare("He was acquitted on one count.", "The jury acquitted him on two counts.", "amount") == (True, False)


def test_who_did_it_reaches_a_second_verb_of_the_same_subject():
    assert compare(
        "Danny Okafor took and scored the decisive penalty.", "Kofi Mensah scored the winning penalty.", "agent"
    ) == (True, False)


def test_the_core_of_a_sentence_is_its_verb_subject_and_object_and_a_quote_is_its_statement():
    from workers.engine import nlp
    from workers.engine.facts import extract

    core = lambda text: extract(nlp.parse([text])[0]).core  # noqa: E731
    assert {"delay", "help"} <= core("Kovalenko said afterwards that the rain delay had helped her regroup.")
    assert "say" not in core("Kovalenko said afterwards that the rain delay had helped her regroup.")
    assert {"carry", "ward"} <= core("Castell carried 14 of the city's 20 wards.")
    assert "agenda" in core("Ukraine is not on the agenda, a spokesperson said.")
