"""Draft answers are checked before sending: channel limits, Meta's window, tone and private data."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from services.classify.patterns import SafePattern
from services.classify.private_data import TenantPattern
from services.reply.checks import (
    DEFAULT_NEGATIVE_WORDS,
    DEFAULT_NEGATIVE_WORDS_DE,
    DEFAULT_NEGATIVE_WORDS_EN,
    LIMITS,
    Checked,
    Draft,
    Finding,
    Mode,
    ReplyRules,
    check,
    limit_for,
    negative_words_in,
    thread,
    x_weighted_length,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
NUMBERING = re.compile(r" \((\d+)/(\d+)\)$")
SENTENCE = "Wir haben Ihre Bestellung geprüft und die Lieferung ist morgen bei Ihnen. "


def draft(
    text: str = "Danke für Ihre Nachricht, wir kümmern uns gern darum!",
    channel: str = "x",
    *,
    public: bool = True,
    last: timedelta | None = None,
    template: str | None = None,
    tag: bool = False,
) -> Draft:
    return Draft(
        text=text,
        channel=channel,
        is_public=public,
        now=NOW,
        last_customer_message_at=None if last is None else NOW - last,
        template=template,
        human_agent_tag=tag,
    )


def only(checked: Checked, rule: str) -> list[Finding]:
    return [f for f in checked.findings if f.rule == rule]


def unnumbered(part: str) -> str:
    return NUMBERING.sub("", part)


def assert_thread(text: str, parts: list[str], limit: int = 280) -> None:
    """Every post within the limit, numbered 1..n of n, and together the words of the text in order."""
    assert len(parts) >= 2
    for index, part in enumerate(parts, 1):
        assert x_weighted_length(part) <= limit
        numbering = NUMBERING.search(part)
        assert numbering is not None
        assert (int(numbering[1]), int(numbering[2])) == (index, len(parts))
    assert [word for part in parts for word in unnumbered(part).split()] == text.split()


# Rules -------------------------------------------------------------------------------------------


def test_defaults_block_limits_window_and_private_data_and_warn_about_tone() -> None:
    rules = ReplyRules()
    assert (rules.length, rules.window, rules.tone, rules.private_data) == ("block", "block", "warn", "block")
    assert rules.negative_words is None
    assert rules.thread_long_posts is True
    assert rules.public_contact_details == []


def test_rules_refuse_unknown_fields_and_modes_and_carry_an_example() -> None:
    with pytest.raises(ValidationError):
        ReplyRules.model_validate({"lenght": "warn"})
    with pytest.raises(ValidationError):
        ReplyRules.model_validate({"tone": "strict"})
    with pytest.raises(ValidationError):
        ReplyRules(negative_words=["**"])
    with pytest.raises(ValidationError):
        ReplyRules(negative_words=["x" * 101])
    examples = ReplyRules.model_json_schema()["examples"]
    assert [ReplyRules.model_validate(example) for example in examples]


def test_negative_words_are_tidied() -> None:
    rules = ReplyRules(negative_words=["  leider ", "nicht\n möglich", "leider"])
    assert rules.negative_words == ["leider", "nicht möglich"]


def test_built_in_lists_cover_german_and_english() -> None:
    assert len(DEFAULT_NEGATIVE_WORDS_DE) >= 15
    assert len(DEFAULT_NEGATIVE_WORDS_EN) >= 15
    for word in (
        "leider",
        "schlecht",
        "schade",
        "unangenehm",
        "unfortunately",
        "sorry for the inconvenience",
    ):
        assert word in DEFAULT_NEGATIVE_WORDS


def test_a_friendly_answer_passes_everywhere() -> None:
    for (channel, public), _ in LIMITS.items():
        checked = check(draft(channel=channel, public=public, last=timedelta(hours=1)), ReplyRules())
        assert checked == Checked(findings=[], blocked=False, parts=[checked.parts[0]], negative_words=[])


# Length ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "public", "limit"),
    [
        ("x", True, 280),
        ("x", False, 10_000),
        ("facebook", False, 2_000),
        ("facebook", True, 8_000),
        ("instagram", False, 1_000),
        ("instagram", True, 2_200),
        ("whatsapp", False, 4_096),
    ],
)
def test_length_at_and_one_over_each_channel_limit(channel: str, public: bool, limit: int) -> None:
    rules = ReplyRules(thread_long_posts=False)
    assert check(draft("a" * limit, channel, public=public), rules).findings == []
    checked = check(draft("a" * (limit + 1), channel, public=public), rules)
    (finding,) = checked.findings
    assert finding.rule == "length"
    assert finding.severity == "block"
    assert checked.blocked
    assert finding.details["limit"] == limit
    assert finding.details["length"] == limit + 1
    assert str(limit) in finding.message_de
    assert str(limit) in finding.message_en
    assert finding.advice_de
    assert finding.advice_en


def test_instagram_direct_counts_bytes_and_messenger_code_points() -> None:
    rules = ReplyRules()
    assert check(draft("ä" * 500, "instagram", public=False), rules).findings == []
    (finding,) = check(draft("ä" * 501, "instagram", public=False), rules).findings
    assert finding.details == {"limit": 1000, "length": 1002, "unit": "bytes", "unsplittable": False}
    # Emoji outside the BMP are one code point each (two UTF-16 units, which Meta does not count).
    assert check(draft("😀" * 2000, "facebook", public=False), rules).findings == []
    assert check(draft("😀" * 2001, "facebook", public=False), rules).blocked


def test_length_as_a_warning_or_off() -> None:
    text = "a" * 2001
    (finding,) = check(draft(text, "facebook", public=False), ReplyRules(length="warn")).findings
    assert finding.severity == "warn"
    assert not check(draft(text, "facebook", public=False), ReplyRules(length="warn")).blocked
    assert check(draft(text, "facebook", public=False), ReplyRules(length="off")).findings == []


@pytest.mark.parametrize(("channel", "public"), [("email", False), ("chat", False), ("review", True)])
def test_channels_without_a_limit(channel: str, public: bool) -> None:
    assert limit_for(channel, public) is None
    assert check(draft("Gern geschehen. " * 5000, channel, public=public), ReplyRules()).findings == []


def test_x_weighs_links_cjk_and_emoji_double() -> None:
    assert x_weighted_length("Grüße aus Köln, Ελλάδα, Москва") == 30  # Latin, Greek, Cyrillic: 1 each
    assert x_weighted_length("日本語") == 6
    assert x_weighted_length("https://example.com/a/very/long/path/that/goes/on?and=on") == 23
    assert x_weighted_length("Mehr unter www.example.de/hilfe.") == len("Mehr unter ") + 23 + 1
    assert x_weighted_length("siehe example.de") == len("siehe ") + 23
    assert x_weighted_length("karla@example.de") == len("karla@example.de")  # an address, no link
    assert x_weighted_length("https:// www.") == len("https:// www.")  # no link without a host
    assert x_weighted_length("😀") == 2
    assert x_weighted_length("👩‍👩‍👧‍👦") == 2  # one ZWJ sequence of seven code points
    assert x_weighted_length("👍🏽") == 2  # with a skin tone
    assert x_weighted_length("🇩🇪") == 2  # a flag: two regional indicators
    assert x_weighted_length("1️⃣") == 2  # a keycap
    assert x_weighted_length("Gru\u0308ße") == 5  # NFC first: ü written as u and a combining diaeresis
    assert x_weighted_length("“—”") == 3  # general punctuation U+2010-U+201F counts 1


def test_x_limit_counts_weights() -> None:
    rules = ReplyRules(thread_long_posts=False)
    assert check(draft("日" * 140), rules).findings == []
    assert check(draft("日" * 141), rules).blocked
    link = "https://example.com/" + "x" * 400
    assert check(draft(f"{link} " + "a" * 256), rules).findings == []  # 23 + 1 + 256 = 280


# Threads on X ------------------------------------------------------------------------------------


def test_a_long_post_becomes_a_numbered_thread_split_between_sentences() -> None:
    text = (SENTENCE * 12).strip()
    checked = check(draft(text), ReplyRules())
    assert checked.findings == []
    assert not checked.blocked
    assert_thread(text, checked.parts)
    for part in checked.parts:
        assert unnumbered(part).endswith("bei Ihnen.")  # whole sentences: each fits a post


def test_a_sentence_longer_than_a_post_is_split_between_words_never_inside_one() -> None:
    text = " ".join(f"Wort{n}" for n in range(200)) + " https://example.com/" + "p" * 300 + " Ende."
    parts = thread(text)
    assert parts is not None
    assert_thread(text, parts)
    link = "https://example.com/" + "p" * 300
    assert sum(link in unnumbered(part).split() for part in parts) == 1  # the link whole, counted 23


@pytest.mark.parametrize("tempting", ["am 3.", "z.B.", "bzw."])
def test_ordinals_and_abbreviations_do_not_end_a_sentence(tempting: str) -> None:
    filler = "Das " * 56 + "Ende."
    sentence = f"Der Termin ist {tempting} März um zehn Uhr, bitte seien Sie pünktlich da."
    parts = thread(f"{filler} {sentence}")
    assert parts == [f"{filler} (1/2)", f"{sentence} (2/2)"]


def test_numbering_is_counted_in_the_limit() -> None:
    word = "a" * 137
    text = f"{word} {word} {word}"  # 413: two words and a space (275) fit, but not with " (1/2)"
    parts = thread(text)
    assert parts == [f"{word} (1/3)", f"{word} (2/3)", f"{word} (3/3)"]


def test_a_text_that_fits_is_not_threaded() -> None:
    assert thread("a" * 280) == ["a" * 280]
    assert check(draft("a" * 280), ReplyRules()).parts == ["a" * 280]


def test_a_64_kb_text_becomes_a_thread_quickly() -> None:
    text = ("Das ist ein längerer Satz über Ihre Rechnung, den wir oft wiederholen, 日本 😀. " * 900)[:65_536]
    started = time.perf_counter()
    checked = check(draft(text), ReplyRules())
    assert time.perf_counter() - started < 2
    assert checked.findings == []
    assert_thread(text, checked.parts)
    assert checked.parts[-1].endswith(f"({len(checked.parts)}/{len(checked.parts)})")
    assert len(checked.parts) > 100  # three-digit numbering still fits the limit


def test_a_word_too_long_for_any_post_cannot_be_threaded() -> None:
    text = "Bitte " + "x" * 300
    checked = check(draft(text), ReplyRules())
    (finding,) = checked.findings
    assert finding.rule == "length"
    assert finding.details["unsplittable"] is True
    assert checked.blocked
    assert checked.parts == [text]
    assert thread(text) is None
    assert check(draft(text), ReplyRules(length="off")).findings == []


def test_threading_off_blocks_a_long_post_and_length_off_still_threads() -> None:
    text = (SENTENCE * 6).strip()
    checked = check(draft(text), ReplyRules(thread_long_posts=False))
    assert checked.blocked
    assert checked.parts == [text]
    checked = check(draft(text), ReplyRules(length="off"))
    assert checked.findings == []
    assert len(checked.parts) == 2


def test_x_direct_messages_are_not_threaded() -> None:
    text = (SENTENCE * 6).strip()
    assert check(draft(text, public=False), ReplyRules()).parts == [text]


words = st.text(
    alphabet=st.characters(exclude_categories=("Z", "Cc", "Cs")), min_size=1, max_size=30
) | st.sampled_from(["https://example.com/hilfe?id=1", "Ende.", "Wirklich?", "z.B.", "3.", "😀", "日本語"])
spacing = st.sampled_from([" ", " ", " ", "  ", "\n", "\n\n", "\t", "\u3000"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(words, spacing), min_size=30, max_size=300), spacing)
def test_any_text_of_words_threads_within_the_limit(pieces: list[tuple[str, str]], lead: str) -> None:
    text = lead + "".join(word + space for word, space in pieces)
    parts = thread(text)
    assert parts is not None
    if x_weighted_length(text) <= 280:
        assert parts == [text]
    else:
        assert_thread(text, parts)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_threads_or_has_a_word_too_long(text: str) -> None:
    parts = thread(text)
    if parts is None:
        assert any(x_weighted_length(word) > 280 - len(" (1/1)") for word in text.split()) or not text.split()
    elif len(parts) > 1:
        assert_thread(text, parts)
    else:
        assert parts == [text]
        assert x_weighted_length(text) <= 280


# Customer service window -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "template", "needs"),
    [
        (timedelta(hours=23, minutes=59), None, None),
        (timedelta(hours=24), None, "template"),
        (timedelta(days=3), None, "template"),
        (timedelta(days=3), "order_update_de", None),
        (timedelta(days=30), "order_update_de", None),
    ],
)
def test_whatsapp_needs_a_template_after_24_hours(
    last: timedelta, template: str | None, needs: str | None
) -> None:
    checked = check(draft(channel="whatsapp", public=False, last=last, template=template), ReplyRules())
    findings = only(checked, "window")
    assert [f.details["needs"] for f in findings] == ([needs] if needs else [])
    assert checked.blocked is (needs is not None)


@pytest.mark.parametrize("channel", ["facebook", "instagram"])
@pytest.mark.parametrize(
    ("last", "tag", "needs"),
    [
        (timedelta(hours=2), False, None),
        (timedelta(hours=25), False, "human_agent_tag"),
        (timedelta(hours=25), True, None),
        (timedelta(days=6, hours=23), True, None),
        (timedelta(days=7), True, "customer_message"),
        (timedelta(days=9), False, "customer_message"),
    ],
)
def test_messenger_and_instagram_direct_allow_the_human_agent_tag_for_7_days(
    channel: str, last: timedelta, tag: bool, needs: str | None
) -> None:
    findings = only(check(draft(channel=channel, public=False, last=last, tag=tag), ReplyRules()), "window")
    assert [f.details["needs"] for f in findings] == ([needs] if needs else [])
    for finding in findings:
        assert finding.details["hours_since_customer_message"] == int(last.total_seconds() // 3600)
        assert "HUMAN_AGENT" in finding.message_en or "HUMAN_AGENT" in finding.advice_en


@pytest.mark.parametrize(
    ("channel", "public"),
    [("facebook", True), ("instagram", True), ("x", True), ("x", False), ("email", False), ("review", True)],
)
def test_public_posts_and_other_channels_have_no_window(channel: str, public: bool) -> None:
    assert check(draft(channel=channel, public=public, last=timedelta(days=60)), ReplyRules()).findings == []


def test_window_without_a_known_customer_message_or_with_clock_skew() -> None:
    assert check(draft(channel="whatsapp", public=False), ReplyRules()).findings == []
    ahead = draft(channel="whatsapp", public=False, last=timedelta(minutes=-5))
    assert check(ahead, ReplyRules()).findings == []


def test_naive_times_are_utc() -> None:
    naive = Draft(
        text="Hallo",
        channel="whatsapp",
        is_public=False,
        now=datetime(2026, 3, 2, 12, 0),
        last_customer_message_at=datetime(2026, 3, 1, 11, 0, tzinfo=UTC),
    )
    assert only(check(naive, ReplyRules()), "window")


def test_window_as_a_warning_or_off() -> None:
    late = draft(channel="whatsapp", public=False, last=timedelta(days=2))
    checked = check(late, ReplyRules(window="warn"))
    assert [f.severity for f in checked.findings] == ["warn"]
    assert not checked.blocked
    assert check(late, ReplyRules(window="off")).findings == []


# Tone --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Das ist leider nicht gut gelaufen.", ["leider"]),
        ("Wie schade! Das war schlecht und unangenehm.", ["schade", "schlecht", "unangenehm"]),
        (
            "Unfortunately we are out of stock. Sorry for the inconvenience!",
            ["unfortunately", "sorry for the inconvenience"],
        ),
        ("LEIDER ist das UNANGENEHM", ["leider", "unangenehm"]),
        ("Das ist ärgerlich, sehr ÄRGERLICH, aergerlich", ["ärgerlich"] * 3),
        ("Das ist unmöglich, unmoeglich, UNMÖGLICH", ["unmöglich"] * 3),
        ("Die schlechte Nachricht, der schlechteste Tag, schlechter geht es nicht", ["schlecht"] * 3),
        ("Wir sind enttäuscht und bedauern das", ["enttäusch*", "bedauer*"]),
        ("We are unable to help, that's not possible, too bad", ["unable to", "not possible", "too bad"]),
        ("Three problems, one Problem", ["problem", "problem"]),
    ],
)
def test_negative_wording_in_german_and_english(text: str, expected: list[str]) -> None:
    assert negative_words_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Wir prüfen Ihren Schadenersatz und ersetzen den Schaden.",
        "Die Schadensmeldung ist da, Schadenfreude ist fehl am Platz.",
        "Das Schlechtwetter-Programm läuft.",
        "Ihr Bad wird renoviert, das Hotel in Bad Homburg ist gebucht.",
        "Wir lösen das gern für Sie, schon morgen ist alles da.",
    ],
)
def test_words_that_only_look_negative_are_not_flagged(text: str) -> None:
    assert negative_words_in(text) == []


def test_tenant_words_replace_the_built_in_list_and_fold_umlauts_and_sharp_s() -> None:
    own = ["Mißverständnis", "Übel*", "kein Problem"]
    text = "Ein MISSVERSTÄNDNIS, ein Missverstaendnis, übelst, Kein  Problem! Leider."
    assert negative_words_in(text, own) == ["Mißverständnis", "Mißverständnis", "Übel*", "kein Problem"]
    assert negative_words_in(text, []) == []


def test_typographic_apostrophes_are_plain_ones() -> None:
    assert negative_words_in("We can\u2019t, we won't", ["can't", "won\u2019t"]) == ["can't", "won\u2019t"]


def test_tone_warns_by_default_and_counts_every_occurrence_for_coaching() -> None:
    checked = check(draft("Leider, leider ist das schlecht."), ReplyRules())
    (finding,) = checked.findings
    assert (finding.rule, finding.severity) == ("tone", "warn")
    assert not checked.blocked
    assert checked.negative_words == ["leider", "leider", "schlecht"]
    assert finding.details == {"words": ["leider", "schlecht"], "count": 3}
    assert "leider" in finding.message_de
    assert "leider" in finding.message_en
    assert finding.advice_de
    assert finding.advice_en


@pytest.mark.parametrize(("mode", "blocked"), [("block", True), ("warn", False)])
def test_tone_modes(mode: Mode, blocked: bool) -> None:
    checked = check(draft("Unfortunately not."), ReplyRules(tone=mode))
    assert checked.blocked is blocked
    assert [f.severity for f in checked.findings] == [mode]


def test_tone_off_neither_flags_nor_counts() -> None:
    checked = check(draft("Leider schlecht."), ReplyRules(tone="off"))
    assert checked.findings == []
    assert checked.negative_words == []


# Private data ------------------------------------------------------------------------------------

PRIVATE = [
    ("Ihre IBAN DE89 3704 0044 0532 0130 00 ist hinterlegt.", "iban", "DE89 3704 0044 0532 0130 00"),
    ("Die Karte 4111 1111 1111 1111 wurde belastet.", "card_number", "4111 1111 1111 1111"),
    ("Wir schreiben an karla.kunde@example.de.", "email", "karla.kunde@example.de"),
    ("We will call you on +44 20 7946 0958.", "phone", "+44 20 7946 0958"),
    ("Die Lieferung geht an Hauptstraße 12, 10115 Berlin.", "postal_address", "Hauptstraße 12"),
    ("Ihr Geburtsdatum: 12.03.1985 stimmt.", "date_of_birth", "12.03.1985"),
]


@pytest.mark.parametrize(("text", "kind", "value"), PRIVATE)
def test_private_data_in_a_public_answer_is_blocked_and_never_echoed(
    text: str, kind: str, value: str
) -> None:
    checked = check(draft(text, "facebook", public=True), ReplyRules())
    (finding,) = checked.findings
    assert (finding.rule, finding.severity) == ("private_data", "block")
    assert checked.blocked
    assert finding.details == {"kinds": [kind], "count": 1}
    said = " ".join(
        [finding.message_de, finding.message_en, finding.advice_de, finding.advice_en, repr(finding)]
    )
    assert value not in said
    assert "Direktnachricht" in finding.advice_de
    assert "private message" in finding.advice_en


@pytest.mark.parametrize(("text", "kind", "value"), PRIVATE)
def test_private_data_in_a_private_answer_is_fine(text: str, kind: str, value: str) -> None:
    for channel in ("facebook", "whatsapp", "email", "x"):
        assert check(draft(text, channel, public=False), ReplyRules()).findings == []


def test_several_kinds_are_named_once_each() -> None:
    text = "Mail an a@example.de oder b@example.de, IBAN DE89370400440532013000"
    (finding,) = check(draft(text), ReplyRules()).findings
    assert finding.details == {"kinds": ["email", "iban"], "count": 3}
    assert "E-Mail-Adresse, IBAN" in finding.message_de
    assert "e-mail address, IBAN" in finding.message_en


def test_the_tenants_own_contact_details_may_be_public() -> None:
    rules = ReplyRules(public_contact_details=["0800 123 4567", "Service@Example.de"])
    text = "Rufen Sie uns an: 0800 1234567, oder schreiben Sie an service@example.de."
    assert check(draft(text), rules).findings == []
    (finding,) = check(draft(text + " Ihre Nummer 0171 2345678 haben wir."), rules).findings
    assert finding.details == {"kinds": ["phone"], "count": 1}


def test_tenant_kinds_of_private_data() -> None:
    pattern = TenantPattern("customer_number", SafePattern(r"\bKD-\d{8}\b"))
    text = "Zu Ihrer Kundennummer KD-12345678 haben wir alles notiert."
    (finding,) = check(draft(text), ReplyRules(), tenant_patterns=[pattern]).findings
    assert finding.details == {"kinds": ["customer_number"], "count": 1}
    assert "KD-12345678" not in repr(finding)


def test_private_data_as_a_warning_or_off() -> None:
    text = PRIVATE[0][0]
    checked = check(draft(text), ReplyRules(private_data="warn"))
    assert [f.severity for f in checked.findings] == ["warn"]
    assert not checked.blocked
    assert check(draft(text), ReplyRules(private_data="off")).findings == []


# Together ----------------------------------------------------------------------------------------


def test_every_rule_reports_in_order() -> None:
    text = "Leider ist Ihre IBAN DE89 3704 0044 0532 0130 00 falsch. " + "a" * 2000
    checked = check(draft(text, "facebook", public=False, last=timedelta(days=2)), ReplyRules())
    assert [f.rule for f in checked.findings] == ["length", "window", "tone"]  # private: no private_data
    public = check(draft(text, "facebook", public=True, last=timedelta(days=2)), ReplyRules())
    assert [f.rule for f in public.findings] == ["tone", "private_data"]
    assert public.blocked
    for finding in checked.findings + public.findings:
        assert finding.message_de != finding.message_en
        assert finding.advice_de != finding.advice_en
