"""The housekeeping commands: `nlbrief models ...` and `nlbrief prompts ...`.

Apart from cli.py so that each command file stays short; like it, this only declares options and
calls the library, and imports nothing heavy at module level.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from pipeline.cli.options import PromptsDirOption, SummarizerOption, TranslatorOption
from pipeline.models.locate import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR

models_app = typer.Typer(
    help="See, check and download the models nlbrief uses.", no_args_is_help=True, rich_markup_mode=None
)
prompts_app = typer.Typer(
    help="See the prompt templates the summarizer uses.", no_args_is_help=True, rich_markup_mode=None
)


@prompts_app.command("list")
def prompts_list(prompts_dir: PromptsDirOption = None) -> None:
    """The prompt templates, their variables, and where each comes from."""
    from pipeline.summarize.templates import list_templates

    for template in list_templates(prompts_dir):
        origin = "built-in" if template.builtin else str(template.path)
        typer.echo(f"{template.name:<14} {template.description}")
        typer.echo(f"{'':<14} variables: {', '.join(template.variables)}; from {origin}")


@prompts_app.command("show")
def prompts_show(
    name: Annotated[str, typer.Argument(metavar="NAME", hidden=True)],
    prompts_dir: PromptsDirOption = None,
) -> None:
    """Print one template file as the summarizer will use it.

    NAME: a template name, e.g. bullets (see `nlbrief prompts list`).
    """
    from pipeline.summarize.templates import load_template

    template = load_template(name, prompts_dir)
    typer.echo(f"# {template.path}")
    typer.echo(template.path.read_text(encoding="utf-8").rstrip("\n"))


@models_app.command("list", short_help="The configured models, and whether each is on this machine.")
def models_list(
    translator_model: TranslatorOption = DEFAULT_TRANSLATOR,
    summarizer_model: SummarizerOption = DEFAULT_SUMMARIZER,
) -> None:
    """The configured models, and whether each is on this machine (and where)."""
    from pipeline.errors import ModelError
    from pipeline.models.locate import model_status

    statuses = [model_status("translator", translator_model), model_status("summarizer", summarizer_model)]
    for status in statuses:
        state = "available" if status.available else "MISSING"
        typer.echo(f"{status.role:<11} {status.spec}\n            {state}: {status.where}")
    problems = [status.problem for status in statuses if status.problem]
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    if problems:
        raise typer.Exit(ModelError.exit_code)


@models_app.command("info", short_help="Details of one model on this machine.")
def models_info(
    model: Annotated[str, typer.Argument(metavar="ID|DIR", hidden=True)],
) -> None:
    """Details of one model on this machine: folder, revision, weights, architecture, size.

    ID|DIR: a Hugging Face Hub id or a local model folder.
    """
    from pipeline.models.locate import describe_model

    typer.echo(json.dumps(describe_model(model), indent=2))


@models_app.command("pull", short_help="Download models for later offline use.")
def models_pull(
    models: Annotated[list[str] | None, typer.Argument(metavar="ID", hidden=True)] = None,
    translator_model: TranslatorOption = DEFAULT_TRANSLATOR,
    summarizer_model: SummarizerOption = DEFAULT_SUMMARIZER,
) -> None:
    """Download models into the Hugging Face cache (HF_HOME) for later offline use.

    ID: Hugging Face Hub ids (default: the configured translator and summarizer).
    """
    from pipeline.errors import ModelError
    from pipeline.models.pull import pull_models

    failed = False
    for spec, got in pull_models(models or [translator_model, summarizer_model]):
        if isinstance(got, ModelError):
            typer.echo(f"error: {got}", err=True)
            failed = True
        else:
            typer.echo(f"{spec}: {got.path} ({got.origin})")
    if failed:
        raise typer.Exit(ModelError.exit_code)
