"""Text matching that tenants configure: keyword lists and regular expressions.

Tenants write the regular expressions (customer-number formats, rule patterns), so they are run by
RE2, whose matching time grows linearly with the text: no pattern can stall a consumer however it
is written. Keywords are matched on folded text (case, umlauts, ß), as whole words, with `*` as a
wildcard for the rest of a word, so `*rechnung*` finds "Handyrechnung" and "Rechnungsbetrag".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import re2

from services.kit.text import fold

MAX_PATTERN_CHARS = 500
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_ONE_WORD = re.compile(r"[\w*]+")
WORDS_REMEMBERED = 100_000  # per keyword list


class InvalidPattern(ValueError):
    """A tenant's pattern that cannot be used; the message says why."""


@dataclass(frozen=True)
class Span:
    """Where a pattern matched."""

    start: int
    end: int


class SafePattern:
    """A regular expression in RE2 syntax, matched in linear time; offsets count code points."""

    def __init__(self, source: str, *, ignore_case: bool = False) -> None:
        if not source or len(source) > MAX_PATTERN_CHARS:
            raise InvalidPattern(f"a pattern has 1 to {MAX_PATTERN_CHARS} characters")
        options = re2.Options()
        options.log_errors = False
        options.case_sensitive = not ignore_case
        try:
            self._compiled: Any = re2.compile(source, options)
        except re2.error as exc:
            reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
            raise InvalidPattern(f"not a valid RE2 regular expression: {reason}") from None
        if self._compiled.search("") is not None:
            raise InvalidPattern("the pattern matches an empty text, so it would match every message")
        self.source = source

    def search(self, text: str) -> bool:
        """Whether the pattern occurs in the text."""
        return self._compiled.search(text) is not None

    def finditer(self, text: str) -> Iterator[Span]:
        """Every non-overlapping match."""
        for match in self._compiled.finditer(text):
            yield Span(match.start(), match.end())


def word_list(text: str) -> tuple[str, ...]:
    """Keywords written as a comma-separated list over several lines."""
    return tuple(word.strip() for word in text.replace("\n", ",").split(",") if word.strip())


def _pattern(keyword: str) -> str | None:
    """The regex of one keyword on folded text, or None for a keyword of wildcards only."""
    words = _SPACES.sub(" ", fold(keyword)).strip()
    if not words.strip("*"):
        return None
    return r"\s+".join(re.escape(word).replace(r"\*", r"\w*") for word in words.split(" "))


def keyword_regex(keywords: Sequence[str]) -> re.Pattern[str] | None:
    """One regex for a list of keywords (whole words on folded text, `*` a wildcard in a word)."""
    alternatives = sorted({p for p in map(_pattern, keywords) if p is not None})
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def words_of(folded: str) -> frozenset[str]:
    """The words of a folded text, for `Keywords.matches`."""
    return frozenset(_WORD.findall(folded))


@dataclass(frozen=True)
class Keywords:
    """A compiled keyword list; `matches` takes text folded by `kit.text.fold`.

    One-word keywords (wildcards included) are matched word by word, and what each word gave is
    remembered (texts share most of their words); phrases are one regex over the text.
    """

    word: re.Pattern[str] | None
    phrases: re.Pattern[str] | None
    _seen: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, keywords: Sequence[str]) -> Keywords:
        """The compiled list."""
        folded = [_SPACES.sub(" ", fold(k)).strip() for k in keywords]
        single = [k for k in folded if _ONE_WORD.fullmatch(k)]
        word = keyword_regex(single)
        return cls(word, keyword_regex([k for k in folded if k not in single]))

    def matches(self, folded: str, words: frozenset[str] | None = None) -> bool:
        """Whether any keyword occurs in the folded text (whose `words_of` may be given)."""
        if self.word is not None:
            seen = self._seen
            for word in words if words is not None else words_of(folded):
                hit = seen.get(word)
                if hit is None:
                    hit = self.word.fullmatch(word) is not None
                    if len(seen) < WORDS_REMEMBERED:
                        seen[word] = hit
                if hit:
                    return True
        return self.phrases is not None and self.phrases.search(folded) is not None
