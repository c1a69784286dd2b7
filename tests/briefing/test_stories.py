"""Tests for grouping articles by story (pipeline.briefing.stories).

The articles below were written for these tests: invented events in real places, with
invented people. They come in sets built to be hard: reports of one event by different
outlets (other titles, wording and order, the same names and numbers), and different events
on one topic (two fatal cycling accidents, two football matches, two municipal budgets) that
share most of their vocabulary but none of their names, places or numbers.
"""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.briefing.stories import DEFAULT_THRESHOLD, StoryItem, group_stories, similarity

# --- the articles ----------------------------------------------------------------------------

# One fatal accident near Dalfsen, reported three times.
CYCLIST_DALFSEN_A = """Fietser (67) omgekomen bij aanrijding op N340 bij Dalfsen

Op de N340 bij Dalfsen is dinsdagochtend een 67-jarige man uit Ommen om het leven gekomen. De
fietser werd rond 07.45 uur geschept door een bestelbus toen hij de weg overstak ter hoogte van
de Hessenweg. Hulpdiensten, waaronder een traumahelikopter, waren snel ter plaatse, maar de man
overleed ter plekke aan zijn verwondingen. De 34-jarige bestuurder van de bestelbus, een inwoner
van Lemelerveld, raakte niet gewond. De politie heeft hem aangehouden voor verhoor.

De N340 was tussen Dalfsen en Ommen urenlang in beide richtingen afgesloten voor onderzoek door
de Verkeersongevallenanalyse. Het verkeer werd omgeleid via Hoonhorst. De politie roept getuigen
op zich te melden."""

CYCLIST_DALFSEN_B = """Dodelijk ongeluk bij Dalfsen: man uit Ommen overleden

Een man van 67 uit Ommen is dinsdag overleden nadat hij op zijn fiets werd aangereden op de N340.
Dat meldt de politie. Het ongeval gebeurde kort voor acht uur 's ochtends bij de kruising met de
Hessenweg, net buiten Dalfsen. Volgens een woordvoerder wilde de man de provinciale weg
oversteken toen een bestelbus hem raakte. Ondanks de inzet van ambulancepersoneel en een
traumaheli kwam alle hulp te laat.

De bestuurder, een 34-jarige man uit Lemelerveld, is aangehouden. De weg is een groot deel van
de dag dicht geweest voor sporenonderzoek. Automobilisten moesten omrijden via Hoonhorst."""

CYCLIST_DALFSEN_C = """Bestuurder bestelbus na dodelijk ongeval op N340 weer vrij

De 34-jarige man uit Lemelerveld die dinsdag betrokken was bij het dodelijke ongeluk op de N340
bij Dalfsen, is weer op vrije voeten. Dat heeft het Openbaar Ministerie woensdag laten weten.
Bij de aanrijding bij de Hessenweg kwam een 67-jarige fietser uit Ommen om het leven.

De bestuurder wordt nog wel verdacht van het veroorzaken van een dodelijk verkeersongeval.
Justitie wacht het rapport van de Verkeersongevallenanalyse af. Familie van het slachtoffer laat
weten diep geschokt te zijn. Op de plek van het ongeluk bij Dalfsen zijn inmiddels bloemen
neergelegd."""

# Another fatal cycling accident: same topic and vocabulary, another town, victim and time.
CYCLIST_DOETINCHEM = """Fietsster (71) overleden na aanrijding met vrachtwagen in Doetinchem

In Doetinchem is donderdagmiddag een 71-jarige vrouw om het leven gekomen bij een aanrijding
met een vrachtwagen. De fietsster uit Gaanderen werd rond 14.20 uur geraakt op de rotonde bij
de Keppelseweg. De chauffeur van de vrachtwagen zag haar vermoedelijk over het hoofd bij het
afslaan. Een traumahelikopter landde in de buurt, maar de vrouw overleed ter plaatse.

De 58-jarige chauffeur uit Zevenaar is aangehouden en verhoord. De Verkeersongevallenanalyse
van de politie heeft onderzoek gedaan naar de toedracht. De rotonde was tot de avond afgesloten.
De gemeente Doetinchem laat weten dat omwonenden de rotonde al eerder als gevaarlijk hadden
gemeld."""

