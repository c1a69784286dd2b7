"""Prompt templates: the built-in files, rendering, overrides from a prompts folder, errors."""

from __future__ import annotations

import re
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

from pipeline.errors import TemplateError, UsageError
from pipeline.summarize import templates as prompts

ROOT = Path(__file__).resolve().parents[2]

# The variables each caller passes: changing one of these breaks the code that renders the template.
EXPECTED_VARIABLES = {
    "bullets": ("title", "text", "bullets"),
    "headline": ("title", "text"),
    "overview": ("date", "articles"),
    "chunk_bullets": ("title", "text", "bullets"),
    "merge_bullets": ("title", "text", "bullets"),
}
SAMPLE_VALUES = {
    "title": "Storm closes ports",
    "text": "A storm closed the ports of Rotterdam on Monday.",
    "bullets": 3,
    "date": "2025-10-06",
    "articles": "Storm closes ports\n- Ports closed on Monday.",
}


def _values(template: prompts.Template) -> dict[str, str | int]:
    return {name: SAMPLE_VALUES[name] for name in template.variables}


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(EXPECTED_VARIABLES))
def test_each_builtin_template_loads_and_renders(name: str) -> None:
    template = prompts.load_template(name)
    assert template.name == name and template.builtin
    assert template.description and template.system
    assert template.variables == EXPECTED_VARIABLES[name]
    rendered = template.render(**_values(template))
    assert isinstance(rendered, prompts.RenderedPrompt)
    assert not re.search(r"\{\w+\}", rendered.user + (rendered.system or "")), "a placeholder was left"
    for name_ in template.variables:
        assert str(SAMPLE_VALUES[name_]) in rendered.user
    assert 16 <= rendered.max_new_tokens <= 512


@pytest.mark.parametrize("name", sorted(EXPECTED_VARIABLES))
def test_builtin_templates_use_every_declared_variable(name: str) -> None:
    template = prompts.load_template(name)
    used = set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", template.prompt + (template.system or "")))
    assert used == set(template.variables)


def test_list_templates_returns_every_builtin_by_name() -> None:
    templates = prompts.list_templates()
    assert [t.name for t in templates] == sorted(EXPECTED_VARIABLES)
    assert all(t.builtin and t.path.parent == prompts.builtin_prompts_dir() for t in templates)


def test_bullet_prompts_ask_for_an_explicit_format_and_budget_per_bullet() -> None:
    rendered = prompts.load_template("bullets").render(
        **_values(prompts.load_template("bullets")) | {"bullets": 5}
    )
    assert 'Answer with exactly 5 lines, each starting with "- "' in rendered.user
    assert rendered.max_new_tokens == 5 * prompts.load_template("bullets").max_new_tokens
    headline = prompts.load_template("headline")
    assert headline.max_new_tokens <= 48 and "at most 12 words" in headline.prompt


def test_braces_in_values_are_text_not_placeholders() -> None:
    template = prompts.load_template("bullets")
    hostile = "Budget {title} {0} {} {{x}} {text.__class__} {bullets:>10} }{"
    rendered = template.render(title="{text}", text=hostile, bullets=2)
    assert "Title: {text}\n" in rendered.user
    assert hostile in rendered.user


def test_doubled_braces_in_a_template_are_literal(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "bullets",
        "prompt: 'Answer as JSON {{\"bullets\": [...]}} for {text}'\nmax_new_tokens: 9\nvariables: [text]\n",
    )
    rendered = prompts.load_template("bullets", tmp_path).render(text="{x}")
    assert rendered.user == 'Answer as JSON {"bullets": [...]} for {x}'
    assert rendered.system is None and rendered.max_new_tokens == 9


def test_missing_and_unknown_values_name_the_variable() -> None:
    template = prompts.load_template("headline")
    with pytest.raises(TemplateError, match=r"no value for variable 'text'"):
        template.render(title="x")
    with pytest.raises(TemplateError, match=r"does not declare variable 'bullets'"):
        template.render(title="x", text="y", bullets=3)
    with pytest.raises(TemplateError, match=r"value for 'text' is a list"):
        template.render(title="x", text=["y"])  # type: ignore[arg-type]


def test_unknown_template_lists_the_valid_names() -> None:
    with pytest.raises(TemplateError) as err:
        prompts.load_template("bulets")
    assert str(err.value) == (
        "unknown template 'bulets'; choose one of: bullets, chunk_bullets, headline, merge_bullets, overview"
    )
    assert isinstance(err.value, UsageError) and err.value.exit_code == 2
    with pytest.raises(TemplateError, match="unknown template"):
        prompts.load_template("../prompts/bullets")


