"""Feeds: RSS and Atom polled from a local HTTP server; only entries a monitoring rule matches are taken."""

from __future__ import annotations

import pathlib
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select
from webcare.v1 import messages_pb2

from services.ingest import accounts
from services.ingest.accounts import Account
from services.ingest.channels import feeds
from services.ingest.channels.feeds import (
    FeedError,
    check_account,
    is_due,
    parse_feed,
    poll_account,
    poll_due,
    poll_seconds,
)
from services.ingest.listening_models import FeedState
from services.kit.errors import Unprocessable
from services.kit.events import MESSAGE_RECEIVED
from services.kit.runtime import Runtime
from tests.unit.conftest import Api, eventually

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "ingest" / "feeds"
RSS = (FIXTURES / "rss2.xml").read_bytes()
ATOM = (FIXTURES / "atom.xml").read_bytes()
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml"


@dataclass
class Route:
    """What the server answers on a path."""

    body: bytes
    status: int = 200
    content_type: str = RSS_TYPE
    etag: str = ""
    last_modified: str = ""


@dataclass
class FeedServer:
    """A small HTTP server on 127.0.0.1 (in a thread) that answers each path as the test says."""

    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = server.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            self.end_headers()  # no Content-Length: the body ends when the connection closes
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[FeedServer]:
    served = FeedServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(served))
    served.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
async def rt(api: Api) -> AsyncIterator[Runtime]:
    """Ingest's runtime with the feed task stopped: the test alone decides when feeds are polled."""
    ingest: Runtime = api.app.state.runtimes["ingest"]
    await feeds.stop(ingest)
    yield ingest
    await feeds.stop(ingest)  # closes the client the test's polls made


async def add_rules(api: Api) -> None:
    for body in (
        {
            "name": "Wechselwillige",
            "query": 'suche* AND (handyvertrag OR tarif) OR "looking for" AND "phone contract"',
            "exclusions": ["gewinnspiel"],
            "lead": True,
            "priority": 10,
        },
        {"name": "Störungen", "query": "#telcofail OR telco AND (netzausfall OR störung)", "priority": 20},
    ):
        response = await api.call("POST", "/v1/monitoring-rules", json=body)
        assert response.status_code == 201, response.text


async def feed_account(api: Api, url: str, **settings: Any) -> Account:
    created = await api.channel_account("feed", url, settings=settings)
    ingest: Runtime = api.app.state.runtimes["ingest"]
    [account] = [a for a in await accounts.of_channel(ingest, "feed") if a.id == created["id"]]
    return account


def received(api: Api) -> dict[str, messages_pb2.MessageReceived]:
    events = api.published(MESSAGE_RECEIVED)
    return {e.external_id: e for e in events if isinstance(e, messages_pb2.MessageReceived)}


async def test_only_matching_entries_of_an_rss_and_an_atom_feed_are_published(
    api: Api, rt: Runtime, server: FeedServer
) -> None:
    await add_rules(api)
    server.routes["/rss"] = Route(RSS)
    server.routes["/atom"] = Route(ATOM, content_type=ATOM_TYPE)
    rss = await feed_account(api, server.url("/rss"))
    atom = await feed_account(api, server.url("/atom"))

    first = await poll_account(rt, rss)
    second = await poll_account(rt, atom)

    assert (first.outcome, first.entries, first.accepted, first.not_matched) == ("fetched", 4, 2, 2)
    assert (second.outcome, second.entries, second.accepted, second.not_matched) == ("fetched", 2, 1, 1)
    events = received(api)
    assert set(events) == {
        "https://forum.example.de/t/4711",
        "forum.example.de-4712",
        "tag:gadgets.example.com,2026:3.2397",
    }
    wants = events["https://forum.example.de/t/4711"]
    assert wants.channel == "feed" and wants.is_public and wants.proactive and wants.lead
    assert list(wants.monitoring_rules) == ["Wechselwillige"]
    assert wants.conversation_key == "feed:https://forum.example.de/t/4711"
    assert wants.subject == "Suche neuen Handyvertrag \u2013 Erfahrungen?"
    assert wants.text == (
        "Ich suche einen neuen Handyvertrag mit viel Datenvolumen.\n\n"
        "Hat jemand Erfahrungen mit dem Tarif von Telco? Grüße aus Köln 👋"
    )
    assert wants.author.name == "Karla Kunde" and wants.author.external_id == "karla@example.de (Karla Kunde)"
    assert wants.sent_at.ToDatetime(UTC) == datetime(2026, 11, 23, 8, 15, tzinfo=UTC)
    assert wants.channel_account_id == rss.id
    outage = events["forum.example.de-4712"]
    assert list(outage.monitoring_rules) == ["Störungen"] and not outage.lead
    assert "<" not in outage.text and "track()" not in outage.text and "#TelcoFail" in outage.text
    assert outage.author.name == "Ben Berger"
    [photo] = outage.attachments
    assert (photo.kind, photo.mime_type, photo.size) == ("image", "image/jpeg", 48213)
    assert photo.url == "https://forum.example.de/uploads/netzkarte.jpg"
    contract = events["tag:gadgets.example.com,2026:3.2397"]
    assert contract.lead and contract.subject == "Looking for a new phone contract"
    assert contract.author.name == "Mark Pilgrim"
    assert contract.sent_at.ToDatetime(UTC) == datetime(2026, 11, 23, 13, 29, 29, tzinfo=UTC)
    assert [(a.kind, a.size) for a in contract.attachments] == [("audio", 1337)]
    assert contract.text.startswith("[Update: we are still looking for advice.]")
    assert server.requests[0][1]["user-agent"].startswith("Webcare")


