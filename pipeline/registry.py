"""Name lookups in nlbrief's registries (backends, output formats, model families), one way for all.

A registry is a dict of factories keyed by the name a user types; an unknown name is a usage error
that lists the valid ones, worded the same whichever registry it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from pipeline.errors import UnknownChoiceError

T = TypeVar("T")


def lookup(registry: Mapping[str, T], name: str, *, what: str) -> T:
    """``registry[name]``, or an UnknownChoiceError "unknown <what> 'name'; choose one of: ..."."""
    try:
        return registry[name]
    except KeyError:
        raise UnknownChoiceError(what, name, list(registry)) from None
