"""The live chat: a website widget's visitor sessions and the WebSocket that carries both directions.

A widget is a channel account (channel "chat", external id = widget id) with the secret
`session_secret`, which signs visitor tokens; `settings.allowed_origins` (a list) limits the sites it
may run on. The visitor's messages come in over the socket and are accepted like any channel's
(de-duplicated by the widget's `client_id`, so a resend after a reconnect is safe); agent replies
(`ReplySent` on channel "chat") are stored numbered per session and go out on every socket of the
session, from the `after` the widget names on (re)connect, then live.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response, WebSocket, WebSocketDisconnect, status
from prometheus_client import Counter, Gauge
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic import Field as PydanticField
from sqlalchemy import event as sa_event
from starlette.websockets import WebSocketState
from webcare.v1 import replies_pb2

from services.ingest import accounts
from services.ingest.accounts import Account
from services.ingest.channels.base import (
    DELIVERIES,
    Attachment,
    Author,
    Inbound,
    Parsed,
    hmac_sha256,
    text_of,
)
from services.ingest.channels.chat_tables import ChatReply, ChatRepository, ChatSession
from services.ingest.models import MAX_TEXT
from services.ingest.service import Raw, Source, UnknownAccount, accept, counted
from services.kit.deps import runtime
from services.kit.errors import Forbidden, NotFound, Unauthenticated, WebcareError
from services.kit.events import now, rfc3339, to_datetime
from services.kit.runtime import Runtime
from services.kit.uow import UnitOfWork

log = logging.getLogger(__name__)

CHANNEL = "chat"
SESSION_SECRET = "session_secret"  # noqa: S105 - the name of the account's secret, not a secret
TOKEN_TTL = timedelta(hours=24)
RESUME_WINDOW = timedelta(days=30)  # how long after expiry a token may still resume its session
MAX_TOKEN = 2048
MAX_CLIENT_ID = 128
MAX_FRAME_CHARS = 1_000_000  # room for 64 Ki characters of text even when every one is JSON-escaped
POLL_SECONDS = 0.75  # how often sockets look for replies a consumer on another replica stored
FALLBACK_SECONDS = 10.0  # a socket looks on its own this often, should a wake-up ever be missed
PAGE = 100
CLOSE_POLICY = 1008  # origin not allowed, bad `after`
CLOSE_ERROR = 1011
CLOSE_RESTART = 1012
SUBPROTOCOL = "webcare.chat.v1"
CLOSE_TOKEN = 4401  # bad or expired token: open the session again (POST /v1/chat/sessions) and reconnect

REPLIES = Counter(
    "webcare_ingest_chat_replies_total",
    "Agent replies for chat sessions by outcome (stored, duplicate, unknown_session)",
    ["outcome"],
)
SOCKETS = Gauge("webcare_ingest_chat_sockets", "Chat sockets open in this process")

RuntimeDep = Annotated[Runtime, Depends(runtime("ingest"))]


class VisitorIn(BaseModel):
    """What the visitor typed into the widget: shown to agents, never verified."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = PydanticField(default=None, max_length=256)
    email: str | None = PydanticField(default=None, max_length=256, pattern=r"^[^@\s]+@[^@\s]+$")


class SessionIn(BaseModel):
    """A widget opening a visitor's chat session, or resuming one with the session's last token."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "widget_id": "wgt-telco-de",
                    "visitor": {"name": "Karla Kunde", "email": "karla@example.de"},
                },
                {"widget_id": "wgt-telco-de", "session_id": "b5Jx…", "token": "eyJz…"},
            ]
        },
    )

    widget_id: str = PydanticField(min_length=1, max_length=512)
    visitor: VisitorIn = PydanticField(default_factory=VisitorIn)
    session_id: str | None = PydanticField(default=None, max_length=64, description="The session to resume")
    token: str | None = PydanticField(
        default=None,
        max_length=MAX_TOKEN,
        description="The session's last token (it may have expired up to 30 days ago); needed to resume",
    )


class SessionOut(BaseModel):
    """A session and the token its socket connects with."""

    session_id: str
    token: str
    expires_at: datetime


class AttachmentIn(BaseModel):
    """Something the visitor attached, uploaded by the widget elsewhere."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["image", "video", "audio", "document", "file", "link", "location"]
    url: str = PydanticField(default="", max_length=2048, pattern=r"^(https://\S+)?$")
    mime_type: str = PydanticField(default="", max_length=128)
    name: str = PydanticField(default="", max_length=256)
    size: int = PydanticField(default=0, ge=0, le=2**53)
    latitude: float = PydanticField(default=0.0, ge=-90, le=90)
    longitude: float = PydanticField(default=0.0, ge=-180, le=180)


