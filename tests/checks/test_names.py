"""Names across the two languages: exonyms, compounds, acronyms, compass words and titles."""

from __future__ import annotations

import pytest

from pipeline.checks.compare import check_translation
from pipeline.checks.findings import Kind, Severity, flagged
from pipeline.checks.names import capitalised_words, extract_names
from pipeline.checks.places import place_keys


def name_warnings(dutch: str, english: str) -> list[str]:
    return [
        f.text
        for f in check_translation(dutch, english)
        if f.kind is Kind.NAME and f.severity is Severity.WARNING
    ]


@pytest.mark.parametrize(
    ("dutch", "english"),
    [
        ("Het congres is dit jaar in Keulen.", "The congress is in Cologne this year."),
        ("De rechters in Den Haag beslissen vandaag.", "The judges in The Hague decide today."),
        ("De handelsmissie reisde naar Peking.", "The trade mission travelled to Beijing."),
        ("Hij reisde door Oost-Europa.", "He travelled through eastern Europe."),
        ("Zij bezocht Hongkong in mei.", "She visited Hong Kong in May."),
        ("Zij bezocht Hong Kong in mei.", "She visited Hongkong in May."),
        ("De ruïnes van Kalawadi trekken toeristen.", "The ruins of Kala-wadi draw tourists."),
        ("De senatoren Smit en Okafor stemden tegen.", "Sens. Smit and Okafor voted against."),
        (
            "Burgemeester Ann Berg van Washington D.C. sprak gisteren.",
            "District of Columbia Mayor Ann Berg spoke yesterday.",
        ),
        ("Het land viel uiteen na de val van Joegoslavië.", "The country split after Yugoslavia fell."),
        ("De aardbeving trof Atjeh zwaar.", "The earthquake hit Aceh hard."),
        ("Met Kerst was de winkel dicht.", "At Christmas the shop was closed."),
        ("De paaswake begint laat.", "The Easter vigil starts late."),
        ("Het skelet van een Tyrannosaurus Rex staat in Leiden.", "A T. rex skeleton stands in Leiden."),
        ("Zij sprak met de Haarlemse Courant.", "She spoke to the Courant."),
        ("Volgens China is de heffing onterecht.", "Beijing says the levy is unfair."),
        ("Zij keerden terug naar de Franse hoofdstad.", "They went back to Paris."),
    ],
)
def test_a_name_in_its_other_form_is_no_finding(dutch: str, english: str) -> None:
    assert not flagged(check_translation(dutch, english)), check_translation(dutch, english)


@pytest.mark.parametrize(
    ("dutch", "english", "missing"),
    [
        ("Het congres is dit jaar in Keulen.", "The congress is in Bonn this year.", "Keulen"),
        ("De senator Jeff Flake stemde tegen.", "Senator Jeff Okafor voted against.", "Jeff Okafor"),
        ("Zij bezocht Hongkong in mei.", "She visited Macau in May.", "Hongkong"),
        ("Met Kerst was de winkel dicht.", "At Easter the shop was closed.", "Kerst"),
        (
            "Het skelet van een Tyrannosaurus Rex staat in Leiden.",
            "A T. Okafor skeleton stands in Leiden.",
            "T. Okafor",
        ),
        ("Volgens Japan is de heffing onterecht.", "Beijing says the levy is unfair.", "Japan"),
        (
            "Zij moest het plan nog brengen, zei Annelies.",
            "She still had to bring the plan, Brennigan said.",
            "Brennigan",
        ),
    ],
)
def test_another_name_in_its_place_is_still_a_warning(dutch: str, english: str, missing: str) -> None:
    assert missing in name_warnings(dutch, english)


def test_a_city_meets_its_names_in_other_languages_but_a_name_is_no_place_by_its_first_letters() -> None:
    assert place_keys(["keulen"], "nl") & place_keys(["cologne"], "en")
    assert not place_keys(["senator jeff flake"], "en")  # no language whose name starts "sena"


def test_an_ordinary_word_opening_a_sentence_joins_a_name_it_is_linked_to() -> None:
    names = extract_names("University of Utrecht staff went on strike.", "en")
    assert [n.text for n in names] == ["University of Utrecht"]
    assert extract_names("Yesterday it rained in Utrecht.", "en")[0].text == "Utrecht"


def test_a_regular_dutch_form_of_a_name_is_not_noted_as_respelt() -> None:
    findings = check_translation("Zij vloog naar Australië.", "She flew to Australia.")
    assert findings == []
    (note,) = check_translation("Gisteren sprak Ciarán in Utrecht.", "Yesterday Ciaron spoke in Utrecht.")
    assert note.severity is Severity.NOTE


def test_capitalised_words_inside_a_sentence_are_told_from_sentence_openers() -> None:
    inside, openers = capitalised_words("De Nieuw-Zeelandse ploeg won. Daarna sprak Okafor.")
    assert inside == {"nieuw-zeelandse", "nieuw", "zeelandse", "okafor"}
    assert openers == {"de", "daarna"}
