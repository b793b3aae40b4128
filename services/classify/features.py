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
from services.kit.text import fold

MAX_CHARS = 1_000  # what the model reads of a text: bounded work for 64 KB messages
CHAR_NGRAMS = (2, 5)

_DOMAINS = r"(?:com|net|org|info|biz|shop|de|io|co|uk|ly|be|me|xyz|online|site)"
_URL = re.compile(r"https?://\S+|www\.\S+|\b[\w-]+(?:\.[\w-]+)*\." + _DOMAINS + r"(?:/\S*)?\b", re.IGNORECASE)
_URL_PARTS = re.compile(r"://|www\.|\." + _DOMAINS, re.IGNORECASE)  # in every _URL match, found faster
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_MENTION = re.compile(r"(?<!\w)@[\w.]+")
_HASHTAG = re.compile(r"(?<!\w)#(\w+)")
_CAMEL = re.compile(r"(?<=[a-zäöü])(?=[A-ZÄÖÜ])")
_MODIFIERS = re.compile("[\ufe0f\u200d\U0001f3fb-\U0001f3ff]")
_REPEATED_LETTER = re.compile(r"(\w)\1{2,}")
_REPEATED_MARK = re.compile(r"([!?.])\1+")
_EMOTICON = re.compile("|".join(re.escape(e) for e in sorted(lexicon.EMOTICONS, key=len, reverse=True)))
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+|[^\w\s]")
_MONEY = re.compile(r"[€$£]")


@dataclass(frozen=True)
class _Patterns:
    """Named kinds of patterns, each with the pieces of text it cannot match without (`_needles`):
    quick `in` tests rule most patterns out before their regexes run."""

    kinds: tuple[str, ...]  # of each pattern
    patterns: tuple[re.Pattern[str], ...]
    needles: tuple[str, ...]  # the pieces of the first requirement of each pattern
    owners: dict[str, tuple[int, ...]]  # the patterns a piece is one of the first requirement of
    rest: tuple[tuple[tuple[str, ...], ...], ...]  # the other requirements of each pattern
    always: frozenset[int]  # the patterns without requirements

    @classmethod
    def of(cls, kinds: dict[str, tuple[str, ...]]) -> _Patterns:
        """The compiled patterns of each kind."""
        named = [(kind, pattern) for kind, patterns in kinds.items() for pattern in patterns]
        requirements = [_needles(pattern) for _, pattern in named]
        owners: dict[str, list[int]] = {}
        for i, required in enumerate(requirements):
            for needle in required[0] if required else ():
                owners.setdefault(needle, []).append(i)
        return cls(
            kinds=tuple(kind for kind, _ in named),
            patterns=tuple(re.compile(pattern) for _, pattern in named),
            needles=tuple(owners),
            owners={needle: tuple(patterns) for needle, patterns in owners.items()},
            rest=tuple(required[1:] for required in requirements),
            always=frozenset(i for i, required in enumerate(requirements) if not required),
        )

    def hits(self, text: str) -> list[str]:
        """The kind of each pattern that occurs in the text, in the order of the patterns."""
        candidates = set(self.always)
        for needle in filter(text.__contains__, self.needles):
            candidates.update(self.owners[needle])
        return [
            self.kinds[i]
            for i in sorted(candidates)
            if all(any(n in text for n in needles) for needles in self.rest[i])
            and self.patterns[i].search(text)
        ]


_SPECIAL = frozenset("\\.^$*+?{}[]|()")
_QUANTIFIER = re.compile(r"(?:[?*+]|\{\d*(?:,\d*)?\})[?+]?")
_LITERAL_CLASS = re.compile(r"\[([^\]\\^-][^\]\\-]*)\]")


def _needles(pattern: str) -> tuple[tuple[str, ...], ...]:
    """What every match of the pattern contains: one of the pieces of text of each of these
    requirements (the longest pieces first). None when nothing is evident (inline flags,
    lookarounds, numeric escapes, or no plain text outside quantified parts)."""
    if re.search(r"\(\?[^:]|\\[0-9xuUN]", pattern):
        return ()
    if len(_split_alternatives(pattern)) > 1:
        found = _alternatives_needles(pattern)
        return (found,) if found else ()
    return tuple(sorted(dict.fromkeys(_requirements(pattern)), key=_selectivity, reverse=True))


def _alternatives_needles(source: str) -> tuple[str, ...]:
    """The needles of `a|b|...`: those of each alternative, or none when one alternative has none."""
    needles: list[str] = []
    for alternative in _split_alternatives(source):
        found = _sequence_needles(alternative)
        if not found:
            return ()
        needles.extend(found)
    return tuple(needles)


def _sequence_needles(source: str) -> tuple[str, ...]:
    """The best requirement of a sequence without a top-level `|` (none when it has none)."""
    return max(_requirements(source), key=_selectivity, default=())


