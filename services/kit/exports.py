"""A customer's data export (GDPR art. 15): the part each service plays.

Routing owns the profile and asks for an export with CustomerExportRequested, naming the customer's
identities and conversations. Every service that keeps data of them answers with its own part as
CustomerDataExported events: a JSON document of lists of records by kind ("messages", "replies"…),
cut into events of at most `CHUNK_BYTES`, numbered from 0, the last one marked. Routing puts the
parts together; nothing here does I/O beyond emitting through the unit of work.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from webcare.v1 import customers_pb2

from services.kit.events import new_event
from services.kit.uow import UnitOfWork

# Well below Kafka's default message size limit (1 MiB), with room for headers and protobuf framing.
CHUNK_BYTES = 256 * 1024

Document = dict[str, list[dict[str, Any]]]


def records(rows: Iterable[BaseModel], *, leave_out: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Rows as JSON-ready records, without the named fields (what is not the customer's: secrets)."""
    return [row.model_dump(mode="json", exclude=set(leave_out)) for row in rows]


def _size(record: Mapping[str, Any]) -> int:
    return len(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode())


def chunks(
    document: Mapping[str, Sequence[dict[str, Any]]], *, limit: int = CHUNK_BYTES
) -> Iterator[Document]:
    """The document cut into documents of about `limit` bytes of JSON at most, every kind's records in
    order; always at least one (empty) document. A single record larger than the limit gets a
    document of its own."""
    current: Document = {}
    size = 2
    for kind, rows in document.items():
        for row in rows:
            grown = _size(row) + len(kind) + 8
            if current and size + grown > limit:
                yield current
                current, size = {}, 2
            current.setdefault(kind, []).append(row)
            size += grown
    yield current


def emit_part(
    uow: UnitOfWork,
    request: customers_pb2.CustomerExportRequested | customers_pb2.CustomerDataExported,
    *,
    service: str,
    document: Mapping[str, Sequence[dict[str, Any]]],
    first_sequence: int = 0,
    last: bool = True,
    message_kind: str | None = None,
) -> int:
    """Emit a service's part of an export as CustomerDataExported events numbered from
    `first_sequence`, the final one marked `last` when the part ends here; the number of events.
    With `message_kind`, each event names the ids of the records of that kind it holds."""
    pieces = list(chunks(document, limit=CHUNK_BYTES))
    for index, piece in enumerate(pieces):
        ids = [str(r["id"]) for r in piece.get(message_kind, [])] if message_kind else []
        event = new_event(
            customers_pb2.CustomerDataExported,
            tenant_id=request.tenant_id,
            customer_id=request.customer_id,
            export_id=request.export_id,
            service=service,
            sequence=first_sequence + index,
            last=last and index == len(pieces) - 1,
            document=json.dumps(piece, ensure_ascii=False, separators=(",", ":")),
            message_ids=ids,
        )
        uow.emit(event, key=request.customer_id)
    return len(pieces)


def merge(documents: Iterable[str]) -> Document:
    """The documents of a service's part, in order, as one."""
    merged: Document = {}
    for text in documents:
        for kind, rows in json.loads(text).items():
            merged.setdefault(kind, []).extend(rows)
    return merged
