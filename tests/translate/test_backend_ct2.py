"""The CTranslate2 backend on the tiny offline MarianMT: parity with torch, the conversion cache, registry.

Parity rule. Both backends share the tokenizer, so the Translator forms the same batches with the
same bounds for both. transformers forces ``</s>`` as the last token when a row reaches the bound
(``forced_eos_token_id``); CTranslate2 does not, and emits the model's own choice there. So a row
that stopped by itself must match token for token, ``</s>`` included; a row that reached the bound
must match in every position but the last, where transformers has ``</s>`` and CTranslate2 any token.
Greedy output follows that rule on every row. With 4 beams the forced ``</s>`` also changes which beam
wins (its log-probability is added to every beam's score at the last step), so a row at the bound may
differ earlier than its last token. Against transformers with ``forced_eos_token_id=None`` on the same
batches, both greedy and 4-beam output are identical token for token, which the tests check as well.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

import pipeline.translate.backends.ct2_marian as ct2_backend
from pipeline.errors import ModelError, UnknownChoiceError, UsageError
from pipeline.models.locate import locate_model
from pipeline.text.segment import split_sentences
from pipeline.translate.backends.contract import BackendOptions, generation_kwargs
from pipeline.translate.backends.ct2_marian import CT2MarianBackend, converted_dir, ensure_converted
from pipeline.translate.backends.registry import BACKENDS, create_backend
from pipeline.translate.translator import TranslateSettings, Translator

REPO = Path(__file__).resolve().parents[2]

# Written for this test: a short news item, one sentence over the tiny model's 64-token limit.
TEXT = (
    "Het waterschap sluit morgen de sluizen bij Kampen. De IJssel staat hoger dan in jaren. "
    "Bewoners van de uiterwaarden moeten hun auto's vanavond verplaatsen. "
    "„We nemen geen risico”, zei een woordvoerder. Volgens het KNMI valt er tot donderdag nog veel regen. "
    "De veerpont bij Zwolle vaart niet. Scholen in de regio blijven open. "
    "Boeren brengen hun vee naar hoger gelegen weilanden, zoals ze dat in 1995 ook deden, en vrijwilligers "
    "vullen op het sportveld zandzakken, die de gemeente daarna met vrachtwagens naar de dijk laat brengen. "
    "Hoe lang het hoge water blijft, is nog onduidelijk. "
    "Het Rode Kruis zet een noodopvang klaar in de sporthal. "
    "Treinen tussen Deventer en Zutphen rijden volgens de dienstregeling. "
    "De burgemeester bezoekt vrijdag de dijk. "
    # On the tiny model these end by themselves, before the bound (the first with </s> as its first token).
    "De gemeenteraad steunde het idee van een gratis bus. De wethouder steunde een nieuw zwembad. "
    "De wethouder opende een nieuw zwembad. Het museum opende de haven."
)


class Recorder:
    """Wraps a backend and records each ``generate`` call: (inputs, bound, outputs)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.max_input_tokens = inner.max_input_tokens
        self.unknown_id = inner.unknown_id
        self.calls: list[tuple[list[list[int]], int, list[list[int]]]] = []

    def encode(self, texts):
        return self.inner.encode(texts)

    def generate(self, batch, max_new_tokens, beams=None):
        out = self.inner.generate(batch, max_new_tokens, beams)
        self.calls.append(([list(ids) for ids in batch], max_new_tokens, [list(ids) for ids in out]))
        return out

    def decode(self, outputs):
        return self.inner.decode(outputs)


@pytest.fixture
def ct2_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "nlbrief-cache"
    monkeypatch.setenv("NLBRIEF_CACHE_DIR", str(cache))
    return cache / "ct2"


