"""Build tiny random-weight models offline, laid out like the real Hub repositories.

Usage::

    python tests/helpers/tiny_models.py DIR            # builds every model below DIR, prints each path
    python tests/helpers/tiny_models.py DIR translator # builds only the named ones

``BUILDERS`` maps a folder name to ``fn(out_dir: Path) -> Path``:

* ``translator``: MarianMT, loadable exactly like ``Helsinki-NLP/opus-mt-nl-en``.
* ``chat-summarizer``: Qwen2 causal LM with a ChatML chat template, like
  ``Qwen/Qwen2.5-0.5B-Instruct`` (AutoTokenizer + AutoModelForCausalLM).
* ``seq2seq-summarizer``: T5 with a unigram tokenizer, like ``google/flan-t5-large``
  (AutoTokenizer + AutoModelForSeq2SeqLM).
* ``bart-summarizer``: BART with a byte-level BPE tokenizer, like
  ``sshleifer/distilbart-cnn-12-6`` (AutoTokenizer + AutoModelForSeq2SeqLM).

The chat and BART summarizers share one small context: tokenizer ``model_max_length`` is
``SUMMARIZER_MAX_LENGTH`` (1024: room for the prompts, yet an article of a few hundred words goes map-reduce).
The T5 has flan-t5's real limit, ``T5_MAX_LENGTH`` (512), and the BART bart-large-cnn's off-by-one
``<mask>`` (its id is the config's ``vocab_size``, one past the embedding), so that tests meet what
the real models do.

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

# Summarizers. The chat and BART tokenizers have ``model_max_length`` = SUMMARIZER_MAX_LENGTH.
SUMMARIZER_MAX_LENGTH = 1024
# Requested vocabulary of the byte-level BPE tokenizers (256 byte symbols + learned merges).
BPE_VOCAB_SIZE = 800
# Unigram pieces of the T5 tokenizer (incl. 3 sentencepiece meta pieces; the corpus supports this many).
UNIGRAM_VOCAB_SIZE = 600

# chat-summarizer: Qwen2 like Qwen/Qwen2.5-0.5B-Instruct (hidden 896, 24 layers, 14 heads, 2 kv heads).
CHAT_MAX_POSITIONS = 1024  # config max_position_embeddings (rotary, so only a nominal limit)
CHAT_HIDDEN = 64
CHAT_INTERMEDIATE = 128
CHAT_LAYERS = 2
CHAT_HEADS = 4
CHAT_KV_HEADS = 2
CHAT_INIT_STD = 1.0  # like TRANSLATOR_INIT_STD: the stock 0.02 gives input-independent output
# Embedding rows (tied to the output layer) of tokens a chat model should not emit are scaled by
# this: their logits stay near 0 while real tokens' logits spread widely. The RMSNorm after the
# embedding keeps their direction, so prompts containing them still work.
SUPPRESSED_EMBEDDING_SCALE = 0.01
ENDOFTEXT, IM_START, IM_END = "<|endoftext|>", "<|im_start|>", "<|im_end|>"
CHAT_DEFAULT_SYSTEM = "You are a helpful assistant."
# ChatML like Qwen2.5 (written for this file): a default system turn when none is given,
# ``<|im_start|>ROLE\nCONTENT<|im_end|>\n`` per message, ``<|im_start|>assistant\n`` as the
# generation prompt.
CHAT_TEMPLATE = r"""
{%- if messages and messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content'] %}
    {%- set loop_messages = messages[1:] %}
{%- else %}
    {%- set system_message = 'DEFAULT_SYSTEM' %}
    {%- set loop_messages = messages %}
{%- endif %}
{{- '<|im_start|>system\n' + system_message + '<|im_end|>\n' }}
{%- for message in loop_messages %}
    {%- if message['role'] not in ['user', 'assistant'] %}
        {{- raise_exception('Only the first message may be a system message; then user or assistant.') }}
    {%- endif %}
    {{- '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\n' }}
{%- endif %}
""".strip().replace("DEFAULT_SYSTEM", CHAT_DEFAULT_SYSTEM)

# seq2seq-summarizer: T5 like google/flan-t5-large (d_model 1024, 24 layers each, 16 heads).
T5_D_MODEL = 32
T5_D_KV = 8
T5_D_FF = 64
T5_LAYERS = 1
T5_HEADS = 4
T5_EXTRA_IDS = 100  # <extra_id_0..99> sentinels at the end of the vocabulary, as in T5
T5_INIT_FACTOR = 3.0  # T5 scales its init by this; at 1.0 every input decodes to one repeated piece
# google/flan-t5-base/-large: config n_positions 512 and tokenizer model_max_length 512.
T5_MAX_LENGTH = 512

# bart-summarizer: BART like sshleifer/distilbart-cnn-12-6 (d_model 1024, 12/6 layers, 16 heads).
BART_D_MODEL = 32
BART_LAYERS = 1
BART_HEADS = 4
BART_FFN_DIM = 64
BART_INIT_STD = 1.0
BOS, MASK = "<s>", "<mask>"
# The generation settings distilbart-cnn-12-6 ships (config task_specific_params["summarization"]).
BART_SUMMARIZATION_PARAMS = {
    "early_stopping": True,
    "length_penalty": 2.0,
    "max_length": 142,
    "min_length": 56,
    "no_repeat_ngram_size": 3,
    "num_beams": 4,
}

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


# Instruction and summary lines for the summarizers' tokenizers (written for this file), with
# every printable ASCII character, so that plain English text never needs a missing piece.
SUMMARY_EXTRA = [
    "Summarize the following news article in two sentences.",
    "Write a short summary of this article for a busy reader.",
    "summarize: The city council approved the budget on Monday.",
    "Summary: The council approved the budget.",
    "Article: Heavy rain closed three roads in the north of the country.",
    "Here is a brief summary of today's news.",
    "In short, the plan was delayed again and costs went up.",
    "The key points are the new law, the vote and the protest.",
    "You are a helpful assistant.",
    "You are a news editor who writes clear, neutral summaries in English.",
    "Keep it under 50 words and do not add facts that are not in the text.",
    "Answer in English only. Use plain language.",
    "The report, published on 3 May, says 1,250 homes are at risk (about 12%).",
    "Q: What happened? A: The bridge was closed for repairs.",
    "Digits: 0 1 2 3 4 5 6 7 8 9 10 42 365 1999 2025 3.14 1/4 75% #1",
    "Signs: ~ ` ! @ # $ % ^ & * ( ) - _ = + [ ] { } \\ | ; : ' \" , . < > / ?",
    "Letters: abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "She said: \"We will decide next week.\" He wasn't sure; they'd wait and see.",
    "It's the council's plan, and we're told they'll vote on it soon.",
    "On Friday at 9:45 a.m., trains between A and B were cancelled - again.",
]


def summary_corpus() -> list[str]:
    """English training text for the summarizers: news lines, short multi-line articles, instructions."""
    news = english_corpus()
    articles = ["\n".join(news[i : i + 4]) for i in range(0, 120, 4)]
    return news + articles + SUMMARY_EXTRA * 3


# ---------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def train_sentencepiece(
    lines: list[str], vocab_size: int = SPM_VOCAB_SIZE, byte_fallback: bool = True
) -> bytes:
    """A unigram sentencepiece model (by default with byte fallback), trained in memory; returns its bytes."""
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
        byte_fallback=byte_fallback,  # characters never seen in training become <0xNN> pieces, not <unk>
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


def _byte_level_bytes(token: str) -> bytes:
    """The bytes behind a byte-level BPE token (GPT-2's printable stand-ins for the 256 bytes)."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    chars = {chr(b): b for b in printable}
    extra = 0
    for b in range(256):
        if b not in printable:
            chars[chr(256 + extra)] = b
            extra += 1
    return bytes(chars[c] for c in token)


def _is_unprintable_piece(token: str) -> bool:
    """Whether a byte-level token decodes alone to broken UTF-8 or a control character (not newline)."""
    try:
        text = _byte_level_bytes(token).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return any((ord(c) < 32 and c != "\n") or ord(c) == 127 for c in text)


def train_byte_level_bpe(lines: list[str], pre_tokenizer, special_tokens: list[str], normalizer=None):
    """A byte-level BPE trained in memory (deterministic); returns ``(vocab, merges as tuples)``.

    ``pre_tokenizer`` and ``normalizer`` must be those the transformers tokenizer class rebuilds on
    load (Qwen2Tokenizer and RobertaTokenizer ignore the ones stored in tokenizer.json).
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    if normalizer is not None:
        tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=BPE_VOCAB_SIZE + len(special_tokens),
        min_frequency=2,
        show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),  # all 256 bytes: no text is ever lost
        special_tokens=special_tokens,
    )
    tokenizer.train_from_iterator(lines, trainer=trainer)
    model = json.loads(tokenizer.to_str())["model"]
    return dict(model["vocab"]), [tuple(merge) for merge in model["merges"]]


def build_chat_summarizer(out_dir: Path) -> Path:
    """A Qwen2 chat folder laid out like ``Qwen/Qwen2.5-0.5B-Instruct``, tiny and random.

    Token ids: the byte-level BPE, then ``<|endoftext|>`` (bos, pad), ``<|im_start|>``,
    ``<|im_end|>`` (the tokenizer's eos). generation_config.json copies the real one's
    settings: eos ``[<|im_end|>, <|endoftext|>]``, pad ``<|endoftext|>`` and *sampling*
    (do_sample, temperature 0.7, top_p 0.8, top_k 20, repetition_penalty 1.1).
    """
    _offline()
    import torch
    from tokenizers import Regex, normalizers, pre_tokenizers
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM, Qwen2Tokenizer
    from transformers.models.qwen2.tokenization_qwen2 import PRETOKENIZE_REGEX

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(PRETOKENIZE_REGEX), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    vocab, merges = train_byte_level_bpe(summary_corpus(), pre_tokenizer, [], normalizer=normalizers.NFC())
    for token in (ENDOFTEXT, IM_START, IM_END):
        vocab[token] = len(vocab)
    tokenizer = Qwen2Tokenizer(
        vocab=vocab,
        merges=merges,
        unk_token=None,
        bos_token=None,
        eos_token=IM_END,
        pad_token=ENDOFTEXT,
        extra_special_tokens=[IM_START, IM_END],
        errors="replace",
        add_prefix_space=False,
        split_special_tokens=False,
        clean_up_tokenization_spaces=False,
        model_max_length=SUMMARIZER_MAX_LENGTH,
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    tokenizer.save_pretrained(out_dir)
    endoftext, im_end = vocab[ENDOFTEXT], vocab[IM_END]

    config = Qwen2Config(
        vocab_size=len(vocab),
        hidden_size=CHAT_HIDDEN,
        intermediate_size=CHAT_INTERMEDIATE,
        num_hidden_layers=CHAT_LAYERS,
        num_attention_heads=CHAT_HEADS,
        num_key_value_heads=CHAT_KV_HEADS,
        hidden_act="silu",
        max_position_embeddings=CHAT_MAX_POSITIONS,
        initializer_range=CHAT_INIT_STD,
        rms_norm_eps=1e-6,
        rope_parameters={"rope_type": "default", "rope_theta": 1000000.0},
        use_sliding_window=False,
        tie_word_embeddings=True,
        attention_dropout=0.0,
        bos_token_id=endoftext,
        eos_token_id=im_end,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        model = Qwen2ForCausalLM(config).eval()
    suppressed = [endoftext, vocab[IM_START]] + [i for t, i in vocab.items() if _is_unprintable_piece(t)]
    with torch.no_grad():
        model.get_input_embeddings().weight[suppressed] *= SUPPRESSED_EMBEDDING_SCALE
    model.generation_config = GenerationConfig(
        bos_token_id=endoftext,
        pad_token_id=endoftext,
        eos_token_id=[im_end, endoftext],
        do_sample=True,
        temperature=0.7,
        top_p=0.8,
        top_k=20,
        repetition_penalty=1.1,
    )
    _save_quietly(model, out_dir)
    return out_dir


def build_seq2seq_summarizer(out_dir: Path) -> Path:
    """A T5 folder laid out like ``google/flan-t5-large``, tiny and random, with its 512-token limit.

    Token ids as in T5: ``<pad>`` = 0 (also the decoder start), ``</s>`` = 1, ``<unk>`` = 2, the
    unigram pieces, then ``<extra_id_99>`` ... ``<extra_id_0>``. Characters never seen in training
    become ``<unk>``, as in T5. The tokenizer is built from the
    (piece, score) list of a sentencepiece model (no byte fallback, like T5), so loading needs
    neither sentencepiece nor protobuf. generation_config.json holds only the token ids, like the
    real one: generate() falls back to 20 new tokens (with a warning) and greedy search.
    """
    _offline()
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, T5Config, T5ForConditionalGeneration, T5Tokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    sp = spm.SentencePieceProcessor(
        model_proto=train_sentencepiece(summary_corpus(), UNIGRAM_VOCAB_SIZE, byte_fallback=False)
    )
    pieces = [
        (sp.id_to_piece(i), sp.get_score(i))
        for i in range(sp.get_piece_size())
        if not (sp.is_unknown(i) or sp.is_control(i))
    ]
    if "▁" not in {piece for piece, _ in pieces}:
        pieces.append(("▁", min(score for _, score in pieces) - 1.0))
    sentinels = [f"<extra_id_{i}>" for i in reversed(range(T5_EXTRA_IDS))]
    vocab = [(PAD, 0.0), (EOS, 0.0), (UNK, 0.0), *pieces, *((token, 0.0) for token in sentinels)]
    tokenizer = T5Tokenizer(
        vocab=vocab,
        eos_token=EOS,
        unk_token=UNK,
        pad_token=PAD,
        extra_ids=T5_EXTRA_IDS,
        model_max_length=T5_MAX_LENGTH,
    )
    tokenizer.save_pretrained(out_dir)

    config = T5Config(
        vocab_size=len(vocab),
        d_model=T5_D_MODEL,
        d_kv=T5_D_KV,
        d_ff=T5_D_FF,
        num_layers=T5_LAYERS,
        num_decoder_layers=T5_LAYERS,
        num_heads=T5_HEADS,
        relative_attention_num_buckets=32,
        relative_attention_max_distance=128,
        dropout_rate=0.1,
        layer_norm_epsilon=1e-6,
        initializer_factor=T5_INIT_FACTOR,
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=False,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
        n_positions=T5_MAX_LENGTH,  # not used by T5's relative attention; flan-t5's config.json has it
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        model = T5ForConditionalGeneration(config).eval()
    # transformers 5 always ties T5's lm_head to the shared embedding; as for the chat model,
    # small rows keep <pad>, <unk> and the sentinels from being generated.
    suppressed = [0, 2, *range(len(vocab) - T5_EXTRA_IDS, len(vocab))]
    with torch.no_grad():
        model.get_input_embeddings().weight[suppressed] *= SUPPRESSED_EMBEDDING_SCALE
    model.generation_config = GenerationConfig(decoder_start_token_id=0, eos_token_id=1, pad_token_id=0)
    _save_quietly(model, out_dir)
    return out_dir


def build_bart_summarizer(out_dir: Path) -> Path:
    """A BART folder laid out like ``sshleifer/distilbart-cnn-12-6``, tiny and random.

    Token ids as in BART: ``<s>`` = 0, ``<pad>`` = 1, ``</s>`` = 2 (eos and decoder start),
    ``<unk>`` = 3, the byte-level BPE, ``<mask>`` last, and as in ``facebook/bart-large-cnn`` one past
    the embedding (config ``vocab_size`` is one less than the tokenizer's vocabulary). config.json holds
    ``task_specific_params["summarization"]`` and generation_config.json the same settings
    (4 beams, min_length 56, max_length 142, ...), as the real model's generate() uses them.
    """
    _offline()
    import torch
    from tokenizers import pre_tokenizers
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer, GenerationConfig

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    vocab, merges = train_byte_level_bpe(summary_corpus(), pre_tokenizer, [BOS, PAD, EOS, UNK])
    vocab[MASK] = len(vocab)
    tokenizer = BartTokenizer(
        vocab=vocab,
        merges=merges,
        errors="replace",
        add_prefix_space=False,
        trim_offsets=True,
        model_max_length=SUMMARIZER_MAX_LENGTH,
    )
    tokenizer.save_pretrained(out_dir)

    config = BartConfig(
        vocab_size=vocab[MASK],  # bart-large-cnn: vocab_size 50264 while <mask> is id 50264
        d_model=BART_D_MODEL,
        encoder_layers=BART_LAYERS,
        decoder_layers=BART_LAYERS,
        encoder_attention_heads=BART_HEADS,
        decoder_attention_heads=BART_HEADS,
        encoder_ffn_dim=BART_FFN_DIM,
        decoder_ffn_dim=BART_FFN_DIM,
        max_position_embeddings=SUMMARIZER_MAX_LENGTH,
        activation_function="gelu",
        scale_embedding=False,
        dropout=0.1,
        attention_dropout=0.0,
        activation_dropout=0.0,
        init_std=BART_INIT_STD,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        tie_word_embeddings=True,
        task_specific_params={"summarization": dict(BART_SUMMARIZATION_PARAMS)},
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        model = BartForConditionalGeneration(config).eval()
    # <mask> has no row to suppress: it is past the embedding.
    unprintable = [i for t, i in vocab.items() if 3 < i < vocab[MASK] and _is_unprintable_piece(t)]
    suppressed = [0, 1, 3, *unprintable]
    with torch.no_grad():
        model.final_logits_bias[0, suppressed] = SUPPRESSED_LOGIT_BIAS
    model.generation_config = GenerationConfig(
        bos_token_id=0,
        eos_token_id=2,
        pad_token_id=1,
        decoder_start_token_id=2,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        **BART_SUMMARIZATION_PARAMS,
    )
    _save_quietly(model, out_dir)
    return out_dir


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "translator": build_translator,
    "chat-summarizer": build_chat_summarizer,
    "seq2seq-summarizer": build_seq2seq_summarizer,
    "bart-summarizer": build_bart_summarizer,
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
