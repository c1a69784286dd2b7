"""The tiny offline models of tests/helpers/tiny_models.py load and behave like the real ones,
structurally."""

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


# Summarizer folder -> (config model_type, model class name, tokenizer class name).
SUMMARIZERS = {
    "chat-summarizer": ("qwen2", "Qwen2ForCausalLM", "Qwen2Tokenizer"),
    "seq2seq-summarizer": ("t5", "T5ForConditionalGeneration", "T5Tokenizer"),
    "bart-summarizer": ("bart", "BartForConditionalGeneration", "RobertaTokenizer"),  # BartTokenizer in v5
}
SUMMARIZER_FILES = {
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
}
PICKLE_SUFFIXES = {".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt"}
ENGLISH_NEWS = [
    "The mayor opened the new bridge in Utrecht on Monday.",
    "Inflation fell to 2.7 percent in May, the lowest level in 3 years.",
    "Two people were injured in the accident on the A12, police said.",
    "The council's plan costs EUR 4.8 billion (about 12% more than expected); a vote follows on 14 March.",
    "She said: \"We will decide next week.\" He wasn't sure - they'd wait and see!",
    "Is the road open again? Nobody knows yet.",
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


def test_cli_builds_every_model_by_default(tiny_models_module, tiny_models_dir, tmp_path):
    script = Path(__file__).resolve().parents[1] / "helpers" / "tiny_models.py"
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
    names = list(tiny_models_module.BUILDERS)
    assert names == ["translator", *SUMMARIZERS]
    assert result.stdout.strip().splitlines() == [str(tmp_path / name) for name in names]
    for name in names:
        _assert_same_folders(tiny_models_dir / name, tmp_path / name)


def test_cli_without_arguments_prints_usage():
    script = Path(__file__).resolve().parents[1] / "helpers" / "tiny_models.py"
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


# ---------------------------------------------------------------------------------------------
# Summarizers: chat-summarizer (Qwen2.5-Instruct-like), seq2seq-summarizer (flan-t5-like),
# bart-summarizer (distilbart-cnn-like).
# ---------------------------------------------------------------------------------------------

_LOADED: dict[str, tuple] = {}


def _load(folder: Path):
    """(tokenizer, model) through the Auto classes, offline and without remote code; cached."""
    key = str(folder)
    if key not in _LOADED:
        from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

        model_cls = AutoModelForCausalLM if folder.name == "chat-summarizer" else AutoModelForSeq2SeqLM
        options = {"local_files_only": True, "trust_remote_code": False}
        tokenizer = AutoTokenizer.from_pretrained(folder, **options)
        model = model_cls.from_pretrained(folder, **options)
        _LOADED[key] = (tokenizer, model)
    return _LOADED[key]


@pytest.fixture(scope="module")
def chat(tiny_models_dir):
    return _load(tiny_models_dir / "chat-summarizer")


@pytest.fixture(scope="module")
def t5(tiny_models_dir):
    return _load(tiny_models_dir / "seq2seq-summarizer")


@pytest.fixture(scope="module")
def bart(tiny_models_dir):
    return _load(tiny_models_dir / "bart-summarizer")


def _conversation(text: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "You are a news editor. Summarize in English."},
        {"role": "user", "content": f"Summarize this article:\n{text}"},
    ]


def _chat_generate(tokenizer, model, texts: list[str], max_new_tokens: int = 8) -> list[list[int]]:
    """Greedy new token ids per conversation, from one left-padded batch."""
    tokenizer.padding_side = "left"
    batch = tokenizer.apply_chat_template(
        [_conversation(t) for t in texts],
        add_generation_prompt=True,
        padding=True,
        return_tensors="pt",
        return_dict=True,
    )
    out = model.generate(**batch, max_new_tokens=max_new_tokens, do_sample=False)
    return out[:, batch["input_ids"].shape[1] :].tolist()


def _seq2seq_generate(tokenizer, model, texts: list[str], max_new_tokens: int = 8):
    batch = tokenizer(texts, return_tensors="pt", padding=True)
    # Greedy and short: the BART folder ships distilbart's 4 beams, min_length 56, max_length 142.
    out = model.generate(**batch, max_new_tokens=max_new_tokens, num_beams=1, min_length=0)
    return out, tokenizer.batch_decode(out, skip_special_tokens=True)


@pytest.mark.parametrize("name", SUMMARIZERS)
def test_summarizer_folder_has_safetensors_and_no_pickles(tiny_models_dir, name):
    folder = tiny_models_dir / name
    files = {p.name for p in folder.iterdir()}
    assert files >= SUMMARIZER_FILES
    assert ("chat_template.jinja" in files) == (name == "chat-summarizer")
    assert not [f for f in files if Path(f).suffix in PICKLE_SUFFIXES]
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert config["model_type"] == SUMMARIZERS[name][0]
    assert config["architectures"] == [SUMMARIZERS[name][1]]
    assert config["dtype"] == "float32"
    tokenizer_config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    assert tokenizer_config["model_max_length"] == (512 if name == "seq2seq-summarizer" else 1024)
    assert str(tiny_models_dir) not in "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.json"))


