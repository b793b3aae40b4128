"""Alembic environment of the routing service: its own tables and the kernel's outbox and inbox."""

from services.kit.migrate import run_migrations
from services.routing.models import metadata

run_migrations(metadata)
