"""The monitoring query language: how a tenant says which public posts it wants to hear.

A query is words, "quoted phrases", #hashtags, @handles and brand or product names, joined by AND,
OR and NOT (also UND, ODER, NICHT) and grouped by parentheses. Operators are written in capitals, so
the words "and" or "nicht" in a phrase stay words. Terms side by side mean AND. NOT binds tightest,
then AND, then OR: `telco kündigung OR wechsel` is `(telco AND kündigung) OR wechsel`. A `*` ends a
word prefix: `vertrag*` finds "Vertragsende" and "Verträge" (folded: "vertrage"). Words are compared
folded (`services.kit.text.fold`: case, umlauts, ß) and whole; a phrase matches consecutive words.
`#telcofail` hears only the hashtag; `telco` hears the word, the hashtag #telco and the handle @telco.

The parser is a small recursive descent of our own rather than pyparsing or boolean.py: the grammar
is a handful of lines, a tenant's mistake must be reported with its character position and a reason
in the tenant's words, and the terms (phrases, wildcards, hashtags) are not the plain symbols
boolean.py evaluates. Depth, length and term count are bounded, so no query can exhaust the stack.

    query   := either END
    either  := both (OR both)*
    both    := unary ((AND)? unary)*
    unary   := NOT unary | "(" either ")" | term | phrase
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from services.kit.text import fold

MAX_QUERY_CHARS = 1_000
MAX_TERMS = 100
MAX_DEPTH = 20
MIN_PREFIX = 2  # letters before a `*`, so `a*` cannot hear nearly every post
OPERATORS = {"AND": "and", "UND": "and", "OR": "or", "ODER": "or", "NOT": "not", "NICHT": "not"}
# Straight and typographic quotes, German „…“ included, each with the mark that closes it.
QUOTES = {'"': '"', "„": "“", "“": "”", "»": "«", "«": "»"}

_DELIMITERS = frozenset("()") | frozenset(QUOTES)
_QUERY_WORD = re.compile(r"\w+\*?")
_MISPLACED_STAR = re.compile(r"(?<!\w)\*|\*(?=\w)")
# A post's words; a # or @ counts as the word's sign only where no word character precedes it, so
# "info@telco.de" holds the word "telco", not the handle.
_POST_WORD = re.compile(r"(?:(?<!\w)([#@]))?(\w+)")


class QuerySyntaxError(ValueError):
    """A query or exclusion that cannot be used: where (0-based character offset) and why."""

    def __init__(self, position: int, reason: str) -> None:
        super().__init__(f"{reason} (at character {position + 1})")
        self.position = position
        self.reason = reason


@dataclass
class Post:
    """The folded words of a post's subject and text, in order, each with its sign (#, @ or none)."""

    signs: list[str]
    words: list[str]
    at: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> Post:
        """The words of a text."""
        signs: list[str] = []
        words: list[str] = []
        at: dict[str, list[int]] = {}
        for found in _POST_WORD.finditer(fold(unicodedata.normalize("NFC", text))):
            at.setdefault(found.group(2), []).append(len(words))
            signs.append(found.group(1) or "")
            words.append(found.group(2))
        return cls(signs=signs, words=words, at=at)

    def starts(self, word: str, sign: str) -> Iterator[int]:
        """Where a query word (maybe a `*` prefix) occurs, with the sign it demands if any."""
        places: Iterator[int]
        if word.endswith("*"):
            prefix = word[:-1]
            places = (i for w, found in self.at.items() if w.startswith(prefix) for i in found)
        else:
            places = iter(self.at.get(word, ()))
        return (i for i in places if not sign or self.signs[i] == sign)


def _same(query_word: str, word: str) -> bool:
    if query_word.endswith("*"):
        return word.startswith(query_word[:-1])
    return word == query_word


@dataclass(frozen=True)
class Term:
    """A word, a phrase of consecutive words, a hashtag or a handle; words may end in `*`."""

    words: tuple[str, ...]
    sign: str = ""  # the # or @ the tenant wrote before the first word

    def holds(self, post: Post) -> bool:
        """Whether the post contains the term."""
        rest = self.words[1:]
        for start in post.starts(self.words[0], self.sign):
            if start + len(rest) < len(post.words) and all(
                _same(w, post.words[start + 1 + k]) for k, w in enumerate(rest)
            ):
                return True
        return False


@dataclass(frozen=True)
class And:
    """Every part holds."""

    parts: tuple[Node, ...]

    def holds(self, post: Post) -> bool:
        """Whether every part holds."""
        return all(part.holds(post) for part in self.parts)


@dataclass(frozen=True)
class Or:
    """At least one part holds."""

    parts: tuple[Node, ...]

    def holds(self, post: Post) -> bool:
        """Whether any part holds."""
        return any(part.holds(post) for part in self.parts)


@dataclass(frozen=True)
class Not:
    """The part does not hold."""

    part: Node

    def holds(self, post: Post) -> bool:
        """Whether the part does not hold."""
        return not self.part.holds(post)


Node = Term | And | Or | Not


