"""The briefing's pages from Jinja2 templates: ``briefing.html.j2`` and ``briefing.md.j2``.

The built-in templates ship in the package (``pipeline/briefing/templates/``). With a template folder
(``nlbrief brief --template-dir DIR``), a template found there wins and the other falls back to the
built-in one, as ``--prompts-dir`` does for prompts: an edited copy of one template is enough. A folder
that does not exist, or holds neither template, is an error before any work.

Every string a template prints comes from an article or a model, so none of it is trusted, and no
template has to remember to escape it: every value a ``{{ ... }}`` prints goes through the one escaping
of its format (the environment's ``finalize``), the helpers of :mod:`pipeline.text.escaping`:

* HTML: :func:`~pipeline.text.escaping.html_text` (control and bidi characters shown as U+FFFD, then
  ``html.escape(..., quote=True)``), with Jinja2's autoescaping on behind it;
* Markdown: :func:`~pipeline.text.escaping.md_inline` (one line, no syntax of its own).

A filter that builds markup itself (``url_html``, ``date_html``, ``md_link``, ``anchor``) returns it as
:class:`markupsafe.Markup`, which both formats print as it is. The templates run in Jinja2's sandbox, and
an undefined name is an error (StrictUndefined), reported as one line naming the file and the line.
"""

from __future__ import annotations

import hashlib
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from pipeline.briefing.model import Briefing, Story
from pipeline.briefing.outlets import reported_by, source_name
from pipeline.errors import TemplateError
from pipeline.registry import lookup
from pipeline.text.escaping import (
    date_html,
    date_label,
    html_text,
    md_inline,
    md_link,
    relative_link,
    url_html,
)
from pipeline.text.html_page import BASE_STYLE, CSP
from pipeline.text.plural import counted

# The template of each page format, by the name `--template-dir` copies must have.
TEMPLATE_NAMES = {"html": "briefing.html.j2", "md": "briefing.md.j2"}
_ANCHOR = re.compile(r"[a-z0-9-]+")
_FIX = "fix the template, or remove it from the template folder to use the built-in one"


def builtin_templates_dir() -> Path:
    """The folder of the shipped templates, found through the package, not the source tree."""
    return Path(str(files("pipeline.briefing"))) / "templates"


# --- what the templates see besides the briefing ------------------------------------------------------


def anchor(story: Story) -> Markup:
    """The story's anchor, checked: it goes into ids and fragment links as it is."""
    if not _ANCHOR.fullmatch(story.anchor):
        raise ValueError(f"story anchor {story.anchor!r} is not [a-z0-9-]+")
    return Markup(story.anchor)


def _markup(function: Callable[..., str | None]) -> Callable[..., Markup | None]:
    """``function`` as a filter whose text is already safe for its format (None stays None)."""

    def filtered(*args: Any) -> Markup | None:
        text = function(*args)
        return None if text is None else Markup(text)

    return filtered


_COMMON_FILTERS: dict[str, Callable[..., Any]] = {
    "anchor": anchor,
    "source_name": source_name,
    "reported_by": reported_by,
    "date_label": date_label,
}
# Each format's own: the helpers that build its markup, and how a value is made safe to print.
_FILTERS: dict[str, dict[str, Callable[..., Any]]] = {
    "html": {"url_html": _markup(url_html), "date_html": _markup(date_html), "relative_link": relative_link},
    "md": {"md_link": _markup(md_link), "relative_link": _markup(relative_link)},
}
_ESCAPE: dict[str, Callable[[str], str]] = {"html": html_text, "md": md_inline}


def _finalize(escape: Callable[[str], str]) -> Callable[[Any], Any]:
    def finalize(value: Any) -> Any:
        # Markup is what a filter (or the template itself) made safe; every other string is untrusted.
        if isinstance(value, str) and not isinstance(value, Markup):
            return Markup(escape(value))
        return value

    return finalize


