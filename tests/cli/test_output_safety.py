"""Output safety: whatever an article or a model writes, the outputs keep the structure nlbrief gives them.

``tests/test_briefing_render.py`` holds the briefing's layout and a first hostile briefing. This file puts a
wider set of hostile strings (markup, script URLs, Markdown block and inline syntax, line breaks, invisible
and bidi control characters, NULs, very long words) into every field of every output that people read:
the briefing page (HTML) and Markdown and the translation page here; the per-article record pages (Markdown
and HTML) in tests/test_article_pages.py, with these strings and parsers. Each output is
read back with a real parser (the stdlib's html.parser; markdown-it-py for CommonMark) and checked for two
things: no structure came from the text, and none of the text was lost.

markdown-it-py is not a dependency of nlbrief: it comes with rich, which typer (a dependency) requires.
Its link validation is switched off below, so that a ``javascript:`` link nlbrief let through is reported
here rather than quietly dropped by the parser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.briefing.model import Briefing, MissingArticle, Story, StorySource
from pipeline.briefing.render import render_html, render_markdown
from pipeline.ingest.document import Document, Paragraph, ParagraphKind
from pipeline.text.escaping import http_url, md_inline, relative_link
from pipeline.translate.formats import render_md
from pipeline.translate.translator import TranslatedDocument, TranslatedUnit

# --- hostile text -----------------------------------------------------------------------------------

LONG_WORD = "Fietsenstallingsuitbreidingsplannen" * 30

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    '\'><iframe src="javascript:alert(1)"></iframe>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    "<style>body { display: none }</style>",
    "</li></ul></section><h1>Fake headline</h1>",
    "<!-- everything after this is hidden",
    "<![CDATA[ hidden ]]> <?php echo 1 ?>",
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "[click me](javascript:alert(1))",
    "![tracker](http://evil.example/x.png)",
    "<https://evil.example/a> and <javascript:alert(1)>",
    "[ref]: javascript:alert(1)",
    "[ref] and [^1]",
    "see https://evil.example/x or www.evil.example today",
    "# Breaking: a heading of its own",
    "---",
    "***",
    "1. the first point",
    "2) the second point",
    "> a quotation",
    "+ a plus item",
    "- a dash item",
    "`rm -rf /` and ``double`` ticks",
    "```html\n<script>alert(1)</script>\n```",
    "~~~\nfenced\n~~~",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "first line\n# second line\n\n- third line",
    "one\rtwo\r\n## three",
    "Setext title\n====",
    "    indented like code",
    "**bold** _italic_ ~~struck~~",
    "&lt;script&gt; &amp; &#60;b&#62; &#106;avascript:alert(1)",
    "C:\\path\\file and a trailing backslash \\",
    "zero\u200bwidth\u200djoiner\ufeffmark",
    "invoice\u202egpj.exe and \u2066isolated\u2069 \u202aembedded\u202c",
    "line\u2028separator\u2029paragraph\x85next",
    "nul\x00byte\x1bescape\x7fdelete",
    LONG_WORD,
]
TITLE = "Nieuws <script>alert(1)</script>\n# not a second title\r\n\u202eevil"

# What the renderers replace: C0/C1 controls but tab, newline and CR; bidi embeddings, overrides and
# isolates; lone surrogates.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# What a browser ignores in a URL before it looks for the scheme.
URL_IGNORED = re.compile(r"[\x00-\x20]")


def visible(text: str | None) -> str:
    """``text`` as a reader sees it: controls shown as U+FFFD, runs of white space as one space."""
    return " ".join(CONTROLS.sub("\ufffd", text or "").split())


def safe_target(value: str) -> bool:
    """A link or resource target that cannot run anything: a fragment, http(s), or a relative path."""
    value = URL_IGNORED.sub("", value)
    if value.startswith("#"):
        return bool(re.fullmatch(r"#[a-z0-9-]+", value))
    parts = urlsplit(value)
    if parts.scheme:
        return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)
    return not value.startswith("//") and ":" not in value.split("/")[0]


# --- the briefing --------------------------------------------------------------------------------------

URLS = [
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    'https://ok.example/a"><svg onload=alert(1)>',
    "http://ok.example/\u202egpj.exe?q=<script>",
    "//evil.example/x",
    None,
]


def hostile_briefing() -> Briefing:
    """One story per hostile string, which fills every field of the story and its source."""
    stories = []
    for i, text in enumerate(HOSTILE):
        source = StorySource(
            source_path=f"nieuws/{text}.txt",
            original_title=text,
            date=text if i % 2 else "2025-10-06",
            date_source="mtime" if i % 3 else "metadata",
            url=URLS[i % len(URLS)],
            outlet=text,
            translation_link=f"articles/{text}.md",
            translation_html_link=f"articles/{text}.html",
        )
        stories.append(Story(f"story-{i}", text, [text, f"Before {text} after"], [source]))
    return Briefing(
        title=TITLE,
        period='2025-10-06 "><svg onload=alert(1)>',
        overview=" ".join(HOSTILE[:12]),
        stories=stories,
        generated_at="2025-10-06T18:30:00 <script>alert(1)</script>",
        models={"translator": HOSTILE[0], "summarizer": HOSTILE[12]},
        notes=[HOSTILE[1], HOSTILE[18], HOSTILE[21]],
    )


# --- an HTML tree ----------------------------------------------------------------------------------------

VOID = {"meta", "br", "hr", "img", "input", "link", "source", "wbr", "area", "base", "col", "embed"}
ACTIVE = {"script", "img", "svg", "iframe", "object", "embed", "math", "link", "base", "form", "input"}
ACTIVE |= {"video", "audio", "source", "frame", "frameset", "applet", "portal", "template", "noscript"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "data",
    "poster",
    "xlink:href",
    "background",
}


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
    """Elements and text as a tree; comments, declarations and processing instructions on the side."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.other: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        assert len(element.attrs) == len(attrs), f"<{tag}> repeats an attribute: {attrs}"
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        self.other.append(("comment", data))

    def handle_decl(self, decl: str) -> None:
        self.other.append(("decl", decl))

    def handle_pi(self, data: str) -> None:
        self.other.append(("pi", data))

    def unknown_decl(self, data: str) -> None:
        self.other.append(("unknown", data))