def translate_with_both(translator_dir: Path, beams: int) -> tuple[Recorder, Recorder]:
    """The same sentences through the Translator over torch and CTranslate2 (float32: int8 may differ)."""
    source = locate_model(str(translator_dir))
    torch_options = BackendOptions(beams=beams, threads=1, dtype="float32")  # as CTranslate2's below
    torch_rec = Recorder(create_backend("torch", source, torch_options))
    options = BackendOptions(beams=beams, threads=1, device="cpu", compute_type="float32")
    ct2_rec = Recorder(create_backend("ctranslate2", source, options))
    assert ct2_rec.inner.compute_type == "float32"
    sentences = split_sentences(TEXT)
    assert len(sentences) >= 16
    settings = TranslateSettings(beams=beams, batch_tokens=256, retry=False)  # the first pass alone
    torch_results = Translator(torch_rec, settings).translate_sentences(sentences)
    ct2_results = Translator(ct2_rec, settings).translate_sentences(sentences)
    assert any(r.parts > 1 for r in ct2_results), "the long sentence was not split"
    assert [r.parts for r in torch_results] == [r.parts for r in ct2_results]
    assert any(len(rows) > 1 for _, _, rows in ct2_rec.calls), "sentences were not batched together"
    # Same batches, same bounds: the Translator's decisions depend only on the shared tokenizer.
    assert [c[:2] for c in torch_rec.calls] == [c[:2] for c in ct2_rec.calls]
    return torch_rec, ct2_rec


def new_tokens_of_torch(row: list[int], eos: int) -> list[int]:
    """transformers' row without the decoder start token, cut after the first </s> (the rest is padding)."""
    new = row[1:]
    return new[: new.index(eos) + 1] if eos in new else new


def parity(torch_ids: list[int], ct2_ids: list[int], bound: int, eos: int) -> str:
    """ "stopped" or "at_bound" when the rows agree under the rule of the module docstring, else "differs"."""
    if len(torch_ids) < bound:  # the model stopped by itself: everything, </s> included, must match
        return "stopped" if ct2_ids == torch_ids else "differs"
    assert torch_ids[-1] == eos  # forced by transformers
    same = len(ct2_ids) == bound and ct2_ids[:-1] == torch_ids[:-1]
    return "at_bound" if same else "differs"


def rows(torch_rec: Recorder, ct2_rec: Recorder):
    """(inputs, bound, torch's new tokens, CTranslate2's tokens) per row of every batch: both backends
    give the new tokens alone (no decoder start, no padding)."""
    for (batch, bound, torch_rows), (_, _, ct2_rows) in zip(torch_rec.calls, ct2_rec.calls, strict=True):
        for ids, torch_row, ct2_ids in zip(batch, torch_rows, ct2_rows, strict=True):
            yield ids, bound, torch_row, ct2_ids


def torch_without_forced_eos(torch_rec: Recorder, beams: int) -> list[list[int]]:
    """transformers' output for every recorded batch with ``forced_eos_token_id=None``, new tokens per row."""
    import torch

    backend = torch_rec.inner
    eos = backend.tokenizer.eos_token_id
    found = []
    for batch, bound, _ in torch_rec.calls:
        width = max(len(ids) for ids in batch)
        input_ids = torch.full((len(batch), width), backend.pad_id, dtype=torch.long)
        mask = torch.zeros_like(input_ids)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = torch.tensor(ids)
            mask[row, : len(ids)] = 1
        kwargs = {**generation_kwargs(beams, bound), "forced_eos_token_id": None}
        with torch.inference_mode():
            out = backend.model.generate(input_ids=input_ids, attention_mask=mask, **kwargs)
        found += [new_tokens_of_torch(row, eos) for row in out.tolist()]
    return found


def test_greedy_output_equals_torch_token_for_token(translator_dir: Path, ct2_cache: Path) -> None:
    torch_rec, ct2_rec = translate_with_both(translator_dir, beams=1)
    eos = torch_rec.inner.tokenizer.eos_token_id
    outcome = Counter()
    for _, bound, torch_ids, ct2_ids in rows(torch_rec, ct2_rec):
        kind = parity(torch_ids, ct2_ids, bound, eos)
        assert kind != "differs", (bound, torch_ids, ct2_ids)
        outcome[kind] += 1
        # The same on text: drop the position where transformers forced </s>.
        keep = len(torch_ids) - (kind == "at_bound")
        assert ct2_rec.decode([ct2_ids[:keep]]) == torch_rec.decode([torch_ids[:keep]])
    ct2_all = [ct2_ids for _, _, _, ct2_ids in rows(torch_rec, ct2_rec)]
    assert ct2_all == torch_without_forced_eos(torch_rec, beams=1)
    print(f"greedy rows: {dict(outcome)}")


