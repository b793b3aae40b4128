"""Each tenant's configuration, compiled once and kept while its revision stays the same.

Every change of a tenant's taxonomy, rules, private-data patterns or model bumps its revision in the
same transaction (`TenantRepository.bump`). A classify replica reads the revisions of the tenants
in each batch (one small query) and recompiles a tenant's configuration when its revision moved, so
a change made through any replica applies to the next message everywhere, with no call between
replicas and no restart.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Collection
from typing import TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from services.classify.classifier import Classifier, TenantConfig
from services.classify.model import TextModel
from services.classify.models import ClassificationRule, PrivateDataPattern, TaxonomyTopic, TenantRevision
from services.classify.patterns import InvalidPattern, SafePattern
from services.classify.private_data import TenantPattern
from services.classify.repository import TenantRepository
from services.classify.rules import Rule, RuleThen, RuleWhen
from services.classify.taxonomy import DEFAULT_TOPICS, TopicSpec

log = logging.getLogger(__name__)
R = TypeVar("R", ClassificationRule, PrivateDataPattern)
T = TypeVar("T", Rule, TenantPattern)

MODELS_KEPT = 8  # tenant models kept in memory (each takes some tens of MB)


def topic_spec(row: TaxonomyTopic) -> TopicSpec:
    """A stored topic as the taxonomy compiles it."""
    return TopicSpec(row.key, dict(row.labels), row.skill, tuple(row.keywords), tuple(row.examples))


def compile_rule(row: ClassificationRule) -> Rule:
    """A stored rule, compiled."""
    return Rule.of(row.name, RuleWhen.model_validate(row.when), RuleThen.model_validate(row.then))


def compile_pattern(row: PrivateDataPattern) -> TenantPattern:
    """A stored private-data pattern, compiled."""
    return TenantPattern(row.kind, SafePattern(row.pattern))


def _usable(compile_one: Callable[[R], T], row: R) -> T | None:
    """A stored rule or pattern compiled, or None (logged) when it no longer compiles: one broken
    entry must not keep a tenant's messages from being classified."""
    try:
        return compile_one(row)
    except (ValueError, InvalidPattern):
        log.exception("stored rule or pattern %s does not compile and is skipped", row.id)
        return None


class TenantConfigs:
    """The compiled configuration of every tenant a replica has seen."""

    def __init__(self, classifier: Classifier) -> None:
        self.classifier = classifier
        self._configs: dict[str, TenantConfig] = {}
        self._models: OrderedDict[str, TextModel] = OrderedDict()

    async def of(self, session: AsyncSession, tenant_ids: Collection[str]) -> dict[str, TenantConfig]:
        """The current configuration of each of these tenants."""
        revisions = await TenantRepository(session).revisions(tenant_ids) if tenant_ids else {}
        configs: dict[str, TenantConfig] = {}
        for tenant_id in tenant_ids:
            row = revisions.get(tenant_id)
            if row is None:
                configs[tenant_id] = self.classifier.default_config
                continue
            cached = self._configs.get(tenant_id)
            if cached is None or cached.revision != row.revision:
                cached = self._configs[tenant_id] = await self._load(session, row)
            configs[tenant_id] = cached
        return configs

    async def one(self, session: AsyncSession, tenant_id: str) -> TenantConfig:
        """The current configuration of one tenant."""
        return (await self.of(session, [tenant_id]))[tenant_id]

    async def _load(self, session: AsyncSession, revision: TenantRevision) -> TenantConfig:
        repo = TenantRepository(session)
        tenant_id = revision.tenant_id
        model = await self._model(repo, revision.model_version) if revision.model_version else None
        specs = (
            [topic_spec(row) for row in await repo.topics(tenant_id)]
            if revision.own_taxonomy
            else list(DEFAULT_TOPICS)
        )
        rules = [_usable(compile_rule, row) for row in await repo.rules(tenant_id) if row.enabled]
        patterns = [_usable(compile_pattern, row) for row in await repo.patterns(tenant_id)]
        taxonomy = await asyncio.to_thread(self.classifier.taxonomy, specs, model)
        return TenantConfig(
            taxonomy,
            tuple(r for r in rules if r is not None),
            tuple(p for p in patterns if p is not None),
            model,
            revision.revision,
        )

    async def _model(self, repo: TenantRepository, version: str) -> TextModel | None:
        if version not in self._models:
            row = await repo.model(version)
            if row is None:
                return None
            try:
                self._models[version] = await asyncio.to_thread(TextModel.from_bytes, row.artifact)
            except Exception:  # a broken artifact: the tenant's messages get the default model
                log.exception(
                    "tenant model %s cannot be loaded; the default model classifies instead", version
                )
                return None
            while len(self._models) > MODELS_KEPT:
                self._models.popitem(last=False)
        self._models.move_to_end(version)
        return self._models[version]
