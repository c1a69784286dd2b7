"""Which rows run, in what order, each in a process of its own (so that its RSS and load are its own).

The plan is sized to finish `make bench` within 15 minutes on 2 quiet cores: the ratios the issue's
acceptance needs, each from two rows of the same run on the same inputs. ``--full`` adds the rest of
the matrix (both dtypes at both beam settings, CTranslate2 at 4 beams), which takes longer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


# Rows measured in one process, their passes alternating (bench/translate_worker.py, pair)
PAIRS = {"ct2-pair": ("raw-ct2", "nlbrief-ctranslate2")}


def run_worker(script: str, spec: dict, work: Path, env: dict[str, str]) -> dict | list[dict]:
    """One row (a list of rows for a pair): the worker's last line of stdout; a worker that fails gives
    rows saying why."""
    name = "-".join(
        str(spec.get(k)) for k in ("system", "label", "dtype", "beams") if spec.get(k) is not None
    )
    path = work / f"spec-{name}.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(BENCH / script), str(path)], cwd=REPO, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        task = "translate" if script.startswith("translate") else "summarize"
        systems = PAIRS.get(spec.get("system"), (spec.get("label") or spec.get("system"),))
        failed = [{"task": task, "system": system, "beams": spec.get("beams"), "dtype": spec.get("dtype"),
                   "skipped": f"failed: {last[:300]}"} for system in systems]  # fmt: skip
        return failed if len(failed) > 1 else failed[0]
    return json.loads(done.stdout.strip().splitlines()[-1])


def translation_plan(default_dtype: str, native_bf16: bool, full: bool) -> list[tuple[str, str | None, int]]:
    """(system, dtype, beams) after the first row (nlbrief-torch at its defaults, greedy), whose dtype
    is ``default_dtype``. The batching ratio is taken at the dtype nlbrief picks; CTranslate2 against
    nlbrief's torch float32 and against raw translate_batch, greedy."""
    plan: list[tuple[str, str | None, int]] = [("raw-torch", default_dtype, 1)]
    other = "bfloat16" if default_dtype == "float32" else "float32"
    if other == "float32" or native_bf16 or full:
        plan.append(("nlbrief-torch", other, 1))
    plan += [("ct2-pair", None, 1)]  # raw-ct2 and nlbrief-ctranslate2, passes alternating
    plan += [("nlbrief-torch", None, 4), ("raw-torch", default_dtype, 4)]
    if full:
        plan += [("nlbrief-torch", other, 4), ("raw-torch", other, 1), ("raw-torch", other, 4)]
        plan += [("ct2-pair", None, 4)]
    return plan


def skipped_bf16(native_bf16: bool, default_dtype: str, full: bool) -> str | None:
    if default_dtype == "float32" and not native_bf16 and not full:
        return (
            "nlbrief-torch bfloat16: skipped: this CPU has no native bfloat16 (amx_bf16, avx512_bf16), "
            "so torch emulates it, slowly; --full runs it anyway"
        )
    return None


SUMMARIZE_ALTERNATIVES = {"bfloat16": {"dtype": "bfloat16"}, "int8": {"quantize": "int8"}}


def summarize_plan(defaults_row: dict, native_bf16: bool, full: bool) -> tuple[list, list[str]]:
    """The alternatives to the defaults, less one that is the defaults already, and less bfloat16 where
    the CPU would emulate it (unless --full); the lines saying what was left out and why."""
    plan, notes = [], []
    for label, overrides in SUMMARIZE_ALTERNATIVES.items():
        if label == "bfloat16" and defaults_row.get("dtype") == "bfloat16":
            notes.append("summarize bfloat16: the defaults row is bfloat16 already")
            continue
        if label == "bfloat16" and not native_bf16 and not full:
            notes.append("summarize bfloat16: skipped: no native bfloat16 on this CPU; --full runs it anyway")
            continue
        if label == "int8" and defaults_row.get("dtype") == "bfloat16" and not full:
            notes.append("summarize int8: skipped: the defaults compute in bfloat16 here, faster than int8 "
                         "on such a CPU; --full runs it anyway")  # fmt: skip
            continue
        plan.append((label, overrides))
    return plan, notes
