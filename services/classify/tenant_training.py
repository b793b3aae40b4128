"""A tenant's own model: the corpus plus the tenant's corrections (`webcare model train --tenant X`).

Each corrected message counts once, as its latest correction says, and weighs CORRECTION_WEIGHT
corpus rows: a contact center's own corrections should move the model more than generic examples.
The result is scored on the corpus's held-out split next to the default model (so a tenant sees
what its corrections cost or gain in general), stored in classify's database, and made the
tenant's model in the same transaction: every replica uses it from its next batch on.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.classify import evaluation, training
from services.classify.model import TextModel, model_version
from services.classify.models import Correction, TenantModel
from services.classify.repository import ClassificationRepository, TenantRepository
from services.kit.db import Database
from services.kit.events import now

CORRECTION_WEIGHT = 3.0
TENANT_PREFIX = "tenant-"


class NothingToTrain(RuntimeError):
    """The tenant has no corrections."""


@dataclass(frozen=True)
class TrainedTenantModel:
    """What training a tenant's model gave."""

    tenant_id: str
    version: str
    corrections: int
    metrics: dict[str, Any]


def latest_per_message(corrections: list[Correction]) -> list[Correction]:
    """The newest correction of each message (corrections come oldest first)."""
    latest = {c.message_id: c for c in corrections}
    return sorted(latest.values(), key=lambda c: c.message_id)


def tenant_version(base: str, corrections: list[Correction], weight: float) -> str:
    """`tenant-<hash12>` of the base model's version, the corrections and their weight."""
    digest = hashlib.sha256(f"{base}\x1f{weight}".encode())
    for c in corrections:
        digest.update(json.dumps([c.message_id, c.text, c.category, c.sentiment]).encode())
    return TENANT_PREFIX + digest.hexdigest()[:12]


def fit(
    corpus: Path, tenant_id: str, corrections: list[Correction], weight: float
) -> tuple[TextModel, dict[str, Any]]:
    """Train on the corpus's train split plus the corrections; score it and the default model."""
    base = training.read_corpus(corpus, split="train")
    extra = [
        training.Example(
            text=c.text,
            category=c.category,
            sentiment=c.sentiment,
            base_id=f"correction:{c.message_id}",
            weight=weight,
        )
        for c in corrections
    ]
    version = tenant_version(model_version(corpus), corrections, weight)
    model = training.train([*base, *extra], version=version)
    held_out = training.read_corpus(corpus, split="test")
    reports = evaluation.evaluate(model, held_out)
    own = evaluation.evaluate(model, extra)
    metrics = {
        "tenant_id": tenant_id,
        "held_out_rows": len(held_out),
        **{f"{task}_macro_f1": round(r.macro_f1, 4) for task, r in reports.items()},
        **{f"corrections_{task}_accuracy": round(r.accuracy, 4) for task, r in own.items()},
    }
    return model, metrics


async def train_tenant(
    db: Database, tenant_id: str, corpus: Path, *, weight: float = CORRECTION_WEIGHT
) -> TrainedTenantModel:
    """Train the tenant's model from its corrections and make it the tenant's model."""
    async with db.sessions() as session:
        corrections = latest_per_message(list(await ClassificationRepository(session).corrections(tenant_id)))
    if not corrections:
        raise NothingToTrain(f"tenant {tenant_id!r} has no corrections to train with")
    model, metrics = await asyncio.to_thread(fit, corpus, tenant_id, corrections, weight)
    async with db.sessions() as session:
        repo = TenantRepository(session)
        if await repo.model(model.version) is None:
            repo.add(
                TenantModel(
                    version=model.version,
                    tenant_id=tenant_id,
                    artifact=model.to_bytes(),
                    corrections=len(corrections),
                    metrics=metrics,
                    created_at=now(),
                )
            )
        await repo.bump(tenant_id, model_version=model.version)
        await session.commit()
    return TrainedTenantModel(tenant_id, model.version, len(corrections), metrics)
