"""Where and how models run: the --device choice and the model libraries' own console output.

Both translation backends and the summarizer's generators resolve --device here, each asking its
own engine whether a GPU is visible (torch, or CTranslate2 without torch), and quiet transformers
here before they load. Nothing heavy is imported until a function needs it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import UnknownChoiceError, UsageError

DEVICES = ("auto", "cpu", "cuda")
NO_CUDA = "--device cuda was asked for but no CUDA GPU is visible; use --device cpu or auto"
DTYPES = ("auto", "float32", "bfloat16")
# CPU flags (Linux /proc/cpuinfo) of native bfloat16 arithmetic: AMX tiles, or AVX-512 BF16 instructions.
# Without them torch emulates bfloat16, slower than float32, so `auto` stays float32 there.
NATIVE_BF16_FLAGS = frozenset({"amx_bf16", "avx512_bf16"})
CPUINFO = Path("/proc/cpuinfo")


def _nvidia_driver_present() -> bool:
    """Whether a CUDA GPU could be there at all (Linux): no driver, no GPU, and no need to import torch
    (seconds) to learn it, so that an up-to-date rerun on a CPU machine still imports none."""
    return Path("/proc/driver/nvidia").exists() or any(Path("/dev").glob("nvidia[0-9]*"))


def torch_has_gpu() -> bool:
    if sys.platform == "linux" and not _nvidia_driver_present():
        return False
    import torch

    return bool(torch.cuda.is_available())


def cpu_flags(cpuinfo: Path | None = None) -> frozenset[str]:
    """The CPU's feature flags as Linux lists them; none where /proc/cpuinfo cannot be read."""
    try:
        text = (cpuinfo or CPUINFO).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    line = next((line for line in text.splitlines() if line.startswith("flags")), "")
    return frozenset(line.partition(":")[2].split())


def resolve_dtype(dtype: str, device: str, flags: frozenset[str] | None = None) -> str:
    """``float32`` or ``bfloat16`` for a --dtype value on a resolved ``device``: ``auto`` is bfloat16 on a
    CUDA GPU and on a CPU with native bfloat16 (``flags``: the CPU's, read when not given), else
    float32, so a CPU without it never gets the slow emulated kind."""
    if dtype not in DTYPES:
        raise UnknownChoiceError("dtype", dtype, DTYPES)
    if dtype != "auto":
        return dtype
    if device == "cuda":
        return "bfloat16"
    return "bfloat16" if (cpu_flags() if flags is None else flags) & NATIVE_BF16_FLAGS else "float32"


def check_dtype(dtype: str) -> None:
    """A run's --dtype, checked before any work."""
    if dtype not in DTYPES:
        raise UnknownChoiceError("dtype", dtype, DTYPES)


def resolve_device(device: str, *, has_gpu: Callable[[], bool] = torch_has_gpu) -> str:
    """``cpu`` or ``cuda`` for a --device value; ``has_gpu`` is asked only when the answer depends on it."""
    if device not in DEVICES:
        raise UnknownChoiceError("device", device, DEVICES)
    if device == "cpu":
        return "cpu"
    gpu = has_gpu()
    if device == "auto":
        return "cuda" if gpu else "cpu"
    if not gpu:
        raise UsageError(NO_CUDA)
    return "cuda"


def check_device(device: str, *, has_gpu: Callable[[], bool] = torch_has_gpu) -> None:
    """A run's --device, checked before any work: a GPU is looked for only when ``cuda`` is asked for."""
    if device != "auto":
        resolve_device(device, has_gpu=has_gpu)


def quiet_transformers() -> None:
    """Library chatter (progress bars, generation notices) would drown nlbrief's one-line messages."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