def parse_html(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    assert parser.stack == [parser.root], [e.tag for e in parser.stack]
    return parser


def by_class(root: Element, tag: str, cls: str) -> list[Element]:
    return [e for e in root.iter(tag) if e.attrs.get("class") == cls]


# --- HTML -------------------------------------------------------------------------------------------------


def assert_inert(page: str) -> PageParser:
    """The page has no active content, no link that could run anything, one h1; its parse."""
    parsed = parse_html(page)
    assert [kind for kind, _ in parsed.other] == ["decl"], parsed.other  # the doctype, nothing else
    elements = list(parsed.root.iter())
    assert not {e.tag for e in elements} & ACTIVE, sorted({e.tag for e in elements} & ACTIVE)
    assert len(list(parsed.root.iter("style"))) == 1  # the page's own, in <head>
    for element in elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name, value)
            assert name != "style", element.tag
            if name in URL_ATTRIBUTES:
                assert value is not None and safe_target(value), (element.tag, name, value)
    hrefs = [a.attrs["href"] for a in parsed.root.iter("a")]
    assert all(h is not None and safe_target(h) for h in hrefs)
    # a source's url becomes a link only when it is http(s); everything else is shown as text
    assert not any(
        URL_IGNORED.sub("", h).lower().startswith(("javascript", "data", "vbscript")) for h in hrefs
    )
    assert len(list(parsed.root.iter("h1"))) == 1
    assert not BIDI.search(page) and "\x00" not in page
    return parsed


def test_hostile_briefing_page_has_no_active_content() -> None:
    parsed = assert_inert(render_html(hostile_briefing()))
    assert list(parsed.root.iter("a"))


