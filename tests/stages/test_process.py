"""The process stage reuses translations through the translation memory alone: a run the memory
answers whole loads no translator; --no-cache (no memory) translates again. The summarizer's decoding
is recorded, and a model that fails on one article fails only that article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.corpus import write_articles
from helpers.fakes import FakeGenerator
from helpers.runs import CountingFactory, RecordingReporter, model_dir

from pipeline.run.batch import BatchRun
from pipeline.run.contracts import RunOptions, RunSummary
from pipeline.stages.process import ProcessStage, SummarizeStage
from pipeline.stages.summarizer import LazySummarizer, SummarizerConfig
from pipeline.stages.translate import LazyTranslator, TranslateStage, TranslatorConfig
from pipeline.translate.translator import TranslateSettings

ARTICLES = {
    "2025-10-07-dijk.txt": "Dijk versterkt\n\nDe gemeente meldt dat de dijk wordt versterkt. Het begint.\n",
    "2025-10-07-brug.txt": "Brug dicht\n\nDe brug over de Maas is een week dicht. Fietsers nemen de pont.\n",
    "2025-10-07-english.txt": "Dyke works\n\nThe council says the dyke will be strengthened next spring.\n",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_articles(tmp_path / "nieuws", ARTICLES)


def translator(model: str, factory: CountingFactory, memory: Path | None) -> LazyTranslator:
    return LazyTranslator(TranslatorConfig(model, "torch", TranslateSettings(), memory_path=memory), factory)


@pytest.fixture
def model(tmp_path: Path) -> str:
    return model_dir(tmp_path)  # once: a local model's revision changes when its files are written


def process(corpus: Path, model: str, out: Path, memory: Path | None) -> tuple[RunSummary, CountingFactory]:
    """One `nlbrief process` run, as if in a process of its own: its own stage, models and factory."""
    factory = CountingFactory()
    generator = FakeGenerator(context_tokens=2000)
    summarizer = LazySummarizer(SummarizerConfig(model, device="cpu"), lambda source, options: generator)
    stage = ProcessStage(translator(model, factory, memory), summarizer)
    return BatchRun(RunOptions([str(corpus)], out), stage, RecordingReporter()).run(), factory


def translations(out: Path) -> dict[str, object]:
    return {p.name: json.loads(p.read_text("utf-8"))["translation"] for p in sorted(out.glob("*.json"))}


def test_a_second_run_over_the_same_articles_is_answered_by_the_memory_and_loads_no_translator(
    corpus: Path, model: str, tmp_path: Path
) -> None:
    memory = tmp_path / "memory.sqlite3"
    first, made = process(corpus, model, tmp_path / "first", memory)
    assert first.count("ok") == 3 and made.loads == 1
    second, remembered = process(corpus, model, tmp_path / "second", memory)
    assert second.count("ok") == 3 and remembered.loads == 0 and remembered.backend.encoded == 0
    assert translations(tmp_path / "second") == translations(tmp_path / "first")
    record = json.loads((tmp_path / "second" / "2025-10-07-dijk.json").read_text("utf-8"))
    assert record["timings"]["translator_load_s"] == 0 and record["translation"]["reused_from"] is None


def test_without_a_memory_every_run_translates_again(corpus: Path, model: str, tmp_path: Path) -> None:
    for out in ("first", "second"):
        summary, factory = process(corpus, model, tmp_path / out, None)
        assert summary.count("ok") == 3 and factory.loads == 1
    assert translations(tmp_path / "second") == translations(tmp_path / "first")


def test_a_translate_run_fills_the_memory_that_process_reads(
    corpus: Path, model: str, tmp_path: Path
) -> None:
    memory, factory = tmp_path / "memory.sqlite3", CountingFactory()
    stage = TranslateStage(translator(model, factory, memory), "json")
    options = RunOptions([str(corpus)], tmp_path / "translated")
    translated = BatchRun(options, stage, RecordingReporter()).run()
    assert translated.count("ok") == 3 and factory.loads == 1
    summary, remembered = process(corpus, model, tmp_path / "processed", memory)
    assert summary.count("ok") == 3 and remembered.loads == 0


def test_an_english_article_needs_no_translator(corpus: Path, model: str, tmp_path: Path) -> None:
    for name in ("2025-10-07-dijk.txt", "2025-10-07-brug.txt"):
        (corpus / name).unlink()
    summary, factory = process(corpus, model, tmp_path / "out", None)
    assert summary.count("ok") == 1 and factory.loads == 0
    assert translations(tmp_path / "out")["2025-10-07-english.json"]["passthrough"] is True


# --- the decoding settings nlbrief chooses are recorded ------------------------------------------


def test_the_decoding_settings_are_in_the_provenance_and_the_fingerprint(tiny_models_dir: Path) -> None:
    summarizer = LazySummarizer(SummarizerConfig(str(tiny_models_dir / "chat-summarizer"), device="cpu"))
    decoding = summarizer.provenance()["summarizer_settings"]["decoding"]
    # Greedy, and nothing of a generation_config.json: Qwen2.5's repetition_penalty 1.1, BART-CNN's
    # beams, lengths and n-gram rule are set back to neutral, and a change of them redoes the records.
    assert decoding["do_sample"] is False and decoding["num_beams"] == 1
    assert decoding["repetition_penalty"] == 1.0 and decoding["no_repeat_ngram_size"] == 0
    assert summarizer.fingerprint_fields()["decoding"] == decoding


# --- a model that fails on one article fails that article, not the run -------------------------


class FailsOn(FakeGenerator):
    """Raises what a model's generate() raises (an IndexError) for a prompt holding ``marker``."""

    def __init__(self, marker: str) -> None:
        super().__init__(context_tokens=2000)
        self.marker = marker

    def generate(self, prompts, max_new_tokens):  # type: ignore[no-untyped-def]
        if any(self.marker in p.user for p in prompts):
            self.calls.append((list(prompts), max_new_tokens))
            raise IndexError("index out of range in self")
        return super().generate(prompts, max_new_tokens)


