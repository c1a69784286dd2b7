"""MarianMT through CTranslate2: the same tokenizer and decoding settings, a faster engine.

Tokenization stays with transformers' ``MarianTokenizer`` from the model folder (marian.py, shared
with the torch backend), so token ids, input limits and therefore the translator's splitting and
batching are identical to the torch backend. CTranslate2 works on token strings: ``generate`` maps
ids to pieces (the ``</s>`` that ``encode`` appended is kept: CTranslate2 does not add it for
Marian) and the output pieces back to ids. Output ids are the generated tokens without the decoder
start token, ending in ``</s>`` when the model stopped by itself (``return_end_token``); ``decode``
is shared with the torch backend.

The resolved compute type (what ``auto`` stands for on this device) enters the translation
fingerprint and the memory namespace: int8 on a CPU and int8_float16 on a GPU translate differently.

Decoding equals ``generation_kwargs``: beam search with ``beams`` beams (greedy at 1), no
sampling, ``max_decoding_length`` = the caller's bound, no minimum length, and the model's
``generation_config.json`` values for length_penalty, repetition_penalty, no_repeat_ngram_size and
bad_words_ids (``<pad>`` needs no rule: the converter drops it from the vocabulary). One known
difference: transformers forces ``</s>`` as the last token when the bound is reached
(``forced_eos_token_id``); CTranslate2 emits the model's own last token there instead.

Conversion happens once per model revision and compute type, into the user cache:
``$NLBRIEF_CACHE_DIR/ct2/`` (default ``~/.cache/nlbrief/ct2/``, honouring ``XDG_CACHE_HOME``), one
folder ``<sha256(model path, revision, ctranslate2 version)[:16]>-<compute type>``. Not next to
the model: hub snapshots are symlinked blobs that may be read-only or shared between users, and a
local folder's parent need not be writable. The folder is written under a temporary name in the
same parent and renamed into place (``os.replace``), so an interrupted conversion never leaves a
half model under the final name; leftovers are ignored and removed after a day. A changed model
gets a new revision and so a new folder; ``rm -r ~/.cache/nlbrief/ct2`` reclaims the space.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import time
import uuid
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from pipeline.errors import ModelError, UsageError
from pipeline.models.locate import ModelSource, check_model_folder, check_translator_folder, nlbrief_cache_dir
from pipeline.models.runtime import quiet_transformers, resolve_device
from pipeline.run.manifest import conversion_key
from pipeline.translate.backends import marian
from pipeline.translate.backends.contract import BackendOptions, Work

FAST_EXTRA_HINT = "the ctranslate2 backend needs the fast extra: pip install 'nlbrief[fast]'"
CACHE_ENV = "NLBRIEF_CACHE_DIR"
# Compute type when --compute-type is auto, by preference (the first one the device supports).
DEFAULT_COMPUTE_TYPES = {
    "cpu": ("int8", "int8_float32", "float32"),
    "cuda": ("int8_float16", "float16", "int8", "float32"),
}
# Every compute type name CTranslate2 knows; which ones a device supports is asked at run time.
COMPUTE_TYPES = (
    "auto", "default", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
    "float16", "bfloat16", "float32",
)  # fmt: skip
# The most sentences in one batch on a CPU. Its single-threaded workers gain nothing from wider batches,
# and the token budget alone made 13 batches of about 38 sentences of 500 for 2 workers, the last running
# alone: 0.87x to 0.96x raw translate_batch in batches of 32; at 32, 1.00x to 1.02x (README, Speed).
CPU_BATCH_SENTENCES = 32
# The files a finished CTranslate2 model folder always has.
MODEL_FILES = ("model.bin", "config.json")
TEMP_PREFIX = ".tmp-"
STALE_TEMP_S = 24 * 3600
# How many conversions this process ran (tests check that a cached model is reused).
conversions = 0


def import_ctranslate2() -> ModuleType:
    try:
        import ctranslate2
    except ImportError as err:
        raise UsageError(FAST_EXTRA_HINT) from err
    module: ModuleType = ctranslate2
    return module


def ct2_has_gpu() -> bool:
    """Asked of CTranslate2, not torch: this backend runs without torch."""
    return bool(import_ctranslate2().get_cuda_device_count() > 0)


def resolve_compute_type(compute_type: str, device: str) -> str:
    """``auto`` picks int8 on CPU and int8_float16 on CUDA; anything else must suit the device."""
    supported = set(import_ctranslate2().get_supported_compute_types(device))
    if compute_type == "auto":
        for candidate in DEFAULT_COMPUTE_TYPES[device]:
            if candidate in supported:
                return candidate
        return "float32"
    if compute_type not in supported:
        choices = ", ".join(["auto", *sorted(supported)])
        raise UsageError(
            f"--compute-type {compute_type} is not supported on {device} by this CTranslate2 build; "
            f"choose one of: {choices}"
        )
    return compute_type


def default_threads() -> int:
    """What torch would use: OMP_NUM_THREADS if set, else the CPUs this process may run on."""
    try:
        from_env = int(os.environ.get("OMP_NUM_THREADS", "0"))
    except ValueError:
        from_env = 0
    if from_env > 0:
        return from_env
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def cache_root() -> Path:
    return nlbrief_cache_dir() / "ct2"


def converted_dir(source: ModelSource, compute_type: str) -> Path:
    """Where the converted model of ``source`` at ``compute_type`` lives (whether or not it exists yet)."""
    version = import_ctranslate2().__version__
    return cache_root() / conversion_key(Path(source.path), source.revision, version, compute_type)


def is_complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in MODEL_FILES)


def ensure_converted(source: ModelSource, compute_type: str, *, allow_pickle: bool = False) -> Path:
    """The converted model folder of ``source``, converting it first if the cache lacks it."""
    target = converted_dir(source, compute_type)
    if is_complete(target):
        return target
    temp = target.parent / f"{TEMP_PREFIX}{target.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(target)
        _convert(source, temp, compute_type, allow_pickle)
        (temp / "nlbrief-source.json").write_text(
            json.dumps(
                {
                    "model": source.spec,
                    "path": str(source.path),
                    "revision": source.revision,
                    "compute_type": compute_type,
                    "ctranslate2": import_ctranslate2().__version__,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        if target.exists() and not is_complete(target):
            shutil.rmtree(target, ignore_errors=True)  # not ours to trust: no model.bin
        try:
            os.replace(temp, target)
        except OSError:
            if not is_complete(target):  # a concurrent run that finished first is fine; anything else is not
                raise
    except OSError as err:
        raise ModelError(
            f"cannot write the converted model to {target.parent} ({err.strerror or err}); "
            f"set {CACHE_ENV} to a writable folder"
        ) from err
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return target


def _remove_stale_temps(target: Path) -> None:
    """Leftovers of interrupted conversions of this model; a fresh one may be another process's, running."""
    now = time.time()
    for leftover in target.parent.glob(f"{TEMP_PREFIX}{target.name}-*"):
        try:
            if now - leftover.stat().st_mtime > STALE_TEMP_S:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass


def _convert(source: ModelSource, output_dir: Path, compute_type: str, allow_pickle: bool) -> None:
    """TransformersConverter on local files only: safetensors unless pickles are allowed, no remote code."""
    global conversions
    import_ctranslate2()
    try:
        from ctranslate2.converters import TransformersConverter

        quiet_transformers()

        class LocalConverter(TransformersConverter):  # type: ignore[misc]  # ctranslate2 is untyped
            def load_model(self, model_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
                kwargs.update(
                    local_files_only=True,
                    trust_remote_code=False,
                    use_safetensors=None if allow_pickle else True,
                )
                return model_class.from_pretrained(model_name_or_path, **kwargs)

            def load_tokenizer(self, tokenizer_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
                kwargs.update(local_files_only=True, trust_remote_code=False)
                return tokenizer_class.from_pretrained(model_name_or_path, **kwargs)

        converter = LocalConverter(str(source.path), trust_remote_code=False)
        converter.convert(str(output_dir), quantization=compute_type)
    except OSError as err:
        if output_dir.exists():  # written partly: a disk or permission problem, reported by the caller
            raise
        raise _conversion_error(source, err) from err
    except Exception as err:  # the converter raises ValueError, KeyError, NotImplementedError, ...
        raise _conversion_error(source, err) from err
    conversions += 1


def _conversion_error(source: ModelSource, err: BaseException) -> ModelError:
    reason = (str(err).strip().splitlines() or [""])[0][:200] or type(err).__name__
    return ModelError(
        f"cannot convert {source.path} to the CTranslate2 format ({type(err).__name__}: {reason}); "
        "fix: pass --translator-model with a MarianMT folder transformers can load, or use --backend torch"
    )


@functools.cache
def _load_translator(model_dir: str, device: str, compute_type: str, threads: int) -> Any:
    """One load per process and setting: every translator of a run shares the same weights (its workers
    share them too)."""
    ctranslate2 = import_ctranslate2()
    workers, per_worker = (threads, 1) if device == "cpu" else (1, threads)
    try:
        return ctranslate2.Translator(
            model_dir,
            device=device,
            compute_type=compute_type,
            inter_threads=workers,
            intra_threads=per_worker,
        )
    except (RuntimeError, ValueError, OSError) as err:
        raise ModelError(
            f"cannot load the CTranslate2 model {model_dir}: {err}".splitlines()[0]
            + "; fix: delete that folder so that it is converted again, or use --backend torch"
        ) from err


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class CT2MarianBackend:
    """MarianMT converted to CTranslate2 (int8 on CPU by default); see the module docstring."""

    name = "ctranslate2"

    @staticmethod
    def check_options(options: BackendOptions) -> None:
        """Before any work: the extra is installed, the device is there and supports the compute type."""
        CT2MarianBackend.resolved_compute_type(options)

    @staticmethod
    def fingerprint_fields(options: BackendOptions) -> dict[str, str]:
        return {"compute_type": CT2MarianBackend.resolved_compute_type(options)}

    @staticmethod
    def resolved_compute_type(options: BackendOptions) -> str:
        return resolve_compute_type(options.compute_type, resolve_device(options.device, has_gpu=ct2_has_gpu))

    def __init__(self, source: ModelSource, options: BackendOptions) -> None:
        import_ctranslate2()
        check_model_folder(source.path, allow_pickle=options.allow_pickle, option="--translator-model")
        check_translator_folder(source.path)
        self.device = resolve_device(options.device, has_gpu=ct2_has_gpu)
        self.compute_type = resolve_compute_type(options.compute_type, self.device)
        self.beams = options.beams
        self.threads = options.threads or default_threads()
        self.tokenizer = marian.load_tokenizer(str(source.path))
        self.unknown_id = marian.unknown_id(self.tokenizer)
        self.model_dir = ensure_converted(source, self.compute_type, allow_pickle=options.allow_pickle)
        # On a CPU, one worker per thread, each single-threaded, and batches given to them together
        # (generate_many): measured 1.5x the sentences per second of one worker on 2 threads, which left
        # the second core mostly idle (README, Speed). A GPU runs one worker.
        self.workers = self.threads if self.device == "cpu" else 1
        self.batch_sentences = CPU_BATCH_SENTENCES if self.device == "cpu" else None
        self.translator = _load_translator(str(self.model_dir), self.device, self.compute_type, self.threads)

        config = _read_json(Path(source.path) / "config.json")
        self.max_input_tokens = marian.max_input_tokens(self.tokenizer, config.get("max_position_embeddings"))
        self.decoding = self._decoding_options(Path(source.path), config)

    def _decoding_options(self, folder: Path, config: dict[str, Any]) -> dict[str, object]:
        """The model's own generation settings that transformers would apply besides ``generation_kwargs``."""
        generation = _read_json(folder / "generation_config.json")
        options: dict[str, object] = {
            "length_penalty": float(generation.get("length_penalty", 1.0)),
            "repetition_penalty": float(generation.get("repetition_penalty", 1.0)),
            "no_repeat_ngram_size": int(generation.get("no_repeat_ngram_size", 0)),
        }
        pad = generation.get("pad_token_id", config.get("pad_token_id"))
        banned = [ids for ids in generation.get("bad_words_ids") or [] if ids != [pad]]
        if banned:
            options["suppress_sequences"] = [self.tokenizer.convert_ids_to_tokens(ids) for ids in banned]
        return options

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        return marian.encode(self.tokenizer, texts)

    def generate(
        self, batch: Sequence[Sequence[int]], max_new_tokens: int, beams: int | None = None
    ) -> list[list[int]]:
        if not batch:
            return []
        results = self._submit(batch, max_new_tokens, beams, asynchronous=False)
        return [self.tokenizer.convert_tokens_to_ids(result.hypotheses[0]) for result in results]

    def generate_many(self, work: Sequence[Work], beams: int | None = None) -> Iterator[list[list[int]]]:
        """Each batch's outputs in order, with a batch per worker and one more submitted ahead: one batch
        at a time keeps a 2-core CPU about half idle (decoding steps are small), several fill it, and the
        one more keeps a worker busy while the caller checks the batch it was handed."""
        pending: deque[list[Any]] = deque()
        upcoming = iter(work)

        def submit_ahead() -> None:
            while len(pending) <= self.workers and (batch := next(upcoming, None)) is not None:
                pending.append(self._submit(batch[0], batch[1], beams, asynchronous=True) if batch[0] else [])

        submit_ahead()
        while pending:
            oldest = pending.popleft()
            submit_ahead()
            yield [self.tokenizer.convert_tokens_to_ids(r.result().hypotheses[0]) for r in oldest]

    def _submit(
        self, batch: Sequence[Sequence[int]], max_new_tokens: int, beams: int | None, *, asynchronous: bool
    ) -> list[Any]:
        longest = max(len(ids) for ids in batch)
        if longest > self.max_input_tokens:  # the Translator splits long sentences; never truncate here
            raise ValueError(
                f"an input of {longest} tokens exceeds the model's limit of {self.max_input_tokens}"
            )
        results: list[Any] = self.translator.translate_batch(
            [self.tokenizer.convert_ids_to_tokens(list(ids)) for ids in batch],
            asynchronous=asynchronous,
            beam_size=beams or self.beams,
            num_hypotheses=1,
            max_decoding_length=max_new_tokens,
            min_decoding_length=0,
            max_input_length=0,  # no truncation (checked above)
            return_end_token=True,  # like transformers' output, which ends in </s>
            sampling_topk=1,
            **self.decoding,
        )
        return results

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        return marian.decode(self.tokenizer, outputs)
