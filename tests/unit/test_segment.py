"""Sentence offsets must be exact in code points and in UTF-16 units: the browser counts the latter."""

from hypothesis import given, settings
from hypothesis import strategies as st

from workers.engine.segment import split_sentences

PIECES = st.sampled_from(
    [
        "U.S. officials met on Feb. 27 in Istanbul.",
        "Talks lasted six hours!",
        "Was it useful?",
        "Breaking: Talks in Istanbul",
        "• Restoring embassy staffing",
        "“We reciprocated,”",
        "he said.",
        "Они встретились в Стамбуле.",
        "会谈持续了六个小时。",
        "Deal reached 🎉 at last.",
        "Dr. Smith agreed.",
        "\r\n",
        "\n",
        "\n\n",
        " ",
        "  ",
        "\t",
    ]
)


@given(st.lists(PIECES | st.text(max_size=30), max_size=25).map("".join))
@settings(max_examples=300, deadline=None)
def test_offsets_point_at_the_sentence(text):
    utf16 = text.encode("utf-16-le")
    previous_end = 0
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        units = utf16[sentence.start_utf16 * 2 : sentence.end_utf16 * 2].decode("utf-16-le")
        assert units == sentence.text
        assert sentence.text == sentence.text.strip()
        assert sentence.start >= previous_end
        previous_end = sentence.end


def texts(text):
    return [s.text for s in split_sentences(text)]


def test_abbreviations_do_not_end_sentences():
    assert texts("The U.S. delegation arrived on Feb. 27 in Istanbul. Talks began.") == [
        "The U.S. delegation arrived on Feb. 27 in Istanbul.",
        "Talks began.",
    ]


def test_headlines_bullets_and_crlf_are_their_own_sentences():
    text = "Diplomats Meet in Istanbul\r\nKey items include:\r\n  • Restoring staffing\r\nThey met. It ended."
    assert texts(text) == [
        "Diplomats Meet in Istanbul",
        "Key items include:",
        "Restoring staffing",
        "They met.",
        "It ended.",
    ]


def test_a_quote_broken_over_lines_stays_one_sentence():
    text = "“We reciprocated by creating conditions,”\nhe stated in Qatar."
    assert texts(text) == [text]


def test_emoji_shift_utf16_offsets_but_not_code_points():
    text = "🎉 Party. Talks lasted six hours."
    second = split_sentences(text)[1]
    assert (second.start, second.start_utf16) == (9, 10)


def test_non_latin_text_is_split():
    assert texts("会谈持续了六个小时。双方同意继续。") == ["会谈持续了六个小时。", "双方同意继续。"]


def test_a_unit_is_not_an_initial_and_a_camel_case_word_starts_a_sentence():
    texts = [
        s.text
        for s in split_sentences(
            "It was doing 95 km/h. The cause was a cracked rail. Sales hit $5.2 billion. iPad sales fell."
        )
    ]
    assert texts == [
        "It was doing 95 km/h.",
        "The cause was a cracked rail.",
        "Sales hit $5.2 billion.",
        "iPad sales fell.",
    ]
