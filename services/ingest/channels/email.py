"""The e-mail channel: an inbound-parse webhook (Mailgun or SendGrid naming) and IMAP mailboxes.

A mailbox is a channel account of channel "email" whose external id is the mailbox address (lower
case). Webhook deliveries are signed the Mailgun way: `signature` = hex HMAC-SHA256 of `timestamp` +
`token` under the account's `signing_key`; an old timestamp or a token seen before is a replay.
Accounts with an `imap_host` setting are polled by `services.ingest.channels.imap`.

Bounces of the brand's mail become delivery receipts, never messages (`services.ingest.channels.bounce`).
A webhook bounce is read best from the whole message (Mailgun's `body-mime` route, SendGrid's "POST the
raw, full MIME message"); otherwise from the headers and text fields and the delivery-status and
original-headers parts posted as files. When a provider posts neither those parts nor a quoted
header block, the original Message-ID is only found in In-Reply-To; without it the bounce is counted
(`webcare_ingest_email_bounces_total{outcome="unmatched"}`) and ignored.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from services.ingest import accounts, service
from services.ingest.accounts import Account
from services.ingest.channels import email_tables, imap
from services.ingest.channels.base import Attachment, hmac_sha256
from services.ingest.channels.bounce import MAX_REPORT_BYTES, REPORT_TYPES
from services.ingest.channels.mail import CHANNEL, addresses, attachment_kind, form_mail, parsed_of
from services.ingest.config import ingest_settings
from services.ingest.models import DeliveryAccepted
from services.ingest.service import Raw, Source, UnknownAccount, counted
from services.kit.deps import runtime
from services.kit.errors import Malformed, Unauthenticated, Unprocessable
from services.kit.events import now
from services.kit.runtime import Runtime

log = logging.getLogger(__name__)

RuntimeDep = Annotated[Runtime, Depends(runtime("ingest"))]
MAX_RECIPIENTS = 20  # addresses tried against the registered mailboxes, per delivery
MAX_FIELDS = 1000
MAX_FILES = 100


def router() -> APIRouter:
    """The e-mail routes: POST /v1/webhooks/email."""
    api = APIRouter(tags=["ingest"])

    @api.post(
        "/webhooks/email",
        response_model=DeliveryAccepted,
        summary="Take in an e-mail from an inbound-parse webhook",
        description="Form fields as Mailgun's forward() route or SendGrid's Inbound Parse post them "
        "(multipart/form-data or x-www-form-urlencoded), signed with Mailgun's timestamp, token and "
        "signature. The recipient address names the mailbox. 401 for a bad, old or replayed signature, "
        "404 for a mailbox no tenant registered, 400 when sender or recipient is missing.",
    )
    async def inbound_email(request: Request, rt: RuntimeDep) -> DeliveryAccepted:
        async with counted(CHANNEL):
            return await receive(rt, request)

    return api


def check_account(external_id: str, settings: dict[str, Any]) -> None:
    """Unprocessable unless a mailbox account's address and IMAP settings are usable (for registering one)."""
    if addresses(external_id) != [external_id]:
        raise Unprocessable(
            "the external id of an e-mail account is its mailbox address, in lower case",
            code="invalid_mailbox",
        )
    try:
        imap.mailbox_settings(settings, address=external_id)
    except ValueError as exc:
        raise Unprocessable(str(exc), code="invalid_mailbox") from None


async def start(rt: Runtime) -> None:
    """Start polling the IMAP mailboxes."""
    await imap.start(rt)


async def stop(rt: Runtime) -> None:
    """Stop polling the IMAP mailboxes."""
    await imap.stop(rt)


async def receive(rt: Runtime, request: Request) -> DeliveryAccepted:
    """Check, parse and accept one inbound-parse delivery."""
    body = await request.body()
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS)
    except (HTTPException, MultiPartException, ValueError, UnicodeError, KeyError, AssertionError) as exc:
        raise Malformed("the body is not a readable form") from exc
    try:
        fields, attachments, reports = _fields(form)
    finally:
        await form.close()
    account = await _account(rt, _recipients(fields))
    max_age = timedelta(seconds=ingest_settings(rt.settings).webhook_max_age_seconds)
    token = verify(account, fields, max_age=max_age)
    mail = form_mail(fields, attachments, reports)
    if not mail.sender.strip():
        raise Malformed("the delivery has no sender (from, sender or a From header)")
    parsed = parsed_of(mail, mailbox=account.external_id)
    raw = _raw(request.headers.get("content-type", ""), body, fields, attachments)
    await _first_use(rt, account, token, max_age)
    try:
        outcome = await service.accept(rt, Source.of(account), parsed, raw)
    except BaseException:
        await _forget(rt, token)
        raise
    return outcome.answer()


