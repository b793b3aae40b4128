"""Reply's logic: keep track of conversations, send agents' answers, announce what happened."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from webcare.v1 import conversations_pb2

from services.kit.auth import Principal, Role
from services.kit.errors import Conflict, NotFound, Unprocessable, WebcareError
from services.kit.events import now, to_datetime
from services.kit.ids import new_id
from services.kit.runtime import Runtime
from services.kit.uow import UnitOfWork
from services.reply import templates
from services.reply.checks import Checked, Draft, check
from services.reply.models import (
    EDITABLE,
    ConversationView,
    FindingOut,
    Reply,
    ReplyEdit,
    ReplyIn,
    ReplyPolicy,
    ReplyStatus,
    finding_out,
)
from services.reply.policy import ReplyPolicyOut, needs_approval, policy_from, policy_of
from services.reply.repository import ConversationViewRepository, ReplyRepository

REFERENCES_KEPT = 20  # an e-mail answer names the thread's latest message ids, as mail clients do


async def conversation_opened(uow: UnitOfWork, event: conversations_pb2.ConversationOpened) -> None:
    """Remember where a new conversation is answered."""
    repo = ConversationViewRepository(uow.session)
    view = await repo.get(event.conversation_id) or ConversationView(
        id=event.conversation_id, tenant_id=event.tenant_id, channel=event.channel
    )
    view.channel = event.channel
    view.channel_account_id = event.channel_account_id
    view.customer_id = event.customer.external_id
    view.is_public = event.is_public
    view.in_reply_to = event.first_message_external_id
    view.category = event.category
    view.language = event.language
    view.customer_name = (event.customer.name or event.customer.handle)[:256]
    view.subject = event.subject[:998]
    if event.HasField("first_message_at"):
        view.last_customer_message_at = to_datetime(event.first_message_at)
    view.last_message_external_id = event.first_message_external_id
    view.references = [event.first_message_external_id] if event.first_message_external_id else []
    repo.save(view)


async def message_added(uow: UnitOfWork, event: conversations_pb2.ConversationMessageAdded) -> None:
    """Remember the customer's latest message: answers refer to it, and Meta's 24-hour window
    starts with it. Messages of other people in a public thread change neither."""
    if event.community_member:
        return
    view = await _view(uow, event.tenant_id, event.conversation_id)
    if event.HasField("sent_at"):
        sent_at = to_datetime(event.sent_at)
        if view.last_customer_message_at is None or sent_at >= view.last_customer_message_at:
            view.last_customer_message_at = sent_at
            view.last_message_external_id = event.message_external_id or view.last_message_external_id
    if event.message_external_id and event.message_external_id not in (view.references or []):
        view.references = [*(view.references or []), event.message_external_id][-REFERENCES_KEPT:]
    ConversationViewRepository(uow.session).save(view)


async def conversation_assigned(uow: UnitOfWork, event: conversations_pb2.ConversationAssigned) -> None:
    """Remember who holds a conversation."""
    view = await _view(uow, event.tenant_id, event.conversation_id)
    view.assignee_id = event.agent_id
    ConversationViewRepository(uow.session).save(view)


async def conversation_resolved(uow: UnitOfWork, event: conversations_pb2.ConversationResolved) -> None:
    """Remember that a conversation is closed."""
    view = await _view(uow, event.tenant_id, event.conversation_id)
    view.resolved = True
    ConversationViewRepository(uow.session).save(view)


async def conversation_transferred(uow: UnitOfWork, event: conversations_pb2.ConversationTransferred) -> None:
    """Remember who holds a conversation handed on: the new agent, or no one while it is back in the
    queue (the one who handed it on answers no more)."""
    view = await _view(uow, event.tenant_id, event.conversation_id)
    view.assignee_id = event.to_agent_id or None
    ConversationViewRepository(uow.session).save(view)


async def conversation_reopened(uow: UnitOfWork, event: conversations_pb2.ConversationReopened) -> None:
    """Remember that a conversation is open again; whoever it goes to arrives as ConversationAssigned."""
    view = await _view(uow, event.tenant_id, event.conversation_id)
    view.resolved = False
    view.assignee_id = None
    ConversationViewRepository(uow.session).save(view)


async def _view(uow: UnitOfWork, tenant_id: str, conversation_id: str) -> ConversationView:
    # Events of one conversation arrive in order, but a view may be missing if Opened was never seen.
    found = await ConversationViewRepository(uow.session).get(conversation_id)
    return found or ConversationView(id=conversation_id, tenant_id=tenant_id, channel="unknown")


class ReplyBlocked(Unprocessable):
    """The tenant's checks block this answer; the findings say why and what to do."""

    code = "reply_blocked"

    def __init__(self, findings: list[FindingOut]) -> None:
        super().__init__("the tenant's reply checks block this answer")
        self.detail = {  # type: ignore[assignment]
            "message_de": "Die Antwort verstößt gegen die Richtlinien des Unternehmens.",
            "message_en": "The answer breaks the company's guidelines.",
            "findings": [finding.model_dump(mode="json") for finding in findings],
        }


