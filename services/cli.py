"""The `webcare` command: run everything in one process, serve one service, migrate, or build,
evaluate and train (per tenant) the classify model."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import secrets
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import uvicorn
from pydantic import SecretStr

from services.classify import model as classify_model
from services.classify.classifier import Classifier
from services.classify.config import ClassifySettings
from services.classify.spec import spec as classify_spec
from services.ingest.spec import spec as ingest_spec
from services.kit.app import create_app
from services.kit.config import SERVICES, KitSettings
from services.kit.db import Database
from services.kit.migrate import autogenerate, upgrade
from services.kit.runtime import ServiceSpec
from services.reply.spec import spec as reply_spec
from services.reporting import cli as reporting_cli
from services.reporting.spec import spec as reporting_spec
from services.routing.spec import spec as routing_spec

SPECS: dict[str, Callable[[], ServiceSpec]] = {
    "ingest": ingest_spec,
    "classify": classify_spec,
    "routing": routing_spec,
    "reply": reply_spec,
    "reporting": reporting_spec,
}
assert tuple(SPECS) == SERVICES


def _configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def run(args: argparse.Namespace) -> int:
    """All five services in one process: in-memory bus, SQLite, migrations at start."""
    settings = KitSettings()
    if args.port is not None:
        settings.port = args.port
    if args.host is not None:
        settings.host = args.host
    _configure_logging(settings.log_level)
    generated = settings.admin_api_key is None
    if generated:
        settings.admin_api_key = SecretStr("wck_" + secrets.token_urlsafe(32))
    assert settings.admin_api_key is not None
    key = settings.admin_api_key.get_secret_value()
    base = f"http://{settings.host}:{settings.port}"
    print(
        f"\nWebcare (embedded) on {base}\n"
        f"  tenant:     {settings.tenant}\n"
        f"  admin key:  {key}{'  (generated; set WEBCARE_ADMIN_API_KEY to keep one)' if generated else ''}\n"
        f"  API docs:   {base}/docs  (OpenAPI: {base}/openapi.json)\n"
        f"  try:        curl -H 'Authorization: Bearer {key}' {base}/v1/reports/summary\n",
        flush=True,
    )
    specs = [factory() for factory in SPECS.values()]
    app = create_app(specs, settings, bus_kind=settings.bus, migrate_on_start=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level.lower())
    return 0


def serve(args: argparse.Namespace) -> int:
    """One service on its own, on Kafka and PostgreSQL (or what WEBCARE_BUS and WEBCARE_DATABASE_URL say)."""
    settings = KitSettings()
    if args.port is not None:
        settings.port = args.port
    if args.host is not None:
        settings.host = args.host
    _configure_logging(settings.log_level)
    bus = "kafka" if "bus" not in settings.model_fields_set else settings.bus
    app = create_app([SPECS[args.service]()], settings, bus_kind=bus, migrate_on_start=args.migrate)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level.lower())
    return 0


def rebuild(args: argparse.Namespace) -> int:
    """Rebuild reporting's read models from the topics' beginning (reporting must be stopped)."""
    from services.reporting.rebuild import StillRunning
    from services.reporting.rebuild import rebuild as rebuild_reporting

    settings = KitSettings()
    _configure_logging(settings.log_level)
    try:
        deleted = asyncio.run(rebuild_reporting(settings))
    except StillRunning as exc:
        print(f"webcare rebuild: {exc}", file=sys.stderr)
        return 1
    for table, rows in deleted.items():
        print(f"{table}: {rows} rows cleared")
    print("reporting folds every event again from the beginning when it starts")
    return 0


def migrate(args: argparse.Namespace) -> int:
    """Bring each service's database to the newest schema (or write a new migration)."""
    settings = KitSettings()
    _configure_logging(settings.log_level)

    async def go() -> None:
        for name in args.services or SERVICES:
            spec = SPECS[name]()
            db = Database(settings.database_url_for(name))
            try:
                if args.autogenerate:
                    await autogenerate(spec, db, args.autogenerate)
                else:
                    await upgrade(spec, db)
                    print(f"{name}: migrated", flush=True)
            finally:
                await db.close()

    asyncio.run(go())
    return 0


def model_build(args: argparse.Namespace) -> int:
    """Train the classify model on the corpus's train split, unless it is built already."""
    settings = ClassifySettings()
    _configure_logging(settings.log_level)
    model_dir, corpus = args.model_dir or settings.model_dir, args.corpus or settings.model_corpus
    started = time.perf_counter()
    model, built = classify_model.ensure_built(model_dir, corpus, force=args.force)
    classify_model.mark_latest(model_dir, model.version)
    path = classify_model.artifact_path(model_dir, model.version)
    what = f"built in {time.perf_counter() - started:.1f} s" if built else "up to date"
    print(f"{model.version}: {what}, {path} ({path.stat().st_size / 1e6:.1f} MB)", flush=True)
    return 0


