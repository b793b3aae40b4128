"""A tenant's classification rules: conditions on a message, and what to decide when they hold.

Rules run after the model, in priority order (lowest number first). Every rule whose conditions all
hold applies. For a decision one value can be given (category, sentiment, urgency, triage), the
first rule that gives it wins; skills and topics accumulate. A rule's category replaces the
model's with confidence 1.0, and the model's category moves to the secondary ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.classify.patterns import InvalidPattern, Keywords, SafePattern

CategoryName = Literal["question", "complaint", "crisis", "untruth", "compliment", "lead", "spam", "other"]
SentimentName = Literal["negative", "neutral", "positive"]
MAX_TERMS = 200
# A skill or topic key, as taxonomy topics name them (and as they are stored per contact).
Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,63}$")]


def _given(model: BaseModel) -> bool:
    """Whether any field of the model has a value (not null, not an empty list)."""
    return any(value not in (None, []) for value in model.model_dump().values())


class RuleWhen(BaseModel):
    """Conditions, all of which must hold; an empty list or null means "any"."""

    model_config = ConfigDict(extra="forbid")

    keywords: list[str] = Field(
        default_factory=list,
        max_length=MAX_TERMS,
        description="Any of these words or phrases (case and umlauts ignored, `*` a wildcard in a word).",
    )
    all_keywords: list[str] = Field(
        default_factory=list, max_length=20, description="Every one of these words or phrases."
    )
    pattern: str | None = Field(
        default=None, max_length=500, description="A regular expression in RE2 syntax, case-insensitive."
    )
    categories: list[CategoryName] = Field(default_factory=list, description="The model's category.")
    topics: list[str] = Field(default_factory=list, max_length=50, description="Any of these topics found.")
    channels: list[str] = Field(default_factory=list, max_length=20)
    languages: list[str] = Field(default_factory=list, max_length=20, description="ISO 639-1 codes.")
    public: bool | None = Field(default=None, description="Only public (true) or private (false) messages.")
    min_followers: int | None = Field(default=None, ge=0, description="Authors with at least this reach.")

    @field_validator("keywords", "all_keywords")
    @classmethod
    def _terms(cls, terms: list[str]) -> list[str]:
        for term in terms:
            if not 1 <= len(term.strip("* ")) <= 100:
                raise ValueError("a keyword has 1 to 100 characters besides wildcards")
        return terms

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                SafePattern(pattern, ignore_case=True)
            except InvalidPattern as exc:
                raise ValueError(str(exc)) from None
        return pattern

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not _given(self):
            raise ValueError("a rule needs at least one condition")
        return self


class RuleThen(BaseModel):
    """What a matching rule decides."""

    model_config = ConfigDict(extra="forbid")

    category: CategoryName | None = None
    sentiment: SentimentName | None = None
    urgency: int | None = Field(default=None, ge=1, le=5)
    needs_triage: bool | None = None
    add_skills: list[Key] = Field(default_factory=list, max_length=20)
    add_topics: list[Key] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not _given(self):
            raise ValueError("a rule needs at least one decision")
        return self


@dataclass(frozen=True)
class Facts:
    """What is known about a message when the rules run."""

    folded: str  # the text folded by `kit.text.fold`
    text: str
    category: str
    topics: tuple[str, ...]
    channel: str
    language: str
    public: bool
    followers: int


@dataclass(frozen=True)
class Rule:
    """A compiled rule."""

    name: str
    when: RuleWhen
    then: RuleThen
    any_of: Keywords
    all_of: tuple[Keywords, ...]
    pattern: SafePattern | None

    @classmethod
    def of(cls, name: str, when: RuleWhen, then: RuleThen) -> Rule:
        """Compile a rule."""
        return cls(
            name=name,
            when=when,
            then=then,
            any_of=Keywords.of(when.keywords),
            all_of=tuple(Keywords.of([k]) for k in when.all_keywords),
            pattern=SafePattern(when.pattern, ignore_case=True) if when.pattern else None,
        )

    def holds(self, facts: Facts) -> bool:
        """Whether every condition holds for the message."""
        w = self.when
        return (
            (not w.keywords or self.any_of.matches(facts.folded))
            and all(k.matches(facts.folded) for k in self.all_of)
            and (self.pattern is None or self.pattern.search(facts.text))
            and (not w.categories or facts.category in w.categories)
            and (not w.topics or bool(set(w.topics) & set(facts.topics)))
            and (not w.channels or facts.channel in w.channels)
            and (not w.languages or facts.language in w.languages)
            and (w.public is None or w.public == facts.public)
            and (w.min_followers is None or facts.followers >= w.min_followers)
        )


@dataclass(frozen=True)
class Decision:
    """What the matching rules decided together; None where no rule decided."""

    rules: tuple[str, ...] = ()
    category: str | None = None
    sentiment: str | None = None
    urgency: int | None = None
    needs_triage: bool | None = None
    skills: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


def decide(rules: Sequence[Rule], facts: Facts) -> Decision:
    """Apply the rules (in priority order) to a message."""
    matched = [rule for rule in rules if rule.holds(facts)]
    if not matched:
        return Decision()

    def first(attribute: str) -> object:
        return next((v for r in matched if (v := getattr(r.then, attribute)) is not None), None)

    category, sentiment, urgency, triage = (
        first(a) for a in ("category", "sentiment", "urgency", "needs_triage")
    )
    return Decision(
        rules=tuple(rule.name for rule in matched),
        category=category if isinstance(category, str) else None,
        sentiment=sentiment if isinstance(sentiment, str) else None,
        urgency=urgency if isinstance(urgency, int) else None,
        needs_triage=triage if isinstance(triage, bool) else None,
        skills=tuple(dict.fromkeys(s for r in matched for s in r.then.add_skills)),
        topics=tuple(dict.fromkeys(t for r in matched for t in r.then.add_topics)),
    )
