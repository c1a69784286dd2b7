"""Dutch news, written for these tests: article pages laid out as news sites lay them out (menu, cookie
banner, related links, comments and footer around the article), and RSS and Atom feeds that list them.

``BOILERPLATE`` holds words of everything around the article: none of them may reach an article file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape

from helpers.news_server import Answer, NewsServer


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    date: str  # YYYY-MM-DD
    author: str
    paragraphs: tuple[str, ...]
    summary: str  # what the feed says of it


STORIES = (
    Story(
        "brug-zwolle",
        "Brug over de IJssel bij Zwolle weken dicht voor onderhoud",
        "2025-11-03",
        "Marieke Hoekstra",
        (
            "De verkeersbrug over de IJssel bij Zwolle gaat vanaf maandag 17 november zes weken dicht. "
            "Rijkswaterstaat vervangt de voegovergangen en het asfalt op het brugdek.",
            "Automobilisten worden omgeleid via de A28 en de brug bij Hattem. Volgens de provincie "
            "kost de omleiding in de spits ongeveer twintig minuten extra.",
            "Fietsers en voetgangers kunnen de brug wel blijven gebruiken, behalve in twee nachten "
            "waarin de kraan het oude asfalt weghaalt. Die nachten worden later bekendgemaakt.",
            "Ondernemers in het centrum van Hattem zijn bezorgd. Een bakker zegt dat hij in de vorige "
            "afsluiting een derde van zijn klanten uit Zwolle kwijtraakte.",
        ),
        "Rijkswaterstaat sluit de verkeersbrug bij Zwolle zes weken voor onderhoud.",
    ),
    Story(
        "bibliotheek-emmen",
        "Bibliotheek Emmen opent zondag haar deuren voor studerende jongeren",
        "2025-11-04",
        "Jeroen Bakker",
        (
            "De bibliotheek in Emmen gaat vanaf december ook op zondag open. Het gebouw aan de Raadhuisplein "
            "is dan van tien tot vijf uur toegankelijk voor iedereen die wil studeren of lezen.",
            "De gemeente trekt daar 85.000 euro per jaar voor uit. Wethouder Van Dijk zegt dat vooral "
            "scholieren en studenten thuis vaak geen rustige plek hebben om te werken.",
            "Een proef in het voorjaar trok gemiddeld 140 bezoekers per zondag. De bibliotheek zoekt "
            "nog vrijwilligers die op zondag willen helpen bij de balie.",
        ),
        "De bibliotheek in Emmen gaat vanaf december ook op zondag open.",
    ),
    Story(
        "haven-harlingen",
        "Haven van Harlingen verwerkt recordaantal containers",
        "2025-11-04",
        "Sietske de Vries",
        (
            "In de haven van Harlingen zijn dit jaar meer containers overgeslagen dan ooit. Tot eind "
            "oktober ging het om 61.000 stuks, een stijging van twaalf procent.",
            "De groei komt vooral van de lijndienst naar Noorwegen, die sinds het voorjaar drie keer "
            "per week vaart. Het havenbedrijf wil de kade met tweehonderd meter verlengen.",
            "Omwonenden vrezen meer vrachtverkeer door de binnenstad. De gemeente belooft dat "
            "vrachtwagens de nieuwe rondweg moeten nemen zodra die in 2027 klaar is.",
        ),
        "Harlingen sloeg tot eind oktober 61.000 containers over.",
    ),
    Story(
        "schaatsbaan-deventer",
        "Deventer krijgt overdekte schaatsbaan bij sportpark",
        "2025-11-05",
        "Tom Jansen",
        (
            "De gemeenteraad van Deventer heeft ingestemd met de bouw van een overdekte schaatsbaan bij "
            "sportpark Het Worp. De baan van 400 meter moet in de winter van 2028 open.",
            "De bouw kost naar schatting 38 miljoen euro. De provincie Overijssel betaalt een kwart, "
            "de rest komt van de gemeente en een groep particuliere investeerders.",
            "Schaatsverenigingen uit de regio trainen nu nog in Enschede of Heerenveen. Zij reageren "
            "opgetogen, omdat reistijd voor jonge schaatsers een groot probleem was.",
        ),
        "Deventer bouwt een overdekte schaatsbaan van 400 meter.",
    ),
)

ENGLISH_STORY = Story(
    "english-page",
    "City council approves new cycling bridge",
    "2025-11-05",
    "Anna Smith",
    (
        "The city council approved a new cycling bridge across the river on Tuesday. The bridge will "
        "connect the northern districts with the central station and should open in 2027.",
        "It is expected to carry about eight thousand cyclists a day, according to the council's own "
        "traffic study, which was published last month.",
    ),
    "The council approved a cycling bridge.",
)

# Hostile feeds: an external entity that reads a local file, and entities that expand ("billion laughs").
XXE_FEED = b"""<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY geheim SYSTEM "file:///etc/passwd"> ]>
<rss version="2.0"><channel><title>t</title>
<item><title>&geheim;</title><link>http://example.org/a</link></item></channel></rss>"""
LAUGHS_FEED = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>"""

BOILERPLATE = ("cookies", "Akkoord", "Lees ook", "Reacties", "rechten voorbehouden", "Abonneer", "Binnenland")


def article_page(story: Story, outlet: str = "Dagblad Oost") -> bytes:
    paragraphs = "\n".join(f"      <p>{escape(p)}</p>" for p in story.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>{escape(story.title)} | {escape(outlet)}</title>
  <meta property="og:title" content="{escape(story.title)}">
  <meta property="article:published_time" content="{story.date}T07:30:00+01:00">
  <meta name="author" content="{escape(story.author)}">
</head>
<body>
  <div class="cookie-banner" id="cookiemelding">
    <p>Wij gebruiken cookies om de site te verbeteren en advertenties te tonen.</p>
    <button>Akkoord</button> <button>Instellingen</button>
  </div>
  <header>
    <a href="/">{escape(outlet)}</a>
    <nav><ul>
      <li><a href="/binnenland">Binnenland</a></li><li><a href="/buitenland">Buitenland</a></li>
      <li><a href="/economie">Economie</a></li><li><a href="/sport">Sport</a></li>
      <li><a href="/abonneren">Abonneer nu voor 1 euro per week</a></li>
    </ul></nav>
  </header>
  <main>
    <article>
      <h1>{escape(story.title)}</h1>
      <p class="byline">Door {escape(story.author)} ·
        <time datetime="{story.date}T07:30:00+01:00">{story.date}</time></p>
{paragraphs}
    </article>
    <aside class="related">
      <h2>Lees ook</h2>
      <ul>
        <li><a href="/regio/kermis">Kermis trekt minder bezoekers dan vorig jaar</a></li>
        <li><a href="/regio/markt">Weekmarkt verhuist tijdelijk naar het station</a></li>
      </ul>
    </aside>
    <section class="comments">
      <h2>Reacties (2)</h2>
      <div class="comment"><b>Henk58</b> Eindelijk wordt er eens iets gedaan, dat werd tijd zeg.</div>
      <div class="comment"><b>Lotte</b> Wie betaalt dit allemaal? Weer de belastingbetaler natuurlijk.</div>
    </section>
  </main>
  <footer><p>© 2025 {escape(outlet)}. Alle rechten voorbehouden. Privacy en cookies.</p></footer>
</body>
</html>
""".encode()


