"""Summarizing English articles: N bullet points and a rewritten headline, never from a cut text.

An article that fits the summarizer's context (or the configured budget) is summarized in
one call. A longer one goes map-reduce: chunks at paragraph, then sentence, then word
boundaries; partial bullets per chunk; final bullets from all the partials (in rounds when
even the partials do not fit). The headline is written from the title and the final bullets,
a short prompt, so a long article costs no second pass over its text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.ingest.document import Paragraph, ParagraphKind
from pipeline.summarize.bullets import bullets_from_summary, parse_bullets, parse_headline
from pipeline.summarize.generators import Family, TextGenerator
from pipeline.summarize.templates import RenderedPrompt, Template, load_template
from pipeline.text.packing import pack
from pipeline.text.segment import split_sentences

TEMPLATE_NAMES = ("bullets", "headline", "chunk_bullets", "merge_bullets")
# Room kept free in the context besides the prompt and the answer (chat markup varies a little).
CONTEXT_MARGIN = 16


@dataclass(frozen=True)
class Article:
    """English text to summarize: a translation, or an English file.

    ``sentences``: how many sentences of the source can state a fact (see ``fact_sentences``); no
    more bullets than that are asked for, since each bullet beyond them could only be invented.
    None: not known, no limit."""

    id: str
    title: str | None
    paragraphs: list[str]
    sentences: int | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class SummaryResult:
    bullets: list[str]
    headline: str
    chunks: int = 1
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Budgets:
    """Tokens per model call, from the context and the prompts (``Summarizer.budgets``).

    ``single``: article text one ``bullets`` call takes; ``chunk``: article text per ``chunk_bullets``
    call of a longer article (never more than ``single``); ``partial``: the answer bound of a chunk
    call and of a merge round that is not the last, so that two such answers always fit one merge
    call; ``merge``: notes per ``merge_bullets`` call.
    """

    single: int
    chunk: int
    partial: int
    merge: int


@dataclass(frozen=True)
class SummarizeSettings:
    bullets: int = 3
    context_tokens: int | None = None  # a budget below the model's own context, if set
    prompts_dir: Path | None = None


def fact_sentences(paragraphs: Sequence[Paragraph]) -> int:
    """Sentences of the source's text paragraphs and list items; the title and headings state no facts."""
    return sum(len(split_sentences(p.text)) for p in paragraphs if p.kind is not ParagraphKind.HEADING)


def load_templates(prompts_dir: Path | None) -> dict[str, Template]:
    return {name: load_template(name, prompts_dir) for name in TEMPLATE_NAMES}