@pytest.mark.parametrize("name", SUMMARIZERS)
def test_summarizer_loads_with_auto_classes(tiny_models_dir, tiny_models_module, name):
    tokenizer, model = _load(tiny_models_dir / name)
    model_type, model_class, tokenizer_class = SUMMARIZERS[name]
    assert type(model).__name__ == model_class
    assert type(tokenizer).__name__ == tokenizer_class
    assert tokenizer.is_fast
    assert model.config.model_type == model_type
    assert not model.training
    assert str(model.dtype) == "torch.float32"
    if name == "seq2seq-summarizer":  # flan-t5's real limit
        assert tokenizer.model_max_length == model.config.n_positions == tiny_models_module.T5_MAX_LENGTH
        assert tiny_models_module.T5_MAX_LENGTH == 512
    else:
        assert tokenizer.model_max_length == tiny_models_module.SUMMARIZER_MAX_LENGTH == 1024
    # bart-large-cnn's <mask> is one past its embedding, and so is the tiny BART's
    assert len(tokenizer) == model.config.vocab_size + (name == "bart-summarizer") < 2000
    assert sum(p.numel() for p in model.parameters()) < 200_000


def test_chat_summarizer_config_and_special_tokens(chat, tiny_models_module):
    tokenizer, model = chat
    config = model.config
    assert 32 <= config.hidden_size <= 64
    assert config.num_hidden_layers <= 2
    assert (config.num_attention_heads, config.num_key_value_heads) == (4, 2)
    assert config.tie_word_embeddings
    assert model.lm_head.weight.data_ptr() == model.get_input_embeddings().weight.data_ptr()
    assert config.max_position_embeddings == 1024
    vocab_size = config.vocab_size
    endoftext, im_start, im_end = (
        tokenizer.convert_tokens_to_ids(t) for t in ("<|endoftext|>", "<|im_start|>", "<|im_end|>")
    )
    assert (endoftext, im_start, im_end) == (vocab_size - 3, vocab_size - 2, vocab_size - 1)
    assert tokenizer.eos_token == "<|im_end|>" and tokenizer.eos_token_id == im_end == config.eos_token_id
    assert tokenizer.pad_token == "<|endoftext|>" and tokenizer.pad_token_id == endoftext
    assert tokenizer.bos_token is None and tokenizer.unk_token is None
    assert tokenizer.padding_side == "right"  # like Qwen2.5: batched generation must switch to "left"
    assert set(tokenizer.all_special_tokens) == {"<|endoftext|>", "<|im_start|>", "<|im_end|>"}
    gen = model.generation_config
    assert gen.eos_token_id == [im_end, endoftext]
    assert gen.pad_token_id == gen.bos_token_id == endoftext
    # Sampling settings as in the real generation_config.json: callers pass do_sample=False.
    assert gen.do_sample is True
    assert (gen.temperature, gen.top_p, gen.top_k, gen.repetition_penalty) == (0.7, 0.8, 20, 1.1)


