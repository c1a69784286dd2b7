"""A config file's option values: each key is an option's long name (``translator-model = "..."`` for
``--translator-model``), its value checked against the option's type and bounds and turned into the
value the command line would give.

The list of keys is the command's own options (the CLI derives the Settings from their declarations), so
a config file and the command line cannot drift apart. A wrong key or value is a usage error naming the
file, the key and the fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import UsageError

_KIND_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false", Path: "a path"}


@dataclass(frozen=True, kw_only=True)
class Setting:
    """One option as a config file key: its parameter name, its value type, whether it takes a list, and
    the bounds the command line holds it to."""

    name: str
    kind: type
    many: bool = False
    minimum: float | None = None
    maximum: float | None = None

    def describe(self) -> str:
        kind = _KIND_NAMES.get(self.kind, self.kind.__name__)
        return f"a list of {kind} values, such as [...]" if self.many else kind


def read_settings(
    table: Mapping[str, Any], settings: Mapping[str, Setting], *, where: str, base: Path
) -> dict[str, Any]:
    """The option values of ``table`` by parameter name; a relative path is taken from ``base`` (the
    config file's folder), so the file means the same whatever folder the command runs in."""
    values = {}
    for key, value in table.items():
        setting = settings.get(key)
        if setting is None:
            raise UsageError(_unknown(key, settings, where))
        items = value if setting.many and isinstance(value, list) else [value]
        converted = [_convert(item, setting, f"{where}: {key}", base) for item in items]
        values[setting.name] = converted if setting.many else converted[0]
    return values


def _unknown(key: str, settings: Mapping[str, Setting], where: str) -> str:
    dashed = key.replace("_", "-")
    hint = f"; write it {dashed!r}" if dashed in settings else ""
    return f"{where}: unknown key {key!r}{hint}; the keys are {', '.join(sorted(settings))}"


def _convert(value: Any, setting: Setting, where: str, base: Path) -> Any:
    kind = setting.kind
    # TOML's true is not a number, and a whole number is a fine float.
    fits = (
        isinstance(value, bool)
        if kind is bool
        else isinstance(value, int | float) and not isinstance(value, bool)
        if kind is float
        else isinstance(value, int) and not isinstance(value, bool)
        if kind is int
        else isinstance(value, str)
    )
    if not fits:
        raise UsageError(f"{where} = {value!r} is not {setting.describe()}; fix the value")
    if setting.minimum is not None and value < setting.minimum:
        raise UsageError(f"{where} = {value!r} is below {setting.minimum}; fix the value")
    if setting.maximum is not None and value > setting.maximum:
        raise UsageError(f"{where} = {value!r} is above {setting.maximum}; fix the value")
    if kind is Path:
        return base / Path(value).expanduser()
    return float(value) if kind is float else value
