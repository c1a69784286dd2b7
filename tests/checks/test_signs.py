"""Signs of a broken translation (pipeline/checks/signs.py) and the sentence check that gathers them."""

from __future__ import annotations

import pytest

from pipeline.checks.findings import Kind, flagged
from pipeline.checks.sentence import check_sentence
from pipeline.checks.signs import length_finding, loop_finding, model_findings, output_findings

SOURCE = (
    "De gemeenteraad besloot dinsdagavond dat de nieuwe fietsbrug over de rivier in het voorjaar open gaat."
)
FAITHFUL = (
    "On Tuesday evening the council decided that the new cycle bridge over the river opens in the spring."
)


def test_a_faithful_translation_shows_no_sign() -> None:
    assert output_findings(SOURCE, FAITHFUL) == []
    assert not flagged(check_sentence(SOURCE, FAITHFUL))


def test_half_a_sentence_lost_is_far_too_short() -> None:
    finding = length_finding(SOURCE, "On Tuesday evening the council decided.")
    assert finding is not None and finding.kind is Kind.LENGTH and "shorter" in finding.message


def test_a_sentence_said_twice_is_far_too_long_and_a_loop() -> None:
    doubled = f"{FAITHFUL} {FAITHFUL}"
    kinds = {f.kind for f in output_findings(SOURCE, doubled)}
    assert kinds == {Kind.LENGTH, Kind.LOOP}


@pytest.mark.parametrize(
    ("source", "output"),
    [("Ja.", "Yes."), ("Nee, dank je.", "No, thank you very much."), ("Oké.", "OK.")],
)
def test_short_sources_vary_without_a_finding(source: str, output: str) -> None:
    assert length_finding(source, output) is None


def test_a_phrase_repeated_over_and_over_is_a_loop() -> None:
    looping = "The mayor said that the the the the plan is good."
    finding = loop_finding("De burgemeester zei dat het plan goed is.", looping)
    assert finding is not None and finding.text == "the"
    phrase = "The minister of the minister of the minister of the interior spoke."
    assert loop_finding("De minister van Binnenlandse Zaken sprak.", phrase) is not None


def test_a_repetition_the_source_has_too_is_no_loop() -> None:
    assert loop_finding("Ja, ja, ja, zei hij.", "Yes, yes, yes, he said.") is None


def test_unknown_tokens_and_the_length_bound_are_findings_only_the_model_shows() -> None:
    assert model_findings(0, False) == []
    unknown, cut = model_findings(2, True)
    assert unknown.kind is Kind.UNKNOWN and "2 unknown tokens" in unknown.message
    assert cut.kind is Kind.CUT_OFF
    assert {f.kind for f in check_sentence(SOURCE, FAITHFUL, unknown=1)} == {Kind.UNKNOWN}


def test_the_sentence_check_finds_a_changed_number_and_the_signs_together() -> None:
    found = check_sentence("Er kwamen 120 bezoekers.", "There were 12 visitors.", cut_off=True)
    kinds = [f.kind for f in found]
    assert Kind.CUT_OFF in kinds and Kind.NUMBER in kinds
