"""Saved Dutch news pages, written for these tests: an article amid what a news site puts around it
(navigation, a cookie banner, "most read" links, reader comments, a footer), and pages without one.

``ARTICLE_PARAGRAPHS`` and ``BOILERPLATE`` let a test say what an extraction must keep and what it must
leave out.
"""

from __future__ import annotations

TITLE = "Nieuwe fietsbrug over de IJssel pas in 2027 klaar"
AUTHOR = "Sanne de Vries"
DATE = "2025-10-07"
URL = "https://www.zwolsedagkrant.example/regio/fietsbrug-ijssel-later-klaar"
ARTICLE_PARAGRAPHS = [
    "De nieuwe fietsbrug tussen Zwolle en Hattem is pas in het voorjaar van 2027 klaar, anderhalf jaar "
    "later dan gepland. Dat heeft wethouder Karin Mulder dinsdag aan de gemeenteraad laten weten.",
    "Volgens de gemeente liep de aanbesteding vertraging op omdat geen enkele aannemer binnen het budget "
    "van 18,5 miljoen euro wilde bouwen. Bij een tweede ronde schreef één bouwbedrijf in, voor ruim "
    "21 miljoen euro.",
    "Provincie betaalt mee",
    "De provincie Overijssel legt 2,4 miljoen euro bij, zodat de brug er toch komt. De rest van het "
    "verschil betaalt de gemeente uit een reserve voor verkeersprojecten.",
    "Fietsers die nu de IJssel oversteken, moeten omrijden via de Katerveerbrug. Voor forenzen uit "
    "Hattem kost dat elke dag zo'n tien minuten extra.",
    "„We hadden liever gezien dat de brug volgend jaar openging,” zei Mulder. „Maar een brug die "
    "half af is, helpt niemand.”",
]
BOILERPLATE = [
    "Wij gebruiken cookies",
    "Alle cookies accepteren",
    "Meest gelezen",
    "Brand in loods aan de Hanzelaan",
    "Reacties",
    "Eindelijk, maar wat een geldverspilling",
    "Algemene voorwaarden",
    "Abonneer je op de nieuwsbrief",
]

_NAVIGATION = """
<header class="site-header">
  <a class="logo" href="/">Zwolse Dagkrant</a>
  <nav class="main-nav" aria-label="Hoofdmenu">
    <ul>
      <li><a href="/">Home</a></li><li><a href="/regio">Regio</a></li><li><a href="/sport">Sport</a></li>
      <li><a href="/cultuur">Cultuur</a></li><li><a href="/economie">Economie</a></li>
    </ul>
  </nav>
</header>
<div id="cookie-banner" class="cookie-consent" role="dialog">
  <p>Wij gebruiken cookies en vergelijkbare technieken om de site te laten werken, het gebruik te meten
  en advertenties te tonen die bij je passen. Lees meer in onze cookieverklaring.</p>
  <button>Alle cookies accepteren</button> <button>Alleen noodzakelijke cookies</button>
</div>
"""

_AROUND_AFTER = """
<aside class="most-read">
  <h2>Meest gelezen</h2>
  <ol>
    <li><a href="/regio/brand-loods-hanzelaan">Brand in loods aan de Hanzelaan</a></li>
    <li><a href="/sport/pec-wint-derby">PEC wint derby na late goal</a></li>
    <li><a href="/cultuur/museum-de-fundatie">Museum de Fundatie krijgt nieuwe directeur</a></li>
  </ol>
</aside>
<section id="comments" class="comments">
  <h2>Reacties (2)</h2>
  <div class="comment"><p class="comment-author">Henk uit Hattem</p>
    <p>Eindelijk, maar wat een geldverspilling dat het zo lang moet duren.</p></div>
  <div class="comment"><p class="comment-author">Fietser038</p>
    <p>Die omweg via de Katerveerbrug is elke ochtend weer een straf.</p></div>
</section>
<footer class="site-footer">
  <p><a href="/nieuwsbrief">Abonneer je op de nieuwsbrief</a></p>
  <p>&copy; 2025 Zwolse Dagkrant &middot; <a href="/voorwaarden">Algemene voorwaarden</a> &middot;
  <a href="/privacy">Privacy</a> &middot; <a href="/contact">Contact</a></p>
</footer>
"""


