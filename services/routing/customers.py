"""Customer profiles: one person across channels, with the CRM's id, attributes, notes and history.

A profile gathers identities, each a channel's id of the person (`{"channel": "x", "external_id":
"783214"}`). A CRM upserts profiles by its own id; agents look them up, link and unlink identities and
leave notes. When a conversation opens, its author's identity is linked to their profile, which is
created if there is none, except that a channel that proves a phone number or an e-mail address joins
the profile that already has it: a WhatsApp author joins the profile with that `phone` number, an
e-mail author the profile with that address (identities are kept normalised: phone numbers in E.164,
e-mail addresses in lower case). Every stored identity counts as verified: a CRM, an agent or the
channel itself gave it.

Routing uses the profile: a customer who opened a conversation of the same category within
`REPEAT_WINDOW` gets one more point of urgency, and the last agent who served them on any channel is
preferred where a policy asks for the last agent.

Profiles live in routing, not in a service of their own, because routing is the one that needs them
on its hot path: when a conversation opens, linking the author, counting repeat contacts and finding
the last agent happen in the transaction that routes it. A customer service apart would put a call,
or a copy kept by events, into every routing decision. The model is small (ids, attributes, notes)
and has one owner; should it outgrow routing, it moves behind the same `/v1/customers` API.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError

from services.kit.auth import Principal
from services.kit.errors import Conflict, NotFound, Unprocessable, WebcareError
from services.kit.events import now
from services.kit.ids import new_id
from services.kit.uow import UnitOfWork
from services.routing.models import Conversation, Customer, CustomerIdentity, CustomerNote, Status
from services.routing.repository import CustomerRepository

REPEAT_WINDOW = timedelta(days=30)  # conversations within it count as repeat contacts
MAX_URGENCY = 5
MAX_BULK = 1000  # customers per bulk upsert
PHONE_CHANNELS = ("phone", "whatsapp")  # channels whose ids are phone numbers
CASELESS_CHANNELS = ("email",)  # channels whose ids are e-mail addresses
# A channel whose ids prove a number or address also joins profiles with it on these channels.
PROVEN_ON: dict[str, tuple[str, ...]] = {"whatsapp": ("phone",)}
E164 = re.compile(r"\+[1-9]\d{6,14}")
CHANNEL = r"^[a-z][a-z0-9_-]{0,31}$"


class IdentityIn(BaseModel):
    """A channel's id of a customer."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"channel": "whatsapp", "external_id": "+4915112345678"}]},
    )

    channel: str = Field(pattern=CHANNEL, description="x, facebook, whatsapp, email, phone, …")
    external_id: str = Field(
        min_length=1, max_length=512, description="the channel's id (phone: E.164; e-mail: the address)"
    )


class IdentityOut(IdentityIn):
    """An identity as the API shows it."""

    linked_at: datetime


class CustomerIn(BaseModel):
    """A profile to create or update, by the CRM's id (or else by its identities)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "external_id": "crm-4711",
                    "name": "Erika Mustermann",
                    "identities": [{"channel": "phone", "external_id": "+4915112345678"}],
                    "attributes": {"vip": True, "segment": "gold", "language": "de"},
                }
            ]
        },
    )

    external_id: str | None = Field(default=None, min_length=1, max_length=200, description="the CRM's id")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    identities: list[IdentityIn] = Field(default_factory=list, max_length=100)
    attributes: dict[str, Any] = Field(
        default_factory=dict, description="merged into the profile's; a null value removes an attribute"
    )


class NoteIn(BaseModel):
    """A note on a customer."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"text": "Prefers calls"}]})

    text: str = Field(min_length=1, max_length=5000)


class NoteOut(NoteIn):
    """A note as the API shows it."""

    id: str
    author: str = Field(description="the agent's id (or the key's, for keys of no agent)")
    created_at: datetime


class CustomerOut(BaseModel):
    """A customer profile as the API shows it."""

    id: str
    external_id: str | None
    name: str | None
    attributes: dict[str, Any]
    identities: list[IdentityOut]
    notes: list[NoteOut] = Field(description="newest first")
    created_at: datetime
    updated_at: datetime


class ContactOut(BaseModel):
    """One conversation of a customer."""

    conversation_id: str
    channel: str
    category: str
    status: Status
    opened_at: datetime
    resolved_at: datetime | None
    assignee_id: str | None
    message_count: int


class HistoryOut(BaseModel):
    """A customer's conversations on every channel, newest first."""

    customer_id: str
    items: list[ContactOut]
    repeat_contacts: dict[str, int] = Field(
        description=f"conversations per category in the last {REPEAT_WINDOW.days} days"
    )


def normalise(channel: str, external_id: str) -> str:
    """The identity's stored form: phone numbers in E.164 (when they are numbers), e-mail in lower case."""
    value = external_id.strip()
    if channel in CASELESS_CHANNELS:
        return value.lower()
    if channel in PHONE_CHANNELS:
        number = re.sub(r"[\s\-().]", "", value)
        number = "+" + number[2:] if number.startswith("00") else number
        number = number if number.startswith("+") else "+" + number
        return number if E164.fullmatch(number) else value
    return value


def _spellings(channel: str, value: str) -> list[str]:
    """How a channel may write a normalised id in a conversation's author id."""
    if channel in PHONE_CHANNELS and value.startswith("+"):
        return [value, value[1:], "00" + value[1:]]
    return [value]


def _identity(data: IdentityIn) -> tuple[str, str]:
    value = normalise(data.channel, data.external_id)
    if data.channel == "phone" and not E164.fullmatch(value):
        raise Unprocessable(f"{data.external_id!r} is not a phone number (E.164: +4915112345678)")
    return data.channel, value


def _taken(channel: str, value: str, owner: str) -> Conflict:
    return Conflict(f"identity {channel}:{value} is linked to customer {owner}", code="conflicting_identity")


async def _attach(
    repo: CustomerRepository, customer: Customer, channel: str, value: str, *, author: str | None = None
) -> None:
    """Link an identity to a profile, with the unlinked conversations its author had (`author`: the
    id a message just came with, which alone is matched, and only in resolved conversations, as
    routing holds open ones)."""
    repo.add(
        CustomerIdentity(
            tenant_id=customer.tenant_id,
            channel=channel,
            external_id=value,
            customer_id=customer.id,
            created_at=now(),
        )
    )
    await repo.link_conversations(
        customer.tenant_id,
        channel=channel,
        authors=[author] if author is not None else _spellings(channel, value),
        case_insensitive=author is None and channel in CASELESS_CHANNELS,
        current=None,
        customer_id=customer.id,
        resolved_only=author is not None,
    )


async def _get(repo: CustomerRepository, tenant_id: str, customer_id: str) -> Customer:
    customer = await repo.get(tenant_id, customer_id)
    if customer is None:
        raise NotFound(f"no customer {customer_id}")
    return customer


async def _out(repo: CustomerRepository, customer: Customer) -> CustomerOut:
    identities = await repo.identities(customer.tenant_id, customer.id)
    notes = await repo.notes(customer.id)
    return CustomerOut(
        id=customer.id,
        external_id=customer.external_id,
        name=customer.name,
        attributes=customer.attributes,
        identities=[
            IdentityOut(channel=i.channel, external_id=i.external_id, linked_at=i.created_at)
            for i in identities
        ],
        notes=[NoteOut(id=n.id, author=n.author, text=n.text, created_at=n.created_at) for n in notes],
        created_at=customer.created_at,
        updated_at=customer.updated_at,
    )


async def _target(
    repo: CustomerRepository, tenant_id: str, data: CustomerIn, linked: dict[tuple[str, str], str]
) -> Customer | None:
    """The profile an upsert changes: the one with the CRM id, else the one profile its identities
    point to (if that has no other CRM id); None: a new one. Conflict for identities of another."""
    target = await repo.by_external_id(tenant_id, data.external_id) if data.external_id else None
    if target is None and linked:
        owner = await _get(repo, tenant_id, next(iter(linked.values())))
        if owner.external_id is None or data.external_id is None:
            target = owner
    for (channel, value), owner_id in linked.items():
        if target is None or owner_id != target.id:
            raise _taken(channel, value, owner_id)
    return target


async def upsert(uow: UnitOfWork, *, tenant_id: str, data: CustomerIn) -> tuple[CustomerOut, bool]:
    """Create or update a profile by the CRM's id (else by its identities) and link its identities;
    whether it is new. The same body again changes nothing."""
    if data.external_id is None and not data.identities:
        raise Unprocessable("a customer needs an external_id or at least one identity")
    repo = CustomerRepository(uow.session)
    wanted = list(dict.fromkeys(_identity(i) for i in data.identities))
    linked: dict[tuple[str, str], str] = {}
    for channel, value in wanted:
        row = await repo.identity(tenant_id, channel, value)
        if row is not None:
            linked[channel, value] = row.customer_id
    customer = await _target(repo, tenant_id, data, linked)
    created = customer is None
    moment = now()
    if customer is None:
        customer = Customer(
            id=new_id(), tenant_id=tenant_id, attributes={}, created_at=moment, updated_at=moment
        )
    attributes = {**customer.attributes, **data.attributes}
    changes: dict[str, Any] = {
        "external_id": data.external_id or customer.external_id,
        "name": data.name or customer.name,
        "attributes": {key: item for key, item in attributes.items() if item is not None},
    }
    if created or any(getattr(customer, field) != new for field, new in changes.items()):
        for field, new in changes.items():
            setattr(customer, field, new)
        customer.updated_at = moment
        repo.add(customer)
        await uow.session.flush()
    for channel, value in wanted:
        if (channel, value) not in linked:
            await _attach(repo, customer, channel, value)
    await uow.session.flush()
    return await _out(repo, customer), created


class BulkIn(BaseModel):
    """Customers for `POST /v1/customers/bulk`."""

    model_config = ConfigDict(extra="forbid")

    customers: list[CustomerIn] = Field(min_length=1, max_length=MAX_BULK)


class BulkResult(BaseModel):
    """What became of one item."""

    outcome: Literal["created", "updated", "error"]
    customer: CustomerOut | None = None
    error: str | None = None
    detail: str | None = None


class BulkOut(BaseModel):
    """One result per item, in order."""

    results: list[BulkResult]


async def upsert_many(uow: UnitOfWork, *, tenant_id: str, data: BulkIn) -> BulkOut:
    """Upsert each item in a savepoint of its own, so one refused item leaves the others done."""
    results: list[BulkResult] = []
    for item in data.customers:
        try:
            async with uow.session.begin_nested():
                customer, created = await upsert(uow, tenant_id=tenant_id, data=item)
        except WebcareError as exc:
            results.append(BulkResult(outcome="error", error=exc.code, detail=exc.detail))
            continue
        results.append(BulkResult(outcome="created" if created else "updated", customer=customer))
    return BulkOut(results=results)


async def profile(uow: UnitOfWork, *, tenant_id: str, customer_id: str) -> CustomerOut:
    """One profile with its identities and notes, or NotFound."""
    repo = CustomerRepository(uow.session)
    return await _out(repo, await _get(repo, tenant_id, customer_id))


async def find(uow: UnitOfWork, *, tenant_id: str, channel: str, external_id: str) -> CustomerOut:
    """The profile an identity is linked to, or NotFound."""
    repo = CustomerRepository(uow.session)
    value = normalise(channel, external_id)
    row = await repo.identity(tenant_id, channel, value)
    if row is None:
        raise NotFound(f"no customer with identity {channel}:{value}")
    return await profile(uow, tenant_id=tenant_id, customer_id=row.customer_id)


async def link(
    uow: UnitOfWork, *, tenant_id: str, customer_id: str, data: IdentityIn
) -> tuple[CustomerOut, bool]:
    """Link an identity to a profile (Conflict if another has it); whether it was not linked yet."""
    repo = CustomerRepository(uow.session)
    customer = await _get(repo, tenant_id, customer_id)
    channel, value = _identity(data)
    row = await repo.identity(tenant_id, channel, value)
    if row is not None and row.customer_id != customer.id:
        raise _taken(channel, value, row.customer_id)
    if row is None:
        await _attach(repo, customer, channel, value)
        await uow.session.flush()
    return await _out(repo, customer), row is None


async def unlink(
    uow: UnitOfWork, *, tenant_id: str, customer_id: str, channel: str, external_id: str
) -> None:
    """Unlink an identity from a profile, with its author's conversations; NotFound if it is not this
    profile's."""
    repo = CustomerRepository(uow.session)
    customer = await _get(repo, tenant_id, customer_id)
    value = normalise(channel, external_id)
    row = await repo.identity(tenant_id, channel, value)
    if row is None or row.customer_id != customer.id:
        raise NotFound(f"identity {channel}:{value} is not linked to customer {customer_id}")
    await repo.delete(row)
    await repo.link_conversations(
        tenant_id,
        channel=channel,
        authors=_spellings(channel, value),
        case_insensitive=channel in CASELESS_CHANNELS,
        current=customer.id,
        customer_id=None,
    )


async def add_note(uow: UnitOfWork, *, principal: Principal, customer_id: str, data: NoteIn) -> NoteOut:
    """Leave a note on a profile from the calling agent."""
    repo = CustomerRepository(uow.session)
    customer = await _get(repo, principal.tenant_id, customer_id)
    note = CustomerNote(
        id=new_id(),
        customer_id=customer.id,
        author=principal.agent_id or principal.key_id,
        text=data.text,
        created_at=now(),
    )
    repo.add(note)
    await uow.session.flush()
    return NoteOut(id=note.id, author=note.author, text=note.text, created_at=note.created_at)


async def history(uow: UnitOfWork, *, tenant_id: str, customer_id: str, limit: int) -> HistoryOut:
    """A profile's conversations on every channel, newest first, and its repeat contacts by category."""
    repo = CustomerRepository(uow.session)
    customer = await _get(repo, tenant_id, customer_id)
    rows: Sequence[Conversation] = await repo.history(tenant_id, customer.id, limit=limit)
    return HistoryOut(
        customer_id=customer.id,
        items=[
            ContactOut(
                conversation_id=c.id,
                channel=c.channel,
                category=c.category,
                status=Status(c.status),
                opened_at=c.opened_at,
                resolved_at=c.resolved_at,
                assignee_id=c.assignee_id,
                message_count=c.message_count,
            )
            for c in rows
        ],
        repeat_contacts=await repo.contacts_since(tenant_id, customer.id, since=now() - REPEAT_WINDOW),
    )


async def link_author(
    uow: UnitOfWork, *, tenant_id: str, channel: str, external_id: str, name: str
) -> str | None:
    """The profile of a message's author, linked (and created) on the way; None for an anonymous one."""
    if not external_id:
        return None
    repo = CustomerRepository(uow.session)
    value = normalise(channel, external_id)
    row = await repo.identity(tenant_id, channel, value)
    if row is not None:
        return row.customer_id
    customer: Customer | None = None
    for proven in PROVEN_ON.get(channel, ()):
        match = await repo.identity(tenant_id, proven, value)
        if match is not None:
            customer = await _get(repo, tenant_id, match.customer_id)
            break
    try:
        # Another conversation of the same new author may be opening at this moment: the identity's
        # unique key decides, and the loser takes the winner's profile instead of failing its batch.
        async with uow.session.begin_nested():
            if customer is None:
                moment = now()
                customer = Customer(
                    id=new_id(),
                    tenant_id=tenant_id,
                    name=name or None,
                    attributes={},
                    created_at=moment,
                    updated_at=moment,
                )
                repo.add(customer)
            await _attach(repo, customer, channel, value, author=external_id)
            await uow.session.flush()
    except IntegrityError:
        row = await repo.identity(tenant_id, channel, value)
        if row is None:
            raise
        return row.customer_id
    return customer.id


async def raised_urgency(uow: UnitOfWork, *, conversation: Conversation) -> int:
    """A new conversation's urgency: one more (up to `MAX_URGENCY`) when its customer opened one of the
    same category within `REPEAT_WINDOW`."""
    if conversation.profile_id is None:
        return conversation.urgency
    counts = await CustomerRepository(uow.session).contacts_since(
        conversation.tenant_id, conversation.profile_id, since=now() - REPEAT_WINDOW
    )
    if counts.get(conversation.category, 0) == 0:
        return conversation.urgency
    return min(MAX_URGENCY, conversation.urgency + 1)


async def last_agent(uow: UnitOfWork, *, tenant_id: str, customer_id: str | None) -> str | None:
    """Who last served the customer on any channel, if anyone did."""
    if customer_id is None:
        return None
    return await CustomerRepository(uow.session).last_agent(tenant_id, customer_id)
