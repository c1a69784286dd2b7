"""Same inputs, same outputs: this checkout against an earlier revision, byte for byte.

Runs ``nlbrief translate``, ``process``, ``summarize`` and ``brief`` (each of the corpus's days) over
``examples/nieuws`` with the tiny random-weight models of ``tests/helpers/tiny_models.py``, once with the
code of ``--before`` (a git revision, checked out into a temporary worktree) and once with this
checkout's code, then compares every file the runs wrote. What the commands printed and their exit codes
are compared too (``transcript.txt``). Only what must differ between two runs is masked before the
comparison: the temporary paths, timestamps and durations. Any other difference is printed and the exit
status is 1.

    python bench/equivalence.py --before fe098df

Both runs use the same model folders (built once, by this checkout's builder) and their own empty
translation memory, so neither run is answered from the other's work.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "nieuws"
DAYS = ("2025-10-06", "2025-10-07", "2025-10-08")

# What differs between any two runs: when (timestamps, durations) and where (temporary folders).
_MASKS = (
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?"), "<TIME>"),
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?(?: UTC)?"), "<TIME>"),
    (re.compile(r"\b\d+(?:\.\d+)? s\b"), "<N> s"),
    # A briefing's fingerprint hashes its article records, which carry the time they were written.
    (re.compile(r'(?m)^(  "fingerprint": )"[0-9a-f]+"'), r"\1<FP>"),
    (re.compile(r'("(?:seconds|\w+_s)":\s*)[0-9.e+-]+'), r"\1<N>"),
    # briefings.atom's ids are made from its folder's path, which differs between the two runs.
    (re.compile(r"urn:uuid:[0-9a-f-]{36}"), "urn:uuid:<UUID>"),
)
# Output hashes in the manifest change with the timestamps inside the outputs; the outputs themselves
# are compared file by file.
_OUTPUT_HASHES = re.compile(r'"outputs": \{[^}]*\}')
_SHA256 = re.compile(r"\b[0-9a-f]{64}\b")


def _load_tiny_models() -> object:
    path = ROOT / "tests" / "helpers" / "tiny_models.py"
    spec = importlib.util.spec_from_file_location("nlbrief_tiny_models", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _commands(out: Path, translator: Path, summarizer: Path) -> list[list[str]]:
    models = ["--translator-model", str(translator), "--summarizer-model", str(summarizer)]
    corpus = str(CORPUS)
    runs = [
        ["translate", corpus, "-o", str(out / "translate"), "--translator-model", str(translator)],
        ["process", corpus, "-o", str(out / "process"), *models],
        [
            "summarize",
            str(out / "translate"),
            "-o",
            str(out / "summarize"),
            "--summarizer-model",
            str(summarizer),
        ],
    ]
    runs += [["brief", corpus, "--date", day, "-o", str(out / "brief"), *models] for day in DAYS]
    return runs


def _run_all(code: Path, out: Path, translator: Path, summarizer: Path, cache: Path) -> None:
    env = dict(
        os.environ,
        PYTHONPATH=str(code),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        NLBRIEF_CACHE_DIR=str(cache),
        HF_HOME=str(cache / "hf"),
    )
    transcript = []
    for args in _commands(out, translator, summarizer):
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", *args], env=env, cwd=code, capture_output=True, text=True
        )
        if done.returncode not in (0, 1):  # 1: some articles failed, which the tiny models do
            raise SystemExit(f"{code}: nlbrief {args[0]} exited {done.returncode}:\n{done.stderr}")
        transcript += [f"$ nlbrief {' '.join(args)}", f"exit {done.returncode}", done.stdout, done.stderr]
    # What the commands said is an output too: the same errors and warnings, the same exit codes.
    (out / "transcript.txt").write_text("\n".join(transcript), encoding="utf-8")


def _masked(text: str, out: Path, code: Path) -> str:
    for path, name in ((CORPUS.resolve(), "<CORPUS>"), (out.parent / "out", "<OUT>"), (code, "<CODE>")):
        text = text.replace(str(path), name)
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return _OUTPUT_HASHES.sub(lambda m: _SHA256.sub("<SHA>", m.group()), text)


def _files(out: Path) -> dict[str, Path]:
    return {
        str(p.relative_to(out)): p
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".nlbrief.lock"
    }


def compare(before: Path, before_code: Path, after: Path, after_code: Path) -> list[str]:
    """The differences between two output trees, masked; empty when they are the same."""
    old, new = _files(before), _files(after)
    problems = [f"only before: {n}" for n in sorted(old.keys() - new.keys())]
    problems += [f"only after: {n}" for n in sorted(new.keys() - old.keys())]
    for name in sorted(old.keys() & new.keys()):
        a = _masked(old[name].read_text(encoding="utf-8", errors="replace"), before, before_code)
        b = _masked(new[name].read_text(encoding="utf-8", errors="replace"), after, after_code)
        if a != b:
            diff = difflib.unified_diff(
                a.splitlines(), b.splitlines(), "before/" + name, "after/" + name, lineterm="", n=1
            )
            problems.append("\n".join(list(diff)[:40]))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="git revision whose outputs are the reference")
    parser.add_argument("--keep", type=Path, help="leave both output trees in this folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="nlbrief-equivalence-"))
    old_code = work / "before-code"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old_code), args.before], check=True
    )
    # The wheel maps prompts/ to pipeline.prompts; on PYTHONPATH the old tree needs that mapping itself,
    # or the editable install would hand it this checkout's prompts.
    if (old_code / "prompts").is_dir() and not (old_code / "pipeline" / "prompts").exists():
        (old_code / "pipeline" / "prompts").symlink_to(old_code / "prompts", target_is_directory=True)
    try:
        models = _load_tiny_models().build_all(work / "models", ["translator", "chat-summarizer"])  # type: ignore[attr-defined]
        runs = {}
        for label, code in (("before", old_code), ("after", ROOT)):
            # Both runs write to the same path (moved aside afterwards), so paths inside the outputs,
            # escaped however each format escapes them, are the same too.
            out, cache = work / "out", work / "cache"
            _run_all(code, out, models["translator"], models["chat-summarizer"], cache)
            shutil.rmtree(cache)
            runs[label] = (out.rename(work / label), code)
        problems = compare(*runs["before"], *runs["after"])
        count = len(_files(runs["after"][0]))
        if args.keep:
            shutil.copytree(
                work, args.keep / work.name, ignore=shutil.ignore_patterns("before-code", "models")
            )
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_code)], check=False)
        shutil.rmtree(work, ignore_errors=True)
    for problem in problems:
        print(problem)
    print(
        f"{count} files compared against {args.before}: "
        + ("the same" if not problems else f"{len(problems)} differences")
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