def test_four_beams_output_equals_torch(translator_dir: Path, ct2_cache: Path) -> None:
    """Most rows follow the parity rule; a row at the bound may differ earlier, because transformers' forced
    </s> at the last step re-ranks the beams. Without that forcing, every row is identical."""
    torch_rec, ct2_rec = translate_with_both(translator_dir, beams=4)
    eos = torch_rec.inner.tokenizer.eos_token_id
    outcome = Counter()
    for _, bound, torch_ids, ct2_ids in rows(torch_rec, ct2_rec):
        kind = parity(torch_ids, ct2_ids, bound, eos)
        outcome[kind] += 1
        if kind == "differs":  # only ever a row that reached the bound, and the same length
            assert len(torch_ids) == len(ct2_ids) == bound
    assert outcome["differs"] <= sum(outcome.values()) // 5, dict(outcome)
    ct2_all = [ct2_ids for _, _, _, ct2_ids in rows(torch_rec, ct2_rec)]
    assert ct2_all == torch_without_forced_eos(torch_rec, beams=4)
    print(f"4-beam rows: {dict(outcome)}")


def test_same_tokens_and_limit_as_torch(translator_dir: Path, ct2_cache: Path) -> None:
    source = locate_model(str(translator_dir))
    torch_backend = create_backend("torch", source, BackendOptions(beams=1, threads=1))
    ct2 = create_backend("ctranslate2", source, BackendOptions(beams=1, threads=1, device="cpu"))
    sentences = split_sentences(TEXT)
    assert ct2.max_input_tokens == torch_backend.max_input_tokens == 64
    assert ct2.encode(sentences) == torch_backend.encode(sentences)
    too_long = ct2.encode([TEXT])[0]
    assert len(too_long) > 64
    with pytest.raises(ValueError, match="exceeds the model's limit of 64"):
        ct2.generate([too_long], 16)  # never truncated silently


