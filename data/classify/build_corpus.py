"""Build the labeled classify corpus, `data/classify/corpus.jsonl`, from the hand-written seeds.

Every seed message (`seeds_*.py` next to this file) is one *base* message with its labels. The
builder expands each base into 1-3 *variants*: the base text itself, plus up to two copies with
label-preserving surface noise (an @mention or hashtag, a typo, a social spelling, an emoji that
agrees with the sentiment or fits any, casing, punctuation, a greeting, an e-mail greeting and
signature, review stars that agree with the sentiment).
The held-out split is drawn per base message, stratified by category and language, so no variant
of a training message ever lands in the test split.

Everything is derived from fixed seeds and stable hashes: running the builder twice gives
byte-identical output.

    python data/classify/build_corpus.py            # write data/classify/corpus.jsonl
    python data/classify/build_corpus.py --out F    # write F instead
    python data/classify/build_corpus.py --stats    # print the counts (writes nothing)
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.jsonl"
SEED = "webcare-classify-corpus-v1"
TEST_SHARE = 0.2
VARIANT_WEIGHTS = {1: 45, 2: 40, 3: 15}

CATEGORIES = ("question", "complaint", "crisis", "untruth", "compliment", "lead", "spam", "other")
SENTIMENTS = ("negative", "neutral", "positive")
SENTIMENT_CODES = {"neg": "negative", "neu": "neutral", "pos": "positive"}
TOPICS = (
    "billing",
    "technical_fault",
    "network",
    "delivery",
    "returns",
    "contract",
    "cancellation",
    "roaming",
    "product_quality",
    "payment",
    "account",
    "appointment",
    "other",
)
LANGUAGES = ("de", "en")
CHANNELS = ("x", "facebook", "instagram", "whatsapp", "email", "chat", "review")
SOCIAL = ("x", "facebook", "instagram")

# Where each kind of message is usually written (weights), for a realistic channel mix.
CHANNEL_WEIGHTS: dict[str, dict[str, int]] = {
    "question": {"chat": 3, "whatsapp": 2, "x": 2, "facebook": 2, "email": 2, "instagram": 1},
    "complaint": {"x": 3, "facebook": 2, "email": 2, "review": 2, "chat": 1, "whatsapp": 1, "instagram": 1},
    "crisis": {"x": 4, "facebook": 3, "instagram": 1, "email": 1, "review": 1},
    "untruth": {"x": 3, "facebook": 3, "instagram": 2, "review": 1},
    "compliment": {"review": 3, "x": 2, "instagram": 2, "facebook": 2, "chat": 1, "whatsapp": 1},
    "lead": {"chat": 2, "x": 2, "facebook": 2, "instagram": 2, "whatsapp": 2, "email": 1},
    "spam": {"instagram": 3, "x": 3, "facebook": 2, "email": 2, "whatsapp": 1},
    "other": {"x": 2, "instagram": 2, "facebook": 2, "whatsapp": 1, "chat": 1},
}

TELECOM_TOPICS = {"network", "roaming", "contract", "cancellation", "technical_fault", "appointment"}
RETAIL_TOPICS = {"delivery", "returns", "product_quality"}
BRANDS = {
    "telecom": ("telvana",),
    "retail": ("kaufwerk",),
    "fashion": ("lumara",),
}
HANDLES = {
    "telecom": ("@Telvana", "@TelvanaHilft", "@telvana_de"),
    "retail": ("@kaufwerk", "@Kaufwerk_Hilfe", "@kaufwerk_de"),
    "fashion": ("@lumara.style", "@LumaraFashion"),
}
HANDLES_EN = {
    "telecom": ("@Telvana", "@TelvanaHelp"),
    "retail": ("@kaufwerk", "@KaufwerkCare"),
    "fashion": ("@lumara.style", "@LumaraFashion"),
}
HASHTAGS = {
    ("de", "telecom"): ("#Telvana", "#Internet", "#Mobilfunk", "#Glasfaser", "#Hotline", "#DSL"),
    ("de", "retail"): ("#Kaufwerk", "#Paket", "#Onlineshopping", "#Bestellung", "#Retoure"),
    ("de", "fashion"): ("#Lumara", "#Mode", "#Onlineshopping", "#OOTD"),
    ("en", "telecom"): ("#Telvana", "#broadband", "#mobile", "#fibre", "#hotline"),
    ("en", "retail"): ("#kaufwerk", "#parcel", "#onlineshopping", "#order"),
    ("en", "fashion"): ("#Lumara", "#fashion", "#ootd", "#onlineshopping"),
}
MOOD_HASHTAGS = {
    ("de", "negative"): ("#fail", "#ärgerlich", "#nervt", "#kundenservice"),
    ("de", "positive"): ("#danke", "#happy", "#zufrieden", "#kundenservice"),
    ("en", "negative"): ("#fail", "#annoyed", "#customerservice", "#unacceptable"),
    ("en", "positive"): ("#thankyou", "#happycustomer", "#customerservice", "#love"),
}
# Emoji that fit any sentiment; half of the added emoji come from here, so that an emoji alone
# rarely gives the sentiment away.
ANY_EMOJI = ("🙏", "👀", "😅", "🤷", "📱", "📦", "🤔", "😶")
EMOJI = {
    "negative": ("😡", "🙄", "😤", "🤬", "😒", "👎", "😩", ":(", ":-(", "-.-"),
    "neutral": ("🤔", "👀", "📱", "📦", "🙂", "🤷"),
    "positive": ("😊", "👍", "❤️", "🙌", "😍", "🥰", "💯", ":)", ":-)", "^^"),
}
GREETINGS = {
    "de": ("Hallo, ", "Hallo zusammen, ", "Hi, ", "Moin, ", "Guten Tag, ", "Servus, "),
    "en": ("Hi, ", "Hello, ", "Hey, ", "Hi there, ", "Good morning, "),
}
GREETING_WORDS = {
    "hallo",
    "hi",
    "hey",
    "moin",
    "servus",
    "hello",
    "guten",
    "good",
    "dear",
    "sehr",
    "liebe",
    "lieber",
}
# Sentence-initial words that are written in lower case after "Hallo, " (nouns and names keep their case).
LOWER_AFTER_GREETING = {
    "de": {
        "Ich",
        "Wir",
        "Mein",
        "Meine",
        "Wie",
        "Was",
        "Warum",
        "Wieso",
        "Wann",
        "Wo",
        "Welche",
        "Welcher",
        "Kann",
        "Können",
        "Könnt",
        "Gibt",
        "Ist",
        "Sind",
        "Habt",
        "Hab",
        "Habe",
        "Seit",
        "Bitte",
        "Danke",
        "Leider",
        "Bin",
        "Muss",
        "Wird",
        "Wenn",
        "Nach",
        "Schon",
        "Kurze",
        "Bietet",
        "Funktioniert",
    },
    "en": {
        "My",
        "Why",
        "How",
        "What",
        "When",
        "Where",
        "Which",
        "Can",
        "Could",
        "Is",
        "Are",
        "Do",
        "Does",
        "Just",
        "The",
        "This",
        "That",
        "It",
        "Your",
        "Thanks",
        "Thank",
        "Since",
        "Please",
        "Been",
        "Got",
        "So",
        "Still",
        "Quick",
        "Will",
        "Would",
    },
}
EMAIL_OPENINGS = {
    "de": ("Sehr geehrte Damen und Herren,", "Hallo liebes Team,", "Guten Tag,", "Hallo,"),
    "en": ("Dear Sir or Madam,", "Hello,", "Dear customer service team,", "Hi team,"),
}
EMAIL_CLOSINGS = {
    "de": ("Mit freundlichen Grüßen", "Viele Grüße", "MfG", "Gruß", "Beste Grüße"),
    "en": ("Kind regards,", "Best regards,", "Thanks,", "Regards,", "Best,"),
}
NAMES = (
    "M. Schneider",
    "Jana Petersen",
    "Thomas K.",
    "Ayşe Demir",
    "Lukas Brandt",
    "Sabine Hoffmann-Reuter",
    "Chris",
    "Dr. Peter Wolff",
    "Nina",
    "J. Kowalski",
    "Sarah O'Neill",
    "Mark Davies",
)
STARS = {"negative": ("★☆☆☆☆", "1/5", "★★☆☆☆"), "neutral": ("★★★☆☆", "3/5"), "positive": ("★★★★★", "5/5")}
SOCIAL_SPELLINGS = {
    "de": (
        (r"\bnicht\b", "nich"),
        (r"\bvielleicht\b", "vllt"),
        (r"\bhabe\b", "hab"),
        (r"\beinen\b", "nen"),
        (r"\beine\b", "ne"),
        (r"\bist\b", "is"),
        (r"\bdas\b", "dat"),
        (r"\bwas\b", "wat"),
        (r"\bgibt es\b", "gibts"),
        (r"\bbitte\b", "bitteee"),
        (r"\bdanke\b", "dankeee"),
        (r"\bschon\b", "scho"),
        (r"\bheute\b", "heut"),
        (r"\bund\b", "u"),
        (r"\bweiß\b", "weiss"),
        (r"\bnoch\b", "nochh"),
    ),
    "en": (
        (r"\byou\b", "u"),
        (r"\byour\b", "ur"),
        (r"\bplease\b", "pls"),
        (r"\bare\b", "r"),
        (r"\bthanks\b", "thx"),
        (r"\bbecause\b", "bc"),
        (r"\bI'm\b", "im"),
        (r"\bdon't\b", "dont"),
        (r"\bcan't\b", "cant"),
        (r"\bdoesn't\b", "doesnt"),
        (r"\bpeople\b", "ppl"),
        (r"\btonight\b", "tonite"),
        (r"\bwith\b", "w/"),
        (r"\bsomeone\b", "some1"),
        (r"\bgoing to\b", "gonna"),
        (r"\bwant to\b", "wanna"),
    ),
}
UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
UMLAUTS_DROPPED = {"ä": "a", "ö": "o", "ü": "u", "ß": "s", "Ä": "A", "Ö": "O", "Ü": "U"}
KEYBOARD_NEIGHBOURS = {
    "a": "sq",
    "e": "wr",
    "i": "uo",
    "o": "ip",
    "n": "bm",
    "r": "et",
    "s": "ad",
    "t": "rz",
    "l": "kö",
    "h": "gj",
    "u": "zi",
    "d": "sf",
    "m": "n",
    "c": "xv",
    "g": "fh",
}


class Seed(NamedTuple):
    """One hand-written base message and its labels."""

    base_id: str
    text: str
    language: str
    category: str
    secondary: tuple[str, ...]
    sentiment: str
    topics: tuple[str, ...]
    source: str


class Row(NamedTuple):
    """One corpus line before it is serialized."""

    id: str
    base_id: str
    text: str
    language: str
    category: str
    secondary: tuple[str, ...]
    sentiment: str
    topics: tuple[str, ...]
    channel: str
    public: bool
    split: str

    def as_json(self) -> str:
        record = self._asdict()
        record["secondary"] = list(self.secondary)
        record["topics"] = list(self.topics)
        return json.dumps(record, ensure_ascii=False, sort_keys=True)


class SeedError(ValueError):
    """A seed line that does not follow the format or uses an unknown label."""


def digest(*parts: str) -> str:
    """A stable hex digest of the parts (independent of PYTHONHASHSEED)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def rng_for(*parts: str) -> random.Random:
    """A random generator seeded only by SEED and the parts."""
    return random.Random(digest(SEED, *parts))


