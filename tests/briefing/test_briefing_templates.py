"""The briefing's pages from Jinja2 templates: the shipped ones render what nlbrief rendered before there
were templates, byte for byte; a user's copy in a template folder wins; a broken template is one clear
error line; the escaping holds in a user's template too; and the outlets line of each story.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from helpers.briefings import SCRIPT, benign_twin, hostile_briefing, sample_briefing
from helpers.html import parse_html
from test_briefing_render import shape

from pipeline.briefing.model import StorySource
from pipeline.briefing.outlets import outlet_name, reported_by, story_outlets
from pipeline.briefing.render import briefing_from_dict, render_html, render_json, render_markdown
from pipeline.briefing.templating import TEMPLATE_NAMES, PageTemplates, builtin_templates_dir
from pipeline.errors import TemplateError

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("name", ["sample", "hostile"])
def test_the_shipped_templates_render_what_the_code_rendered(name: str) -> None:
    """The golden files were written by the renderer that built the pages in code, before templates."""
    b = {"sample": sample_briefing, "hostile": hostile_briefing}[name]()
    assert render_html(b) == (GOLDEN / f"{name}.html").read_text(encoding="utf-8")
    assert render_markdown(b) == (GOLDEN / f"{name}.md").read_text(encoding="utf-8")


def test_the_templates_ship_in_the_package() -> None:
    folder = builtin_templates_dir()
    assert sorted(p.name for p in folder.glob("*.j2")) == sorted(TEMPLATE_NAMES.values())
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"pipeline.briefing.templates" = ["*.j2"]' in pyproject
    assert "jinja2" in pyproject


def _copy(folder: Path, fmt: str, old: str, new: str) -> Path:
    folder.mkdir(exist_ok=True)
    name = TEMPLATE_NAMES[fmt]
    text = (builtin_templates_dir() / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder / name


def test_a_copy_in_the_template_folder_wins_and_the_other_format_falls_back(tmp_path: Path) -> None:
    _copy(tmp_path, "html", "<h2>About this briefing</h2>", "<h2>Colophon</h2>")
    templates = PageTemplates(tmp_path)
    templates.check()
    b = sample_briefing()
    page = render_html(b, templates)
    assert "<h2>Colophon</h2>" in page and "About this briefing" not in page
    assert page == render_html(b).replace("<h2>About this briefing</h2>", "<h2>Colophon</h2>")
    assert render_markdown(b, templates) == render_markdown(b)  # no copy: the built-in one
    assert templates.digest() != PageTemplates().digest()
    assert PageTemplates(tmp_path).digest() == templates.digest()


def test_a_users_template_escapes_what_it_prints_too(tmp_path: Path) -> None:
    (tmp_path / "briefing.html.j2").write_text(
        "<h1>{{ briefing.title }}</h1>\n{% for s in briefing.stories %}<p>{{ s.headline }}</p>{% endfor %}\n",
        encoding="utf-8",
    )
    (tmp_path / "briefing.md.j2").write_text(
        "# {{ briefing.title }}\n{% for s in briefing.stories %}\n- {{ s.headline }}\n{% endfor %}\n",
        encoding="utf-8",
    )
    b = hostile_briefing()
    page = render_html(b, PageTemplates(tmp_path))
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert [p.text() for p in parse_html(page).root.iter("p")] == [s.headline for s in b.stories]
    md = render_markdown(b, PageTemplates(tmp_path))
    assert md.splitlines()[-1] == "- \\<script\\>alert(1)\\</script\\>"
    assert md.count("\n# ") == 0  # the title's own syntax cannot open a heading


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("<p>\n{{ briefing.title }}\n{{ briefing.headlines }}</p>\n", 3, "has no attribute 'headlines'"),
        ("{% for s in briefing.stories %}\n{{ story.headline }}\n{% endfor %}\n", 2, "'story' is undefined"),
        ("{{ briefing.__class__.__mro__ }}\n", 1, "attribute '__class__' of 'Briefing' object is unsafe"),
    ],
)
def test_a_template_that_names_what_is_not_there_is_one_clear_line(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    (tmp_path / "briefing.html.j2").write_text(text, encoding="utf-8")
    templates = PageTemplates(tmp_path)
    templates.check()  # it compiles: only rendering finds the name missing
    with pytest.raises(TemplateError) as caught:
        render_html(sample_briefing(), templates)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'briefing.html.j2'}, line {line}: "), message
    assert says in message and message.endswith("to use the built-in one")
    assert caught.value.exit_code == 2


def test_a_template_that_does_not_compile_is_found_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "briefing.md.j2").write_text(
        "# {{ briefing.title }}\n\n{% if briefing.stories %}\n", encoding="utf-8"
    )
    with pytest.raises(TemplateError, match=r"briefing\.md\.j2, line 3: .*endif"):
        PageTemplates(tmp_path).check()


def test_a_template_folder_must_exist_and_hold_a_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="does not exist; create it with edited copies"):
        PageTemplates(tmp_path / "nope").check()
    (tmp_path / "briefing.html").write_text("a near miss", encoding="utf-8")
    with pytest.raises(
        TemplateError, match=r"holds no briefing template \(briefing.html.j2, briefing.md.j2\)"
    ):
        PageTemplates(tmp_path).check()


# --- the outlets of a story ---------------------------------------------------------------------------


def _source(outlet: str | None = None, url: str | None = None) -> StorySource:
    return StorySource("nieuws/a.txt", "Titel", "2025-10-06", "metadata", url=url, outlet=outlet)


def test_the_outlet_is_the_metadata_outlet_else_its_source() -> None:
    assert outlet_name({"outlet": "NOS", "source": "https://feeds.nos.nl/nosnieuws"}) == "NOS"
    assert outlet_name({"source": "  Trouw \n"}) == "Trouw"
    assert outlet_name({"outlet": " ", "source": "Het Parool"}) == "Het Parool"
    assert outlet_name({"url": "https://nos.nl/x"}) is None


def test_distinct_outlets_are_counted_by_name_else_by_the_host_of_the_url() -> None:
    sources = [
        _source("NOS", "https://nos.nl/artikel/1"),
        _source("nos ", "https://nos.nl/artikel/2"),  # the same outlet, written otherwise
        _source(None, "https://www.nos.nl/artikel/3"),  # no name: its host is NOS's
        _source(None, "https://www.nu.nl/binnenland/4"),  # no name, a host no source names
        _source("Omroep West"),
        _source(None, "javascript:alert(1)"),  # no name, no host: unknown
        _source(None, None),
    ]
    assert story_outlets(sources) == (["NOS", "nu.nl", "Omroep West"], 2)
    # a host that two outlets share (an aggregator) names neither for a source without a name
    shared = [_source("Krant A", "https://example.org/a"), _source("Krant B", "https://example.org/b")]
    assert story_outlets([*shared, _source(None, "https://example.org/c")]) == (
        ["Krant A", "Krant B", "example.org"],
        0,
    )
    assert story_outlets([]) == ([], 0)


def test_the_outlets_line_in_words() -> None:
    story = sample_briefing().stories[0]
    assert reported_by(story) == ""  # a briefing made before outlets were counted says nothing
    story.outlets = ["Voorbeeldkrant", "Regionaal Dagblad"]
    assert reported_by(story) == "Reported by 2 outlets: Voorbeeldkrant, Regionaal Dagblad"
    story.sources_without_outlet = 1
    assert reported_by(story) == (
        "Reported by 2 outlets: Voorbeeldkrant, Regionaal Dagblad; outlet unknown for 1 source"
    )
    story.outlets = []
    story.sources_without_outlet = 2
    assert reported_by(story) == "Outlet unknown for 2 sources"
    story.outlets, story.sources_without_outlet = ["NOS"], 0
    assert reported_by(story) == "Reported by 1 outlet: NOS"


def test_each_page_says_which_outlets_reported_a_story() -> None:
    b = sample_briefing()
    for story in b.stories:
        story.outlets, story.sources_without_outlet = story_outlets(story.sources)
    assert [(s.outlets, s.sources_without_outlet) for s in b.stories] == [
        (["Voorbeeldkrant", "Regionaal Dagblad"], 0),
        (["Stadsnieuws Utrecht"], 0),
        (["Voorbeeldkrant"], 0),
        ([], 1),
    ]
    tree = parse_html(render_html(b)).root
    lines = [p.text() for p in tree.iter("p") if p.attrs.get("class") == "outlets"]
    assert lines == [reported_by(s) for s in b.stories]
    first = next(tree.iter("section"))
    assert [n.tag for n in first.iter() if n is not first][:3] == ["h2", "p", "ul"]  # under the headline
    md = render_markdown(b).splitlines()
    start = md.index("## Storm closes North Sea ports; ferries to the Wadden islands cancelled")
    assert md[start : start + 4] == [
        "## Storm closes North Sea ports; ferries to the Wadden islands cancelled",
        "",
        "Reported by 2 outlets: Voorbeeldkrant, Regionaal Dagblad",
        "",
    ]
    assert "Outlet unknown for 1 source" in md
    data = json.loads(render_json(b))
    assert data["stories"][0]["outlets"] == ["Voorbeeldkrant", "Regionaal Dagblad"]
    assert data["stories"][3]["sources_without_outlet"] == 1
    assert briefing_from_dict(data) == b


def test_hostile_outlet_names_stay_text() -> None:
    b = hostile_briefing()
    for story in b.stories:
        story.outlets, story.sources_without_outlet = story_outlets(story.sources)
    assert SCRIPT in b.stories[1].outlets
    page = render_html(b)
    parsed = parse_html(page)
    twin = benign_twin(b)
    for story in twin.stories:
        story.outlets = ["Plain outlet"] * len(story.outlets)
    assert shape(parsed.events) == shape(parse_html(render_html(twin)).events)
    (line,) = [p for p in parsed.root.iter("p") if p.attrs.get("class") == "outlets" and SCRIPT in p.text()]
    assert line.text() == reported_by(b.stories[1])
    md = render_markdown(b)
    assert (
        "Reported by 2 outlets: \\<i\\>Outlet\\</i\\> \\| table \\|, \\<script\\>alert(1)\\</script\\>" in md
    )
    assert dataclasses.asdict(briefing_from_dict(json.loads(render_json(b)))) == dataclasses.asdict(b)
