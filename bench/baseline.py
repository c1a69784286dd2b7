"""Today's nlbrief, as the baselines run it: the code of one revision, extracted into a temporary folder.

The baselines must not drift as the library changes, so they run the code of ``BASELINE`` (main before
any speed work: float32 everywhere, on a CPU one article summarized at a time, the translator's
length-bound batching, torch backend, 4 beams) with this checkout's virtual environment. The folder
holds ``pipeline/`` and ``prompts/`` of that revision (``git archive``), with ``prompts`` linked into
the package as the wheel maps it; put first on ``sys.path`` (bench/forced_cli.py, the workers'
``code``), it wins over the editable install of this checkout.
"""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

BASELINE = "9b0e1f6"
REPO = Path(__file__).resolve().parent.parent


def extract(target: Path, revision: str = BASELINE) -> Path:
    """``pipeline/`` and ``prompts/`` of ``revision`` under ``target``; returns target."""
    target.mkdir(parents=True, exist_ok=True)
    archive = target / "code.tar"
    subprocess.run(
        ["git", "-C", str(REPO), "archive", "-o", str(archive), revision, "pipeline", "prompts"], check=True
    )
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    archive.unlink()
    (target / "pipeline" / "prompts").symlink_to(target / "prompts", target_is_directory=True)
    return target


def describe(revision: str = BASELINE) -> str:
    done = subprocess.run(
        ["git", "-C", str(REPO), "log", "-1", "--format=%h %ad %s", "--date=short", revision],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.stdout.strip() or revision
