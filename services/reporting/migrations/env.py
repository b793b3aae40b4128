"""Alembic environment of the reporting service: its own tables and the kernel's outbox and inbox."""

from services.kit.migrate import run_migrations
from services.reporting.models import metadata

run_migrations(metadata)
