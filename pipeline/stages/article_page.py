"""The HTML page of one processed article: headline and key points, the Dutch original beside the
English translation paragraph by paragraph, and how it was made (models, revisions, when, warnings).

Every string on it is article or model text: it uses the briefing's escaping (:mod:`pipeline.text.escaping`),
page shell and Content-Security-Policy (:mod:`pipeline.text.html_page`) and the Markdown page's wording
(:mod:`pipeline.stages.records`), so the two pages say the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.briefing.outlets import outlet_name
from pipeline.checks.findings import Finding
from pipeline.checks.summary import TITLE, ClaimCheck
from pipeline.ingest.document import ParagraphKind
from pipeline.stages.marks import anchor, mark, place
from pipeline.stages.records import ArticleRecord, notice, provenance_items
from pipeline.text.escaping import date_html, url_html
from pipeline.text.escaping import html_text as _e
from pipeline.text.html_page import PAGE_END, page_start
from pipeline.translate.results import TranslatedDocument, TranslatedUnit

DUTCH_HEADER = "Dutch original"
ENGLISH_HEADER = "English (machine translation)"

# On a phone the two columns stack; each cell then names its column, as the hidden header row would.
STYLE = f"""
.page.wide {{ max-width: 72rem; }}
.about {{ color: var(--muted); margin: .2rem 0; }}
.about cite {{ color: var(--fg); }}
.notice {{ background: var(--panel); border-left: 3px solid var(--accent); padding: .55rem .85rem;
  margin: 1rem 0 0; }}
