"""Hostile articles and briefings, and what may never appear on a page: shared by the output-safety tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from helpers.html import PageParser, parse_html
from pipeline.briefing.model import Briefing, MissingArticle, Story, StorySource
from pipeline.ingest.document import Document, Paragraph, ParagraphKind
from pipeline.translate.results import TranslatedDocument, TranslatedUnit

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


CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


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


NEVER_BLOCKS = {"fence", "code_block", "blockquote_open", "table_open", "html_block"}


NEVER_INLINE = {"image", "code_inline", "strong_open", "s_open"}


def unescaped(line: str) -> str:
    """The line with every backslash escape taken out: what is left is Markdown syntax or plain text."""
    return re.sub(r"\\.", "", line)


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


MARKDOWN_CHARS = "#*_`[]()<>!&|~\\-+=.:;/\"' \n\r\t1aZ\u202e\u200b\x00\x85"


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