def test_hostile_briefing_page_shows_all_the_text() -> None:
    b = hostile_briefing()
    root = parse_html(render_html(b)).root
    (h1,) = root.iter("h1")
    assert visible(h1.text()) == visible(b.title)
    (title,) = root.iter("title")
    assert visible(title.text()) == visible(f"{b.title} ({b.period})")
    assert visible(by_class(root, "p", "overview")[0].text()) == visible(b.overview)
    (nav,) = root.iter("nav")
    toc = list(nav.iter("a"))
    assert [visible(a.text()) for a in toc] == [visible(s.headline) for s in b.stories]
    assert [a.attrs["href"] for a in toc] == [f"#{s.anchor}" for s in b.stories]

    sections = list(root.iter("section"))
    assert [s.attrs["id"] for s in sections] == [s.anchor for s in b.stories]
    for section, story in zip(sections, b.stories, strict=True):
        assert [visible(h.text()) for h in section.iter("h2")] == [visible(story.headline)]
        (bullets,) = by_class(section, "ul", "bullets")
        assert [visible(li.text()) for li in bullets.iter("li")] == [visible(t) for t in story.bullets]
        (sources,) = by_class(section, "ul", "sources")
        (item,) = sources.iter("li")
        (source,) = story.sources
        text = visible(item.text())
        assert [visible(c.text()) for c in item.iter("cite")] == [visible(source.original_title)]
        assert visible(source.outlet) in text and visible(source.date) in text
        assert visible(source.url or source.source_path) in text
        links = {a.attrs["class"]: a.attrs["href"] for a in item.iter("a")}
        assert links["translation"] == relative_link(source.translation_html_link)
        assert links.get("url") == http_url(source.url)

    (footer,) = root.iter("footer")
    footer_text = visible(footer.text())
    for text in [b.generated_at, *b.models.values(), *b.notes]:
        assert visible(text) in footer_text, text
    body = visible(next(root.iter("body")).text())
    for text in HOSTILE:
        assert visible(text) in body, text


# --- Markdown, read by a CommonMark parser ----------------------------------------------------------------


def markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # Report every link target as written: markdown-it would otherwise drop javascript: links itself.
    md.validateLink = lambda url: True
    md.normalizeLink = lambda url: url
    return md


@dataclass
class MdDoc:
    """What a CommonMark reader makes of a Markdown file."""

    blocks: list[tuple[str, str]] = field(default_factory=list)  # ("h1".."h6" | "li" | "p", text)
    block_types: set[str] = field(default_factory=set)
    inline_types: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    rules: int = 0
    ordered_lists: int = 0

    def texts(self, kind: str) -> list[str]:
        return [text for k, text in self.blocks if k == kind]


def inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in {"text", "text_special", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append("\n")
    return "".join(parts)


def read_markdown(text: str) -> MdDoc:
    doc = MdDoc()
    tokens = markdown_parser().parse(text)
    items = 0
    for i, token in enumerate(tokens):
        doc.block_types.add(token.type)
        if token.type == "list_item_open":
            items += 1
        elif token.type == "list_item_close":
            items -= 1
        elif token.type == "ordered_list_open":
            doc.ordered_lists += 1
        elif token.type == "hr":
            doc.rules += 1
        elif token.type == "html_block":
            doc.html.append(token.content)
        elif token.type in {"heading_open", "paragraph_open"}:
            kind = token.tag if token.type == "heading_open" else ("li" if items else "p")
            doc.blocks.append((kind, inline_text(tokens[i + 1])))
        for child in token.children or []:
            doc.inline_types.add(child.type)
            if child.type == "link_open":
                doc.links.append(str(child.attrs["href"]))
            elif child.type == "image":
                doc.links.append(str(child.attrs["src"]))
            elif child.type == "html_inline":
                doc.html.append(child.content)
    return doc


# Nothing a field's text could make: code, quotes, tables, fences, images, emphasis, strikethrough.
NEVER_BLOCKS = {"fence", "code_block", "blockquote_open", "table_open", "html_block"}
NEVER_INLINE = {"image", "code_inline", "strong_open", "s_open"}


def unescaped(line: str) -> str:
    """The line with every backslash escape taken out: what is left is Markdown syntax or plain text."""
    return re.sub(r"\\.", "", line)


def test_hostile_briefing_markdown_keeps_its_structure() -> None:
    b = hostile_briefing()
    md = render_markdown(b)
    doc = read_markdown(md)
    n = len(b.stories)
    assert not doc.block_types & NEVER_BLOCKS, doc.block_types & NEVER_BLOCKS
    assert not doc.inline_types & NEVER_INLINE, doc.inline_types & NEVER_INLINE
    assert doc.texts("h1") == [visible(b.title)]
    assert doc.texts("h2") == ["Contents", *(visible(s.headline) for s in b.stories), "About this briefing"]
    assert doc.texts("h3") == ["Source"] * n
    assert doc.rules == 1 and doc.ordered_lists == 1  # the footer's rule; the contents
    # the renderer's anchors are the only HTML
    assert doc.html == [h for s in b.stories for h in (f'<a id="{s.anchor}">', "</a>")]
    expected_links = [f"#{s.anchor}" for s in b.stories]
    for story in b.stories:
        (source,) = story.sources
        expected_links += [x for x in (http_url(source.url), relative_link(source.translation_link)) if x]
    assert doc.links == expected_links
    assert all(safe_target(link) for link in doc.links), doc.links

    items = doc.texts("li")
    assert items[:n] == [visible(s.headline) for s in b.stories]
    position = n
    for story in b.stories:
        (source,) = story.sources
        assert items[position : position + 2] == [visible(t) for t in story.bullets]
        date = (source.date or "date unknown") + (" (file date)" if source.date_source == "mtime" else "")
        parts = [source.original_title, source.outlet, date, source.url or source.source_path]
        assert items[position + 2] == " — ".join([*map(visible, parts), "full translation"])
        position += 3
    assert items[position:] == [visible(note) for note in b.notes]
    assert doc.texts("p")[:2] == [f"Period: {visible(b.period)}", visible(b.overview)]


def test_hostile_briefing_markdown_line_by_line() -> None:
    """The same promise without a parser: each field stays on its line and its syntax is escaped."""
    b = hostile_briefing()
    lines = render_markdown(b).splitlines()
    assert [line for line in lines if line.startswith("# ")] == [lines[0]]
    bullet_lines = [line for line in lines if line.startswith("- ")]
    # a bullet line per story bullet, a source line per story, a line per note: no more, no fewer
    assert len(bullet_lines) == sum(len(s.bullets) + len(s.sources) for s in b.stories) + len(b.notes)
    anchors = {f'<a id="{s.anchor}"></a>' for s in b.stories}
    for line in lines:
        if line in anchors:
            continue
        plain = unescaped(line)
        assert "<" not in plain and "`" not in plain and "![" not in plain, line
        # the only links are the renderer's own: the contents, source URLs and translation pages
        for target in re.findall(r"\]\(([^)]*)\)", plain):
            assert safe_target(target), line
        if re.match(r"\d+\. \[", line):
            assert plain.count("](") == 1, line
        elif line.startswith("- *"):
            assert plain.count("](") <= 2, line
        else:
            assert "](" not in plain, line
        assert not BIDI.search(line) and "\x00" not in line and "\r" not in line, repr(line)


def several_sources_briefing() -> Briefing:
    """One story told by a source per hostile string, each with its own hostile headline, and a
    missing article per hostile string: the fields only a story of several sources, or a briefing
    with articles left out, shows."""
    sources = [
        StorySource(
            source_path=f"nieuws/{i}.txt",
            original_title=f"Titel {i}",
            date="2025-10-06",
            date_source="metadata",
            outlet=text if i == 0 else f"Krant {i}",
            headline=text,
        )
        for i, text in enumerate(HOSTILE)
    ]
    missing = [MissingArticle(f"nieuws/{text}.txt", text) for text in HOSTILE]
    story = Story("story-1", "A plain headline", ["A plain bullet."], sources)
    return Briefing("Title", "2025-10-06", "", [story], "2025-10-06T18:30:00", missing=missing)


def test_hostile_source_headlines_and_missing_articles_in_html() -> None:
    b = several_sources_briefing()
    page = render_html(b)
    parsed = parse_html(page)
    assert [kind for kind, _ in parsed.other] == ["decl"], parsed.other
    elements = list(parsed.root.iter())
    assert not {e.tag for e in elements} & ACTIVE, sorted({e.tag for e in elements} & ACTIVE)
    assert all(not name.startswith("on") and name != "style" for e in elements for name in e.attrs)
    assert not BIDI.search(page) and "\x00" not in page
    (section,) = parsed.root.iter("section")
    (said,) = by_class(section, "p", "from")
    assert visible(said.text()).startswith(f"Headline and key points from {visible(HOSTILE[0])};")
    headlines = [visible(e.text()) for e in by_class(section, "span", "headline")]
    assert headlines == [visible(text) for text in HOSTILE]
    (aside,) = parsed.root.iter("aside")
    items = [visible(li.text()) for li in aside.iter("li")]
    assert items == [visible(f"nieuws/{text}.txt: {text}") for text in HOSTILE]
    assert [h.text() for h in parsed.root.iter("h2")] == [
        "Contents",
        "Not in this briefing",
        "A plain headline",
        "About this briefing",
    ]


def test_hostile_source_headlines_and_missing_articles_in_markdown() -> None:
    doc = read_markdown(render_markdown(several_sources_briefing()))
    assert not doc.block_types & NEVER_BLOCKS, doc.block_types & NEVER_BLOCKS
    assert not doc.inline_types & NEVER_INLINE, doc.inline_types
    assert doc.texts("h2") == ["Contents", "Not in this briefing", "A plain headline", "About this briefing"]
    assert doc.html == ['<a id="story-1">', "</a>"] and doc.links == ["#story-1"]
    intro = f"{len(HOSTILE)} articles could not be processed and are missing:"
    said = f"Headline and key points from {visible(HOSTILE[0])}; each source's own headline is listed below."
    assert [text for text in doc.texts("p") if text][1:3] == [intro, said]  # "": the story's anchor
    items = doc.texts("li")
    assert items[1 : 1 + len(HOSTILE)] == [visible(f"nieuws/{text}.txt: {text}") for text in HOSTILE]
    lines = items[2 + len(HOSTILE) :]
    lead = " (headline and key points above)"
    assert [line.split(" — ")[0] for line in lines] == [
        visible(text) + (lead if i == 0 else "") for i, text in enumerate(HOSTILE)
    ]


# --- md_inline on its own -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("context", ["", "# ", "## ", "- ", "1. "])
def test_a_field_is_one_line_of_plain_text_in_any_context(context: str, text: str) -> None:
    line = md_inline(text)
    assert "\n" not in line and "\r" not in line
    doc = read_markdown(context + line)
    kind = {"": "p", "# ": "h1", "## ": "h2", "- ": "li", "1. ": "li"}[context]
    assert doc.blocks == [(kind, visible(text))]
    assert not doc.links and not doc.html and not doc.rules
    assert doc.inline_types <= {"text", "softbreak"}, doc.inline_types


MARKDOWN_CHARS = "#*_`[]()<>!&|~\\-+=.:;/\"' \n\r\t1aZ\u202e\u200b\x00\x85"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(MARKDOWN_CHARS) | st.characters(), max_size=60))
def test_property_md_inline_text_reads_back_as_itself(text: str) -> None:
    doc = read_markdown("- " + md_inline(text))
    expected = visible(text)
    assert doc.blocks == ([("li", expected)] if expected else [])
    assert not doc.links and not doc.html and doc.inline_types <= {"text", "softbreak"}


