"""What the model sees of a text: word n-grams, character n-grams and cue words.

A text is prepared once (`prepare`): URLs, e-mail addresses, @mentions and numbers become
placeholders, hashtags are split into words, case and umlauts are folded, letters repeated for
emphasis are shortened, emoticons and emoji get a polarity token, social spellings are spelled out,
and the words after a negation are marked (`neg_gut`). Three term lists come from a prepared text:

- `word_terms`: the tokens and their bigrams,
- `char_terms`: character 2- to 5-grams inside word boundaries (robust to typos and inflection),
- `cue_terms`: counts of word-list hits (`lexicon.py`): polarity with negation, intensifiers,
  contrast and irony, words typical of each category, and the shape of the text (question mark,
  shouting, length, links).

Training (`training.py`) and prediction (`model.py`) use these same functions on the same `Doc`.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from services.classify import lexicon
from services.classify.lexicon import WordList

MAX_CHARS = 1_000  # what the model reads of a text: bounded work for 64 KB messages
CHAR_NGRAMS = (2, 5)

_URL = re.compile(
    r"https?://\S+|www\.\S+|\b[\w-]+(?:\.[\w-]+)*\."
    r"(?:com|net|org|info|biz|shop|de|io|co|uk|ly|be|me|xyz|online|site)(?:/\S*)?\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_MENTION = re.compile(r"(?<!\w)@[\w.]+")
_HASHTAG = re.compile(r"(?<!\w)#(\w+)")
_CAMEL = re.compile(r"(?<=[a-zäöü])(?=[A-ZÄÖÜ])")
_MODIFIERS = re.compile("[\ufe0f\u200d\U0001f3fb-\U0001f3ff]")
_REPEATED_LETTER = re.compile(r"(\w)\1{2,}")
_REPEATED_MARK = re.compile(r"([!?.])\1+")
_EMOTICON = re.compile("|".join(re.escape(e) for e in sorted(lexicon.EMOTICONS, key=len, reverse=True)))
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+|[^\w\s]")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_MONEY = re.compile(r"[€$£]")


@dataclass(frozen=True)
class _Patterns:
    """Patterns of one kind, with one regex for all of them that rules most texts out at once."""

    any: re.Pattern[str]
    each: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, patterns: tuple[str, ...]) -> _Patterns:
        """The compiled patterns."""
        return cls(re.compile("|".join(f"(?:{p})" for p in patterns)), tuple(map(re.compile, patterns)))

    def count(self, text: str) -> int:
        """How many of the patterns occur in the text."""
        return sum(1 for p in self.each if p.search(text)) if self.any.search(text) else 0


_NEGATORS = frozenset(lexicon.NEGATORS.split())
_NEGATION_STOPS = frozenset(lexicon.NEGATION_STOPS.split())
_CONTRAST = frozenset(lexicon.CONTRAST.split())
_QUESTION_START = frozenset(lexicon.QUESTION_START.split())
_POSITIVE = WordList.of(lexicon.POSITIVE)
_NEGATIVE = WordList.of(lexicon.NEGATIVE)
_INTENSIFIERS = WordList.of(lexicon.INTENSIFIERS)
_CUES = {name: WordList.of(words) for name, words in lexicon.CUES.items()}
_DOMAIN = WordList.of(lexicon.DOMAIN)
_ADDRESS = WordList.of(lexicon.ADDRESS)
_PHRASES = {name: _Patterns.of(patterns) for name, patterns in lexicon.PHRASES.items()}
_IRONY = {name: _Patterns.of(patterns) for name, patterns in lexicon.IRONY.items()}
_EMOJI_TOKENS = (
    (lexicon.EMOJI_POSITIVE, "xemopos"),
    (lexicon.EMOJI_NEGATIVE, "xemoneg"),
    (lexicon.EMOJI_LAUGH, "xemolaugh"),
)
NEGATED = "neg_"


@dataclass(frozen=True)
class Doc:
    """A text prepared for the model."""

    raw: str  # the first MAX_CHARS characters, as written
    normalized: str
    tokens: tuple[str, ...]  # with the words in a negation's reach marked NEGATED


def normalize(text: str) -> str:
    """The text with placeholders for links, addresses and mentions, folded case and umlauts."""
    text = _MODIFIERS.sub("", unicodedata.normalize("NFC", text))
    text = _URL.sub(" xurl ", text)
    text = _EMAIL.sub(" xemail ", text)
    text = _MENTION.sub(" xmention ", text)
    text = _HASHTAG.sub(lambda m: " xhashtag " + _CAMEL.sub(" ", m.group(1)) + " ", text)
    text = text.casefold().translate(_FOLD)
    text = _EMOTICON.sub(lambda m: f" {lexicon.EMOTICONS[m.group(0)]} ", text)
    text = _REPEATED_LETTER.sub(r"\1\1", text)
    return _REPEATED_MARK.sub(r"\1", text)


def tokenize(normalized: str) -> list[str]:
    """Words, numbers (as `xnum`), punctuation and emoji, social spellings spelled out."""
    tokens: list[str] = []
    for token in _TOKEN.findall(normalized):
        if token.isdigit():
            tokens.append("xnum")
        elif token in lexicon.SOCIAL_SPELLINGS:
            tokens.extend(lexicon.SOCIAL_SPELLINGS[token].split())
        else:
            tokens.append(token)
            tokens.extend(name for emoji, name in _EMOJI_TOKENS if token in emoji)
    return tokens


def mark_negation(tokens: list[str]) -> list[str]:
    """The tokens, with those in the reach of a negation prefixed NEGATED ("nicht gut" → neg_gut)."""
    marked: list[str] = []
    reach = 0
    for token in tokens:
        if token in _NEGATION_STOPS:
            reach = 0
            marked.append(token)
            continue
        marked.append(NEGATED + token if reach else token)
        reach = max(0, reach - 1)
        if token in _NEGATORS or token.endswith("n't"):
            reach = lexicon.NEGATION_WINDOW
    return marked


def prepare(text: str) -> Doc:
    """The text as the model reads it."""
    raw = text[:MAX_CHARS]
    normalized = normalize(raw)
    return Doc(raw=raw, normalized=normalized, tokens=tuple(mark_negation(tokenize(normalized))))


def word_terms(doc: Doc) -> list[str]:
    """Tokens and token bigrams."""
    tokens = doc.tokens
    return [*tokens, *(f"{a} {b}" for a, b in itertools.pairwise(tokens))]


def char_terms(doc: Doc) -> list[str]:
    """Character n-grams inside each token (as scikit-learn's `char_wb` makes them); those of a
    negated token are kept apart (prefixed "¬"), so that "nicht gut" does not look like "gut"."""
    low, high = CHAR_NGRAMS
    grams: list[str] = []
    for token in doc.tokens:
        word = token.removeprefix(NEGATED)
        padded = f" {word} "
        mark = "¬" if word != token else ""
        for n in range(low, high + 1):
            grams.extend(mark + padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
            if len(padded) <= n:
                break
    return grams


@functools.lru_cache(maxsize=65_536)
def _word_cues(word: str) -> tuple[str, ...]:
    cues = [f"cue_{name}" for name, words in _CUES.items() if word in words]
    if word in _DOMAIN:
        cues.append("cue_domain")
    if word in _ADDRESS:
        cues.append("cue_address")
    return tuple(cues)


@functools.lru_cache(maxsize=65_536)
def _polarity(word: str) -> int:
    return (word in _POSITIVE) - (word in _NEGATIVE)


def cue_terms(doc: Doc) -> list[str]:
    """Word-list hits and the shape of the text, one term per hit."""
    terms = _polarity_terms(doc.tokens)
    plain = [token.removeprefix(NEGATED) for token in doc.tokens]
    for word in plain:
        terms.extend(_word_cues(word))
    if "cue_domain" not in terms:
        terms.append("cue_nodomain")
    joined = " ".join(plain)
    for name, patterns in _PHRASES.items():
        terms.extend([f"phrase_{name}"] * patterns.count(joined))
    for name, patterns in _IRONY.items():
        terms.extend([f"irony_{name}"] * patterns.count(doc.normalized))
    terms.extend(_shape_terms(doc, plain))
    return terms


def _polarity_terms(tokens: tuple[str, ...]) -> list[str]:
    terms: list[str] = []
    counts = {True: 0, False: 0}
    after_contrast = False
    previous = ""
    for token in tokens:
        word = token.removeprefix(NEGATED)
        negated = word != token
        polarity = _polarity(word)
        if polarity:
            positive = (polarity > 0) != negated  # "nicht schlecht" counts as positive
            counts[positive] += 1
            terms.append(("negated_" if negated else "") + ("positive" if polarity > 0 else "negative"))
            terms.append("effective_positive" if positive else "effective_negative")
            if previous in _INTENSIFIERS:
                terms.append("intensified_" + ("positive" if positive else "negative"))
            if after_contrast:
                terms.append("contrast_" + ("positive" if positive else "negative"))
        if word in ("xemopos", "xemoneg", "xemolaugh"):
            terms.append(word)
        after_contrast = after_contrast or word in _CONTRAST
        previous = word
    if counts[True] and counts[False]:
        terms.append("mixed_polarity")
    return terms


def _shape_terms(doc: Doc, plain: list[str]) -> list[str]:
    terms: list[str] = []
    letters = [c for c in doc.raw if c.isalpha()]
    if "?" in doc.raw:
        terms.append("shape_question_mark")
    if plain and plain[0] in _QUESTION_START:
        terms.append("shape_question_word")
    if "!" in doc.raw:
        terms.append("shape_exclamation")
    if len(letters) > 10 and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        terms.append("shape_shouting")
    n = len(plain)
    terms.append(
        "shape_length_" + ("0" if n < 3 else "1" if n < 8 else "2" if n < 20 else "3" if n < 50 else "4")
    )
    terms.extend(
        f"shape_{mark}" for mark in ("xurl", "xmention", "xhashtag", "xnum", "xemail") if mark in plain
    )
    if _MONEY.search(doc.raw):
        terms.append("shape_money")
    if "\n" in doc.raw:
        terms.append("shape_lines")
    return terms


# The blocks of features, by name; training fits one vectorizer per block with these as analyzers.
TERMS: dict[str, Callable[[Doc], list[str]]] = {"word": word_terms, "char": char_terms, "cue": cue_terms}
