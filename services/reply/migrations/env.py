"""Alembic environment of the reply service: its own tables and the kernel's outbox and inbox."""

from services.kit.migrate import run_migrations
from services.reply.models import metadata

run_migrations(metadata)