def _labels(raw: str, allowed: Sequence[str], what: str, where: str) -> tuple[str, ...]:
    values = tuple(value for value in raw.split(",") if value)
    unknown = [value for value in values if value not in allowed]
    if unknown or len(set(values)) != len(values):
        raise SeedError(f"{where}: bad {what} {raw!r}")
    return values


def parse_seeds(block: str, language: str, source: str) -> list[Seed]:
    """The seeds in one block of the seed format (see `seeds_de.py` for the format)."""
    if language not in LANGUAGES:
        raise SeedError(f"{source}: unknown language {language!r}")
    seeds: list[Seed] = []
    category = ""
    for number, line in enumerate(block.splitlines(), start=1):
        where = f"{source}, SEEDS line {number}"
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        header = re.fullmatch(r"\[(\w+)\]", stripped)
        if header:
            category = header.group(1)
            if category not in CATEGORIES:
                raise SeedError(f"{where}: unknown category {category!r}")
            continue
        if not category:
            raise SeedError(f"{where}: a seed before the first [category] header")
        meta, separator, text = stripped.partition(" | ")
        text = text.strip().replace("\\n", "\n")
        if not separator or not text:
            raise SeedError(f"{where}: expected 'sentiment topics [+secondary] | text'")
        fields = meta.split()
        if len(fields) not in (2, 3) or fields[0] not in SENTIMENT_CODES:
            raise SeedError(f"{where}: expected 'sentiment topics [+secondary] | text'")
        topics = _labels(fields[1], TOPICS, "topics", where)
        secondary: tuple[str, ...] = ()
        if len(fields) == 3:
            if not fields[2].startswith("+"):
                raise SeedError(f"{where}: secondary categories start with '+'")
            secondary = _labels(fields[2][1:], CATEGORIES, "secondary", where)
            if category in secondary:
                raise SeedError(f"{where}: the primary category is also secondary")
        seeds.append(
            Seed(
                base_id=f"{language}-{digest(language, text)[:10]}",
                text=text,
                language=language,
                category=category,
                secondary=secondary,
                sentiment=SENTIMENT_CODES[fields[0]],
                topics=topics,
                source=where,
            )
        )
    return seeds


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"webcare_classify_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise SeedError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_seeds(directory: Path = HERE) -> list[Seed]:
    """Every seed of every `seeds_*.py` module, checked for duplicates, ordered by base id."""
    seeds: list[Seed] = []
    for path in sorted(directory.glob("seeds_*.py")):
        module = _load(path)
        seeds.extend(parse_seeds(module.SEEDS, module.LANGUAGE, path.name))
    seen: dict[str, Seed] = {}
    for seed in seeds:
        key = normalized(seed.text)
        if key in seen:
            raise SeedError(f"{seed.source}: duplicate of {seen[key].source}: {seed.text!r}")
        seen[key] = seed
    return sorted(seeds, key=lambda seed: seed.base_id)


