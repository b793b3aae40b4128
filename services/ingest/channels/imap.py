"""IMAP mailboxes, polled: every message not yet taken is accepted once, then flagged on the server.

A mailbox is an enabled e-mail channel account with the setting `imap_host` (and `imap_port`,
`imap_ssl`, `imap_username`, `imap_folder`, `poll_seconds`) and the secret `password`. Each poll
takes the messages without the keyword `$WebcareTaken`, accepts each one, and only then sets the
keyword and \\Seen on it: a crash in between reads it again, and de-duplication by Message-ID keeps it
one message. The server keeps the state, so any number of ingest replicas can poll one mailbox.
The blocking stdlib `imaplib` runs in worker threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import imaplib
import logging
import re
import socket
import ssl
from dataclasses import dataclass, field, replace
from typing import Any

from prometheus_client import Counter

from services.ingest import accounts, service
from services.ingest.accounts import Account
from services.ingest.channels.mail import CHANNEL, parse_message, parsed_of
from services.ingest.service import Raw, Source, counted
from services.kit.runtime import Runtime

log = logging.getLogger(__name__)

TAKEN = "$WebcareTaken"
STATE_KEY = "email_imap_poller"
TICK_SECONDS = 1.0  # how often the poller looks for mailboxes that are due
TIMEOUT_SECONDS = 30.0  # of one IMAP command
MAX_MESSAGES = 500  # taken per poll; the rest follow at the next one
MAX_MESSAGE_BYTES = 10 * 1024 * 1024  # read of one message (its text parts come first)
MIN_POLL_SECONDS = 1.0
DEFAULT_POLL_SECONDS = 60.0

POLL_ERRORS = Counter(
    "webcare_ingest_imap_poll_errors_total",
    "Polls of an IMAP mailbox that failed (login, network, server, storing), by channel account",
    ["account_id"],
)


@dataclass(frozen=True)
class Mailbox:
    """Where and how to read one account's mail."""

    host: str
    port: int
    ssl: bool
    username: str
    password: str
    folder: str
    poll_seconds: float


def mailbox_of(account: Account) -> Mailbox | None:
    """The IMAP mailbox of an account, None when it has no `imap_host`; ValueError when misconfigured."""
    box = mailbox_settings(account.settings, address=account.external_id)
    if box is None:
        return None
    password = account.secret("password")
    if not password:
        raise ValueError("the account has no secret 'password'")
    return replace(box, password=password)


def mailbox_settings(settings: dict[str, Any], *, address: str) -> Mailbox | None:
    """An account's IMAP settings read and checked (no password yet); ValueError says what is wrong."""
    host = settings.get("imap_host")
    if host is None or host == "":
        return None
    if not isinstance(host, str) or not host.strip() or any(c.isspace() for c in host.strip()):
        raise ValueError("imap_host is a host name")
    use_ssl = settings.get("imap_ssl", True)
    if not isinstance(use_ssl, bool):
        raise ValueError("imap_ssl is true or false")
    port = settings.get("imap_port", 993 if use_ssl else 143)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ValueError("imap_port is a port number (1-65535)")
    every = settings.get("poll_seconds", DEFAULT_POLL_SECONDS)
    if isinstance(every, bool) or not isinstance(every, int | float) or not every >= MIN_POLL_SECONDS:
        raise ValueError(f"poll_seconds is a number of at least {MIN_POLL_SECONDS:g}")
    username, folder = settings.get("imap_username", address), settings.get("imap_folder", "INBOX")
    if not isinstance(username, str) or not username or not isinstance(folder, str) or not folder:
        raise ValueError("imap_username and imap_folder are non-empty strings")
    return Mailbox(
        host=host.strip(),
        port=port,
        ssl=use_ssl,
        username=username,
        password="",
        folder=folder,
        poll_seconds=float(every),
    )


async def poll_account(rt: Runtime, account: Account) -> int:
    """Poll one mailbox once: accept every message not yet taken, then flag it; how many were taken.

    Raises what went wrong (login refused, network, server, the bus); what was taken stays taken.
    """
    box = mailbox_of(account)
    if box is None:
        return 0
    session = _Session(box)
    try:
        return await _take(rt, account, session)
    except asyncio.CancelledError:
        session.abort()  # the worker thread's read fails at once instead of at its timeout
        raise
    finally:
        if not session.aborted:
            await asyncio.to_thread(session.close)


async def _take(rt: Runtime, account: Account, session: _Session) -> int:
    taken = 0
    for uid in await asyncio.to_thread(session.open):
        raw = await asyncio.to_thread(session.fetch, uid)
        if raw is None:
            continue  # expunged meanwhile
        parsed = parsed_of(parse_message(raw), mailbox=account.external_id)
        async with counted(CHANNEL):
            await service.accept(rt, Source.of(account), parsed, Raw(_audit_text(raw), "message/rfc822"))
        await asyncio.to_thread(session.mark, uid)
        taken += 1
    return taken


