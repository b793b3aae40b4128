"""Response shapes every service shares."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: `next_cursor` fetches the next, null at the end."""

    items: list[T]
    next_cursor: str | None