def normalized(text: str) -> str:
    """The text as a duplicate check sees it: case, spacing and final punctuation ignored."""
    text = re.sub(r"\s+", " ", text.casefold()).strip()
    return text.rstrip("!?.…") or text


# --- channels and the held-out split ---------------------------------------------------------


def domain_of(seed: Seed, rng: random.Random) -> str:
    """Telecom, retail or fashion: from a brand named in the text, else from the topics."""
    lowered = seed.text.casefold()
    for domain, names in BRANDS.items():
        if any(name in lowered for name in names):
            return domain
    if TELECOM_TOPICS & set(seed.topics):
        return "telecom"
    if RETAIL_TOPICS & set(seed.topics):
        return rng.choice(("retail", "retail", "fashion"))
    return rng.choice(("telecom", "retail", "fashion"))


def draw_channel(seed: Seed, rng: random.Random) -> str:
    """A channel that fits the category and the text (mentions and hashtags mean social media)."""
    weights = dict(CHANNEL_WEIGHTS[seed.category])
    if re.search(r"(^|\s)[@#]\w", seed.text):
        weights = {channel: weight for channel, weight in weights.items() if channel in SOCIAL}
    elif len(seed.text) > 280:
        weights.pop("x", None)
    names = sorted(weights)
    return rng.choices(names, weights=[weights[name] for name in names])[0]


