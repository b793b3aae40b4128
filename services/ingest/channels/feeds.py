"""The feeds channel: RSS and Atom feeds polled on a schedule, their entries heard through listening.

A feed is a channel account with channel "feed", the feed's URL as external_id and, in its settings,
`poll_seconds` (default 300, at least 30). A background task polls each enabled feed when it is due,
with the ETag and Last-Modified of the last answer (a 304 costs nothing), and makes every entry an
unaddressed public post: only entries a monitoring rule matches become messages, and re-polled
entries are de-duplicated by their id. A feed that fails (DNS, HTTP error, garbage, too big) is
logged, counted and retried later, less often while it keeps failing; it never holds up the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import logging
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import feedparser  # type: ignore[import-untyped]
import httpx
from fastapi import APIRouter
from prometheus_client import Counter
from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.ingest import accounts, service
from services.ingest.accounts import Account
from services.ingest.channels.base import Attachment, Author, Inbound, Parsed, text_of
from services.ingest.config import ingest_settings
from services.ingest.listening_models import FeedState
from services.ingest.models import MAX_TEXT
from services.ingest.service import Raw, Source
from services.kit.errors import Unprocessable, WebcareError
from services.kit.events import now
from services.kit.outbound import non_public
from services.kit.runtime import Runtime

log = logging.getLogger(__name__)

CHANNEL = "feed"
USER_AGENT = "Webcare-FeedListener/1.0 (social customer service; polls feeds its tenants registered)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
TIMEOUT_SECONDS = 10.0
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
DEFAULT_POLL_SECONDS = 300
MIN_POLL_SECONDS = 30
MAX_BACKOFF_SECONDS = 3600  # a failing feed is retried at least this often
TICK_SECONDS = 2.0  # how often the task looks for feeds that are due
CONCURRENT_POLLS = 4
MAX_ID = 256  # inbound_messages.external_id
MAX_FIELD = 256

POLLS = Counter(
    "webcare_ingest_feed_polls_total",
    "Feed polls by outcome (fetched, not_modified, unchanged, invalid_url, network, http_<status>, "
    "too_large, not_a_feed, unavailable, failed)",
    ["outcome"],
)

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANKS = re.compile(r"[ \t\r\f\v]+")
_BLOCKS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
     "blockquote", "pre", "hr", "section", "article", "header", "footer"}
)  # fmt: skip
_HIDDEN = frozenset({"script", "style", "template", "noscript"})
_DOCUMENTS = ("application/pdf", "application/msword", "application/vnd.", "text/", "application/rtf")


class FeedError(Exception):
    """A poll that failed, with the outcome it is counted under."""

    def __init__(self, outcome: str, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome


@dataclass(frozen=True)
class PollResult:
    """What one poll of a feed did."""

    outcome: str  # fetched | not_modified | unchanged | an error's outcome
    entries: int = 0
    accepted: int = 0
    duplicates: int = 0
    not_matched: int = 0
    error: str = ""


@dataclass(frozen=True)
class Fetched:
    """A feed's answer with a body."""

    body: bytes
    content_type: str
    etag: str
    last_modified: str

    @property
    def digest(self) -> str:
        """SHA-256 of the body."""
        return hashlib.sha256(self.body).hexdigest()


@dataclass
class FeedEntries:
    """A parsed feed: its entries as posts, and how many entries could not be."""

    items: list[Inbound] = field(default_factory=list)
    ignored: int = 0
    encoding: str = "utf-8"


