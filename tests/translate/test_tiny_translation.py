"""Translation through the real loading and generation path, on the tiny offline MarianMT."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest.discover import SourceFile
from pipeline.ingest.sources import read_document
from pipeline.models.locate import locate_model
from pipeline.translate.backends.contract import BackendOptions, generation_kwargs
from pipeline.translate.backends.registry import create_backend
from pipeline.translate.translator import TranslateSettings, Translator, new_token_limit

ARTICLE = """date 2025-11-03
Nieuwe regels voor deelscooters

De gemeente Rotterdam stelt vanaf januari strengere regels voor deelscooters. Aanbieders moeten hun scooters
voortaan op vaste plekken parkeren. Wie dat niet doet, krijgt een boete.

Volgens de wethouder liggen er nu te vaak scooters op de stoep. „Dat is gevaarlijk voor ouderen”, zei ze.

Reacties
- Bewoners zijn blij met het plan.
- Aanbieders vrezen minder klanten.

Het plan gaat in op 1 jan. 2026.
"""


class SpyBackend:
    """Wraps a real backend and records what reaches ``generate``."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.max_input_tokens = inner.max_input_tokens
        self.unknown_id = inner.unknown_id
        self.calls: list[list[list[int]]] = []

    def encode(self, texts):
        return self.inner.encode(texts)

    def generate(self, batch, max_new_tokens, beams=None):
        self.calls.append([list(ids) for ids in batch])
        return self.inner.generate(batch, max_new_tokens, beams)

    def decode(self, outputs):
        return self.inner.decode(outputs)


def load(translator_dir: Path, beams: int) -> SpyBackend:
    source = locate_model(str(translator_dir))
    return SpyBackend(create_backend("torch", source, BackendOptions(beams=beams, threads=1)))


def read_article(tmp_path: Path, text: str) -> object:
    path = tmp_path / "artikel.txt"
    path.write_text(text, encoding="utf-8")
    return read_document(SourceFile(path, tmp_path, path.name), path.read_bytes())


@pytest.mark.parametrize("beams", [1, 4])
def test_batched_translation_equals_one_sentence_at_a_time(
    translator_dir: Path, tmp_path: Path, beams: int
) -> None:
    backend = load(translator_dir, beams)
    # The first pass alone: a random model's output is flagged, and second tries have their own tests.
    settings = TranslateSettings(beams=beams, batch_tokens=256, retry=False)
    [result] = Translator(backend, settings).translate_documents([read_article(tmp_path, ARTICLE)])

    assert result.title is not None
    sentences = [s for unit in [result.title, *result.paragraphs] for s in unit.sentences]
    assert len(sentences) >= 8 and all(s.parts == 1 for s in sentences)
    assert any(len(batch) > 1 for batch in backend.calls), "sentences were not batched together"
    assert len(backend.calls) < len(sentences)

    tokenizer, model = backend.inner.tokenizer, backend.inner.model
    for sentence in sentences:
        encoded = tokenizer([sentence.source], return_tensors="pt")
        bound = new_token_limit(encoded["input_ids"].shape[1], backend.max_input_tokens, settings)
        alone = model.generate(**encoded, **generation_kwargs(beams, bound))
        reference = tokenizer.batch_decode(alone, skip_special_tokens=True)[0].strip()
        assert sentence.target == reference, sentence.source


def test_text_past_the_token_limit_is_translated_not_lost(translator_dir: Path, tmp_path: Path) -> None:
    backend = load(translator_dir, 1)
    clauses = [
        "de gemeente wil meer groen in de wijk",
        "bewoners mogen zelf bomen kiezen",
        "de kosten worden gedeeld met de provincie",
        "het plan wordt in het voorjaar uitgevoerd",
        "daarna volgt een evaluatie door onderzoekers van de universiteit",
        "die later in het jaar een rapport publiceren over de resultaten",
        "waarna de raad opnieuw stemt over een tweede fase",
        "met extra parken langs de rivier en nieuwe fietspaden",
        "terwijl ondernemers vragen om meer parkeerplaatsen",
        "omdat klanten uit de regio vaak met de auto komen",
    ]
    long_sentence = ", ".join(clauses).capitalize() + "."
    doc = read_article(tmp_path, long_sentence + "\n")
    assert len(backend.encode([long_sentence])[0]) > backend.max_input_tokens

    settings = TranslateSettings(beams=1, retry=False)  # every word once: no second tries
    [result] = Translator(backend, settings).translate_documents([doc])
    [unit] = result.paragraphs
    [sentence] = unit.sentences
    assert sentence.parts >= 2
    assert all(part.strip() for part in sentence.target.split(" ")), "a part came back empty"
    assert any("translated in" in w and "parts" in w for w in result.warnings)
    fed = [ids for batch in backend.calls for ids in batch]
    assert all(len(ids) <= backend.max_input_tokens for ids in fed)
    # Every word of the source reached the model exactly once (parts may be batched in any order).
    tokenizer = backend.inner.tokenizer
    seen = [tokenizer.decode(ids, skip_special_tokens=True) for ids in fed]
    assert sorted(" ".join(seen).split()) == sorted(long_sentence.split())
    assert all(part in long_sentence for part in seen)


def test_the_model_is_loaded_once_per_process(translator_dir: Path) -> None:
    source = locate_model(str(translator_dir))
    first = create_backend("torch", source, BackendOptions(beams=1))
    second = create_backend("torch", source, BackendOptions(beams=4))
    assert first.model is second.model and first.tokenizer is second.tokenizer


def test_special_token_text_in_a_dutch_sentence_stays_text(translator_dir: Path) -> None:
    # `</s>` in an article is five characters, not the end of the sentence: parsed as the special
    # token, the model would read the sentence as ending there. Both backends encode through marian.py.
    backend = load(translator_dir, beams=1)
    tokenizer = backend.inner.tokenizer
    specials = {tokenizer.eos_token_id, tokenizer.unk_token_id, tokenizer.pad_token_id}
    [ids] = backend.encode(["De code </s> staat in <unk> het bestand <pad> van de gemeente."])
    assert ids[-1] == tokenizer.eos_token_id  # the one </s> the sentence is given
    assert not specials & set(ids[:-1]), tokenizer.convert_ids_to_tokens(ids)
    assert "</s>" in tokenizer.decode(ids[:-1]) and "<pad>" in tokenizer.decode(ids[:-1])
    [plain] = backend.encode(["De code staat in het bestand van de gemeente."])
    assert len(ids) > len(plain) + 3  # the markers were spelled out, not dropped
    assert all(isinstance(text, str) for text in backend.decode(backend.generate([ids], 8)))