# A third accident, on a motorway.
CRASH_A28 = """Twee gewonden bij botsing tussen vrachtwagen en auto op A28 bij Meppel

Op de A28 bij Meppel zijn zaterdagavond twee mensen gewond geraakt bij een botsing tussen een
vrachtwagen en een personenauto. Het ongeluk gebeurde rond 21.15 uur op de rijbaan richting
Groningen, ter hoogte van de afrit Nijeveen. De bestuurster van de auto, een 45-jarige vrouw uit
Hoogeveen, en haar 19-jarige dochter zijn met een ambulance naar het ziekenhuis in Zwolle
gebracht. Hun verwondingen zijn volgens de politie ernstig, maar niet levensbedreigend. De
vrachtwagenchauffeur bleef ongedeerd.

De snelweg was ruim drie uur afgesloten voor onderzoek en het bergen van de voertuigen.
Rijkswaterstaat adviseerde automobilisten om te rijden via de N371."""

# One football match, reported twice.
FEYENOORD_TWENTE_A = """Feyenoord wint ruim van FC Twente

Feyenoord heeft zondag in De Kuip met 3-1 gewonnen van FC Twente. Daan Verhoef zette de
Rotterdammers na twaalf minuten op voorsprong met een kopbal. Vlak voor rust verdubbelde Milan de
Groot de score uit een vrije trap. Na de pauze kwam Twente terug tot 2-1 via een doelpunt van Sem
Kuipers, maar in de 78e minuut besliste invaller Jesper Bakker het duel.

Trainer Robin van Leeuwen was na afloop tevreden: "We hebben laten zien dat we weer mee willen
doen om de titel." Door de zege klimt Feyenoord naar de tweede plaats in de Eredivisie, met 22
punten uit tien wedstrijden. FC Twente zakt naar de vijfde plaats."""

FEYENOORD_TWENTE_B = """Verhoef en De Groot leiden Feyenoord langs Twente

In een volle Kuip was Feyenoord zondagmiddag met 3-1 te sterk voor FC Twente. Spits Daan Verhoef
kopte in de twaalfde minuut raak, waarna Milan de Groot kort voor de rust een vrije trap
binnenschoot. Twente gaf zich niet gewonnen: Sem Kuipers maakte er na een uur 2-1 van. Het
slotakkoord was voor Jesper Bakker, die twaalf minuten voor tijd de 3-1 binnentikte.

"Dit was een belangrijke overwinning," zei trainer Robin van Leeuwen. Feyenoord heeft nu 22
punten en staat tweede in de Eredivisie. Twente is vijfde."""

# Another match: same topic and vocabulary, other clubs, players and score.
PSV_AZ = """PSV en AZ delen de punten na spektakelstuk

PSV en AZ hebben zaterdagavond in het Philips Stadion met 2-2 gelijkgespeeld. AZ kwam al in de
vijfde minuut op voorsprong door een treffer van Thomas Meijer. PSV draaide de achterstand voor
rust om: eerst scoorde Luuk Visser met een kopbal, daarna zette Yannick Hendriks een strafschop
om. In de slotfase viel de gelijkmaker van AZ, opnieuw via Meijer, die een voorzet van Ruben
Claassen binnenkopte.

Trainer Kees Dijkman van PSV baalde na afloop: "We gaven het in de laatste tien minuten uit
handen." PSV blijft koploper in de Eredivisie met 27 punten, AZ staat met 16 punten zesde."""

# A municipal budget, and a copy with small edits (a typo fixed, a sentence added).
BUDGET_GRONINGEN = """Groningen moet 14,5 miljoen euro bezuinigen

De gemeente Groningen komt volgend jaar 14,5 miljoen euro tekort. Dat blijkt uit de begrotnig
voor 2026 die het college van burgemeester en wethouders dinsdag heeft gepresenteerd. Wethouder
Financiën Inge de Vries wijst op stijgende kosten voor jeugdzorg en de Wmo, en op een lagere
bijdrage uit het gemeentefonds.

Om het gat te dichten wil het college de onroerendezaakbelasting met 6 procent verhogen en de
subsidie voor een aantal culturele instellingen verlagen. Ook de openingstijden van twee
zwembaden worden beperkt. De oppositie in de gemeenteraad noemt de plannen "pijnlijk voor gewone
Groningers". De raad bespreekt de begroting op 12 november."""

BUDGET_GRONINGEN_EDITED = (
    BUDGET_GRONINGEN.replace("begrotnig", "begroting").replace(
        "worden beperkt.", "worden beperkt. Het Forum en het Groninger Museum ontzien de plannen."
    )
    + " Tot die tijd kunnen inwoners reageren via de website van de gemeente."
)

