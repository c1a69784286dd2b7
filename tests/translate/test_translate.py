"""The translator's bookkeeping on a fake backend: batching, order, splitting, pass-through."""

from __future__ import annotations

from helpers.fakes import FakeBackend

from pipeline.ingest.document import Document, Paragraph, ParagraphKind
from pipeline.translate.translator import TranslateSettings, Translator, new_token_limit


def make_doc(paragraphs: list[Paragraph], title: str | None = None) -> Document:
    return Document("a.txt", "a.txt", "0" * 64, title, None, paragraphs)


def test_order_is_restored_after_length_sorting() -> None:
    backend = FakeBackend()
    translator = Translator(backend, TranslateSettings(batch_tokens=12))
    sentences = [
        "kort.",
        "een veel langere zin met woorden.",
        "middel lang hier.",
        "x.",
        "een veel langere zin met woorden.",
    ]
    results = translator.translate_sentences(sentences)
    assert [r.target for r in results] == [s.upper() for s in sentences]
    # longest first, and the duplicate sentence was only translated once
    assert backend.batches[0][1] == 7
    assert sum(rows for rows, _, _ in backend.batches) == 4


def test_batches_respect_the_token_budget_and_share_one_bound() -> None:
    backend = FakeBackend()
    settings = TranslateSettings(batch_tokens=20)
    translator = Translator(backend, settings)
    sentences = [" ".join(["woord"] * n) + f" {n}." for n in range(1, 30)]
    translator.translate_sentences(sentences)
    for rows, width, bound in backend.batches:
        assert rows == 1 or rows * width <= 20
        assert bound == new_token_limit(width, backend.max_input_tokens, settings)


def test_a_sentence_over_the_limit_is_split_not_truncated() -> None:
    backend = FakeBackend(max_input_tokens=8)
    translator = Translator(backend, TranslateSettings())
    long = "een twee drie, vier vijf zes; zeven acht negen tien, elf twaalf dertien veertien vijftien."
    [result] = translator.translate_sentences([long])
    assert result.parts > 1
    assert result.target.split() == long.upper().split()
    assert all(width <= 8 for _, width, _ in backend.batches)


def test_split_prefers_clause_boundaries_then_commas() -> None:
    backend = FakeBackend(max_input_tokens=8)
    translator = Translator(backend, TranslateSettings())
    parts = translator.split_to_fit("a b c d e; f g h i j, k l m n o")
    assert parts[0] == "a b c d e;"
    assert parts[1:] == ["f g h i j,", "k l m n o"]


def test_a_word_longer_than_the_limit_is_cut_by_characters() -> None:
    class CharBackend(FakeBackend):
        def encode(self, texts):  # one token per character, to make one word too long
            return [[self._id(c) for c in text] + [0] for text in texts]

    backend = CharBackend(max_input_tokens=10)
    translator = Translator(backend, TranslateSettings())
    url = "https://example.org/" + "x" * 40
    parts = translator.split_to_fit(url)
    assert "".join(parts) == url
    assert all(len(p) <= 9 for p in parts)


def test_new_tokens_are_bounded_by_input_length() -> None:
    settings = TranslateSettings(length_ratio=1.5, length_margin=10)
    assert new_token_limit(10, 512, settings) == 32  # ceil(15 + 10) rounded up to 8
    assert new_token_limit(400, 512, settings) == 511
    assert new_token_limit(11, 512, settings) == new_token_limit(12, 512, settings)


def test_documents_are_rebuilt_with_title_headings_and_list_items() -> None:
    backend = FakeBackend()
    translator = Translator(backend, TranslateSettings())
    doc = make_doc(
        [
            Paragraph("De eerste zin. De tweede zin."),
            Paragraph("Een kop zonder punt", ParagraphKind.HEADING),
            Paragraph("Een punt in de lijst.", ParagraphKind.LIST_ITEM, "- "),
        ],
        title="Nieuws van vandaag",
    )
    [result] = translator.translate_documents([doc])
    assert result.title is not None and result.title.target == "NIEUWS VAN VANDAAG"
    assert [u.kind for u in result.paragraphs] == [
        ParagraphKind.TEXT,
        ParagraphKind.HEADING,
        ParagraphKind.LIST_ITEM,
    ]
    assert result.paragraphs[0].target == "DE EERSTE ZIN. DE TWEEDE ZIN."
    assert len(result.paragraphs[0].sentences) == 2
    assert result.paragraphs[2].marker == "- "
    assert result.stats()["sentences"] == 5


def test_english_is_passed_through_and_flagged() -> None:
    backend = FakeBackend()
    translator = Translator(backend, TranslateSettings())
    english = make_doc(
        [Paragraph("The government said on Monday that it would not raise the taxes for the year.")]
    )
    dutch = make_doc(
        [
            Paragraph("Het kabinet heeft maandag gezegd dat het de belasting niet zal verhogen."),
            Paragraph("This paragraph is in English and it should be left as it is by the tool."),
        ]
    )
    en_result, nl_result = translator.translate_documents([english, dutch])
    assert en_result.passthrough and en_result.paragraphs[0].target == english.paragraphs[0].text
    assert any("already English" in w for w in en_result.warnings)
    assert nl_result.paragraphs[0].target.isupper()
    assert nl_result.paragraphs[1].passthrough
    assert nl_result.paragraphs[1].target == dutch.paragraphs[1].text
    assert any("paragraph 2 is already English" in w for w in nl_result.warnings)


def test_sentences_of_several_documents_share_batches() -> None:
    backend = FakeBackend()
    translator = Translator(backend, TranslateSettings(batch_tokens=10_000))
    docs = [make_doc([Paragraph(f"Dit is artikel nummer {n}. Het heeft twee zinnen.")]) for n in range(5)]
    results = translator.translate_documents(docs)
    assert len(backend.batches) <= 2  # two length buckets at most, not one batch per document
    assert [r.paragraphs[0].target.split(".")[0] for r in results] == [
        f"DIT IS ARTIKEL NUMMER {n}" for n in range(5)
    ]


def test_sentences_of_similar_length_share_a_bound_and_a_batch() -> None:
    backend = FakeBackend()
    translator = Translator(backend, TranslateSettings(batch_tokens=100_000))
    translator.translate_sentences([" ".join(["woord"] * n) + f" {n}." for n in range(8, 40)])
    # 32 sentences of 10 to 41 tokens: a handful of length steps, not one batch per few tokens
    assert len(backend.batches) <= 4
