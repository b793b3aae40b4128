"""The code generated from proto/ is what proto/ says today."""

from __future__ import annotations

import filecmp
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _files(folder: pathlib.Path) -> list[str]:
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )


def test_generated_protobuf_code_is_not_stale(tmp_path: pathlib.Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_proto.py"), "--out", str(tmp_path)], check=True
    )
    committed = ROOT / "gen" / "python" / "webcare"
    fresh = tmp_path / "webcare"
    assert _files(committed) == _files(fresh), "run `make proto`: generated files differ from proto/"
    stale = [name for name in _files(fresh) if not filecmp.cmp(committed / name, fresh / name, shallow=False)]
    assert not stale, f"run `make proto`: {stale} are stale"


def test_the_event_catalogue_is_not_stale(tmp_path: pathlib.Path) -> None:
    fresh = tmp_path / "EVENTS.md"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_events_doc.py"), "--out", str(fresh)], check=True
    )
    committed = (ROOT / "proto" / "EVENTS.md").read_text()
    assert committed == fresh.read_text(), (
        "run `make proto`: proto/EVENTS.md differs from proto/ and the registry"
    )


def test_the_event_catalogue_names_every_type_and_field() -> None:
    from services.kit.events import BY_MESSAGE

    catalogue = (ROOT / "proto" / "EVENTS.md").read_text()
    for message, event_type in BY_MESSAGE.items():
        assert f"`{event_type.ce_type}`" in catalogue and f"### {message.DESCRIPTOR.name}\n" in catalogue
        section = catalogue.split(f"### {message.DESCRIPTOR.name}\n", 1)[1].split("\n### ", 1)[0]
        for field in message.DESCRIPTOR.fields:
            assert f"| `{field.name}` |" in section, (message.DESCRIPTOR.name, field.name)


def test_every_registered_event_carries_id_tenant_and_time() -> None:
    from services.kit.events import BY_MESSAGE

    for message in BY_MESSAGE:
        fields = {f.name for f in message.DESCRIPTOR.fields}
        assert {"event_id", "tenant_id", "occurred_at"} <= fields, message.__name__
