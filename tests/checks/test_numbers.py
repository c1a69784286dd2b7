"""Numbers in the notations the two languages differ in: number words, ordinals, decades, measures, clocks."""

from __future__ import annotations

import pytest

from pipeline.checks.compare import check_translation
from pipeline.checks.facts import extract_facts
from pipeline.checks.findings import Kind, Severity, flagged
from pipeline.checks.numwords import compound_value, roman_value, word_value


def keys(text: str, lang: str) -> set[str]:
    return {key for fact in extract_facts(text, lang) for key in fact.keys}


@pytest.mark.parametrize(
    ("dutch", "english"),
    [
        ("De kerk dateert uit de 12e eeuw.", "The church dates from the twelfth century."),
        ("Hij won voor de vijfde keer.", "He won for the 5th time."),
        ("Dertien scholen sloten.", "Thirteen schools closed."),
        ("Tachtig procent stemde voor.", "Eighty percent voted in favour."),
        ("De vier Deense ministers reisden af.", "The four Danish ministers left."),
        ("De bouw van maart liep uit.", "March's construction ran late."),
        ("De top is half oktober.", "The summit is in mid-October."),
        ("De verbouwing kost anderhalf miljoen euro.", "The rebuilding costs €1.5 million."),
        ("Dat was tien jaar geleden.", "That was a decade ago."),
        ("Het duurde twintig jaar.", "It took two decades."),
        ("In de jaren tachtig bloeide de haven.", "In the 1980s the port flourished."),
        ("De vierentwintigjarige fietser won.", "The 24-year-old cyclist won."),
        ("Er kwam een negenkoppig bestuur.", "A board of nine members came."),
        ("Het monument herdenkt de doden van WO I.", "The monument honours the dead of WW1."),
        ("De trein vertrok om 12.00 uur GMT.", "The train left at 1200 GMT."),
        ("Zij zwom de 100 meter vrije slag.", "She swam the 100m freestyle."),
        ("De wind haalde 90 km per uur.", "The wind reached 56 mph."),
        ("De storm raasde met 140 km per uur.", "The storm raged at 87 miles per hour."),
        ("Het plan komt in mei.", "The plan comes in May."),
        ("De spits is 1,93 meter lang.", "The striker is 6-foot-4."),
        ("Je moet de regels in acht nemen.", "You must observe the rules."),
        ("Een paar duizend fans kwamen kijken.", "Thousands of fans came to watch."),
        ("De temperatuur zakte onder nul.", "Temperatures fell below freezing."),
        ("Er viel 1,5 cm sneeuw.", "Half an inch of snow fell."),
        ("Het elftal van de stad won.", "The town's 11 won."),
        ("Tientallen gezinnen vertrokken.", "Families left."),
        ("Enkele miljoenen mensen keken.", "Millions of people watched."),
        ("Tienduizenden mensen liepen mee.", "Tens of thousands of people marched."),
        ("Duizenden mensen liepen mee.", "Many people marched."),
        ("In de nacht van vrijdag op zaterdag brak brand uit.", "A fire broke out on Friday night."),
    ],
)
def test_one_fact_in_the_other_notation_is_no_finding(dutch: str, english: str) -> None:
    assert not flagged(check_translation(dutch, english)), check_translation(dutch, english)


@pytest.mark.parametrize(
    ("dutch", "english"),
    [
        ("De vier Deense ministers reisden af.", "The five Danish ministers left."),
        ("Dat was tien jaar geleden.", "That was two decades ago."),
        ("De vierentwintigjarige fietser won.", "The 25-year-old cyclist won."),
        ("De vierentwintigjarige fietser won.", "The cyclist won."),
        ("De spits is 1,93 meter lang.", "The striker is 6-foot-9."),
        ("De wind haalde 90 km per uur.", "The wind reached 76 mph."),
        ("De trein vertrok om 12.00 uur GMT.", "The train left at 1300 GMT."),
        ("Hij wacht acht dagen op antwoord.", "He waits days for an answer."),
        ("Hij wacht al honderd jaar.", "He has been waiting for years."),
        ("De bouw van maart liep uit.", "April's construction ran late."),
        ("De storm raasde met 140 km per uur.", "The storm raged at 67 miles per hour."),
        ("Er viel 4 cm sneeuw.", "Half an inch of snow fell."),
        ("Enkele miljoenen mensen keken.", "Several billion people watched."),
        ("Tienduizenden mensen liepen mee.", "Millions of people marched."),
        ("In de nacht van vrijdag op zaterdag brak brand uit.", "A fire broke out on Thursday night."),
    ],
)
def test_a_changed_or_dropped_number_is_still_a_warning(dutch: str, english: str) -> None:
    findings = check_translation(dutch, english)
    assert any(f.severity is Severity.WARNING and f.kind is not Kind.NAME for f in findings), findings


def test_number_words_text2num_leaves_alone() -> None:
    assert word_value("tweede", "nl") == (2, True)
    assert word_value("twelfth", "en") == (12, True)
    assert word_value("anderhalf", "nl") == (1.5, False)
    assert compound_value("vierentwintigjarige", "nl") == 24
    assert compound_value("achtergrond", "nl") is None  # "acht" and a word, but no compound of a count
    assert [roman_value(w) for w in ("II", "XIV", "IV", "Ik", "")] == [2, 14, 4, None, None]


def test_a_decade_multiplies_the_number_before_it() -> None:
    assert "n:30" in keys("three decades", "en")
    assert keys("a decade", "en") == {"n:10"}


def test_a_day_in_a_name_is_no_date_but_a_number_before_a_name_is_a_number() -> None:
    assert keys("She wrote for The Sunday Times.", "en") == set()
    assert keys("The three Belgian envoys", "en") == {"n:3"}
    assert keys("Prime Minister Theresa May.", "en") == set()
    assert "m:5" in keys("In May 2020 the plan returned.", "en")