class Summarizer:
    def __init__(
        self,
        generator: TextGenerator,
        settings: SummarizeSettings,
        templates: dict[str, Template] | None = None,
    ) -> None:
        """``templates``: those of ``load_templates`` when the caller has them (one read per run, so
        what a fingerprint digested is what the model is asked); else read from the prompts folder."""
        self.generator = generator
        self.settings = settings
        self.templates = load_templates(settings.prompts_dir) if templates is None else templates
        self._budgets: Budgets | None = None

    @property
    def context(self) -> int:
        limit = self.generator.context_tokens
        return min(limit, self.settings.context_tokens) if self.settings.context_tokens else limit

    def _prompt(self, name: str, article: Article, **values: str | int | float) -> RenderedPrompt:
        if self.generator.summary_only:
            return RenderedPrompt(system="", user=str(values.get("text", "")))
        return self.templates[name].render(title=article.title or "", **values)

    def new_tokens(self, name: str) -> int:
        """The answer bound of template ``name`` for this run's bullet count."""
        rendered = self.templates[name].render(title="", text="", **self._count_value(name))
        return rendered.max_new_tokens or self.templates[name].max_new_tokens

    def _count_value(self, name: str) -> dict[str, int]:
        return {"bullets": self.settings.bullets} if "bullets" in self.templates[name].variables else {}

    def _room(self, name: str, answer: int) -> int:
        """Tokens of text that fit one call of template ``name``, besides its prompt and ``answer``.

        A decoder-only model's answer shares the context with the prompt; an encoder-decoder
        model writes its answer in the decoder, so only the prompt counts against the context.
        """
        empty = self._prompt(name, Article("", "", []), text="", **self._count_value(name))
        overhead = self.generator.prompt_tokens([empty])[0]
        shared = answer if self.generator.family == Family.CHAT else 0
        return self.context - overhead - shared - CONTEXT_MARGIN

    def budgets(self) -> Budgets:
        """This run's budgets, or a UsageError when a long article could not be summarized.

        Merging partial answers only converges when two of them fit one merge call: where the
        chunk_bullets bound is more than that (flan-t5 at its 512 tokens), partial answers get half
        the merge call's room, and chunks leave room for no more. A partial answer needs at least
        the template's own bound (one bullet's, for a bound per bullet).
        """
        if self._budgets is None:
            merge = self._room("merge_bullets", self.new_tokens("merge_bullets"))
            # A partial answer is counted again as text, with the tokenizer's special tokens and a separator.
            extra = self.generator.count_tokens([""])[0] + 1
            partial = min(self.new_tokens("chunk_bullets"), merge // 2 - extra)
            single = self._room("bullets", self.new_tokens("bullets"))
            chunk = min(single, self._room("chunk_bullets", partial))
            if min(partial, chunk) < self.templates["chunk_bullets"].max_new_tokens:
                raise UsageError(self._too_small())
            self._budgets = Budgets(single, chunk, partial, merge)
        return self._budgets

    def _too_small(self) -> str:
        """The message when nothing fits, with only the advice that can work for this model and run."""
        fixes = []
        own = self.generator.context_tokens
        if self.settings.context_tokens and self.settings.context_tokens < own:
            fixes.append(f"raise --context-tokens (this model takes up to {own})")
        if self.generator.family == Family.CHAT and self.settings.bullets > 1:
            fixes.append("ask for fewer --bullets")  # a chat model's answers share its context
        if not self.generator.summary_only:
            fixes.append(
                "shorten the bullets, chunk_bullets and merge_bullets prompts (edited copies in "
                "--prompts-dir; see nlbrief prompts show)"
            )
        fixes.append("use a model with a longer context")
        advice = ", ".join(fixes[:-1]) + (", or " if len(fixes) > 1 else "") + fixes[-1]
        return (
            f"the summarizer's context ({self.context} tokens) is too small for its prompts and "
            f"{self.settings.bullets} bullets; {advice}"
        )

    def summarize(
        self, articles: Sequence[Article], progress: Callable[[int], None] | None = None
    ) -> list[SummaryResult]:
        wanted = [self._bullets_for(article) for article in articles]
        budgets = self.budgets()
        # An article with no sentence to summarize gets no call (and no chunk).
        chunked = [self._chunks(a) if wanted[i][0] else [] for i, a in enumerate(articles)]

        # map: one call per single-chunk article, one per chunk of a long one; all batched together
        calls = [
            (
                i,
                self._prompt(
                    "bullets" if len(chunks) == 1 else "chunk_bullets",
                    articles[i],
                    text=chunk,
                    bullets=wanted[i][0],
                ),
            )
            for i, chunks in enumerate(chunked)
            for chunk in chunks
        ]
        singles = [c for c in calls if len(chunked[c[0]]) == 1]
        parts = [c for c in calls if len(chunked[c[0]]) > 1]
        answers: dict[int, list[str]] = {i: [] for i in range(len(articles))}
        for group, bound in ((singles, self.new_tokens("bullets")), (parts, budgets.partial)):
            outputs = self.generator.generate([p for _, p in group], bound) if group else []
            for (i, _), output in zip(group, outputs, strict=True):
                answers[i].append(output)
        if progress:
            progress(len(articles))

        results = []
        for i, article in enumerate(articles):
            n, warning = wanted[i]
            if not n:
                results.append(SummaryResult([], "", 0, [warning] if warning else []))
                continue
            final = self._reduce(article, answers[i], n) if len(chunked[i]) > 1 else answers[i][0]
            results.append(self._finish(final, len(chunked[i]), n, warning))
        self._headlines(articles, results)
        return results

    def _bullets_for(self, article: Article) -> tuple[int, str | None]:
        """(bullets to ask for, warning): never more than the article has sentences."""
        n, have = self.settings.bullets, article.sentences
        if have is None or have >= n:
            return n, None
        if not have:
            return 0, "the article has no sentence besides its title and headings: no bullets were written"
        return have, (
            f"the article has only {have} sentence{'s' if have > 1 else ''}: asked for {have} "
            f"bullet{'s' if have > 1 else ''}, not {n}, so that none is invented"
        )

    def _chunks(self, article: Article) -> list[str]:
        """The article whole when it fits one call, else its chunks for the map step."""
        budgets = self.budgets()
        whole = self.chunk(article.paragraphs, budgets.single)
        return whole if len(whole) == 1 else self.chunk(article.paragraphs, budgets.chunk)

    def _reduce(self, article: Article, partials: list[str], n: int) -> str:
        """Merge partial bullets into one answer, in rounds while they do not fit one call."""
        budgets = self.budgets()
        while True:
            groups = self.chunk(partials, budgets.merge)
            prompts = [self._prompt("merge_bullets", article, text=group, bullets=n) for group in groups]
            # A round that is not the last answers within the partial bound, so its answers merge in turn.
            last = len(groups) == 1
            bound = self.new_tokens("merge_bullets") if last else budgets.partial
            merged = self.generator.generate(prompts, bound)
            if len(merged) == 1:
                return merged[0]
            if len(merged) >= len(partials):  # no progress possible: keep everything said so far
                return "\n".join(merged)
            partials = merged

    def _finish(self, answer: str, chunks: int, n: int, warning: str | None) -> SummaryResult:
        parsed = bullets_from_summary(answer, n) if self.generator.summary_only else parse_bullets(answer, n)
        warnings = ([warning] if warning else []) + list(parsed.flags)
        if chunks > 1:
            warnings.append(
                f"summarized map-reduce from {chunks} chunks (longer than the summarizer's context)"
            )
        return SummaryResult(parsed.bullets, "", chunks, warnings)

    def _headlines(self, articles: Sequence[Article], results: list[SummaryResult]) -> None:
        if self.generator.summary_only:
            # A summary-only model cannot be asked for a headline: its summary's first sentence is one.
            for article, result in zip(articles, results, strict=True):
                first = result.bullets[0] if result.bullets else (article.title or article.text)
                headline = parse_headline(first)
                result.headline = headline.headline
                result.warnings.extend(headline.flags)
            return
        prompts = [
            self._prompt(
                "headline", article, text="\n".join(f"- {b}" for b in result.bullets) or article.text[:2000]
            )
            for article, result in zip(articles, results, strict=True)
        ]
        outputs = self.generator.generate(prompts, self.new_tokens("headline"))
        for result, output in zip(results, outputs, strict=True):
            headline = parse_headline(output)
            result.headline = headline.headline
            result.warnings.extend(headline.flags)

    def chunk(self, pieces: list[str], budget: int) -> list[str]:
        """Join ``pieces`` (paragraphs) into texts of at most ``budget`` tokens, cutting inside a piece
        only when it alone is too long: at sentences, then at words."""
        units: list[str] = []
        for piece in pieces:
            units.extend(self._fit(piece, budget))
        counts = self.generator.count_tokens(units) if units else []
        return ["\n\n".join(chunk) for chunk in pack(units, counts, budget)] or [""]

    def _fit(self, text: str, budget: int) -> list[str]:
        if self.generator.count_tokens([text])[0] <= budget:
            return [text]
        sentences = split_sentences(text)
        if len(sentences) > 1:
            return [part for sentence in sentences for part in self._fit(sentence, budget)]
        words = text.split()
        if len(words) > 1:
            half = len(words) // 2
            return self._fit(" ".join(words[:half]), budget) + self._fit(" ".join(words[half:]), budget)
        half = len(text) // 2  # one giant token (a URL): cut by characters
        return self._fit(text[:half], budget) + self._fit(text[half:], budget)


def overview_paragraph(answer: str) -> str:
    """One paragraph from a model's answer: no preamble, markers or markdown, lines joined."""
    kept = []
    for line in answer.splitlines():
        line = line.strip().lstrip("-*•").strip().replace("**", "")
        if not line or line.startswith("#"):
            continue
        if line.endswith(":") and len(line.split()) <= 8:  # "Here is an overview of the day:"
            continue
        kept.append(line)
    return " ".join(kept)


class DayOverview:
    """The briefing's opening paragraph, written by the summarizer from the day's stories."""

    def __init__(self, summarizer: Summarizer, template: Template) -> None:
        """``template``: the overview prompt, read once per run by whoever also digests it."""
        self.summarizer = summarizer
        self.template = template

    def write(self, period: str, stories: Sequence[tuple[str, list[str]]]) -> tuple[str, list[str]]:
        """(paragraph, warnings) from (headline, bullets) per story, most important first.

        Stories that do not fit the context are left out of the prompt (the page still lists
        them all) and a warning says so.
        """
        generator = self.summarizer.generator
        blocks = ["\n".join([headline, *(f"- {b}" for b in bullets)]) for headline, bullets in stories]
        budget = self.summarizer.context - CONTEXT_MARGIN
        if generator.family == Family.CHAT:
            budget -= self.template.max_new_tokens
        warnings: list[str] = []
        used = len(blocks)
        while used > 1 and generator.prompt_tokens([self._prompt(period, blocks[:used])])[0] > budget:
            used -= 1
        if used < len(blocks):
            warnings.append(
                f"the overview was written from the first {used} of {len(blocks)} stories (context)"
            )
        answer = generator.generate([self._prompt(period, blocks[:used])], self.template.max_new_tokens)[0]
        text = overview_paragraph(answer)
        if not text:
            warnings.append("the summarizer gave no overview")
        return text, warnings

    def _prompt(self, period: str, blocks: list[str]) -> RenderedPrompt:
        articles = "\n\n".join(blocks)
        if self.summarizer.generator.summary_only:
            return RenderedPrompt(system="", user=articles)
        return self.template.render(date=period, articles=articles)