class MessageFrame(BaseModel):
    """{"type": "message", "client_id", "text", "attachments"?} from the widget."""

    type: Literal["message"]
    client_id: str = PydanticField(min_length=1, max_length=MAX_CLIENT_ID)
    text: str = PydanticField(default="", max_length=MAX_TEXT)
    attachments: list[AttachmentIn] = PydanticField(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _not_empty(self) -> MessageFrame:
        if not self.text.strip() and not self.attachments:
            raise ValueError("a message needs text or attachments")
        return self


# Tokens: base64url(JSON claims) "." base64url(HMAC-SHA256(session_secret, DOMAIN + claims part)).


@dataclass(frozen=True)
class Claims:
    """What a visitor token binds: the session, the widget and its account, and the expiry."""

    session_id: str
    widget_id: str
    account_id: str
    expires: int  # Unix seconds


class BadToken(Exception):
    """A token that is not one of ours."""


_DOMAIN = b"webcare-chat-token-v1."


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_token(claims: Claims, secret: str) -> str:
    """A compact, URL-safe token for the claims, signed with the widget's session secret."""
    body = {"s": claims.session_id, "w": claims.widget_id, "a": claims.account_id, "e": claims.expires}
    part = _b64(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{part}.{_b64(hmac_sha256(secret, _DOMAIN + part.encode()))}"


def read_token(token: str) -> Claims:
    """The claims of a well-formed token, not yet verified (they name the widget whose secret does)."""
    part, _, _ = token.partition(".")
    if not token or len(token) > MAX_TOKEN or not part:
        raise BadToken("not a chat token")
    try:
        body = json.loads(_unb64(part))
        claims = Claims(session_id=body["s"], widget_id=body["w"], account_id=body["a"], expires=body["e"])
    except (ValueError, TypeError, KeyError) as exc:
        raise BadToken("not a chat token") from exc
    texts = (claims.session_id, claims.widget_id, claims.account_id)
    if not all(isinstance(v, str) for v in texts) or type(claims.expires) is not int:
        raise BadToken("not a chat token")
    return claims


def token_signed_by(token: str, secret: str) -> bool:
    """Whether `secret` signed this token."""
    part, _, signature = token.partition(".")
    expected = _b64(hmac_sha256(secret, _DOMAIN + part.encode()))
    return bool(secret) and hmac.compare_digest(signature.encode(), expected.encode())


def origin_allowed(account: Account, origin: str | None) -> bool:
    """Whether a browser on `origin` may use the widget: any, unless `allowed_origins` lists some."""
    allowed = account.settings.get("allowed_origins")
    if allowed is None:
        return True
    if not isinstance(allowed, list):
        log.warning("chat widget %s: allowed_origins is not a list; refusing every origin", account.id)
        return False
    wanted = {a.strip().rstrip("/").lower() for a in allowed if isinstance(a, str)}
    return origin is not None and origin.strip().rstrip("/").lower() in wanted


async def _widget(rt: Runtime, widget_id: str) -> Account:
    account = await accounts.find(rt, CHANNEL, widget_id)
    if account is None or not account.secret(SESSION_SECRET):
        # A widget without a session secret cannot sign tokens: as good as unregistered.
        raise UnknownAccount(f"no chat widget {widget_id!r}", code="unknown_widget")
    return account


async def open_session(rt: Runtime, data: SessionIn, *, origin: str | None) -> SessionOut:
    """Start a visitor's session, or resume one whose last token the visitor holds; a fresh token."""
    account = await _widget(rt, data.widget_id)
    if not origin_allowed(account, origin):
        raise Forbidden("this widget may not be used from this site", code="origin_not_allowed")
    secret = account.secret(SESSION_SECRET)
    at = now()
    async with rt.unit_of_work() as uow:
        repo = ChatRepository(uow.session)
        if data.token is None and data.session_id is None:
            row = ChatSession(
                id=secrets.token_urlsafe(18),
                tenant_id=account.tenant_id,
                channel_account_id=account.id,
                created_at=at,
                updated_at=at,
            )
        else:
            row = await _resumed(repo, account, data, at)
        if data.visitor.name is not None:
            row.visitor_name = text_of(data.visitor.name).strip()
        if data.visitor.email is not None:
            row.visitor_email = data.visitor.email.strip()
        row.updated_at = at
        repo.save(row)
    expires = int((at + TOKEN_TTL).timestamp())
    token = sign_token(Claims(row.id, account.external_id, account.id, expires), secret)
    return SessionOut(session_id=row.id, token=token, expires_at=datetime.fromtimestamp(expires, UTC))


async def _resumed(repo: ChatRepository, account: Account, data: SessionIn, at: datetime) -> ChatSession:
    # A session id alone does not resume: whoever learnt one (it is the customer id agents and
    # integrations see) could otherwise read the session's replies. The last token proves it.
    if data.token is None:
        raise Unauthenticated("resuming a session needs its last token", code="token_required")
    try:
        claims = read_token(data.token)
    except BadToken as exc:
        raise Unauthenticated("the token is not valid", code="bad_token") from exc
    if (
        not token_signed_by(data.token, account.secret(SESSION_SECRET))
        or claims.account_id != account.id
        or data.session_id not in (None, claims.session_id)
        or datetime.fromtimestamp(claims.expires, UTC) + RESUME_WINDOW < at
    ):
        raise Unauthenticated("the token is not valid for this session", code="bad_token")
    row = await repo.get(claims.session_id)
    if row is None or row.channel_account_id != account.id:
        raise NotFound("the session is gone; start a new one", code="unknown_session")
    return row


# Agent replies: stored by ingest's consumer, announced to the sockets of this process after the
# commit, and found by every other replica's sockets by polling.


class Hub:
    """The chat sockets of this process, woken when their session has new replies."""

    def __init__(self) -> None:
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self._seen: dict[str, int] = {}  # the latest seq the poll saw, per session with a socket
        self._task: asyncio.Task[None] | None = None
        self.closing = False

    def join(self, session_id: str) -> asyncio.Event:
        """A socket's wake-up for a session."""
        wake = asyncio.Event()
        self._waiters.setdefault(session_id, set()).add(wake)
        return wake

    def leave(self, session_id: str, wake: asyncio.Event) -> None:
        """Forget a socket that closed."""
        waiters = self._waiters.get(session_id, set())
        waiters.discard(wake)
        if not waiters:
            self._waiters.pop(session_id, None)
            self._seen.pop(session_id, None)

    def notify(self, session_id: str) -> None:
        """Wake the sockets of a session."""
        for wake in self._waiters.get(session_id, ()):
            wake.set()

    async def poll(self, rt: Runtime) -> None:
        """Wake the sockets whose session has replies the poll had not seen (one query per 500)."""
        sessions = list(self._waiters)
        for start in range(0, len(sessions), 500):
            async with rt.db.sessions() as session:
                latest = await ChatRepository(session).latest_seqs(sessions[start : start + 500])
            for session_id, seq in latest.items():
                if seq > self._seen.get(session_id, 0):
                    self._seen[session_id] = seq
                    self.notify(session_id)

    def start(self, rt: Runtime) -> None:
        """Start polling."""
        self.closing = False
        self._task = asyncio.create_task(self._run(rt))

    async def stop(self) -> None:
        """Stop polling and let every socket close (1012: the widget reconnects)."""
        self.closing = True
        for waiters in self._waiters.values():
            for wake in waiters:
                wake.set()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self, rt: Runtime) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                await self.poll(rt)
            except Exception as exc:  # noqa: BLE001 - the next tick polls again; sockets also look on their own
                log.warning("chat reply poll failed: %r", exc)


def hub_of(rt: Runtime) -> Hub:
    """The runtime's hub of chat sockets."""
    hub = rt.state.get("chat_hub")
    if hub is None:
        hub = rt.state["chat_hub"] = Hub()
    assert isinstance(hub, Hub)
    return hub


async def store_reply(rt: Runtime, uow: UnitOfWork, event: replies_pb2.ReplySent) -> None:
    """Keep an agent's chat reply once, numbered in its session, and wake the session's sockets."""
    if event.channel != CHANNEL:
        return
    repo = ChatRepository(uow.session)
    if await repo.has_reply(event.reply_id):
        REPLIES.labels("duplicate").inc()
        return
    seq = await repo.next_seq(tenant_id=event.tenant_id, session_id=event.recipient)
    if seq is None:
        # A "chat" conversation no widget session started (e.g. posted through /v1/messages).
        log.warning(
            "chat reply %s: no session %r of tenant %s", event.reply_id, event.recipient, event.tenant_id
        )
        REPLIES.labels("unknown_session").inc()
        return
    sent_at = to_datetime(event.occurred_at) if event.HasField("occurred_at") else now()
    repo.add_reply(
        ChatReply(
            reply_id=event.reply_id,
            tenant_id=event.tenant_id,
            session_id=event.recipient,
            seq=seq,
            text=event.text,
            sent_at=sent_at,
        )
    )
    REPLIES.labels("stored").inc()
    hub = hub_of(rt)
    _after_commit(uow, lambda: hub.notify(event.recipient))


def _after_commit(uow: UnitOfWork, callback: Callable[[], None]) -> None:
    # The handler runs inside the consumer's transaction: a socket woken now would not see the row yet.
    sa_event.listen(uow.session.sync_session, "after_commit", lambda _session: callback(), once=True)


def reply_frame(row: ChatReply) -> dict[str, Any]:
    """A stored reply as the widget receives it."""
    return {
        "type": "reply",
        "seq": row.seq,
        "reply_id": row.reply_id,
        "text": row.text,
        "sent_at": rfc3339(row.sent_at),
    }


def error_frame(code: str, detail: str, client_id: str | None = None) -> dict[str, Any]:
    """What the widget gets for a frame the server could not take; the socket stays open."""
    frame: dict[str, Any] = {"type": "error", "error": code, "detail": detail}
    if client_id is not None:
        frame["client_id"] = client_id
    return frame


# The socket.


@dataclass(frozen=True)
class Visitor:
    """A socket's admitted visitor: whose session, and until when its token holds."""

    account: Account
    session: ChatSession
    expires: int
    after: int


class Refused(Exception):
    """A socket refused before any frame: the close code and reason the widget gets."""

    def __init__(self, code: int, reason: str, outcome: str) -> None:
        super().__init__(reason)
        self.code, self.reason, self.outcome = code, reason, outcome


async def admit(rt: Runtime, *, token: str, after: str, origin: str | None) -> Visitor:
    """The visitor a socket's token names, or Refused."""
    try:
        claims = read_token(token)
    except BadToken as exc:
        raise Refused(CLOSE_TOKEN, "bad token", "bad_token") from exc
    account = await accounts.find(rt, CHANNEL, claims.widget_id)
    if account is None or claims.account_id != account.id:
        raise Refused(CLOSE_TOKEN, "bad token", "bad_token")
    if not token_signed_by(token, account.secret(SESSION_SECRET)):
        raise Refused(CLOSE_TOKEN, "bad token", "bad_token")
    if claims.expires <= time.time():
        raise Refused(CLOSE_TOKEN, "token expired", "token_expired")
    if not origin_allowed(account, origin):
        raise Refused(CLOSE_POLICY, "origin not allowed", "origin_not_allowed")
    if not (after == "" or (after.isdigit() and len(after) <= 18)):
        raise Refused(CLOSE_POLICY, "after must be a reply seq (a non-negative integer)", "malformed")
    async with rt.db.sessions() as db:
        session = await ChatRepository(db).get(claims.session_id)
    if session is None or session.channel_account_id != account.id:
        raise Refused(CLOSE_TOKEN, "unknown session", "unknown_session")
    # A widget that claims more than exists (a stale store) gets every reply from now on.
    return Visitor(account, session, claims.expires, min(int(after or 0), session.reply_seq))


async def serve(rt: Runtime, websocket: WebSocket) -> None:
    """Run one widget's socket until it closes."""
    token, subprotocol = _token_of(websocket)
    try:
        visitor = await admit(
            rt,
            token=token,
            after=websocket.query_params.get("after", ""),
            origin=websocket.headers.get("origin"),
        )
    except Refused as exc:
        DELIVERIES.labels(CHANNEL, exc.outcome).inc()
        # Accepted first, so that the widget sees the close code (a refused handshake is only "1006").
        await websocket.accept(subprotocol)
        await websocket.close(exc.code, exc.reason)
        return
    except Exception:  # e.g. the database is away: the widget reconnects later
        log.exception("chat socket not admitted")
        await websocket.accept(subprotocol)
        await websocket.close(CLOSE_ERROR, "try again later")
        return
    await websocket.accept(subprotocol)
    await Connection(rt, websocket, visitor).run()


def _token_of(websocket: WebSocket) -> tuple[str, str | None]:
    """The socket's token, and the subprotocol to answer with.

    Besides `?token=`, a browser may offer the token as a protocol, `["webcare.chat.v1", "token.<token>"]`:
    URLs end up in access logs and proxies, the handshake's headers do not.
    """
    offered: list[str] = list(websocket.scope.get("subprotocols") or [])
    if SUBPROTOCOL in offered:
        for item in offered:
            if item.startswith("token."):
                return item.removeprefix("token."), SUBPROTOCOL
        return websocket.query_params.get("token", ""), SUBPROTOCOL
    return websocket.query_params.get("token", ""), None


class Connection:
    """One open socket: frames in, acks and errors out, and the session's replies out in order."""

    def __init__(self, rt: Runtime, websocket: WebSocket, visitor: Visitor) -> None:
        self.rt = rt
        self.websocket = websocket
        self.visitor = visitor
        self.session_id = visitor.session.id
        self._sending = asyncio.Lock()
        self._hub = hub_of(rt)

    async def run(self) -> None:
        """Read and write until the visitor leaves, the token expires or the service stops."""
        wake = self._hub.join(self.session_id)
        SOCKETS.inc()
        tasks = {asyncio.create_task(self._read()), asyncio.create_task(self._write(wake))}
        try:
            timeout = max(0.0, self.visitor.expires - time.time())
            done, _ = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._hub.leave(self.session_id, wake)
            SOCKETS.dec()
        code, reason = 1000, ""
        if not done:
            code, reason = CLOSE_TOKEN, "token expired"
        elif self._hub.closing:
            code, reason = CLOSE_RESTART, "service restart"
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                log.error("chat socket of session %s failed", self.session_id, exc_info=task.exception())
                code, reason = CLOSE_ERROR, "internal error"
        if self.websocket.client_state == WebSocketState.CONNECTED:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                await self.websocket.close(code, reason)

    async def _send(self, frame: dict[str, Any]) -> None:
        async with self._sending:
            await self.websocket.send_text(json.dumps(frame, ensure_ascii=False))

    async def _read(self) -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                message = await self.websocket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                text = message.get("text")
                if text is None:
                    await self._send(error_frame("binary_not_supported", "send frames as JSON text"))
                    continue
                await self._send(await self.frame(text))

    async def _write(self, wake: asyncio.Event) -> None:
        last = self.visitor.after
        with contextlib.suppress(WebSocketDisconnect):
            while not self._hub.closing:
                wake.clear()  # before reading: a reply committed meanwhile sets it again
                async with self.rt.db.sessions() as db:
                    rows = await ChatRepository(db).replies_after(self.session_id, last, limit=PAGE)
                for row in rows:
                    await self._send(reply_frame(row))
                    last = row.seq
                if len(rows) < PAGE:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(wake.wait(), FALLBACK_SECONDS)

    async def frame(self, text: str) -> dict[str, Any]:
        """The answer to one frame from the widget."""
        if len(text) > MAX_FRAME_CHARS:
            return error_frame("too_large", f"a frame has at most {MAX_FRAME_CHARS} characters")
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return error_frame("malformed", "the frame is not JSON")
        if not isinstance(data, dict):
            return error_frame("malformed", "a frame is a JSON object")
        kind = data.get("type")
        if kind == "ping":
            return {"type": "pong"}
        if kind == "message":
            return await self._message(data, text)
        return error_frame("unknown_type", f"unknown frame type {str(kind)[:64]!r}", _client_id(data))

    async def _message(self, data: dict[str, Any], text: str) -> dict[str, Any]:
        client_id = _client_id(data)
        try:
            frame = MessageFrame.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'frame'}: {e['msg']}" for e in exc.errors()[:5]
            )
            return error_frame("invalid_message", problems, client_id)
        session = self.visitor.session
        inbound = Inbound(
            external_id=f"{session.id}:{frame.client_id}",
            conversation_key=f"chat:{session.id}",
            author=Author(id=session.id, name=session.visitor_name, handle=session.visitor_email),
            text=text_of(frame.text),
            public=False,
            attachments=[Attachment(**a.model_dump()) for a in frame.attachments],
        )
        try:
            async with counted(CHANNEL):
                outcome = await accept(
                    self.rt, Source.of(self.visitor.account), Parsed(messages=[inbound]), Raw(text)
                )
        except WebcareError as exc:
            return error_frame(exc.code, exc.detail, client_id)
        except Exception:  # one failed message must not end the socket; the widget resends it
            log.exception("chat message of session %s failed", session.id)
            return error_frame("internal_error", "the message was not taken; send it again", client_id)
        return {
            "type": "ack",
            "client_id": frame.client_id,
            "message_id": outcome.ids[inbound.external_id],
            "duplicate": outcome.duplicates > 0,
        }


