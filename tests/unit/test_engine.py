"""The engine labels claims as LABELS.md says, against the other reports only."""

import json
import threading
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
LABELS = {"corroborated", "contradicted", "mixed", "unverified"}


def seed(prefix):
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text()


def by_text(result, fragment):
    return next(a for a in result["annotations"] if fragment in a["text"])


def test_result_follows_the_contract(engine):
    text = seed("002")
    result = engine.annotate(text)
    json.dumps(result)
    assert result["corpus"]["documents"] == 5 and result["corpus"]["version"]
    utf16 = text.encode("utf-16-le")
    for item in result["annotations"]:
        assert item["label"] in LABELS
        assert text[item["start"] : item["end"]] == item["text"]
        assert utf16[item["start_utf16"] * 2 : item["end_utf16"] * 2].decode("utf-16-le") == item["text"]
        for evidence in item["support"] + item["conflict"]:
            assert {"doc", "title", "sentence", "score"} <= evidence.keys()
        for evidence in item["conflict"]:
            assert evidence["values"]["page"] != evidence["values"]["report"]


def test_a_seed_never_corroborates_itself(engine):
    result = engine.annotate(seed("002"))
    docs = {e["doc"] for a in result["annotations"] for e in a["support"] + a["conflict"]}
    assert docs and not any(d.startswith("002_") for d in docs)


def test_shared_venue_is_corroborated_by_the_other_report(engine):
    item = by_text(engine.annotate(seed("002")), "arrived at the U.S. consul general's residence")
    assert item["label"] == "corroborated"
    assert any(e["doc"].startswith("004_") for e in item["support"])


def test_former_president_is_mixed_with_both_titles_named(engine):
    item = by_text(engine.annotate(seed("000")), "under former President Donald Trump")
    assert item["label"] == "mixed"
    values = {(e["values"]["page"], e["values"]["report"]) for e in item["conflict"]}
    assert ("former president", "president") in values


def test_title_agreement_outweighs_one_differing_report(engine):
    item = by_text(engine.annotate(seed("002")), "President Donald Trump's call with")
    assert item["label"] == "corroborated"
    assert [e["doc"][:3] for e in item["conflict"]] == ["000"]


def test_a_changed_duration_is_disputed(engine):
    page = (
        "U.S. and Russian diplomats wrapped up four hours of talks in Istanbul on Thursday "
        "about the work of their embassies."
    )
    item = engine.annotate(page)["annotations"][0]
    assert item["label"] == "mixed"
    assert any(e["values"] == {"page": "four hours", "report": "six hours"} for e in item["conflict"])


def test_a_changed_city_contradicts(engine):
    page = "Russian and American diplomats met in Geneva on Thursday to discuss the operation of their embassies."
    item = engine.annotate(page)["annotations"][0]
    assert item["label"] in {"mixed", "contradicted"}
    assert any(e["values"]["page"].endswith("Geneva") for e in item["conflict"])


def test_a_fact_nobody_else_reports_is_unverified(engine):
    item = by_text(engine.annotate(seed("000")), "less than 30% of their standard")
    assert item["label"] == "unverified" and not item["support"] and not item["conflict"]


def test_non_claims_get_no_label(engine):
    texts = [a["text"] for a in engine.annotate(seed("003"))["annotations"]]
    assert "What is your opinion on this topic?" not in texts
    assert not any("Kharkiv" in t for t in texts)


