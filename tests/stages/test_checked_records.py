"""The summary checks in a process run: a summarizer that invents a number and a name sees both flagged
on its bullet, in the record and on the pages; with --unsupported drop the bullet is removed and the
removal reported. The model is a fake with a recorded history; the translator echoes the Dutch."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from helpers.corpus import write_articles
from helpers.fakes import EchoBackend, FakeGenerator
from helpers.runs import RecordingReporter, model_dir

from pipeline.run.batch import BatchRun
from pipeline.run.contracts import RunOptions, RunSummary
from pipeline.stages.process import ProcessStage
from pipeline.stages.saved import SavedArticle
from pipeline.stages.summarizer import LazySummarizer, SummarizerConfig
from pipeline.stages.translate import LazyTranslator, TranslatorConfig
from pipeline.summarize.templates import RenderedPrompt
from pipeline.translate.translator import TranslateSettings

ARTICLE = (
    "De dijk bij Kampen houdt stand\n\n"
    "De dijk bij Kampen is 12 meter hoog en hield het hoge water dinsdag tegen.\n\n"
    "Het waterschap zette vier pompen in om de polder droog te houden.\n"
)
FAITHFUL = "The dike at Kampen is 12 metres high and held back the high water on Tuesday."
INVENTED = "Mayor Okafor ordered 48 extra pumps for the polder."


@dataclass
class InventingGenerator(FakeGenerator):
    """Answers the bullets prompt with one faithful bullet and one with an invented number and name,
    the headline prompt with a faithful headline; records every prompt (``calls``)."""

    def generate(self, prompts: Sequence[RenderedPrompt], max_new_tokens: int) -> list[str]:
        self.calls.append((list(prompts), max_new_tokens))
        return [
            'Headline: "Kampen dike holds"'
            if "headline" in p.user.lower()
            else f"1. {FAITHFUL}\n2. {INVENTED}"
            for p in prompts
        ]


def run(tmp_path: Path, unsupported: str) -> tuple[RunSummary, Path, InventingGenerator]:
    folder = write_articles(tmp_path / "nieuws", {"2025-10-07-dijk.txt": ARTICLE})
    model = model_dir(tmp_path)
    generator = InventingGenerator(context_tokens=2000)
    summarizer = LazySummarizer(SummarizerConfig(model, device="cpu"), lambda source, options: generator)
    translator = LazyTranslator(
        TranslatorConfig(model, "torch", TranslateSettings()), lambda s, o: EchoBackend()
    )
    out = tmp_path / f"out-{unsupported}"
    stage = ProcessStage(translator, summarizer, unsupported)
    return BatchRun(RunOptions([str(folder)], out), stage, RecordingReporter()).run(), out, generator


def test_an_invented_number_and_name_are_flagged_on_their_bullet_and_marked_on_the_pages(
    tmp_path: Path,
) -> None:
    summary, out, generator = run(tmp_path, "flag")
    assert summary.count("ok") == 1 and generator.calls
    record = json.loads((out / "2025-10-07-dijk.json").read_text(encoding="utf-8"))
    assert record["bullets"] == [FAITHFUL, INVENTED]
    faithful, invented = record["checks"]["bullets"]
    assert not faithful["flagged"] and faithful["evidence"][0]["paragraph"] == 0
    assert invented["flagged"]
    assert {(f["kind"], f["text"]) for f in invented["findings"]} == {("number", "48"), ("name", "Okafor")}
    assert not record["checks"]["headline"]["flagged"]
    saved = SavedArticle.from_dict(record)
    assert saved.checks is not None and [c.flagged for c in saved.checks.bullets] == [False, True]
    page = (out / "2025-10-07-dijk.html").read_text(encoding="utf-8")
    assert "Check: number &#x27;48&#x27; is not in the article" in page or "Check: number '48'" in page
    assert '<li class="flagged">' in page and 'href="#p1"' in page
    markdown = (out / "2025-10-07-dijk.md").read_text(encoding="utf-8")
    assert "name 'Okafor' is not in the article" in markdown
    assert summary.checks() == {"checked": 1, "flagged": 1, "findings": 2}


def test_drop_removes_the_bullet_and_says_so(tmp_path: Path) -> None:
    summary, out, _ = run(tmp_path, "drop")
    record = json.loads((out / "2025-10-07-dijk.json").read_text(encoding="utf-8"))
    assert record["bullets"] == [FAITHFUL]
    [dropped] = record["checks"]["dropped"]
    assert dropped["text"] == INVENTED and dropped["flagged"]
    assert any(
        w.startswith("bullet 2 was left out (--unsupported drop)") and "'48'" in w for w in record["warnings"]
    )
    assert record["checks"]["unsupported"] == "drop"
    [outcome] = summary.outcomes
    assert outcome.stats["bullets_dropped"] == 1
    assert "left out" in (out / "2025-10-07-dijk.md").read_text(encoding="utf-8")
