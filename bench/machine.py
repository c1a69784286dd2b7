"""The machine the figures come from: its CPU decides what is fastest (bfloat16 is fast only where the
CPU has it natively: AMX or AVX512-BF16; elsewhere torch emulates it, slowly)."""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

FLAGS = ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_int8", "avx512_vnni", "avx_vnni", "fma")


def cpuinfo() -> dict[str, str]:
    found: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            found.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    return found


def package(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def info() -> dict[str, object]:
    cpu = cpuinfo()
    flags = set(cpu.get("flags", "").split())
    return {
        "cpu_model": cpu.get("model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "flags": {flag: flag in flags for flag in FLAGS},
        "native_bf16": bool(flags & {"amx_bf16", "avx512_bf16"}),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "torch": package("torch"),
        "transformers": package("transformers"),
        "ctranslate2": package("ctranslate2"),
    }


def describe(m: dict) -> str:
    flags = ", ".join(f for f, on in m["flags"].items() if on) or "none of " + ", ".join(FLAGS)
    return (
        f"{m['cpu_model']}, {m['cores']} cores, {m['memory_gb']} GB; flags: {flags}; torch {m['torch']}, "
        f"transformers {m['transformers']}, ctranslate2 {m['ctranslate2']}"
    )