FAILING = {
    "process": {
        "2025-10-07-a.txt": "Dijk\n\nDe gemeente meldt FACT01 dat de dijk wordt versterkt. Het begint.\n",
        "2025-10-07-b.txt": "Brug\n\nDe brug over de Maas is EXPLODE een week dicht. Fietsers varen.\n",
        "2025-10-07-c.txt": "Haven\n\nDe haven FACT03 telde minder containers. De oorzaak is de economie.\n",
    },
    "summarize": {
        "2025-10-07-a.txt": "Dyke\n\nThe council says FACT01 that the dyke will be raised next year.\n",
        "2025-10-07-b.txt": "Bridge\n\nThe bridge over the Meuse is EXPLODE closed for a week. No ferry.\n",
        "2025-10-07-c.txt": "Port\n\nThe port FACT03 handled fewer containers. The economy is to blame.\n",
    },
}


@pytest.mark.parametrize("group", [1, 8], ids=["one-at-a-time", "grouped"])
@pytest.mark.parametrize("command", ["process", "summarize"])
def test_a_model_error_on_one_article_fails_that_article_and_the_others_are_written(
    command: str, group: int, model: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a GPU articles are summarized in groups: a failed group is retried an article at a time.
    monkeypatch.setattr(LazySummarizer, "group_size", property(lambda self: group))
    corpus = write_articles(tmp_path / "nieuws", FAILING[command])  # the fake translator keeps EXPLODE
    generator = FailsOn("EXPLODE")
    summarizer = LazySummarizer(SummarizerConfig(model, device="cpu"), lambda source, options: generator)
    if command == "process":
        translating = translator(model, CountingFactory(), None)
        stage: ProcessStage | SummarizeStage = ProcessStage(translating, summarizer)
    else:
        stage = SummarizeStage(summarizer)
    out = tmp_path / "out"
    summary = BatchRun(RunOptions([str(corpus)], out), stage, RecordingReporter()).run()

    assert summary.exit_code == 1 and summary.count("ok") == 2 and summary.count("failed") == 1
    [failed] = [o for o in summary.outcomes if o.status == "failed"]
    assert failed.input == str(corpus / "2025-10-07-b.txt")
    assert failed.error is not None and "\n" not in failed.error
    assert failed.error.startswith(f"{failed.input}: ") and "IndexError: index out of range" in failed.error
    assert failed.reason and "summarizer" in failed.reason and failed.input not in failed.reason
    assert sorted(p.name for p in out.glob("*.json")) == ["2025-10-07-a.json", "2025-10-07-c.json"]
    assert not list(out.glob("2025-10-07-b.*"))
    lines = {Path(line["input"]).name: line for line in map(json.loads, (out / "manifest.jsonl").open())}
    assert lines["2025-10-07-b.txt"]["status"] == "failed" and lines["2025-10-07-b.txt"]["outputs"] == {}
    assert lines["2025-10-07-b.txt"]["error"] == failed.error
    # the next run redoes only the failed article
    again = BatchRun(RunOptions([str(corpus)], out), stage, RecordingReporter()).run()
    assert again.count("skipped") == 2 and again.count("failed") == 1


def test_articles_are_summarized_in_groups_of_similar_length_each_keeping_its_own_summary(
    model: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LazySummarizer, "group_size", property(lambda self: 2))
    words = {"a": 6, "b": 40, "c": 12, "d": 30}  # article -> how many words its text has
    corpus = write_articles(
        tmp_path / "nieuws",
        {
            f"2025-10-07-{k}.txt": f"Titel {k}\n\nFACT{k.upper()} " + "woord " * n + "eind.\n"
            for k, n in words.items()
        },
    )
    generator = FakeGenerator(context_tokens=2000)
    summarizer = LazySummarizer(SummarizerConfig(model, device="cpu"), lambda source, options: generator)
    stage = SummarizeStage(summarizer)
    out = tmp_path / "out"
    summary = BatchRun(RunOptions([str(corpus)], out, include=["*.txt"]), stage, RecordingReporter()).run()
    assert summary.count("ok") == 4
    bullet_calls = [
        [p.user for p in prompts]
        for prompts, _ in generator.calls
        if "headline" not in prompts[0].user.lower()
    ]
    grouped = [sorted(k for k in words if f"FACT{k.upper()}" in " ".join(call)) for call in bullet_calls]
    assert grouped == [["b", "d"], ["a", "c"]]  # the longest two first, then the others
    for k in words:  # each record has the summary of its own article
        record = json.loads((out / f"2025-10-07-{k}.json").read_text(encoding="utf-8"))
        assert record["bullets"] == [f"Point about FACT{k.upper()}"]


def test_a_wave_of_articles_is_shared_into_the_fewest_even_groups(
    model: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 5 articles at most 4 a group: 3 and 2 (one decoding pass each), not 4 and a lone 1.
    monkeypatch.setattr(LazySummarizer, "group_size", property(lambda self: 4))
    texts = {f"2025-10-07-{k}.txt": f"Titel {k}\n\nFACT{k.upper()} " + "woord " * (5 * n) + "eind.\n"
             for n, k in enumerate("abcde", start=1)}  # fmt: skip
    corpus = write_articles(tmp_path / "nieuws", texts)
    generator = FakeGenerator(context_tokens=2000)
    summarizer = LazySummarizer(SummarizerConfig(model, device="cpu"), lambda source, options: generator)
    out = tmp_path / "out"
    summary = BatchRun(RunOptions([str(corpus)], out), SummarizeStage(summarizer), RecordingReporter()).run()
    assert summary.count("ok") == 5
    bullet_calls = [prompts for prompts, _ in generator.calls if "headline" not in prompts[0].user.lower()]
    groups = [
        sorted(k for k in "abcde" if any(f"FACT{k.upper()}" in p.user for p in call)) for call in bullet_calls
    ]
    assert groups == [["c", "d", "e"], ["a", "b"]]  # the longest first
