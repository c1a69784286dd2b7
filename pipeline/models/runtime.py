"""Where and how models run: the --device choice and the model libraries' own console output.

Both translation backends and the summarizer's generators resolve --device here, each asking its
own engine whether a GPU is visible (torch, or CTranslate2 without torch), and quiet transformers
here before they load. Nothing heavy is imported until a function needs it.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.errors import UnknownChoiceError, UsageError

DEVICES = ("auto", "cpu", "cuda")
NO_CUDA = "--device cuda was asked for but no CUDA GPU is visible; use --device cpu or auto"


def torch_has_gpu() -> bool:
    import torch

    return bool(torch.cuda.is_available())


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
