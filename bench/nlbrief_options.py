"""nlbrief's components built as its command line builds them, at its own defaults.

The rows that measure nlbrief read the defaults from the command's declared options (typer) and pass
them through the composition root (pipeline.app), so a default that changes in the library (dtype,
batch sizes, backend) changes the row without an edit here. Only the options a row names are
overridden (model folder, threads, the setting under test).
"""

from __future__ import annotations

from typing import Any


class Unavailable(Exception):
    """This nlbrief cannot run the row (an option it does not have): the row says why, in one line."""


def defaults(command: str) -> dict[str, Any]:
    import typer

    from pipeline.cli.commands import app

    params = typer.main.get_command(app).commands[command].params  # type: ignore[attr-defined]
    return {p.name: p.default for p in params}


def options(command: str, **overrides: Any) -> dict[str, Any]:
    """The command's defaults with ``overrides`` (None: keep the default); an option this nlbrief lacks
    raises Unavailable."""
    found = defaults(command)
    for name, value in overrides.items():
        if name not in found and value is not None:
            raise Unavailable(f"this nlbrief has no --{name.replace('_', '-')} option (not landed yet)")
    return {**found, **{k: v for k, v in overrides.items() if v is not None}}


def translator(opts: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(backend, TranslateSettings, BackendOptions) as `nlbrief translate` would make them from opts."""
    from pipeline import app as wiring

    lazy = wiring._translator(wiring._translator_choice(opts), wiring._runtime(opts))
    backend_options = lazy._options()
    backend = lazy.backend_factory(lazy.model.fetch(), backend_options)
    return backend, lazy.config.settings, backend_options


def summarizer(opts: dict[str, Any]) -> Any:
    """The LazySummarizer `nlbrief summarize` would make from opts."""
    from pipeline import app as wiring

    return wiring._summarizer(wiring._summarizer_choice(opts), wiring._runtime(opts))
