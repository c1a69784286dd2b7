"""Word lists: Dutch and English function words, and words too common in Dutch news to tell one
story from another. Used to group articles into stories (stories.py)."""

from __future__ import annotations


def wordset(block: str) -> frozenset[str]:
    """Read a whitespace-separated word list: easier to scan and extend than a literal."""
    return frozenset(block.split())


# Function words, auxiliaries and the reporting verbs every news article uses. Kept short on
# purpose: content words that are common in news ("politie", "gemeente") are left to the IDF.
DUTCH_STOPWORDS = wordset(
    """
    de het een en of van in op te ter ten aan om als bij door naar uit over tot voor met na
    onder tegen tussen zonder sinds tijdens volgens via per dan toen omdat want maar dus
    dat die dit deze daar hier er wat wie waar hoe wanneer waarom welke welk waarbij waarin
    is ben bent zijn was waren wordt worden werd werden word geweest
    heeft hebben had hadden heb hebt kan kunnen kon konden zal zullen zou zouden
    moet moeten moest mag mogen mocht wil willen wilde gaat gaan ging gingen gegaan
    hij zij ze we wij ik je jij u hun hem haar hen zich ons onze mijn jouw uw zijn men
    niet geen nog ook al wel zo meer veel weinig iets niets alle alles andere ander elk elke
    nu dan toch even reeds heel erg zeer echter ongeveer bijna ruim circa
    den der des
    zegt zei zeiden zeggen aldus meldt meldde melden laat liet weten
    """
)

ENGLISH_STOPWORDS = wordset(
    """
    the a an and or but nor of in on at to for from by with about as into over after before
    under between through during since until against than then so if because while
    that this these those there here what which who whom whose when where why how
    is are was were be been being am has have had having do does did done
    will would can could shall should may might must
    it its he she they we you i him her them his their our your us me my mine
    not no also just only more most some any all each other such very too same both few
    own again once said says say told according s t
    """
)

# Capitalised words that are not distinctive of one story: English day and month names
# (lower case in Dutch), titles, and the country and institutions that nearly every Dutch
# news article names. They still count as ordinary words for the TF-IDF cosine.
WEAK_ANCHORS = wordset(
    """
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    mr mrs ms dr
    nederland nederlandse nederlands nederlanders netherlands dutch holland
    europa europese europe european eu
    tweede kamer house representatives parliament kabinet cabinet
    anp nos rtl
    """
)