# Another city's budget: same topic and vocabulary, other city, people and amounts.
BUDGET_EINDHOVEN = """Eindhoven houdt geld over en investeert in fietspaden

De gemeente Eindhoven sluit de begroting voor 2026 af met een overschot van 3,2 miljoen euro.
Wethouder Financiën Mark Janssens presenteerde de cijfers woensdag. Het college wil het geld
gebruiken voor nieuwe fietspaden in Woensel en voor extra handhavers in het centrum. De
onroerendezaakbelasting stijgt alleen met de inflatie, ongeveer 3 procent.

Wel waarschuwt het college dat de kosten voor jeugdzorg en de Wmo blijven oplopen en dat de
bijdrage uit het gemeentefonds vanaf 2027 lager wordt. "We zijn voorzichtig optimistisch," aldus
Janssens. De gemeenteraad debatteert op 7 november over de plannen."""

# Unrelated stories.
STORM_FERRIES = """Storm legt veerdiensten naar Waddeneilanden stil

Door de eerste herfststorm van het seizoen zijn maandag alle veerdiensten tussen het vaste land en
de Waddeneilanden uitgevallen. Het KNMI gaf code oranje af voor Friesland, Groningen en
Noord-Holland. Rederij Doeksen meldde dat de boten naar Terschelling en Vlieland pas
dinsdagmiddag weer varen. Reizigers die vastzitten, kunnen gratis omboeken.

Aan de kust werden windstoten tot 110 kilometer per uur gemeten. In Harlingen waaide een steiger
los en op de Afsluitdijk gold een rijverbod voor vrachtwagens met een lege aanhanger. De
brandweer rukte in het hele land meer dan 400 keer uit voor omgewaaide bomen."""

MUSEUM_DORDRECHT = """Dordrechts Museum toont vergeten landschappen van Aelbert Cuyp

Het Dordrechts Museum opent zaterdag een tentoonstelling met 38 landschappen van Aelbert Cuyp,
waarvan er negen nooit eerder in Nederland te zien waren. De schilderijen komen uit particuliere
collecties in Engeland en de Verenigde Staten. Conservator Lotte Hermans werkte ruim vier jaar
aan de expositie.

Volgens Hermans laat de tentoonstelling zien hoe Cuyp het licht van de rivieren rond Dordrecht
vastlegde. "Hij schilderde de Maas alsof het zomeravond was, ook in december." De
tentoonstelling is tot en met 15 maart te zien. Het museum verwacht zeker 60.000 bezoekers."""

BAKERY_CLOSURES = """Bakkerijketen Bakkerij Hoogland sluit 12 winkels

Bakkerij Hoogland sluit voor het einde van het jaar 12 van haar 85 winkels. Dat heeft het
familiebedrijf uit Amersfoort donderdag bekendgemaakt. Volgens directeur Pieter Hoogland zijn de
kosten voor energie, graan en personeel de afgelopen twee jaar zo sterk gestegen dat een deel
van de winkels verlies draait.

Ongeveer 90 medewerkers verliezen hun baan. Het bedrijf probeert hen een plek te bieden in
andere filialen of in de bakkerij in Amersfoort. Vakbond FNV noemt het besluit "een harde klap"
en wil snel in gesprek met de directie over een sociaal plan."""