async def test_a_repoll_publishes_nothing_new_and_an_etag_gets_a_304(
    api: Api, rt: Runtime, server: FeedServer
) -> None:
    await add_rules(api)
    server.routes["/rss"] = Route(RSS, etag='"v1"', last_modified="Mon, 23 Nov 2026 09:41:01 GMT")
    account = await feed_account(api, server.url("/rss"))
    assert (await poll_account(rt, account)).accepted == 2

    again = await poll_account(rt, account)

    assert again.outcome == "not_modified"
    assert server.requests[-1][1]["if-none-match"] == '"v1"'
    assert server.requests[-1][1]["if-modified-since"] == "Mon, 23 Nov 2026 09:41:01 GMT"
    assert len(received(api)) == 2

    server.routes["/rss"] = Route(RSS)  # a server without validators sends the same body again
    unchanged = await poll_account(rt, account)
    assert unchanged.outcome == "unchanged" and len(received(api)) == 2

    newer = RSS.replace(
        b"  </channel>",
        b"<item><title>Tarif gesucht</title><description>Suche Tarif mit 5G</description>"
        b"<guid>https://forum.example.de/t/4715</guid></item></channel>",
    )
    server.routes["/rss"] = Route(newer, etag='"v2"')
    changed = await poll_account(rt, account)
    assert (changed.outcome, changed.accepted, changed.duplicates) == ("fetched", 1, 2)
    assert len(received(api)) == 3 and "https://forum.example.de/t/4715" in received(api)


async def test_feeds_on_non_public_addresses_are_refused_unless_allowed(
    api: Api, rt: Runtime, server: FeedServer
) -> None:
    await add_rules(api)
    server.routes["/rss"] = Route(RSS)
    inside = await feed_account(api, server.url("/rss"))  # 127.0.0.1: a stand-in for the cluster's inside
    metadata = await feed_account(api, "http://169.254.169.254/latest/meta-data/")
    guarded = feeds.make_client(allow_private_networks=False)
    try:
        for account in (inside, metadata):
            result = await poll_account(rt, account, http=guarded)
            assert result.outcome == "forbidden_address", result
        allowed = await poll_account(rt, inside, http=feeds.make_client(allow_private_networks=True))
        assert allowed.outcome == "fetched"
    finally:
        await guarded.aclose()
    assert [path for path, _ in server.requests] == ["/rss"]  # the refused poll never reached it


async def test_a_broken_feed_does_not_stop_the_next_one(
    api: Api, rt: Runtime, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feeds, "MAX_BODY_BYTES", 64 * 1024)
    await add_rules(api)
    server.routes["/500"] = Route(b"oops", status=500, content_type="text/plain")
    server.routes["/garbage"] = Route(b"<html><body>Wartungsarbeiten</body></html>", content_type="text/html")
    server.routes["/huge"] = Route(RSS + b" " * (100 * 1024))
    server.routes["/good"] = Route(RSS)
    broken = {
        "http_500": await feed_account(api, server.url("/500")),
        "not_a_feed": await feed_account(api, server.url("/garbage")),
        "too_large": await feed_account(api, server.url("/huge")),
        "network": await feed_account(api, "http://127.0.0.1:1/refused"),
    }
    good = await feed_account(api, server.url("/good"))

    assert await poll_due(rt) == 5

    assert {e.channel_account_id for e in received(api).values()} == {good.id}
    async with rt.db.sessions() as session:
        states = {s.channel_account_id: s for s in (await session.exec(select(FeedState))).all()}
    assert states[good.id].failures == 0 and states[good.id].body_digest
    for account in broken.values():
        assert states[account.id].failures == 1 and states[account.id].last_error
    for outcome, account in broken.items():
        assert (await poll_account(rt, account)).outcome == outcome
    assert await poll_due(rt) == 0  # none is due again yet


