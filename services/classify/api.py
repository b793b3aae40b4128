"""Classify's HTTP routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from services.classify import service
from services.classify.models import (
    ClassificationOut,
    ClassifyIn,
    ClassifyOut,
    CorrectionIn,
    CorrectionOut,
    MessageClassification,
    PatternIn,
    PatternOut,
    RuleIn,
    RuleOut,
    SentimentOut,
    TaxonomyTopic,
    TopicIn,
    TopicOut,
)
from services.kit.deps import AgentDep, SupervisorDep, SupervisorOrIntegrationDep, runtime
from services.kit.runtime import Runtime
from services.kit.schemas import Page

RuntimeDep = Annotated[Runtime, Depends(runtime("classify"))]
TopicKey = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]{0,63}$", description="The topic's key")]


def topic_out(row: TaxonomyTopic, *, default: bool) -> TopicOut:
    """A topic as the API shows it."""
    return TopicOut(
        key=row.key,
        labels=row.labels,
        skill=row.skill,
        keywords=row.keywords,
        examples=row.examples,
        default=default,
    )


def classification_out(row: MessageClassification, corrections: list[CorrectionOut]) -> ClassificationOut:
    """A stored classification as the API shows it."""
    return ClassificationOut(
        message_id=row.message_id,
        language=row.language,
        sentiment=SentimentOut(label=row.sentiment_label, score=row.sentiment_score),
        category=row.category,
        confidence=row.confidence,
        urgency=row.urgency,
        topics=row.topics,
        rules=row.rules,
        needs_triage=row.needs_triage,
        model_version=row.model_version,
        classified_at=row.classified_at,
        corrections=corrections,
    )


def router() -> APIRouter:
    """The routes classify owns: /v1/classify, /v1/classifications, /v1/taxonomy-topics,
    /v1/classification-rules and /v1/private-data-patterns."""
    api = APIRouter(prefix="/v1", tags=["classify"])

    @api.post(
        "/classify",
        summary="Classify a text without publishing anything",
        description="Language, sentiment, category, urgency, topics, skills and private data, as a "
        "message of the caller's tenant arriving on a channel would get them, with the tenant's "
        "taxonomy, rules and patterns. For testing rules and for integrators.",
    )
    async def classify(
        data: ClassifyIn, principal: SupervisorOrIntegrationDep, rt: RuntimeDep
    ) -> ClassifyOut:
        async with rt.unit_of_work() as uow:
            return await service.classify_text(
                uow, rt.state["classifier"], rt.state["tenants"], principal.tenant_id, data
            )

    @api.get("/classifications/{message_id}", summary="What classify decided about a message")
    async def get_classification(message_id: str, principal: AgentDep, rt: RuntimeDep) -> ClassificationOut:
        async with rt.unit_of_work() as uow:
            row = await service.get_classification(uow, principal.tenant_id, message_id)
            corrections = await service.corrections(uow, principal.tenant_id, message_id)
        return classification_out(
            row, [CorrectionOut.model_validate(c, from_attributes=True) for c in corrections]
        )

    @api.post(
        "/classifications/{message_id}/corrections",
        status_code=status.HTTP_201_CREATED,
        summary="Correct a classification",
        description="Stored for the tenant: `webcare model train --tenant` trains its model with them.",
    )
    async def correct(
        message_id: str, data: CorrectionIn, principal: AgentDep, rt: RuntimeDep, response: Response
    ) -> CorrectionOut:
        async with rt.unit_of_work() as uow:
            correction = await service.correct(
                uow,
                principal.tenant_id,
                message_id,
                category=data.category,
                sentiment=data.sentiment,
                topics=data.topics,
                by=principal.agent_id or principal.key_id,
            )
        response.headers["Location"] = f"/v1/classifications/{message_id}"
        return CorrectionOut.model_validate(correction, from_attributes=True)

    @api.get("/taxonomy-topics", summary="The tenant's taxonomy (the default one until edited)")
    async def list_topics(principal: SupervisorOrIntegrationDep, rt: RuntimeDep) -> Page[TopicOut]:
        async with rt.unit_of_work() as uow:
            own = await service.has_own_taxonomy(uow, principal.tenant_id)
            topics = await service.own_topics(uow, principal.tenant_id)
        return Page(items=[topic_out(t, default=not own) for t in topics], next_cursor=None)

    @api.get("/taxonomy-topics/{key}", summary="One topic of the tenant's taxonomy")
    async def get_topic(key: TopicKey, principal: SupervisorOrIntegrationDep, rt: RuntimeDep) -> TopicOut:
        async with rt.unit_of_work() as uow:
            own = await service.has_own_taxonomy(uow, principal.tenant_id)
            topic = await service.topic(uow, principal.tenant_id, key)
        return topic_out(topic, default=not own)

    @api.put(
        "/taxonomy-topics/{key}",
        summary="Create or replace a topic",
        description="The first edit copies the default taxonomy into the tenant's own.",
        responses={201: {"description": "Created"}},
    )
    async def put_topic(
        key: TopicKey, data: TopicIn, principal: SupervisorDep, rt: RuntimeDep, response: Response
    ) -> TopicOut:
        async with rt.unit_of_work() as uow:
            topic, created = await service.put_topic(
                uow,
                principal.tenant_id,
                key,
                labels=data.labels,
                skill=data.skill,
                keywords=data.keywords,
                examples=data.examples,
            )
        if created:
            response.status_code = status.HTTP_201_CREATED
            response.headers["Location"] = f"/v1/taxonomy-topics/{key}"
        return topic_out(topic, default=False)

    @api.delete("/taxonomy-topics/{key}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove a topic")
    async def delete_topic(key: TopicKey, principal: SupervisorDep, rt: RuntimeDep) -> None:
        async with rt.unit_of_work() as uow:
            await service.delete_topic(uow, principal.tenant_id, key)

    @api.get("/classification-rules", summary="The tenant's rules, in the order they apply")
    async def list_rules(principal: SupervisorOrIntegrationDep, rt: RuntimeDep) -> Page[RuleOut]:
        async with rt.unit_of_work() as uow:
            rules = await service.rules(uow, principal.tenant_id)
        return Page(items=[RuleOut.model_validate(r, from_attributes=True) for r in rules], next_cursor=None)

    @api.post("/classification-rules", status_code=status.HTTP_201_CREATED, summary="Add a rule")
    async def add_rule(data: RuleIn, principal: SupervisorDep, rt: RuntimeDep, response: Response) -> RuleOut:
        async with rt.unit_of_work() as uow:
            row = await service.add_rule(uow, principal.tenant_id, data)
        response.headers["Location"] = f"/v1/classification-rules/{row.id}"
        return RuleOut.model_validate(row, from_attributes=True)

    @api.get("/classification-rules/{rule_id}", summary="One rule")
    async def get_rule(rule_id: str, principal: SupervisorOrIntegrationDep, rt: RuntimeDep) -> RuleOut:
        async with rt.unit_of_work() as uow:
            rule = await service.get_rule(uow, principal.tenant_id, rule_id)
        return RuleOut.model_validate(rule, from_attributes=True)

    @api.put("/classification-rules/{rule_id}", summary="Replace a rule")
    async def put_rule(rule_id: str, data: RuleIn, principal: SupervisorDep, rt: RuntimeDep) -> RuleOut:
        async with rt.unit_of_work() as uow:
            rule = await service.replace_rule(uow, principal.tenant_id, rule_id, data)
        return RuleOut.model_validate(rule, from_attributes=True)

    @api.delete(
        "/classification-rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove a rule"
    )
    async def delete_rule(rule_id: str, principal: SupervisorDep, rt: RuntimeDep) -> None:
        async with rt.unit_of_work() as uow:
            await service.delete_rule(uow, principal.tenant_id, rule_id)

    @api.get("/private-data-patterns", summary="The tenant's own kinds of private data")
    async def list_patterns(principal: SupervisorOrIntegrationDep, rt: RuntimeDep) -> Page[PatternOut]:
        async with rt.unit_of_work() as uow:
            patterns = await service.patterns(uow, principal.tenant_id)
        items = [PatternOut.model_validate(p, from_attributes=True) for p in patterns]
        return Page(items=items, next_cursor=None)

    @api.post(
        "/private-data-patterns",
        status_code=status.HTTP_201_CREATED,
        summary="Add a kind of private data",
        description="Customer or contract numbers, as a regular expression in RE2 syntax (matched in "
        "linear time). Found like IBANs: flagged, redacted as [KIND], and moved to a private channel.",
    )
    async def add_pattern(
        data: PatternIn, principal: SupervisorDep, rt: RuntimeDep, response: Response
    ) -> PatternOut:
        async with rt.unit_of_work() as uow:
            row = await service.add_pattern(uow, principal.tenant_id, data)
        response.headers["Location"] = f"/v1/private-data-patterns/{row.id}"
        return PatternOut.model_validate(row, from_attributes=True)

    @api.delete(
        "/private-data-patterns/{pattern_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        summary="Remove a kind of private data",
    )
    async def delete_pattern(pattern_id: str, principal: SupervisorDep, rt: RuntimeDep) -> None:
        async with rt.unit_of_work() as uow:
            await service.delete_pattern(uow, principal.tenant_id, pattern_id)

    return api
