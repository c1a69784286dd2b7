"""nlbrief's HTML pages read back as a tree, with the stdlib parser: elements, text, and every event.

Strict on purpose: an end tag that closes another element, an element left open or an attribute given
twice fails the parse, so a page whose structure an article could bend does not pass as a tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "br", "hr", "img", "input", "link", "source", "wbr", "area", "base", "col", "embed"}

Event = tuple[object, ...]


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(tag)


class PageParser(HTMLParser):
    """The tree under ``root``; ``events``: every start, end, comment and declaration in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.events: list[Event] = []

    @property
    def other(self) -> list[Event]:
        """Comments, declarations and processing instructions: what is neither an element nor text."""
        return [e for e in self.events if e[0] not in ("start", "end")]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        assert len(element.attrs) == len(attrs), f"<{tag}> repeats an attribute: {attrs}"
        self.stack[-1].children.append(element)
        self.events.append(("start", tag, tuple(attrs)))
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        self.events.append(("comment", data))

    def handle_decl(self, decl: str) -> None:
        self.events.append(("decl", decl.lower()))

    def handle_pi(self, data: str) -> None:
        self.events.append(("pi", data))

    def unknown_decl(self, data: str) -> None:
        self.events.append(("unknown_decl", data))


def parse_html(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    assert parser.stack == [parser.root], "unclosed elements: " + ", ".join(e.tag for e in parser.stack[1:])
    return parser


def by_class(root: Element, tag: str, cls: str) -> list[Element]:
    return [e for e in root.iter(tag) if e.attrs.get("class") == cls]