# --- the translation page (translate --format md); hostile_document also feeds tests/test_article_pages.py --

PLAIN_SENTENCE = "The council met on Monday."


def hostile_document() -> TranslatedDocument:
    """Every hostile string as a paragraph, a heading and a list item; a hostile title and metadata."""
    paragraphs: list[TranslatedUnit] = []
    for i, text in enumerate(HOSTILE):
        paragraphs.append(TranslatedUnit(ParagraphKind.TEXT, "", "bron", text, []))
        paragraphs.append(TranslatedUnit(ParagraphKind.HEADING, "", "kop", text, []))
        marker = "- " if i % 2 else f"{i + 1}. "
        paragraphs.append(TranslatedUnit(ParagraphKind.LIST_ITEM, marker, "punt", text, []))
        paragraphs.append(TranslatedUnit(ParagraphKind.TEXT, "", "bron", PLAIN_SENTENCE, []))
    source = Document(
        id="nieuws/kwaad.md",
        source_path="nieuws/<img src=x onerror=alert(1)>[x](javascript:alert(1)).md",
        sha256="0" * 64,
        title="Titel <script>alert(1)</script>\n# kop",
        date="2025-10-06",
        paragraphs=[Paragraph(u.source, u.kind, u.marker) for u in paragraphs],
        date_source="metadata",
        metadata={"source": "[Krant](javascript:alert(1))", "url": "javascript:alert(1)\n---"},
    )
    title = TranslatedUnit(ParagraphKind.HEADING, "", source.title or "", TITLE, [])
    return TranslatedDocument(source, title, paragraphs)