def test_an_edited_copy_in_prompts_dir_wins_and_others_fall_back(tmp_path: Path) -> None:
    original = (prompts.builtin_prompts_dir() / "headline.yaml").read_text(encoding="utf-8")
    _write(tmp_path, "headline", original.replace("at most 12 words", "at most 8 words"))
    _write(
        tmp_path, "sports", "description: d\nprompt: 'Sport: {text}'\nvariables: [text]\nmax_new_tokens: 40\n"
    )

    edited = prompts.load_template("headline", tmp_path)
    assert not edited.builtin and edited.path == tmp_path / "headline.yaml"
    assert "at most 8 words" in edited.render(title="t", text="x").user
    assert prompts.load_template("bullets", tmp_path).builtin

    by_name = {t.name: t for t in prompts.list_templates(tmp_path)}
    assert sorted(by_name) == sorted([*EXPECTED_VARIABLES, "sports"])
    assert [n for n, t in by_name.items() if not t.builtin] == ["headline", "sports"]
    with pytest.raises(TemplateError, match="choose one of: .*sports"):
        prompts.load_template("nope", tmp_path)


def test_an_edited_copy_may_stop_using_a_variable_the_pipeline_still_passes(tmp_path: Path) -> None:
    _write(
        tmp_path, "headline", "prompt: 'Headline for: {text}'\nvariables: [title, text]\nmax_new_tokens: 20\n"
    )
    assert prompts.load_template("headline", tmp_path).render(title="t", text="x").user == "Headline for: x"


def test_a_missing_prompts_dir_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="does not exist; create it"):
        prompts.load_template("bullets", tmp_path / "nope")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("prompt: [unclosed\n", r"invalid YAML at line \d"),
        ("- just\n- a list\n", "not a template"),
        ("description: no prompt\nmax_new_tokens: 10\n", "missing 'prompt'"),
        (
            "prompt: 'Hi {name}'\nvariables: [text]\nmax_new_tokens: 10\n",
            "placeholder 'name' is not declared",
        ),
        ("prompt: 'Hi {text'\nvariables: [text]\nmax_new_tokens: 10\n", "unbalanced brace"),
        ("prompt: 'Hi {text.upper}'\nvariables: [text]\nmax_new_tokens: 10\n", "is not a plain"),
        ("prompt: 'Hi {text!r}'\nvariables: [text]\nmax_new_tokens: 10\n", "is not a plain"),
        ("prompt: 'Hi {}'\nmax_new_tokens: 10\n", "is not a plain"),
        ("promt: 'Hi'\nprompt: 'Hi'\nmax_new_tokens: 10\n", "unknown key 'promt'"),
        ("prompt: 'Hi'\n", "'max_new_tokens' must be a positive"),
        ("prompt: 'Hi'\nmax_new_tokens: 0\n", "'max_new_tokens' must be a positive"),
        ("prompt: 'Hi'\nvariables: text\nmax_new_tokens: 10\n", "'variables' must be a list"),
        ("prompt: 'Hi'\nmax_new_tokens: 10\nmax_new_tokens_per: n\n", "max_new_tokens_per names 'n'"),
    ],
)
def test_broken_template_files_give_one_line_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, "bullets", text)
    with pytest.raises(TemplateError, match=message) as err:
        prompts.load_template("bullets", tmp_path)
    assert str(err.value).startswith(f"{path}: ")
    assert "\n" not in str(err.value)


def test_rendered_prompt_as_chat_messages_or_one_text() -> None:
    rendered = prompts.RenderedPrompt(system="Be careful.", user="Summarise.", max_new_tokens=10)
    assert rendered.messages() == [
        {"role": "system", "content": "Be careful."},
        {"role": "user", "content": "Summarise."},
    ]
    assert rendered.as_text() == "Be careful.\n\nSummarise."
    plain = prompts.RenderedPrompt(system=None, user="Summarise.")  # built by hand: no budget
    assert plain.max_new_tokens is None
    assert plain.messages() == [{"role": "user", "content": "Summarise."}]
    assert plain.as_text() == "Summarise."


def test_the_templates_are_found_as_package_resources() -> None:
    names = {entry.name for entry in files("pipeline.prompts").iterdir()}
    assert {f"{name}.yaml" for name in EXPECTED_VARIABLES} <= names
    assert prompts.builtin_prompts_dir() == Path(str(files("pipeline.prompts")))


def test_the_wheel_ships_the_yaml_files() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert "pipeline.prompts" in setuptools["packages"]
    assert setuptools["package-dir"]["pipeline.prompts"] == "prompts"
    assert "*.yaml" in setuptools["package-data"]["pipeline.prompts"]


def test_no_pipeline_prompts_module_shadows_the_package() -> None:
    # pipeline/prompts.py and the package pipeline.prompts cannot coexist: in a wheel the package
    # hides the module, in the source tree the module hides the YAML files.
    assert not (ROOT / "pipeline" / "prompts.py").exists()
