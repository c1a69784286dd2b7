"""The summarizer's method on a recording fake model: one call, map-reduce, prompts from files."""

from __future__ import annotations

from pathlib import Path

from helpers.fakes import FakeGenerator

from pipeline.ingest.document import Paragraph, ParagraphKind
from pipeline.summarize.summarizer import Article, Summarizer, SummarizeSettings, fact_sentences
from pipeline.summarize.templates import builtin_prompts_dir


def article(n_paragraphs: int, words: int = 30) -> Article:
    paragraphs = [
        f"FACT{i:02} " + " ".join(f"word{i}x{j}" for j in range(words)) + "." for i in range(n_paragraphs)
    ]
    return Article("a", "A title", paragraphs)


def test_a_short_article_is_one_call_and_clean_bullets() -> None:
    fake = FakeGenerator(context_tokens=2000)
    [result] = Summarizer(fake, SummarizeSettings(bullets=2)).summarize([article(3)])
    assert result.chunks == 1
    assert result.bullets == ["Point about FACT00", "Point about FACT01"]
    assert result.headline == "A headline about FACT00"
    bullet_calls = [c for c in fake.calls if "FACT02" in c[0][0].user]
    assert len(bullet_calls) == 1 and bullet_calls[0][1] == 2 * 60  # per-bullet answer bound


def test_a_long_article_is_summarized_from_all_of_its_chunks() -> None:
    fake = FakeGenerator(context_tokens=1000)
    long = article(60)
    [result] = Summarizer(fake, SummarizeSettings(bullets=3)).summarize([long])
    assert result.chunks > 2
    assert any("map-reduce" in w and str(result.chunks) in w for w in result.warnings)
    map_prompts = fake.calls[0][0]
    assert len(map_prompts) == result.chunks
    # every paragraph reached one map prompt, whole and exactly once
    for paragraph in long.paragraphs:
        assert sum(paragraph in p.user for p in map_prompts) == 1
    # the reduce step saw the partial bullets of every chunk
    reduce_text = " ".join(p.user for call in fake.calls[1:-1] for p in call[0])
    for i in range(60):
        assert f"FACT{i:02}" in reduce_text
    # no call asked for more than the context holds: prompt plus answer bound
    assert all(fake.prompt_tokens([p])[0] + n <= 1000 for prompts, n in fake.calls for p in prompts)


def test_articles_are_summarized_together() -> None:
    fake = FakeGenerator(context_tokens=2000)
    results = Summarizer(fake, SummarizeSettings(bullets=1)).summarize([article(2), article(1), article(3)])
    assert len(results) == 3
    assert len(fake.calls) == 2  # one batched bullets round, one batched headline round


def test_an_edited_prompt_changes_what_the_model_is_asked(tmp_path: Path) -> None:
    edited = (
        (builtin_prompts_dir() / "bullets.yaml")
        .read_text()
        .replace("Summarise the news article below", "EDITED: summarise this article for a ministry")
    )
    (tmp_path / "bullets.yaml").write_text(edited)
    fake = FakeGenerator(context_tokens=2000)
    Summarizer(fake, SummarizeSettings(prompts_dir=tmp_path)).summarize([article(2)])
    assert "EDITED: summarise this article for a ministry" in fake.calls[0][0][0].user
    default = FakeGenerator(context_tokens=2000)
    Summarizer(default, SummarizeSettings()).summarize([article(2)])
    assert "EDITED" not in default.calls[0][0][0].user


def test_a_summary_only_model_gets_the_raw_text() -> None:
    fake = FakeGenerator(context_tokens=2000, summary_only=True)
    [result] = Summarizer(fake, SummarizeSettings(bullets=2)).summarize([article(3)])
    assert fake.calls[0][0][0].user == article(3).text
    assert result.bullets == ["Sentence about FACT00.", "Sentence about FACT01."]
    assert result.headline == "Sentence about FACT00"
    assert len(fake.calls) == 1  # no headline prompt for a model that cannot follow one


def test_no_more_bullets_are_asked_for_than_the_article_has_sentences() -> None:
    # Only text and list items state facts; the title and headings do not.
    assert fact_sentences([Paragraph("Meer volgt", ParagraphKind.HEADING)]) == 0
    assert fact_sentences([Paragraph("Een. Twee."), Paragraph("Drie", ParagraphKind.LIST_ITEM)]) == 3

    fake = FakeGenerator(context_tokens=2000)
    title_only = Article("t", "FACT01 FACT02 FACT03 storm on its way", ["More follows"], sentences=0)
    one = Article("o", "FACT04 FACT05 fire", ["FACT06 A house burned down overnight."], sentences=1)
    full = article(3)
    title_result, one_result, full_result = Summarizer(fake, SummarizeSettings(bullets=3)).summarize(
        [title_only, one, full]
    )
    asked = [p.user for prompts, _ in fake.calls for p in prompts if "bullet points" in p.user]
    assert not any("storm on its way" in p for p in asked)  # nothing to summarize: no bullets asked
    assert title_result.bullets == [] and title_result.headline  # the headline is still written
    assert title_result.chunks == 0 and "no sentence besides its title" in title_result.warnings[0]
    [one_prompt] = [p for p in asked if "burned down" in p]
    assert "exactly 1 bullet" in one_prompt and "exactly 3" not in one_prompt
    assert one_result.bullets == ["Point about FACT04"]  # the model's further points are not kept
    assert "only 1 sentence" in one_result.warnings[0] and "not 3" in one_result.warnings[0]
    assert len(full_result.bullets) == 3 and not any("sentence" in w for w in full_result.warnings)


def test_when_nothing_fits_the_advice_is_what_can_work(tmp_path: Path) -> None:
    import pytest

    from pipeline.errors import UsageError
    from pipeline.summarize.generators import Family

    # At the model's own limit (flan-t5's 512) a bigger --context-tokens cannot help: the merge
    # prompt itself must be shorter, or the model's context longer.
    merge = (builtin_prompts_dir() / "merge_bullets.yaml").read_text()
    long_rules = "\n".join(f"  - Rule {n}: write plainly, keep every name and number." for n in range(40))
    edited = merge.replace("  Rules:\n", "  Rules:\n" + long_rules + "\n")
    (tmp_path / "merge_bullets.yaml").write_text(edited)
    flan = FakeGenerator(context_tokens=512, family=Family.SEQ2SEQ)
    with pytest.raises(UsageError) as caught:
        Summarizer(flan, SummarizeSettings(prompts_dir=tmp_path)).summarize([article(60)])
    message = str(caught.value)
    assert message.startswith("the summarizer's context (512 tokens) is too small") and "\n" not in message
    assert "--context-tokens" not in message and "--bullets" not in message  # neither can help here
    assert "merge_bullets" in message and "--prompts-dir" in message and "longer context" in message

    # Under a --context-tokens budget below the model's limit, raising it is the advice that works.
    chat = FakeGenerator(context_tokens=4096)
    with pytest.raises(UsageError) as caught:
        Summarizer(chat, SummarizeSettings(context_tokens=300)).summarize([article(60)])
    assert "raise --context-tokens (this model takes up to 4096)" in str(caught.value)