def _author(principal: Principal, view: ConversationView) -> str:
    return principal.agent_id or view.assignee_id or principal.key_id


def _actor(principal: Principal) -> str:
    return principal.agent_id or principal.key_id


async def answerable(uow: UnitOfWork, principal: Principal, conversation_id: str) -> ConversationView:
    """A conversation the caller may answer: a supervisor any of the tenant's, an agent their own."""
    view = await ConversationViewRepository(uow.session).get_for(principal.tenant_id, conversation_id)
    return _may_answer(principal, conversation_id, view)


def _may_answer(
    principal: Principal, conversation_id: str, view: ConversationView | None
) -> ConversationView:
    if view is None or not (principal.may_act_as(Role.supervisor) or view.assignee_id == principal.agent_id):
        raise NotFound(f"no conversation {conversation_id}")
    return view


async def _compose(
    uow: UnitOfWork, view: ConversationView, data: ReplyIn | ReplyEdit
) -> tuple[str, str | None]:
    """The answer's text, from the request or from a template; and the template's id."""
    if data.template_id is None:
        assert data.text is not None
        return data.text, None
    row = await templates.get(uow, view.tenant_id, data.template_id)
    return templates.render(row, view, data.variables), row.id


def _check(reply: Reply, view: ConversationView, policy: ReplyPolicyOut) -> Checked:
    """Run the tenant's checks over a reply and keep what they found on it."""
    checked = check(
        Draft(
            text=reply.text,
            channel=reply.channel,
            is_public=reply.is_public,
            now=now(),
            last_customer_message_at=view.last_customer_message_at,
            template=reply.template_name or None,
            human_agent_tag=reply.human_agent_tag,
        ),
        policy.rules,
    )
    reply.parts = checked.parts if len(checked.parts) > 1 else None
    reply.findings = [finding_out(finding).model_dump(mode="json") for finding in checked.findings]
    reply.negative_words = checked.negative_words
    return checked


def _release(reply: Reply, view: ConversationView, policy: ReplyPolicyOut, lease_until: datetime) -> None:
    """After the checks passed: wait for a supervisor where the tenant wants four eyes, else send."""
    if needs_approval(policy, category=view.category, is_public=reply.is_public) and reply.decided_by is None:
        reply.status = ReplyStatus.awaiting_approval.value
    else:
        reply.status = ReplyStatus.sending.value
        reply.attempts += 1
        reply.lease_until = lease_until


async def accept_reply(
    uow: UnitOfWork,
    *,
    principal: Principal,
    conversation_id: str,
    data: ReplyIn,
    idempotency_key: str | None,
    lease_until: datetime,
) -> tuple[Reply, bool]:
    """Check an agent's answer and store it: as a draft, waiting for approval, or held by this
    process until `lease_until` for sending (it is sent next, see dispatch.py); whether it is new. A
    request repeated with the same idempotency key gets the first reply back."""
    found = await ConversationViewRepository(uow.session).with_policy(principal.tenant_id, conversation_id)
    request = ReplyRequest(principal, conversation_id, data, idempotency_key)
    reply, created = await _accept(uow, request, found, lease_until, {})
    if created:
        await _insert(uow, [reply])
    return reply, created


