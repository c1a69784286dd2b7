"""The installed ``nlbrief`` command, run in a subprocess as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NLBRIEF = str(Path(sys.executable).parent / "nlbrief")


def nlbrief(
    *args: str, stdin: str | None = None, timeout: float = 300, cwd: Path | None = None, columns: int = 0
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns)} if columns else os.environ.copy()
    return subprocess.run(
        [NLBRIEF, *args], input=stdin, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd
    )
