"""A random-weight MarianMT with the exact shape of ``Helsinki-NLP/opus-mt-nl-en``, built once.

The Hub is not reachable here, so the benchmark times a model of the real architecture with
random weights. The folder is laid out like the Hub repository (config.json,
generation_config.json, model.safetensors, vocab.json, source.spm, target.spm, tokenizer files)
so that nlbrief loads it exactly as it loads the real model.

Tokenizer: the sentencepiece models of the tiny test translator (``tests/helpers/tiny_models.py``),
whose vocabulary has only ~1,700 pieces. Their ids are used unchanged (all far below 67,027);
``vocab.json`` is padded with placeholder pieces ``<bench_NNNNN>`` up to 67,027 entries and
``<pad>`` is put last, at id 67,027, as in the real vocabulary. So input lengths come from a real
(but small) sentencepiece model, and every id the random model generates decodes to something.

Usage: ``python bench/random_model.py [DIR]`` (default ``bench/.models/opus-mt-nl-en-random``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODELS_DIR = REPO / "bench" / ".models"
DEFAULT_DIR = MODELS_DIR / "opus-mt-nl-en-random"
TINY_DIR = MODELS_DIR / "tiny-translator"

# Helsinki-NLP/opus-mt-nl-en, config.json
VOCAB_SIZE = 67028
PAD_ID = VOCAB_SIZE - 1  # pad = decoder_start
EOS_ID = 0
MARIAN_CONFIG = {
    "vocab_size": VOCAB_SIZE,
    "decoder_vocab_size": VOCAB_SIZE,
    "d_model": 512,
    "encoder_layers": 6,
    "decoder_layers": 6,
    "encoder_attention_heads": 8,
    "decoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "decoder_ffn_dim": 2048,
    "max_position_embeddings": 512,
    "activation_function": "swish",
    "scale_embedding": True,
    "static_position_embeddings": True,  # sinusoidal, not learned
    "share_encoder_decoder_embeddings": True,
    "tie_word_embeddings": True,
    "normalize_embedding": False,
    "dropout": 0.1,
    "attention_dropout": 0.0,
    "activation_dropout": 0.0,
    "init_std": 0.02,
    "pad_token_id": PAD_ID,
    "decoder_start_token_id": PAD_ID,
    "eos_token_id": EOS_ID,
    "bos_token_id": EOS_ID,
    "forced_eos_token_id": EOS_ID,
}
# As shipped with the real model (generation_config.json); both benchmarked systems override
# num_beams and the length, so only bad_words_ids and forced_eos_token_id take effect.
GENERATION_CONFIG = {
    "bos_token_id": EOS_ID,
    "eos_token_id": EOS_ID,
    "forced_eos_token_id": EOS_ID,
    "pad_token_id": PAD_ID,
    "decoder_start_token_id": PAD_ID,
    "bad_words_ids": [[PAD_ID]],
    "num_beams": 4,
    "max_length": 512,
}
SEED = 20261128
BUILD_VERSION = 1  # bump when anything above changes, so the cached folder is rebuilt


def build_key() -> str:
    blob = json.dumps([BUILD_VERSION, MARIAN_CONFIG, GENERATION_CONFIG, SEED], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _load_tiny_models_module():
    path = REPO / "tests" / "helpers" / "tiny_models.py"
    spec = importlib.util.spec_from_file_location("nlbrief_tests_tiny_models", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def is_built(out_dir: Path) -> bool:
    marker = out_dir / "bench_build.json"
    if not (marker.is_file() and (out_dir / "model.safetensors").is_file()):
        return False
    try:
        return json.loads(marker.read_text())["key"] == build_key()
    except (ValueError, KeyError):
        return False


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_tokenizer(out_dir: Path) -> dict[str, object]:
    """The tiny test translator's sentencepiece models, with vocab.json padded to the real size."""
    tiny = _load_tiny_models_module()
    tiny.build_translator(TINY_DIR)
    for name in ("source.spm", "target.spm"):
        shutil.copyfile(TINY_DIR / name, out_dir / name)
    small = json.loads((TINY_DIR / "vocab.json").read_text(encoding="utf-8"))
    vocab = {piece: idx for piece, idx in small.items() if piece != tiny.PAD}
    real_pieces = len(vocab)
    if sorted(vocab.values()) != list(range(real_pieces)):
        raise RuntimeError("tiny vocab.json ids are not 0..n-1 apart from <pad>")
    for idx in range(real_pieces, PAD_ID):
        vocab[f"<bench_{idx:05d}>"] = idx
    vocab[tiny.PAD] = PAD_ID
    _write_json(out_dir / "vocab.json", vocab)
    _write_json(
        out_dir / "tokenizer_config.json",
        {
            "source_lang": "nl",
            "target_lang": "en",
            "unk_token": tiny.UNK,
            "eos_token": tiny.EOS,
            "pad_token": tiny.PAD,
            "model_max_length": MARIAN_CONFIG["max_position_embeddings"],
            "separate_vocabs": False,
            "sp_model_kwargs": {},
            "tokenizer_class": "MarianTokenizer",
        },
    )
    _write_json(
        out_dir / "special_tokens_map.json",
        {"eos_token": tiny.EOS, "unk_token": tiny.UNK, "pad_token": tiny.PAD},
    )
    source = "tests/helpers/tiny_models.py build_translator"
    return {"tokenizer_pieces": real_pieces, "tokenizer_source": source}


def build(out_dir: Path = DEFAULT_DIR, *, force: bool = False, log=print) -> Path:
    """Build the folder unless a matching one is already there; returns it."""
    out_dir = Path(out_dir)
    if not force and is_built(out_dir):
        return out_dir
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    started = time.perf_counter()
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel
    from transformers.utils import logging as hf_logging

    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    log(f"building a random-weight opus-mt-nl-en-shaped MarianMT in {out_dir} (once) ...")
    info = write_tokenizer(tmp)
    config = MarianConfig(**MARIAN_CONFIG)
    config.architectures = ["MarianMTModel"]
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        model = MarianMTModel(config).eval()
    model.generation_config = GenerationConfig(**GENERATION_CONFIG)
    params = sum(p.numel() for p in model.parameters())
    hf_logging.disable_progress_bar()
    model.save_pretrained(tmp)  # safetensors (the only format in transformers 5)
    _write_json(
        tmp / "bench_build.json",
        {"key": build_key(), "parameters": params, "seed": SEED, **info},
    )
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)
    log(f"  built in {time.perf_counter() - started:.1f} s: {params / 1e6:.1f} M parameters")
    return out_dir


def build_info(out_dir: Path) -> dict[str, object]:
    marker = Path(out_dir) / "bench_build.json"
    return json.loads(marker.read_text()) if marker.is_file() else {}


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    print(build(target, force="--force" in sys.argv))
    print(build_info(target))
