"""A tenant's reply policy: the checks before sending, four-eyes approval, the quality-review sample."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField

from services.kit.events import now
from services.kit.uow import UnitOfWork
from services.reply.checks import ReplyRules
from services.reply.models import ReplyPolicy

Approval = Literal["off", "crisis", "public", "all"]


class ReplyPolicyIn(BaseModel):
    """How a tenant's answers are checked, approved and reviewed."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "rules": {"length": "block", "window": "block", "tone": "warn", "private_data": "block"},
                    "approval": "crisis",
                    "review_sample_rate": 0.05,
                }
            ]
        },
    )

    rules: ReplyRules = PydanticField(default_factory=ReplyRules)
    approval: Approval = PydanticField(
        default="off",
        description="which replies wait for a supervisor's approval before they leave: none, replies "
        "in crisis conversations, every public reply (crisis ones too), or all",
    )
    review_sample_rate: float = PydanticField(
        default=0.0, ge=0.0, le=1.0, description="the share of sent replies drawn for quality review"
    )


class ReplyPolicyOut(ReplyPolicyIn):
    """A tenant's reply policy as the API shows it."""

    updated_at: datetime | None = None


DEFAULT = ReplyPolicyOut()
PARSED_KEPT = 1024  # policies parsed, by tenant and version


async def policy_of(uow: UnitOfWork, tenant_id: str) -> ReplyPolicyOut:
    """The tenant's reply policy, or the defaults."""
    return policy_from(await uow.session.get(ReplyPolicy, tenant_id))


def policy_from(row: ReplyPolicy | None) -> ReplyPolicyOut:
    """A stored policy as the checks use it, or the defaults. Each version of a tenant's policy (its
    `updated_at`, new with every change, and its rules) is validated once; callers must not change
    what they get."""
    if row is None:
        return DEFAULT
    key = (row.tenant_id, row.updated_at, row.approval, row.review_sample_rate, repr(row.rules))
    found = _parsed.get(key)
    if found is None:
        if len(_parsed) >= PARSED_KEPT:
            _parsed.clear()
        found = _parsed[key] = ReplyPolicyOut(
            rules=ReplyRules.model_validate(row.rules),
            approval=row.approval,
            review_sample_rate=row.review_sample_rate,
            updated_at=row.updated_at,
        )
    return found


_parsed: dict[tuple[str, datetime, str, float, str], ReplyPolicyOut] = {}


async def put_policy(uow: UnitOfWork, tenant_id: str, data: ReplyPolicyIn) -> ReplyPolicyOut:
    """Replace the tenant's reply policy."""
    row = await uow.session.get(ReplyPolicy, tenant_id) or ReplyPolicy(tenant_id=tenant_id, updated_at=now())
    row.rules = data.rules.model_dump(mode="json")
    row.approval = data.approval
    row.review_sample_rate = data.review_sample_rate
    row.updated_at = now()
    uow.session.add(row)
    return ReplyPolicyOut(**data.model_dump(), updated_at=row.updated_at)


def needs_approval(policy: ReplyPolicyIn, *, category: str, is_public: bool) -> bool:
    """Whether a reply waits for a supervisor before it leaves."""
    crisis = category == "crisis"
    return (
        policy.approval == "all"
        or (policy.approval == "public" and (is_public or crisis))
        or (policy.approval == "crisis" and crisis)
    )
