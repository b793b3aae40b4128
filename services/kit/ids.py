"""Platform ids: UUIDv7, sortable by time."""

from __future__ import annotations

import uuid6


def new_id() -> str:
    """A new time-sortable id as a string."""
    return str(uuid6.uuid7())