def _client_id(data: dict[str, Any]) -> str | None:
    value = data.get("client_id")
    return value if isinstance(value, str) and 0 < len(value) <= MAX_CLIENT_ID else None


def _cors(response: Response, origin: str | None) -> None:
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"


def router() -> APIRouter:
    """The chat routes: POST /v1/chat/sessions and the socket /v1/chat."""
    api = APIRouter()

    @api.options("/chat/sessions", include_in_schema=False)
    async def preflight(request: Request) -> Response:
        # The widget calls from the brand's site. Which sites a widget allows is known only from the
        # body, so the preflight lets any through and the POST itself checks the origin.
        response = Response(status_code=status.HTTP_204_NO_CONTENT)
        _cors(response, request.headers.get("origin"))
        response.headers["Access-Control-Allow-Methods"] = "POST"
        response.headers["Access-Control-Allow-Headers"] = "content-type"
        response.headers["Access-Control-Max-Age"] = "600"
        return response

    @api.post(
        "/chat/sessions",
        status_code=status.HTTP_201_CREATED,
        summary="Open or resume a visitor's chat session (public: called by the website widget)",
        description="Answers a token for the socket `/v1/chat?token=…&after=<last reply seq>` (or the "
        "protocols `webcare.chat.v1` and `token.<token>`), valid 24 h. "
        "To resume, send the session's last token (also an expired one, up to 30 days). 404 for an "
        "unknown widget; 403 when the widget's `allowed_origins` do not list the page's origin.",
    )
    async def post_session(
        data: SessionIn, request: Request, response: Response, rt: RuntimeDep
    ) -> SessionOut:
        origin = request.headers.get("origin")
        opened = await open_session(rt, data, origin=origin)
        _cors(response, origin)
        return opened

    @api.websocket("/chat")
    async def chat_socket(websocket: WebSocket) -> None:
        rt: Runtime = websocket.app.state.runtimes["ingest"]
        await serve(rt, websocket)

    return api


async def start(rt: Runtime) -> None:
    """Start looking for replies other replicas stored."""
    hub_of(rt).start(rt)


async def stop(rt: Runtime) -> None:
    """Stop looking for replies and close the sockets."""
    await hub_of(rt).stop()
