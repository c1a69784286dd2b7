"""A random-weight MarianMT with the exact shape of ``Helsinki-NLP/opus-mt-nl-en``, built once.

The Hub is not reachable here, so the benchmark times a model of the real architecture with
random weights. The folder is laid out like the Hub repository (config.json,
generation_config.json, model.safetensors, vocab.json, source.spm, target.spm, tokenizer files)
so that nlbrief loads it exactly as it loads the real model.

Tokenizer: two sentencepiece models of 32,000 pieces each, trained on the shared Dutch and English
text by ``bench/tokenizer.py`` (held-out tokens per word in ``bench_build.json``). ``vocab.json`` is
their union, as opus-mt's is, padded with placeholder pieces ``<bench_NNNNN>`` up to 67,027 entries,
with ``<pad>`` last at id 67,027 as in the real vocabulary. The placeholders' embedding rows are zero
(the output projection is tied to them), so the random model never writes one: its outputs are real
English pieces, of realistic length in characters.

Usage: ``python bench/random_model.py [DIR]`` (default ``bench/.models/opus-mt-nl-en-random``); the
shared data is read from ``../shared/data`` (``NLBRIEF_BENCH_DATA`` overrides).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO / "bench") not in sys.path:
    sys.path.insert(0, str(REPO / "bench"))  # bench/tokenizer.py
MODELS_DIR = REPO / "bench" / ".models"
DEFAULT_DIR = MODELS_DIR / "opus-mt-nl-en-random"
DATA_DIR = Path(os.environ.get("NLBRIEF_BENCH_DATA", REPO.parent / "shared" / "data"))
EOS, UNK, PAD = "</s>", "<unk>", "<pad>"

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
BUILD_VERSION = 2  # bump when anything above changes, so the cached folder is rebuilt


def build_key() -> str:
    import tokenizer

    settings = [tokenizer.VOCAB_SIZE, tokenizer.MODEL_TYPE, tokenizer.HELD_OUT_DOCS, tokenizer.SEED]
    blob = json.dumps([BUILD_VERSION, MARIAN_CONFIG, GENERATION_CONFIG, SEED, settings], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


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
    """The trained sentencepiece models, vocab.json their union padded to the real size; the ids of the
    placeholders are returned in the info (``placeholders_from``)."""
    import sentencepiece as spm
    import tokenizer

    built = tokenizer.build(DATA_DIR)
    vocab = {EOS: 0, UNK: 1}
    for name, model in (("source.spm", built["source"]), ("target.spm", built["target"])):
        (out_dir / name).write_bytes(model)
        sp = spm.SentencePieceProcessor(model_proto=model)
        for i in range(sp.get_piece_size()):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    real_pieces = len(vocab)
    if real_pieces >= PAD_ID:
        raise RuntimeError(f"{real_pieces} pieces do not fit opus-mt's vocabulary of {VOCAB_SIZE}")
    for idx in range(real_pieces, PAD_ID):
        vocab[f"<bench_{idx:05d}>"] = idx
    vocab[PAD] = PAD_ID
    _write_json(out_dir / "vocab.json", vocab)
    _write_json(
        out_dir / "tokenizer_config.json",
        {
            "source_lang": "nl",
            "target_lang": "en",
            "unk_token": UNK,
            "eos_token": EOS,
            "pad_token": PAD,
            "model_max_length": MARIAN_CONFIG["max_position_embeddings"],
            "separate_vocabs": False,
            "sp_model_kwargs": {},
            "tokenizer_class": "MarianTokenizer",
        },
    )
    _write_json(out_dir / "special_tokens_map.json", {"eos_token": EOS, "unk_token": UNK, "pad_token": PAD})
    return {"tokenizer": built["info"], "vocab_pieces": real_pieces, "placeholders_from": real_pieces}


def build(out_dir: Path = DEFAULT_DIR, *, force: bool = False, log=print) -> Path:
    """Build the folder unless a matching one is already there; returns it."""
    out_dir = Path(out_dir)
    if not force and is_built(out_dir):
        return out_dir
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if not DATA_DIR.is_dir():
        raise SystemExit(f"{DATA_DIR}: no shared data to train the tokenizer on (set NLBRIEF_BENCH_DATA)")
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
    with torch.no_grad():  # placeholder ids never win the argmax: the outputs decode to real pieces
        model.model.shared.weight[int(info["placeholders_from"]) : PAD_ID] = 0
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
