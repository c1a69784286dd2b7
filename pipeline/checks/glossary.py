"""A glossary the user owns: Dutch terms and the English renderings they accept.

    # glossary.toml
    "Tweede Kamer" = ["House of Representatives", "Lower House"]
    "Rijkswaterstaat" = "Rijkswaterstaat"

Every occurrence of a term in a Dutch sentence must meet one of its renderings in the English; each
occurrence without one is a finding. Matching ignores case and diacritics and respects word boundaries,
so "kamer" inside "Kamerleden" is no occurrence of "Tweede Kamer".
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.checks.findings import Finding, Kind, Severity
from pipeline.checks.lexicon import fold
from pipeline.errors import UsageError


@functools.lru_cache(maxsize=4096)
def _pattern(phrase: str) -> re.Pattern[str]:
    words = fold(phrase).split()
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)")


@dataclass(frozen=True)
class Glossary:
    terms: Mapping[str, tuple[str, ...]]  # Dutch term -> accepted English renderings

    @classmethod
    def load(cls, path: Path) -> Glossary:
        """Read a TOML glossary; UsageError naming the file and the fix when it is not one."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise UsageError(f"--glossary {path}: cannot be read ({err.strerror or err})") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise UsageError(
                f'--glossary {path}: not a TOML file ({err}); write one term a line: "Dutch term" = '
                '["English rendering", ...]'
            ) from None
        return cls.from_mapping(data, str(path))

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], where: str = "the glossary") -> Glossary:
        terms: dict[str, tuple[str, ...]] = {}
        for term, value in data.items():
            renderings = [value] if isinstance(value, str) else value
            if (
                not isinstance(renderings, list)
                or not renderings
                or not all(isinstance(r, str) and r.strip() for r in renderings)
                or not fold(term).split()
            ):
                raise UsageError(
                    f"--glossary {where}: {term!r} needs an English rendering or a list of them, "
                    f'e.g. "{term}" = ["rendering", "another"]'
                )
            terms[term] = tuple(renderings)
        return cls(terms)

    def digest(self) -> str:
        """Changes whenever a term or rendering does, not when the file is only laid out anew."""
        canonical = json.dumps(
            {t: list(r) for t, r in self.terms.items()}, sort_keys=True, ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]

    def check(self, source: str, output: str) -> list[Finding]:
        """A finding for each occurrence of a term in ``source`` that ``output`` renders in none of the
        accepted ways (counted: a term said twice needs two renderings)."""
        folded_source, folded_output = fold(source), fold(output)
        findings = []
        for term, renderings in self.terms.items():
            wanted = len(_pattern(term).findall(folded_source))
            given = sum(len(_pattern(r).findall(folded_output)) for r in renderings)
            if wanted > given:
                accepted = " or ".join(repr(r) for r in renderings)
                findings += [
                    Finding(
                        Kind.GLOSSARY,
                        Severity.WARNING,
                        term,
                        f"glossary term {term!r} is not rendered as {accepted}",
                    )
                ] * (wanted - given)
        return findings
