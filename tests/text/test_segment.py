"""Tests for the Dutch sentence segmenter (pipeline.text.segment)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.segment import segment_paragraphs, sentence_spans, split_sentences


def check_spans(text: str) -> list[tuple[int, int]]:
    """Spans must be ordered, non-empty, trimmed, and leave only whitespace outside."""
    spans = sentence_spans(text)
    prev = 0
    for a, b in spans:
        assert prev <= a < b <= len(text)
        assert text[prev:a].strip() == ""
        assert not text[a].isspace() and not text[b - 1].isspace()
        prev = b
    assert text[prev:].strip() == ""
    # Removing the (whitespace) gaps between spans must give exactly the spans joined.
    gaps_removed = "".join(text[a:b] for a, b in spans)
    assert "".join(gaps_removed.split()) == "".join(text.split())
    return spans


# --- abbreviations -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "De wethouder noemde o.a. Utrecht en Zwolle als voorbeeld.",
        "Neem bijv. Groningen, waar de huren hard stegen.",
        "Het gaat om de grote steden, d.w.z. Amsterdam en Rotterdam.",
        "Gisteren sprak dhr. Jansen de gemeenteraad toe.",
        "Volgens mevr. De Graaf is het besluit onherroepelijk.",
        "De zaak werd bepleit door mr. Visser uit Arnhem.",
        "Het onderzoek van dr. Bakker en prof. Smit verscheen vorige week.",
        "De verbouwing kost ca. 200.000 euro, zegt de aannemer.",
        "Er is één stad die twijfelt, nl. Utrecht.",
        "Zie blz. 12 voor de cijfers.",
        "Er zijn vragen m.b.t. Schiphol en de geluidsoverlast.",
        "De school is open van maandag t/m vrijdag.",
        "Hij vloog i.p.v. Schiphol vanaf Eindhoven.",
        "De fiets is z.g.a.n. en kost tachtig euro.",
        "Er kwam n.a.v. Het Parool veel kritiek op de minister.",
        "De wedstrijd Ajax vs. Feyenoord werd uitgesteld.",
        "Het pand aan de Kerkstraat nr. 7 wordt gesloopt.",
        "De kerk van St. Jan is gerestaureerd.",
        "Het rapport van ir. De Boer en ing. Peters is openbaar.",
        "De scriptie van drs. Mulder werd geprezen.",
        "Alle prijzen zijn incl. BTW en excl. Verzendkosten Extra.",
        "De zgn. Randstad groeit nog steeds.",
        "De bussen rijden naar Delft resp. Leiden.",
    ],
)
def test_nonfinal_abbreviations_do_not_split(text: str) -> None:
    assert split_sentences(text) == [text]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "In de winkel lagen appels, peren enz. De klant koos een meloen.",
            ["In de winkel lagen appels, peren enz.", "De klant koos een meloen."],
        ),
        (
            "Ze verkopen boeken, tijdschriften etc. Daarnaast is er een koffiehoek.",
            ["Ze verkopen boeken, tijdschriften etc.", "Daarnaast is er een koffiehoek."],
        ),
        (
            "Er speelden Hazes, Smit e.a. Het publiek zong alles mee.",
            ["Er speelden Hazes, Smit e.a.", "Het publiek zong alles mee."],
        ),
        (
            "Ze verkopen pannen, borden e.d. Op zaterdag is het druk.",
            ["Ze verkopen pannen, borden e.d.", "Op zaterdag is het druk."],
        ),
        (
            "Het tekort bedraagt 40 mln. De minister zoekt dekking.",
            ["Het tekort bedraagt 40 mln.", "De minister zoekt dekking."],
        ),
    ],
)
def test_final_abbreviation_before_capital_splits(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "De vergadering van 3 maart jl. werd druk bezocht.",
        "De markt is zaterdag a.s. open tot vijf uur.",
        "Ze kochten kaas, brood enz. voor het picknicken.",
        "De schade wordt geschat op 2 mld. euro.",
        "Het project kost 3 mln. en duurt twee jaar.",
        "Na 90 min. speeltijd stond het nog altijd gelijk.",
    ],
)
def test_final_abbreviation_before_lower_case_does_not_split(text: str) -> None:
    assert split_sentences(text) == [text]


def test_abbreviations_case_insensitive() -> None:
    assert split_sentences("Dit geldt O.A. Voor huurders.") == ["Dit geldt O.A. Voor huurders."]
    text = "Volgens Dhr. Pieters en Prof. Vos klopt het."
    assert split_sentences(text) == [text]
    assert split_sentences("Bijv. Zeeland heeft veel water.") == ["Bijv. Zeeland heeft veel water."]


def test_acronym_in_capitals_is_not_the_abbreviation() -> None:
    # "vs." is versus, but "VS." is the country at the end of a sentence.
    assert split_sentences("Hij woont al jaren in de VS. Nu keert hij terug.") == [
        "Hij woont al jaren in de VS.",
        "Nu keert hij terug.",
    ]


def test_ordinary_words_that_look_like_abbreviations_split() -> None:
    text = "De pers stak er veel tijd in. Daarna ging het licht uit. Hij is lid. Zij niet."
    assert split_sentences(text) == [
        "De pers stak er veel tijd in.",
        "Daarna ging het licht uit.",
        "Hij is lid.",
        "Zij niet.",
    ]


def test_domain_name_at_end_of_sentence_splits() -> None:
    assert split_sentences("Het bericht stond op nu.nl. Later volgde een reactie.") == [
        "Het bericht stond op nu.nl.",
        "Later volgde een reactie.",
    ]


# --- numbers, amounts, times, dates, ordinals ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "De rekening kwam uit op € 1.200,50 inclusief fooi.",
        "De inflatie steeg naar 3.5 procent in augustus.",
        "De trein vertrekt om 12.30 uur vanaf spoor 4.",
        "Het dorp telt 14.000 inwoners en twee scholen.",
        "Op 5 sept. 2025 opent het nieuwe station.",
        "De wet gaat in per 1 jan. 2026 voor alle gemeenten.",
        "Ze werd 3e in de tijdrit en 1ste in het klassement.",
        "Lees hoofdstuk 4 op blz. 88 en 89.",
    ],
)
def test_numbers_and_dates_do_not_split(text: str) -> None:
    assert split_sentences(text) == [text]


def test_number_at_sentence_end_splits() -> None:
    text = "De ploeg eindigde in 2019 als 4. Een jaar later won ze de titel."
    assert split_sentences(text) == ["De ploeg eindigde in 2019 als 4.", "Een jaar later won ze de titel."]
    text = "De kaartjes kosten € 12,50. Kinderen mogen gratis naar binnen."
    assert split_sentences(text) == ["De kaartjes kosten € 12,50.", "Kinderen mogen gratis naar binnen."]
    text = "De bus kwam om 08.15. Niemand stapte uit."
    assert split_sentences(text) == ["De bus kwam om 08.15.", "Niemand stapte uit."]


def test_month_abbreviation_before_capital_splits() -> None:
    assert split_sentences("De uitslag kwam op 12 okt. Daarna begon het overleg.") == [
        "De uitslag kwam op 12 okt.",
        "Daarna begon het overleg.",
    ]


# --- initials ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Het kabinet van J.P. Balkenende viel in 2010.",
        "Premier W. Kok opende de brug.",
        "De schrijver A.F.Th. van der Heijden las voor.",
        "Het boek van H. De Vries werd herdrukt.",
        "De brief was ondertekend door Th.J. Bos namens het bestuur.",
        "In het jaar 300 v. Chr. werd de stad gesticht.",
    ],
)
def test_initials_do_not_split(text: str) -> None:
    assert split_sentences(text) == [text]


def test_single_letter_before_sentence_starter_splits() -> None:
    assert split_sentences("De route loopt van punt A naar punt B. Daarna keren we om.") == [
        "De route loopt van punt A naar punt B.",
        "Daarna keren we om.",
    ]
    assert split_sentences("Hij zocht het plan van de vijand. Dank u. Het was geheim.") == [
        "Hij zocht het plan van de vijand.",
        "Dank u.",
        "Het was geheim.",
    ]


def test_christus_abbreviation_can_end_a_sentence() -> None:
    assert split_sentences("De tempel stamt uit 200 v. Chr. Later werd hij verwoest.") == [
        "De tempel stamt uit 200 v. Chr.",
        "Later werd hij verwoest.",
    ]


# --- quotation styles ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "De burgemeester zei: „We gaan door.” Daarna verliet hij de zaal.",
            ["De burgemeester zei: „We gaan door.”", "Daarna verliet hij de zaal."],
        ),
        (
            "Ze riep: “Kom binnen!” Niemand reageerde.",
            ["Ze riep: “Kom binnen!”", "Niemand reageerde."],
        ),
        (
            "De trainer zei: ,,We waren te laf.'' De spelers knikten.",
            ["De trainer zei: ,,We waren te laf.''", "De spelers knikten."],
        ),
        (
            ",, Het regent al dagen. Iedereen is het zat. '' Zo vatte de boer het samen.",
            [",, Het regent al dagen.", "Iedereen is het zat. ''", "Zo vatte de boer het samen."],
        ),
        (
            "Hij mompelde: 'Dat klopt niet.' Toen ging de bel.",
            ["Hij mompelde: 'Dat klopt niet.'", "Toen ging de bel."],
        ),
        (
            'De woordvoerder zei: "Dit is geen goed nieuws." Daarna bleef het stil.',
            ['De woordvoerder zei: "Dit is geen goed nieuws."', "Daarna bleef het stil."],
        ),
        (
            '" Wij houden van onze stad. " Dat zei de wethouder gisteren.',
            ['" Wij houden van onze stad. "', "Dat zei de wethouder gisteren."],
        ),
        (
            "« Het museum is dicht. Kom morgen terug. » Dat stond op het bord.",
            ["« Het museum is dicht.", "Kom morgen terug. »", "Dat stond op het bord."],
        ),
    ],
)
def test_quotes_keep_closing_mark(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_opening_quote_after_sentence_starts_new_sentence() -> None:
    text = 'Het was laat. "Ga slapen," zei moeder. „Morgen is er school.”'
    assert split_sentences(text) == ["Het was laat.", '"Ga slapen," zei moeder.', "„Morgen is er school.”"]


def test_quoted_question_followed_by_reporting_clause_does_not_split() -> None:
    text = "'Waar is mijn jas?' vroeg de jongen. „Hier!” riep zijn zus."
    assert split_sentences(text) == ["'Waar is mijn jas?' vroeg de jongen.", "„Hier!” riep zijn zus."]


def test_clitic_starts_sentence() -> None:
    assert split_sentences("We werkten de hele dag. 's Avonds aten we vis.") == [
        "We werkten de hele dag.",
        "'s Avonds aten we vis.",
    ]
    assert split_sentences("Hij kwam om 8 uur 's avonds thuis.") == ["Hij kwam om 8 uur 's avonds thuis."]


# --- brackets ------------------------------------------------------------------------


def test_closing_bracket_kept_with_sentence() -> None:
    text = "De dijk hield stand. (Dat was niet vanzelfsprekend.) Het water zakte snel."
    assert split_sentences(text) == [
        "De dijk hield stand.",
        "(Dat was niet vanzelfsprekend.)",
        "Het water zakte snel.",
    ]


def test_abbreviation_inside_brackets_does_not_split() -> None:
    text = "Er kwamen veel bezoekers (o.a. Uit België) naar de beurs."
    assert split_sentences(text) == [text]


# --- ellipsis, question and exclamation marks --------------------------------------


def test_ellipsis() -> None:
    assert split_sentences("Hij wachtte en wachtte... Toen ging de deur open.") == [
        "Hij wachtte en wachtte...",
        "Toen ging de deur open.",
    ]
    assert split_sentences("Het was stil… Niemand durfde te praten.") == [
        "Het was stil…",
        "Niemand durfde te praten.",
    ]
    text = "Ze twijfelde... en besloot toen toch te gaan."
    assert split_sentences(text) == [text]


def test_question_and_exclamation_marks() -> None:
    text = "Waarom nu? Omdat het moet! Wat een dag!? Morgen beter."
    assert split_sentences(text) == ["Waarom nu?", "Omdat het moet!", "Wat een dag!?", "Morgen beter."]
    text = "Hoezo? zei ze verbaasd."
    assert split_sentences(text) == [text]


# --- paragraph shapes -----------------------------------------------------------------


def test_no_final_punctuation() -> None:
    assert split_sentences("Nieuwe regels voor de woningmarkt") == ["Nieuwe regels voor de woningmarkt"]
    assert split_sentences("Het kabinet valt. Wat nu") == ["Het kabinet valt.", "Wat nu"]


def test_list_marker_is_kept_with_its_text() -> None:
    assert split_sentences("1. De eerste stap is plannen.") == ["1. De eerste stap is plannen."]
    assert split_sentences("b. Een tweede optie") == ["b. Een tweede optie"]
    assert split_sentences("- Dit is een punt. Nog een zin") == ["- Dit is een punt.", "Nog een zin"]


def test_multiple_spaces_tabs_and_edges() -> None:
    text = "  De zon scheen.   Het was warm.\t\tIedereen ging naar zee.\u00a0 Behalve Piet.  "
    expected = ["De zon scheen.", "Het was warm.", "Iedereen ging naar zee.", "Behalve Piet."]
    assert split_sentences(text) == expected
    assert sentence_spans(text)[0] == (2, 16)
    check_spans(text)


def test_empty_and_whitespace_only() -> None:
    assert sentence_spans("") == []
    assert sentence_spans(" \t ") == []


def test_segment_paragraphs_maps_each_paragraph() -> None:
    paragraphs = ["Eerste zin. Tweede zin.", "Kop zonder punt", ""]
    assert segment_paragraphs(paragraphs) == [["Eerste zin.", "Tweede zin."], ["Kop zonder punt"], []]


def test_split_matches_spans() -> None:
    text = "Dhr. Vos kwam om 9.45 uur. Hij bleef tot 12 uur. ,, Prima. ''"
    assert split_sentences(text) == [text[a:b] for a, b in sentence_spans(text)]
    assert len(split_sentences(text)) == 3


# --- property: nothing dropped or reordered ----------------------------------------

_PIECES = [
    "De raad",
    " stemde",
    " in",
    ".",
    "!",
    "?",
    "...",
    "…",
    " ",
    "  ",
    "\t",
    " o.a.",
    " dhr.",
    " J.",
    " enz.",
    " 3.5",
    " 1.200,50",
    " 12.30",
    "„",
    "”",
    ",,",
    "''",
    "'",
    '"',
    "(",
    ")",
    "«",
    "»",
    " Het",
    " de",
    "\n",
    "1. ",
    " v. Chr.",
    " 's",
    " nu.nl",
    ":",
    ";",
    ",",
]


def test_property_only_whitespace_outside_spans() -> None:
    rng = random.Random(20250905)
    checked = 0
    for _ in range(3000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 40)))
        spans = check_spans(text)
        assert split_sentences(text) == [text[a:b] for a, b in spans]
        checked += bool(spans)
    assert checked > 2000


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join) | st.text(max_size=80))
def test_property_hypothesis(text: str) -> None:
    spans = check_spans(text)
    assert bool(spans) == bool(text.strip())