def test_conversion_happens_once_and_is_reused_by_a_new_process(
    translator_dir: Path, ct2_cache: Path
) -> None:
    source = locate_model(str(translator_dir))
    target = converted_dir(source, "int8")
    # A conversion killed mid-way leaves only a temporary folder; it must be neither used nor in the way.
    ct2_cache.mkdir(parents=True)
    killed = ct2_cache / f".tmp-{target.name}-999999-deadbeef"
    killed.mkdir()
    (killed / "model.bin").write_bytes(b"half a model")
    stale = ct2_cache / f".tmp-{target.name}-999998-cafecafe"
    stale.mkdir()
    old = time.time() - 2 * 24 * 3600
    os.utime(stale, (old, old))

    before = ct2_backend.conversions
    first = create_backend("ctranslate2", source, BackendOptions(beams=1, threads=1, device="cpu"))
    assert ct2_backend.conversions == before + 1
    assert first.model_dir == target and target.name.endswith("-int8")
    assert sorted(p.name for p in target.iterdir()) == [
        "config.json",
        "model.bin",
        "nlbrief-source.json",
        "shared_vocabulary.json",
    ]
    assert json.loads((target / "nlbrief-source.json").read_text())["revision"] == source.revision
    assert killed.is_dir() and not stale.exists()  # a recent leftover may be another process's, running
    assert [p.name for p in ct2_cache.iterdir() if p.name.startswith(".tmp-")] == [killed.name]
    mtime = (target / "model.bin").stat().st_mtime_ns

    script = (
        "import json, sys\n"
        "import pipeline.translate.backends.ct2_marian as b\n"
        "from pipeline.translate.backends.contract import BackendOptions\n"
        "from pipeline.translate.backends.registry import create_backend\n"
        "from pipeline.models.locate import locate_model\n"
        "options = BackendOptions(beams=1, threads=1)\n"
        "backend = create_backend('ctranslate2', locate_model(sys.argv[1]), options)\n"
        "out = backend.generate(backend.encode(['De dijk houdt het.']), 8)\n"
        "print(json.dumps({'dir': str(backend.model_dir), 'conversions': b.conversions, 'rows': len(out),\n"
        "                  'converter_imported': 'ctranslate2.converters' in sys.modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(translator_dir)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"dir": str(target), "conversions": 0, "rows": 1, "converter_imported": False}
    assert (target / "model.bin").stat().st_mtime_ns == mtime


def test_an_interrupted_conversion_leaves_nothing_under_the_final_name(
    translator_dir: Path, ct2_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = locate_model(str(translator_dir))
    real_convert = ct2_backend._convert

    def interrupted(source, output_dir: Path, compute_type, allow_pickle):
        output_dir.mkdir(parents=True)
        (output_dir / "model.bin").write_bytes(b"half a model")
        raise KeyboardInterrupt

    monkeypatch.setattr(ct2_backend, "_convert", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ensure_converted(source, "float32")
    target = converted_dir(source, "float32")
    assert not target.exists()
    assert list(ct2_cache.iterdir()) == []  # the temporary folder went too

    monkeypatch.setattr(ct2_backend, "_convert", real_convert)
    assert ensure_converted(source, "float32") == target
    assert ct2_backend.is_complete(target)


def test_a_conversion_failure_is_one_line_with_the_fix(
    translator_dir: Path, ct2_cache: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken-translator"
    broken.mkdir()
    for path in translator_dir.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelError) as caught:
        create_backend("ctranslate2", locate_model(str(broken)), BackendOptions(device="cpu"))
    message = str(caught.value)
    assert "\n" not in message
    assert (
        message.startswith(f"cannot convert {broken}") and "fix:" in message and "--backend torch" in message
    )
    assert not any(p.name.startswith(".tmp-") for p in ct2_cache.iterdir())


def test_registry_has_both_backends(translator_dir: Path, ct2_cache: Path) -> None:
    assert set(BACKENDS) >= {"torch", "ctranslate2"}
    backend = create_backend(
        "ctranslate2", locate_model(str(translator_dir)), BackendOptions(beams=1, device="cpu")
    )
    assert isinstance(backend, CT2MarianBackend) and backend.name == "ctranslate2"
    with pytest.raises(UnknownChoiceError) as caught:
        create_backend("onnx", locate_model(str(translator_dir)), BackendOptions())
    assert "ctranslate2" in str(caught.value) and "torch" in str(caught.value)


def test_int8_conversion_translates_with_the_right_shape(translator_dir: Path, ct2_cache: Path) -> None:
    source = locate_model(str(translator_dir))
    backend = create_backend("ctranslate2", source, BackendOptions(beams=2, threads=1, device="cpu"))
    assert backend.compute_type == "int8"  # the CPU default
    sentences = split_sentences(TEXT)[:6]
    encoded = backend.encode(sentences)
    outputs = backend.generate(encoded, 20)
    vocab = len(backend.tokenizer.get_vocab())
    assert len(outputs) == len(sentences)
    for ids in outputs:
        assert 1 <= len(ids) <= 20 and all(0 <= i < vocab for i in ids)
        assert backend.tokenizer.pad_token_id not in ids
    texts = backend.decode(outputs)
    assert len(texts) == len(sentences) and all(isinstance(t, str) for t in texts)
    results = Translator(backend, TranslateSettings(beams=2)).translate_sentences(sentences)
    assert [r.source for r in results] == sentences


def test_compute_type_is_checked_against_the_device(translator_dir: Path, ct2_cache: Path) -> None:
    import ctranslate2

    supported = ctranslate2.get_supported_compute_types("cpu")
    source = locate_model(str(translator_dir))
    with pytest.raises(UsageError) as caught:
        create_backend("ctranslate2", source, BackendOptions(device="cpu", compute_type="int3"))
    message = str(caught.value)
    assert "--compute-type int3" in message and all(name in message for name in supported)
    assert not ct2_cache.exists()  # refused before converting anything


def test_missing_ctranslate2_names_the_extra(
    translator_dir: Path, ct2_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # import ctranslate2 now raises ImportError
    with pytest.raises(UsageError) as caught:
        create_backend("ctranslate2", locate_model(str(translator_dir)), BackendOptions())
    assert str(caught.value) == "the ctranslate2 backend needs the fast extra: pip install 'nlbrief[fast]'"


def test_backends_module_does_not_import_ctranslate2() -> None:
    script = (
        "import sys\n"
        "import pipeline.translate.backends.registry\n"
        "heavy = ('ctranslate2', 'torch', 'transformers', 'pipeline.translate.backends.ct2_marian',\n"
        "         'pipeline.translate.backends.torch_marian')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_an_unwritable_cache_names_the_variable(
    translator_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("")
    monkeypatch.setenv("NLBRIEF_CACHE_DIR", str(not_a_folder))
    with pytest.raises(ModelError, match="set NLBRIEF_CACHE_DIR to a writable folder"):
        create_backend("ctranslate2", locate_model(str(translator_dir)), BackendOptions(device="cpu"))


def test_the_resolved_compute_type_enters_the_fingerprint_and_the_memory_namespace(
    translator_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--compute-type auto runs int8 on a CPU and int8_float16 on a GPU: two translations, so two
    fingerprints and two memory namespaces, never one shared under the name "auto"."""
    import ctranslate2

    from pipeline.stages.translate import LazyTranslator, TranslatorConfig
    from pipeline.translate.memory import memory_namespace

    supported = {"cpu": {"int8", "int8_float32", "float32"}, "cuda": {"int8_float16", "float16", "float32"}}
    monkeypatch.setattr(ctranslate2, "get_supported_compute_types", lambda device: supported[device])

    def fields(compute_type: str, gpus: int, backend: str = "ctranslate2") -> dict[str, object]:
        monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: gpus)
        config = TranslatorConfig(model=str(translator_dir), backend=backend, compute_type=compute_type)
        return LazyTranslator(config).fingerprint_fields()

    on_cpu, on_gpu = fields("auto", gpus=0), fields("auto", gpus=1)
    assert on_cpu["compute_type"] == "int8" and on_gpu["compute_type"] == "int8_float16"
    assert memory_namespace(on_cpu) != memory_namespace(on_gpu)
    assert fields("int8", gpus=0) == on_cpu  # the same translation, asked for by name
    assert "compute_type" not in fields("auto", gpus=0, backend="torch")  # torch has no compute type


def test_batches_given_together_come_back_in_order_as_one_at_a_time(
    translator_dir: Path, ct2_cache: Path
) -> None:
    """On a CPU, CTranslate2 runs one worker per thread, each given a batch of its own (generate_many):
    the outputs are those of the batches run one at a time, in the order given."""
    options = BackendOptions(beams=2, threads=2, device="cpu", compute_type="float32")
    backend = create_backend("ctranslate2", locate_model(str(translator_dir)), options)
    assert backend.workers == 2
    sentences = [s for s in split_sentences(TEXT) if len(backend.encode([s])[0]) <= backend.max_input_tokens][
        :10
    ]
    work = [(backend.encode(sentences[i : i + 3]), 12) for i in range(0, len(sentences), 3)]
    together = list(backend.generate_many(work))
    assert together == [backend.generate(batch, bound) for batch, bound in work]
    assert [len(rows) for rows in together] == [3, 3, 3, 1]


def counting_submits(
    translator_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[CT2MarianBackend, list[int]]:
    """A 2-worker CPU backend, and the size of each batch it submits to CTranslate2, as submitted."""
    options = BackendOptions(beams=1, threads=2, device="cpu", compute_type="float32")
    backend = create_backend("ctranslate2", locate_model(str(translator_dir)), options)
    assert isinstance(backend, CT2MarianBackend)
    sizes: list[int] = []
    real_submit = backend._submit

    def counting(batch, max_new_tokens, beams, *, asynchronous):  # type: ignore[no-untyped-def]
        sizes.append(len(batch))
        return real_submit(batch, max_new_tokens, beams, asynchronous=asynchronous)

    monkeypatch.setattr(backend, "_submit", counting)
    return backend, sizes


def test_a_batch_more_than_the_workers_is_submitted_before_the_caller_gets_one(
    translator_dir: Path, ct2_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the caller checks the batch it was handed, the workers have the next ones: a batch per
    worker plus one more are submitted before the first comes back, and one more after each."""
    backend, submitted = counting_submits(translator_dir, monkeypatch)
    work = [(backend.encode(["De kat slaapt."] * n), 8) for n in (1, 2, 3, 4, 5)]
    outputs = backend.generate_many(work)
    next(outputs)
    assert submitted == [1, 2, 3, 4]  # the workers (2) and one more, then one for the batch handed back
    assert [len(rows) for rows in outputs] == [2, 3, 4, 5] and submitted == [1, 2, 3, 4, 5]


def test_on_a_cpu_batches_hold_at_most_32_sentences_whatever_the_token_budget(
    translator_dir: Path, ct2_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its single-threaded workers gain nothing from wider batches, and a few wide ones leave a worker
    idle at the end: 100 short sentences go in 4 batches, not the 1 a 2,048-token budget holds."""
    backend, sizes = counting_submits(translator_dir, monkeypatch)
    translator = Translator(backend, TranslateSettings(beams=1, batch_tokens=2048, retry=False))
    sentences = [f"De kat slaapt om {n} uur." for n in range(100, 200)]
    results = translator.translate_sentences(sentences)
    assert len(results) == 100 and max(sizes) == 32 and sum(sizes) == 100 and len(sizes) == 4
