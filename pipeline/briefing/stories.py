"""Group articles that report the same story, for the sections of the daily briefing.

"Same story" means the same event: several outlets reporting one accident, or a copy of an
article with small edits. It does not mean the same topic: two traffic accidents in different
towns, or two football matches, are different stories even though they share most of their
vocabulary ("aanrijding", "bestuurder", "traumahelikopter"; "doelpunt", "rust", "punten").

What tells the two apart is mostly the distinctive tokens: the names of places, people and
organisations, and the numbers (ages, times, amounts, scores). Two reports of one event share
them; two events on one topic do not. So the similarity of two articles combines:

* a TF-IDF cosine over word unigrams and bigrams, which measures shared wording and, through
  the IDF computed over the articles being grouped, discounts the words every article uses;
* an anchor score: the IDF-weighted overlap of the articles' capitalised names and numbers.

Both are computed on the Dutch source, which is always there and is what the translation was
made from, so the Dutch side decides on its own. The English translation can only add
evidence: it maps Dutch paraphrases onto the same English words, but it may also be missing,
or garbage from a small or random model, and garbage translations of different articles tend
to share the same repeated junk tokens ("reg reg go go sch"). So the English side is used only
as far as it looks like a real translation of its Dutch source (see `_english_trust`), and it
can only raise the Dutch score, by at most a fraction of the difference.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pipeline.text.segment import begins_sentence
from pipeline.text.wordlists import DUTCH_STOPWORDS, ENGLISH_STOPWORDS, WEAK_ANCHORS

# Chosen from the pairs in tests/test_stories.py. With the IDF from the two articles alone
# (`similarity`), same-event pairs score 0.40 to 0.80 and different events on one topic 0.14
# at most (unrelated stories 0.05); with the IDF over all 14 test articles, 0.45 and up
# against 0.18 at most. The threshold sits in that gap, a little nearer the negatives
# because reports of one event by different outlets are the pairs most likely to fall short,
# but not so near that two budget stories of two cities (the closest negatives) would join.
DEFAULT_THRESHOLD = 0.27

# The English side may move the Dutch score at most this fraction of the way towards the
# English score, and then only upwards (see `_combine`). Small, so that even a translation
# that slipped past `_english_trust` cannot lift an unrelated pair (Dutch score ~0.05) over
# the threshold on its own: 0.05 + 0.2 * 0.95 = 0.24 < DEFAULT_THRESHOLD.
ENGLISH_WEIGHT = 0.2

# Weight of the anchor score against the TF-IDF cosine when both articles have enough anchors.
ANCHOR_WEIGHT = 0.5
# With fewer anchors than this in either article, the anchor score is trusted proportionally
# less: one shared place name ("Amsterdam") says little about whether the event is the same.
_ANCHORS_FOR_FULL_WEIGHT = 3


@dataclass(frozen=True)
class StoryItem:
    """One article to group."""

    key: str  # any id of the caller; not used for grouping
    dutch: str  # Dutch title + body
    english: str  # the English translation (title + body); may be "" if unavailable
    time: str | None = None  # ISO date or datetime, for ordering inside a group


# A number ("1200", "3.5", "14.30") or a word of letters and digits ("A12", "N340").
# Hyphens and apostrophes split words: "Noord-Holland" gives two names, "auto's" one word.
_TOKEN = re.compile(r"\d+(?:\.\d+)+|[^\W_]+")
# Dutch writes "1.200" for twelve hundred and "3,5" for three and a half; English writes
# "1,200" and "3.5". Both are normalised to "1200" and "3.5".
_DUTCH_THOUSANDS = re.compile(r"(?<=\d)\.(?=\d{3}(?!\d))")
_DUTCH_DECIMAL = re.compile(r"(?<=\d),(?=\d)")
_ENGLISH_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class _Text:
    """What the similarity needs from one side (Dutch or English) of one article."""

    features: Counter[str]  # unigrams and bigrams ("a b") of the content words, with counts
    anchors: frozenset[str]  # distinctive tokens: names and numbers, lower case
    words: tuple[str, ...]  # the content words, in order


def _normalise_numbers(text: str, lang: str) -> str:
    if lang == "nl":
        return _DUTCH_DECIMAL.sub(".", _DUTCH_THOUSANDS.sub("", text))
    return _ENGLISH_THOUSANDS.sub("", text)


def _analyse(text: str, lang: str) -> _Text:
    """Tokenise, lowercase and drop stopwords; collect the names and numbers as anchors.

    A capitalised word counts as a name when it stands capitalised inside a sentence
    somewhere in the text: "Ommen" does ("uit Ommen"), while "Rederij" or "Volgens" opening a
    sentence does not, unless it also stands capitalised elsewhere. Numbers count
    when they have two digits or more and are not a year: "67", "14.30", "1200", but not the
    "2" of "2 gewonden" or the "2025" that most articles of a day mention.
    """
    stopwords = DUTCH_STOPWORDS if lang == "nl" else ENGLISH_STOPWORDS
    text = _normalise_numbers(text, lang)
    first_newline = text.find("\n")
    words: list[str] = []
    inside: set[str] = set()  # capitalised inside a sentence
    numbers: set[str] = set()
    for match in _TOKEN.finditer(text):
        token = match.group()
        word = token.lower()
        if word in stopwords or (len(word) < 2 and not word.isdigit()):
            continue
        words.append(word)
        if word[0].isdigit() and word.replace(".", "").isdigit():
            if len(word.replace(".", "")) >= 2 and not _YEAR.fullmatch(word):
                numbers.add(word)
        elif (
            token[0].isupper()
            and word not in WEAK_ANCHORS
            and not begins_sentence(text, match.start(), first_newline)
        ):
            inside.add(word)
    features = Counter(words)
    features.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return _Text(features=features, anchors=frozenset(inside | numbers), words=tuple(words))


def _idf(docs: Sequence[Counter[str] | frozenset[str]]) -> dict[str, float]:
    """Smoothed IDF over the items being grouped: ln((1 + n) / (1 + df)) + 1.

    The smoothing (as in scikit-learn's default) keeps every weight positive, so that with
    only two articles a word they share still counts (it gets 1, a word of one of them 1.4).
    """
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys() if isinstance(doc, Counter) else doc)
    n = len(docs)
    return {term: math.log((1 + n) / (1 + count)) + 1.0 for term, count in df.items()}


def _unit_vectors(docs: Sequence[Counter[str]], idf: dict[str, float]) -> list[dict[str, float]]:
    """Sublinear TF (1 + ln tf) times IDF, scaled to length 1."""
    vectors = []
    for doc in docs:
        vec = {t: (1.0 + math.log(tf)) * idf[t] for t, tf in doc.items()}
        norm = math.sqrt(sum(w * w for w in vec.values()))
        vectors.append({t: w / norm for t, w in vec.items()} if norm else {})
    return vectors


def _pairwise_cosines(vectors: Sequence[dict[str, float]]) -> dict[tuple[int, int], float]:
    """Cosines of all pairs (i < j) that share a term, through an inverted index.

    Pairs that share nothing are left out (their cosine is 0); with a few hundred articles
    this is much cheaper than comparing every pair term by term.
    """
    postings: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term, weight in vec.items():
            postings[term].append((i, weight))
    dots: defaultdict[tuple[int, int], float] = defaultdict(float)
    for plist in postings.values():
        for x in range(len(plist)):
            i, wi = plist[x]
            for y in range(x + 1, len(plist)):
                j, wj = plist[y]
                dots[(i, j)] += wi * wj
    return dict(dots)


class _Side:
    """One language side of all items: TF-IDF cosines and anchor scores of every pair."""

    def __init__(self, texts: Sequence[_Text]) -> None:
        self.texts = texts
        features = [t.features for t in texts]
        self.text_cos = _pairwise_cosines(_unit_vectors(features, _idf(features)))
        anchor_idf = _idf([t.anchors for t in texts])
        anchor_docs = [Counter(dict.fromkeys(t.anchors, 1)) for t in texts]
        # Binary anchor sets weighted by IDF: a rare shared name counts more than a common one.
        self.anchor_cos = _pairwise_cosines(_unit_vectors(anchor_docs, anchor_idf))

    def score(self, i: int, j: int) -> float:
        """Weighted mean of the TF-IDF cosine and the anchor score; the anchor score weighs
        less when either article has few anchors (none: the cosine alone)."""
        text = self.text_cos.get((i, j), 0.0)
        fewest = min(len(self.texts[i].anchors), len(self.texts[j].anchors))
        weight = ANCHOR_WEIGHT * min(1.0, fewest / _ANCHORS_FOR_FULL_WEIGHT)
        return (1.0 - weight) * text + weight * self.anchor_cos.get((i, j), 0.0)


def _english_trust(dutch: _Text, english: _Text) -> float:
    """How far (0..1) an English text looks like a real translation of its Dutch source.

    A real translation keeps the names and numbers of its source ("Ommen", "67", "14.30") and
    has a varied vocabulary. Output of a tiny or random model repeats a few junk tokens, the
    same ones for every article, so it would make unrelated articles look alike. Trust is the
    share of the Dutch anchors found among the English words, and zero when the English has
    fewer than 8 distinct content words or repeats itself (distinct / all below 0.4). With
    fewer than 2 Dutch anchors to check, a varied English text gets half trust.
    """
    distinct = len(set(english.words))
    if distinct < 8 or distinct / len(english.words) < 0.4:
        return 0.0
    if len(dutch.anchors) < 2:
        return 0.5
    present = set(english.words)
    return sum(a in present for a in dutch.anchors) / len(dutch.anchors)


def _combine(dutch: float, english: float, trust: float) -> float:
    """The Dutch score, raised towards the English one by at most ENGLISH_WEIGHT * trust.

    Only raised: the translation is made from the Dutch, so where it scores lower it is more
    likely a weak model losing information than a sign that the articles differ; where it
    scores higher, it may have mapped two Dutch paraphrases onto the same English words.
    """
    return min(1.0, max(0.0, dutch + ENGLISH_WEIGHT * trust * max(0.0, english - dutch)))


def _pair_scores(items: Sequence[StoryItem]) -> dict[tuple[int, int], float]:
    """Similarities of all pairs (i < j) with a nonzero score, IDF computed over `items`."""
    dutch_texts = [_analyse(item.dutch, "nl") for item in items]
    english_texts = [_analyse(item.english, "en") for item in items]
    trust = [_english_trust(d, e) for d, e in zip(dutch_texts, english_texts, strict=True)]
    dutch = _Side(dutch_texts)
    trusted = [i for i, t in enumerate(trust) if t > 0]
    english = _Side([english_texts[i] for i in trusted])
    scores: dict[tuple[int, int], float] = {}
    for i, j in dutch.text_cos:
        scores[(i, j)] = dutch.score(i, j)
    for x, y in english.text_cos:
        i, j = trusted[x], trusted[y]
        scores[(i, j)] = _combine(scores.get((i, j), 0.0), english.score(x, y), min(trust[i], trust[j]))
    return {pair: s for pair, s in scores.items() if s > 0.0}


def similarity(a: StoryItem, b: StoryItem) -> float:
    """How likely (0..1) `a` and `b` report the same story; see the module docstring.

    The IDF comes from these two articles alone. `group_stories` computes it over all the
    articles it groups, which discounts the day's common words better; the two agree on
    which side of DEFAULT_THRESHOLD the test pairs fall.
    """
    return _pair_scores([a, b]).get((0, 1), 0.0)


def _time_key(time: str | None) -> tuple[int, datetime]:
    """Sort key for an ISO date or datetime: times with a zone compared in UTC, times without
    taken as they are, and missing or unreadable times after all others."""
    if time:
        try:
            moment = datetime.fromisoformat(time.strip())
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                moment = moment.astimezone(UTC).replace(tzinfo=None)
            return (0, moment)
    return (1, datetime.min)


def group_stories(items: list[StoryItem], threshold: float = DEFAULT_THRESHOLD) -> list[list[int]]:
    """Group the indices of `items` by story: every index exactly once, singletons included.

    Inside a group, indices are ordered by `time` (missing times last), then by input order;
    groups are ordered by their lowest index, that is by first appearance in `items`.

    Clustering is average linkage: starting from singletons, the two groups with the highest
    mean pairwise similarity are merged, as long as that mean is at least `threshold`. Single
    linkage would chain: an article that mentions two accidents (a roundup, or a follow-up
    that recalls an earlier one) could join them into one group through itself, and a chain
    A~B~C joins A and C however unlike they are. Average linkage asks a new member to match
    the group as a whole; three reports of one event still form one group because each pair
    of them is similar.

    The merge order does not depend on `threshold` (ties are broken by the lowest indices of
    the groups), and the merging stops at the first merge below it; so a higher threshold
    stops no later and never yields fewer groups. With `threshold` <= 0, every pair qualifies
    and all items form one group.
    """
    n = len(items)
    if n == 0:
        return []
    if threshold <= 0:
        return [_ordered(items, range(n))]
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    # For each live group, the summed similarity to every other live group it has any with.
    links: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    heap: list[tuple[float, int, int, int, int]] = []
    for (i, j), s in _pair_scores(items).items():
        links[i][j] = s
        links[j][i] = s
        heap.append((-s, i, j, i, j))
    heapq.heapify(heap)
    next_id = n
    while heap:
        neg_mean, _, _, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue  # one of them was merged since this entry was pushed
        if -neg_mean < threshold:
            break
        merged = members.pop(a) + members.pop(b)
        sums: defaultdict[int, float] = defaultdict(float)
        for old in (a, b):
            for other, s in links.pop(old).items():
                if other in (a, b):
                    continue
                sums[other] += s
                del links[other][old]
        new = next_id
        next_id += 1
        members[new] = merged
        links[new] = dict(sums)
        first = min(merged)
        for other, s in sums.items():
            links[other][new] = s
            mean = s / (len(merged) * len(members[other]))
            lo, hi = sorted((first, min(members[other])))
            heapq.heappush(heap, (-mean, lo, hi, new, other))
    return sorted((_ordered(items, m) for m in members.values()), key=min)


def _ordered(items: Sequence[StoryItem], indices: Sequence[int] | range) -> list[int]:
    return sorted(indices, key=lambda i: (*_time_key(items[i].time), i))