@dataclass(frozen=True)
class ReplyRequest:
    """An agent's answer as a request brought it."""

    principal: Principal
    conversation_id: str
    data: ReplyIn
    idempotency_key: str | None


async def accept_replies(
    rt: Runtime, requests: Sequence[ReplyRequest], *, lease: Callable[[datetime], datetime]
) -> list[tuple[Reply, bool] | Exception]:
    """Accept answers that came at the same time in one transaction (group commit, see
    kit/batching.py), as `accept_reply` does each: their conversations and policies read in one
    query, their new replies inserted in one. For each answer its reply and whether it is new, or
    the error that refuses that answer alone. A key that a concurrent request stored meanwhile spoils
    the insert: then each answer is accepted on its own, and only that one is refused."""
    answers: list[tuple[Reply, bool] | Exception] = []
    async with rt.unit_of_work() as uow:
        views = await ConversationViewRepository(uow.session).with_policies(
            [request.conversation_id for request in requests]
        )
        new: dict[tuple[str, str], Reply] = {}  # by tenant and idempotency key
        for request in requests:
            view, policy_row = views.get(request.conversation_id, (None, None))
            if view is None or view.tenant_id != request.principal.tenant_id:
                view, policy_row = None, None
            try:
                reply, created = await _accept(uow, request, (view, policy_row), lease(now()), new)
            except WebcareError as exc:
                answers.append(exc)
                continue
            if created:
                new[request.principal.tenant_id, reply.idempotency_key or reply.id] = reply
            answers.append((reply, created))
        await _insert(uow, list(new.values()))
    return answers


async def _insert(uow: UnitOfWork, replies: Sequence[Reply]) -> None:
    try:
        await ReplyRepository(uow.session).insert(replies)
    except IntegrityError as exc:  # the same key, accepted by a concurrent request just now
        raise Conflict("a reply with this Idempotency-Key is being accepted; repeat the request") from exc


async def _accept(
    uow: UnitOfWork,
    request: ReplyRequest,
    found: tuple[ConversationView | None, ReplyPolicy | None],
    lease_until: datetime,
    new: Mapping[tuple[str, str], Reply],
) -> tuple[Reply, bool]:
    """The reply an answer makes (not stored yet) and whether it is new, given the conversation and
    policy `found`, and the replies `new` in this transaction by tenant and idempotency key."""
    principal, conversation_id, data = request.principal, request.conversation_id, request.data
    view = _may_answer(principal, conversation_id, found[0])
    text, template_id = await _compose(uow, view, data)
    key = request.idempotency_key
    if key is not None:
        earlier = new.get((principal.tenant_id, key)) or await ReplyRepository(
            uow.session
        ).by_idempotency_key(principal.tenant_id, key)
        if earlier is not None:
            if earlier.conversation_id != conversation_id or earlier.text != text:
                raise Conflict("this Idempotency-Key was used for another reply")
            return earlier, False
    if view.resolved:
        raise Conflict("the conversation is resolved; reopen it to answer")
    reply_id = new_id()
    template = data.whatsapp_template
    reply = Reply(
        id=reply_id,
        tenant_id=principal.tenant_id,
        conversation_id=conversation_id,
        agent_id=_author(principal, view),
        channel=view.channel,
        text=text,
        status=ReplyStatus.draft.value,
        created_at=now(),
        channel_account_id=view.channel_account_id,
        recipient=view.customer_id,
        in_reply_to=view.last_message_external_id or view.in_reply_to,
        is_public=view.is_public,
        idempotency_key=key or reply_id,
        human_agent_tag=data.human_agent_tag,
        subject=view.subject,
        references=list(view.references or []),
        template_id=template_id,
        template_name=template.name if template else "",
        template_language=template.language if template else "",
        template_parameters=list(template.parameters) if template else None,
    )
    policy = policy_from(found[1])
    checked = _check(reply, view, policy)
    if not data.draft:
        if checked.blocked:
            raise ReplyBlocked([finding_out(finding) for finding in checked.findings])
        _release(reply, view, policy, lease_until)
    return reply, True


