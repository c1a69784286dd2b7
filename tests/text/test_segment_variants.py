"""Tests for the two simpler sentence splitters of pipeline.text.segment: English model output
(split_english_sentences, used for bullets and headlines) and sentence starts in an article
(begins_sentence, used to tell names from capitalised openers when grouping stories).

The Dutch segmenter has its own file, tests/text/test_segment.py.
"""

from __future__ import annotations

import pytest

from pipeline.text.segment import ENGLISH_ABBREVIATIONS, begins_sentence, split_english_sentences


def test_english_sentences_do_not_end_at_abbreviations_or_initials():
    text = 'Mr. Smith met Dr. Jones in the U.S. Army. They talked. "Yes!" he said. It cost 5 dollars. Next'
    assert split_english_sentences(text) == [
        "Mr. Smith met Dr. Jones in the U.S. Army.",
        "They talked.",
        '"Yes!" he said.',
        "It cost 5 dollars.",
        "Next",
    ]


def test_english_sentences_end_only_before_what_can_start_one():
    text = "Prices rose 3.5 percent. (It was) a lot. Sales fell... Then €5 more. e.g. not here."
    assert split_english_sentences(text) == [
        "Prices rose 3.5 percent.",
        "(It was) a lot.",
        "Sales fell...",
        "Then €5 more. e.g. not here.",
    ]


def test_english_sentences_are_stripped_and_never_empty():
    assert split_english_sentences("  One here.   Two there.  ") == ["One here.", "Two there."]
    assert split_english_sentences("") == []
    assert split_english_sentences(" \n ") == []


def test_english_abbreviations_are_lower_case_without_their_period():
    assert {"mr", "dr", "inc", "sept"} <= ENGLISH_ABBREVIATIONS
    assert all(word == word.lower() and "." not in word for word in ENGLISH_ABBREVIATIONS)


ARTICLE = "Titel zonder punt\nDe man uit Ommen zag het: Rook; Vuur.\n\nHij ging.\n- Lijst\nwoord en\nGewoon"


@pytest.mark.parametrize(
    ("word", "begins"),
    [
        ("Titel", True),  # the start of the text
        ("De", True),  # after the title's line
        ("Ommen", False),  # inside a sentence: a name
        ("Rook", True),  # after a colon
        ("Vuur", True),  # after a semicolon
        ("Hij", True),  # after a blank line
        ("Lijst", True),  # a list bullet on a new line
        ("Gewoon", False),  # a single newline elsewhere is line wrapping
    ],
)
def test_sentence_starts_in_an_article(word: str, begins: bool) -> None:
    assert begins_sentence(ARTICLE, ARTICLE.index(word), ARTICLE.find("\n")) is begins


def test_a_dash_inside_a_line_is_not_a_list_bullet():
    text = "Titel\n\nhet weer - Regen valt"
    assert begins_sentence(text, text.index("Regen"), text.find("\n")) is False
