"""The user's glossary (pipeline/checks/glossary.py): read from TOML, every occurrence checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.checks.findings import Kind
from pipeline.checks.glossary import Glossary
from pipeline.errors import UsageError

TOML = """
"Tweede Kamer" = ["House of Representatives", "Lower House"]
"Rijkswaterstaat" = "Rijkswaterstaat"
"""


@pytest.fixture
def glossary(tmp_path: Path) -> Glossary:
    path = tmp_path / "glossary.toml"
    path.write_text(TOML, encoding="utf-8")
    return Glossary.load(path)


def test_an_accepted_rendering_is_no_finding(glossary: Glossary) -> None:
    assert glossary.check("De Tweede Kamer stemde.", "The Lower House voted.") == []
    assert glossary.check("De tweede kamer stemde.", "the house of representatives voted.") == []


def test_each_occurrence_needs_a_rendering(glossary: Glossary) -> None:
    source = "De Tweede Kamer debatteerde; daarna stemde de Tweede Kamer."
    [finding] = glossary.check(source, "The House of Representatives debated; then parliament voted.")
    assert finding.kind is Kind.GLOSSARY and finding.text == "Tweede Kamer"
    assert "'House of Representatives' or 'Lower House'" in finding.message


def test_a_term_inside_another_word_is_no_occurrence(glossary: Glossary) -> None:
    assert glossary.check("De Rijkswaterstaatdienst meldt files.", "The road agency reports jams.") == []
    [missed] = glossary.check("Rijkswaterstaat meldt files.", "The road agency reports jams.")
    assert missed.text == "Rijkswaterstaat"


def test_the_digest_follows_the_terms_not_the_layout(tmp_path: Path, glossary: Glossary) -> None:
    relaid = tmp_path / "relaid.toml"
    relaid.write_text('Rijkswaterstaat = ["Rijkswaterstaat"]\n"Tweede Kamer" = ["House of Representatives", '
                      '"Lower House"]\n', encoding="utf-8")  # fmt: skip
    assert Glossary.load(relaid).digest() == glossary.digest()
    changed = Glossary.from_mapping({"Tweede Kamer": ["Lower House"], "Rijkswaterstaat": "Rijkswaterstaat"})
    assert changed.digest() != glossary.digest()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("not toml = = 1", "not a TOML file"),
        ('"Kamer" = 3', "needs an English rendering"),
        ('"Kamer" = []', "needs"),
    ],
)
def test_a_bad_glossary_is_a_usage_error_that_names_the_file_and_the_fix(
    tmp_path: Path, text: str, said: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        Glossary.load(path)
    assert said in str(caught.value) and str(path) in str(caught.value) and "=" in str(caught.value)


def test_a_missing_glossary_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot be read"):
        Glossary.load(tmp_path / "absent.toml")
