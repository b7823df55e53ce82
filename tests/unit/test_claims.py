"""Page furniture never gets a label; factual sentences do."""

from pathlib import Path

from workers.engine.claims import claim_sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def claim_texts(text):
    return [s.text for s in claim_sentences(text)]


def test_read_next_block_timestamps_and_prompts_are_not_claims():
    text = (SEEDS / "003_321a06457b642bb4.txt").read_text()
    claims = claim_texts(text)
    assert claims[-1].startswith("Both sides now appear to agree")
    assert not any("Kharkiv" in c or "opinion" in c or "comment" in c for c in claims)


def test_headline_lists_and_section_headings_are_not_claims():
    text = (SEEDS / "004_49438ab21b2257f1.txt").read_text()
    assert not any("Epstein" in c or "Kennedy Center" in c for c in claim_texts(text))
    text = (SEEDS / "001_f8eb54056b1d8acf.txt").read_text()
    assert "Diplomatic Relations at a Low Point" not in claim_texts(text)


def test_opening_headline_with_a_verb_is_a_claim_and_questions_are_not():
    text = "Russian diplomats meet in Istanbul to speed up talks\nThey met for six hours. Was it worth it?"
    assert claim_texts(text) == ["Russian diplomats meet in Istanbul to speed up talks", "They met for six hours."]


def test_bylines_and_photo_credits_are_not_claims():
    text = "By Jane Doe\nThe delegation arrived at the residence on Thursday.\n(AA Photo)\n12:30"
    assert claim_texts(text) == ["The delegation arrived at the residence on Thursday."]


def test_reader_prompts_bylines_and_author_notes_are_not_claims_but_captions_are():
    text = (
        "Rovers win the cup on penalties at the national stadium\n"
        "By Jane Doe\n"
        "Rovers beat City 5-4 on penalties on Saturday.\n"
        "By Wednesday morning about 3,200 rescuers had joined the search.\n"
        "Photo: Reuters\n"
        "Photo: Daniel Park concedes in the harbour district.\n"
        "Park has conceded.\n"
        "Tell us in the comments below.\n"
        "Let us know on our forum.\n"
        "Jane Doe is the Voice's sports columnist.\n"
    )
    claims = [c.text for c in claim_sentences(text)]
    assert claims == [
        "Rovers win the cup on penalties at the national stadium",
        "Rovers beat City 5-4 on penalties on Saturday.",
        "By Wednesday morning about 3,200 rescuers had joined the search.",
        "Photo: Daniel Park concedes in the harbour district.",
        "Park has conceded.",
    ]


def test_disclaimers_are_not_claims():
    text = (
        "Shares in Pellam Foods rose 4% on Tuesday.\n"
        "This newsletter does not constitute financial advice.\n"
        "This piece is for informational purposes only and is not a recommendation to buy or sell.\n"
        "The views expressed in this column are the writer's own.\n"
        "Opinions in this commentary do not necessarily reflect those of the publisher.\n"
        "This story has been updated with comment from the company.\n"
        "The regulator said the app's tips were not investment advice.\n"
    )
    assert claim_texts(text) == [
        "Shares in Pellam Foods rose 4% on Tuesday.",
        "The regulator said the app's tips were not investment advice.",
    ]


def test_contact_lines_are_not_claims_but_a_sentence_naming_an_address_is():
    text = (
        "Email our politics desk with your questions.\n"
        "Email tips@example-gazette.org.\n"
        "Contact the newsroom at desk@example.org.\n"
        "Please write to us at the usual address.\n"
        "Call our hotline on 0800 000 000.\n"
        "The fake invoices were sent from billing@example-payments.com, police said.\n"
        "Email records show the contract was signed in March.\n"
    )
    assert claim_texts(text) == [
        "The fake invoices were sent from billing@example-payments.com, police said.",
        "Email records show the contract was signed in March.",
    ]


def test_follow_poll_and_refresh_prompts_are_not_claims():
    text = (
        "The ferry docked at Halvik just after noon.\n"
        "Follow RiverWatchAnna on social media for more updates.\n"
        "Follow the live blog for minute-by-minute coverage.\n"
        "Vote in our poll.\n"
        "Take our quiz on the week's news.\n"
        "Refresh this page for the latest updates.\n"
        "Stay tuned for more from the harbour.\n"
        "Check back later for the full result.\n"
        "Additional reporting by Sam Oduya.\n"
        "Follow-up inspections found cracks in two hulls.\n"
        "Vote counting resumed on Sunday morning.\n"
    )
    assert claim_texts(text) == [
        "The ferry docked at Halvik just after noon.",
        "Follow-up inspections found cracks in two hulls.",
        "Vote counting resumed on Sunday morning.",
    ]


def test_headline_and_photo_caption_stay_claims_among_prompts():
    text = (
        "Harbour ferry strikes pier in morning fog, injuring three\n"
        "By Lena Mars\n"
        "Photo: The damaged bow of the ferry at the Halvik pier on Monday.\n"
        "Three passengers were taken to hospital.\n"
        "The views expressed are the author's own.\n"
        "Email our newsroom at news@example.org.\n"
    )
    assert claim_texts(text) == [
        "Harbour ferry strikes pier in morning fog, injuring three",
        "Photo: The damaged bow of the ferry at the Halvik pier on Monday.",
        "Three passengers were taken to hospital.",
    ]


def test_standfirst_below_the_headline_is_a_claim_but_a_dateline_is_not():
    text = (
        "Harbour ferry strikes pier in morning fog\n"
        "Three passengers were hurt as the vessel hit the Halvik pier at low speed\n"
        "Last updated: 3 May 2025, 10:15\n"
        "By Lena Mars\n"
        "The ferry was carrying 140 passengers.\n"
    )
    assert claim_texts(text) == [
        "Harbour ferry strikes pier in morning fog",
        "Three passengers were hurt as the vessel hit the Halvik pier at low speed",
        "The ferry was carrying 140 passengers.",
    ]
    for dateline in (
        "The Example Gazette | Updated Monday 3 May 2025, 10:15",
        "Posted Monday 3 May 2025 at 10:15 by Lena",
    ):
        text = f"Harbour ferry strikes pier in morning fog\n{dateline}\nThe ferry was carrying 140 passengers.\n"
        assert claim_texts(text) == [
            "Harbour ferry strikes pier in morning fog",
            "The ferry was carrying 140 passengers.",
        ]
    text = "Harbour ferry strikes pier in morning fog\nBy nightfall all 140 passengers had been brought ashore safely\n"
    assert len(claim_texts(text)) == 2