@dataclass(frozen=True)
class Query:
    """A parsed query."""

    source: str
    root: Node

    def holds(self, post: Post) -> bool:
        """Whether the post matches the query."""
        return self.root.holds(post)


def term_of(text: str, position: int = 0, *, phrase: bool = False) -> Term:
    """A term as written (a bare word or a phrase's inside); QuerySyntaxError when it has no word."""
    written = unicodedata.normalize("NFC", text).strip()
    star = _MISPLACED_STAR.search(written)
    if star is not None:
        raise QuerySyntaxError(position + star.start(), "a * may only end a word, as in vertrag*")
    sign = written[0] if written[:1] in ("#", "@") else ""
    words = tuple(_QUERY_WORD.findall(fold(written[len(sign) :])))
    if not words:
        what = "a phrase" if phrase else f"the term {text!r}"
        raise QuerySyntaxError(position, f"{what} has no letter or digit")
    for word in words:
        if word.endswith("*") and len(word) - 1 < MIN_PREFIX:
            raise QuerySyntaxError(position, f"a wildcard needs at least {MIN_PREFIX} letters before the *")
    return Term(words=words, sign=sign)


def exclusion_of(text: str) -> Term:
    """An exclusion: a word or phrase (quotes optional) that vetoes a match."""
    inner = text.strip()
    if len(inner) >= 2 and QUOTES.get(inner[0]) == inner[-1]:
        inner = inner[1:-1]
    return term_of(inner, phrase=True)


@dataclass(frozen=True)
class _Token:
    kind: str  # term | phrase | and | or | not | ( | ) | end
    text: str
    position: int


def _tokens(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, char, i))
            i += 1
        elif char in QUOTES:
            end = source.find(QUOTES[char], i + 1)
            if end < 0:
                raise QuerySyntaxError(i, "a quoted phrase is not closed")
            tokens.append(_Token("phrase", source[i + 1 : end], i))
            i = end + 1
        else:
            j = i
            while j < n and not source[j].isspace() and source[j] not in _DELIMITERS:
                j += 1
            chunk = source[i:j]
            tokens.append(_Token(OPERATORS.get(chunk, "term"), chunk, i))
            i = j
    tokens.append(_Token("end", "", n))
    return tokens


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokens(source)
        self.index = 0
        self.terms = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def query(self) -> Node:
        if self.peek().kind == "end":
            raise QuerySyntaxError(0, "the query is empty")
        node = self.either(0)
        left = self.peek()
        if left.kind == ")":
            raise QuerySyntaxError(left.position, "a ) without its (")
        return node

    def either(self, depth: int) -> Node:
        parts = [self.both(depth, None)]
        while self.peek().kind == "or":
            operator = self.take()
            parts.append(self.both(depth, operator))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def both(self, depth: int, after: _Token | None) -> Node:
        parts = [self.unary(depth, after)]
        while True:
            token = self.peek()
            if token.kind == "and":
                self.take()
                parts.append(self.unary(depth, token))
            elif token.kind in ("term", "phrase", "(", "not"):
                parts.append(self.unary(depth, None))
            else:
                break
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self, depth: int, after: _Token | None) -> Node:
        token = self.peek()
        if depth > MAX_DEPTH:
            raise QuerySyntaxError(token.position, f"the query nests deeper than {MAX_DEPTH} levels")
        if token.kind == "not":
            self.take()
            return Not(self.unary(depth + 1, token))
        if token.kind == "(":
            self.take()
            if self.peek().kind == ")":
                raise QuerySyntaxError(token.position, "empty parentheses")
            node = self.either(depth + 1)
            if self.peek().kind != ")":
                raise QuerySyntaxError(token.position, "a ( is not closed")
            self.take()
            return node
        if token.kind in ("term", "phrase"):
            self.take()
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise QuerySyntaxError(token.position, f"a query has at most {MAX_TERMS} terms")
            return term_of(token.text, token.position, phrase=token.kind == "phrase")
        raise QuerySyntaxError(token.position, _missing_term(token, after))


def _missing_term(found: _Token, after: _Token | None) -> str:
    """Why a term was expected where `found` stands."""
    where = f"after {after.text}" if after is not None else "here"
    if found.kind == "end":
        return f"the query ends where a term belongs ({where})"
    if found.kind == ")":
        return f"a term belongs {where}, before the )" if after is not None else "a ) without its ("
    return (
        f"{found.text} needs a term before it"
        if after is None
        else f"a term belongs {where}, not {found.text}"
    )


def parse(source: str) -> Query:
    """The query, or QuerySyntaxError with the position and the reason."""
    if len(source) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(MAX_QUERY_CHARS, f"a query has at most {MAX_QUERY_CHARS} characters")
    root = _Parser(source).query()
    if root.holds(Post.of("")):
        # Only NOTs (`NOT spam`, `a OR NOT b`): it would take nearly every public post there is.
        raise QuerySyntaxError(0, "the query matches posts without any of its terms; name what must occur")
    return Query(source=source, root=root)
