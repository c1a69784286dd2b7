"""The tiny offline models of tests/tiny_models.py load and behave like the real ones, structurally."""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HUB_FILES = {
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "source.spm",
    "target.spm",
    "vocab.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
}

DUTCH_WITH_DIACRITICS_AND_QUOTES = [
    "„Het is één grote reünie”, zei de coöperatie – ‘ruïne’ of niet.",
    "De crème brûlée kost €12,50 — 7% meer dan in 2024 (ca. ,,te duur'').",
    "Zoë en Loïs vonden het \"geïnspireerd\", zei hij: 'à la carte' & geëerd!",
    "ÉÈËÏÖÜÇ àèéëïöüç … 0123456789?",
]
# Characters the sentencepiece models never saw: they must survive as byte pieces.
UNSEEN_CHARACTERS = "Ørsted las ĳs in Łódź: 日本 ✓ 🙂 ½"

SOURCES = [
    "Dit is een test.",
    "De burgemeester opende gisteren het nieuwe stadhuis in Zwolle.",
    "Hé!",
    "Volgens de krant is de brug te duur.",
    "„Nee”, zei hij.",
]


@pytest.fixture(scope="module")
def tokenizer(translator_dir):
    from transformers import MarianTokenizer

    return MarianTokenizer.from_pretrained(translator_dir)


@pytest.fixture(scope="module")
def model(translator_dir):
    from transformers import MarianMTModel

    return MarianMTModel.from_pretrained(translator_dir)


def _translate(tokenizer, model, texts, max_new_tokens=12):
    batch = tokenizer(texts, return_tensors="pt", padding=True)
    out = model.generate(**batch, max_new_tokens=max_new_tokens)
    return out, tokenizer.batch_decode(out, skip_special_tokens=True)


def test_translator_folder_has_the_hub_repo_files(translator_dir: Path):
    assert translator_dir.is_dir()
    assert {p.name for p in translator_dir.iterdir()} >= HUB_FILES
    assert not (translator_dir / "pytorch_model.bin").exists()


def test_loads_with_marian_classes_and_has_small_limits(tokenizer, model, tiny_models_module):
    from transformers import MarianMTModel, MarianTokenizer

    assert isinstance(tokenizer, MarianTokenizer)
    assert isinstance(model, MarianMTModel)
    assert not model.training
    limit = tiny_models_module.TRANSLATOR_MAX_LENGTH
    assert limit == 64
    assert tokenizer.model_max_length == limit
    config = model.config
    assert config.max_position_embeddings == limit
    assert 16 <= config.d_model <= 32
    assert config.encoder_layers <= 2 and config.decoder_layers <= 2
    assert config.vocab_size == len(tokenizer) == tokenizer.vocab_size < 2000
    last_id = config.vocab_size - 1
    assert tokenizer.pad_token_id == config.pad_token_id == config.decoder_start_token_id == last_id
    assert tokenizer.eos_token_id == config.eos_token_id == 0
    gen = model.generation_config
    assert gen.decoder_start_token_id == gen.pad_token_id == last_id
    assert gen.eos_token_id == 0
    assert gen.bad_words_ids == [[last_id]]
    assert gen.forced_bos_token_id is None
    assert gen.num_beams == 1
    assert gen.max_length == limit


def test_auto_classes_resolve_to_marian(translator_dir: Path):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, MarianMTModel, MarianTokenizer

    assert isinstance(AutoTokenizer.from_pretrained(translator_dir), MarianTokenizer)
    assert isinstance(AutoModelForSeq2SeqLM.from_pretrained(translator_dir), MarianMTModel)


def test_vocab_json_holds_specials_bytes_and_every_piece(translator_dir: Path):
    import sentencepiece as spm

    vocab = json.loads((translator_dir / "vocab.json").read_text(encoding="utf-8"))
    assert vocab["</s>"] == 0
    assert vocab["<unk>"] == 1
    assert vocab["<pad>"] == len(vocab) - 1
    assert sorted(vocab.values()) == list(range(len(vocab)))
    assert all(f"<0x{b:02X}>" in vocab for b in range(256))
    for name in ("source.spm", "target.spm"):
        sp = spm.SentencePieceProcessor(model_file=str(translator_dir / name))
        missing = [
            sp.id_to_piece(i)
            for i in range(sp.get_piece_size())
            if not (sp.is_control(i) or sp.is_unknown(i)) and sp.id_to_piece(i) not in vocab
        ]
        assert missing == [], name


