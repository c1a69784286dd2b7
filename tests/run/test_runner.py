"""The translate run on real files with a fake backend: outputs, manifest, resume, failures."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.fakes import FakeBackend, FakeGenerator
from helpers.runs import CountingFactory, RecordingReporter, TranslateJob, TranslateRun, model_dir

from pipeline.errors import ModelNotAvailable, UsageError
from pipeline.ingest import reading
from pipeline.run.batch import BatchRun
from pipeline.run.contracts import FileOutcome, RunOptions, RunSummary, Status, parse_size
from pipeline.run.files import sha256_bytes
from pipeline.run.interrupt import checkpoint, request_stop, stop_on_sigint
from pipeline.run.progress import ConsoleReporter
from pipeline.run.warning_groups import bound_warnings, warning_lines
from pipeline.stages.process import ProcessStage
from pipeline.stages.summarizer import LazySummarizer, SummarizerConfig
from pipeline.stages.translate import LazyTranslator, TranslateStage, TranslatorConfig
from pipeline.translate.translator import TranslateSettings

ARTICLE = """date 2025-10-02 Het college van Utrecht wil meer fietsenstallingen bij het station.
Volgens de wethouder is de vraag de afgelopen jaren sterk gegroeid.
Kosten
De plannen kosten ongeveer 12 miljoen euro. De gemeenteraad beslist in december.
"""


def statuses(summary: RunSummary) -> dict[str, str]:
    return {Path(o.input).name: o.status for o in summary.outcomes}


def run(job: TranslateJob, factory: CountingFactory | None = None) -> tuple[RunSummary, CountingFactory]:
    factory = factory or CountingFactory()
    summary = TranslateRun(job, RecordingReporter(), backend_factory=factory).run()
    return summary, factory


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "sub" / "b.md").write_text(
        "# Weerbericht\n\nMorgen wordt het zonnig. Het blijft droog.\n", encoding="utf-8"
    )
    return root


def test_outputs_mirror_the_tree_and_the_manifest_has_a_line_per_input(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary, factory = run(TranslateJob([str(corpus)], out, model=model_dir(tmp_path)))
    assert summary.exit_code == 0 and summary.count(Status.OK) == 2
    assert (out / "a.txt").is_file() and (out / "sub" / "b.txt").is_file()
    text = (out / "a.txt").read_text()
    assert text.startswith("date 2025-10-02\n\nHET COLLEGE VAN UTRECHT")
    assert "\n\nKOSTEN\n\n" in text
    records = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert {r["input"] for r in records} == {str(corpus / "a.txt"), str(corpus / "sub" / "b.md")}
    for record in records:
        assert {
            "input",
            "output",
            "status",
            "error",
            "sha256",
            "model",
            "settings",
            "timings",
            "warnings",
        } <= set(record)
        assert record["status"] == "ok"
    assert factory.loads == 1


def test_a_rerun_skips_everything_without_loading_the_model(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    job = TranslateJob([str(corpus)], out, model=model_dir(tmp_path))
    run(job)
    summary, factory = run(job)
    assert summary.count(Status.SKIPPED) == 2 and summary.count(Status.OK) == 0
    assert factory.loads == 0


def test_a_rerun_redoes_changed_inputs_settings_and_deleted_outputs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    model = model_dir(tmp_path)
    run(TranslateJob([str(corpus)], out, model=model))
    (corpus / "a.txt").write_text(ARTICLE + "Een nieuwe laatste zin.\n", encoding="utf-8")
    summary, _ = run(TranslateJob([str(corpus)], out, model=model))
    assert statuses(summary) == {"a.txt": "ok", "b.md": "skipped"}
    (out / "sub" / "b.txt").unlink()
    summary, _ = run(TranslateJob([str(corpus)], out, model=model))
    assert statuses(summary) == {"a.txt": "skipped", "b.md": "ok"}
    summary, _ = run(TranslateJob([str(corpus)], out, model=model, settings=TranslateSettings(beams=1)))
    assert summary.count(Status.OK) == 2
    summary, _ = run(
        TranslateJob([str(corpus)], out, model=model, settings=TranslateSettings(beams=1), force=True)
    )
    assert summary.count(Status.OK) == 2


def test_bad_files_fail_alone_with_a_message(corpus: Path, tmp_path: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (corpus / "duits.txt").write_text(
        "Die Regierung hat am Montag gesagt, dass sie die Steuern nicht erhöhen wird. Das ist nicht neu.\n"
    )
    out = tmp_path / "out"
    summary, _ = run(TranslateJob([str(corpus), str(tmp_path / "missing")], out, model=model_dir(tmp_path)))
    failed = {Path(o.input).name: o.error for o in summary.outcomes if o.status == "failed"}
    assert set(failed) == {"empty.txt", "image.txt", "duits.txt", "missing"}
    assert "German" in failed["duits.txt"] and "--no-language-check" in failed["duits.txt"]
    assert all("\n" not in message for message in failed.values())
    assert summary.count(Status.OK) == 2 and summary.exit_code == 1


def test_a_missing_model_stops_the_run_before_any_file_with_the_fix(corpus: Path, tmp_path: Path) -> None:
    job = TranslateJob([str(corpus)], tmp_path / "out", model=str(tmp_path / "no-such-model"))
    reporter = RecordingReporter()
    with pytest.raises(ModelNotAvailable) as caught:
        TranslateRun(job, reporter).run()
    assert "--translator-model" in str(caught.value) and "does not exist" in str(caught.value)
    assert reporter.events == [] and not (tmp_path / "out").exists()


def test_the_output_folder_inside_the_input_is_never_read(corpus: Path, tmp_path: Path) -> None:
    out = corpus / "translations"
    model = model_dir(tmp_path)
    run(TranslateJob([str(corpus)], out, model=model))
    summary, _ = run(TranslateJob([str(corpus)], out, model=model, force=True))
    assert sorted(Path(o.input).name for o in summary.outcomes) == ["a.txt", "b.md"]


def test_stdin_goes_to_stdout_without_files(tmp_path: Path) -> None:
    printed: list[str] = []
    job = TranslateJob(["-"], tmp_path / "out", model=model_dir(tmp_path), to_stdout=True)
    run_ = TranslateRun(
        job,
        RecordingReporter(),
        backend_factory=CountingFactory(),
        read_stdin=lambda: b"Goedemorgen allemaal. Het regent.\n",
        emit=printed.append,
    )
    summary = run_.run()
    assert summary.count(Status.OK) == 1
    assert printed == ["GOEDEMORGEN ALLEMAAL. HET REGENT.\n"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_other_formats(corpus: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    run(TranslateJob([str(corpus / "sub" / "b.md")], out, fmt=fmt, model=model_dir(tmp_path)))
    produced = out / f"b.{fmt}"
    text = produced.read_text()
    if fmt == "md":
        assert text.startswith("---\n") and "# WEERBERICHT" in text
    else:
        record = json.loads(text)
        assert (
            record["title"] == "WEERBERICHT"
            and record["paragraphs"][0]["sentences"][1]["source"] == "Het blijft droog."
        )
        assert record["sha256"] and record["provenance"]["model"]


def test_naming_the_input_another_way_still_skips(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    model = model_dir(tmp_path)
    run(TranslateJob([str(corpus)], out, model=model))
    monkeypatch.chdir(corpus.parent)
    summary, factory = run(TranslateJob(["in/"], Path("out"), model=model))
    assert summary.count(Status.SKIPPED) == 2 and factory.loads == 0


def test_reruns_keep_one_manifest_line_per_input(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    model = model_dir(tmp_path)
    for _ in range(3):
        run(TranslateJob([str(corpus)], out, model=model))
    (corpus / "a.txt").write_text(ARTICLE + "Nog een zin.\n", encoding="utf-8")
    run(TranslateJob([str(corpus)], out, model=model))
    records = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert sorted(Path(r["source"]).name for r in records) == ["a.txt", "b.md"]
    assert all(Path(r["source"]).is_absolute() for r in records)
    (new_a,) = [r for r in records if r["source"].endswith("a.txt")]
    assert new_a["sha256"] == sha256_bytes((corpus / "a.txt").read_bytes())


def test_a_file_over_the_size_limit_is_refused_unread(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (corpus / "dump.txt").write_text("Het regent. " * 200, encoding="utf-8")  # 2.4 KB
    read: list[str] = []
    real_read = reading._read_bytes
    monkeypatch.setattr(
        reading, "_read_bytes", lambda name, how: read.append(Path(name).name) or real_read(name, how)
    )
    translator = LazyTranslator(
        TranslatorConfig(model_dir(tmp_path), "torch", TranslateSettings()), CountingFactory()
    )
    options = RunOptions([str(corpus)], tmp_path / "out", max_file_size=parse_size("1KB"))
    summary = BatchRun(options, TranslateStage(translator), RecordingReporter()).run()
    assert statuses(summary) == {"a.txt": "ok", "b.md": "ok", "dump.txt": "failed"}
    (error,) = [o.error for o in summary.outcomes if o.status == "failed"]
    assert error == (
        f"{corpus / 'dump.txt'}: is 2.3 KB, over the 1.0 KB limit; split it, or raise --max-file-size "
        "if it really is one article"
    )
    assert "dump.txt" not in read


def test_a_usage_error_inside_the_run_ends_it_and_is_raised(corpus: Path, tmp_path: Path) -> None:
    """Not a failure of the file in hand: the run stops, records nothing, and the error reaches the
    CLI as it would before the run (exit 2, its one line)."""

    def unusable(source: object, options: object) -> FakeBackend:
        raise UsageError("--threads 0 cannot run here; pass --threads 1 or more")

    reporter = RecordingReporter()
    job = TranslateJob([str(corpus)], tmp_path / "out", model=model_dir(tmp_path))
    run = TranslateRun(job, reporter, unusable)
    with pytest.raises(UsageError, match="--threads 0 cannot run here"):
        run.run()
    assert not (tmp_path / "out" / "manifest.jsonl").exists()
    kinds = [kind for kind, _ in reporter.events]
    assert "file" not in kinds and "finish" not in kinds and kinds[-1] == "abort"


@pytest.mark.parametrize(
    ("text", "size"), [("20MB", 20 * 2**20), ("500kb", 500 * 1024), ("1.5G", 3 * 2**29), ("7", 7 * 2**20)]
)
def test_sizes_are_read_with_their_units(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["lots", "-1MB", "0", "12 parsecs", ""])
def test_a_bad_size_names_the_option_and_the_form(text: str) -> None:
    with pytest.raises(UsageError, match="--max-file-size .* write e.g. 20MB"):
        parse_size(text)


class StopAfterFirstBatch(CountingFactory):
    """A backend whose first batch is followed by Ctrl-C, as if the user pressed it then."""

    def __call__(self, source, options):
        backend = super().__call__(source, options)
        generate = backend.generate

        def generate_then_stop(batch, max_new_tokens, beams=None):
            request_stop()
            return generate(batch, max_new_tokens, beams)

        backend.generate = generate_then_stop
        return backend


def test_a_stop_request_ends_the_run_after_the_batch_and_a_rerun_finishes(
    corpus: Path, tmp_path: Path
) -> None:
    for n in range(6):
        (corpus / f"extra-{n}.txt").write_text(
            f"Bericht {n}. Het regent weer in de stad.\n", encoding="utf-8"
        )
    out = tmp_path / "out"
    translator = LazyTranslator(
        TranslatorConfig(model_dir(tmp_path), "torch", TranslateSettings()), StopAfterFirstBatch()
    )
    options = RunOptions([str(corpus)], out, wave_chars=1)  # one document per wave
    with stop_on_sigint():  # starts and ends with no stop requested
        summary = BatchRun(options, TranslateStage(translator), RecordingReporter()).run()
    assert summary.interrupted and summary.exit_code == 130
    assert summary.count(Status.NOT_DONE) == 8  # the first wave's document was cut short, and the rest wait
    assert summary.as_dict()["not_done"] == 8 and not (out / "manifest.jsonl").exists()
    assert not list(out.rglob("*.txt"))

    summary, _ = run(TranslateJob([str(corpus)], out, model=model_dir(tmp_path)))
    assert summary.count(Status.OK) == 8 and not summary.interrupted


def test_without_a_terminal_big_batches_log_progress_by_tenths() -> None:
    stream = io.StringIO()
    reporter = ConsoleReporter(stream=stream)
    for done in range(0, 1001, 50):
        reporter.segments(done, 1000)
    reporter.segments(10, 20)  # small batches say nothing
    lines = stream.getvalue().splitlines()
    assert lines[0] == "progress: 0/1000 sentences of this batch of documents"
    assert lines[-1] == "progress: 1000/1000 sentences of this batch of documents"
    assert len(lines) == 11
    quiet = io.StringIO()
    ConsoleReporter(quiet=True, stream=quiet).segments(500, 1000)
    assert quiet.getvalue() == ""


def test_stdin_past_the_size_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    class EndlessPipe:
        """Stands in for sys.stdin.buffer: a pipe that never ends unless the reader stops."""

        asked: list[int] = []

        def read(self, size: int = -1) -> bytes:
            self.asked.append(size)
            assert size > 0, "an unbounded read of an endless pipe never returns"
            return b"Het regent. " * (size // 12 + 1)

    pipe = EndlessPipe()
    options = RunOptions(["-"], tmp_path / "out", to_stdout=True, max_file_size=parse_size("2KB"))
    translator = LazyTranslator(
        TranslatorConfig(model_dir(tmp_path), "torch", TranslateSettings()), CountingFactory()
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", type("Stdin", (), {"buffer": pipe})())
        summary = BatchRun(
            options, TranslateStage(translator), RecordingReporter(), emit=lambda _: None
        ).run()
    assert pipe.asked == [2049]
    (outcome,) = summary.outcomes
    assert outcome.status == "failed" and "over the 2.0 KB limit" in (outcome.error or "")


def test_the_end_line_names_what_the_command_did() -> None:
    stream = io.StringIO()
    ConsoleReporter(stream=stream, verb="summarized").finish(
        RunSummary([FileOutcome("a.txt", Status.OK)], [], 1.0)
    )
    assert stream.getvalue() == "1 summarized, 0 skipped (up to date), 0 failed in 1.0 s\n"


def test_an_output_edited_by_hand_is_kept_unless_forced(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    model = model_dir(tmp_path)
    run(TranslateJob([str(corpus)], out, model=model))
    corrected = out / "sub" / "b.txt"
    corrected.write_text("WEATHER REPORT\n\nTomorrow will be sunny. It stays dry.\n", encoding="utf-8")
    edit = corrected.read_bytes()

    # nothing changed but the output: the edit stands for the translation, and a note says so
    reporter = RecordingReporter()
    summary = TranslateRun(TranslateJob([str(corpus)], out, model=model), reporter, CountingFactory()).run()
    assert statuses(summary) == {"a.txt": "skipped", "b.md": "skipped"} and summary.exit_code == 0
    assert summary.notes == [
        f"kept {corrected}: edited by hand since nlbrief wrote it; pass --force to replace it"
    ]

    # new settings (or a changed input) would replace it: that input is refused, the other redone
    summary, _ = run(TranslateJob([str(corpus)], out, model=model, settings=TranslateSettings(beams=1)))
    assert statuses(summary) == {"a.txt": "ok", "b.md": "failed"} and summary.exit_code == 1
    (error,) = [o.error for o in summary.outcomes if o.status == "failed"]
    assert error == (
        f"{corrected}: edited by hand since nlbrief wrote it; rename it to keep it, "
        "or pass --force to replace it"
    )
    assert corrected.read_bytes() == edit
    # the refusal is not recorded over the line that made the output, so the next run refuses again
    summary, _ = run(TranslateJob([str(corpus)], out, model=model, settings=TranslateSettings(beams=1)))
    assert statuses(summary) == {"a.txt": "skipped", "b.md": "failed"}
    assert corrected.read_bytes() == edit

    summary, _ = run(
        TranslateJob([str(corpus)], out, model=model, settings=TranslateSettings(beams=1), force=True)
    )
    assert summary.count(Status.OK) == 2 and corrected.read_text().startswith("WEERBERICHT")


def test_a_failed_run_in_between_does_not_forget_what_nlbrief_wrote(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    model = model_dir(tmp_path)
    run(TranslateJob([str(corpus)], out, model=model))
    # a run in which a.txt fails (here: it was saved in German by mistake) records a failed line
    german = "Der Stadtrat hat am Dienstag beschlossen, dass die alte Brücke im Sommer abgerissen wird.\n"
    (corpus / "a.txt").write_text(german * 3, encoding="utf-8")
    failed, _ = run(TranslateJob([str(corpus)], out, model=model))
    assert statuses(failed) == {"a.txt": "failed", "b.md": "skipped"}
    (corpus / "a.txt").write_text(ARTICLE + "Een nieuwe laatste zin.\n", encoding="utf-8")
    (out / "a.txt").write_text("A CORRECTED TRANSLATION\n", encoding="utf-8")  # after the failed run
    summary, _ = run(TranslateJob([str(corpus)], out, model=model))
    assert statuses(summary) == {"a.txt": "failed", "b.md": "skipped"}
    assert (out / "a.txt").read_text(encoding="utf-8") == "A CORRECTED TRANSLATION\n"


def test_the_end_line_and_the_json_summary_say_where_the_outputs_went(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "outputs" / "articles"
    outcomes = [FileOutcome("a.txt", Status.OK)]
    summary = RunSummary(outcomes, [], 1.0, output_dir=str(out), manifest=str(out / "m"))
    stream = io.StringIO()
    ConsoleReporter(stream=stream, verb="processed").finish(summary)
    assert stream.getvalue() == (
        "1 processed, 0 skipped (up to date), 0 failed in 1.0 s -> outputs/articles "
        "(manifest outputs/articles/m)\n"
    )
    assert (summary.as_dict()["output_dir"], summary.as_dict()["manifest"]) == (str(out), str(out / "m"))
    elsewhere = tmp_path.parent / "elders"  # outside the current folder: the path as it is
    stream = io.StringIO()
    ConsoleReporter(stream=stream).finish(RunSummary([], [], 1.0, output_dir=str(elsewhere)))
    assert stream.getvalue().endswith(f" -> {elsewhere}\n")


@dataclass
class StopAfterArticles(FakeGenerator):
    """A summarizer model whose user presses Ctrl-C once ``articles`` headlines are written; like a
    real one it stops at the next batch it is given."""

    articles: int = 0

    def generate(self, prompts, max_new_tokens):
        checkpoint()
        answers = super().generate(prompts, max_new_tokens)
        if "headline" in prompts[0].user.lower():
            self.articles -= len(prompts)
            if self.articles <= 0:
                request_stop()
        return answers


def process_stage(model: str, generator: FakeGenerator) -> ProcessStage:
    translator = LazyTranslator(TranslatorConfig(model, "torch", TranslateSettings()), CountingFactory())
    # one article at a time, as on a CPU in float32 (--summary-batch 1), whatever CPU runs the tests
    summarizer = LazySummarizer(
        SummarizerConfig(model, device="cpu", batch=1), lambda source, options: generator
    )
    return ProcessStage(translator, summarizer)


def test_each_article_is_saved_when_its_summary_is_done_so_a_stop_keeps_it(tmp_path: Path) -> None:
    folder = tmp_path / "nieuws"
    folder.mkdir()
    for n in range(5):
        (folder / f"bericht-{n}.txt").write_text(
            f"De gemeente meldt FACT{n} dat de dijk wordt versterkt. Het werk begint in het voorjaar.\n",
            encoding="utf-8",
        )
    out = tmp_path / "out"
    options = RunOptions([str(folder)], out)  # the five articles are one wave
    model, reporter = model_dir(tmp_path), RecordingReporter()
    stopping = StopAfterArticles(context_tokens=2000, articles=2)
    with stop_on_sigint():
        summary = BatchRun(options, process_stage(model, stopping), reporter).run()
    assert summary.interrupted and summary.count(Status.OK) == 2 and summary.count(Status.NOT_DONE) == 3
    saved = sorted(p.name for p in out.iterdir() if p.suffix in {".json", ".md"})
    assert saved == ["bericht-0.json", "bericht-0.md", "bericht-1.json", "bericht-1.md"]
    lines = [json.loads(line) for line in (out / "manifest.jsonl").read_text("utf-8").splitlines()]
    assert [Path(line["output"]).name for line in lines] == ["bericht-0.json", "bericht-1.json"]
    assert [event for kind, event in reporter.events if kind == "summarized"] == [(0, 5), (1, 5), (2, 5)]

    rest = process_stage(model, FakeGenerator(context_tokens=2000))
    summary = BatchRun(options, rest, RecordingReporter()).run()
    assert statuses(summary) == {f"bericht-{n}.txt": "skipped" if n < 2 else "ok" for n in range(5)}


def test_thousands_of_overlong_sentences_give_one_warning_line_and_a_small_manifest_line(
    tmp_path: Path,
) -> None:
    # 15 tokens with the end of sentence, over the fake model's limit of 8
    long_sentence = "De raad bespreekt vandaag weer het plan voor een nieuwe brug over de rivier."
    source = tmp_path / "2025-10-06-lang.txt"  # dated by its name: no file-date warning
    source.write_text((long_sentence + " ") * 3000 + "\nHet regent.\n", encoding="utf-8")
    factory = CountingFactory()
    factory.backend = FakeBackend(max_input_tokens=8)
    stream = io.StringIO()
    job = TranslateJob([str(source)], tmp_path / "out", fmt="json", model=model_dir(tmp_path))
    summary = TranslateRun(job, ConsoleReporter(stream=stream), backend_factory=factory).run()
    assert summary.count(Status.OK) == 1

    warned = [line for line in stream.getvalue().splitlines() if line.startswith("warning:")]
    assert len(warned) == 1, warned[:5]
    assert warned[0].startswith(f"warning: {source}: paragraph 1: a sentence of 15 tokens exceeded")
    assert warned[0].endswith("(and 2,999 more like it; the first 3 are in the manifest)")
    (line,) = (tmp_path / "out" / "manifest.jsonl").read_text("utf-8").splitlines()
    assert len(line) < 20_000
    record = json.loads(line)
    assert len(record["warnings"]) == 3 and record["warning_counts"] == {record["warnings"][0]: 3000}
    output = json.loads((tmp_path / "out" / "2025-10-06-lang.json").read_text("utf-8"))
    assert len(output["warnings"]) == 3000  # the output itself keeps every one


def test_warnings_of_one_kind_are_counted_and_few_are_kept_as_they_are() -> None:
    few = ["the title: was cut", "paragraph 2 is already English", "paragraph 5 is already English"]
    assert bound_warnings(few) == (few, {})
    assert warning_lines(*bound_warnings(few)) == few
    many = [f"paragraph {n}: a sentence of {n + 600} tokens was split" for n in range(1, 6)]
    kept, counts = bound_warnings(["read as cp1252", *many, "read as cp1252"])
    assert kept == ["read as cp1252", "read as cp1252", *many[:3]]  # by kind, in order of first sight
    assert counts == {many[0]: 5}
    assert warning_lines(kept, counts) == [
        "read as cp1252",
        "read as cp1252",
        f"{many[0]} (and 4 more like it; the first 3 are in the manifest)",
    ]
