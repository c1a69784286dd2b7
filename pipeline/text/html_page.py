"""What nlbrief's HTML pages (the briefing, the article pages) share: the page shell and base CSS.

Every string on these pages comes from an article or a model, so none of it is trusted: all text goes
through :func:`pipeline.text.escaping.html_text` (control characters, bidi overrides included, shown as
U+FFFD, then ``html.escape(..., quote=True)``); a URL becomes an ``href`` only when it is http(s)
(:func:`pipeline.text.escaping.url_html`). A page has no scripts, inline CSS only, no external
assets, and a Content-Security-Policy that would stop a script even if one got in.
"""

from __future__ import annotations

from pipeline.text.escaping import html_text

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


BASE_STYLE = """
:root { color-scheme: light dark; --fg: #1c1c1c; --bg: #fdfdfb; --muted: #5c5c5c; --rule: #dcdcd6;
  --accent: #0a4fb4; --panel: #f1f0ea; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e6e3; --bg: #151515; --muted: #a6a6a2; --rule: #33332f; --accent: #8ab4f8;
    --panel: #20201e; }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); overflow-wrap: anywhere;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: clamp(1rem, 0.95rem + 0.25vw, 1.125rem); line-height: 1.55; }
.page { max-width: 42rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: clamp(1.55rem, 1.2rem + 1.6vw, 2.3rem); line-height: 1.2; margin: 0 0 .3rem; }
h2 { font-size: clamp(1.2rem, 1.05rem + .7vw, 1.5rem); line-height: 1.3; margin: 0 0 .6rem; }
h3 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  margin: 1.1rem 0 .35rem; }
a { color: var(--accent); text-underline-offset: .15em; }
ul.bullets { padding-left: 1.25rem; margin: 0; }
ul.bullets li { margin: .35rem 0; }
footer { border-top: 1px solid var(--rule); margin-top: 2.5rem; padding-top: 1rem; font-size: .85em;
  color: var(--muted); }
footer h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; }
footer p, footer ul { margin: .3rem 0; }
@media print {
  :root { --fg: #000; --bg: #fff; --muted: #333; --rule: #999; --accent: #000; --panel: transparent; }
  body { font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  a { color: inherit; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
"""


def page_start(title: str, style: str, *, page_class: str = "page") -> list[str]:
    """The page up to its content: doctype, the head (CSP, ``title``, base CSS then ``style``), body."""
    return [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="generator" content="nlbrief">',
        f"<title>{html_text(title)}</title>",
        f"<style>{BASE_STYLE}{style}</style>",
        "</head>",
        "<body>",
        f'<div class="{page_class}">',
    ]


PAGE_END = ["</div>", "</body>", "</html>"]