async def test_the_started_task_polls_feeds_on_its_own(api: Api, server: FeedServer) -> None:
    await add_rules(api)
    server.routes["/atom"] = Route(ATOM, content_type=ATOM_TYPE)
    await api.channel_account("feed", server.url("/atom"), settings={"poll_seconds": 60})

    async def heard() -> bool:
        return "tag:gadgets.example.com,2026:3.2397" in received(api)

    await eventually(heard, seconds=15)


def test_a_feed_is_due_by_its_interval_and_backs_off_while_failing() -> None:
    at = datetime(2026, 11, 24, 12, tzinfo=UTC)

    def state(seconds_ago: int, failures: int = 0) -> FeedState:
        return FeedState(channel_account_id="a", tenant_id="t", polled_at=at - timedelta(seconds=seconds_ago),
                         failures=failures)  # fmt: skip

    assert is_due(None, 300, at)
    assert not is_due(state(299), 300, at) and is_due(state(300), 300, at)
    assert not is_due(state(500, failures=1), 300, at) and is_due(state(600, failures=1), 300, at)
    assert not is_due(state(3599, failures=9), 300, at) and is_due(state(3600, failures=9), 300, at)
    assert poll_seconds({}) == 300 and poll_seconds({"poll_seconds": 5}) == 30
    assert poll_seconds({"poll_seconds": "soon"}) == 300 and poll_seconds({"poll_seconds": 90}) == 90


@pytest.mark.parametrize(
    ("url", "settings", "valid"),
    [
        ("https://forum.example.de/rss", {}, True),
        ("http://forum.example.de/feed.atom", {"poll_seconds": 30}, True),
        ("ftp://forum.example.de/rss", {}, False),
        ("file:///etc/passwd", {}, False),
        ("forum.example.de/rss", {}, False),
        ("https:///rss", {}, False),
        ("http://[::1", {}, False),
        ("https://forum.example.de/rss", {"poll_seconds": 29}, False),
        ("https://forum.example.de/rss", {"poll_seconds": "300"}, False),
    ],
)
def test_a_feed_account_needs_an_http_url_and_a_sane_interval(
    url: str, settings: dict[str, Any], valid: bool
) -> None:
    try:
        check_account(url, settings)
    except Unprocessable:
        accepted = False
    else:
        accepted = True
    assert accepted is valid


BODIES = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=2000).map(str.encode),
    st.tuples(st.integers(0, len(RSS)), st.integers(0, len(RSS)), st.binary(max_size=50)).map(
        lambda cut: RSS[: cut[0]] + cut[2] + RSS[cut[1] :]
    ),
    st.tuples(st.integers(0, len(ATOM)), st.text(max_size=80)).map(
        lambda cut: ATOM[: cut[0]] + cut[1].encode() + ATOM[cut[0] :]
    ),
)


def test_an_enclosure_whose_url_cannot_be_parsed_is_kept_without_a_file_name() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://f.example</link>'
        b"<item><guid>g1</guid><title>Telco Ausfall</title><description>Netz weg</description>"
        b'<enclosure url="http://[" type="image/png" length="12"/></item></channel></rss>'
    )
    (item,) = parse_feed(rss, "application/rss+xml", "https://f.example/rss").items
    assert [(a.kind, a.url, a.name) for a in item.attachments] == [("image", "http://[", "")]


@settings(max_examples=300, deadline=None)
@given(
    body=BODIES,
    content_type=st.sampled_from(["application/xml", "text/html", "", "text/xml; charset=latin1"]),
)
def test_random_bodies_are_a_feed_or_not_a_feed(body: bytes, content_type: str) -> None:
    try:
        found = parse_feed(body, content_type, "https://feeds.example/x")
    except FeedError as exc:
        outcome = exc.outcome
    else:
        outcome = "fetched"
        assert all(item.external_id and not item.addressed for item in found.items)
    assert outcome in ("fetched", "not_a_feed")


async def test_random_feed_bodies_never_crash_the_poller(api: Api, rt: Runtime, server: FeedServer) -> None:
    bodies: list[bytes] = []

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(body=BODIES)
    def collect(body: bytes) -> None:
        bodies.append(body)

    collect()
    await add_rules(api)
    account = await feed_account(api, server.url("/random"))
    for body in bodies:
        server.routes["/random"] = Route(body, content_type="application/xml")
        result = await poll_account(rt, account)
        assert result.outcome in ("fetched", "unchanged", "not_a_feed"), result