# English translations of some articles (written for these tests, like a decent model would).
EN = {
    "dalfsen_a": """Cyclist (67) killed in collision on N340 near Dalfsen

A 67-year-old man from Ommen was killed on the N340 near Dalfsen on Tuesday morning. The cyclist
was hit by a van at around 07.45 as he crossed the road near the Hessenweg. Emergency services,
including a trauma helicopter, were quickly on the scene, but the man died of his injuries at
the scene. The 34-year-old driver of the van, a resident of Lemelerveld, was not injured. The
police have arrested him for questioning.

The N340 between Dalfsen and Ommen was closed in both directions for hours for an investigation
by the Traffic Accident Analysis unit. Traffic was diverted via Hoonhorst. The police are asking
witnesses to come forward.""",
    "dalfsen_b": """Fatal accident near Dalfsen: man from Ommen dies

A 67-year-old man from Ommen died on Tuesday after he was hit while riding his bicycle on the
N340, the police report. The accident happened shortly before eight in the morning at the
junction with the Hessenweg, just outside Dalfsen. According to a spokesperson, the man wanted to
cross the provincial road when a van hit him. Despite the efforts of ambulance staff and a
trauma helicopter, all help came too late.

The driver, a 34-year-old man from Lemelerveld, has been arrested. The road was closed for a
large part of the day for forensic investigation. Motorists had to make a detour via Hoonhorst.""",
    "doetinchem": """Cyclist (71) dies after collision with lorry in Doetinchem

A 71-year-old woman was killed in Doetinchem on Thursday afternoon in a collision with a lorry.
The cyclist from Gaanderen was hit at around 14.20 at the roundabout near the Keppelseweg. The
lorry driver probably failed to see her when turning. A trauma helicopter landed nearby, but the
woman died at the scene.

The 58-year-old driver from Zevenaar was arrested and questioned. The police Traffic Accident
Analysis unit investigated the cause. The roundabout was closed until the evening. The
municipality of Doetinchem says local residents had reported the roundabout as dangerous
before.""",
    "feyenoord_a": """Feyenoord beat FC Twente comfortably

Feyenoord beat FC Twente 3-1 at De Kuip on Sunday. Daan Verhoef gave the Rotterdam side the lead
after twelve minutes with a header. Just before half-time Milan de Groot doubled the score from a
free kick. After the break Twente came back to 2-1 through a goal by Sem Kuipers, but in the 78th
minute substitute Jesper Bakker decided the match.

Coach Robin van Leeuwen was satisfied afterwards: "We have shown that we want to compete for the
title again." The win lifts Feyenoord to second place in the Eredivisie, with 22 points from ten
matches. FC Twente drop to fifth place.""",
    "feyenoord_b": """Verhoef and De Groot lead Feyenoord past Twente

In a packed Kuip, Feyenoord were too strong for FC Twente on Sunday afternoon, winning 3-1.
Striker Daan Verhoef headed in in the twelfth minute, after which Milan de Groot fired in a free
kick shortly before half-time. Twente did not give up: Sem Kuipers made it 2-1 after an hour. The
final word went to Jesper Bakker, who tapped in the 3-1 twelve minutes from time.

"This was an important win," said coach Robin van Leeuwen. Feyenoord now have 22 points and are
second in the Eredivisie. Twente are fifth.""",
    "psv_az": """PSV and AZ share the points after a spectacular match

PSV and AZ drew 2-2 on Saturday evening at the Philips Stadion. AZ took the lead in the fifth
minute through a goal by Thomas Meijer. PSV turned the deficit around before half-time: first
Luuk Visser scored with a header, then Yannick Hendriks converted a penalty. In the closing stage
AZ equalised, again through Meijer, who headed in a cross from Ruben Claassen.

PSV coach Kees Dijkman was disappointed afterwards: "We let it slip in the last ten minutes." PSV
remain top of the Eredivisie with 27 points, AZ are sixth with 16 points.""",
}

DUTCH = {
    "dalfsen_a": CYCLIST_DALFSEN_A,
    "dalfsen_b": CYCLIST_DALFSEN_B,
    "dalfsen_c": CYCLIST_DALFSEN_C,
    "doetinchem": CYCLIST_DOETINCHEM,
    "a28": CRASH_A28,
    "feyenoord_a": FEYENOORD_TWENTE_A,
    "feyenoord_b": FEYENOORD_TWENTE_B,
    "psv_az": PSV_AZ,
    "groningen": BUDGET_GRONINGEN,
    "groningen_edited": BUDGET_GRONINGEN_EDITED,
    "eindhoven": BUDGET_EINDHOVEN,
    "storm": STORM_FERRIES,
    "museum": MUSEUM_DORDRECHT,
    "bakery": BAKERY_CLOSURES,
}

# The stories: which articles report the same event.
STORIES = [
    ["dalfsen_a", "dalfsen_b", "dalfsen_c"],
    ["doetinchem"],
    ["a28"],
    ["feyenoord_a", "feyenoord_b"],
    ["psv_az"],
    ["groningen", "groningen_edited"],
    ["eindhoven"],
    ["storm"],
    ["museum"],
    ["bakery"],
]
SAME_STORY = {frozenset(p) for story in STORIES for p in itertools.combinations(story, 2)}
ALL_PAIRS = [frozenset(p) for p in itertools.combinations(DUTCH, 2)]
DIFFERENT_STORY = [p for p in ALL_PAIRS if p not in SAME_STORY]
# Different events on one topic: the negatives that matter.
SAME_TOPIC = [
    frozenset(p)
    for p in [
        ("dalfsen_a", "doetinchem"),
        ("dalfsen_b", "doetinchem"),
        ("dalfsen_c", "doetinchem"),
        ("dalfsen_a", "a28"),
        ("doetinchem", "a28"),
        ("feyenoord_a", "psv_az"),
        ("feyenoord_b", "psv_az"),
        ("groningen", "eindhoven"),
        ("groningen_edited", "eindhoven"),
    ]
]

