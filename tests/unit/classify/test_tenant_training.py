"""`webcare model train --tenant X` trains with the tenant's corrections, and the tenant (only it)
gets the new model from its next batch on."""

from __future__ import annotations

import asyncio
import json
import pathlib
from datetime import UTC, datetime

import pytest

from services.classify.classifier import Classification, Classifier, TenantConfig
from services.classify.config import CORPUS
from services.classify.models import Correction, TenantRevision
from services.classify.repository import TenantRepository
from services.classify.spec import spec
from services.classify.tenants import TenantConfigs
from services.cli import main
from services.kit.db import Database
from services.kit.migrate import upgrade

TEXT = "Mein Hamster mag die neue Verpackung eurer Kekse"


@pytest.fixture
def small_corpus(tmp_path: pathlib.Path) -> pathlib.Path:
    """Every fourth base message of the corpus: trains in seconds, keeps both splits."""
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    bases = sorted({r["base_id"] for r in rows})[::4]
    keep = set(bases)
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows if r["base_id"] in keep), encoding="utf-8")
    return path


async def store_corrections(url: str, was: Classification, wanted: str) -> None:
    db = Database(url)
    await upgrade(spec(), db)
    async with db.sessions() as session:
        for n in range(3):
            session.add(
                Correction(
                    id=f"c{n}",
                    tenant_id="acme",
                    message_id=f"m{n}",
                    text=TEXT if n < 2 else "Wie teuer ist der große Keks-Adventskalender?",
                    category=wanted if n < 2 else "lead",
                    sentiment="positive",
                    topics=[],
                    was_category=was.category,
                    was_sentiment=was.sentiment_label,
                    corrected_by="a1",
                    corrected_at=datetime(2026, 11, 23, tzinfo=UTC),
                )
            )
        await session.commit()
    await db.close()


async def configs_of(url: str, classifier: Classifier) -> tuple[TenantRevision, TenantConfig, TenantConfig]:
    db = Database(url)
    configs = TenantConfigs(classifier)
    async with db.sessions() as session:
        revision = (await TenantRepository(session).revisions(["acme"]))["acme"]
        acme = await configs.one(session, "acme")
        other = await configs.one(session, "other")
    await db.close()
    return revision, acme, other


def test_a_tenant_model_learns_its_corrections_and_serves_only_that_tenant(
    tmp_path: pathlib.Path,
    small_corpus: pathlib.Path,
    classifier: Classifier,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/{{service}}.db"
    before = classifier.classify(TEXT, public=True)
    wanted = "lead" if before.category != "lead" else "compliment"
    asyncio.run(store_corrections(url.format(service="classify"), before, wanted))

    monkeypatch.setenv("WEBCARE_DATABASE_URL", url)
    args = ["model", "train", "--tenant", "acme", "--corpus", str(small_corpus), "--weight", "20"]
    assert main(args) == 0
    assert main(["model", "train", "--tenant", "nobody", "--corpus", str(small_corpus)]) == 1

    revision, acme, other = asyncio.run(configs_of(url.format(service="classify"), classifier))
    assert revision.model_version is not None and revision.model_version.startswith("tenant-")
    assert acme.model is not None and acme.model.version == revision.model_version
    assert other.model is None
    assert classifier.classify(TEXT, public=True, config=acme).category == wanted
    assert classifier.classify(TEXT, public=True, config=acme).model_version == revision.model_version
    assert classifier.classify(TEXT, public=True, config=other).model_version == classifier.model.version