def _rfc822(day: str) -> str:
    import datetime as dt

    return dt.datetime.fromisoformat(day + "T07:30:00+00:00").strftime("%a, %d %b %Y %H:%M:%S +0000")


def rss_feed(title: str, items: list[tuple[Story, str]]) -> bytes:
    """An RSS 2.0 feed of (story, page URL)."""
    entries = "\n".join(
        f"""    <item>
      <title>{escape(story.title)}</title>
      <link>{escape(url)}</link>
      <guid isPermaLink="false">{story.slug}</guid>
      <pubDate>{_rfc822(story.date)}</pubDate>
      <description>{escape(story.summary)}</description>
    </item>"""
        for story, url in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>{escape(title)}</title>
    <link>http://example.org/</link>
    <description>Het laatste nieuws</description>
{entries}
  </channel>
</rss>
""".encode()


def atom_feed(title: str, items: list[tuple[Story, str]]) -> bytes:
    """An Atom 1.0 feed of (story, page URL)."""
    entries = "\n".join(
        f"""  <entry>
    <title>{escape(story.title)}</title>
    <link href="{escape(url)}"/>
    <id>urn:nieuws:{story.slug}</id>
    <updated>{story.date}T07:30:00Z</updated>
    <author><name>{escape(story.author)}</name></author>
    <summary>{escape(story.summary)}</summary>
  </entry>"""
        for story, url in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{escape(title)}</title>
  <id>urn:nieuws:feed</id>
  <updated>2025-11-05T08:00:00Z</updated>
{entries}
</feed>
""".encode()


def serve_feeds(site: NewsServer, day: str | None = None) -> list[str]:
    """The four stories' pages and two feeds on ``site`` (RSS: Dagblad Oost, the first two; Atom:
    Noorderkrant, the other two), the stories dated ``day`` when given; the feeds' URLs."""
    stories = [replace(story, date=day) for story in STORIES] if day else list(STORIES)
    for story in stories:
        site.route(f"/nieuws/{story.slug}", Answer(article_page(story)))
    rss = [(s, site.url(f"/nieuws/{s.slug}")) for s in stories[:2]]
    atom = [(s, site.url(f"/nieuws/{s.slug}")) for s in stories[2:]]
    site.route("/rss.xml", Answer(rss_feed("Dagblad Oost", rss), "application/rss+xml", etag='"r1"'))
    site.route("/atom.xml", Answer(atom_feed("Noorderkrant", atom), "application/atom+xml", etag='"a1"'))
    return [site.url("/rss.xml"), site.url("/atom.xml")]