# What tiny random translation models write: the same few junk tokens for every input.
JUNK = [
    "reg reg reg go go sch",
    "easup reg reg reg reg reg reg reg reg go go go go sch sch 63",
    "go go go go go go go go go stud go reg go reg go reg go e go e go 63 reg 63",
    "schrovftsti go go go gosti gosti gosti gosti go 81 sch81 sch sch sch reg reg",
]


def item(name: str, english: str | None = None, time: str | None = None) -> StoryItem:
    """The article `name`, with its English translation from EN unless `english` is given."""
    return StoryItem(name, DUTCH[name], EN.get(name, "") if english is None else english, time)


def names_of(groups: list[list[int]], names: list[str]) -> set[frozenset[str]]:
    return {frozenset(names[i] for i in group) for group in groups}


EXPECTED = {frozenset(story) for story in STORIES}


def check_partition(groups: list[list[int]], n: int) -> None:
    assert sorted(i for group in groups for i in group) == list(range(n))
    assert all(group for group in groups)


# --- similarity of pairs ---------------------------------------------------------------------


def pair_similarity(pair: frozenset[str], english: str = "en") -> float:
    a, b = sorted(pair)
    if english == "en":
        return similarity(item(a), item(b))
    if english == "none":
        return similarity(item(a, ""), item(b, ""))
    return similarity(item(a, JUNK[0]), item(b, JUNK[1]))


@pytest.mark.parametrize("english", ["en", "none", "junk"])
@pytest.mark.parametrize("pair", sorted(SAME_STORY, key=sorted), ids=lambda p: "+".join(sorted(p)))
def test_same_story_pairs_are_above_the_threshold(pair: frozenset[str], english: str) -> None:
    assert pair_similarity(pair, english) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize("english", ["en", "none", "junk"])
@pytest.mark.parametrize("pair", sorted(DIFFERENT_STORY, key=sorted), ids=lambda p: "+".join(sorted(p)))
def test_different_story_pairs_are_below_the_threshold(pair: frozenset[str], english: str) -> None:
    assert pair_similarity(pair, english) < DEFAULT_THRESHOLD


def test_margin_around_the_threshold() -> None:
    """Print the similarities (run with -s); both sides keep a margin to the threshold."""
    positives = {"+".join(sorted(p)): pair_similarity(p) for p in SAME_STORY}
    negatives = {"+".join(sorted(p)): pair_similarity(p) for p in DIFFERENT_STORY}
    same_topic = {"+".join(sorted(p)): pair_similarity(p) for p in SAME_TOPIC}
    print(f"\nthreshold {DEFAULT_THRESHOLD}")
    for name, value in sorted(positives.items(), key=lambda kv: kv[1]):
        print(f"  same story   {value:.3f}  {name}")
    for name, value in sorted(same_topic.items(), key=lambda kv: -kv[1]):
        print(f"  same topic   {value:.3f}  {name}")
    print(f"  unrelated max {max(v for k, v in negatives.items() if k not in same_topic):.3f}")
    assert min(positives.values()) >= DEFAULT_THRESHOLD + 0.08
    assert max(negatives.values()) <= DEFAULT_THRESHOLD - 0.08


def test_similarity_is_symmetric_and_bounded() -> None:
    for a, b in itertools.combinations(["dalfsen_a", "dalfsen_b", "doetinchem", "museum"], 2):
        forward, backward = similarity(item(a), item(b)), similarity(item(b), item(a))
        assert forward == pytest.approx(backward)
        assert 0.0 <= forward <= 1.0


def test_identical_articles_score_one() -> None:
    assert similarity(item("museum"), item("museum")) == pytest.approx(1.0)


def test_empty_articles_never_match() -> None:
    empty = StoryItem("x", "", "")
    assert similarity(empty, StoryItem("y", "", "")) == 0.0
    assert similarity(empty, item("museum")) == 0.0
    assert group_stories([empty, StoryItem("y", "", "")]) == [[0], [1]]