def model_eval(args: argparse.Namespace) -> int:
    """Per-class scores and confusion matrices on the held-out split (or cross-validated on train)."""
    from services.classify import evaluation, training  # scikit-learn only where it is needed

    settings = ClassifySettings()
    _configure_logging(settings.log_level)
    model_dir, corpus = args.model_dir or settings.model_dir, args.corpus or settings.model_corpus
    if args.cv:
        examples = training.read_corpus(corpus, split="train")
        version = classify_model.model_version(corpus)
        print(f"{version}: grouped {training.FOLDS}-fold cross-validation on {len(examples)} train rows\n")
        reports = evaluation.cross_validate(examples)
    else:
        examples = training.read_corpus(corpus, split="test")
        model = classify_model.load_or_build(model_dir, corpus)
        version = model.version
        print(f"{version}: {len(examples)} held-out test rows\n")
        reports = evaluation.evaluate(model, examples)
    for report in reports.values():
        print(evaluation.render(report) + "\n")
    summary = {
        "model_version": version,
        "evaluated_on": "train-cv" if args.cv else "test",
        "rows": len(examples),
        **{f"{task}_macro_f1": round(report.macro_f1, 4) for task, report in reports.items()},
    }
    if not args.cv:
        topics = evaluation.evaluate_topics(Classifier(model=model), examples)
        print(evaluation.render_topics(topics) + "\n")
        summary |= {
            "topics_micro_f1": round(topics.micro_f1, 4),
            "topics_macro_f1": round(topics.macro_f1, 4),
        }
    print(json.dumps(summary), flush=True)
    return 0


def model_train(args: argparse.Namespace) -> int:
    """Train a tenant's model with its agents' corrections and make it the tenant's model."""
    from services.classify import tenant_training  # scikit-learn only where it is needed

    settings = ClassifySettings()
    _configure_logging(settings.log_level)
    corpus = args.corpus or settings.model_corpus

    async def go() -> tenant_training.TrainedTenantModel:
        db = Database(settings.database_url_for("classify"))
        try:
            weight = args.weight or tenant_training.CORRECTION_WEIGHT
            return await tenant_training.train_tenant(db, args.tenant, corpus, weight=weight)
        finally:
            await db.close()

    try:
        trained = asyncio.run(go())
    except tenant_training.NothingToTrain as exc:
        print(f"webcare model train: {exc}", file=sys.stderr)
        return 1
    print(
        f"{trained.version}: trained for tenant {trained.tenant_id} with {trained.corrections} corrections,"
        " in use from the next batch on",
        flush=True,
    )
    print(
        json.dumps({"model_version": trained.version, "corrections": trained.corrections, **trained.metrics})
    )
    return 0


def serve_main(service: str) -> None:
    """Entry point of `python -m services.<service>`."""
    sys.exit(main(["serve", service, *sys.argv[1:]]))


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run it."""
    parser = argparse.ArgumentParser(prog="webcare", description="Webcare: social customer service")
    commands = parser.add_subparsers(dest="command", required=True)

    p_run = commands.add_parser("run", help="all services in one process (in-memory bus, SQLite)")
    p_run.add_argument("--host")
    p_run.add_argument("--port", type=int)
    p_run.set_defaults(func=run)

    p_serve = commands.add_parser("serve", help="one service on Kafka and PostgreSQL")
    p_serve.add_argument("service", choices=SERVICES)
    p_serve.add_argument("--host")
    p_serve.add_argument("--port", type=int)
    p_serve.add_argument("--migrate", action="store_true", help="apply migrations before starting")
    p_serve.set_defaults(func=serve)

    p_migrate = commands.add_parser("migrate", help="apply database migrations")
    p_migrate.add_argument("services", nargs="*", metavar="SERVICE", help=f"some of {', '.join(SERVICES)}")
    p_migrate.add_argument("--autogenerate", metavar="MESSAGE", help="write a new migration instead")
    p_migrate.set_defaults(func=migrate)

    p_rebuild = commands.add_parser(
        "rebuild", help="rebuild a read model from the topics' beginning (stop the service first)"
    )
    p_rebuild.add_argument("service", choices=["reporting"])
    p_rebuild.set_defaults(func=rebuild)

    p_model = commands.add_parser("model", help="build or evaluate the classify model")
    model_commands = p_model.add_subparsers(dest="model_command", required=True)
    p_build = model_commands.add_parser("build", help="train the model (kept in WEBCARE_MODEL_DIR)")
    p_build.add_argument("--force", action="store_true", help="build even if it is up to date")
    p_eval = model_commands.add_parser("eval", help="per-class scores on the held-out test split")
    p_eval.add_argument("--cv", action="store_true", help="cross-validate on the train split instead")
    for sub in (p_build, p_eval):
        sub.add_argument("--model-dir", type=Path, help="default: WEBCARE_MODEL_DIR (.webcare/models)")
    p_train = model_commands.add_parser(
        "train", help="train a tenant's model with its corrections (classify's WEBCARE_DATABASE_URL)"
    )
    p_train.add_argument("--tenant", required=True, help="the tenant whose corrections to train with")
    p_train.add_argument("--weight", type=float, help="how many corpus rows a correction counts (default 3)")
    for sub, func in ((p_build, model_build), (p_eval, model_eval), (p_train, model_train)):
        sub.add_argument("--corpus", type=Path, help="default: data/classify/corpus.jsonl")
        sub.set_defaults(func=func)

    reporting_cli.add_parser(commands)

    args = parser.parse_args(argv)
    unknown = set(getattr(args, "services", None) or ()) - set(SERVICES)
    if unknown:
        parser.error(f"unknown services: {', '.join(sorted(unknown))}")
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