def _requirements(source: str) -> list[tuple[str, ...]]:
    """The requirements of a sequence without a top-level `|`: each run of plain characters, class
    of plain characters, and group whose alternatives all have needles, that is not quantified."""
    candidates: list[tuple[str, ...]] = []
    run = ""
    i = 0
    while i < len(source):
        end = _atom_end(source, i)
        quantifier = _QUANTIFIER.match(source, end)
        atom = source[i:end]
        literal = _literal(atom)
        if literal and not quantifier:
            run += literal
        else:
            candidates.append((run,))
            run = ""
            if not quantifier and atom.startswith("("):
                candidates.append(_alternatives_needles(atom.removeprefix("(").removeprefix("?:")[:-1]))
            elif not quantifier and (plain := _LITERAL_CLASS.fullmatch(atom)):
                candidates.append(tuple(plain.group(1)))
        i = quantifier.end() if quantifier else end
    candidates.append((run,))
    return [c for c in candidates if c and min(map(len, c)) > 0]


def _selectivity(needles: tuple[str, ...]) -> tuple[int, int]:
    """How rarely a requirement holds, roughly: the longer its shortest piece and the fewer its
    pieces, the rarer."""
    return min(map(len, needles)), -len(needles)


def _literal(atom: str) -> str:
    """The character an atom stands for when it is a plain or escaped one ("" when it is not)."""
    if atom.startswith("\\"):
        return "" if atom[1].isascii() and atom[1].isalnum() else atom[1]
    return "" if atom in _SPECIAL or len(atom) != 1 else atom


def _split_alternatives(source: str) -> list[str]:
    """The alternatives of `a|b|...` (split at the `|` outside groups and classes)."""
    parts: list[str] = []
    start = i = 0
    while i < len(source):
        if source[i] == "|":
            parts.append(source[start:i])
            start = i + 1
        i = _atom_end(source, i)
    return [*parts, source[start:]]


def _atom_end(source: str, i: int) -> int:
    """Where the atom starting at `i` ends: an escape, a class, a group, or one character."""
    if source[i] == "\\":
        return i + 2
    if source[i] == "[":
        j = i + 1
        j += source.startswith("^", j)
        j += source.startswith("]", j)
        while source[j] != "]":
            j += 2 if source[j] == "\\" else 1
        return j + 1
    if source[i] == "(":
        j = i + 1
        while source[j] != ")":
            j = _atom_end(source, j)
        return j + 1
    return i + 1


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
_PHRASES = _Patterns.of(lexicon.PHRASES)
_IRONY = _Patterns.of(lexicon.IRONY)
_EMOJI_TOKENS = (
    (lexicon.EMOJI_POSITIVE, "xemopos"),
    (lexicon.EMOJI_NEGATIVE, "xemoneg"),
    (lexicon.EMOJI_LAUGH, "xemolaugh"),
)
_EMOJI_NAMES = {
    emoji: tuple(name for group, name in _EMOJI_TOKENS if emoji in group)
    for group, _ in _EMOJI_TOKENS
    for emoji in group
}
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
    if ("." in text or ":" in text) and _URL_PARTS.search(text):  # most texts have no link
        text = _URL.sub(" xurl ", text)
    if "@" in text:  # the character each of these patterns needs: most texts skip them
        text = _EMAIL.sub(" xemail ", text)
    if "@" in text:
        text = _MENTION.sub(" xmention ", text)
    if "#" in text:
        text = _HASHTAG.sub(lambda m: " xhashtag " + _CAMEL.sub(" ", m.group(1)) + " ", text)
    text = fold(text)
    text = _EMOTICON.sub(lambda m: f" {lexicon.EMOTICONS[m.group(0)]} ", text)
    text = _REPEATED_LETTER.sub(r"\1\1", text)
    if "!!" in text or "??" in text or ".." in text:
        text = _REPEATED_MARK.sub(r"\1", text)
    return text


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
            tokens.extend(_EMOJI_NAMES.get(token, ()))
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
    return [gram for token in doc.tokens for gram in token_char_terms(token)]


def token_char_terms(token: str) -> list[str]:
    """The character n-grams of one token, in the order `char_terms` lists them."""
    low, high = CHAR_NGRAMS
    word = token.removeprefix(NEGATED)
    padded = f" {word} "
    mark = "¬" if word != token else ""
    grams: list[str] = []
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
    terms.extend(f"phrase_{kind}" for kind in _PHRASES.hits(joined))
    terms.extend(f"irony_{kind}" for kind in _IRONY.hits(doc.normalized))
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
    letters = sum(map(str.isalpha, doc.raw))
    if "?" in doc.raw:
        terms.append("shape_question_mark")
    if plain and plain[0] in _QUESTION_START:
        terms.append("shape_question_word")
    if "!" in doc.raw:
        terms.append("shape_exclamation")
    if (
        letters > 10
        and sum(map(str.isupper, doc.raw)) > 0.6 * letters  # cheap, and no less than the count below
        and sum(1 for c in doc.raw if c.isalpha() and c.isupper()) > 0.6 * letters
    ):
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
# The blocks whose terms are those of each token in turn (what the model caches per token).
TOKEN_TERMS: dict[str, Callable[[str], list[str]]] = {"char": token_char_terms}