def front_matter(md: str) -> tuple[dict[str, object], list[str], str]:
    """(the front matter as YAML reads it, its lines, the Markdown after it)."""
    assert md.startswith("---\n")
    head, body = md[4:].split("\n---\n", 1)
    return yaml.safe_load(head), head.split("\n"), body


def test_translation_page_front_matter_reads_back_exactly() -> None:
    t = hostile_document()
    t.title.target = "A\u2028---\u2028b \x85 \x7f \u202e " + TITLE
    md = render_md(t, {"input": "nieuws/kwaad.md\n---\n# x", "model": HOSTILE[0]})
    data, lines, _ = front_matter(md)
    assert all(re.fullmatch(r'[a-z0-9_]+: ".*"', line) for line in lines), lines
    assert data == {
        "title": t.title.target,
        "original_title": t.document.title,
        "date": "2025-10-06",
        "source": t.document.metadata["source"],
        "url": t.document.metadata["url"],
        "translated_from": "nieuws/kwaad.md\n---\n# x",
        "sha256": "0" * 64,
        "translator": HOSTILE[0],
    }
    assert {key: json.loads(line.split(": ", 1)[1]) for key, line in zip(data, lines, strict=True)} == data
    assert not BIDI.search(md) and "\x85" not in md and "\u2028" not in md


def test_hostile_translation_page_keeps_its_structure() -> None:
    t = hostile_document()
    _, _, body = front_matter(render_md(t, {"input": "nieuws/kwaad.md", "model": "m"}))
    doc = read_markdown(body)
    assert not doc.block_types & NEVER_BLOCKS and not doc.inline_types & NEVER_INLINE
    assert not doc.links and not doc.html and doc.rules == 0
    assert doc.texts("h1") == [visible(TITLE)]
    units = t.paragraphs
    assert doc.texts("h2") == [visible(u.target) for u in units if u.kind is ParagraphKind.HEADING]
    assert doc.texts("li") == [visible(u.target) for u in units if u.kind is ParagraphKind.LIST_ITEM]
    assert doc.texts("p") == [visible(u.target) for u in units if u.kind is ParagraphKind.TEXT]
    lines = body.splitlines()
    assert [line for line in lines if line.startswith("# ")] == [lines[1]]
    for line in lines:
        plain = unescaped(line)
        assert "<" not in plain and "](" not in plain and "`" not in plain, line
