"""Build tiny random-weight models offline, laid out like the real Hub repositories.

Usage::

    python tests/tiny_models.py DIR            # builds every model below DIR, prints each path
    python tests/tiny_models.py DIR translator # builds only the named ones

``BUILDERS`` maps a folder name to ``fn(out_dir: Path) -> Path``. Today it holds only the
translator (a MarianMT folder loadable exactly like ``Helsinki-NLP/opus-mt-nl-en``); the
summarizers (``seq2seq-summarizer``, ``chat-summarizer``) are meant to be added beside it.

Everything is deterministic (fixed seeds, single-threaded sentencepiece training, text
generated from templates in this file) and runs without any network access. Heavy imports
(torch, transformers, sentencepiece) happen inside the builders so importing this module is
cheap.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

SEED = 20261128

# The model's length limit: tokenizer ``model_max_length`` and config ``max_position_embeddings``.
TRANSLATOR_MAX_LENGTH = 64
TRANSLATOR_D_MODEL = 32
TRANSLATOR_LAYERS = 1
TRANSLATOR_HEADS = 4
TRANSLATOR_FFN_DIM = 64
# Std of the random weights. The stock 0.02 makes every input decode to the same repeated
# token; a large std makes outputs depend on the input (see test_tiny_models.py).
TRANSLATOR_INIT_STD = 1.0
# Requested sentencepiece pieces per side (256 byte pieces + 3 meta pieces + learned pieces). The
# corpus below only supports about 850, so training stops there (hard_vocab_limit=False).
SPM_VOCAB_SIZE = 1000
# Added to the output logits of byte pieces and <unk>, so that generated text is made of real
# pieces (stray <0xNN> bytes decode to U+FFFD or control characters; the real model has none).
SUPPRESSED_LOGIT_BIAS = -1e4

EOS, UNK, PAD = "</s>", "<unk>", "<pad>"

# ---------------------------------------------------------------------------------------------
# Training text: written for this file, combined from templates.
# ---------------------------------------------------------------------------------------------

# fmt: off
NL_SUBJECTS = [
    "De burgemeester", "Het kabinet", "De gemeenteraad", "Een woordvoerder van de politie",
    "De minister van Financiën", "Het ministerie", "De brandweer", "Onderzoekers van de universiteit",
    "De vakbond", "Het bedrijf", "De rechtbank", "Een inwoner van Zwolle", "De provincie Groningen",
    "De Tweede Kamer", "Het Rode Kruis", "De trainer van de club", "De spoorwegen", "Het weerinstituut",
    "De coöperatie", "Een ambtenaar", "De officier van justitie", "Het museum", "De wethouder",
]
NL_VERBS = [
    "presenteerde", "bevestigde", "onderzocht", "steunde", "verwierp", "opende", "bekritiseerde",
    "publiceerde", "verdedigde", "besprak", "kocht", "sloot", "verkocht", "evalueerde", "noemde",
]
NL_OBJECTS = [
    "een nieuw plan voor de binnenstad", "het rapport over de dijken", "de begroting voor volgend jaar",
    "een onderzoek naar de brand", "de plannen voor een brug over de rivier",
    "het voorstel om de belasting te verlagen", "een café aan de haven", "de reïntegratie van werklozen",
    "het financiële overzicht", "een tentoonstelling over oude kaarten", "de vergunning voor het windpark",
    "de ruïne van het kasteel", "het geërfde pand", "een efficiënt systeem voor afval",
    "de zeeën rond de eilanden", "de crèche in het dorp", "het idee van een gratis bus",
    "de à la carte menukaart", "de façade van het station",
]
NL_TIMES = [
    "op maandag", "gisteravond", "vorige week", "dinsdagochtend", "in maart", "na lang overleg",
    "tijdens een persconferentie", "op 12 januari", "eerder dit jaar", "om 14.30 uur", "zaterdag", "in 2024",
]
NL_SOURCES = [
    "Volgens de krant", "Volgens de politie", "Volgens het CBS", "Volgens de regering", "Volgens experts",
    "Volgens de omroep", "Volgens bewoners", "Volgens de school", "Volgens een nieuw onderzoek",
]
NL_TOPICS = [
    "de nieuwe brug", "het plan", "de zorg", "het onderwijs", "de woningmarkt", "het weer", "de economie",
    "het verkeer", "de energieprijs", "het water", "de landbouw", "het toerisme", "de veiligheid",
]
NL_STATES = [
    "te duur", "veilig", "onzeker", "beter dan vorig jaar", "een groot probleem", "niet klaar",
    "goed nieuws", "nog lang niet opgelost", "belangrijk voor iedereen", "slecht geregeld",
    "sterk verbeterd", "een zaak van de overheid",
]
NL_PLACES = [
    "Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Maastricht", "Leeuwarden", "Arnhem",
    "'s-Hertogenbosch", "Tilburg", "Enschede", "Middelburg", "Almere",
]
NL_GROUPS = ["mensen", "boeren", "studenten", "leraren", "artsen", "fietsers", "vissers", "ouders"]
NL_ACTIONS = [
    "demonstreerden tegen de nieuwe wet", "protesteerden voor een hoger loon",
    "vroegen om beter openbaar vervoer", "kwamen samen tegen de sluiting van het ziekenhuis",
    "staakten voor meer personeel", "liepen mee in een stille tocht", "wachtten uren op de trein",
    "hielpen bij het opruimen na de storm",
]

NL_EXTRA = [
    "„We zijn tevreden”, zei de wethouder.",
    "“Dit is pas het begin”, aldus de voorzitter.",
    ",,Dat klopt niet'', reageerde de minister.",
    "‘Nooit meer’, schreef een lezer aan de krant.",
    "Het was 'een goede dag', zei de trainer na de wedstrijd.",
    "De directeur noemde het \"een historische stap\" voor de regio.",
    "De prijs steeg met 3,5% tot € 1.250 per maand.",
    "De inflatie daalde in mei naar 2,7 procent – het laagste niveau in jaren.",
    "Het tekort bedraagt €4,8 miljard — meer dan verwacht.",
    "Om 06:45 uur vertrok de eerste trein naar Utrecht (spoor 5b).",
    "De score was 3-1; de bezoekers waren kansloos!",
    "Wie betaalt de rekening? Dat is nog onduidelijk.",
    "Zij sprak over ideeën, reüniën en geïnteresseerde burgers.",
    "Hé, wat een drukte op de Coolsingel!",
    "Hij zag een ouderwetse tram & een grote menigte: 1.000 à 2.000 mensen.",
    "Het café, de crème brûlée en de gêne: allemaal Franse leenwoorden.",
    "Één leerling, één docent en één klas; de gast keek toe.",
    "Öztürk en Müller wonnen de Élite-prijs in Düsseldorf.",
    "ÀÈÉËÏÖÜÇ àèéëïöüç êôûâ áíóú äñ",
    "Getallen: 0 1 2 3 4 5 6 7 8 9 10 25 100 2025 1/2 50% 7,5%.",
    "Tekens: . , ; : ! ? ( ) [ ] / & + - = * # @ _ ' \" ’ ‘ “ ” „ – — € % …",
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ ij IJ",
    "Bij het ongeluk op de A12 raakten twee mensen gewond.",
    "Volgens het CBS groeide de economie met 0,4 procent.",
    "De NOS meldde dat de vergadering om 20.00 uur begint.",
    "Het parlement stemde in met de wet (76 stemmen voor, 74 tegen).",
    "Dit is een test. Dat is ook een test.",
    "Er is nog niets bekend over de oorzaak van het ongeluk.",
    "Het is niet duidelijk wanneer de weg weer open gaat.",
    "Hij zegt dat hij er niet van wist, maar zij denkt daar anders over.",
    "Wij hebben het nieuws van vandaag en morgen voor u op een rij gezet.",
    "De meeste mensen willen meer tijd voor hun kinderen en minder werk.",
    "Ook in het noorden en het zuiden van het land valt veel regen.",
    "Het kan zijn dat de school na de zomer dicht moet.",
]

EN_SUBJECTS = [
    "The mayor", "The cabinet", "The city council", "A police spokesperson", "The finance minister",
    "The ministry", "The fire brigade", "University researchers", "The union", "The company", "The court",
    "A resident of Zwolle", "The province of Groningen", "The House of Representatives", "The Red Cross",
    "The club's coach", "The railways", "The weather institute", "The cooperative", "A civil servant",
    "The public prosecutor", "The museum", "The alderman",
]
EN_VERBS = [
    "presented", "confirmed", "investigated", "supported", "rejected", "opened", "criticised",
    "published", "defended", "discussed", "bought", "closed", "sold", "evaluated", "described",
]
EN_OBJECTS = [
    "a new plan for the city centre", "the report on the dikes", "the budget for next year",
    "an inquiry into the fire", "the plans for a bridge over the river", "the proposal to cut taxes",
    "a café at the harbour", "the reintegration of the unemployed", "the financial overview",
    "an exhibition about old maps", "the permit for the wind farm", "the ruin of the castle",
    "the inherited building", "an efficient waste system", "the seas around the islands",
    "the village crèche", "the idea of a free bus", "the à la carte menu", "the station's façade",
]
EN_TIMES = [
    "on Monday", "last night", "last week", "on Tuesday morning", "in March", "after long talks",
    "during a press conference", "on 12 January", "earlier this year", "at 2.30 pm", "on Saturday", "in 2024",
]
EN_SOURCES = [
    "According to the newspaper", "According to the police", "According to Statistics Netherlands",
    "According to the government", "According to experts", "According to the broadcaster",
    "According to residents", "According to the school", "According to a new study",
]
EN_TOPICS = [
    "the new bridge", "the plan", "health care", "education", "the housing market", "the weather",
    "the economy", "traffic", "the energy price", "the water", "farming", "tourism", "safety",
]
EN_STATES = [
    "too expensive", "safe", "uncertain", "better than last year", "a big problem", "not ready",
    "good news", "far from solved", "important for everyone", "badly organised", "much improved",
    "a matter for the government",
]
EN_PLACES = [
    "Amsterdam", "Rotterdam", "The Hague", "Utrecht", "Eindhoven", "Maastricht", "Leeuwarden", "Arnhem",
    "'s-Hertogenbosch", "Tilburg", "Enschede", "Middelburg", "Almere",
]
EN_GROUPS = ["people", "farmers", "students", "teachers", "doctors", "cyclists", "fishermen", "parents"]
EN_ACTIONS = [
    "demonstrated against the new law", "protested for higher pay", "asked for better public transport",
    "gathered against the closure of the hospital", "went on strike for more staff",
    "walked in a silent march", "waited hours for the train", "helped clean up after the storm",
]
EN_EXTRA = [
    "“We are satisfied,” said the alderman.",
    "‘This is only the beginning,’ the chairman said.",
    "\"That is not right,\" the minister replied.",
    "It was 'a good day', the coach said after the match.",
    "The price rose by 3.5% to €1,250 a month.",
    "Inflation fell to 2.7 percent in May – the lowest level in years.",
    "The deficit is €4.8 billion — more than expected.",
    "At 06:45 the first train left for Utrecht (platform 5b).",
    "The score was 3-1; the visitors stood no chance!",
    "Who pays the bill? That is still unclear.",
    "She spoke about ideas, reunions and interested citizens.",
    "A naïve plan, a café and a façade: French loanwords in English.",
    "Öztürk and Müller won the Élite prize in Düsseldorf.",
    "Numbers: 0 1 2 3 4 5 6 7 8 9 10 25 100 2025 1/2 50% 7.5% $ £",
    "Signs: . , ; : ! ? ( ) [ ] / & + - = * # @ _ ' \" ’ ‘ “ ” – — € % …",
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "Two people were injured in the accident on the A12.",
    "Parliament passed the law (76 votes for, 74 against).",
    "This is a test. That is also a test.",
    "Nothing is known yet about the cause of the accident.",
    "It is not clear when the road will open again.",
    "He says he did not know, but she thinks otherwise.",
    "We have put the news of today and tomorrow together for you.",
    "Most people want more time for their children and less work.",
    "In the north and the south of the country there is also a lot of rain.",
    "The school may have to close after the summer.",
]
# fmt: on


def _pick(items: list[str], i: int, stride: int) -> str:
    return items[(i * stride + i // len(items)) % len(items)]


def _corpus(words: dict[str, list[str]], sayings: tuple[str, str], extra: list[str], n: int) -> list[str]:
    """Sentences combined from the word lists by fixed strides (no RNG, so stable everywhere)."""
    lines = []
    for i in range(n):
        subj, verb = _pick(words["subjects"], i, 1), _pick(words["verbs"], i, 7)
        obj, time = _pick(words["objects"], i, 11), _pick(words["times"], i, 5)
        lines.append(f"{subj} {verb} {time} {obj}." if i % 2 else f"{subj} {verb} {obj} {time}.")
    for i in range(n // 3):
        src, topic = _pick(words["sources"], i, 1), _pick(words["topics"], i, 5)
        lines.append(sayings[0].format(src=src, topic=topic, state=_pick(words["states"], i, 7)))
        place, group = _pick(words["places"], i, 1), _pick(words["groups"], i, 3)
        verb, rest = _pick(words["actions"], i, 5).split(" ", 1)
        num = (i * 37) % 900 + 20
        lines.append(sayings[1].format(place=place, num=num, group=group, verb=verb, rest=rest))
    return lines + extra * 3


def dutch_corpus(n: int = 360) -> list[str]:
    """Dutch news-style training lines, covering Dutch letters, diacritics, quotes and signs."""
    words = {
        "subjects": NL_SUBJECTS,
        "verbs": NL_VERBS,
        "objects": NL_OBJECTS,
        "times": NL_TIMES,
        "sources": NL_SOURCES,
        "topics": NL_TOPICS,
        "states": NL_STATES,
        "places": NL_PLACES,
        "groups": NL_GROUPS,
        "actions": NL_ACTIONS,
    }
    sayings = ("{src} is {topic} {state}.", "In {place} {verb} {num} {group} {rest}.")
    return _corpus(words, sayings, NL_EXTRA, n)


def english_corpus(n: int = 360) -> list[str]:
    """English news-style training lines."""
    words = {
        "subjects": EN_SUBJECTS,
        "verbs": EN_VERBS,
        "objects": EN_OBJECTS,
        "times": EN_TIMES,
        "sources": EN_SOURCES,
        "topics": EN_TOPICS,
        "states": EN_STATES,
        "places": EN_PLACES,
        "groups": EN_GROUPS,
        "actions": EN_ACTIONS,
    }
    sayings = ("{src}, {topic} is {state}.", "In {place}, {num} {group} {verb} {rest}.")
    return _corpus(words, sayings, EN_EXTRA, n)


# ---------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def train_sentencepiece(lines: list[str], vocab_size: int = SPM_VOCAB_SIZE) -> bytes:
    """A unigram sentencepiece model with byte fallback, trained in memory; returns its bytes."""
    import sentencepiece as spm

    spm.set_random_generator_seed(SEED)
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # a small corpus cannot fill a larger vocabulary
        character_coverage=1.0,
        byte_fallback=True,  # characters never seen in training become <0xNN> pieces, not <unk>
        normalization_rule_name="identity",  # keep „ ” ‘ ’ – — … exactly as written
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    return buf.getvalue()


def _spm_pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [
        sp.id_to_piece(i)
        for i in range(sp.get_piece_size())
        if not (sp.is_unknown(i) or sp.is_control(i))  # drop <unk>, <s>, </s>; keep bytes and words
    ]


def marian_vocab(source_spm: bytes, target_spm: bytes) -> dict[str, int]:
    """Shared vocabulary like opus-mt: ``</s>`` = 0, ``<unk>`` = 1, pieces of both sides, ``<pad>`` last."""
    vocab = {EOS: 0, UNK: 1}
    for piece in _spm_pieces(source_spm) + _spm_pieces(target_spm):
        vocab.setdefault(piece, len(vocab))
    vocab[PAD] = len(vocab)
    return vocab


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _save_quietly(model, out_dir: Path) -> None:
    """``save_pretrained`` without the "Writing model shards" progress bar."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        model.save_pretrained(out_dir)
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def build_translator(out_dir: Path) -> Path:
    """A MarianMT nl->en folder with the files of ``Helsinki-NLP/opus-mt-nl-en``, tiny and random."""
    _offline()
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    source_spm = train_sentencepiece(dutch_corpus())
    target_spm = train_sentencepiece(english_corpus())
    (out_dir / "source.spm").write_bytes(source_spm)
    (out_dir / "target.spm").write_bytes(target_spm)
    vocab = marian_vocab(source_spm, target_spm)
    _write_json(out_dir / "vocab.json", vocab)
    pad_id = vocab[PAD]

    # Tokenizer files as the Hub repository has them (hand-written, not via save_pretrained).
    _write_json(
        out_dir / "tokenizer_config.json",
        {
            "source_lang": "nl",
            "target_lang": "en",
            "unk_token": UNK,
            "eos_token": EOS,
            "pad_token": PAD,
            "model_max_length": TRANSLATOR_MAX_LENGTH,
            "separate_vocabs": False,
            "sp_model_kwargs": {},
            "tokenizer_class": "MarianTokenizer",
        },
    )
    _write_json(out_dir / "special_tokens_map.json", {"eos_token": EOS, "unk_token": UNK, "pad_token": PAD})

    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=TRANSLATOR_D_MODEL,
        encoder_layers=TRANSLATOR_LAYERS,
        decoder_layers=TRANSLATOR_LAYERS,
        encoder_attention_heads=TRANSLATOR_HEADS,
        decoder_attention_heads=TRANSLATOR_HEADS,
        encoder_ffn_dim=TRANSLATOR_FFN_DIM,
        decoder_ffn_dim=TRANSLATOR_FFN_DIM,
        max_position_embeddings=TRANSLATOR_MAX_LENGTH,
        activation_function="swish",
        scale_embedding=True,
        dropout=0.1,
        attention_dropout=0.0,
        activation_dropout=0.0,
        init_std=TRANSLATOR_INIT_STD,
        pad_token_id=pad_id,
        decoder_start_token_id=pad_id,
        eos_token_id=0,
        bos_token_id=0,
        forced_eos_token_id=0,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        model = MarianMTModel(config).eval()
    with torch.no_grad():
        for piece, idx in vocab.items():
            if piece == UNK or (piece.startswith("<0x") and piece.endswith(">")):
                model.final_logits_bias[0, idx] = SUPPRESSED_LOGIT_BIAS
    model.generation_config = GenerationConfig(
        bos_token_id=0,
        eos_token_id=0,
        forced_eos_token_id=0,
        pad_token_id=pad_id,
        decoder_start_token_id=pad_id,
        bad_words_ids=[[pad_id]],
        num_beams=1,
        max_length=TRANSLATOR_MAX_LENGTH,
    )
    _save_quietly(model, out_dir)  # config.json, generation_config.json, model.safetensors
    return out_dir


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "translator": build_translator,
}


def build_all(root: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Build each named model (default: all) into ``root / name``; returns name -> folder."""
    root = Path(root)
    names = names or list(BUILDERS)
    unknown = [n for n in names if n not in BUILDERS]
    if unknown:
        raise KeyError(f"unknown tiny model(s) {unknown}; known: {sorted(BUILDERS)}")
    return {name: BUILDERS[name](root / name) for name in names}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in {"-h", "--help"}:
        print(f"usage: python {Path(__file__).name} DIR [{'|'.join(BUILDERS)} ...]", file=sys.stderr)
        return 2
    for path in build_all(Path(argv[0]), argv[1:]).values():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