async def _own(
    uow: UnitOfWork, principal: Principal, conversation_id: str, reply_id: str
) -> tuple[Reply, ConversationView]:
    view = await answerable(uow, principal, conversation_id)
    reply = await ReplyRepository(uow.session).get(reply_id, for_update=True)
    if reply is None or reply.conversation_id != conversation_id or reply.tenant_id != principal.tenant_id:
        raise NotFound(f"no reply {reply_id}")
    return reply, view


async def edit_draft(
    uow: UnitOfWork, *, principal: Principal, conversation_id: str, reply_id: str, data: ReplyEdit
) -> Reply:
    """Change a draft (or a reply a supervisor sent back); the checks run again."""
    reply, view = await _own(uow, principal, conversation_id, reply_id)
    if reply.status not in EDITABLE:
        raise Conflict(f"the reply is {reply.status}; only drafts and rejected replies can be changed")
    if data.text is not None or data.template_id is not None:
        reply.text, reply.template_id = await _compose(uow, view, data)
    if data.human_agent_tag is not None:
        reply.human_agent_tag = data.human_agent_tag
    _check(reply, view, await policy_of(uow, principal.tenant_id))
    uow.session.add(reply)
    return reply


async def submit(
    uow: UnitOfWork, *, principal: Principal, conversation_id: str, reply_id: str, lease_until: datetime
) -> Reply:
    """Send a draft (or a rejected reply, changed): checked, then sent or put up for approval."""
    reply, view = await _own(uow, principal, conversation_id, reply_id)
    if reply.status not in EDITABLE:
        raise Conflict(f"the reply is {reply.status}; only drafts and rejected replies can be sent")
    if view.resolved:
        raise Conflict("the conversation is resolved; reopen it to answer")
    policy = await policy_of(uow, principal.tenant_id)
    checked = _check(reply, view, policy)
    if checked.blocked:
        raise ReplyBlocked([finding_out(finding) for finding in checked.findings])
    reply.decided_by = reply.decided_at = reply.rejection_reason = None
    _release(reply, view, policy, lease_until)
    uow.session.add(reply)
    return reply


async def decide(
    uow: UnitOfWork,
    *,
    principal: Principal,
    conversation_id: str,
    reply_id: str,
    approve: bool,
    reason: str = "",
    lease_until: datetime,
) -> Reply:
    """A supervisor lets a reply waiting for approval leave, or sends it back with a reason. Four
    eyes: nobody approves their own reply."""
    reply, view = await _own(uow, principal, conversation_id, reply_id)
    if reply.status != ReplyStatus.awaiting_approval.value:
        raise Conflict(f"the reply is {reply.status}, not awaiting approval")
    if _actor(principal) == reply.agent_id:
        raise Conflict("four eyes: another supervisor must approve or reject this reply", code="own_reply")
    reply.decided_by, reply.decided_at = _actor(principal), now()
    if approve:
        if view.resolved:
            raise Conflict("the conversation is resolved; reopen it to answer")
        reply.status = ReplyStatus.sending.value
        reply.attempts += 1
        reply.lease_until = lease_until
    else:
        reply.status = ReplyStatus.rejected.value
        reply.rejection_reason = reason
    uow.session.add(reply)
    return reply


async def awaiting_approval(uow: UnitOfWork, tenant_id: str, *, limit: int) -> Sequence[Reply]:
    """A tenant's replies waiting for a supervisor, oldest first."""
    return await ReplyRepository(uow.session).with_status(
        tenant_id, ReplyStatus.awaiting_approval.value, limit=limit
    )


async def get_reply(uow: UnitOfWork, *, principal: Principal, conversation_id: str, reply_id: str) -> Reply:
    """One reply of a conversation the caller may see."""
    for reply in await list_replies(uow, principal=principal, conversation_id=conversation_id):
        if reply.id == reply_id:
            return reply
    raise NotFound(f"no reply {reply_id}")


async def list_replies(uow: UnitOfWork, *, principal: Principal, conversation_id: str) -> Sequence[Reply]:
    """The replies of a conversation."""
    await answerable(uow, principal, conversation_id)
    return await ReplyRepository(uow.session).for_conversation(principal.tenant_id, conversation_id)