def feed_url(external_id: str) -> str:
    """The account's feed URL; FeedError("invalid_url") unless it is an absolute http(s) URL."""
    try:
        parts = urlsplit(external_id.strip())
        host = parts.hostname
    except ValueError as exc:
        raise FeedError("invalid_url", f"not a URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise FeedError("invalid_url", "a feed URL is an absolute http or https URL")
    return external_id.strip()


def check_account(external_id: str, settings: dict[str, Any]) -> None:
    """Unprocessable unless a feed account's URL and settings are usable (for registering one)."""
    try:
        feed_url(external_id)
    except FeedError as exc:
        raise Unprocessable(str(exc), code="invalid_feed") from None
    every = settings.get("poll_seconds", DEFAULT_POLL_SECONDS)
    if isinstance(every, bool) or not isinstance(every, int) or every < MIN_POLL_SECONDS:
        raise Unprocessable(
            f"poll_seconds is a whole number of at least {MIN_POLL_SECONDS}", code="invalid_feed"
        )


def poll_seconds(settings: dict[str, Any]) -> int:
    """How often a feed account wants polling (`poll_seconds`, default 300, at least 30)."""
    value = settings.get("poll_seconds", DEFAULT_POLL_SECONDS)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return DEFAULT_POLL_SECONDS
    return max(MIN_POLL_SECONDS, int(value))


def is_due(state: FeedState | None, every: int, at: datetime) -> bool:
    """Whether a feed is due: never polled, or its interval passed (doubled per failure, capped)."""
    if state is None or state.polled_at is None:
        return True
    wait = every * 2 ** min(state.failures, 6) if state.failures else every
    return at - state.polled_at >= timedelta(seconds=min(wait, max(every, MAX_BACKOFF_SECONDS)))


class FeedStateRepository:
    """Every query of the feeds' poll state."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of(self, account_ids: list[str]) -> dict[str, FeedState]:
        """The state of these accounts, by account id."""
        if not account_ids:
            return {}
        query = select(FeedState).where(col(FeedState.channel_account_id).in_(account_ids))
        return {row.channel_account_id: row for row in (await self.session.exec(query)).all()}

    async def claim(self, account: Account, *, at: datetime, due_before: datetime) -> bool:
        """Mark a due feed as polled now; False when another poller did so first."""
        conn = await self.session.connection()
        table = FeedState.__table__  # type: ignore[attr-defined]
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        await conn.execute(
            insert(table)
            .values(_new_state(account))
            .on_conflict_do_nothing(index_elements=[table.c.channel_account_id])
        )
        claimed = await conn.execute(
            update(table)
            .where(
                table.c.channel_account_id == account.id,
                or_(table.c.polled_at.is_(None), table.c.polled_at <= due_before),
            )
            .values(polled_at=at)
        )
        return bool(claimed.rowcount)


def _new_state(account: Account) -> dict[str, Any]:
    return {
        "channel_account_id": account.id,
        "tenant_id": account.tenant_id,
        "etag": "",
        "last_modified": "",
        "body_digest": "",
        "polled_at": None,
        "failures": 0,
        "last_error": "",
    }


async def _state(rt: Runtime, account: Account) -> FeedState:
    async with rt.unit_of_work() as uow:
        found = (await FeedStateRepository(uow.session).of([account.id])).get(account.id)
    return found or FeedState(**_new_state(account))


async def _save(rt: Runtime, state: FeedState) -> None:
    async with rt.unit_of_work() as uow:
        await uow.session.merge(state)


def client(rt: Runtime) -> httpx.AsyncClient:
    """The runtime's HTTP client for feeds (made by `start`, or here on first use)."""
    found = rt.state.get("feeds_client")
    if found is None:
        allow = ingest_settings(rt.settings).feed_allow_private_networks
        found = rt.state["feeds_client"] = make_client(allow_private_networks=allow)
    assert isinstance(found, httpx.AsyncClient)
    return found


def make_client(*, allow_private_networks: bool = False) -> httpx.AsyncClient:
    """An HTTP client for feeds; unless allowed, it refuses hosts on private, loopback, link-local or
    other non-public addresses, on every redirect too, so a tenant's feed URL cannot reach inside."""
    hooks = {} if allow_private_networks else {"request": [_public_only]}
    return httpx.AsyncClient(
        timeout=TIMEOUT_SECONDS,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        event_hooks=hooks,
    )


async def _public_only(request: httpx.Request) -> None:
    problem = await non_public(request.url)
    if problem is None:
        return
    if "cannot be resolved" in problem:
        raise FeedError("network", problem)
    raise FeedError("forbidden_address", f"{problem}: feeds are fetched from the internet only")


async def fetch(http: httpx.AsyncClient, url: str, state: FeedState) -> Fetched | None:
    """The feed's body, or None when the server says it has not changed (304)."""
    headers: dict[str, str] = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    try:
        async with http.stream("GET", url, headers=headers) as response:
            if response.status_code == httpx.codes.NOT_MODIFIED:
                return None
            if not response.is_success:
                raise FeedError(f"http_{response.status_code}", f"the feed answered {response.status_code}")
            announced = response.headers.get("content-length", "")
            if announced.isdigit() and int(announced) > MAX_BODY_BYTES:
                raise FeedError("too_large", f"the feed announces {announced} bytes")
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():  # decompressed: the limit holds for gzip too
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise FeedError("too_large", f"the feed is over {MAX_BODY_BYTES} bytes")
                chunks.append(chunk)
            return Fetched(
                body=b"".join(chunks),
                content_type=response.headers.get("content-type", "")[:128],
                etag=response.headers.get("etag", ""),
                last_modified=response.headers.get("last-modified", ""),
            )
    except httpx.HTTPError as exc:
        raise FeedError("network", f"{type(exc).__name__}: {exc}"[:300]) from None


async def poll_account(rt: Runtime, account: Account, *, http: httpx.AsyncClient | None = None) -> PollResult:
    """Poll one feed account once: take its new matching entries; errors are logged, counted, returned."""
    state = await _state(rt, account)
    started = now()
    try:
        url = feed_url(account.external_id)
        fetched = await fetch(http or client(rt), url, state)
        if fetched is None:
            result = PollResult("not_modified")
        else:
            if fetched.digest == state.body_digest:
                result = PollResult("unchanged")
            else:
                result = await _take(rt, account, url, fetched)
                state.body_digest = fetched.digest
            state.etag = fetched.etag if len(fetched.etag) <= 1024 else ""
            state.last_modified = fetched.last_modified if len(fetched.last_modified) <= 128 else ""
        state.failures, state.last_error = 0, ""
    except (FeedError, WebcareError) as exc:
        outcome = exc.outcome if isinstance(exc, FeedError) else "unavailable"
        log.warning("feed %s of %s failed (%s): %s", account.id, account.tenant_id, outcome, exc)
        result = PollResult(outcome, error=str(exc))
        state.failures += 1
        state.last_error = str(exc)[:500]
    state.polled_at = started
    POLLS.labels(result.outcome).inc()
    await _save(rt, state)
    return result


async def _take(rt: Runtime, account: Account, url: str, fetched: Fetched) -> PollResult:
    entries = await asyncio.to_thread(parse_feed, fetched.body, fetched.content_type, url)
    raw = Raw(
        body=_decoded(fetched.body, entries.encoding), content_type=fetched.content_type or "application/xml"
    )
    parsed = Parsed(messages=entries.items, ignored=entries.ignored)
    outcome = await service.accept(rt, Source.of(account), parsed, raw)
    return PollResult(
        "fetched",
        entries=len(entries.items) + entries.ignored,
        accepted=outcome.accepted,
        duplicates=outcome.duplicates,
        not_matched=outcome.ignored - entries.ignored,
    )


def _decoded(body: bytes, encoding: str) -> str:
    try:
        text = body.decode(encoding or "utf-8")
    except (LookupError, UnicodeDecodeError):
        text = body.decode("utf-8", errors="replace")
    return text.replace("\x00", "\ufffd")  # PostgreSQL text holds no NUL


def parse_feed(body: bytes, content_type: str, url: str) -> FeedEntries:
    """A feed body's entries as unaddressed public posts; FeedError("not_a_feed") for anything else."""
    try:
        result = feedparser.parse(
            io.BytesIO(body), response_headers={"content-type": content_type, "content-location": url}
        )
    except Exception as exc:  # noqa: BLE001 - feedparser on hostile input: the feed fails, not the poller
        raise FeedError("not_a_feed", f"the body cannot be parsed: {type(exc).__name__}") from None
    entries = result.get("entries") or []
    if not result.get("version") and not entries:
        reason = result.get("bozo_exception") or "no RSS or Atom document"
        raise FeedError("not_a_feed", f"not a feed: {reason}"[:300])
    feed = result.get("feed") or {}
    home = _clean(str(feed.get("link") or url))
    found = FeedEntries(encoding=str(result.get("encoding") or "utf-8"))
    for entry in entries:
        item = inbound_of(entry, home)
        if item is None:
            found.ignored += 1
        else:
            found.items.append(item)
    return found


def inbound_of(entry: dict[str, Any], home: str) -> Inbound | None:
    """A feed entry as an unaddressed public post; None when it has no id, link or words."""
    ident = _clean(str(entry.get("id") or entry.get("link") or ""))
    subject = text_of(_plain(str(entry.get("title") or ""), _type_of(entry.get("title_detail"))))
    text = text_of(_body_of(entry))
    if not ident or not (subject or text):
        return None
    if len(ident) > MAX_ID:
        ident = "sha256:" + hashlib.sha256(ident.encode()).hexdigest()
    detail = entry.get("author_detail") or {}
    written_by = _clean(str(entry.get("author") or ""))
    return Inbound(
        external_id=ident,
        conversation_key=f"feed:{ident}",
        author=Author(
            id=(written_by or home)[:MAX_FIELD],
            name=_clean(str(detail.get("name") or written_by))[:MAX_FIELD],
        ),
        text=text[:MAX_TEXT],
        public=True,
        # dict.get: feedparser's own get warns when it maps updated_parsed to published_parsed
        sent_at=_time(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")),
        attachments=list(_attachments(entry.get("enclosures") or [])),
        subject=subject[:1000],
        addressed=False,
        channel=CHANNEL,
    )


def _body_of(entry: dict[str, Any]) -> str:
    for content in entry.get("content") or []:
        value = str(content.get("value") or "")
        if value.strip():
            return _plain(value, str(content.get("type") or ""))
    return _plain(str(entry.get("summary") or ""), _type_of(entry.get("summary_detail")))


def _type_of(detail: Any) -> str:
    return str(detail.get("type") or "") if isinstance(detail, dict) else ""


def _attachments(enclosures: list[Any]) -> Iterator[Attachment]:
    for enclosure in enclosures[:20]:
        if not isinstance(enclosure, dict):
            continue
        href = _clean(str(enclosure.get("href") or ""))
        if not href:
            continue
        mime = _clean(str(enclosure.get("type") or "")).lower()
        length = str(enclosure.get("length") or "")
        yield Attachment(
            kind=_kind(mime),
            mime_type=mime[:MAX_FIELD],
            url=href[:2048],
            name=_file_name(href),
            size=int(length) if length.isdigit() and len(length) < 16 else 0,
        )


def _file_name(href: str) -> str:
    """The last path segment of an enclosure's URL; "" when it is no URL (e.g. "http://[")."""
    if "://" not in href:
        return ""
    try:
        return posixpath.basename(urlsplit(href).path)[:MAX_FIELD]
    except ValueError:
        return ""


def _kind(mime: str) -> str:
    for kind in ("image", "video", "audio"):
        if mime.startswith(kind + "/"):
            return kind
    return "document" if mime.startswith(_DOCUMENTS) else "file"


def _time(value: Any) -> datetime | None:
    try:
        year, month, day, hour, minute, second = value[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _clean(value: str) -> str:
    return _CONTROL.sub("", value).strip()


class _Text(HTMLParser):
    """The text a reader sees in an HTML fragment: no tags, no scripts, blocks on lines of their own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _plain(value: str, mime: str = "text/html") -> str:
    """A feed's text as plain text: HTML stripped (feedparser gives escaped text as HTML too)."""
    if mime == "text/plain":
        text = value
    else:
        parser = _Text()
        parser.feed(value)
        parser.close()
        text = "".join(parser.parts)
    lines = (_BLANKS.sub(" ", line).strip() for line in _CONTROL.sub("", text).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


async def poll_due(rt: Runtime) -> int:
    """Poll every enabled feed that is due, a few at a time; returns how many were polled."""
    feeds = await accounts.of_channel(rt, CHANNEL)
    if not feeds:
        return 0
    at = now()
    async with rt.unit_of_work() as uow:
        states = await FeedStateRepository(uow.session).of([account.id for account in feeds])
    claimed: list[Account] = []
    for account in feeds:
        every = poll_seconds(account.settings)
        if is_due(states.get(account.id), every, at):
            async with rt.unit_of_work() as uow:
                due_before = at - timedelta(seconds=every)
                if await FeedStateRepository(uow.session).claim(account, at=at, due_before=due_before):
                    claimed.append(account)
    gate = asyncio.Semaphore(CONCURRENT_POLLS)

    async def one(account: Account) -> None:
        async with gate:
            try:
                await poll_account(rt, account)
            except Exception:  # one feed's bug or database error never stops the others
                POLLS.labels("failed").inc()
                log.exception("feed %s of %s could not be polled", account.id, account.tenant_id)

    await asyncio.gather(*(one(account) for account in claimed))
    return len(claimed)


async def _run(rt: Runtime) -> None:
    while True:
        await asyncio.sleep(TICK_SECONDS)
        try:
            await poll_due(rt)
        except Exception:  # a failed round (database away) is logged; the next one tries again
            POLLS.labels("failed").inc()
            log.exception("a round of feed polling failed")


def router() -> APIRouter:
    """The feeds routes (none: feeds are registered as channel accounts and polled)."""
    return APIRouter()


async def start(rt: Runtime) -> None:
    """Start polling the feeds."""
    client(rt)
    rt.state["feeds_task"] = asyncio.create_task(_run(rt), name="ingest-feeds")


async def stop(rt: Runtime) -> None:
    """Stop polling and close the HTTP client."""
    task = rt.state.pop("feeds_task", None)
    if isinstance(task, asyncio.Task):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    http = rt.state.pop("feeds_client", None)
    if isinstance(http, httpx.AsyncClient):
        await http.aclose()
