"""Cleaning model output: outputs in the shapes small models really write (Qwen2.5-0.5B-Instruct,
flan-t5, distilbart-cnn), written for these tests after the patterns seen in such outputs."""

from __future__ import annotations

import pytest

from pipeline.summarize.bullets import BulletResult, bullets_from_summary, parse_bullets, parse_headline

STORM = [
    "A storm closed the ports of Rotterdam and Amsterdam on Monday.",
    "Ferries to England were cancelled until Tuesday.",
    "The KNMI issued a code red warning for Zeeland.",
]

BULLET_CASES = {
    "clean dashes": ("- " + "\n- ".join(STORM), 3, STORM, []),
    "numbered with preamble and closer": (
        "Here are the key points of the article:\n\n1. "
        + STORM[0]
        + "\n2. "
        + STORM[1]
        + "\n3. "
        + STORM[2]
        + "\n\nLet me know if you need anything else!",
        3,
        STORM,
        [],
    ),
    "sure preamble with numbered parens": (
        "Sure! Here's a summary in 3 bullet points:\n1) "
        + STORM[0]
        + "\n2) "
        + STORM[1]
        + "\n3) "
        + STORM[2],
        3,
        STORM,
        [],
    ),
    "(1) style numbering": ("(1) " + STORM[0] + "\n(2) " + STORM[1] + "\n(3) " + STORM[2], 3, STORM, []),
    "markdown header, bold labels, stars": (
        "### Summary\n\n**Key points:**\n\n* **Ports:** Rotterdam and Amsterdam closed on Monday.\n"
        "* **Ferries:** cancelled until Tuesday.\n* **Warning:** code red for *Zeeland*.\n",
        3,
        [
            "Ports: Rotterdam and Amsterdam closed on Monday.",
            "Ferries: cancelled until Tuesday.",
            "Warning: code red for Zeeland.",
        ],
        [],
    ),
    "bullet characters mixed": (
        "• " + STORM[0] + "\n– " + STORM[1] + "\n+ " + STORM[2],
        3,
        STORM,
        [],
    ),
    "run-on prose without line breaks": (
        " ".join(STORM) + " Mr. Jansen of the U.S. embassy said flights were not affected.",
        3,
        STORM,
        [
            "model wrote prose, not a list; made bullets from its sentences",
            "model gave 4 bullets; kept the first 3",
        ],
    ),
    "flan-t5 list on one line": (
        "- Storm closes ports of Rotterdam and Amsterdam - Ferries to England cancelled"
        " - Code red for Zeeland",
        3,
        [
            "Storm closes ports of Rotterdam and Amsterdam",
            "Ferries to England cancelled",
            "Code red for Zeeland",
        ],
        [],
    ),
    "numbered list on one line": (
        "Key points: 1. " + STORM[0] + " 2. " + STORM[1] + " 3. " + STORM[2],
        3,
        STORM,
        [],
    ),
    "duplicates differing in case, space and punctuation": (
        "- "
        + STORM[0]
        + "\n- "
        + STORM[0].upper().replace(" ", "  ").rstrip(".")
        + "!\n- "
        + STORM[1]
        + "\n- "
        + STORM[2],
        3,
        STORM,
        ["removed 1 duplicate bullet"],
    ),
    "fewer than asked": (
        "1. " + STORM[0] + "\n2. " + STORM[1],
        4,
        STORM[:2],
        ["model gave 2 of 4 bullets"],
    ),
    "more than asked": (
        "\n".join(f"{i}. {s}" for i, s in enumerate([*STORM, "Schools stayed open.", "Trains ran late."], 1)),
        3,
        STORM,
        ["model gave 5 bullets; kept the first 3"],
    ),
    "wrapped lines joined": (
        "- A storm closed the ports of Rotterdam\n  and Amsterdam on Monday.\n- Ferries to England were\n"
        "cancelled until Tuesday.\n- The KNMI issued a code red\nwarning for Zeeland.",
        3,
        STORM,
        [],
    ),
    "CRLF line ends and blank lines between items": (
        "\r\n".join(["Summary:", "", f"1. {STORM[0]}", "", f"2. {STORM[1]}", "", f"3. {STORM[2]}", ""]),
        3,
        STORM,
        [],
    ),
    "quoted bullets and a trailing recap outside the list": (
        "\n".join(f'- "{s}"' for s in STORM) + "\n\nIn summary, the storm caused chaos across the country.",
        3,
        STORM,
        ["ignored 1 line outside the list"],
    ),
    "closer that offers more help": (
        "\n".join(f"* {s}" for s in STORM) + "\n\nI hope this helps! Feel free to ask for more details.",
        3,
        STORM,
        [],
    ),
    "bold title lines with the text below": (
        "1. **Ports closed**\nRotterdam and Amsterdam closed on Monday.\n"
        "2. **Ferries**\nCancelled until Tuesday.",
        2,
        ["Ports closed: Rotterdam and Amsterdam closed on Monday.", "Ferries: Cancelled until Tuesday."],
        [],
    ),
    "sub-bullets under a label": (
        "1. **Transport:**\n   - " + STORM[0] + "\n   - " + STORM[1] + "\n2. **Weather:**\n   - " + STORM[2],
        3,
        STORM,
        [],
    ),
    "leaked chat tokens": ("- " + "\n- ".join(STORM) + "<|im_end|>", 3, STORM, []),
    "qwen bold labels, last bullet cut off by max_new_tokens": (
        "Certainly! Below are three key points from the article:\n\n"
        "1. **Storm Impact**: A storm closed the ports.\n"
        "2. **Ferries**: Ferries were cancelled.\n"
        "3. **Warning**: The KNMI issued a code",
        3,
        [
            "Storm Impact: A storm closed the ports.",
            "Ferries: Ferries were cancelled.",
            "Warning: The KNMI issued a code",
        ],
        ["the last bullet looks cut off; raise max_new_tokens"],
    ),
    "prompt echoed before prose": (
        "Title: Storm closes ports\nArticle: " + " ".join(STORM[:2]),
        2,
        [],
        ["model gave 0 of 2 bullets"],
    ),
    "echoed title then prose": (
        "Title: Storm closes ports\n" + " ".join(STORM[:2]),
        2,
        STORM[:2],
        ["model wrote prose, not a list; made bullets from its sentences"],
    ),
    "code fence around the list": ("```\n- " + "\n- ".join(STORM) + "\n```", 3, STORM, []),
    "empty output": ("", 3, [], ["model gave 0 of 3 bullets"]),
    "only a preamble": ("Here are the key points:", 2, [], ["model gave 0 of 2 bullets"]),
}


