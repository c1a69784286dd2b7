"""The fact extraction and comparison of pipeline/checks on sentences written for these tests."""

from __future__ import annotations

import pytest

from pipeline.checks.compare import check_translation, unsupported
from pipeline.checks.facts import extract_facts
from pipeline.checks.findings import Finding, Kind, Severity, flagged
from pipeline.checks.names import extract_names


def keys(text: str, lang: str) -> set[str]:
    return {key for fact in extract_facts(text, lang) for key in fact.keys}


@pytest.mark.parametrize(
    ("dutch", "english"),
    [
        ("De brug kost 3,5 miljoen euro.", "The bridge costs EUR 3.5 million."),
        ("De brug kost € 3,5 miljoen.", "The bridge costs 3.5 million euros."),
        ("Er kwamen 1.234 bezoekers.", "There were 1,234 visitors."),
        ("De rente steeg met 2,5 procent.", "Interest rose by 2.5%."),
        ("Vijfendertig gemeenten deden mee.", "Thirty-five municipalities took part."),
        ("De vergadering begint vrijdag om 14.30 uur.", "The meeting starts on Friday at 2:30 pm."),
        ("De vergadering begint om 14.30 uur.", "The meeting starts at 14:30."),
        ("Het plan komt op 5 sept. terug.", "The plan returns on September 5."),
        ("In de jaren 60 groeide de stad.", "In the 1960s the town grew."),
        ("Het kost een half miljoen euro.", "It costs half a million euros."),
        ("Minister Van der Laan bezocht Frankrijk.", "Minister Van der Laan visited France."),
        (
            "De delegatie reisde naar Brussel en Den Bosch.",
            "The delegation travelled to Brussels and Den Bosch.",
        ),
        ("Zij sprak Fins met de ambassadeur.", "She spoke Finnish with the ambassador."),
    ],
)
def test_a_faithful_translation_in_another_notation_is_no_finding(dutch: str, english: str) -> None:
    assert not flagged(check_translation(dutch, english)), check_translation(dutch, english)


@pytest.mark.parametrize(
    ("dutch", "english", "kind"),
    [
        ("De brug kost 3,5 miljoen euro.", "The bridge costs EUR 3.5 billion.", Kind.AMOUNT),
        ("Er kwamen 1.234 bezoekers.", "There were 1,243 visitors.", Kind.NUMBER),
        ("Er kwamen 1.234 bezoekers.", "There were visitors.", Kind.NUMBER),
        ("De vergadering is op vrijdag.", "The meeting is on Thursday.", Kind.DATE),
        ("Het plan komt in september terug.", "The plan returns in October.", Kind.DATE),
        ("De vergadering begint om 14.30 uur.", "The meeting starts at 3:30 pm.", Kind.TIME),
        ("De rente steeg met 2,5 procent.", "Interest rose by 3.5%.", Kind.PERCENT),
        (
            "Gisteren sprak burgemeester Halsema met de pers.",
            "Yesterday mayor Okonkwo spoke to the press.",
            Kind.NAME,
        ),
    ],
)
def test_a_changed_or_dropped_fact_is_a_warning_of_its_kind(dutch: str, english: str, kind: Kind) -> None:
    findings = check_translation(dutch, english)
    assert flagged(findings)
    assert kind in {f.kind for f in findings if f.severity is Severity.WARNING}


def test_a_mangled_name_is_a_note_naming_both_forms() -> None:
    findings = check_translation(
        "Gisteren sprak Ciarán Brennagh in Utrecht.", "Yesterday Ciaron Brennagh spoke in Utrecht."
    )
    assert not flagged(findings)
    (note,) = [f for f in findings if f.kind is Kind.NAME]
    assert note.severity is Severity.NOTE and "ciaron" in note.message.lower()


def test_weak_words_match_but_their_absence_is_no_finding() -> None:
    assert keys("een van de twee", "nl") >= {"n:1", "n:2"}
    assert not flagged(
        check_translation("Hij kocht een fiets en twee boeken.", "He bought a bike and books.")
    )


def test_a_conversion_in_parentheses_counts_only_against_parentheses() -> None:
    assert not flagged(
        check_translation("De stad ligt 50 km verderop.", "The town lies 50 km (31 miles) away.")
    )
    assert flagged(
        check_translation("De stad ligt 50 km (31 mijl) verderop.", "The town lies 50 km (35 miles) away.")
    )


def test_dutch_notation_readings() -> None:
    assert keys("12.30", "nl") == {"n:12.3", "t:30"}
    assert "n:1234" in keys("1.234", "nl") and "n:1234" in keys("1,234", "en")
    assert keys("5bn dollars", "en") == {"n:5000000000"}
    assert keys("negentiende eeuw", "nl") == {"n:19"}


def test_names_with_particles_initials_and_openers() -> None:
    names = extract_names("Volgens J.P. van der Berg-Okafor kwam De Wit niet.", "nl")
    assert [n.text for n in names] == ["J.P. van der Berg-Okafor", "De Wit"]
    assert extract_names("Vervolgens kwam hij thuis.", "nl") == []  # an ordinary word opening a sentence


def test_a_title_case_headline_names_only_what_is_not_an_ordinary_word() -> None:
    assert [n.text for n in extract_names("Storm Hits Utrecht Harder Than Expected", "en")] == ["Utrecht"]


def test_an_invented_fact_in_a_bullet_is_unsupported() -> None:
    evidence = [
        ("The council of Zwolle approved the budget of 12 million euros.", "en"),
        ("De gemeenteraad van Zwolle keurde de begroting van 12 miljoen euro goed.", "nl"),
    ]
    assert not flagged(unsupported("Zwolle approved a budget of EUR 12 million.", evidence))
    findings = unsupported("Talks with minister Okonkwo cost 7 million euros in Zwolle.", evidence)
    assert {f.kind for f in findings} == {Kind.NAME, Kind.AMOUNT}
    assert all(f.severity is Severity.WARNING for f in findings)


def test_a_finding_round_trips_through_its_dict() -> None:
    finding = Finding(
        Kind.AMOUNT, Severity.WARNING, "7 million", "amount '7 million' is not in the article", "bullet 2"
    )
    assert Finding.from_dict(finding.to_dict()) == finding