def test_chat_template_renders_system_user_and_generation_prompt(chat):
    tokenizer, _ = chat
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What happened?"}]
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert text == (
        "<|im_start|>system\nBe brief.<|im_end|>\n"
        "<|im_start|>user\nWhat happened?<|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    without_prompt = tokenizer.apply_chat_template(messages, tokenize=False)
    assert text == without_prompt + "<|im_start|>assistant\n"
    default_system = tokenizer.apply_chat_template(messages[1:], tokenize=False, add_generation_prompt=True)
    assert default_system.startswith("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n")
    assert default_system.endswith(text.split("<|im_end|>\n", 1)[1])

    encoded = tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    ids = encoded["input_ids"][0].tolist()
    assert encoded["attention_mask"][0].tolist() == [1] * len(ids)
    assert ids == tokenizer(text, add_special_tokens=False)["input_ids"]
    im_start, im_end = tokenizer.convert_tokens_to_ids(["<|im_start|>", "<|im_end|>"])
    assert ids[0] == im_start and ids.count(im_start) == 3 and ids.count(im_end) == 2
    assert ids[-len(tokenizer("assistant\n")["input_ids"]) - 1] == im_start
    assert tokenizer.decode(ids) == text
    assert (
        tokenizer.decode(ids, skip_special_tokens=True)
        == "system\nBe brief.\nuser\nWhat happened?\nassistant\n"
    )


def test_chat_template_refuses_unknown_roles(chat):
    from jinja2 import TemplateError

    tokenizer, _ = chat
    with pytest.raises(TemplateError, match="system message"):
        tokenizer.apply_chat_template([{"role": "tool", "content": "x"}], tokenize=False)


def test_batched_left_padded_chat_generation_equals_one_at_a_time(chat):
    tokenizer, model = chat
    texts = ENGLISH_NEWS[:4]
    batched = _chat_generate(tokenizer, model, texts)
    single = [_chat_generate(tokenizer, model, [t])[0] for t in texts]
    assert batched == single
    assert all(len(ids) == 8 for ids in batched)
    assert len({tuple(ids) for ids in batched}) == len(texts)  # output depends on the input
    replies = tokenizer.batch_decode(batched, skip_special_tokens=True)
    assert all(reply.strip() and "\ufffd" not in reply for reply in replies)


@pytest.mark.parametrize("fixture", ["t5", "bart"])
def test_seq2seq_generate_works_for_a_batch_and_equals_one_at_a_time(request, fixture):
    tokenizer, model = request.getfixturevalue(fixture)
    texts = ENGLISH_NEWS[:4]
    out, batched = _seq2seq_generate(tokenizer, model, texts)
    assert out.shape[0] == len(texts) and out.shape[1] <= 8 + 1
    assert (out[:, 0] == model.generation_config.decoder_start_token_id).all()
    assert all(text.strip() for text in batched)
    assert not any("<pad>" in t or "</s>" in t or "<unk>" in t or "\ufffd" in t for t in batched)
    assert len(set(batched)) == len(texts)  # output depends on the input
    single = [_seq2seq_generate(tokenizer, model, [t])[1][0] for t in texts]
    assert batched == single


def test_seq2seq_summarizer_ids_like_t5(t5):
    tokenizer, model = t5
    config = model.config
    assert (config.d_model, config.num_layers, config.num_decoder_layers, config.num_heads) == (32, 1, 1, 4)
    assert config.relative_attention_num_buckets == 32
    assert (tokenizer.pad_token_id, tokenizer.eos_token_id, tokenizer.unk_token_id) == (0, 1, 2)
    assert config.pad_token_id == config.decoder_start_token_id == 0 and config.eos_token_id == 1
    gen = model.generation_config
    assert (gen.decoder_start_token_id, gen.pad_token_id, gen.eos_token_id) == (0, 0, 1)
    assert tokenizer.convert_tokens_to_ids("<extra_id_0>") == config.vocab_size - 1
    assert tokenizer.convert_tokens_to_ids("<extra_id_99>") == config.vocab_size - 100
    ids = tokenizer("summarize: The bridge is closed.")["input_ids"]
    assert ids[-1] == 1 and 0 not in ids


def test_bart_summarizer_ids_and_summarization_params_like_distilbart(bart, tiny_models_module):
    tokenizer, model = bart
    config = model.config
    assert (config.d_model, config.encoder_layers, config.decoder_layers) == (32, 1, 1)
    assert config.max_position_embeddings == 1024
    assert [tokenizer.convert_tokens_to_ids(t) for t in ("<s>", "<pad>", "</s>", "<unk>")] == [0, 1, 2, 3]
    # As in facebook/bart-large-cnn (vocab_size 50264, <mask> 50264): <mask> has no embedding row.
    assert tokenizer.mask_token_id == config.vocab_size == model.get_input_embeddings().num_embeddings
    assert (config.bos_token_id, config.pad_token_id, config.eos_token_id, config.decoder_start_token_id) == (
        0,
        1,
        2,
        2,
    )
    params = tiny_models_module.BART_SUMMARIZATION_PARAMS
    assert config.task_specific_params == {"summarization": params}
    gen = model.generation_config
    assert {key: getattr(gen, key) for key in params} == params
    assert (gen.decoder_start_token_id, gen.forced_bos_token_id, gen.forced_eos_token_id) == (2, 0, 2)
    ids = tokenizer("The bridge is closed.")["input_ids"]
    assert ids[0] == 0 and ids[-1] == 2


@pytest.mark.parametrize("name", SUMMARIZERS)
@pytest.mark.parametrize("text", ENGLISH_NEWS)
def test_english_text_round_trips(tiny_models_dir, name, text):
    tokenizer, _ = _load(tiny_models_dir / name)
    ids = tokenizer(text)["input_ids"]
    if tokenizer.unk_token_id is not None:
        assert tokenizer.unk_token_id not in ids
    assert tokenizer.decode(ids, skip_special_tokens=True) == text
    assert len(ids) < len(text)  # pieces are longer than single characters


@pytest.mark.parametrize("name", SUMMARIZERS)
def test_long_input_is_truncated_to_the_context(tiny_models_dir, name):
    tokenizer, _ = _load(tiny_models_dir / name)
    long_text = " ".join(ENGLISH_NEWS * 40)
    assert len(tokenizer(long_text)["input_ids"]) > 1024
    assert len(tokenizer(long_text, truncation=True)["input_ids"]) == tokenizer.model_max_length


@pytest.mark.parametrize("name", SUMMARIZERS)
def test_summarizer_rebuild_is_identical_fast_and_leaves_the_global_rng_alone(
    tiny_models_module, tiny_models_dir, tmp_path, name
):
    import time

    import torch

    state = torch.random.get_rng_state()
    start = time.perf_counter()
    rebuilt = tiny_models_module.BUILDERS[name](tmp_path / name)
    elapsed = time.perf_counter() - start
    assert torch.equal(torch.random.get_rng_state(), state)
    _assert_same_folders(tiny_models_dir / name, rebuilt)
    assert elapsed < 5.0  # about 0.1 to 0.4 s on 2 cores once transformers is imported
