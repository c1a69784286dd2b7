"""The command line's shared options: their names, values (metavars), defaults and help texts.

Kept apart from pipeline/cli/commands.py so the commands read as what they do. Only light modules are
imported here (registries and defaults, no model code): every ``nlbrief`` start, ``--help`` too,
loads this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.ingest.discover import DEFAULT_INCLUDE
from pipeline.translate.backends.registry import BACKENDS

# Plain (click) help, not rich panels: rich cuts defaults and env vars at 80 columns and shows a type
# after flags that take no value; plain help wraps every word and stays readable at any width.
HELP_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 120}

SummarizerOption = Annotated[
    str,
    typer.Option(
        "--summarizer-model",
        envvar="NLBRIEF_SUMMARIZER_MODEL",
        metavar="ID|DIR",
        help="Hub id or local folder of a chat (causal LM) or seq2seq summarization model.",
    ),
]
PromptsDirOption = Annotated[
    Path | None,
    typer.Option("--prompts-dir", metavar="DIR", help="Folder with edited copies of prompt templates."),
]
TranslatorOption = Annotated[
    str,
    typer.Option(
        "--translator-model",
        envvar="NLBRIEF_TRANSLATOR_MODEL",
        metavar="ID|DIR",
        help="Hub id or local folder of a MarianMT model.",
    ),
]
# Options shared by the batch commands (translate, process, summarize).
# Arguments are hidden from the options list, where typer would print their Python type (`<list[str]>`)
# after the name; each command's docstring says what its arguments are.
PathsArgument = Annotated[list[str], typer.Argument(metavar="PATH", hidden=True)]
BackendOption = Annotated[
    str, typer.Option(metavar="|".join(BACKENDS), help=f"Translation engine: {', '.join(BACKENDS)}.")
]
BeamsOption = Annotated[
    int, typer.Option(min=1, metavar="N", help="Translation beam size; 1 is greedy and fastest.")
]
BatchTokensOption = Annotated[
    int, typer.Option(min=1, metavar="N", help="Padded source tokens per translation batch.")
]
DeviceOption = Annotated[
    str, typer.Option(metavar="auto|cpu|cuda", help="auto takes a CUDA GPU when there is one.")
]
ThreadsOption = Annotated[
    int | None,
    typer.Option(min=1, metavar="N", show_default="torch's own", help="CPU threads for torch."),
]
IncludeOption = Annotated[
    list[str] | None,
    typer.Option(
        metavar="GLOB",
        show_default=", ".join(DEFAULT_INCLUDE),
        help="Glob of files to take in folders (repeatable).",
    ),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option(metavar="GLOB", help="Glob of files or folders to leave out (repeatable)."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Redo inputs that are up to date.")]
LanguageCheckOption = Annotated[
    bool,
    typer.Option(
        "--language-check/--no-language-check",
        help="Pass English files through, refuse other non-Dutch languages "
        "(--no-language-check: translate them anyway).",
    ),
]
AllowPickleOption = Annotated[
    bool, typer.Option("--allow-pickle", help="Allow pickle (.bin) weights, which can run code when loaded.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, warnings or summary.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON summary on stdout.")]
MaxFileSizeOption = Annotated[
    str,
    typer.Option(
        "--max-file-size", metavar="SIZE", help="Refuse input files larger than this, e.g. 20MB or 500KB."
    ),
]
WaitOption = Annotated[
    bool, typer.Option("--wait", help="If another run is writing the output folder, wait for it to finish.")
]
WaveOption = Annotated[int, typer.Option(min=1, hidden=True, help="Characters between saves.")]
ComputeTypeOption = Annotated[
    str,
    typer.Option(
        metavar="TYPE",
        help="ctranslate2 backend: int8 (CPU default), int8_float16 (GPU default), float32, ...",
    ),
]
CacheDirOption = Annotated[
    Path | None,
    typer.Option(metavar="DIR", help="Folder of the translation memory (default: ~/.cache/nlbrief)."),
]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Do not use the translation memory.")]
# The choices of --quantize and --format are spelled out: importing their registries (generators.QUANTIZE,
# render.FORMATS) would slow down every start with YAML and the translator; a test checks them.
QuantizeOption = Annotated[str, typer.Option(metavar="none|int8", help="Summarizer weights on the CPU.")]
BulletsOption = Annotated[int, typer.Option(min=1, max=20, metavar="N", help="Bullet points per article.")]
ContextOption = Annotated[
    int | None,
    typer.Option(
        min=64,
        metavar="N",
        show_default="the model's own context",
        help="Summarizer input budget in tokens; longer articles go map-reduce.",
    ),
]


def output_option(default: str) -> object:
    """-o/--output, with the command's default folder named in its help."""
    return typer.Option("-o", "--output", metavar="DIR", help=f"Output folder (default: {default}).")