def test_annotate_is_thread_safe(engine):
    text = seed("004")
    expected = engine.annotate(text)
    results = []
    threads = [threading.Thread(target=lambda: results.append(engine.annotate(text))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4


def test_an_added_report_changes_the_version_and_is_used(engine):
    from workers.engine import Engine
    from workers.engine.corpus import Report

    local = Engine(list(engine.reports), embedder=engine.embedder)
    page = "The Arctic council will meet in Tromsø next spring to discuss shipping lanes."
    assert local.annotate(page)["annotations"][0]["label"] == "unverified"
    before = local.version
    extra = Report("arctic", "Arctic council", "The Arctic council is to meet in Tromsø next spring on shipping lanes.")
    assert local.sync([extra]) and local.version != before
    item = local.annotate(page)["annotations"][0]
    assert item["label"] == "corroborated" and item["support"][0]["doc"] == "arctic"


def test_news_about_other_events_is_neither_supported_nor_contradicted(engine):
    page = (
        "President Emmanuel Macron met Chancellor Olaf Scholz in Berlin for three hours on Tuesday.\n"
        "Trump met Zelensky at the White House, where the talks lasted two hours.\n"
        "The Arctic council will meet in Tromsø next spring to discuss shipping lanes.\n"
        "Iranian Ambassador to Moscow Kazem Jalali and Dmitry Bakanov met on Friday to discuss space cooperation.\n"
    )
    labels = [a["label"] for a in engine.annotate(page)["annotations"]]
    assert labels == ["unverified"] * 4


def test_a_denied_fact_affirmed_is_disputed(engine):
    item = engine.annotate("The State Department said security issues would be on the agenda of the Istanbul talks.")[
        "annotations"
    ][0]
    assert item["label"] in {"mixed", "contradicted"}
    assert any(e["doc"].startswith("002_") for e in item["conflict"])


def test_a_changed_year_is_disputed_while_the_right_one_is_supported(engine):
    page = "Relations collapsed after Russia annexed Crimea in 2015 and launched its full-scale invasion of Ukraine in 2022."
    item = engine.annotate(page)["annotations"][0]
    assert item["label"] == "mixed"
    assert any(e["values"] == {"page": "2015", "report": "2014"} for e in item["conflict"])


def test_two_copies_of_one_story_count_as_one_report(engine):
    from workers.engine import Engine
    from workers.engine.corpus import Report

    original = next(r for r in engine.reports if r.doc.startswith("004_"))
    copy = Report("004_copy", original.title, original.text.replace("Thursday", "Thursday,", 1))
    local = Engine(list(engine.reports) + [copy], embedder=engine.embedder)
    item = by_text(local.annotate(seed("002")), "arrived at the U.S. consul general's residence")
    docs = [e["doc"] for e in item["support"]]
    assert item["label"] == "corroborated"
    assert len([d for d in docs if d.startswith("004")]) == 1


def test_a_lightly_edited_copy_of_a_report_is_still_judged_against_the_others(engine):
    edited = seed("002").replace("Thursday", "Thursday afternoon").replace("Riyadh", "the Saudi capital")
    docs = {e["doc"] for a in engine.annotate(edited)["annotations"] for e in a["support"] + a["conflict"]}
    assert docs and not any(d.startswith("002_") for d in docs)


def test_html_reports_in_the_corpus_folder_are_read_as_article_text(tmp_path, engine):
    from workers.engine.corpus import load_folder

    (tmp_path / "wire.html").write_text(
        "<html><head><title>Wire</title></head><body><nav>Home | World</nav><article>"
        "<h1>Envoys meet in Lisbon</h1><p>Envoys from Chile and Peru met in Lisbon on Monday for "
        "five hours to settle a fishing dispute.</p><p>Both sides called the talks useful.</p>"
        "</article></body></html>"
    )
    (tmp_path / "note.txt").write_text("Chile and Peru held talks in Lisbon on Monday.\n")
    reports = {r.doc: r for r in load_folder(tmp_path)}
    assert set(reports) == {"wire", "note"}
    assert "Home | World" not in reports["wire"].text and "five hours" in reports["wire"].text


def test_reports_of_another_event_change_no_label_and_are_never_evidence(engine):
    from workers.engine import Engine
    from workers.engine.corpus import Report

    earlier = [
        Report(
            "geneva_2019",
            "Envoys meet in Geneva over embassy staffing",
            "Envoys meet in Geneva over embassy staffing\nGENEVA, 14 May 2019 (Wire) - U.S. and Russian diplomats met "
            "for four hours in Geneva on Tuesday to discuss the operation of their embassies, officials said.\n"
            "The talks were held at the Russian mission and led by deputy foreign ministers.\n"
            "Both sides called the meeting constructive and agreed to meet again in the autumn.\n",
        ),
        Report(
            "geneva_2019_b",
            "Geneva talks on diplomatic property end without a deal",
            "Geneva talks on diplomatic property end without a deal\nPublished 15 May 2019\nRussian and American "
            "officials ended five hours of talks in Geneva on Tuesday without agreement on seized diplomatic property.\n"
            "The Russian delegation was led by Deputy Foreign Minister Sergei Ryabkov.\n",
        ),
    ]
    wider = Engine(list(engine.reports) + earlier, embedder=engine.embedder)
    for prefix in ("002", "004"):
        before = engine.annotate(seed(prefix))["annotations"]
        after = wider.annotate(seed(prefix))["annotations"]
        assert [a["label"] for a in after] == [a["label"] for a in before]
        assert not {e["doc"] for a in after for e in a["support"] + a["conflict"]} & {"geneva_2019", "geneva_2019_b"}


def _small_engine(engine, texts: dict[str, str]):
    from workers.engine import Engine
    from workers.engine.corpus import Report

    return Engine([Report(doc, text.splitlines()[0], text) for doc, text in texts.items()], embedder=engine.embedder)


def test_a_telling_figure_given_in_other_words_corroborates(engine):
    local = _small_engine(
        engine,
        {
            "wire": "Vennor wins the Harbour Open\nPublished 22 June 2025\nThe 24-year-old collects $1.2 million "
            "for the seventh title of her career.\nRain stopped play for 47 minutes in the third set.\n",
            "brief": "Harbour Open: Vennor champion\nPublished 22 June 2025\nVennor beat Ostrova in three sets "
            "on Sunday.\n",
        },
    )
    page = "Harbour Open final recap\nPublished 23 June 2025\nThe champion's cheque is for $1.2 million.\n"
    assert by_text(local.annotate(page), "cheque")["label"] == "corroborated"
    other_figure = page.replace("$1.2 million", "$1.7 million")
    assert by_text(local.annotate(other_figure), "cheque")["label"] != "corroborated"


def test_a_short_claim_whose_every_word_a_long_sentence_says_is_corroborated(engine):
    local = _small_engine(
        engine,
        {
            "wire": "Vennor wins the Harbour Open\nPublished 22 June 2025\nOstrova served for the title at 5-4 in "
            "the third set but was broken to love, and Vennor won the next three games.\n",
            "brief": "Harbour Open: Vennor champion\nPublished 22 June 2025\nVennor beat Ostrova in three sets.\n",
        },
    )
    page = "Harbour Open final\nPublished 23 June 2025\nOstrova had chances in the decider.\nShe was broken to love.\n"
    assert by_text(local.annotate(page), "broken to love")["label"] == "corroborated"


def test_a_follow_up_days_later_is_judged_against_the_reports_of_the_event(engine):
    reports = {
        "wire": "Train derails near Dunmere\nPublished 11 March 2025\nA commuter train derailed near Dunmere on "
        "Tuesday morning.\nThe mayor, Pauline Reddy, said everyone in the town knew someone on the train.\n",
        "gazette": "Dunmere mourns\nPublished 12 March 2025\nMayor Pauline Reddy said the whole town knew someone "
        "who had been on the train.\n",
    }
    local = _small_engine(engine, reports)
    # An opinion piece five days after the crash: its claims are about the same story.
    page = "After Dunmere\nPublished 16 March 2025\nEverybody in Dunmere knew someone who was on the train, the mayor said.\n"
    assert by_text(local.annotate(page), "Everybody")["label"] == "corroborated"
    # A month later it would be another event.
    later = page.replace("16 March", "16 April")
    assert by_text(local.annotate(later), "Everybody")["label"] == "unverified"


def test_a_later_report_recounting_the_claim_without_a_date_of_its_own_corroborates(engine):
    # The page is dated the day of the talks; a report a week later recounts what was agreed, with no time
    # of its own: it says the claim. A report dated before the talks cannot report them.
    recount = (
        "Envoys plan a second round\nPublished 12 March 2025\nThe two countries agreed to start working toward "
        "ending the dispute and improving their trade and fishing ties.\nA second round is planned for April.\n"
    )
    page = (
        "Envoys meet in Lisbon\nPublished 4 March 2025\nChile and Peru agreed to start working toward ending the "
        "dispute and improving their trade and fishing ties.\n"
    )
    later = _small_engine(engine, {"recount": recount})
    assert by_text(later.annotate(page), "agreed to start")["label"] == "corroborated"
    earlier = _small_engine(engine, {"recount": recount.replace("12 March", "20 February")})
    assert by_text(earlier.annotate(page), "agreed to start")["label"] == "unverified"


def test_words_derived_from_one_another_count_as_the_same_word():
    from workers.engine.judge import stem

    assert stem("critically") == stem("critical")
    assert stem("evacuation") == stem("evacuate")
    assert stem("announcement") == stem("announce")
    assert stem("rise") == "rise"  # a short word keeps its letters


def test_a_claim_about_an_earlier_year_is_corroborated_by_a_later_report_naming_that_year(engine):
    local = _small_engine(
        engine,
        {
            "wire": "Redwood win the Harbour Shield\nPublished 18 May 2025\nRedwood won the Harbour Shield on "
            "Saturday, beating Castlemoor 2-1.\nIt was the club's first Harbour Shield triumph since 1998.\n",
        },
    )
    page = "Shield final preview\nPublished 16 May 2025\nRedwood last won the Harbour Shield in 1998.\n"
    assert by_text(local.annotate(page), "last won")["label"] == "corroborated"
    assert by_text(local.annotate(page.replace("1998", "2004")), "last won")["label"] != "corroborated"


def test_a_sentence_giving_one_of_the_claims_figures_can_support_it(engine):
    # The claim's figures are the news: a sentence giving none of them does not confirm it, one that gives
    # one of them ("two winter seasons") does, though it says nothing of the other ("13 months").
    local = _small_engine(
        engine,
        {
            "wire": "Vaccine trial\nPublished 14 May 2025\nThe trial of 24,600 people covered two winter seasons.\n"
            "The vaccine cut illness by 71 percent.\n",
        },
    )
    page = (
        "Trial explainer\nPublished 15 May 2025\nThe study followed volunteers for 13 months over two winter seasons.\n"
    )
    assert by_text(local.annotate(page), "13 months")["label"] == "corroborated"
    assert by_text(local.annotate(page.replace("two winter", "three winter")), "13 months")["label"] != "corroborated"