def _paragraphs_html() -> str:
    html = []
    for paragraph in ARTICLE_PARAGRAPHS:
        tag = "h2" if paragraph == "Provincie betaalt mee" else "p"
        html.append(f"    <{tag}>{paragraph}</{tag}>")
    return "\n".join(html)


# The article page as a browser saves it: metadata in the head, the article in <article>.
ARTICLE_PAGE = f"""<!DOCTYPE html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>{TITLE} | Zwolse Dagkrant</title>
  <meta property="og:title" content="{TITLE}">
  <meta property="og:site_name" content="Zwolse Dagkrant">
  <meta name="author" content="{AUTHOR}">
  <meta property="article:published_time" content="{DATE}T09:15:00+02:00">
  <link rel="canonical" href="{URL}">
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"pagina": "artikel"}});</script>
  <style>body {{ font-family: Georgia, serif; }} .cookie-consent {{ position: fixed; }}</style>
</head>
<body>
{_NAVIGATION}
<main>
  <article class="article">
    <h1>{TITLE}</h1>
    <p class="byline">Door {AUTHOR} &middot;
      <time datetime="{DATE}T09:15">7 oktober 2025, 09.15 uur</time></p>
{_paragraphs_html()}
  </article>
{_AROUND_AFTER}
</main>
</body>
</html>
"""

# A second outlet's page, laid out with divs only, its date in JSON-LD, entities for its accents.
SECOND_TITLE = "Waterschap verhoogt dijk bij Kampen"
SECOND_DATE = "2025-10-08"
SECOND_PAGE = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{SECOND_TITLE}</title>
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{SECOND_TITLE}",
 "datePublished": "{SECOND_DATE}T07:30:00+02:00", "author": {{"@type": "Person", "name": "Pieter Bakker"}}}}
</script></head>
<body>
<div class="top-bar"><a href="/">Voorpagina</a> | <a href="/binnenland">Binnenland</a> |
<a href="/buitenland">Buitenland</a> | <a href="/inloggen">Inloggen</a></div>
<div class="content"><div class="story">
<h1>{SECOND_TITLE}</h1>
<div class="story-body">
<p>Het waterschap Drents Overijsselse Delta begint volgend jaar met het verhogen van twee kilometer dijk
langs het Zwarte Water bij Kampen. De dijk wordt gemiddeld zestig centimeter hoger.</p>
<p>Volgens het waterschap is de dijk niet meer sterk genoeg voor de hoge waterstanden die bij
extreme regenval verwacht worden. Het werk kost naar schatting 34 miljoen euro en duurt twee jaar.</p>
<p>Bewoners van de Buitenhaven krijgen in november een informatieavond. Een aantal tuinen aan de
dijk wordt tijdelijk kleiner, maar geen enkel huis hoeft te verdwijnen, zegt het waterschap.</p>
<p>De gemeente Kampen en het waterschap overleggen nog over een fietspad op de kruin van de dijk.
&Eacute;&eacute;n ding staat vast: het pad blijft tijdens de werkzaamheden open.</p>
</div></div></div>
<div class="share">Deel dit artikel: Facebook | X | WhatsApp | E-mail</div>
<div class="footer">&copy; 2025 Kampens Nieuwsblad &middot; Privacybeleid &middot; Cookiebeleid</div>
</body></html>
"""
SECOND_FIRST_WORDS = "Het waterschap Drents Overijsselse Delta begint volgend jaar"

# An error page: navigation, a cookie banner and two lines, no article.
EMPTY_PAGE = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Pagina niet gevonden | Zwolse Dagkrant</title></head>
<body>
{_NAVIGATION}
<main><h1>Pagina niet gevonden</h1>
<p>De pagina die je zoekt bestaat niet (meer). Ga terug naar de voorpagina.</p></main>
<footer class="site-footer"><p>&copy; 2025 Zwolse Dagkrant</p></footer>
</body></html>
"""
