"""Keywords, tenant patterns, rules and the taxonomy, without a model."""

from __future__ import annotations

import time

import pytest

from services.classify.patterns import InvalidPattern, Keywords, SafePattern
from services.classify.rules import Facts, Rule, RuleThen, RuleWhen, decide
from services.classify.taxonomy import DEFAULT_TOPICS, Taxonomy, TopicSpec
from services.kit.text import fold


def facts(text: str, **fields: object) -> Facts:
    values: dict[str, object] = {
        "folded": fold(text),
        "text": text,
        "category": "question",
        "topics": (),
        "channel": "x",
        "language": "de",
        "public": True,
        "followers": 0,
    }
    values.update(fields)
    return Facts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("keyword", "text", "hit"),
    [
        ("*rechnung*", "Die Handyrechnung ist falsch", True),
        ("*rechnung*", "RECHNUNGSBETRAG zu hoch", True),
        ("kündigung", "Meine Kuendigung... nein: meine Kündigung", True),
        ("grosse", "eine große Sache", True),
        ("netz", "Das Netzteil ist kaputt", False),
        ("kein netz", "Hier ist  kein\nNetz", True),
        ("app", "happy customer", False),
    ],
)
def test_keywords_match_whole_folded_words_with_wildcards(keyword: str, text: str, hit: bool) -> None:
    assert Keywords.of([keyword]).matches(fold(text)) is hit


def test_tenant_patterns_run_in_linear_time_and_refuse_what_cannot_work() -> None:
    pattern = SafePattern(r"(a+)+$")
    started = time.perf_counter()
    assert not pattern.search("a" * 50_000 + "!")
    assert time.perf_counter() - started < 1.0  # Python's re would take longer than the universe
    for bad in ("(?<=KD)\\d+", "x*", "", "[", "a" * 501):
        with pytest.raises(InvalidPattern):
            SafePattern(bad)
    assert [(s.start, s.end) for s in SafePattern(r"KD-\d+").finditer("Größe KD-12 und KD-345")] == [
        (6, 11),
        (16, 22),
    ]


def test_rules_decide_in_order_and_skills_accumulate() -> None:
    rules = [
        Rule.of("a", RuleWhen(keywords=["paket*"]), RuleThen(category="complaint", add_skills=["logistics"])),
        Rule.of("b", RuleWhen(public=True), RuleThen(category="crisis", urgency=4, add_skills=["social"])),
        Rule.of("c", RuleWhen(min_followers=1000), RuleThen(urgency=5)),
        Rule.of("d", RuleWhen(channels=["email"]), RuleThen(needs_triage=True)),
    ]
    decision = decide(rules, facts("Mein Paket ist weg"))
    assert decision.rules == ("a", "b")
    assert decision.category == "complaint" and decision.urgency == 4
    assert decision.skills == ("logistics", "social") and decision.needs_triage is None
    assert decide(rules, facts("Hallo", public=False)).rules == ()
    assert decide(rules, facts("Hallo", public=False, followers=5000)).urgency == 5


def test_rule_conditions_all_have_to_hold() -> None:
    when = RuleWhen(
        all_keywords=["vertrag", "kundig*"],
        pattern=r"\d{4}",
        categories=["complaint"],
        languages=["de"],
        topics=["contract"],
    )
    rule = Rule.of("r", when, RuleThen(urgency=5))
    text = "Vertrag 2024 abgeschlossen, will kündigen"
    assert rule.holds(facts(text, category="complaint", topics=("contract",)))
    assert not rule.holds(facts(text, category="question", topics=("contract",)))
    assert not rule.holds(facts(text, category="complaint", topics=()))
    assert not rule.holds(
        facts("Vertrag abgeschlossen, will kündigen", category="complaint", topics=("contract",))
    )
    assert not rule.holds(facts(text, category="complaint", topics=("contract",), language="en"))


def test_a_rule_without_conditions_or_decisions_is_refused() -> None:
    with pytest.raises(ValueError, match="condition"):
        RuleWhen()
    with pytest.raises(ValueError, match="decision"):
        RuleThen(add_skills=[])


def test_the_default_taxonomy_covers_telecom_and_retail_in_both_languages() -> None:
    taxonomy = Taxonomy.of(DEFAULT_TOPICS)
    cases = {
        "Meine Rechnung ist zu hoch": "billing",
        "I was charged twice": "billing",
        "Wo bleibt mein Paket?": "delivery",
        "My parcel never arrived": "delivery",
        "Ich will meinen Vertrag kündigen": "cancellation",
        "Seit gestern kein Internet": "network",
        "Wie kann ich die Jacke umtauschen?": "returns",
        "Der Techniker ist nicht gekommen": "appointment",
        "Does my plan work abroad?": "roaming",
    }
    found = taxonomy.match([fold(text) for text in cases], None)
    for (text, topic), topics in zip(cases.items(), found, strict=True):
        assert topic in topics, (text, topics)
    assert taxonomy.skills(["billing", "payment", "delivery"]) == ("billing", "logistics")
    assert all({"de", "en"} <= spec.labels.keys() for spec in DEFAULT_TOPICS)


def test_a_topic_without_examples_is_found_by_keywords_alone() -> None:
    taxonomy = Taxonomy.of([TopicSpec("fibre", {"de": "Glasfaser", "en": "Fibre"}, "fibre", ("ftth",))])
    assert taxonomy.examples is None
    assert taxonomy.match([fold("FTTH wann?"), fold("DSL wann?")], None) == [("fibre",), ()]
