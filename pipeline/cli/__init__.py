"""The command line: options and commands only; the work is in the library, the wiring in pipeline.app."""

from pipeline.cli.commands import app, main

__all__ = ["app", "main"]
