"""Ingest consumes no topics yet: channels reach it over HTTP."""

from __future__ import annotations

from services.kit.runtime import Consumer

CONSUMERS: tuple[Consumer, ...] = ()