@pytest.mark.parametrize("text", [*DUTCH_WITH_DIACRITICS_AND_QUOTES, UNSEEN_CHARACTERS])
def test_dutch_text_round_trips_without_unk(tokenizer, text):
    ids = tokenizer(text)["input_ids"]
    assert ids[-1] == tokenizer.eos_token_id
    assert tokenizer.unk_token_id not in ids
    assert tokenizer.decode(ids, skip_special_tokens=True) == text


def test_unseen_characters_use_byte_pieces(tokenizer):
    tokens = tokenizer.tokenize(UNSEEN_CHARACTERS)
    assert any(t.startswith("<0x") for t in tokens)


def test_ordinary_sentence_fits_the_limit_and_truncation_works(tokenizer):
    sentence = "De minister van Financiën presenteerde dinsdagochtend de begroting voor volgend jaar."
    assert len(tokenizer(sentence)["input_ids"]) < tokenizer.model_max_length
    long_text = " ".join([sentence] * 6)
    assert len(tokenizer(long_text)["input_ids"]) > tokenizer.model_max_length
    truncated = tokenizer(long_text, truncation=True)["input_ids"]
    assert len(truncated) == tokenizer.model_max_length


def test_generate_works_for_a_batch(tokenizer, model):
    out, texts = _translate(tokenizer, model, SOURCES, max_new_tokens=10)
    assert out.shape[0] == len(SOURCES)
    assert out.shape[1] <= 10 + 1  # decoder start token + new tokens
    assert (out[:, 0] == model.generation_config.decoder_start_token_id).all()
    assert len(texts) == len(SOURCES)
    assert all(isinstance(t, str) and t.strip() for t in texts)
    assert not any("<pad>" in t or "</s>" in t or "\ufffd" in t for t in texts)


def test_the_readme_example_works(tokenizer, model):
    out = model.generate(**tokenizer(["Dit is een test."], return_tensors="pt"), max_new_tokens=10)
    [text] = tokenizer.batch_decode(out, skip_special_tokens=True)
    assert text.strip()


def test_a_full_length_input_generates(tokenizer, model):
    long_text = " ".join(SOURCES * 20)
    batch = tokenizer([long_text], truncation=True, return_tensors="pt")
    assert batch["input_ids"].shape[1] == tokenizer.model_max_length
    out = model.generate(**batch, max_new_tokens=5)
    assert out.shape[0] == 1 and out.shape[1] <= 5 + 1


def test_different_inputs_give_different_outputs(tokenizer, model):
    _, texts = _translate(tokenizer, model, SOURCES)
    assert len(set(texts)) == len(SOURCES)


def test_batched_translation_equals_one_at_a_time(tokenizer, model):
    _, batched = _translate(tokenizer, model, SOURCES)
    single = [_translate(tokenizer, model, [s])[1][0] for s in SOURCES]
    assert batched == single


def _assert_same_folders(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert mismatch == [] and errors == [], (mismatch, errors)


def test_rebuild_is_identical_and_leaves_the_global_rng_alone(tiny_models_module, translator_dir, tmp_path):
    import torch

    state = torch.random.get_rng_state()
    rebuilt = tiny_models_module.build_translator(tmp_path / "translator")
    assert torch.equal(torch.random.get_rng_state(), state)
    _assert_same_folders(translator_dir, rebuilt)


def test_cli_builds_the_same_translator(translator_dir, tmp_path):
    script = Path(__file__).with_name("tiny_models.py")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines() == [str(tmp_path / "translator")]
    _assert_same_folders(translator_dir, tmp_path / "translator")


def test_cli_without_arguments_prints_usage():
    script = Path(__file__).with_name("tiny_models.py")
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert "usage" in result.stderr


def test_unknown_model_name_is_refused(tiny_models_module, tmp_path):
    with pytest.raises(KeyError, match="no-such-model"):
        tiny_models_module.build_all(tmp_path, ["no-such-model"])
    assert list(tmp_path.iterdir()) == []


def test_session_is_offline_with_a_private_hf_home():
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"
    hf_home = Path(os.environ["HF_HOME"])
    assert hf_home.is_dir()
    assert hf_home != Path.home() / ".cache" / "huggingface"
    from huggingface_hub import constants

    assert constants.HF_HUB_OFFLINE
    assert Path(constants.HF_HUB_CACHE).is_relative_to(hf_home)
