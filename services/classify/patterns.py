"""Text matching that tenants configure: keyword lists and regular expressions.

Tenants write the regular expressions (customer-number formats, rule patterns), so they are run by
RE2, whose matching time grows linearly with the text: no pattern can stall a consumer however it
is written. Keywords are matched on folded text (case, umlauts, ß), as whole words, with `*` as a
wildcard for the rest of a word, so `*rechnung*` finds "Handyrechnung" and "Rechnungsbetrag".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import re2

MAX_PATTERN_CHARS = 500
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_SPACES = re.compile(r"\s+")


class InvalidPattern(ValueError):
    """A tenant's pattern that cannot be used; the message says why."""


def fold(text: str) -> str:
    """Text as keywords are matched against it: case-folded, umlauts and ß spelled out."""
    return text.casefold().translate(_FOLD)


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


def keyword_regex(keywords: Sequence[str]) -> re.Pattern[str] | None:
    """One regex for a list of keywords (whole words on folded text, `*` a wildcard in a word)."""
    alternatives = []
    for keyword in keywords:
        words = _SPACES.sub(" ", fold(keyword)).strip()
        if not words.strip("*"):
            continue
        body = r"\s+".join(re.escape(word).replace(r"\*", r"\w*") for word in words.split(" "))
        alternatives.append(body)
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(set(alternatives))) + r")(?!\w)")


@dataclass(frozen=True)
class Keywords:
    """A compiled keyword list; `matches` takes text folded by `fold`."""

    regex: re.Pattern[str] | None

    @classmethod
    def of(cls, keywords: Sequence[str]) -> Keywords:
        """The compiled list."""
        return cls(keyword_regex(keywords))

    def matches(self, folded: str) -> bool:
        """Whether any keyword occurs in the folded text."""
        return self.regex is not None and self.regex.search(folded) is not None