@dataclass(frozen=True)
class PageTemplates:
    """The briefing's HTML and Markdown templates: a user's copies in ``folder`` first, else the built-in."""

    folder: Path | None = None

    def check(self) -> None:
        """Before any work: the folder exists and holds a template, and every template compiles."""
        if self.folder is not None:
            names = ", ".join(TEMPLATE_NAMES.values())
            if not self.folder.is_dir():
                raise TemplateError(
                    f"template folder {self.folder} does not exist; create it with edited copies of "
                    f"{names} from {builtin_templates_dir()}"
                )
            if not any((self.folder / name).is_file() for name in TEMPLATE_NAMES.values()):
                raise TemplateError(
                    f"template folder {self.folder} holds no briefing template ({names}); copy one from "
                    f"{builtin_templates_dir()} and edit it"
                )
        for fmt in TEMPLATE_NAMES:
            self._template(fmt)

    def digest(self) -> str:
        """Changes whenever a template in use changes: an edited template rewrites the briefing."""
        digest = hashlib.sha256()
        for fmt in sorted(TEMPLATE_NAMES):
            source = Path(self._template(fmt).filename or "").read_text(encoding="utf-8")
            digest.update(f"{fmt}\0{source}\0".encode())
        return digest.hexdigest()[:16]

    def render(self, fmt: str, briefing: Briefing) -> str:
        """The page of ``briefing`` in ``fmt`` ("html" or "md"); TemplateError names a template's fault."""
        template = self._template(fmt)
        context = {"briefing": briefing, "csp": Markup(CSP), "base_style": Markup(BASE_STYLE)}
        try:
            return template.render(context)
        except jinja2.TemplateError as err:
            raise _template_error(template, err) from None
        except Exception as err:
            if self._is_builtin(template):
                raise  # nlbrief's own template: a bug to see in full, not a user's mistake
            raise _template_error(template, err) from None

    def _template(self, fmt: str) -> jinja2.Template:
        name = lookup(TEMPLATE_NAMES, fmt, what="briefing template format")
        try:
            return self._environments[fmt].get_template(name)
        except jinja2.TemplateSyntaxError as err:
            where = f", line {err.lineno}" if err.lineno else ""
            raise TemplateError(f"{err.filename or name}{where}: {err.message}; {_FIX}") from None
        except (OSError, UnicodeDecodeError) as err:
            raise TemplateError(f"cannot read the template {name} ({err}); {_FIX}") from None

    @cached_property
    def _environments(self) -> dict[str, jinja2.Environment]:
        folders = [str(self.folder)] if self.folder is not None else []
        loader = jinja2.FileSystemLoader([*folders, str(builtin_templates_dir())])
        environments: dict[str, jinja2.Environment] = {}
        for fmt, escape in _ESCAPE.items():
            env = SandboxedEnvironment(
                loader=loader,
                autoescape=fmt == "html",
                undefined=jinja2.StrictUndefined,
                finalize=_finalize(escape),
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
                auto_reload=False,
            )
            env.filters.update({**_COMMON_FILTERS, **_FILTERS[fmt]})
            env.globals["counted"] = counted
            environments[fmt] = env
        return environments

    def _is_builtin(self, template: jinja2.Template) -> bool:
        return Path(template.filename or "").parent == builtin_templates_dir()


def _template_error(template: jinja2.Template, err: Exception) -> TemplateError:
    """One line: the template file, the line the error happened on, what went wrong, and the fix."""
    filename = template.filename or template.name or "template"
    line = None
    for frame, lineno in traceback.walk_tb(err.__traceback__):
        if frame.f_code.co_filename == filename:  # Jinja2 maps its frames back to the template's lines
            line = lineno
    where = f", line {line}" if line else ""
    message = getattr(err, "message", None) or str(err) or type(err).__name__
    return TemplateError(f"{filename}{where}: {message}; {_FIX}")
