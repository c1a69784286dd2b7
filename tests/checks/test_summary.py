"""A summary held against its article (pipeline/checks/summary.py): unsupported facts, evidence links,
--unsupported drop."""

from __future__ import annotations

import pytest

from pipeline.checks.findings import Kind
from pipeline.checks.summary import TITLE, EvidenceSentence, check_summary
from pipeline.errors import UsageError

ARTICLE = [
    EvidenceSentence(TITLE, 0, "Ferry to Ameland resumes", "Veerdienst naar Ameland vaart weer"),
    EvidenceSentence(
        0,
        0,
        "The ferry to Ameland sails again from Friday.",
        "De veerboot naar Ameland vaart vanaf vrijdag weer.",
    ),
    EvidenceSentence(0, 1, "The repair cost 2.4 million euros.", "De reparatie kostte 2,4 miljoen euro."),
    EvidenceSentence(
        1,
        0,
        "Director Hoekstra apologised to the islanders.",
        "Directeur Hoekstra bood de eilanders excuses aan.",
    ),
]


def test_facts_found_in_the_article_are_supported_and_linked_to_their_sentence() -> None:
    checks = check_summary("Ameland ferry back", ["The repair cost EUR 2.4 million."], ARTICLE)
    [bullet] = checks.bullets
    assert bullet.findings == [] and not checks.headline.flagged
    assert (bullet.evidence[0].paragraph, bullet.evidence[0].sentence) == (0, 1)


def test_an_invented_number_and_name_are_each_a_finding_on_their_bullet() -> None:
    bullets = ["The ferry sails again from Friday.", "Minister Okafor promised 35 new ships."]
    checks = check_summary("Ameland ferry back", bullets, ARTICLE)
    first, second = checks.bullets
    assert first.findings == []
    assert {(f.kind, f.text) for f in second.findings} == {(Kind.NUMBER, "35"), (Kind.NAME, "Okafor")}
    assert all(f.where == "bullet 2" for f in second.findings)


def test_a_fact_only_the_dutch_holds_is_supported() -> None:
    dutch_only = [
        EvidenceSentence(0, 0, "The ferry sails again from.", "De veerboot vaart vanaf vrijdag weer.")
    ]
    assert check_summary("", ["The ferry sails again on Friday."], dutch_only).bullets[0].findings == []


def test_the_headline_is_checked_too() -> None:
    checks = check_summary("Ferry resumes after 9 weeks", ["The ferry sails again."], ARTICLE)
    assert [f.text for f in checks.headline.findings] == ["9"] and checks.headline.findings[
        0
    ].where == "headline"


def test_drop_takes_out_a_flagged_bullet_and_keeps_it_for_the_record() -> None:
    bullets = ["The ferry sails again from Friday.", "It cost 7 million euros."]
    checks = check_summary("", bullets, ARTICLE, policy="drop")
    assert [c.text for c in checks.bullets] == [bullets[0]]
    assert [c.text for c in checks.dropped] == [bullets[1]] and checks.dropped[0].flagged


def test_an_unknown_policy_lists_the_valid_ones() -> None:
    with pytest.raises(UsageError, match="drop, flag"):
        check_summary("", [], ARTICLE, policy="delete")
