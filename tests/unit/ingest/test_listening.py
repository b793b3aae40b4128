"""Listening: the monitoring query language, rules per tenant over the API, and proactive messages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from webcare.v1 import messages_pb2

from services.ingest import listening
from services.ingest.channels.base import Author, Inbound
from services.ingest.listening import RuleSet, compile_rule, match, match_all
from services.ingest.listening_models import MonitoringRule
from services.ingest.monitoring import MAX_DEPTH, Post, QuerySyntaxError, parse
from services.kit.auth import Role
from services.kit.events import MESSAGE_RECEIVED
from tests.unit.conftest import Api

OTHER_ADMIN = "other-tenant-admin-key-0123456789"


def holds(query: str, text: str) -> bool:
    return parse(query).holds(Post.of(text))


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("telco AND störung", "Telco hat eine Störung", True),
        ("telco AND störung", "Telco ist super", False),
        ("telco UND störung", "Störung bei Telco", True),
        ("kündigung OR widerruf", "Wie geht der Widerruf?", True),
        ("kündigung ODER widerruf", "Hallo zusammen", False),
        ("telco NOT werbung", "Telco Werbung überall", False),
        ("telco NICHT werbung", "Telco Netz weg", True),
        # side by side means AND
        ("telco störung", "Störung bei Telco", True),
        ("telco störung", "Telco ist toll", False),
        # NOT binds tighter than AND, AND tighter than OR
        ("telco kündigung OR wechsel", "Ich will wechseln, nein: wechsel", True),
        ("telco kündigung OR wechsel", "telco", False),
        ("telco NOT spam OR promo", "promo spam", True),
        ("telco NOT spam OR promo", "telco spam", False),
        # parentheses group
        ("telco (kündigung OR wechsel)", "wechsel", False),
        ("telco (kündigung OR wechsel)", "Telco: wechsel jetzt", True),
        ("NOT (spam OR promo) telco", "telco promo", False),
        # operators are capitals; in lower case they are words
        ("nicht erreichbar", "Hotline erreichbar", False),
        ("nicht erreichbar", "Hotline nicht erreichbar", True),
        ("telco or", "telco", False),
        # phrases: consecutive words, straight or typographic quotes
        ('"phone contract"', "I want a phone contract", True),
        ('"phone contract"', "a contract for my phone", False),
        ("„kein Netz“", "Seit gestern KEIN netz!", True),
        ('"handy vertrag*"', "Handy Vertragsverlängerung", True),
        # suffix wildcards
        ("vertrag*", "Vertragsende naht", True),
        ("vertrag*", "Verträge", True),
        ("vertrag*", "Mietvertrag", False),
        # whole words only
        ("netz", "Netzausfall", False),
        ("netz", "kein Netz.", True),
        # hashtags and handles
        ("#telcofail", "Wieder mal #TelcoFail", True),
        ("#telcofail", "telcofail", False),
        ("telco", "#telco", True),
        ("telco", "@Telco hilfe", True),
        ("@telco", "#telco", False),
        ("@telco", "@TELCO", True),
        ("@telco", "info@telco.de", False),
        ("telco", "info@telco.de", True),
        # folding: case, umlauts, ß, composed or not
        ("kündigung", "KÜNDIGUNG", True),
        ("kundigung", "Kündigung", True),
        ("straße", "STRASSE", True),
        ("kündigung", "Ku\u0308ndigung", True),
        # brand and product names with signs inside
        ("t-mobile", "Wechsel von T-Mobile", True),
        ('"iphone 15"', "Mein iPhone 15 ist da 📱", True),
    ],
)
def test_the_query_language(query: str, text: str, expected: bool) -> None:
    assert holds(query, text) is expected


@pytest.mark.parametrize(
    ("query", "position", "reason"),
    [
        ("", 0, "empty"),
        ("(telco", 0, "( is not closed"),
        ("telco)", 5, ") without its ("),
        ("telco AND", 9, "ends where a term belongs (after AND)"),
        ("OR telco", 0, "OR needs a term before it"),
        ("telco OR ODER netz", 9, "a term belongs after OR, not ODER"),
        ('telco "kein netz', 6, "phrase is not closed"),
        ("ver*trag", 3, "may only end a word"),
        ("x*", 0, "at least 2 letters"),
        ("()", 0, "empty parentheses"),
        ("telco #", 6, "has no letter or digit"),
        ("NOT spam", 0, "without any of its terms"),
        ("telco OR NICHT spam", 0, "without any of its terms"),
        ("(" * 30 + "telco" + ")" * 30, MAX_DEPTH + 1, "nests deeper"),
    ],
)
def test_a_query_that_does_not_parse_says_where_and_why(query: str, position: int, reason: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse(query)
    assert raised.value.position == position
    assert reason in raised.value.reason


def rule(name: str, query: str, **fields: Any) -> MonitoringRule:
    at = datetime(2026, 11, 24, tzinfo=UTC)
    return MonitoringRule(
        id=name, tenant_id="t", name=name, query=query, created_at=at, updated_at=at, **fields
    )


def rules(*rows: MonitoringRule) -> RuleSet:
    watches = tuple(w for w in map(compile_rule, sorted(rows, key=lambda r: (r.priority, r.name))) if w)
    languages = frozenset(code for watch in watches for code in watch.languages)
    return RuleSet(stamp="s", watches=watches, languages=languages)


def post(text: str, *, channel: str = "x", subject: str = "") -> Inbound:
    return Inbound(
        external_id="1",
        conversation_key="c",
        author=Author(id="a"),
        text=text,
        public=True,
        subject=subject,
        addressed=False,
        channel=channel,
    )


def test_an_exclusion_vetoes_a_match() -> None:
    found = rules(rule("Wechsel", "handyvertrag", exclusions=["gewinnspiel", '"zu gewinnen"', "#ad"]))
    assert match(found, post("Suche Handyvertrag"), None) is not None
    assert match(found, post("Handyvertrag zu gewinnen!"), None) is None
    assert match(found, post("Handyvertrag", subject="Großes Gewinnspiel"), None) is None
    assert match(found, post("Handyvertrag #ad"), None) is None
    assert match(found, post("Handyvertrag ad"), None) is not None


def test_the_subject_counts_as_text() -> None:
    found = rules(rule("Störung", "telco störung"))
    assert match(found, post("ist das bei euch auch so?", subject="Telco Störung"), None) is not None


async def test_a_language_filter_takes_only_posts_in_its_languages() -> None:
    found = rules(rule("Nur Deutsch", "telco", languages=["de"]))
    detector = await listening.detector(found.languages)
    german = post("Telco hat schon wieder eine Störung im ganzen Netz, das ist wirklich ärgerlich")
    english = post("Telco has an outage again across the whole network, this is really annoying")
    dutch = post("Telco heeft weer een storing in het hele netwerk, dat is echt vervelend")
    assert match(found, german, detector) is not None
    assert match(found, english, detector) is None
    assert match(found, dutch, detector) is None


def test_languages_are_detected_only_for_a_matching_rule_that_filters_by_language() -> None:
    class NoDetector:
        def detect_language_of(self, text: str) -> None:
            raise AssertionError("the language was detected although no rule needed it")

    found = rules(rule("Alle", "telco"), rule("Deutsch", "kündigung", languages=["de"]))
    result = match(found, post("Telco ist super"), NoDetector())  # type: ignore[arg-type]
    assert result is not None and result.rules == ("Alle",)


def test_a_channel_filter_takes_only_posts_of_its_channels() -> None:
    found = rules(rule("Nur X", "telco", channels=["x", "feed"]))
    assert match(found, post("telco", channel="x"), None) is not None
    assert match(found, post("telco", channel="feed"), None) is not None
    assert match(found, post("telco", channel="facebook"), None) is None
    assert match(found, post("telco", channel=""), None) is None


def test_a_match_names_every_rule_in_priority_order_and_is_a_lead_if_any_rule_is() -> None:
    found = rules(
        rule("Marke", "telco", priority=50),
        rule("Wechselwillige", "suche* AND (handyvertrag OR tarif)", priority=10, lead=True),
        rule("Anderes", "kündigung", priority=1, lead=True),
    )
    result = match(found, post("Ich suche einen Tarif bei Telco"), None)
    assert result is not None
    assert result.rules == ("Wechselwillige", "Marke")
    assert result.lead is True
    plain = match(found, post("Telco"), None)
    assert plain is not None and plain.lead is False


async def create(api: Api, key: str | None = None, **body: Any) -> dict[str, Any]:
    fields = {"name": "Marke", "query": "telco", **body}
    response = await api.call("POST", "/v1/monitoring-rules", json=fields, **({"key": key} if key else {}))
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    assert response.headers["location"] == f"/v1/monitoring-rules/{result['id']}"
    return result


async def test_rules_are_created_listed_replaced_and_deleted(api: Api) -> None:
    created = await create(
        api,
        name="Wechselwillige",
        query='suche* AND (handyvertrag OR tarif) OR "looking for" AND "phone contract"',
        exclusions=["gewinnspiel"],
        languages=["DE", "en"],
        channels=["x", "feed"],
        lead=True,
        priority=10,
    )
    assert created["languages"] == ["de", "en"] and created["channels"] == ["feed", "x"]
    assert created["lead"] is True and created["enabled"] is True
    await create(api, name="Marke", priority=50)
    listed = await api.call("GET", "/v1/monitoring-rules")
    assert [item["name"] for item in listed.json()["items"]] == ["Wechselwillige", "Marke"]
    replaced = await api.call(
        "PUT", f"/v1/monitoring-rules/{created['id']}", json={"name": "Wechsel", "query": "tarif*"}
    )
    assert replaced.status_code == 200, replaced.text
    shown = (await api.call("GET", f"/v1/monitoring-rules/{created['id']}")).json()
    assert shown["name"] == "Wechsel" and shown["query"] == "tarif*"
    assert shown["lead"] is False and shown["languages"] == [] and shown["exclusions"] == []
    assert (await api.call("DELETE", f"/v1/monitoring-rules/{created['id']}")).status_code == 204
    assert (await api.call("GET", f"/v1/monitoring-rules/{created['id']}")).status_code == 404


async def test_a_name_is_unique_per_tenant(api: Api) -> None:
    first = await create(api, name="Marke")
    second = await create(api, name="Störung", query="störung")
    again = await api.call("POST", "/v1/monitoring-rules", json={"name": "Marke", "query": "x1"})
    assert again.status_code == 409, again.text
    renamed = await api.call(
        "PUT", f"/v1/monitoring-rules/{second['id']}", json={"name": "Marke", "query": "a1"}
    )
    assert renamed.status_code == 409, renamed.text
    same = await api.call("PUT", f"/v1/monitoring-rules/{first['id']}", json={"name": "Marke", "query": "b1"})
    assert same.status_code == 200, same.text
    api.add_key(OTHER_ADMIN, tenant="other", role=Role.admin)
    await create(api, key=OTHER_ADMIN, name="Marke")


async def test_another_tenants_rule_is_not_found(api: Api) -> None:
    mine = await create(api, name="Marke")
    api.add_key(OTHER_ADMIN, tenant="other", role=Role.admin)
    path = f"/v1/monitoring-rules/{mine['id']}"
    assert (await api.call("GET", path, key=OTHER_ADMIN)).status_code == 404
    put = await api.call("PUT", path, key=OTHER_ADMIN, json={"name": "Meins", "query": "telco"})
    assert put.status_code == 404
    assert (await api.call("DELETE", path, key=OTHER_ADMIN)).status_code == 404
    assert (await api.call("GET", "/v1/monitoring-rules", key=OTHER_ADMIN)).json()["items"] == []
    assert (await api.call("GET", path)).status_code == 200


async def test_supervisors_manage_rules_and_agents_may_not(api: Api) -> None:
    api.add_key("supervisor-key-0123456789-abc", tenant="acme", role=Role.supervisor)
    api.add_key("agent-key-0123456789-abcdefg", tenant="acme", role=Role.agent)
    await create(api, key="supervisor-key-0123456789-abc")
    denied = await api.call("GET", "/v1/monitoring-rules", key="agent-key-0123456789-abcdefg")
    assert denied.status_code == 403


async def test_a_query_syntax_error_is_a_422_with_position_and_reason(api: Api) -> None:
    bad = await api.call("POST", "/v1/monitoring-rules", json={"name": "Kaputt", "query": "telco AND (netz"})
    assert bad.status_code == 422, bad.text
    [problem] = bad.json()["detail"]
    assert problem["field"] == "query"
    assert problem["problem"] == "position 10: a ( is not closed"
    for body in (
        {"name": "x", "query": "telco", "exclusions": ["*"]},
        {"name": "x", "query": "telco", "languages": ["xx"]},
        {"name": "x", "query": "telco", "channels": ["Fax!"]},
    ):
        refused = await api.call("POST", "/v1/monitoring-rules", json=body)
        assert refused.status_code == 422, refused.text


async def test_match_all_asks_the_database_once_per_call_and_sees_changes(api: Api) -> None:
    rule_ = await create(api, name="Marke", query="telco")
    await create(api, name="Aus", query="netz", enabled=False)
    rt = api.app.state.runtimes["ingest"]
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    items = [post(f"Telco Beitrag {i}") for i in range(300)] + [post("Netz weg")]
    event.listen(rt.db.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with rt.db.sessions() as session:
            first = await match_all(session, "acme", items)
            statements.clear()
            again = await match_all(session, "acme", items)
            assert len(statements) == 1, statements
    finally:
        event.remove(rt.db.engine.sync_engine, "before_cursor_execute", count)
    assert first == again
    assert all(m is not None and m.rules == ("Marke",) for m in first[:300]) and first[300] is None
    await api.call("PUT", f"/v1/monitoring-rules/{rule_['id']}", json={"name": "Marke", "query": "netz"})
    async with rt.db.sessions() as session:
        changed = await match_all(session, "acme", items)
    assert changed[0] is None and changed[300] is not None


async def test_a_matching_unaddressed_rest_post_is_a_proactive_lead(api: Api) -> None:
    await create(
        api, name="Wechselwillige", query="suche* AND (handyvertrag OR tarif)", lead=True, priority=1
    )
    await create(api, name="Marke", query="telco")
    body = {
        "channel": "x",
        "external_id": "1861000000000000001",
        "author": {"id": "42", "handle": "@jana"},
        "text": "Ich suche einen neuen Tarif, ist Telco gut? 🤔",
        "public": True,
        "addressed": False,
    }
    response = await api.call("POST", "/v1/messages", json=body)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "accepted" and response.json()["id"]
    [received] = api.published(MESSAGE_RECEIVED)
    assert isinstance(received, messages_pb2.MessageReceived)
    assert received.proactive is True
    assert list(received.monitoring_rules) == ["Wechselwillige", "Marke"]
    assert received.lead is True
    assert received.text == body["text"]


async def test_an_unaddressed_rest_post_no_rule_matches_is_not_taken(api: Api) -> None:
    await create(api, name="Marke", query="telco")
    body = {
        "channel": "x",
        "external_id": "1861000000000000002",
        "author": {"id": "43"},
        "text": "Schönes Wetter heute",
        "public": True,
        "addressed": False,
    }
    response = await api.call("POST", "/v1/messages", json=body)
    assert response.status_code == 202, response.text
    assert response.json() == {"id": None, "status": "not_matched", "duplicate": False}
    assert api.published(MESSAGE_RECEIVED) == []


QUERY_PIECES = st.sampled_from(
    ["telco", "Kündigung", "AND", "OR", "NOT", "UND", "ODER", "NICHT", "(", ")", '"', "„", "“", "#", "@",
     "*", "vertrag*", "#TelcoFail", "@telco", " ", "-", "ß", "😀", "\u202e", "\x00", "ab*c", "''"]
)  # fmt: skip
QUERIES = st.one_of(
    st.text(max_size=120),
    st.lists(QUERY_PIECES, max_size=40).map(" ".join),
    st.lists(QUERY_PIECES, max_size=40).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(query=QUERIES, text=st.text(max_size=200))
def test_random_queries_parse_or_fail_cleanly_and_never_crash_a_match(query: str, text: str) -> None:
    try:
        parse(query).holds(Post.of(text))
    except QuerySyntaxError as exc:
        error: QuerySyntaxError | None = exc
    else:
        error = None
    assert error is None or (0 <= error.position <= len(query) and error.reason)


async def test_random_queries_through_the_api_are_a_rule_or_a_422(api: Api) -> None:
    queries: list[str] = []

    @settings(max_examples=60, deadline=None)
    @given(query=QUERIES)
    def collect(query: str) -> None:
        queries.append(query)

    collect()
    for i, query in enumerate(queries):
        response = await api.call("POST", "/v1/monitoring-rules", json={"name": f"r{i}", "query": query})
        assert response.status_code in (201, 422), (query, response.text)
