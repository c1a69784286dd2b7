"""A folder of articles written from a {relative path: text} table, sub-folders included."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def write_articles(folder: Path, articles: Mapping[str, str]) -> Path:
    for name, text in articles.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder
