"""The app factory: what a started app keeps for its lifetime."""

from __future__ import annotations

import gc
import pathlib

from services.ingest.spec import spec
from services.kit.app import GC_THRESHOLD, create_app
from services.kit.config import KitSettings


async def test_what_start_up_built_is_left_out_of_garbage_collection_until_the_app_stops(
    tmp_path: pathlib.Path,
) -> None:
    settings = KitSettings(database_url=f"sqlite+aiosqlite:///{tmp_path}/{{service}}.db")
    app = create_app([spec()], settings, bus_kind="memory", migrate_on_start=True)
    thresholds = gc.get_threshold()
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == GC_THRESHOLD
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds
