"""First-response SLAs: a tenant's targets by channel, publicity and urgency, counted around the clock
or in the business hours of one of its calendars.

A conversation's due time is fixed when it opens (the first target that applies sets it), so a later
change of policy or calendar does not move a running clock. Queue order uses it: priority, then the
earliest breach, then age.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.kit.errors import Conflict, NotFound, Unprocessable
from services.kit.events import now
from services.kit.ids import new_id
from services.kit.schemas import cut
from services.kit.uow import UnitOfWork
from services.routing.calendar import BusinessCalendar, CalendarError
from services.routing.models import BusinessCalendarRow, Conversation, SlaPolicy
from services.routing.repository import ConversationRepository, SlaRepository

log = logging.getLogger(__name__)

MAX_TARGET_SECONDS = 30 * 24 * 3600


class SlaTarget(BaseModel):
    """A first-response target and the conversations it applies to (all conditions must hold)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    channels: list[str] | None = Field(
        default=None, max_length=20, description="the channels it applies to; every channel when left out"
    )
    public: bool | None = Field(
        default=None, description="public posts only (true), private messages only (false), or either"
    )
    min_urgency: int = Field(default=1, ge=1, le=5, description="applies from this urgency up")
    first_response_seconds: int = Field(ge=60, le=MAX_TARGET_SECONDS)

    def applies(self, conversation: Conversation) -> bool:
        """Whether this target is the conversation's (if no earlier one is)."""
        return (
            (self.channels is None or conversation.channel in self.channels)
            and (self.public is None or self.public == conversation.is_public)
            and conversation.urgency >= self.min_urgency
        )


# The industry's usual promises, for tenants that set none.
DEFAULT_TARGETS = (
    SlaTarget(name="e-mail", channels=["email"], first_response_seconds=24 * 3600),
    SlaTarget(name="public posts", public=True, first_response_seconds=60 * 60),
    SlaTarget(name="private messages", public=False, first_response_seconds=30 * 60),
)


class SlaPolicyIn(BaseModel):
    """A tenant's SLA policy: the first target that applies to a conversation sets its due time."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "targets": [
                        {"name": "crisis", "min_urgency": 5, "first_response_seconds": 900},
                        {"name": "e-mail", "channels": ["email"], "first_response_seconds": 86400},
                        {"name": "public posts", "public": True, "first_response_seconds": 3600},
                        {"name": "private messages", "first_response_seconds": 1800},
                    ],
                    "calendar_id": None,
                }
            ]
        },
    )

    targets: list[SlaTarget] = Field(min_length=1, max_length=50)
    calendar_id: str | None = Field(
        default=None,
        description="count business hours of this calendar only; around the clock when left out",
    )
    escalate_at: float | None = Field(
        default=0.8,
        gt=0,
        le=1,
        description="share of a target after which a conversation without a first response escalates "
        "(ConversationEscalated); null: only crises escalate",
    )

    @field_validator("targets")
    @classmethod
    def _unique(cls, value: list[SlaTarget]) -> list[SlaTarget]:
        names = [target.name for target in value]
        if len(set(names)) != len(names):
            raise ValueError("target names must be unique")
        return value


class SlaPolicyOut(SlaPolicyIn):
    """The SLA policy in force."""

    is_default: bool
    updated_at: datetime | None


class CalendarIn(BaseModel):
    """A business calendar: opening blocks per weekday in a time zone, and holidays."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Kundenservice DE",
                    "timezone": "Europe/Berlin",
                    "week": {
                        day: [["08:00", "12:00"], ["13:00", "18:00"]]
                        for day in ("mon", "tue", "wed", "thu", "fri")
                    },
                    "holidays": ["2026-12-24", "2026-12-25", "2026-12-26"],
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=200)
    timezone: str = Field(min_length=1, max_length=64, description="an IANA time zone, e.g. Europe/Berlin")
    week: dict[str, list[list[str]]] = Field(
        description='opening blocks per weekday ("mon".."sun"), e.g. [["08:00", "12:00"]]; days left out '
        'are closed; "24:00" ends a block at midnight'
    )
    holidays: list[str] = Field(default_factory=list, description="closed local dates, YYYY-MM-DD")

    @model_validator(mode="after")
    def _valid(self) -> Self:
        self.calendar()
        return self

    def calendar(self) -> BusinessCalendar:
        """The calendar this describes (ValueError, a 422, when it is not one)."""
        try:
            return BusinessCalendar.of(self.timezone, self.week, self.holidays)
        except CalendarError as exc:
            raise ValueError(str(exc)) from None


class CalendarOut(BaseModel):
    """A business calendar as the API shows it."""

    id: str
    name: str
    timezone: str
    week: dict[str, list[list[str]]]
    holidays: list[str]
    created_at: datetime
    updated_at: datetime


def calendar_out(row: BusinessCalendarRow) -> CalendarOut:
    """The API's view of a calendar."""
    return CalendarOut.model_validate(row, from_attributes=True)


@dataclass(frozen=True)
class Deadline:
    """What the SLA policy says about one conversation (all None when no target applies)."""

    due: datetime | None = None
    target: str | None = None
    escalate_at: datetime | None = None


@dataclass(frozen=True)
class Clock:
    """A tenant's SLA clock: its targets, counted around the clock or in a calendar's business hours."""

    targets: Sequence[SlaTarget]
    calendar: BusinessCalendar | None = None
    escalate_share: float | None = 0.8

    def deadline(self, conversation: Conversation) -> Deadline:
        """When the conversation's first response is due, the target that says so, and when it
        escalates without one."""
        for target in self.targets:
            if target.applies(conversation):
                allowed = timedelta(seconds=target.first_response_seconds)
                escalate = None
                if self.escalate_share is not None:
                    escalate = self._after(conversation.opened_at, allowed * self.escalate_share)
                return Deadline(self._after(conversation.opened_at, allowed), target.name, escalate)
        return Deadline()

    def _after(self, start: datetime, allowed: timedelta) -> datetime:
        return self.calendar.add(start, allowed) if self.calendar else start + allowed

    def remaining(self, due: datetime, at: datetime) -> timedelta:
        """Time left until `due` on this clock; negative once it has passed."""
        if self.calendar is None:
            return due - at
        return self.calendar.between(at, due) if at <= due else -self.calendar.between(due, at)


def _open(row: BusinessCalendarRow) -> BusinessCalendar:
    return BusinessCalendar.of(row.timezone, row.week, row.holidays)


async def clock(uow: UnitOfWork, tenant_id: str) -> Clock:
    """The tenant's SLA clock now."""
    repo = SlaRepository(uow.session)
    policy = await repo.policy(tenant_id)
    if policy is None:
        return Clock(DEFAULT_TARGETS)
    targets = [SlaTarget.model_validate(target) for target in policy.targets]
    row = await repo.calendar(tenant_id, policy.calendar_id) if policy.calendar_id else None
    if policy.calendar_id and row is None:  # deleting a calendar in use is refused; a guard, logged
        log.error("SLA calendar %s of %s is gone; counting around the clock", policy.calendar_id, tenant_id)
    return Clock(targets, _open(row) if row else None, policy.escalate_at)


async def queue(
    uow: UnitOfWork, *, tenant_id: str, name: str, limit: int
) -> list[tuple[Conversation, float | None]]:
    """A queue's waiting conversations in queue order, each with the seconds its SLA has left on the
    SLA's own clock (negative once breached; None without a target)."""
    rows = await ConversationRepository(uow.session).queue(tenant_id, name, limit=limit)
    tenant_clock = await clock(uow, tenant_id)
    moment = now()
    return [
        (
            row,
            tenant_clock.remaining(row.first_response_due_at, moment).total_seconds()
            if row.first_response_due_at is not None
            else None,
        )
        for row in rows
    ]


async def get_policy(uow: UnitOfWork, *, tenant_id: str) -> SlaPolicyOut:
    """The tenant's SLA policy, or the default."""
    policy = await SlaRepository(uow.session).policy(tenant_id)
    if policy is None:
        return SlaPolicyOut(targets=list(DEFAULT_TARGETS), calendar_id=None, is_default=True, updated_at=None)
    return SlaPolicyOut(
        targets=[SlaTarget.model_validate(t) for t in policy.targets],
        calendar_id=policy.calendar_id,
        escalate_at=policy.escalate_at,
        is_default=False,
        updated_at=policy.updated_at,
    )


async def set_policy(uow: UnitOfWork, *, tenant_id: str, data: SlaPolicyIn) -> SlaPolicyOut:
    """Replace the tenant's SLA policy; it applies to conversations opened from now on."""
    repo = SlaRepository(uow.session)
    if data.calendar_id is not None and await repo.calendar(tenant_id, data.calendar_id) is None:
        raise Unprocessable(f"no calendar {data.calendar_id}", code="unknown_calendar")
    policy = await repo.policy(tenant_id) or SlaPolicy(tenant_id=tenant_id, updated_at=now())
    policy.targets = [target.model_dump() for target in data.targets]
    policy.calendar_id = data.calendar_id
    policy.escalate_at = data.escalate_at
    policy.updated_at = now()
    repo.add(policy)
    await uow.session.flush()
    return SlaPolicyOut(**data.model_dump(), is_default=False, updated_at=policy.updated_at)


async def create_calendar(uow: UnitOfWork, *, tenant_id: str, data: CalendarIn) -> BusinessCalendarRow:
    """Add a calendar."""
    moment = now()
    shape = data.calendar().to_api()  # normalised: sorted blocks and holidays
    row = BusinessCalendarRow(
        id=new_id(),
        tenant_id=tenant_id,
        name=data.name,
        timezone=shape["timezone"],
        week=shape["week"],
        holidays=shape["holidays"],
        created_at=moment,
        updated_at=moment,
    )
    SlaRepository(uow.session).add(row)
    await uow.session.flush()
    return row


async def get_calendar(uow: UnitOfWork, *, tenant_id: str, calendar_id: str) -> BusinessCalendarRow:
    """One calendar, or NotFound."""
    row = await SlaRepository(uow.session).calendar(tenant_id, calendar_id)
    if row is None:
        raise NotFound(f"no calendar {calendar_id}")
    return row


async def list_calendars(
    uow: UnitOfWork, *, tenant_id: str, limit: int, cursor: str | None
) -> tuple[Sequence[BusinessCalendarRow], str | None]:
    """A page of the tenant's calendars and the cursor of the next."""
    rows = await SlaRepository(uow.session).calendars(tenant_id, limit=limit + 1, after=cursor)
    return cut(rows, limit)


async def replace_calendar(
    uow: UnitOfWork, *, tenant_id: str, calendar_id: str, data: CalendarIn
) -> BusinessCalendarRow:
    """Change a calendar; running clocks keep their due times, new conversations get the new hours."""
    row = await get_calendar(uow, tenant_id=tenant_id, calendar_id=calendar_id)
    _fill(row, data)
    row.updated_at = now()
    SlaRepository(uow.session).add(row)
    await uow.session.flush()
    return row


async def delete_calendar(uow: UnitOfWork, *, tenant_id: str, calendar_id: str) -> None:
    """Remove a calendar the SLA policy does not use."""
    repo = SlaRepository(uow.session)
    row = await get_calendar(uow, tenant_id=tenant_id, calendar_id=calendar_id)
    policy = await repo.policy(tenant_id)
    if policy is not None and policy.calendar_id == calendar_id:
        raise Conflict("the SLA policy counts in this calendar; change the policy first")
    await repo.delete(row)


def _fill(row: BusinessCalendarRow, data: CalendarIn) -> None:
    shape: dict[str, Any] = data.calendar().to_api()  # normalised: sorted blocks and holidays
    row.name = data.name
    row.timezone = shape["timezone"]
    row.week = shape["week"]
    row.holidays = shape["holidays"]
