"""The `webcare` command: run everything in one process, serve one service, or migrate."""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import sys
from collections.abc import Callable, Sequence

import uvicorn
from pydantic import SecretStr

from services.classify.spec import spec as classify_spec
from services.ingest.spec import spec as ingest_spec
from services.kit.app import create_app
from services.kit.config import SERVICES, KitSettings
from services.kit.db import Database
from services.kit.migrate import autogenerate, upgrade
from services.kit.runtime import ServiceSpec
from services.reply.spec import spec as reply_spec
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

    args = parser.parse_args(argv)
    unknown = set(getattr(args, "services", None) or ()) - set(SERVICES)
    if unknown:
        parser.error(f"unknown services: {', '.join(sorted(unknown))}")
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
