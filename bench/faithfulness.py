"""How often the faithfulness checks cry wolf, and how often they catch an error, on professional
translations.

    python bench/faithfulness.py ../shared/data/parallel/flores200-devtest.nld-eng.tsv \
        ../shared/data/parallel/ntrex128.nld-eng.tsv [--seed 12] [--show-flagged 20] [--json FILE]

Each file is a TSV with a header; the Dutch and English columns are found by name (``nld_Latn`` /
``eng_Latn`` in FLORES-200, ``nld`` / ``eng`` in NTREX-128).

* False alarms: the share of pairs flagged (at least one warning) when the professional English is
  checked as if it were nlbrief's translation of the Dutch, by the check the translator runs on every
  sentence it writes (``pipeline.checks.sentence.check_sentence``: the facts both ways, and the signs
  of a broken output that text shows, length and loops).
* Recall, per kind of injected error, over the pairs whose clean version passed and where the kind
  applies: one error is written into the English with a fixed seed, independently of the checker's own
  extraction (plain regular expressions), and counted as caught when the pair is then flagged.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.checks.findings import Finding, Severity, flagged  # noqa: E402
from pipeline.checks.sentence import check_sentence  # noqa: E402

DIGITS = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DATE_WORD = re.compile(r"\b(" + "|".join(MONTHS + WEEKDAYS) + r")\b")
SCALE = re.compile(r"\b(thousand|million|billion|trillion)\b")
SCALE_SWAP = {"thousand": "million", "million": "billion", "billion": "million", "trillion": "billion"}
# Names that appear in neither corpus, put where a name of the source stood.
POOL = ["Okonkwo", "Lindqvist", "Vasquez", "Haddadi", "Brennigan", "Taverner", "Oyelaran", "Kowalczyk"]
CAPITALISED = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{2,}\b")


def change_number(english: str, rng: random.Random, dutch: str) -> str | None:
    spots = list(DIGITS.finditer(english))
    if not spots:
        return None
    spot = rng.choice(spots)
    digits = [i for i, c in enumerate(spot.group()) if c.isdigit()]
    text = list(spot.group())
    place = rng.choice(digits)
    text[place] = str((int(text[place]) + rng.randint(1, 8)) % 10)
    if place == 0 and text[0] == "0" and len(digits) > 1:
        text[0] = "9"
    return english[: spot.start()] + "".join(text) + english[spot.end() :]


def drop_number(english: str, rng: random.Random, dutch: str) -> str | None:
    spots = list(DIGITS.finditer(english))
    if not spots:
        return None
    spot = rng.choice(spots)
    return (english[: spot.start()] + english[spot.end() :]).replace("  ", " ")


def swap_name(english: str, rng: random.Random, dutch: str) -> str | None:
    candidates = sorted(
        {m.group() for m in CAPITALISED.finditer(english) if re.search(rf"\b{m.group()}\b", dutch)}
        - set(MONTHS)
        - set(WEEKDAYS)
    )
    if not candidates:
        return None
    name = rng.choice(candidates)
    return re.sub(rf"\b{name}\b", rng.choice(POOL), english)


def change_date(english: str, rng: random.Random, dutch: str) -> str | None:
    spots = list(DATE_WORD.finditer(english))
    if not spots:
        return None
    spot = rng.choice(spots)
    group = MONTHS if spot.group() in MONTHS else WEEKDAYS
    other = rng.choice([word for word in group if word != spot.group()])
    return english[: spot.start()] + other + english[spot.end() :]


def change_scale(english: str, rng: random.Random, dutch: str) -> str | None:
    spots = list(SCALE.finditer(english))
    if not spots:
        return None
    spot = rng.choice(spots)
    return english[: spot.start()] + SCALE_SWAP[spot.group()] + english[spot.end() :]


INJECTIONS: dict[str, Callable[[str, random.Random, str], str | None]] = {
    "number changed": change_number,
    "number dropped": drop_number,
    "name swapped": swap_name,
    "month or weekday changed": change_date,
    "scale changed": change_scale,
}


def read_pairs(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    dutch = next(c for c in ("nld_Latn", "nld") if c in rows[0])
    english = next(c for c in ("eng_Latn", "eng") if c in rows[0])
    return [(row[dutch].strip(), row[english].strip()) for row in rows if row[dutch] and row[english]]


def group_of(findings: list[Finding]) -> str:
    """The kinds of warning a flagged pair has, and which way each went: "name missing, number added"."""
    parts = {
        f"{f.kind.value} {'missing' if 'missing' in f.message else 'added'}"
        for f in findings
        if f.severity is Severity.WARNING
    }
    return ", ".join(sorted(parts))


def show_groups(groups: dict[str, list[str]], show: int) -> None:
    """Up to ``show`` flagged pairs, grouped by their warnings, the largest group first."""
    for group, shown in sorted(groups.items(), key=lambda item: -len(item[1])):
        if show <= 0:
            return
        print(f" {group}: {len(shown)}")
        for text in shown[:show]:
            print(text)
        show -= len(shown[:show])


def measure(pairs: list[tuple[str, str]], seed: int, show: int, missed: int = 0) -> dict[str, object]:
    """False alarms on the clean pairs (``show`` of them printed by group), then recall per injection
    (``missed`` of the injections not caught printed)."""
    rng = random.Random(seed)
    clean_pass: list[tuple[str, str]] = []
    groups: dict[str, list[str]] = {}
    for dutch, english in pairs:
        findings = check_sentence(dutch, english)
        if flagged(findings):
            messages = "; ".join(f.message for f in findings)
            shown = f"  FLAGGED {dutch}\n          {english}\n          {messages}"
            groups.setdefault(group_of(findings), []).append(shown)
        else:
            clean_pass.append((dutch, english))
    false_alarms = sum(map(len, groups.values()))
    show_groups(groups, show)
    recall: dict[str, dict[str, float]] = {}
    for kind, inject in INJECTIONS.items():
        caught = applicable = 0
        for dutch, english in clean_pass:
            broken = inject(english, rng, dutch)
            if broken is None or broken == english:
                continue
            applicable += 1
            hit = flagged(check_sentence(dutch, broken))
            caught += hit
            if not hit and missed > 0:
                missed -= 1
                print(f"  MISSED ({kind}) {dutch}\n          {broken}")
        recall[kind] = {
            "applicable": applicable,
            "caught": caught,
            "recall": caught / applicable if applicable else 0.0,
        }
    kinds = [r["recall"] for r in recall.values() if r["applicable"]]
    return {
        "pairs": len(pairs),
        "flagged": false_alarms,
        "flagged_by_warnings": {group: len(shown) for group, shown in groups.items()},
        "false_alarm_rate": false_alarms / len(pairs),
        "recall": recall,
        "mean_recall": sum(kinds) / len(kinds) if kinds else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--show-flagged", type=int, default=0, help="print this many flagged clean pairs")
    parser.add_argument("--show-missed", type=int, default=0, help="print this many injections not caught")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    report = {}
    for path in args.files:
        started = time.perf_counter()
        result = measure(read_pairs(path), args.seed, args.show_flagged, args.show_missed)
        result["seconds"] = round(time.perf_counter() - started, 1)
        report[path.name] = result
        print(
            f"{path.name}: {result['pairs']} pairs, false alarms {result['flagged']} "
            f"({100 * result['false_alarm_rate']:.1f}%), mean recall {100 * result['mean_recall']:.1f}% "
            f"({result['seconds']} s)"
        )
        for kind, figures in result["recall"].items():
            share = 100 * figures["recall"]
            print(f"    {kind:26} {figures['caught']:4}/{figures['applicable']:<4} {share:.1f}%")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