@pytest.mark.parametrize("case", sorted(BULLET_CASES))
def test_parse_bullets(case: str) -> None:
    text, n, bullets, flags = BULLET_CASES[case]
    assert parse_bullets(text, n) == BulletResult(bullets, flags)


def test_a_dash_inside_a_sentence_is_not_a_list_marker() -> None:
    result = parse_bullets("- The club - founded in 1900 - won the cup.\n- Fans celebrated.", 2)
    assert result.bullets == ["The club - founded in 1900 - won the cup.", "Fans celebrated."]


def test_content_that_merely_starts_like_a_preamble_is_kept() -> None:
    text = "- Sure Start centres will stay open.\n- The following day, ferries sailed again.\n- Ok."
    assert parse_bullets(text, 3).bullets[:2] == [
        "Sure Start centres will stay open.",
        "The following day, ferries sailed again.",
    ]


def test_n_must_be_positive() -> None:
    with pytest.raises(ValueError):
        parse_bullets("- a", 0)


SUMMARY_CASES = {
    "distilbart spacing": (
        " A storm closed the ports of Rotterdam and Amsterdam on Monday . Ferries to England were cancelled"
        " until Tuesday . The KNMI issued a code red warning for Zeeland .",
        3,
        STORM,
        [],
    ),
    "longer than asked": (
        " ".join([*STORM, "Schools stayed open."]),
        3,
        STORM,
        ["summary had 4 sentences; kept the first 3"],
    ),
    "repeated sentence": (
        " ".join([STORM[0], STORM[1], STORM[0]]),
        3,
        STORM[:2],
        ["removed 1 duplicate bullet", "summary gave 2 of 3 bullets"],
    ),
    "pegasus newlines and a fragment": (
        STORM[0] + "<n>" + STORM[1] + " Again.",
        2,
        [STORM[0], STORM[1] + " Again."],
        [],
    ),
    "empty": ("   ", 2, [], ["summary gave 0 of 2 bullets"]),
}


