"""Fakes with a recorded history, for tests where a model would add nothing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import NlbriefError
from pipeline.ingest.document import Document
from pipeline.run.contracts import Progress, StageOutput
from pipeline.stages.article_md import render_record_md
from pipeline.stages.article_page import render_record_html
from pipeline.stages.records import ArticleRecord, render_record_json
from pipeline.summarize.summarizer import SummaryResult
from pipeline.summarize.templates import RenderedPrompt, Template, load_template
from pipeline.translate.translator import TranslateSettings, Translator

if TYPE_CHECKING:
    from pipeline.stages.brief import BriefingStage

from pipeline.summarize.generators import Family

EOS = 0
START = 1


@dataclass
class FakeBackend:
    """Word-level "translation" that upper-cases each word; a word is one token plus </s>.

    Records every batch it is given, so tests can check batching, ordering and bounds.
    """

    max_input_tokens: int = 64
    name: str = "fake"
    unknown_id: int | None = None
    vocab: dict[str, int] = field(default_factory=dict)
    words: dict[int, str] = field(default_factory=dict)
    batches: list[tuple[int, int, int]] = field(default_factory=list)  # (rows, width, max_new_tokens)
    beams: list[int | None] = field(default_factory=list)  # the beams asked for, batch by batch
    encoded: int = 0

    def _id(self, word: str) -> int:
        if word not in self.vocab:
            self.vocab[word] = len(self.vocab) + 2
            self.words[self.vocab[word]] = word
        return self.vocab[word]

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        self.encoded += len(texts)
        return [[self._id(w) for w in text.split()] + [EOS] for text in texts]

    def generate(
        self, batch: Sequence[Sequence[int]], max_new_tokens: int, beams: int | None = None
    ) -> list[list[int]]:
        self.batches.append((len(batch), max(len(ids) for ids in batch), max_new_tokens))
        self.beams.append(beams)
        return [[i for i in ids if i != EOS][:max_new_tokens] for ids in batch]

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        return [" ".join(self.words[i].upper() for i in ids if i > START) for ids in outputs]


@dataclass
class FakeGenerator:
    """A summarizer model that answers in the shapes real ones do and records every prompt.

    Bullets list the MARKER words (upper-case tokens with digits) seen in the prompt, so a test
    can follow each chunk's facts through map and reduce. A word is one token.
    """

    context_tokens: int = 400
    summary_only: bool = False
    family: Family = Family.CHAT
    calls: list[tuple[list[RenderedPrompt], int]] = field(default_factory=list)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(text.split()) + 1 for text in texts]

    def prompt_tokens(self, prompts: Sequence[RenderedPrompt]) -> list[int]:
        return self.count_tokens([f"{p.system} {p.user}" for p in prompts])

    def generate(self, prompts: Sequence[RenderedPrompt], max_new_tokens: int) -> list[str]:
        self.calls.append((list(prompts), max_new_tokens))
        answers = []
        for prompt in prompts:
            markers = [w.strip(".,:-") for w in prompt.user.split() if w.strip(".,:-").startswith("FACT")]
            if "headline" in prompt.user.lower() and not self.summary_only:
                answers.append('Headline: "A headline about ' + (markers[0] if markers else "nothing") + '."')
            elif self.summary_only:
                answers.append(" ".join(f"Sentence about {m} ." for m in markers) or "Nothing .")
            else:
                answers.append(
                    "Here are the key points:\n"
                    + "\n".join(f"{i + 1}. Point about {m}" for i, m in enumerate(markers))
                )
        return answers


@dataclass
class EchoBackend(FakeBackend):
    """FakeBackend whose "translation" gives every word back unchanged, so a test can check that
    no word was lost, added or reordered on the way through splitting, batching and rebuilding."""

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        return [" ".join(self.words[i] for i in ids if i > START) for ids in outputs]


@dataclass
class CharEchoBackend(EchoBackend):
    """One token per character, so a single long word (a URL) is over the limit; echoes its input
    and counts the characters it was asked to encode (how much work a split costs)."""

    encoded_chars: int = 0

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        self.encoded += len(texts)
        self.encoded_chars += sum(len(text) for text in texts)
        return [[self._id(c) for c in text] + [EOS] for text in texts]

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        return ["".join(self.words[i] for i in ids if i > START) for ids in outputs]


Stories = list[tuple[str, list[str]]]


class FakeRecordStage:
    """The stage a briefing runs (a ``BriefingStage``) without models: each article's record has its
    Dutch upper-cased as the translation (FakeBackend), "Headline of ID" as its headline and one
    bullet naming it. Records what the briefing asked: templates read, overviews written."""

    command = "process"  # its records go where `nlbrief process` puts them
    suffixes: tuple[str, ...] = (".json", ".md", ".html")
    stdout_suffix = ".md"
    model_loaded = False

    def __init__(self, prompts_dir: Path | None = None, fields: dict[str, Any] | None = None) -> None:
        self.prompts_dir = prompts_dir
        self.fields = fields if fields is not None else {"summarizer": "fake"}
        self.overview = "The day in one paragraph."
        self.overview_error: NlbriefError | None = None  # raised by write_overview when set
        self.templates: list[Template] = []  # every overview template read, in order
        self.overviews: list[tuple[Template, str, Stories]] = []  # (template, period, stories) asked
        self.processed: list[str] = []  # the ids of the articles given to run_wave

    def validate(self) -> None:
        pass

    def fingerprint_fields(self) -> dict[str, Any]:
        return {"stage": "fake"}

    def provenance(self) -> dict[str, Any]:
        return {"model": "fake translator", "summarizer_model": "fake summarizer"}

    def check(self, doc: Document) -> None:
        pass

    def run_wave(
        self, docs: list[Document], progress: Progress, summarized: Progress
    ) -> Iterator[tuple[int, StageOutput]]:
        translated = Translator(FakeBackend(), TranslateSettings()).translate_documents(docs)
        for i, (doc, translation) in enumerate(zip(docs, translated, strict=True)):
            self.processed.append(doc.id)
            summary = SummaryResult([f"What {doc.id} says."], headline=f"Headline of {doc.id}")
            record, provenance = ArticleRecord.checked(doc, translation, summary), self.provenance()
            renders = (render_record_json, render_record_md, render_record_html)
            yield i, StageOutput([render(record, provenance) for render in renders], record.warnings())

    def summarizer_fields(self) -> dict[str, Any]:
        return self.fields

    def model_names(self) -> dict[str, str | None]:
        return {"translator": "fake translator", "summarizer": "fake summarizer"}

    def overview_template(self) -> Template:
        template = load_template("overview", self.prompts_dir)
        self.templates.append(template)
        return template

    def write_overview(
        self, template: Template, period: str, stories: Sequence[tuple[str, list[str]]]
    ) -> tuple[str, list[str]]:
        self.overviews.append((template, period, list(stories)))
        if self.overview_error is not None:
            raise self.overview_error
        return self.overview, []


if TYPE_CHECKING:
    _satisfies_the_protocol: BriefingStage = FakeRecordStage()


# Each fake stands in for a Protocol. mypy (make lint) reads these lines, so a fake that drifts from
# the Protocol it stands in for fails the lint instead of a test run much later.
if TYPE_CHECKING:
    from pipeline.summarize.generators import TextGenerator
    from pipeline.translate.backends.contract import TranslationBackend

    _backend: TranslationBackend = FakeBackend()
    _echo: TranslationBackend = CharEchoBackend()
    _generator: TextGenerator = FakeGenerator()
    _briefing_stage: BriefingStage = FakeRecordStage()
