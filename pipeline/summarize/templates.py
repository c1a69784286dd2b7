"""Prompt templates: one YAML file per template in prompts/, shipped as the package ``pipeline.prompts``.

The files are data (the resources of ``pipeline.prompts``); this module reads, checks and fills them.

A template file holds ``description``, ``system`` (optional), ``prompt`` (the user message),
``variables`` and ``max_new_tokens`` (optionally ``max_new_tokens_per``: a count variable the
budget is multiplied by). Placeholders are ``{name}``; literal braces are doubled, as in
``str.format``. Values are substituted in one pass and never parsed, so article text full of
braces renders as it is.

With ``prompts_dir``, a template found there wins and every other one falls back to the built-in
file: an edited copy of one template is enough. ``Template.builtin`` says which one was used.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import yaml

from pipeline.errors import TemplateError

SUFFIX = ".yaml"
_KNOWN_KEYS = frozenset(
    {"description", "system", "prompt", "variables", "max_new_tokens", "max_new_tokens_per"}
)
# A template name is a file stem; anything else (a path, "../x") is refused before touching disk.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class RenderedPrompt:
    """One rendered template: what a chat model gets as system and user messages."""

    system: str | None
    user: str
    # The template's bound for this render (per-bullet budgets already multiplied); None when the
    # prompt was built by hand rather than rendered.
    max_new_tokens: int | None = None

    def messages(self) -> list[dict[str, str]]:
        """Chat messages for ``tokenizer.apply_chat_template``."""
        head = [{"role": "system", "content": self.system}] if self.system else []
        return [*head, {"role": "user", "content": self.user}]

    def as_text(self) -> str:
        """One input string, for seq2seq models (flan-t5) that have no system role."""
        return f"{self.system}\n\n{self.user}" if self.system else self.user


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    system: str | None
    prompt: str
    variables: tuple[str, ...]
    max_new_tokens: int
    path: Path
    max_new_tokens_per: str | None = None
    builtin: bool = True
    # Parsed once at load time, so render() never meets a malformed placeholder.
    _system_parts: tuple[tuple[str, str | None], ...] = field(default=(), repr=False, compare=False)
    _prompt_parts: tuple[tuple[str, str | None], ...] = field(default=(), repr=False, compare=False)

    def render(self, **values: str | int | float) -> RenderedPrompt:
        """Fill every declared variable; a missing or undeclared value is a TemplateError."""
        missing = [name for name in self.variables if name not in values]
        if missing:
            raise TemplateError(
                f"{self.path}: no value for variable {_names(missing)}; pass every variable the template "
                f"declares ({', '.join(self.variables)})"
            )
        unknown = sorted(set(values) - set(self.variables))
        if unknown:
            raise TemplateError(
                f"{self.path}: template {self.name!r} does not declare variable {_names(unknown)}; "
                f"add it to 'variables' or stop passing it"
            )
        for name, value in values.items():
            # bool is an int, but "True bullets" is never what the caller meant.
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise TemplateError(
                    f"{self.path}: value for {name!r} is a {type(value).__name__}; pass a string or a "
                    f"number (join lists into one string first)"
                )
        texts = {name: str(value) for name, value in values.items()}
        system = _fill(self._system_parts, texts) if self.system is not None else None
        return RenderedPrompt(system, _fill(self._prompt_parts, texts), self._budget(values))

    def _budget(self, values: dict[str, str | int | float]) -> int:
        if self.max_new_tokens_per is None:
            return self.max_new_tokens
        count = values[self.max_new_tokens_per]
        try:
            count = int(count)
        except ValueError:
            raise TemplateError(
                f"{self.path}: {self.max_new_tokens_per!r} must be a whole number, got {count!r}"
            ) from None
        return self.max_new_tokens * max(1, count)


def builtin_prompts_dir() -> Path:
    """The folder of the shipped templates, found through the package, not the source tree."""
    # A regular package installed from a wheel or in editable mode is a real folder; zipped
    # installs are not supported.
    return Path(str(files("pipeline.prompts")))


def load_template(name: str, prompts_dir: Path | None = None) -> Template:
    """The template ``name``: from ``prompts_dir`` when it holds one, else the built-in."""
    if prompts_dir is not None:
        _check_dir(prompts_dir)
        if _NAME.match(name) and (prompts_dir / f"{name}{SUFFIX}").is_file():
            return _read(prompts_dir / f"{name}{SUFFIX}", builtin=False)
    path = builtin_prompts_dir() / f"{name}{SUFFIX}"
    if not _NAME.match(name) or not path.is_file():
        valid = sorted(_stems(builtin_prompts_dir()) | _stems(prompts_dir))
        raise TemplateError(f"unknown template {name!r}; choose one of: {', '.join(valid)}")
    return _read(path, builtin=True)


def list_templates(prompts_dir: Path | None = None) -> list[Template]:
    """Every template by name, each from ``prompts_dir`` when there is a copy there."""
    if prompts_dir is not None:
        _check_dir(prompts_dir)
    names = sorted(_stems(builtin_prompts_dir()) | _stems(prompts_dir))
    return [load_template(name, prompts_dir) for name in names]


def _check_dir(prompts_dir: Path) -> None:
    if not prompts_dir.is_dir():
        raise TemplateError(
            f"prompts folder {prompts_dir} does not exist; create it with edited copies of the "
            f"templates in {builtin_prompts_dir()}"
        )


def _stems(folder: Path | None) -> set[str]:
    if folder is None:
        return set()
    return {p.stem for p in folder.glob(f"*{SUFFIX}") if p.is_file() and _NAME.match(p.stem)}


def _read(path: Path, *, builtin: bool) -> Template:
    data = _load_mapping(path)
    prompt, system, description = _texts(path, data)
    variables = _variables(path, data.get("variables"))
    max_new_tokens = data.get("max_new_tokens")
    if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int) or max_new_tokens < 1:
        raise TemplateError(f"{path}: 'max_new_tokens' must be a positive whole number, e.g. 64")
    per = data.get("max_new_tokens_per")
    if per is not None and per not in variables:
        raise TemplateError(f"{path}: max_new_tokens_per names {per!r}; it must be one of 'variables'")
    system_parts = _parse(path, "system", system) if system is not None else ()
    prompt_parts = _parse(path, "prompt", prompt)
    used = {name for _, name in (*system_parts, *prompt_parts) if name is not None}
    undeclared = sorted(used - set(variables))
    if undeclared:
        raise TemplateError(
            f"{path}: placeholder {_names(undeclared)} is not declared in 'variables'; declare it, or write "
            f"literal braces as {{{{ and }}}}"
        )
    # A declared but unused variable is fine: an edited copy may drop {title} while the pipeline
    # still passes it.
    return Template(
        name=path.stem,
        description=description,
        system=system,
        prompt=prompt,
        variables=variables,
        max_new_tokens=max_new_tokens,
        path=path,
        max_new_tokens_per=per,
        builtin=builtin,
        _system_parts=system_parts,
        _prompt_parts=prompt_parts,
    )


def _load_mapping(path: Path) -> dict[str, object]:
    """The file's YAML mapping with only known keys, or the TemplateError that says how to fix it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise TemplateError(f"{path}: cannot read the template ({err}); fix or remove the file") from None
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise TemplateError(
            f"{path}: invalid YAML{line}; use block scalars (prompt: |) for multi-line text"
        ) from None
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: not a template; write a mapping with at least a 'prompt' key")
    extra = sorted(set(map(str, data)) - _KNOWN_KEYS)
    if extra:
        raise TemplateError(
            f"{path}: unknown key {_names(extra)}; the keys are {', '.join(sorted(_KNOWN_KEYS))}"
        )
    return data


