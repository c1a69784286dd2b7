"""``briefings.atom``: the Atom feed of the briefings in a briefing folder, rebuilt from their JSON.

Rebuilt after each briefing written or found up to date, from every briefing present (not only the
ones this run made), so it is right whatever runs came before; written atomically, and only when its
bytes change, so a rerun with nothing new rewrites nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from pipeline.briefing.feed import FEED_NAME, FeedEntry, feed_id, made_at, newest, render_feed
from pipeline.briefing.render import briefing_from_dict
from pipeline.run.files import atomic_write_bytes

# A briefing's JSON, as `nlbrief brief` names it: a day, or the first and last day of a digest.
BRIEFING_JSON = re.compile(r"\d{4}-\d{2}-\d{2}(_\d{4}-\d{2}-\d{2})?\.json")


def write_feed(folder: Path, days: int, note: Callable[[str], None]) -> Path:
    """Write ``folder/briefings.atom`` with the briefings of the newest ``days`` days; a briefing's JSON
    that cannot be read is left out, and ``note`` says so."""
    entries = []
    for path in sorted(folder.glob("*.json")):
        if not BRIEFING_JSON.fullmatch(path.name):
            continue  # not a briefing nlbrief wrote
        try:
            briefing = briefing_from_dict(json.loads(path.read_text(encoding="utf-8")))
            updated = made_at(briefing.generated_at, path.stat().st_mtime)
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as err:
            why = f"not a briefing nlbrief can read ({err})"
            note(f"{path}: left out of {FEED_NAME}: {why}; rerun nlbrief brief for its day, or remove it")
            continue
        entries.append(FeedEntry(path.stem, briefing, updated))
    target = folder / FEED_NAME
    try:
        previous: bytes | None = target.read_bytes()
    except OSError:
        previous = None
    data = render_feed(newest(entries, days), feed_id(folder.resolve().as_uri(), previous))
    if previous != data:
        atomic_write_bytes(target, data)
    return target
