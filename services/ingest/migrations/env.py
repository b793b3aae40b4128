"""Alembic environment of the ingest service: its own tables and the kernel's outbox and inbox."""

from services.ingest.spec import spec
from services.kit.migrate import run_migrations

run_migrations(spec().metadata)  # the spec imports every channel, so each one's tables are known
