"""Canned answers: a tenant's templates per situation and language, with {{variables}}, and the ones
that fit a conversation."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic import Field as PydanticField
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from services.kit.errors import Conflict, NotFound, Unprocessable
from services.kit.events import now
from services.kit.ids import new_id
from services.kit.uow import UnitOfWork
from services.reply.models import MAX_REPLY, ConversationView, ReplyTemplate

Situation = Literal["crisis", "question", "complaint", "untruth", "compliment", "lead", "any"]
MAX_VARIABLES = 50
MAX_SUGGESTIONS = 10
VARIABLE = re.compile(r"\{\{\s*([a-z][a-z0-9_]{0,63})\s*\}\}")


class TemplateIn(BaseModel):
    """A canned answer. `{{name}}` marks a variable: customer_name and case_number are known from
    the conversation; others (agent_name ...) come with the reply."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Störung bestätigt",
                    "situation": "complaint",
                    "language": "de",
                    "text": "Hallo {{customer_name}}, das tut uns leid! Wir kümmern uns darum "
                    "(Fall {{case_number}}). Viele Grüße, {{agent_name}}",
                }
            ]
        },
    )

    name: str = PydanticField(min_length=1, max_length=200)
    situation: Situation
    language: str = PydanticField(pattern=r"^[a-z]{2}$", description="ISO 639-1")
    channels: list[str] = PydanticField(
        default_factory=list, max_length=10, description="channels it suits; empty: every channel"
    )
    text: str = PydanticField(min_length=1, max_length=MAX_REPLY)

    @field_validator("text")
    @classmethod
    def _balanced(cls, value: str) -> str:
        if len(set(VARIABLE.findall(value))) > MAX_VARIABLES:
            raise ValueError(f"a template has at most {MAX_VARIABLES} variables")
        if "{{" in VARIABLE.sub("", value) or "}}" in VARIABLE.sub("", value):
            raise ValueError("variables are written {{name}}: lower-case letters, digits and _")
        return value


class TemplateOut(TemplateIn):
    """A template as the API shows it."""

    id: str
    variables: list[str]
    created_at: datetime
    updated_at: datetime


class Suggestion(BaseModel):
    """A template that fits a conversation, filled in as far as the conversation tells."""

    template: TemplateOut
    text: str = PydanticField(description="the template with the variables known so far filled in")
    missing: list[str] = PydanticField(description="variables the reply must still give")


def variables_of(text: str) -> list[str]:
    """The variables a template text uses, in order of first use."""
    return list(dict.fromkeys(VARIABLE.findall(text)))


def template_out(row: ReplyTemplate) -> TemplateOut:
    """The API's view of a template."""
    return TemplateOut(
        id=row.id,
        name=row.name,
        situation=row.situation,
        language=row.language,
        channels=list(row.channels),
        text=row.text,
        variables=variables_of(row.text),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def known_variables(view: ConversationView) -> dict[str, str]:
    """What the conversation tells of the variables."""
    known = {"case_number": view.id, "channel": view.channel}
    if view.customer_name:
        known["customer_name"] = view.customer_name
    return known


def fill(text: str, variables: Mapping[str, str]) -> tuple[str, list[str]]:
    """The text with the given variables filled in, and the ones still missing."""
    missing: list[str] = []

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in variables:
            return variables[name]
        missing.append(name)
        return match.group(0)

    return VARIABLE.sub(value, text), list(dict.fromkeys(missing))


def render(row: ReplyTemplate, view: ConversationView, given: Mapping[str, str]) -> str:
    """A template filled in for a reply; 422 naming the variables nobody gave."""
    text, missing = fill(row.text, {**known_variables(view), **given})
    if missing:
        raise Unprocessable(
            f"the template needs {', '.join(missing)}: give them in `variables`", code="missing_variables"
        )
    return text


async def create(uow: UnitOfWork, tenant_id: str, data: TemplateIn) -> ReplyTemplate:
    """Store a new template (409 when the tenant has one of that name and language)."""
    moment = now()
    row = ReplyTemplate(
        id=new_id(), tenant_id=tenant_id, created_at=moment, updated_at=moment, **data.model_dump()
    )
    uow.session.add(row)
    await _flush(uow, data)
    return row


async def replace(uow: UnitOfWork, tenant_id: str, template_id: str, data: TemplateIn) -> ReplyTemplate:
    """Change a template."""
    row = await get(uow, tenant_id, template_id)
    for name, value in data.model_dump().items():
        setattr(row, name, value)
    row.updated_at = now()
    uow.session.add(row)
    await _flush(uow, data)
    return row


async def _flush(uow: UnitOfWork, data: TemplateIn) -> None:
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        raise Conflict(f"there is a template {data.name!r} in {data.language} already") from exc


async def get(uow: UnitOfWork, tenant_id: str, template_id: str) -> ReplyTemplate:
    """One template of a tenant (404 when there is none)."""
    row = await uow.session.get(ReplyTemplate, template_id)
    if row is None or row.tenant_id != tenant_id:
        raise NotFound(f"no template {template_id}")
    return row


async def delete(uow: UnitOfWork, tenant_id: str, template_id: str) -> None:
    """Remove a template (404 when the tenant has none of that id)."""
    await uow.session.delete(await get(uow, tenant_id, template_id))


async def listed(
    uow: UnitOfWork, tenant_id: str, *, situation: str | None = None, language: str | None = None
) -> Sequence[ReplyTemplate]:
    """A tenant's templates, by name."""
    query = select(ReplyTemplate).where(ReplyTemplate.tenant_id == tenant_id)
    if situation is not None:
        query = query.where(ReplyTemplate.situation == situation)
    if language is not None:
        query = query.where(ReplyTemplate.language == language)
    return (await uow.session.exec(query.order_by(col(ReplyTemplate.name), col(ReplyTemplate.id)))).all()


async def suggest(uow: UnitOfWork, view: ConversationView) -> list[Suggestion]:
    """The templates that fit a conversation, best first: its situation (classify's category) before
    `any`, its language before others, and only those for its channel (or every channel)."""
    rows = await listed(uow, view.tenant_id)
    fitting = [
        row
        for row in rows
        if row.situation in (view.category, "any") and (not row.channels or view.channel in row.channels)
    ]
    fitting.sort(key=lambda row: (row.situation != view.category, row.language != view.language, row.name))
    known = known_variables(view)
    suggestions = []
    for row in fitting[:MAX_SUGGESTIONS]:
        text, missing = fill(row.text, known)
        suggestions.append(Suggestion(template=template_out(row), text=text, missing=missing))
    return suggestions