def test_numbers_are_normalised() -> None:
    """ "1.200" and "1200", "3,5" and "3.5" are the same number on the Dutch side."""
    a = StoryItem("a", "Brand in Tiel. In Tiel stonden 1.200 woningen zonder stroom, schade 3,5 miljoen.", "")
    b = StoryItem("b", "Brand in Tiel. In Tiel stonden 1200 woningen zonder stroom, schade 3.5 miljoen.", "")
    assert similarity(a, b) == pytest.approx(1.0)


# --- grouping --------------------------------------------------------------------------------


@pytest.mark.parametrize("english", ["en", "none", "junk"])
def test_groups_all_articles(english: str) -> None:
    names = list(DUTCH)
    rng = random.Random(4)
    translations = {
        "en": [EN.get(n, "") for n in names],
        "none": ["" for _ in names],
        # Junk for every article, so unrelated articles share junk tokens.
        "junk": [rng.choice(JUNK) + " " + rng.choice(JUNK) for _ in names],
    }[english]
    items = [StoryItem(n, DUTCH[n], e) for n, e in zip(names, translations, strict=True)]
    groups = group_stories(items)
    check_partition(groups, len(items))
    assert names_of(groups, names) == EXPECTED


def test_same_event_by_two_outlets_is_grouped() -> None:
    assert group_stories([item("feyenoord_a"), item("feyenoord_b")]) == [[0, 1]]
    assert group_stories([item("dalfsen_a", ""), item("dalfsen_b", "")]) == [[0, 1]]


def test_copy_with_small_edits_is_grouped() -> None:
    assert group_stories([item("groningen"), item("groningen_edited")]) == [[0, 1]]


@pytest.mark.parametrize("pair", SAME_TOPIC, ids=lambda p: "+".join(sorted(p)))
def test_same_topic_different_events_stay_apart(pair: frozenset[str]) -> None:
    a, b = sorted(pair)
    assert group_stories([item(a), item(b)]) == [[0], [1]]


def test_unrelated_stories_stay_apart() -> None:
    names = ["storm", "museum", "bakery", "psv_az", "eindhoven", "a28"]
    assert group_stories([item(n) for n in names]) == [[i] for i in range(len(names))]


def test_three_reports_form_one_group_ordered_by_time() -> None:
    items = [
        item("museum"),
        item("dalfsen_c", time="2025-10-08T09:30:00+02:00"),
        item("doetinchem"),
        item("dalfsen_a", time="2025-10-07"),
        item("dalfsen_b", time="2025-10-07T08:15:00Z"),
    ]
    assert group_stories(items) == [[0], [3, 4, 1], [2]]


def test_order_inside_a_group_puts_missing_times_last_and_keeps_input_order_on_ties() -> None:
    items = [
        item("dalfsen_a", time=None),
        item("dalfsen_b", time="2025-10-07"),
        item("dalfsen_c", time="not a date"),
    ]
    assert group_stories(items) == [[1, 0, 2]]
    same_time = [item("dalfsen_b", time="2025-10-07"), item("dalfsen_a", time="2025-10-07")]
    assert group_stories(same_time) == [[0, 1]]


def test_groups_are_ordered_by_first_appearance() -> None:
    names = ["museum", "feyenoord_b", "groningen", "feyenoord_a", "storm", "groningen_edited"]
    assert group_stories([item(n) for n in names]) == [[0], [1, 3], [2, 5], [4]]


def test_junk_english_does_not_glue_unrelated_stories() -> None:
    """Every article translated into the same junk: the Dutch side alone decides."""
    names = ["storm", "museum", "bakery", "psv_az", "eindhoven", "doetinchem"]
    for junk in JUNK:
        assert group_stories([item(n, junk) for n in names]) == [[i] for i in range(len(names))]
    # Even a varied but input-independent "translation" is distrusted: it keeps none of the
    # Dutch names and numbers.
    varied = EN["psv_az"]
    assert group_stories([item(n, varied) for n in names]) == [[i] for i in range(len(names))]


def test_empty_english_for_some_articles_only() -> None:
    items = [item("feyenoord_a"), item("feyenoord_b", ""), item("psv_az"), item("dalfsen_a", "")]
    assert group_stories(items) == [[0, 1], [2], [3]]


