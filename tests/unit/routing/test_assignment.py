"""The routing decision: language, capacity, presence order."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from services.routing.assignment import RUNNERS_UP, Round, choose
from services.routing.models import PER_REASON, Agent, Conversation
from services.routing.policy import PolicyStep, failures

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def agent(
    agent_id: str, *, languages: list[str], capacity: dict[str, int], last: datetime | None = None
) -> Agent:
    return Agent(
        id=agent_id,
        tenant_id="t",
        name=agent_id,
        languages=languages,
        capacity=capacity,
        presence="available",
        presence_changed_at=T0,
        created_at=T0,
        last_assigned_at=last,
    )


def conversation(
    *, language: str = "de", channel: str = "x", public: bool = True, customer: dict[str, Any] | None = None
) -> Conversation:
    return Conversation(
        id="c1",
        tenant_id="t",
        conversation_key="k",
        channel=channel,
        customer=customer or {},
        is_public=public,
        language=language,
        category="question",
        opened_at=T0,
        waiting_since=T0,
        last_message_at=T0,
    )


def test_agent_who_does_not_speak_the_language_is_never_chosen() -> None:
    anna = agent("anna", languages=["en"], capacity={"default": 5})
    assert choose(conversation(language="de"), [anna], {}).agent is None


def test_agent_at_capacity_is_never_assigned() -> None:
    anna = agent("anna", languages=["de"], capacity={"default": 2})
    loads = {"anna": Counter({("x", "public"): 1, ("email", "email"): 1})}
    assert choose(conversation(), [anna], loads).agent is None


def test_channel_capacity_counts_only_that_channel() -> None:
    anna = agent("anna", languages=["de"], capacity={"default": 1, "x": 3})
    loads = {"anna": Counter({("x", "public"): 2, ("email", "email"): 1})}
    decision = choose(conversation(channel="x"), [anna], loads)
    assert decision.agent is not None and decision.agent.id == "anna"
    assert choose(conversation(channel="email"), [anna], loads).agent is None


def test_longest_idle_agent_wins_and_the_reason_says_why() -> None:
    busy = agent("busy", languages=["de"], capacity={"default": 5}, last=T0)
    idle = agent("idle", languages=["de"], capacity={"default": 5}, last=T0 - timedelta(hours=1))
    decision = choose(conversation(), [busy, idle], {})
    assert decision.agent is not None
    assert decision.agent.id == "idle"
    assert "longest idle of 2 eligible" in decision.reason


def test_unknown_language_goes_to_anyone() -> None:
    anna = agent("anna", languages=["en"], capacity={"default": 1})
    assert choose(conversation(language="und"), [anna], {}).agent is not None


def test_one_round_counts_what_it_gave_so_no_agent_gets_more_than_their_room() -> None:
    anna = agent("a1", languages=["de"], capacity={"default": 1})
    ben = agent("a2", languages=["de"], capacity={"default": 2})
    rounds = Round([anna, ben], {})
    given = []
    for _ in range(4):
        decision = rounds.decide(conversation(), moment=T0)
        if decision.agent is not None:
            rounds.give(decision.agent, conversation(), T0)
        given.append(decision.agent.id if decision.agent else None)
    assert given == ["a1", "a2", "a2", None]
    assert {c.agent_id: c.reasons for c in decision.candidates} == {"a1": ["capacity"], "a2": ["capacity"]}


def test_a_large_team_is_counted_in_full_and_listed_by_sample() -> None:
    team = [
        agent(f"a{i:04d}", languages=["de"] if i % 2 else ["en"], capacity={"default": 1}) for i in range(400)
    ]
    for member in team[:100]:
        member.presence = "offline"
    decision = Round(team, {}).decide(conversation(language="de"), moment=T0)
    # 100 offline (50 of them also lack German), 150 of the 300 available lack German: 150 eligible.
    assert decision.considered == 400
    assert decision.excluded == {"presence": 100, "language": 200}
    assert "of 150 eligible" in decision.reason
    eligible = [c for c in decision.candidates if c.eligible]
    assert len(eligible) == RUNNERS_UP and eligible[0].why == decision.reason
    assert eligible[0].agent_id == decision.agent.id if decision.agent else False
    by_reason = Counter(c.reasons[0] for c in decision.candidates if not c.eligible)
    assert by_reason == {"presence": PER_REASON, "language": PER_REASON}
    assert len(decision.candidates) <= RUNNERS_UP + 2 * PER_REASON


def test_capacity_counts_by_channel_kind_and_in_total() -> None:
    anna = agent("anna", languages=["de"], capacity={"private": 2, "public": 3, "email": 5, "total": 4})
    held = Counter({("whatsapp", "private"): 1, ("facebook", "private"): 1, ("x", "public"): 1})
    loads = {"anna": held}
    # Private messages are full (2 of 2, WhatsApp and Messenger together); public posts are not.
    private = choose(conversation(channel="whatsapp", public=False), [anna], loads)
    assert private.agent is None and private.candidates[0].reasons == ["capacity"]
    public = choose(conversation(channel="facebook", public=True), [anna], loads)
    assert public.agent is not None and "(1/3 on public, 3/4 in total)" in public.reason
    # One more e-mail would be the fourth open conversation: the total allows it, a fifth it does not.
    assert choose(conversation(channel="email"), [anna], loads).agent is not None
    held[("email", "email")] += 1
    assert choose(conversation(channel="email"), [anna], loads).agent is None


def test_an_agent_gets_only_the_channels_they_serve() -> None:
    anna = agent("anna", languages=["de"], capacity={"default": 5})
    anna.channels = ["email", "x"]
    assert choose(conversation(channel="x"), [anna], {}).agent is not None
    refused = choose(conversation(channel="whatsapp", public=False), [anna], {})
    assert refused.agent is None and refused.candidates[0].reasons == ["channel"]


def test_a_step_may_require_customer_attributes() -> None:
    anna = agent("anna", languages=["de"], capacity={"default": 5})
    gold = {
        "name": "gold",
        "requirement": {
            "any": [
                {"customer": "segment", "equals": "gold"},
                {"customer": "follower_count", "at_least": 10000},
            ]
        },
    }
    step = PolicyStep.model_validate(gold)
    rounds = Round([anna], {})
    assert rounds.decide(conversation(customer={"segment": "gold"}), step=step).agent is not None
    # protobuf's JSON writes 64-bit counts as strings
    assert rounds.decide(conversation(customer={"follower_count": "25000"}), step=step).agent is not None
    ordinary = rounds.decide(conversation(customer={"segment": "silver", "follower_count": "12"}), step=step)
    assert ordinary.agent is None
    assert ordinary.candidates[0].reasons == [
        "requirement: customer.segment=gold",
        "requirement: customer.follower_count>=10000",
    ]


SKILL_KEYS = ["billing", "tech", "vip_care"]
leaves = st.one_of(
    st.builds(lambda p: {"skills": "required", "min_proficiency": p}, st.integers(1, 10)),
    st.builds(
        lambda k, p: {"skill": k, "min_proficiency": p}, st.sampled_from(SKILL_KEYS), st.integers(1, 10)
    ),
    st.sampled_from(
        [{"language": "conversation"}, {"language": "en"}, {"channel": "x"}, {"category": "crisis"}]
    ),
    st.sampled_from([{"min_urgency": 3}, {"vip": True}, {"last_agent": True}]),
    st.sampled_from([{"customer": "segment", "equals": "gold"}, {"customer": "followers", "at_least": 100}]),
)
requirements = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda items: {"all": items}, st.lists(inner, max_size=3)),
        st.builds(lambda items: {"any": items}, st.lists(inner, max_size=3)),
        st.builds(lambda item: {"not": item}, inner),
    ),
    max_leaves=6,
)


@given(
    requirement=requirements,
    levels=st.lists(st.dictionaries(st.sampled_from(SKILL_KEYS), st.integers(1, 10)), min_size=1, max_size=6),
    language=st.sampled_from(["de", "en", "und"]),
    skills=st.lists(st.sampled_from(SKILL_KEYS), unique=True, max_size=2),
    customer=st.sampled_from([{}, {"segment": "gold"}, {"followers": "250"}]),
    last=st.sampled_from([None, "a0", "gone"]),
)
def test_a_round_explains_every_agent_exactly_as_the_policy_does(
    requirement: dict[str, Any],
    levels: list[dict[str, int]],
    language: str,
    skills: list[str],
    customer: dict[str, Any],
    last: str | None,
) -> None:
    team = [
        agent(f"a{i}", languages=["de"] if i % 2 else ["en"], capacity={"default": 5})
        for i in range(len(levels))
    ]
    for member, skill_levels in zip(team, levels, strict=True):
        member.skills = skill_levels
    case = conversation(language=language, customer=customer)
    case.skills, case.last_agent_id, case.urgency = skills, last, 2
    step = PolicyStep(name="s", requirement=requirement)
    decision = Round(team, {}).decide(case, step=step, moment=T0)
    expected = {a.id: list(dict.fromkeys(failures(requirement, case, a))) for a in team}
    assert {c.agent_id: c.reasons for c in decision.candidates} == expected