def verify(account: Account, fields: dict[str, str], *, max_age: timedelta) -> str:
    """Raise Unauthenticated unless the delivery is signed with the account's key and fresh; its token."""
    key = account.secret("signing_key")
    timestamp, token = fields.get("timestamp", "").strip(), fields.get("token", "").strip()
    signature = fields.get("signature", "").strip().lower()
    if not key or not timestamp or not token or not signature or len(token) > 256:
        raise Unauthenticated("the delivery has no valid signature", code="bad_signature")
    expected = hmac_sha256(key, (timestamp + token).encode("utf-8", "replace")).hex()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise Unauthenticated("the delivery's signature does not match", code="bad_signature")
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        raise Unauthenticated("the delivery's timestamp is not a time", code="bad_signature")
    if abs(time.time() - int(timestamp)) > max_age.total_seconds():
        raise Unauthenticated("the delivery is too old (or from the future)", code="stale_delivery")
    return token


async def _first_use(rt: Runtime, account: Account, token: str, max_age: timedelta) -> None:
    try:
        async with rt.unit_of_work() as uow:
            fresh = await email_tables.first_use(
                uow.session, token=token, account_id=account.id, at=now(), max_age=max_age
            )
    except IntegrityError:
        fresh = False  # the same token is being delivered right now
    if not fresh:
        raise Unauthenticated("the delivery's token was used before (a replay)", code="replayed_delivery")


async def _forget(rt: Runtime, token: str) -> None:
    try:
        async with rt.unit_of_work() as uow:
            await email_tables.forget(uow.session, token)
    # The delivery's own failure is the one to report; a token left behind only refuses its retry.
    except Exception as exc:  # noqa: BLE001
        log.warning("email: cannot release the token of a failed delivery: %r", exc)


def _fields(form: FormData) -> tuple[dict[str, str], list[Attachment], list[tuple[str, bytes]]]:
    """The form's text fields (first value of each name), its files as attachment metadata, and the
    parts of a bounce among them (delivery status, the original's headers) with their content."""
    fields: dict[str, str] = {}
    attachments: list[Attachment] = []
    reports: list[tuple[str, bytes]] = []
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            mime = (value.content_type or "application/octet-stream").split(";")[0].strip().lower()
            if mime in REPORT_TYPES:
                value.file.seek(0)
                reports.append((mime, value.file.read(MAX_REPORT_BYTES)))
            size = value.size if value.size is not None else 0
            name_of = (value.filename or name)[:256]
            attachments.append(
                Attachment(kind=attachment_kind(mime), mime_type=mime, name=name_of, size=size)
            )
        elif isinstance(value, str):
            fields.setdefault(name, value)
    return fields, attachments, reports


def _recipients(fields: dict[str, str]) -> list[str]:
    """The mailbox addresses a delivery names: Mailgun's recipient, SendGrid's to and envelope."""
    found: list[str] = []
    for name in ("recipient", "to", "To"):
        found += addresses(fields.get(name, ""))
    try:
        envelope: Any = json.loads(fields.get("envelope", "") or "{}")
    except (ValueError, RecursionError):
        envelope = {}
    targets = envelope.get("to") if isinstance(envelope, dict) else None
    if isinstance(targets, list):
        found += [address for item in targets if isinstance(item, str) for address in addresses(item)]
    unique = list(dict.fromkeys(found))
    if not unique:
        raise Malformed("the delivery names no recipient (recipient or to)")
    return unique[:MAX_RECIPIENTS]


async def _account(rt: Runtime, recipients: list[str]) -> Account:
    for address in recipients:
        account = await accounts.find(rt, CHANNEL, address)
        if account is not None:
            return account
    raise UnknownAccount(f"no mailbox is registered for {', '.join(recipients[:3])}")


def _raw(content_type: str, body: bytes, fields: dict[str, str], attachments: list[Attachment]) -> Raw:
    """The delivery for audit: a url-encoded body as sent; a multipart one as its fields, files named."""
    if content_type.lower().startswith("application/x-www-form-urlencoded"):
        return Raw(body.decode("utf-8", "replace").replace("\x00", ""), content_type)
    files = [{"name": a.name, "mime_type": a.mime_type, "size": a.size} for a in attachments]
    return Raw(json.dumps({"fields": fields, "files": files}), "application/json")
