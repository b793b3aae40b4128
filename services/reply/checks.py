"""Checks of an agent's draft answer before it is sent: channel limits, tone and private data.

Each rule is configured per tenant (`ReplyRules`) as `off`, `warn` (the agent sees the finding and may
send anyway) or `block` (the answer cannot be sent as it is):

- `length`: the channel's limit, counted the way the channel counts (`limit_for`). Long public posts
  on X are split into a numbered thread instead (`thread_long_posts`); `Checked.parts` holds the
  posts, whatever the mode.
- `window`: Meta's customer service window on WhatsApp, Messenger and Instagram Direct. 24 hours
  after the customer's last message a free-form answer is no longer delivered: WhatsApp then takes
  only an approved template, Messenger and Instagram a human agent's answer tagged HUMAN_AGENT, up
  to 7 days after the customer's last message, and nothing after that.
- `tone`: negative wording from the tenant's list (German and English built in), reported for the
  agent and returned in `Checked.negative_words` so that coaching can count it per agent.
- `private_data`: personal data in a public answer, found by classify's detectors; the agent is
  advised to continue in a private message.

Every finding carries its message and advice in German and English, and never the private data
itself. The module does no I/O: `check` is a pure function of the draft and the rules.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic import Field as PydanticField

from services.classify.private_data import TenantPattern, detect
from services.kit.text import fold

Mode = Literal["off", "warn", "block"]
Severity = Literal["warn", "block"]
Rule = Literal["length", "window", "tone", "private_data"]
Unit = Literal["weighted", "characters", "bytes"]
Detail = str | int | bool | list[str]

X_POST_LIMIT = 280
X_URL_WEIGHT = 23  # every link is shortened to a t.co link of this length
CUSTOMER_SERVICE_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
MAX_NEGATIVE_WORDS = 500
MAX_CONTACT_DETAILS = 50

# Negative wording flagged when a tenant configures no list of its own. An entry matches whole words
# on folded text: case, umlauts and ß do not matter (an umlaut also matches "ae", "oe", "ue"), and
# the last word may carry an inflection ending (INFLECTIONS) or, with `*`, anything. Several words make
# a phrase.
DEFAULT_NEGATIVE_WORDS_DE = (
    "leider",
    "schlecht",
    "schlimm",
    "schade",
    "unangenehm",
    "bedauer*",
    "problem",
    "schwierig",
    "kompliziert",
    "unmöglich",
    "nicht möglich",
    "das geht nicht",
    "ärger",
    "ärgerlich",
    "nervig",
    "blöd",
    "dummerweise",
    "enttäusch*",
    "katastroph*",
    "mangelhaft",
    "unverschämt",
    "nicht zuständig",
    "keine ahnung",
)
DEFAULT_NEGATIVE_WORDS_EN = (
    "unfortunately",
    "unfortunate",
    "sorry for the inconvenience",
    "inconvenience",
    "regret*",
    "bad news",
    "too bad",
    "badly",
    "terribl*",
    "awful",
    "horribl*",
    "worse",
    "worst",
    "impossible",
    "not possible",
    "unable to",
    "complicated",
    "difficult",
    "annoying",
    "disappoint*",
    "frustrat*",
    "calm down",
    "not our fault",
    "no idea",
    "problem",
)
DEFAULT_NEGATIVE_WORDS = tuple(dict.fromkeys(DEFAULT_NEGATIVE_WORDS_DE + DEFAULT_NEGATIVE_WORDS_EN))

# Endings the last word of an entry may carry: German adjective and noun endings, comparative and
# superlative, English plural and adverb. A bare "n" is left out on purpose: it would make "schade"
# match "Schaden", and "Schadenersatz" is no ending at all. A tenant writes `*` for anything else.
INFLECTIONS = (
    "e", "em", "en", "er", "es",
    "ere", "erem", "eren", "erer", "eres",
    "ste", "stem", "sten", "ster", "stes",
    "este", "estem", "esten", "ester", "estes",
    "s", "ly",
)  # fmt: skip


class ReplyRules(BaseModel):
    """A tenant's checks of draft answers: each rule off, a warning, or a block."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "length": "block",
                    "window": "block",
                    "tone": "warn",
                    "private_data": "block",
                    "negative_words": ["leider", "schlecht*", "unfortunately", "sorry for the inconvenience"],
                    "thread_long_posts": True,
                    "public_contact_details": ["0800 123 456 7", "service@example.de"],
                }
            ]
        },
    )

    length: Mode = PydanticField(
        default="block", description="the channel's length limit (X weighted, Instagram Direct in bytes)"
    )
    window: Mode = PydanticField(
        default="block",
        description="Meta's 24-hour customer service window on WhatsApp, Messenger and Instagram Direct",
    )
    tone: Mode = PydanticField(default="warn", description="negative wording from `negative_words`")
    private_data: Mode = PydanticField(
        default="block", description="personal data (IBAN, card, phone, e-mail, address ...) in public"
    )
    negative_words: list[str] | None = PydanticField(
        default=None,
        max_length=MAX_NEGATIVE_WORDS,
        description="words and phrases of negative wording, matched as whole words ignoring case and "
        "umlauts, the last word with its inflection endings, `*` for the rest of a word; null: the "
        "built-in German and English list",
    )
    thread_long_posts: bool = PydanticField(
        default=True, description="split a public post on X that is too long into a numbered thread"
    )
    public_contact_details: list[str] = PydanticField(
        default_factory=list,
        max_length=MAX_CONTACT_DETAILS,
        description="the tenant's own published contact details (hotline, service address) that a "
        "public answer may name without counting as private data",
    )

    @field_validator("negative_words")
    @classmethod
    def _words(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        words = [" ".join(word.split()) for word in value]
        for word in words:
            if not 1 <= len(word) <= 100 or _entry_regex(word) is None:
                raise ValueError("each negative word has 1 to 100 characters and more than wildcards")
        return list(dict.fromkeys(words))

    @field_validator("public_contact_details")
    @classmethod
    def _contacts(cls, value: list[str]) -> list[str]:
        for item in value:
            if not 3 <= len(_compact(item)) <= 200:
                raise ValueError("each contact detail has 3 to 200 characters")
        return value


@dataclass(frozen=True, kw_only=True)
class Draft:
    """An agent's answer as it would be sent.

    `channel` is ingest's channel name (x, facebook, instagram, whatsapp, email, chat, review, feed);
    `is_public` tells a public post or comment from a private message on the same channel (Messenger
    is `facebook` and not public). Naive datetimes are taken as UTC.
    """

    text: str
    channel: str
    is_public: bool
    now: datetime
    last_customer_message_at: datetime | None = None
    template: str | None = None  # the approved WhatsApp template the answer is sent as
    human_agent_tag: bool = False  # sent with Meta's HUMAN_AGENT message tag


@dataclass(frozen=True)
class Finding:
    """What a rule found, in German and English, with advice; `details` never hold private data."""

    rule: Rule
    severity: Severity
    message_de: str
    message_en: str
    advice_de: str
    advice_en: str
    details: dict[str, Detail] = field(default_factory=dict)


@dataclass(frozen=True)
class Checked:
    """The outcome of `check`.

    `parts` are the messages to send: a numbered thread for a long public post on X, else the text
    as it is. `negative_words` are the list entries found, once per occurrence, for coaching counts.
    """

    findings: list[Finding]
    blocked: bool
    parts: list[str]
    negative_words: list[str]


@dataclass(frozen=True)
class ChannelLimit:
    """How long an answer on a channel may be, and how the channel counts."""

    maximum: int
    unit: Unit
    name_de: str
    name_en: str
    threadable: bool = False

    def measure(self, text: str) -> int:
        """The text's length as the channel counts it."""
        if self.unit == "weighted":
            return x_weighted_length(text)
        if self.unit == "bytes":
            return len(text.encode("utf-8"))
        return len(text)


# By channel and whether the answer is public. Channels that are not here (email, chat, review,
# feed, and any other) have no limit. Meta documents Instagram Direct as "UTF-8 and 1000 bytes or
# less" (elsewhere "less than 1000 characters"): bytes are the stricter reading and are used.
LIMITS: dict[tuple[str, bool], ChannelLimit] = {
    ("x", True): ChannelLimit(X_POST_LIMIT, "weighted", "einen Beitrag auf X", "a post on X", True),
    ("x", False): ChannelLimit(10_000, "characters", "eine Direktnachricht auf X", "a Direct Message on X"),
    ("facebook", False): ChannelLimit(2_000, "characters", "Messenger", "Messenger"),
    ("facebook", True): ChannelLimit(8_000, "characters", "einen Facebook-Kommentar", "a Facebook comment"),
    ("instagram", False): ChannelLimit(1_000, "bytes", "Instagram Direct", "Instagram Direct"),
    ("instagram", True): ChannelLimit(
        2_200, "characters", "einen Instagram-Kommentar", "an Instagram comment"
    ),
    ("whatsapp", False): ChannelLimit(4_096, "characters", "WhatsApp", "WhatsApp"),
    ("whatsapp", True): ChannelLimit(4_096, "characters", "WhatsApp", "WhatsApp"),
}

_UNIT_DE = {"weighted": "Zeichen (nach Gewichtung von X)", "characters": "Zeichen", "bytes": "Bytes"}
_UNIT_EN = {"weighted": "characters (as X weighs them)", "characters": "characters", "bytes": "bytes"}

_KIND_DE = {
    "iban": "IBAN",
    "card_number": "Kartennummer",
    "email": "E-Mail-Adresse",
    "phone": "Telefonnummer",
    "postal_address": "Postanschrift",
    "date_of_birth": "Geburtsdatum",
}
_KIND_EN = {
    "iban": "IBAN",
    "card_number": "card number",
    "email": "e-mail address",
    "phone": "phone number",
    "postal_address": "postal address",
    "date_of_birth": "date of birth",
}


def limit_for(channel: str, is_public: bool) -> ChannelLimit | None:
    """The length limit of answers on a channel, or None where the channel sets none."""
    return LIMITS.get((channel, is_public))


def check(draft: Draft, rules: ReplyRules, *, tenant_patterns: Sequence[TenantPattern] = ()) -> Checked:
    """Check a draft against a tenant's rules; `tenant_patterns` are the tenant's own kinds of
    private data (customer numbers), as classify uses them."""
    findings: list[Finding] = []
    parts = [draft.text]
    limit = limit_for(draft.channel, draft.is_public)
    if limit is not None:
        parts, finding = _length(draft.text, limit, rules)
        findings += [finding] if finding is not None else []
    if (severity := _severity(rules.window)) and (finding := _window(draft, severity)):
        findings.append(finding)
    negative: list[str] = []
    if severity := _severity(rules.tone):
        negative = negative_words_in(draft.text, rules.negative_words)
        if negative:
            findings.append(_tone(negative, severity))
    if (severity := _severity(rules.private_data)) and draft.is_public:
        finding = _private(draft.text, rules.public_contact_details, tenant_patterns, severity)
        findings += [finding] if finding is not None else []
    return Checked(
        findings=findings,
        blocked=any(f.severity == "block" for f in findings),
        parts=parts,
        negative_words=negative,
    )


def _severity(mode: Mode) -> Severity | None:
    return None if mode == "off" else mode


# Length ------------------------------------------------------------------------------------------


def _length(text: str, limit: ChannelLimit, rules: ReplyRules) -> tuple[list[str], Finding | None]:
    actual = limit.measure(text)
    if actual <= limit.maximum:
        return [text], None
    unsplittable = False
    if limit.threadable and rules.thread_long_posts:
        parts = thread(text, limit.maximum)
        if parts is not None:
            return parts, None
        unsplittable = True
    severity = _severity(rules.length)
    if severity is None:
        return [text], None
    unit_de, unit_en = _UNIT_DE[limit.unit], _UNIT_EN[limit.unit]
    details: dict[str, Detail] = {
        "limit": limit.maximum,
        "length": actual,
        "unit": limit.unit,
        "unsplittable": unsplittable,
    }
    if unsplittable:
        return [text], Finding(
            rule="length",
            severity=severity,
            message_de=f"Die Antwort passt nicht in {limit.name_de} und lässt sich nicht in einen Thread "
            f"teilen: Ein Wort ist länger als {limit.maximum} {unit_de}.",
            message_en=f"The answer does not fit {limit.name_en} and cannot be split into a thread: a "
            f"word is longer than {limit.maximum} {unit_en}.",
            advice_de="Kürzen Sie das lange Wort oder setzen Sie Leerzeichen.",
            advice_en="Shorten the long word or break it up with spaces.",
            details=details,
        )
    return [text], Finding(
        rule="length",
        severity=severity,
        message_de=f"Die Antwort hat {actual} {unit_de}, {limit.name_de} erlaubt höchstens {limit.maximum}.",
        message_en=f"The answer has {actual} {unit_en}; {limit.name_en} takes at most {limit.maximum}.",
        advice_de="Kürzen Sie die Antwort oder teilen Sie sie auf mehrere Nachrichten auf.",
        advice_en="Shorten the answer or split it into several messages.",
        details=details,
    )


# X weighs text as twitter-text 3 does (config v3): code points in U+0000-U+10FF (Latin, Greek,
# Cyrillic, Hebrew, Arabic, Indic ...), U+2000-U+200D, U+2010-U+201F and U+2032-U+2037 count 1, all
# others (CJK, most symbols) 2; an emoji counts 2 however many code points it has (skin tones, ZWJ
# sequences, flags, keycaps); a link counts 23. The text is NFC-normalised first. Links are found
# with a scheme, after "www." or as a bare domain under a common top-level domain; twitter-text
# knows every top-level domain, so a bare domain under a rare one counts by its characters here.
_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_TLDS = (
    "com|net|org|info|biz|de|at|ch|li|lu|eu|nl|be|fr|it|es|pt|pl|cz|dk|se|no|fi|uk|ie|us|io|co|app|"
    "shop|online|store|tv|me"
)
_URL = re.compile(
    r"(?:https?://|www\.)\S*\w\S*"
    r"|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:"
    + _TLDS
    + r")(?![\w-])(?::\d{1,5})?(?:/\S*)?",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?'\")]}>»«“”\u2018\u2019"
_EMOJI_BASE = "\U0001f000-\U0001faff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff"
_EMOJI_MOD = "\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
_EMOJI = re.compile(
    "[\U0001f1e6-\U0001f1ff]{2}"
    "|[0-9#*]\ufe0f?\u20e3"
    f"|[{_EMOJI_BASE}][{_EMOJI_MOD}]*(?:\u200d[{_EMOJI_BASE}][{_EMOJI_MOD}]*)*"
)
_TOKEN = re.compile(r"\S+")


def _char_weight(char: str) -> int:
    code = ord(char)
    if code <= 0x10FF:
        return 1
    return 1 if any(low <= code <= high for low, high in _LIGHT) else 2


def _plain_weight(text: str) -> int:
    weight = position = 0
    for match in _EMOJI.finditer(text):
        weight += sum(map(_char_weight, text[position : match.start()])) + 2
        position = match.end()
    return weight + sum(map(_char_weight, text[position:]))


def _token_weight(token: str) -> int:
    """The weight of text without white space (links and emoji never span white space)."""
    token = unicodedata.normalize("NFC", token)
    weight = position = 0
    for match in _URL.finditer(token):
        link = match.group().rstrip(_URL_TRAILING)
        weight += _plain_weight(token[position : match.start()]) + X_URL_WEIGHT
        position = match.start() + len(link)
    return weight + _plain_weight(token[position:])


@dataclass(frozen=True)
class _Layout:
    """A text as tokens (runs without white space) with their weights and the white space before each."""

    spans: list[tuple[int, int]]
    prefix: list[int]  # prefix[i]: weight of the text from the first token up to token i
    gaps: list[int]  # gaps[i]: weight of the white space before token i
    total: int

    def weight(self, first: int, last: int) -> int:
        """Weight of the text from the start of token `first` to the end of token `last`."""
        return self.prefix[last + 1] - self.prefix[first] - self.gaps[first]


def _layout(text: str) -> _Layout:
    spans: list[tuple[int, int]] = []
    prefix, gaps = [0], []
    position = 0
    cache: dict[str, int] = {}
    for match in _TOKEN.finditer(text):
        gap = sum(map(_char_weight, text[position : match.start()]))
        token = match.group()
        weight = cache.get(token)
        if weight is None:
            weight = cache[token] = _token_weight(token)
        spans.append(match.span())
        gaps.append(gap)
        prefix.append(prefix[-1] + gap + weight)
        position = match.end()
    trailing = sum(map(_char_weight, text[position:]))
    return _Layout(spans, prefix, gaps, prefix[-1] + trailing)


def x_weighted_length(text: str) -> int:
    """The length of a post as X counts it (see the weights above); at most 280 fit one post."""
    return _layout(text).total


# A token ending a sentence: ., ! or ? (or …), maybe followed by closing quotes and brackets. Ordinal
# numbers ("3."), initials and abbreviations ("z.B.", "e.g.", "bzw.") do not end one.
_CLOSING = "\"'\u2019”»)]"
_SENTENCE_END = re.compile(r"[.!?…]+[\"'\u2019”»)\]]*$")
_NOT_AN_END = re.compile(
    r"^(?:\d+\.|[a-zäöü]\.(?:[a-zäöü]\.)*|bzw\.|usw\.|ca\.|nr\.|dr\.|hr\.|fr\.|evtl\.|ggf\.|inkl\.|"
    r"zzgl\.|bspw\.|vgl\.|mr\.|mrs\.|ms\.|vs\.|no\.)$",
    re.IGNORECASE,
)


def thread(text: str, limit: int = X_POST_LIMIT) -> list[str] | None:
    """The text as posts of at most `limit` by X's weights, numbered " (1/3)" (counted in the limit).

    Posts break between sentences, and within a sentence that does not fit a post between words;
    never inside a word or a link. A text that fits is returned as it is; None when a single word
    (with its numbering) is too long for a post.
    """
    layout = _layout(text)
    if layout.total <= limit:
        return [text]
    if not layout.spans:
        return None
    for digits in range(1, 8):
        budget = limit - len(" (/)") - 2 * digits
        packed = _pack(text, layout, budget)
        if packed is None:
            return None
        if len(str(len(packed))) <= digits:
            count = len(packed)
            return [
                f"{text[layout.spans[a][0] : layout.spans[b][1]]} ({n}/{count})"
                for n, (a, b) in enumerate(packed, 1)
            ]
    return None  # more than ten million posts


def _sentences(text: str, layout: _Layout) -> list[tuple[int, int]]:
    sentences: list[tuple[int, int]] = []
    first = 0
    last = len(layout.spans) - 1
    for index, (start, end) in enumerate(layout.spans):
        token = text[start:end]
        ends = index == last or "\n" in text[end : layout.spans[index + 1][0]]
        if not ends and _SENTENCE_END.search(token):
            ends = _NOT_AN_END.match(token.rstrip(_CLOSING)) is None
        if ends:
            sentences.append((first, index))
            first = index + 1
    return sentences


def _pack(text: str, layout: _Layout, budget: int) -> list[tuple[int, int]] | None:
    """Token ranges of posts of at most `budget`: whole sentences where they fit, else words."""
    posts: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for first, last in _sentences(text, layout):
        if current is not None and layout.weight(current[0], last) <= budget:
            current = (current[0], last)
            continue
        if layout.weight(first, last) <= budget:
            if current is not None:
                posts.append(current)
            current = (first, last)
            continue
        for index in range(first, last + 1):  # a sentence longer than a post: word by word
            if layout.weight(index, index) > budget:
                return None
            if current is not None and layout.weight(current[0], index) <= budget:
                current = (current[0], index)
            else:
                if current is not None:
                    posts.append(current)
                current = (index, index)
    if current is not None:
        posts.append(current)
    return posts


# Window --------------------------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _window(draft: Draft, mode: Severity) -> Finding | None:
    meta_direct = draft.channel in ("facebook", "instagram") and not draft.is_public
    if not (draft.channel == "whatsapp" or meta_direct) or draft.last_customer_message_at is None:
        return None
    elapsed = max(timedelta(0), _utc(draft.now) - _utc(draft.last_customer_message_at))
    if elapsed < CUSTOMER_SERVICE_WINDOW:
        return None
    hours = int(elapsed.total_seconds() // 3600)
    details: dict[str, Detail] = {
        "hours_since_customer_message": hours,
        "window_hours": int(CUSTOMER_SERVICE_WINDOW.total_seconds() // 3600),
    }
    if draft.channel == "whatsapp":
        if draft.template:
            return None
        return Finding(
            rule="window",
            severity=mode,
            message_de=f"Das 24-Stunden-Fenster von WhatsApp ist geschlossen: Der Kunde hat zuletzt vor "
            f"{hours} Stunden geschrieben.",
            message_en=f"WhatsApp's 24-hour customer service window is closed: the customer last wrote "
            f"{hours} hours ago.",
            advice_de="Senden Sie eine freigegebene Vorlage (Template). Frei formulierte Antworten sind "
            "wieder möglich, sobald der Kunde antwortet.",
            advice_en="Send an approved template message. Free-form answers are possible again once the "
            "customer replies.",
            details={**details, "needs": "template"},
        )
    name = "Messenger" if draft.channel == "facebook" else "Instagram Direct"
    details["human_agent_hours"] = int(HUMAN_AGENT_WINDOW.total_seconds() // 3600)
    if elapsed < HUMAN_AGENT_WINDOW:
        if draft.human_agent_tag:
            return None
        return Finding(
            rule="window",
            severity=mode,
            message_de=f"Das 24-Stunden-Fenster von {name} ist geschlossen: Der Kunde hat zuletzt vor "
            f"{hours} Stunden geschrieben.",
            message_en=f"{name}'s 24-hour messaging window is closed: the customer last wrote {hours} "
            "hours ago.",
            advice_de="Senden Sie die Antwort als persönliche Antwort eines Mitarbeiters (Tag "
            "HUMAN_AGENT); das geht bis 7 Tage nach der letzten Nachricht des Kunden.",
            advice_en="Send the answer as a human agent's reply (HUMAN_AGENT tag), possible up to 7 days "
            "after the customer's last message.",
            details={**details, "needs": "human_agent_tag"},
        )
    return Finding(
        rule="window",
        severity=mode,
        message_de=f"Der Kunde hat zuletzt vor mehr als 7 Tagen geschrieben ({hours} Stunden): {name} "
        "stellt keine Antwort mehr zu, auch nicht mit dem Tag HUMAN_AGENT.",
        message_en=f"The customer last wrote more than 7 days ago ({hours} hours): {name} delivers no "
        "answer any more, not even with the HUMAN_AGENT tag.",
        advice_de="Warten Sie, bis der Kunde wieder schreibt, oder erreichen Sie ihn auf einem anderen "
        "Kanal.",
        advice_en="Wait until the customer writes again, or reach them on another channel.",
        details={**details, "needs": "customer_message"},
    )


# Tone ----------------------------------------------------------------------------------------------

# Typographic apostrophes (right and left quotation mark, modifier letter, accents) read as the plain one.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u00b4`", "'"))
_ENDINGS = "(?:" + "|".join(sorted(INFLECTIONS, key=len, reverse=True)) + ")?"
# An umlaut in an entry also matches its spelling with "e" ("unmöglich" finds "unmoeglich").
_UMLAUTS = {"ä": "(?:a|ae)", "ö": "(?:o|oe)", "ü": "(?:u|ue)", "*": r"\w*"}


def _fold(text: str) -> str:
    """How negative wording is compared: NFKC, one kind of apostrophe, then `kit.text.fold` (case,
    umlauts, ß)."""
    return fold(unicodedata.normalize("NFKC", text).translate(_APOSTROPHES))


def _compact(text: str) -> str:
    return re.sub(r"[\s\-/.()]", "", unicodedata.normalize("NFKC", text).casefold())


def _entry_regex(entry: str) -> str | None:
    """The regex of one entry on folded text, or None for an entry of wildcards only."""
    words = unicodedata.normalize("NFKC", entry).translate(_APOSTROPHES).casefold().split()
    if not "".join(words).strip("*"):
        return None
    parts = ["".join(_UMLAUTS.get(char) or re.escape(char) for char in word) for word in words]
    if not words[-1].endswith("*"):
        parts[-1] += _ENDINGS
    return r"\s+".join(parts)


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    entries: tuple[str, ...]  # by capture group, the first group is entries[0]


@functools.lru_cache(maxsize=256)
def _matcher(words: tuple[str, ...]) -> _Matcher | None:
    compiled = [(entry, regex) for entry in words if (regex := _entry_regex(entry)) is not None]
    if not compiled:
        return None
    # Longer entries first, so that a phrase wins over a word it contains.
    compiled.sort(key=lambda pair: len(pair[0]), reverse=True)
    alternatives = "|".join(f"({regex})" for _, regex in compiled)
    return _Matcher(re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), tuple(e for e, _ in compiled))


def negative_words_in(text: str, words: Sequence[str] | None = None) -> list[str]:
    """The entries of `words` (None: the built-in list) that occur in the text, once per occurrence.

    Entries match whole words of the folded text; the last word of an entry may carry an inflection
    ending ("schlecht" finds "schlechte", "schlechtesten"; "problem" finds "problems") and `*` stands
    for the rest of a word ("enttäusch*" finds "enttäuscht"). "schade" finds neither "Schaden" nor
    "Schadenersatz".
    """
    matcher = _matcher(tuple(DEFAULT_NEGATIVE_WORDS if words is None else words))
    if matcher is None:
        return []
    return [
        matcher.entries[match.lastindex - 1]
        for match in matcher.pattern.finditer(_fold(text))
        if match.lastindex is not None
    ]


def _tone(found: list[str], mode: Severity) -> Finding:
    distinct = list(dict.fromkeys(found))
    listed = ", ".join(f"„{word}“" for word in distinct)
    listed_en = ", ".join(f'"{word}"' for word in distinct)
    return Finding(
        rule="tone",
        severity=mode,
        message_de=f"Negative Formulierung: {listed}.",
        message_en=f"Negative wording: {listed_en}.",
        advice_de="Formulieren Sie positiv: Sagen Sie, was möglich ist, statt was nicht geht.",
        advice_en="Phrase it positively: say what you can do rather than what you cannot.",
        details={"words": distinct, "count": len(found)},
    )


# Private data --------------------------------------------------------------------------------------


def _private(
    text: str, own: Sequence[str], tenant_patterns: Sequence[TenantPattern], severity: Severity
) -> Finding | None:
    allowed = [_compact(item) for item in own]
    kinds: list[str] = []
    for found in detect(text, tenant_patterns):
        value = _compact(text[found.start : found.end])
        if any(value and value in own for own in allowed):
            continue  # the tenant's own hotline or address
        kinds.append(found.kind)
    if not kinds:
        return None
    distinct = sorted(set(kinds))
    names_de = ", ".join(_KIND_DE.get(kind, kind) for kind in distinct)
    names_en = ", ".join(_KIND_EN.get(kind, kind) for kind in distinct)
    return Finding(
        rule="private_data",
        severity=severity,
        message_de=f"Die öffentliche Antwort enthält persönliche Daten ({names_de}).",
        message_en=f"The public answer contains personal data ({names_en}).",
        advice_de="Entfernen Sie die Daten und bitten Sie den Kunden, per Direktnachricht weiterzuschreiben; "
        "persönliche Daten nur dort austauschen.",
        advice_en="Remove the data and ask the customer to continue in a private message; exchange "
        "personal data there only.",
        details={"kinds": distinct, "count": len(kinds)},
    )