def _texts(path: Path, data: dict[str, object]) -> tuple[str, str | None, str]:
    """The prompt, the system message (None when absent or blank) and the description, stripped."""
    prompt = data.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise TemplateError(f"{path}: missing 'prompt'; add the user message as prompt: |")
    system = data.get("system")
    if system is not None and not isinstance(system, str):
        raise TemplateError(f"{path}: 'system' must be text; write it as system: |")
    description = data.get("description") or ""
    if not isinstance(description, str):
        raise TemplateError(f"{path}: 'description' must be one line of text")
    system = system.strip() if system is not None and system.strip() else None
    return prompt.strip(), system, description.strip()


def _variables(path: Path, raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(v, str) and v.isidentifier() for v in raw):
        raise TemplateError(f"{path}: 'variables' must be a list of names, e.g. [title, text]")
    if len(set(raw)) != len(raw):
        raise TemplateError(f"{path}: 'variables' lists a name twice; list each once")
    return tuple(raw)


def _parse(path: Path, key: str, text: str) -> tuple[tuple[str, str | None], ...]:
    """Split ``text`` into (literal, placeholder-or-None) pairs; only plain ``{name}`` is allowed."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise TemplateError(
            f"{path}: unbalanced brace in '{key}'; write literal braces as {{{{ and }}}}"
        ) from None
    parts: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in parsed:
        if name is not None and (not name.isidentifier() or spec or conversion):
            # Attribute access ({text.__class__}), indexes and format specs would let a template
            # reach into the values; only the plain form is substituted.
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise TemplateError(
                f"{path}: placeholder {shown} in '{key}' is not a plain {{name}}; use {{name}} or "
                f"double the braces for literal text"
            )
        parts.append((literal, name))
    return tuple(parts)


def _fill(parts: tuple[tuple[str, str | None], ...], values: dict[str, str]) -> str:
    # One pass over the parsed template: substituted text is never parsed again.
    return "".join(literal + (values[name] if name is not None else "") for literal, name in parts)


def _names(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names)