class _Session:
    """One blocking IMAP conversation with a mailbox (called from one worker thread at a time)."""

    def __init__(self, box: Mailbox) -> None:
        self.box = box
        self.conn: imaplib.IMAP4 | None = None
        self.keywords = True
        self.aborted = False

    def open(self) -> list[bytes]:
        """Log in, select the folder, and find the messages not taken yet (oldest first)."""
        box = self.box
        if box.ssl:
            context = ssl.create_default_context()
            self.conn = imaplib.IMAP4_SSL(box.host, box.port, ssl_context=context, timeout=TIMEOUT_SECONDS)
        else:
            self.conn = imaplib.IMAP4(box.host, box.port, timeout=TIMEOUT_SECONDS)
        conn = self.conn
        try:
            conn.login(box.username, box.password)
        except UnicodeEncodeError:  # LOGIN is ASCII only; AUTHENTICATE PLAIN carries UTF-8
            secret = f"\0{box.username}\0{box.password}".encode()
            conn.authenticate("PLAIN", lambda _: secret)
        _ok(conn.select(_quoted(box.folder)), "SELECT")
        answers = conn.untagged_responses.get("PERMANENTFLAGS", [])
        flags = b" ".join(item for item in answers if isinstance(item, bytes))
        self.keywords = not flags or b"\\*" in flags or TAKEN.encode() in flags
        if not self.keywords:
            log.warning("email: %s keeps no keywords; taking unseen messages instead", box.username)
        criteria = f"UNDELETED UNKEYWORD {TAKEN}" if self.keywords else "UNDELETED UNSEEN"
        data = _ok(conn.uid("SEARCH", criteria), "SEARCH")
        uids = b" ".join(item for item in data if isinstance(item, bytes)).split()
        return uids[:MAX_MESSAGES]

    def fetch(self, uid: bytes) -> bytes | None:
        """The message's RFC 822 source (at most MAX_MESSAGE_BYTES), without marking it seen."""
        assert self.conn is not None
        data = _ok(self.conn.uid("FETCH", uid.decode(), f"(BODY.PEEK[]<0.{MAX_MESSAGE_BYTES}>)"), "FETCH")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
                return item[1]
        return None

    def mark(self, uid: bytes) -> None:
        """Flag a message as taken (and seen), so no later poll takes it again."""
        assert self.conn is not None
        flags = f"({TAKEN} \\Seen)" if self.keywords else "(\\Seen)"
        _ok(self.conn.uid("STORE", uid.decode(), "+FLAGS.SILENT", flags), "STORE")

    def abort(self) -> None:
        """Cut the connection from another thread: a command blocked on it fails now."""
        self.aborted = True
        if self.conn is not None:
            with contextlib.suppress(OSError):
                self.conn.socket().shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """Log out; a connection that is gone already is fine."""
        if self.conn is None:
            return
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            self.conn.logout()
        self.conn = None


def _ok(response: tuple[str, list[Any]], command: str) -> list[Any]:
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"{command} answered {status}: {data!r}"[:300])
    return data


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _audit_text(raw: bytes) -> str:
    """The message as text for the delivery record: UTF-8 as is, other bytes escaped, never a NUL."""
    return raw.decode("utf-8", "backslashreplace").replace("\x00", "\\x00")


# ---------------------------------------------------------------------------------------- the poller


@dataclass
class PollerState:
    """The background poller of one runtime: its task, the polls running, and each mailbox's errors."""

    task: asyncio.Task[None] | None = None
    running: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    due: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # account id -> last error, until a poll works


async def start(rt: Runtime) -> None:
    """Start polling every IMAP mailbox of this runtime in the background."""
    if STATE_KEY in rt.state:
        return
    state = PollerState()
    state.task = asyncio.create_task(_supervise(rt, state), name="ingest-imap-poller")
    rt.state[STATE_KEY] = state


async def stop(rt: Runtime) -> None:
    """Stop the poller and the polls it runs."""
    state = rt.state.pop(STATE_KEY, None)
    if not isinstance(state, PollerState):
        return
    tasks = [task for task in (state.task, *state.running.values()) if task is not None]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def _supervise(rt: Runtime, state: PollerState) -> None:
    while True:
        await asyncio.sleep(TICK_SECONDS)
        try:
            await _start_due(rt, state)
        # Listing the accounts fails while the database is away: say so and look again next tick.
        except Exception as exc:  # noqa: BLE001
            log.warning("email: cannot list the IMAP mailboxes: %r", exc)


async def _start_due(rt: Runtime, state: PollerState) -> None:
    """Start a poll of every mailbox that is due and not being polled already."""
    clock = asyncio.get_running_loop().time()
    for account in await accounts.of_channel(rt, CHANNEL):
        running = state.running.get(account.id)
        if (running is not None and not running.done()) or state.due.get(account.id, 0.0) > clock:
            continue
        try:
            box = mailbox_of(account)
        except ValueError as exc:
            state.due[account.id] = clock + 60.0
            _failed(state, account, exc)
            continue
        if box is None:
            continue
        state.due[account.id] = clock + box.poll_seconds
        state.running[account.id] = asyncio.create_task(_poll(rt, state, account))


async def _poll(rt: Runtime, state: PollerState, account: Account) -> None:
    try:
        taken = await poll_account(rt, account)
    # One mailbox's failure (refused login, unreachable server, the bus away) must not stop the
    # others: it is logged and counted per account, and this mailbox is tried again at its next poll.
    except Exception as exc:  # noqa: BLE001
        _failed(state, account, exc)
        return
    state.errors.pop(account.id, None)
    if taken:
        log.info("email: took %d message(s) from %s", taken, account.external_id)


def _failed(state: PollerState, account: Account, exc: BaseException) -> None:
    POLL_ERRORS.labels(account.id).inc()
    state.errors[account.id] = re.sub(r"\s+", " ", repr(exc))[:500]
    log.warning("email: polling %s failed: %r", account.external_id, exc)
