"""A service's part of a customer export is cut into events of bounded size and put together again
in order; routing counts a part complete only when every event of it arrived."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from services.kit.exports import chunks, merge
from services.routing.erasure import EXPORT_SERVICES, _collected
from services.routing.models import CustomerExportPart, CustomerExportRow

DOCUMENT = {
    "messages": [{"id": f"m{n}", "text": "x" * 100} for n in range(50)],
    "deliveries": [{"id": "d1", "body": "y" * 5000}],
    "threads": [],
}


def test_a_document_is_cut_below_the_limit_and_merges_back_in_order() -> None:
    pieces = list(chunks(DOCUMENT, limit=1000))
    assert len(pieces) > 5
    small = [p for p in pieces if "deliveries" not in p]
    assert all(len(json.dumps(p)) <= 1000 for p in small)
    [alone] = [p for p in pieces if "deliveries" in p]
    assert alone == {"deliveries": DOCUMENT["deliveries"]}, "a record over the limit gets a piece of its own"
    merged = merge(json.dumps(p) for p in pieces)
    assert merged == {k: v for k, v in DOCUMENT.items() if v}


def test_an_empty_document_is_still_one_piece() -> None:
    assert list(chunks({"messages": []})) == [{}]


def _part(service: str, sequence: int, *, last: bool = False) -> CustomerExportPart:
    document = json.dumps({"items": [{"n": sequence}]})
    at = datetime(2026, 12, 1, tzinfo=UTC)
    return CustomerExportPart(
        export_id="e1", service=service, sequence=sequence, last=last, document=document, received_at=at
    )


def test_a_part_with_a_gap_is_not_complete_until_the_missing_event_arrives() -> None:
    request = CustomerExportRow(
        id="e1",
        tenant_id="t",
        customer_id="c",
        requested_by="k",
        requested_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    others = [_part(s, 0, last=True) for s in EXPORT_SERVICES if s != "classify"]
    services, collection = _collected(
        request, [*others, _part("classify", 0), _part("classify", 2, last=True)]
    )
    assert collection.status == "collecting" and collection.waiting_for == ["classify"]
    assert "classify" not in services
    services, collection = _collected(
        request, [*others, _part("classify", 0), _part("classify", 1), _part("classify", 2, last=True)]
    )
    assert collection.status == "complete" and collection.waiting_for == []
    assert services["classify"] == {"items": [{"n": 0}, {"n": 1}, {"n": 2}]}