main section {{ margin-top: 1.75rem; }}
table.parallel {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
table.parallel caption {{ text-align: left; color: var(--muted); font-size: .9em; padding-bottom: .5rem; }}
table.parallel th {{ text-align: left; vertical-align: bottom; font-size: .8rem; text-transform: uppercase;
  letter-spacing: .06em; color: var(--muted); border-bottom: 2px solid var(--rule); padding: .35rem .75rem; }}
table.parallel td {{ vertical-align: top; padding: .5rem .75rem; border-bottom: 1px solid var(--rule); }}
table.parallel tr.heading td {{ font-weight: 600; }}
.marker {{ color: var(--muted); }}
mark.flagged {{ background: var(--flag-bg, #fff3bf); color: inherit; }}
.check {{ font-size: .88em; font-weight: 600; color: var(--fg); }}
.check::before {{ content: "\\26A0\\FE0E  "; }}
.evidence {{ font-size: .85em; color: var(--muted); }}
.verdict {{ margin: .5rem 0 0; font-size: .92em; }}
footer dl {{ display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .3rem 0; }}
footer dt {{ font-weight: 600; }}
footer dd {{ margin: 0; }}
@media (max-width: 40rem) {{
  footer dl {{ grid-template-columns: 1fr; }}
  footer dd {{ margin-bottom: .3rem; }}
  table.parallel, table.parallel caption, table.parallel tbody, table.parallel tr,
  table.parallel td {{ display: block; }}
  table.parallel thead {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }}
  table.parallel tr {{ border-bottom: 1px solid var(--rule); padding: .4rem 0; }}
  table.parallel td {{ border: 0; padding: .2rem 0; }}
  table.parallel td::before {{ display: block; font-size: .75rem; font-weight: normal;
    text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }}
  table.parallel td[lang="nl"]::before {{ content: "{DUTCH_HEADER}"; }}
  table.parallel td[lang="en"]::before {{ content: "{ENGLISH_HEADER}"; }}
}}
@media print {{
  table.parallel tr {{ break-inside: avoid; page-break-inside: avoid; }}
}}
"""


def _about(record: ArticleRecord) -> str:
    doc = record.document
    parts = [f'original title: <cite lang="nl">{_e(doc.title)}</cite>'] if doc.title else []
    parts.append(f'<span class="date">{date_html(doc.date, doc.date_source)}</span>')
    if outlet := outlet_name(doc.metadata):
        parts.append(f'<span class="outlet">{_e(outlet)}</span>')
    if doc.metadata.get("url"):
        parts.append(url_html(doc.metadata["url"]))
    parts.append(f'<span class="path">file: {_e(doc.source_path)}</span>')
    return '<p class="about">' + '<span class="sep" aria-hidden="true"> · </span>'.join(parts) + "</p>"


def _cell(unit: TranslatedUnit, text: str, lang: str) -> str:
    marker = f'<span class="marker">{_e(unit.marker)}</span>' if unit.marker.strip() else ""
    return f'<td lang="{lang}">{marker}{_e(text)}</td>'


def _check(findings: Sequence[Finding]) -> str:
    """The visible reason beside a flagged item: text, not colour alone."""
    return f'<span class="check">{_e(mark(findings))}</span>'


def _english_cell(unit: TranslatedUnit) -> str:
    """The English of a paragraph, each flagged sentence marked and followed by why."""
    marker = f'<span class="marker">{_e(unit.marker)}</span>' if unit.marker.strip() else ""
    sentences = [
        f'<mark class="flagged">{_e(s.target)}</mark> {_check(s.findings)}' if s.flagged else _e(s.target)
        for s in unit.sentences
    ]
    return f'<td lang="en">{marker}{" ".join(sentences)}</td>'


def _key_point(claim: ClaimCheck) -> str:
    """A bullet, its mark when flagged, and links to the rows of the sentences it comes from."""
    check = f" {_check(claim.findings)}" if claim.flagged else ""
    links = [f'<a href="#{anchor(link.paragraph)}">{_e(place(link))}</a>' for link in claim.evidence]
    evidence = f' <span class="evidence">From {" and ".join(links)}.</span>' if links else ""
    css = ' class="flagged"' if claim.flagged else ""
    return f"<li{css}>{_e(claim.text)}{check}{evidence}</li>"


def _parallel(t: TranslatedDocument) -> list[str]:
    """The text, a row per paragraph (the title first): Dutch on the left, English on the right."""
    out = [
        '<section aria-labelledby="_text">',
        '<h2 id="_text">Full text</h2>',
        '<table class="parallel">',
        "<caption>The Dutch original beside its English machine translation, paragraph by paragraph"
        "</caption>",
        f'<thead><tr><th scope="col">{DUTCH_HEADER}</th><th scope="col">{ENGLISH_HEADER}</th></tr></thead>',
        "<tbody>",
    ]
    numbered = ([(TITLE, t.title)] if t.title else []) + list(enumerate(t.paragraphs))
    for number, unit in numbered:
        kind = "heading" if unit is t.title else unit.kind.value.replace("_", "-")
        cells = _cell(unit, unit.source, "nl") + _english_cell(unit)
        out.append(f'<tr id="{anchor(number)}" class="{kind}">{cells}</tr>')
    out += ["</tbody>", "</table>", "</section>"]
    return out


def _passed_through(t: TranslatedDocument) -> list[str]:
    """An English article processed as it is: one column, and nothing claims it was translated."""
    out = ['<section aria-labelledby="_text">', '<h2 id="_text">Full text (English, not translated)</h2>']
    for unit in ([t.title] if t.title else []) + t.paragraphs:
        tag = "h3" if unit.kind is ParagraphKind.HEADING else "p"
        marker = f'<span class="marker">{_e(unit.marker)}</span>' if unit.marker.strip() else ""
        out.append(f'<{tag} lang="en">{marker}{_e(unit.target)}</{tag}>')
    return [*out, "</section>"]


def render_record_html(record: ArticleRecord, provenance: dict[str, Any]) -> str:
    headline = record.summary.headline or "(no headline)"
    out = [
        *page_start(headline, STYLE, page_class="page wide"),
        "<header>",
        f"<h1>{_e(headline)}</h1>",
        *(
            [f'<p class="headline-check">{_check(record.checks.headline.findings)} (headline)</p>']
            if record.checks.headline.flagged
            else []
        ),
        _about(record),
        f'<p class="notice">{_e(notice(record))}</p>',
        f'<p class="verdict">{_e(record.verdict())}</p>',
        "</header>",
        "<main>",
        '<section aria-labelledby="_points">',
        '<h2 id="_points">Key points</h2>',
    ]
    if record.checks.bullets:
        out += ['<ul class="bullets">', *(_key_point(claim) for claim in record.checks.bullets), "</ul>"]
    else:
        out.append("<p>(no key points)</p>")
    out.append("</section>")
    t = record.translation
    if t is not None:
        out += _passed_through(t) if t.passthrough else _parallel(t)
    out += ["</main>", "<footer>", "<h2>About this page</h2>", "<dl>"]
    for label, text in provenance_items(record, provenance):
        out += [f"<dt>{_e(label)}</dt>", f"<dd>{_e(text)}</dd>"]
    out.append("</dl>")
    warnings = record.warnings()
    if warnings:
        out += [f"<p>Warnings ({len(warnings)}):</p>", "<ul>", *(f"<li>{_e(w)}</li>" for w in warnings)]
        out.append("</ul>")
    else:
        out.append("<p>Warnings: none.</p>")
    out += ["</footer>", *PAGE_END]
    return "\n".join(out) + "\n"