@pytest.mark.parametrize("case", sorted(SUMMARY_CASES))
def test_bullets_from_summary(case: str) -> None:
    text, n, bullets, flags = SUMMARY_CASES[case]
    assert bullets_from_summary(text, n) == BulletResult(bullets, flags)


HEADLINE_CASES = {
    "plain": ("Storm closes Dutch ports", "Storm closes Dutch ports", []),
    "label and straight quotes and period": (
        'Headline: "Storm closes Dutch ports."',
        "Storm closes Dutch ports",
        [],
    ),
    "bold label, curly quotes, period outside": (
        "**Title:** “Storm closes Dutch ports”.",
        "Storm closes Dutch ports",
        [],
    ),
    "preamble then quoted headline": (
        'Sure! Here\'s a rewritten headline:\n\n"Storm Forces Closure of Dutch Ports"',
        "Storm Forces Closure of Dutch Ports",
        [],
    ),
    "label on its own line, guillemets": (
        "New headline:\n«Storm closes Dutch ports»",
        "Storm closes Dutch ports",
        [],
    ),
    "single quotes": ("‘Storm closes Dutch ports’", "Storm closes Dutch ports", []),
    "markdown heading": ("# Storm closes Dutch ports\n", "Storm closes Dutch ports", []),
    "question kept": ("Will the storm close Dutch ports?", "Will the storm close Dutch ports?", []),
    "exclamation kept": ('"Code red for Zeeland!"', "Code red for Zeeland!", []),
    "abbreviation keeps its period": (
        "Trade deal signed with the U.S.",
        "Trade deal signed with the U.S.",
        [],
    ),
    "inner quotes kept": ("'Lockdown' fears grow in Zeeland.", "'Lockdown' fears grow in Zeeland", []),
    "quote that closes a quotation": ('Minister: "We will act"', 'Minister: "We will act"', []),
    "extra whitespace": ("  Storm   closes\tDutch ports  ", "Storm closes Dutch ports", []),
    "several options": (
        "1. Storm closes Dutch ports\n2. Dutch ports shut as storm hits",
        "Storm closes Dutch ports",
        ["model gave 2 lines; kept the first"],
    ),
    "explanation after the headline is dropped": (
        "Storm closes Dutch ports\n\nThis headline captures the main fact of the article.",
        "Storm closes Dutch ports",
        [],
    ),
    "two sentences": (
        "Storm closes Dutch ports. Ferries to England cancelled until Tuesday.",
        "Storm closes Dutch ports",
        ["headline had several sentences; kept the first"],
    ),
    "too long": (
        "Storm closes ports in Rotterdam and Amsterdam as ferries stop and the KNMI warns of more",
        "Storm closes ports in Rotterdam and Amsterdam as ferries stop and the KNMI warns of more",
        ["headline has 16 words (asked for at most 12)"],
    ),
    "quote left open when the model stopped": ('"Storm closes Dutch ports', "Storm closes Dutch ports", []),
    "echoed current title is skipped": (
        "Current title: Storm sluit havens\nHeadline: Storm closes Dutch ports",
        "Storm closes Dutch ports",
        [],
    ),
    "a spaced dash after the label": ("Headline - Storm closes Dutch ports", "Storm closes Dutch ports", []),
    "a hyphenated first word is not a label": (
        "Answer-seeking parents protest",
        "Answer-seeking parents protest",
        [],
    ),
    "code fence": ("```\nStorm closes Dutch ports\n```", "Storm closes Dutch ports", []),
    "empty": ("\n\n", "", ["model gave no headline"]),
    "only a label": ("Headline:", "", ["model gave no headline"]),
}


@pytest.mark.parametrize("case", sorted(HEADLINE_CASES))
def test_parse_headline(case: str) -> None:
    text, headline, flags = HEADLINE_CASES[case]
    result = parse_headline(text)
    assert (result.headline, result.flags) == (headline, flags)
    assert "\n" not in result.headline
