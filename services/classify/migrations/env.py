"""Alembic environment of the classify service: its own tables and the kernel's outbox and inbox."""

from services.classify.models import metadata
from services.kit.migrate import run_migrations

run_migrations(metadata)
