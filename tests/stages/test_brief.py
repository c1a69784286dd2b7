"""The brief stage in process, without models or subprocesses: the period, the order of the stories,
the briefing's fingerprint and its overview, over FakeRecordStage (tests/helpers/fakes.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.corpus import write_articles
from helpers.fakes import FakeGenerator, FakeRecordStage
from helpers.runs import CountingFactory, RecordingReporter, model_dir

from pipeline.errors import ModelError, UsageError
from pipeline.stages.brief import BriefingStage, BriefRequest, BriefResult, BriefRun, choose_period
from pipeline.stages.brief_sources import order_stories
from pipeline.stages.process import ProcessStage
from pipeline.stages.saved import SavedArticle, SavedParagraph, SavedTranslation
from pipeline.stages.summarizer import LazySummarizer, SummarizerConfig
from pipeline.stages.translate import LazyTranslator, TranslatorConfig
from pipeline.summarize import templates
from pipeline.summarize.summarizer import SummarizeSettings
from pipeline.translate.translator import TranslateSettings

FIRE = (
    "Een grote brand heeft dinsdag een loods van Verkade in Zaandam verwoest. De brandweer van Zaanstad "
    "rukte met twaalf wagens uit."
)
ARTICLES = {
    "2025-10-07-ajax.txt": "Ajax wint\n\nAjax won zondag met 3-1 van Feyenoord in de Johan Cruijff Arena.\n",
    "2025-10-07-brand.txt": f"Brand in Zaandam\n\n{FIRE}\n",
    "2025-10-07-loods.txt": f"Loods uitgebrand\n\n{FIRE.replace('rukte', 'kwam')}\n",
    "2025-10-06-leraren.txt": (
        "Geld voor leraren\n\nHet kabinet trekt 200 miljoen euro uit om het lerarentekort in Rotterdam "
        "en Utrecht aan te pakken.\n"
    ),
}


def request(**values: str) -> BriefRequest:
    return BriefRequest([], **values)


# -- the period ---------------------------------------------------------------------------------

DAYS = {"2025-10-05", "2025-10-06", "2025-10-08"}


def test_the_period_is_the_newest_day_unless_one_is_asked_for() -> None:
    assert choose_period(DAYS, request()) == ("2025-10-08", "2025-10-08")
    assert choose_period(DAYS, request(date="2025-10-06")) == ("2025-10-06", "2025-10-06")


def test_since_and_until_bound_the_period_and_an_open_end_takes_the_days_present() -> None:
    both = request(since="2025-10-06", until="2025-10-07")
    assert choose_period(DAYS, both) == ("2025-10-06", "2025-10-07")
    assert choose_period(DAYS, request(since="2025-10-06")) == ("2025-10-06", "2025-10-08")
    assert choose_period(DAYS, request(until="2025-10-06")) == ("2025-10-05", "2025-10-06")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"date": "2025-10-07"}, f"no articles dated 2025-10-07; dates present: {', '.join(sorted(DAYS))}"),
        ({"since": "2025-10-09"}, "--since 2025-10-09 is after --until 2025-10-08"),
        ({"date": "2025-10-06", "until": "2025-10-08"}, "use either --date or --since/--until, not both"),
        ({"date": "7 oktober"}, "--date '7 oktober' is not a date; write it as YYYY-MM-DD"),
        ({"since": "2025-10-01", "until": "2025-10-04"}, "no articles dated 2025-10-01 to 2025-10-04"),
    ],
)
def test_a_period_that_cannot_be_briefed_is_a_usage_error(values: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError) as raised:
        choose_period(DAYS, request(**values))
    assert str(raised.value).startswith(message)


def test_no_dated_article_at_all_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no readable articles found"):
        choose_period(set(), request(date="2025-10-06"))


# -- the order of the stories -------------------------------------------------------------------


def saved(name: str, dutch: str, date: str | None) -> tuple[Path, SavedArticle]:
    title, body = dutch.split("\n\n", 1)
    translation = SavedTranslation(title.upper(), [SavedParagraph(body, body.upper())])
    article = SavedArticle(
        id=name, source_path=f"/in/{name}", sha256="0" * 64, date=date, date_source="filename",
        metadata={}, original_title=title, headline=f"Headline of {name}", bullets=[],
        translation=translation, warnings=[],
    )  # fmt: skip
    return Path(f"/articles/{name}.json"), article


def test_the_biggest_story_comes_first_then_the_earliest_then_by_record_path() -> None:
    records = [
        saved("ajax", ARTICLES["2025-10-07-ajax.txt"], "2025-10-07"),
        saved("loods", ARTICLES["2025-10-07-loods.txt"], "2025-10-07T09:00"),
        saved("leraren", ARTICLES["2025-10-06-leraren.txt"], "2025-10-07"),
        saved("brand", ARTICLES["2025-10-07-brand.txt"], "2025-10-07T08:00"),
    ]
    stories = [[article.id for _, article in story] for story in order_stories(records, 0.27)]
    # two reports of the fire, the earlier one leading; then the one-article stories of the same
    # day, "ajax" before "leraren" by the path of its record
    assert stories == [["brand", "loods"], ["ajax"], ["leraren"]]


def test_an_earlier_story_comes_before_a_later_one_of_the_same_size() -> None:
    records = [
        saved("ajax", ARTICLES["2025-10-07-ajax.txt"], "2025-10-07"),
        saved("leraren", ARTICLES["2025-10-06-leraren.txt"], "2025-10-06"),
    ]
    assert [[a.id for _, a in s] for s in order_stories(records, 0.27)] == [["leraren"], ["ajax"]]
    # with no threshold every article is one story, led by the earliest
    assert [[a.id for _, a in s] for s in order_stories(records, 0.0)] == [["leraren", "ajax"]]


# -- a briefing run over the fake stage ---------------------------------------------------------


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_articles(tmp_path / "nieuws", ARTICLES)


def brief(corpus: Path, stage: BriefingStage, **values: object) -> BriefResult:
    out = corpus.parent / "out"
    options = {"out_dir": out / "briefings", "articles_dir": out / "articles", "date": "2025-10-07", **values}
    return BriefRun(BriefRequest([str(corpus)], **options), stage, RecordingReporter()).run()


def briefing(result: BriefResult) -> dict:
    return json.loads(result.paths[2].read_text(encoding="utf-8"))


def test_the_briefing_has_the_period_s_stories_in_order_and_the_overview_of_them(corpus: Path) -> None:
    stage = FakeRecordStage()
    result = brief(corpus, stage)
    assert result.exit_code == 0 and result.status == "written" and (result.stories, result.sources) == (2, 3)
    written = briefing(result)
    assert written["overview"] == "The day in one paragraph."
    headlines = [story["headline"] for story in written["stories"]]
    assert headlines == ["Headline of 2025-10-07-brand.txt", "Headline of 2025-10-07-ajax.txt"]
    # the overview is asked once, of the stories in the briefing's order, with the template read once
    [(template, period, stories)] = stage.overviews
    assert period == "2025-10-07" and [headline for headline, _ in stories] == headlines
    assert stories[0][1] == ["What 2025-10-07-brand.txt says."]
    assert stage.templates == [template] and template.name == "overview"
    assert written["models"] == {"translator": "fake translator", "summarizer": "fake summarizer"}


def test_an_overview_that_cannot_be_written_leaves_no_briefing(corpus: Path) -> None:
    stage = FakeRecordStage()
    stage.overview_error = ModelError("the summarizer could not be loaded")
    result = brief(corpus, stage)
    assert result.not_written == "the overview could not be written" and result.error is stage.overview_error
    assert result.exit_code == ModelError.exit_code and not any(path.exists() for path in result.paths)


def test_a_period_of_days_is_one_overview_of_them_all(corpus: Path) -> None:
    stage = FakeRecordStage()
    result = brief(corpus, stage, date=None, since="2025-10-06", until="2025-10-07")
    assert result.paths[0].name == "2025-10-06_2025-10-07.md" and result.sources == 4
    [(_, period, stories)] = stage.overviews
    assert period == "2025-10-06 to 2025-10-07" and len(stories) == 3


def test_a_rerun_with_nothing_new_is_up_to_date_and_asks_for_no_overview(corpus: Path) -> None:
    stage = FakeRecordStage()
    first = briefing(brief(corpus, stage))
    again = brief(corpus, stage)
    assert again.status == "up to date" and again.stories == 2 and len(stage.overviews) == 1
    assert briefing(again) == first
    # an article of another day changes nothing of this day's briefing
    (corpus / "2025-10-08-weer.txt").write_text("Weer\n\nMorgen wordt het zonnig.\n", encoding="utf-8")
    assert brief(corpus, stage).status == "up to date"
    # --force writes it again, from the same records and settings: the same fingerprint
    forced = brief(corpus, stage, force=True)
    assert forced.status == "written" and briefing(forced)["fingerprint"] == first["fingerprint"]


def overview_copy(tmp_path: Path, prompt: str) -> Path:
    folder = tmp_path / "prompts"
    folder.mkdir(exist_ok=True)
    builtin = templates.load_template("overview").path.read_text(encoding="utf-8")
    (folder / "overview.yaml").write_text(builtin.replace("Write one short overview", prompt), "utf-8")
    return folder


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda corpus: {"threshold": 0.9}, id="the story threshold"),
        pytest.param(
            lambda corpus: {"stage": FakeRecordStage(fields={"summarizer": "other"})}, id="the summarizer"
        ),
        pytest.param(
            lambda corpus: {"stage": FakeRecordStage(overview_copy(corpus.parent, "Write a brief overview"))},
            id="an edited overview prompt",
        ),
        pytest.param(
            lambda corpus: (corpus / "2025-10-07-extra.txt").write_text("Extra\n\nHet regent.\n") and {},
            id="another article of the day",
        ),
    ],
)
def test_what_the_briefing_is_made_from_enters_its_fingerprint(corpus: Path, change) -> None:
    first = briefing(brief(corpus, FakeRecordStage()))
    values = change(corpus)
    stage = values.pop("stage", FakeRecordStage())
    result = brief(corpus, stage, **values)
    assert result.status == "written" and len(stage.overviews) == 1
    assert briefing(result)["fingerprint"] != first["fingerprint"]


def test_a_record_that_is_no_longer_one_is_a_missing_article(corpus: Path) -> None:
    stage = FakeRecordStage()
    brief(corpus, stage)
    record = corpus.parent / "out" / "articles" / "2025-10-07-ajax.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    data["title"] = data.pop("headline")  # renamed by hand: kept by the article run, unusable here
    record.write_text(json.dumps(data), encoding="utf-8")
    result = brief(corpus, stage)
    assert result.status == "written" and (result.stories, result.sources) == (1, 2)
    assert [(Path(m.source_path).name, m.reason) for m in result.missing] == [
        ("2025-10-07-ajax.txt", "its article record could not be read")
    ]


# -- the real process stage: one read of the overview prompt per run ----------------------------


def test_the_overview_prompt_is_read_once_per_run_for_the_fingerprint_and_the_prompt(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An overview.yaml edited while a briefing is made: the prompt the model got must be the one
    the briefing's fingerprint says, or the next run would think an outdated briefing up to date."""
    prompts = overview_copy(tmp_path, "VERSION ONE. Write one short overview")
    reads: list[str] = []
    read = templates._read

    def read_then_edit(path: Path, *, builtin: bool) -> templates.Template:
        template = read(path, builtin=builtin)
        if path.name == "overview.yaml":
            reads.append(template.prompt)
            path.write_text(path.read_text("utf-8").replace("VERSION ONE", "VERSION TWO"), "utf-8")
        return template

    monkeypatch.setattr(templates, "_read", read_then_edit)
    model, generator = model_dir(tmp_path), FakeGenerator(context_tokens=2000)
    translator = LazyTranslator(TranslatorConfig(model, "torch", TranslateSettings()), CountingFactory())
    settings = SummarizeSettings(prompts_dir=prompts)
    config = SummarizerConfig(model, settings, device="cpu")
    summarizer = LazySummarizer(config, lambda source, options: generator)

    first = brief(corpus, ProcessStage(translator, summarizer))
    assert first.status == "written" and len(reads) == 1 and "VERSION ONE" in reads[0]
    [(overview_prompt, _)] = [call for call in generator.calls if "overview" in call[0][0].user]
    assert "VERSION ONE" in overview_prompt[0].user
    # the file now says VERSION TWO: the next run sees the edit and writes the briefing again
    fingerprint = briefing(first)["fingerprint"]
    again = brief(corpus, ProcessStage(translator, summarizer))
    assert again.status == "written" and "VERSION TWO" in reads[1]
    assert briefing(again)["fingerprint"] != fingerprint