def test_english_can_raise_but_not_create_a_match() -> None:
    """A good translation may add evidence; the Dutch side stays decisive."""
    dutch_only = similarity(item("feyenoord_a", ""), item("feyenoord_b", ""))
    assert similarity(item("feyenoord_a"), item("feyenoord_b")) >= dutch_only
    # Unrelated Dutch, identical (and plausible) English: still apart.
    assert similarity(item("museum", EN["psv_az"]), item("bakery", EN["psv_az"])) < DEFAULT_THRESHOLD


def test_no_items() -> None:
    assert group_stories([]) == []


def test_extreme_thresholds() -> None:
    items = [item(n) for n in ["dalfsen_a", "museum", "dalfsen_b"]]
    assert group_stories(items, threshold=0.0) == [[0, 1, 2]]
    assert group_stories(items, threshold=1.01) == [[0], [1], [2]]


ROUNDUP = """Twee fietsers omgekomen in het verkeer

Op de N340 bij Dalfsen is dinsdagochtend een 67-jarige fietser uit Ommen doodgereden door een
bestelbus. De 34-jarige bestuurder uit Lemelerveld is aangehouden.

In Doetinchem kwam donderdagmiddag een 71-jarige fietsster uit Gaanderen om het leven bij een
aanrijding met een vrachtwagen op de rotonde bij de Keppelseweg. De 58-jarige chauffeur uit
Zevenaar is aangehouden."""


def test_a_roundup_does_not_chain_two_events() -> None:
    """A roundup of two accidents is like each of them, but does not join them."""
    roundup = StoryItem("roundup", ROUNDUP, "")
    for others in (["dalfsen_a", "doetinchem"], list(DUTCH)):
        items = [item(n, "") for n in others] + [roundup]
        dalfsen, doetinchem = others.index("dalfsen_a"), others.index("doetinchem")
        assert similarity(items[dalfsen], roundup) >= DEFAULT_THRESHOLD
        assert similarity(items[doetinchem], roundup) >= DEFAULT_THRESHOLD
        groups = group_stories(items)
        assert not any({dalfsen, doetinchem} <= set(group) for group in groups)


def test_average_linkage_not_single_linkage(monkeypatch: pytest.MonkeyPatch) -> None:
    """A~B and B~C, but A and C unlike: C joins only if it matches {A, B} on average."""
    from pipeline.briefing import stories

    scores = {(0, 1): 0.9, (1, 2): 0.5, (0, 2): 0.02}
    monkeypatch.setattr(stories, "_pair_scores", lambda items: scores)
    items = [StoryItem(str(i), "", "") for i in range(3)]
    assert group_stories(items, threshold=0.3) == [[0, 1], [2]]  # mean(0.5, 0.02) = 0.26
    assert group_stories(items, threshold=0.25) == [[0, 1, 2]]
    assert group_stories(items, threshold=0.95) == [[0], [1], [2]]


# --- properties ------------------------------------------------------------------------------

PARAGRAPHS = [p for text in DUTCH.values() for p in text.split("\n\n")]
ENGLISH_PARAGRAPHS = [p for text in EN.values() for p in text.split("\n\n")] + JUNK + [""]

small_items = st.lists(
    st.builds(
        StoryItem,
        key=st.just("k"),
        dutch=st.lists(st.sampled_from(PARAGRAPHS), max_size=3).map("\n\n".join),
        english=st.sampled_from(ENGLISH_PARAGRAPHS),
        time=st.one_of(st.none(), st.sampled_from(["2025-10-06", "2025-10-07T10:00:00", "2025-10-05"])),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(small_items)
def test_every_index_once_and_deterministic(items: list[StoryItem]) -> None:
    groups = group_stories(items)
    check_partition(groups, len(items))
    assert groups == group_stories(list(items))
    assert [min(g) for g in groups] == sorted(min(g) for g in groups)


@settings(max_examples=60, deadline=None)
@given(small_items, st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_higher_threshold_never_gives_fewer_groups(items: list[StoryItem], t1: float, t2: float) -> None:
    low, high = sorted((t1, t2))
    assert len(group_stories(items, high)) >= len(group_stories(items, low))


def test_scales_to_a_few_hundred_articles() -> None:
    """A day's worth of articles groups in well under a second or so per hundred."""
    rng = random.Random(7)
    items = [
        StoryItem(str(i), "\n\n".join(rng.sample(PARAGRAPHS, 3)), rng.choice(ENGLISH_PARAGRAPHS))
        for i in range(300)
    ]
    groups = group_stories(items)
    check_partition(groups, len(items))