def is_public(channel: str, rng: random.Random) -> bool:
    """Posts on X, Instagram and review sites are public; Facebook is a comment or a Messenger DM."""
    if channel == "facebook":
        return rng.random() < 0.75
    return channel in ("x", "instagram", "review")


def assign_splits(seeds: Sequence[Seed]) -> dict[str, str]:
    """Base id -> "train" or "test": TEST_SHARE of every (category, language) group, by stable hash."""
    groups: dict[tuple[str, str], list[Seed]] = {}
    for seed in seeds:
        groups.setdefault((seed.category, seed.language), []).append(seed)
    splits: dict[str, str] = {}
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda seed: digest(SEED, "split", seed.base_id))
        test_count = round(len(members) * TEST_SHARE)
        for index, seed in enumerate(members):
            splits[seed.base_id] = "test" if index < test_count else "train"
    return splits


# --- surface noise that never changes a label --------------------------------------------------

Noise = Callable[[str, Seed, str, str, random.Random], str]


def add_mention(text: str, seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    if channel not in SOCIAL or "@" in text:
        return text
    handles = (HANDLES_EN if seed.language == "en" else HANDLES)[domain]
    handle = rng.choice(handles)
    return f"{handle} {text}" if rng.random() < 0.6 else f"{text} {handle}"


def add_hashtag(text: str, seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    if channel not in SOCIAL:
        return text
    pool = HASHTAGS[(seed.language, domain)]
    mood = MOOD_HASHTAGS.get((seed.language, seed.sentiment))
    if mood and seed.category not in ("spam", "other") and rng.random() < 0.2:
        pool = mood
    tag = rng.choice(pool)
    if tag.casefold() in text.casefold():
        return text
    return f"{text} {tag}"


def add_emoji(text: str, seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    if channel == "email":
        return text
    emoji = rng.choice(EMOJI[seed.sentiment] if rng.random() < 0.5 else ANY_EMOJI)
    if rng.random() < 0.3:
        emoji = emoji * rng.choice((2, 3)) if not emoji.startswith((":", "^", "-")) else emoji
    return f"{text} {emoji}"


def add_typo(text: str, seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    words = [(match.start(), match.end()) for match in re.finditer(r"[^\W\d_]{4,}", text)]
    if not words:
        return text
    start, end = rng.choice(words)
    word = text[start:end]
    position = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double", "neighbour"))
    if kind == "swap":
        changed = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    elif kind == "drop":
        changed = word[:position] + word[position + 1 :]
    elif kind == "double":
        changed = word[:position] + word[position] + word[position:]
    else:
        letter = word[position]
        neighbours = KEYBOARD_NEIGHBOURS.get(letter.lower(), "")
        if not neighbours:
            changed = word[:position] + word[position + 1 :]
        else:
            changed = word[:position] + rng.choice(neighbours) + word[position + 1 :]
    return text[:start] + changed + text[end:]


def social_spelling(text: str, seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    candidates = [
        (pattern, replacement)
        for pattern, replacement in SOCIAL_SPELLINGS[seed.language]
        if re.search(pattern, text, flags=re.IGNORECASE)
    ]
    if not candidates:
        return text
    for pattern, replacement in rng.sample(candidates, k=min(len(candidates), rng.choice((1, 2)))):
        text = re.sub(pattern, replacement, text, count=1, flags=re.IGNORECASE)
    return text


def flatten_umlauts(text: str, seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    table = UMLAUTS if rng.random() < 0.6 else UMLAUTS_DROPPED
    return "".join(table.get(char, char) for char in text)


def lower_case(text: str, seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    return text.lower()


def upper_case(text: str, seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    if seed.sentiment == "neutral" or len(text) > 160:
        return text
    return text.upper()


def punctuation(text: str, seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    kind = rng.choice(("more", "less", "dots"))
    if kind == "more":
        text = re.sub(r"\?+", lambda _: rng.choice(("??", "???", "?!", "?!?")), text)
        return re.sub(r"(?<![:;])!+", lambda _: rng.choice(("!!", "!!!", "!!!!")), text)
    if kind == "less":
        return re.sub(r"[.!]+$", "", re.sub(r"([?!])[?!]+", r"\1", text)).rstrip()
    return re.sub(r"\.(\s|$)", r"...\1", text, count=1)


def greeting(text: str, seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    if seed.category in ("spam", "other") or channel in ("email", "review") or text.startswith("@"):
        return text
    first_word = re.match(r"[^\W\d_]*", text)
    word = first_word.group(0) if first_word else ""
    if word.casefold() in GREETING_WORDS:
        return text
    if word in LOWER_AFTER_GREETING[seed.language]:
        text = word.lower() + text[len(word) :]
    return rng.choice(GREETINGS[seed.language]) + text


def email_form(text: str, seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    if channel != "email" or "\n" in text:
        return text
    opening = rng.choice(EMAIL_OPENINGS[seed.language])
    closing = rng.choice(EMAIL_CLOSINGS[seed.language])
    return f"{opening}\n\n{text}\n\n{closing}\n{rng.choice(NAMES)}"


def review_stars(text: str, seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    if channel != "review" or seed.category in ("spam", "lead"):
        return text
    return f"{rng.choice(STARS[seed.sentiment])} {text}"


NOISE: dict[str, tuple[Noise, int]] = {
    "mention": (add_mention, 4),
    "hashtag": (add_hashtag, 3),
    "emoji": (add_emoji, 4),
    "typo": (add_typo, 4),
    "social": (social_spelling, 3),
    "lower": (lower_case, 3),
    "upper": (upper_case, 1),
    "punctuation": (punctuation, 3),
    "greeting": (greeting, 2),
    "umlauts": (flatten_umlauts, 2),
}


def noisy(seed: Seed, channel: str, domain: str, rng: random.Random) -> str:
    """The seed text with one to three kinds of noise, in a random order, plus the channel's form."""
    names = sorted(name for name in NOISE if name != "umlauts" or seed.language == "de")
    count = rng.choice((1, 1, 2, 2, 3))
    chosen: list[str] = []
    while len(chosen) < count:
        name = rng.choices(names, weights=[NOISE[name][1] for name in names])[0]
        if name not in chosen and not {name, *chosen} >= {"lower", "upper"}:
            chosen.append(name)
    text = seed.text
    for name in chosen:
        text = NOISE[name][0](text, seed, channel, domain, rng)
    if channel == "email" and rng.random() < 0.7:
        text = email_form(text, seed, channel, domain, rng)
    if channel == "review" and rng.random() < 0.4:
        text = review_stars(text, seed, channel, domain, rng)
    return text


# --- the corpus ----------------------------------------------------------------------------------


def build(seeds: Sequence[Seed] | None = None) -> list[Row]:
    """Every corpus row, ordered by id.

    Each base message keeps its own text as variant 0. A noisy variant is kept only if no other row
    has the same text and no other base message has the same normalized text, so no text can be in
    both splits.
    """
    seeds = load_seeds() if seeds is None else seeds
    splits = assign_splits(seeds)
    owner = {normalized(seed.text): seed.base_id for seed in seeds}
    taken = {seed.text for seed in seeds}
    rows: list[Row] = []
    for seed in sorted(seeds, key=lambda seed: seed.base_id):
        rng = rng_for("variants", seed.base_id)
        domain = domain_of(seed, rng)
        channel = draw_channel(seed, rng)
        counts = sorted(VARIANT_WEIGHTS)
        wanted = rng.choices(counts, weights=[VARIANT_WEIGHTS[count] for count in counts])[0]
        texts = [(seed.text, channel)]
        for _ in range(wanted - 1):
            variant_channel = channel if rng.random() < 0.65 else draw_channel(seed, rng)
            for _attempt in range(8):
                text = noisy(seed, variant_channel, domain, rng)
                if text not in taken and owner.setdefault(normalized(text), seed.base_id) == seed.base_id:
                    taken.add(text)
                    texts.append((text, variant_channel))
                    break
        for index, (text, text_channel) in enumerate(texts):
            rows.append(
                Row(
                    id=f"{seed.base_id}-{index}",
                    base_id=seed.base_id,
                    text=text,
                    language=seed.language,
                    category=seed.category,
                    secondary=seed.secondary,
                    sentiment=seed.sentiment,
                    topics=seed.topics,
                    channel=text_channel,
                    public=is_public(text_channel, rng),
                    split=splits[seed.base_id],
                )
            )
    return sorted(rows, key=lambda row: row.id)


def render(rows: Iterable[Row]) -> str:
    """The JSON Lines text of the rows."""
    return "".join(row.as_json() + "\n" for row in rows)


def write(path: Path, rows: Iterable[Row]) -> None:
    """Write the rows as UTF-8 JSON Lines with Unix newlines."""
    path.write_bytes(render(rows).encode("utf-8"))


def _table(title: str, counter: Counter[str], total: int, order: Sequence[str]) -> list[str]:
    lines = [f"| {title} | n | share |", "|---|---:|---:|"]
    for key in order:
        if counter[key]:
            lines.append(f"| {key} | {counter[key]} | {100 * counter[key] / total:.1f}% |")
    return lines


def stats(rows: Sequence[Row]) -> str:
    """Counts per category, sentiment, language, channel and split, as Markdown tables."""
    bases: dict[str, Row] = {}
    for row in rows:
        bases.setdefault(row.base_id, row)
    lines = [f"rows: {len(rows)}, base messages: {len(bases)}", ""]
    for field, order in (
        ("category", CATEGORIES),
        ("sentiment", SENTIMENTS),
        ("language", LANGUAGES),
        ("split", ("train", "test")),
        ("channel", CHANNELS),
    ):
        by_row: Counter[str] = Counter(getattr(row, field) for row in rows)
        by_base: Counter[str] = Counter(getattr(row, field) for row in bases.values())
        lines.append(f"| {field} | base messages | share | rows | share |")
        lines.append("|---|---:|---:|---:|---:|")
        for key in order:
            if by_row[key]:
                lines.append(
                    f"| {key} | {by_base[key]} | {100 * by_base[key] / len(bases):.1f}% "
                    f"| {by_row[key]} | {100 * by_row[key] / len(rows):.1f}% |"
                )
        lines.append("")
    lines.append("| category (rows) | " + " | ".join(f"{s} de | {s} en" for s in ("train", "test")) + " |")
    lines.append("|---|" + "---:|" * 4)
    cells: Counter[tuple[str, str, str]] = Counter((row.category, row.split, row.language) for row in rows)
    for category in CATEGORIES:
        values = [cells[(category, split, language)] for split in ("train", "test") for language in LANGUAGES]
        lines.append(f"| {category} | " + " | ".join(str(value) for value in values) + " |")
    lines.append("")
    lines.append("| category by sentiment (base messages) | " + " | ".join(SENTIMENTS) + " |")
    lines.append("|---|" + "---:|" * len(SENTIMENTS))
    pairs: Counter[tuple[str, str]] = Counter((row.category, row.sentiment) for row in bases.values())
    for category in CATEGORIES:
        lines.append(f"| {category} | " + " | ".join(str(pairs[(category, s)]) for s in SENTIMENTS) + " |")
    topics: Counter[str] = Counter(topic for row in bases.values() for topic in row.topics)
    lines.append("")
    lines.extend(_table("topic (base messages)", topics, len(bases), TOPICS))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=CORPUS, help="where to write the corpus")
    parser.add_argument("--stats", action="store_true", help="print the counts instead of writing")
    args = parser.parse_args(argv)
    rows = build()
    if args.stats:
        print(stats(rows))
        return 0
    write(args.out, rows)
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
