"""Response shapes every service shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_HasId)


class Page(BaseModel, Generic[T]):
    """One page of a list: `next_cursor` fetches the next, null at the end."""

    items: list[T]
    next_cursor: str | None


def cut(rows: Sequence[R], limit: int) -> tuple[Sequence[R], str | None]:
    """A page of `limit` rows from a query that asked for one more, and the cursor of the next page
    (the last row's id; None when the extra row did not come, i.e. this is the last page)."""
    return rows[:limit], rows[limit - 1].id if len(rows) > limit else None
