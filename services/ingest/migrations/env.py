"""Alembic environment of the ingest service: its own tables and the kernel's outbox and inbox."""

from services.ingest.models import metadata
from services.kit.migrate import run_migrations

run_migrations(metadata)
