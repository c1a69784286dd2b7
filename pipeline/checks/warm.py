"""The checks' tables (GeoNames cities, the CLDR and simplemma lexicons, the feasts) built while a run's
models load, instead of at its first check.

They take about 1.6 s to build, once per process (a quarter of what the checks cost a 20-article
briefing in `make bench`). A run starts building them in a thread of their own before it loads a model;
loading is mostly file reading and copying done outside Python's lock, so the two overlap. A check
that comes first waits for the thread, so every table is built once, by one thread.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_builder: threading.Thread | None = None


def build_tables() -> None:
    """Every table the checks read: one sentence pair that asks for each kind of fact."""
    from pipeline.checks.compare import check_translation

    check_translation(
        "Op vrijdag 5 mei kocht Jan de Vries in Utrecht 3 fietsen voor 2,5 miljoen euro met Pasen.",
        "On Friday May 5 Jan de Vries bought 3 bikes in Utrecht for EUR 2.5 million at Easter.",
    )


def start_building() -> None:
    """Start building the tables in the background, once per process."""
    global _builder
    with _lock:
        if _builder is None:
            _builder = threading.Thread(target=build_tables, name="nlbrief-check-tables", daemon=True)
            _builder.start()


def wait_for_tables() -> None:
    """Before a check reads a table: the background build finished (at once when none was started)."""
    builder = _builder
    if builder is not None and builder.is_alive():
        builder.join()
