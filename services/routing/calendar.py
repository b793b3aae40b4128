"""Business calendars: when a tenant is open, for SLA clocks that count business hours only.

A calendar has an IANA time zone, up to ten opening blocks per weekday and holidays (local dates that
are closed all day). Opening blocks are decided in local time, but durations are real elapsed time: a
block across a daylight saving change lasts as long as really passes (00:00-06:00 on the night clocks
spring forward is five hours, on the night they fall back seven). Local times that do not exist, or
exist twice, are read as zoneinfo reads them with `fold=0`.

This module does no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

MAX_BLOCKS_PER_DAY = 10
MAX_HOLIDAYS = 1000

# A calendar with no open time on this many of its opening days in a row (holidays aside) is broken:
# daylight saving changes remove at most an hour or so a couple of times a year.
_MAX_BARREN_DAYS = 14

_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DAY = timedelta(days=1)
_ZERO = timedelta(0)

Block = tuple[time, time | None]


class CalendarError(ValueError):
    """A calendar that cannot be used; the message says what is wrong with it."""


def _hhmm(value: time | None) -> str:
    return "24:00" if value is None else f"{value.hour:02d}:{value.minute:02d}"


def _block_text(block: Block) -> str:
    return f"{_hhmm(block[0])}-{_hhmm(block[1])}"


def _parse_time(text: object, where: str) -> time | None:
    """A "HH:MM" time; None stands for "24:00"."""
    if text == "24:00":
        return None
    match = _TIME.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise CalendarError(f'{where}: {text!r} is not a time of day as "HH:MM" (00:00 to 24:00)')
    return time(int(match[1]), int(match[2]))


def _parse_block(raw: object, where: str) -> Block:
    if isinstance(raw, str) or not isinstance(raw, Sequence) or len(raw) != 2:
        raise CalendarError(f'{where}: a block must be a pair of times like ["08:00", "12:00"], not {raw!r}')
    start = _parse_time(raw[0], where)
    if start is None:
        raise CalendarError(f"{where}: 24:00 may only end a block, not start one")
    return start, _parse_time(raw[1], where)


def _parse_holiday(raw: object) -> date:
    if isinstance(raw, str) and _DATE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise CalendarError(f"holiday {raw!r} is not a date as YYYY-MM-DD")


def _minutes(value: time | None) -> int:
    return 24 * 60 if value is None else value.hour * 60 + value.minute


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening blocks per weekday in a time zone, and holidays; `of` builds one from the API's shape.

    `week` has seven entries, Monday first; each is a sorted tuple of non-overlapping (start, end)
    blocks of local time, where an end of None means midnight at the end of that day (24:00). The
    constructor checks all of this and raises CalendarError when it does not hold.
    """

    zone: ZoneInfo
    week: tuple[tuple[Block, ...], ...]
    holidays: frozenset[date]

    def __post_init__(self) -> None:
        if not isinstance(self.zone, ZoneInfo):
            raise CalendarError("the time zone must be a ZoneInfo")
        if len(self.week) != len(WEEKDAYS):
            raise CalendarError(f"the week must have {len(WEEKDAYS)} days, Monday first")
        for name, blocks in zip(WEEKDAYS, self.week, strict=True):
            _check_day(name, blocks)
        if not any(self.week):
            raise CalendarError("the week has no opening block: a calendar must be open at some time")
        if len(self.holidays) > MAX_HOLIDAYS:
            raise CalendarError(f"{len(self.holidays)} holidays are too many (at most {MAX_HOLIDAYS})")
        for holiday in self.holidays:
            # datetime is a subclass of date, but a holiday is a whole local date.
            if not isinstance(holiday, date) or isinstance(holiday, datetime):
                raise CalendarError(f"holiday {holiday!r} is not a date")

    @classmethod
    def of(
        cls, timezone: str, week: Mapping[str, Sequence[Sequence[str]]], holidays: Sequence[str] = ()
    ) -> BusinessCalendar:
        """The calendar the API describes, or CalendarError saying what is wrong with it.

        `timezone` is an IANA name such as "Europe/Berlin"; `week` maps weekdays ("mon".."sun") to
        blocks such as [["08:00", "12:00"], ["13:00", "18:00"]] in any order (days left out are closed;
        "24:00" may end a block); `holidays` are local dates such as "2026-12-24".
        """
        if not isinstance(timezone, str):
            raise CalendarError(f"the time zone must be an IANA name such as Europe/Berlin, not {timezone!r}")
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise CalendarError(f"unknown time zone {timezone!r}") from None

        if not isinstance(week, Mapping):
            raise CalendarError("the week must map weekdays (mon..sun) to lists of blocks")
        days: list[tuple[Block, ...]] = [() for _ in WEEKDAYS]
        for key, raw_blocks in week.items():
            if key not in WEEKDAYS:
                raise CalendarError(f"unknown weekday {key!r}; use {', '.join(WEEKDAYS)}")
            if isinstance(raw_blocks, str) or not isinstance(raw_blocks, Sequence):
                raise CalendarError(f"{key}: the blocks must be a list of pairs of times")
            if len(raw_blocks) > MAX_BLOCKS_PER_DAY:
                raise CalendarError(
                    f"{key}: {len(raw_blocks)} blocks are too many (at most {MAX_BLOCKS_PER_DAY} a day)"
                )
            blocks = [_parse_block(raw, key) for raw in raw_blocks]
            days[WEEKDAYS.index(key)] = tuple(sorted(blocks, key=lambda block: _minutes(block[0])))

        if isinstance(holidays, str) or not isinstance(holidays, Sequence):
            raise CalendarError("holidays must be a list of dates as YYYY-MM-DD")
        if len(holidays) > MAX_HOLIDAYS:
            raise CalendarError(f"{len(holidays)} holidays are too many (at most {MAX_HOLIDAYS})")
        closed: set[date] = set()
        for raw in holidays:
            holiday = _parse_holiday(raw)
            if holiday in closed:
                raise CalendarError(f"holiday {raw} is listed twice")
            closed.add(holiday)

        return cls(zone, tuple(days), frozenset(closed))

    def to_api(self) -> dict[str, Any]:
        """The API's shape of this calendar, which `of` accepts: `of(**cal.to_api()) == cal`."""
        return {
            "timezone": self.zone.key,
            "week": {
                name: [[_hhmm(start), _hhmm(end)] for start, end in blocks]
                for name, blocks in zip(WEEKDAYS, self.week, strict=True)
                if blocks
            },
            "holidays": [holiday.isoformat() for holiday in sorted(self.holidays)],
        }

    def is_open(self, at: datetime) -> bool:
        """Whether the calendar is open at this instant (a block's start is open, its end is not)."""
        moment = _utc(at, "at")
        return next(self._open_from(moment))[0] == moment

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant (in UTC) when `duration` of open time has passed, counting from `start`.

        A zero duration gives the first open instant at or after `start`; a negative one is a ValueError.
        """
        remaining = duration
        if remaining < _ZERO:
            raise ValueError(f"the duration must not be negative, not {duration}")
        for begin, end in self._open_from(_utc(start, "start")):
            if remaining <= end - begin:
                return begin + remaining
            remaining -= end - begin
        raise AssertionError("unreachable: the open intervals never run out")  # pragma: no cover

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The open time in [start, end); zero when `end` is not after `start`."""
        since, until = _utc(start, "start"), _utc(end, "end")
        total = _ZERO
        if until <= since:
            return total
        for begin, finish in self._open_from(since):
            if begin >= until:
                break
            total += min(finish, until) - begin
        return total

    def _midnight(self, day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=self.zone).astimezone(UTC)

    def _day(self, day: date) -> list[tuple[datetime, datetime]]:
        """The open intervals (UTC, sorted, disjoint) of one local date."""
        blocks = self.week[day.weekday()]
        if not blocks or day in self.holidays:
            return []
        # Clamped to the local date's own span so that the intervals of two dates never overlap, even
        # where a daylight saving gap at midnight makes a local time (read with fold=0) fall into the span
        # of the neighbouring date.
        low = self._midnight(day)
        high = max(low, self._midnight(day + _DAY))
        intervals: list[tuple[datetime, datetime]] = []
        for first, last in blocks:
            begin = max(low, self._local(day, first))
            end = high if last is None else min(high, self._local(day, last))
            if begin < end:
                intervals.append((begin, end))
        # Sorted again: blocks are in local order, but a daylight saving gap can reorder their instants.
        return _merge(sorted(intervals))

    def _local(self, day: date, at: time) -> datetime:
        return datetime(day.year, day.month, day.day, at.hour, at.minute, tzinfo=self.zone).astimezone(UTC)

    def _open_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The open intervals at or after `moment` (UTC), in order, the first cut to start no earlier.

        Endless for a valid calendar; the consumer stops. The search starts a day early because the
        first instants after a transition at midnight can belong to the previous local date's span.
        """
        day = moment.astimezone(self.zone).date() - _DAY
        barren = 0
        while True:
            intervals = self._day(day)
            for begin, end in intervals:
                if end > moment:
                    yield max(begin, moment), end
            if intervals:
                barren = 0
            elif self.week[day.weekday()] and day not in self.holidays:
                barren += 1
                if barren > _MAX_BARREN_DAYS:
                    raise CalendarError(
                        f"no open time on {barren} opening days in a row up to {day}; the calendar is broken"
                    )
            day += _DAY


def _check_day(name: str, blocks: Sequence[Block]) -> None:
    if len(blocks) > MAX_BLOCKS_PER_DAY:
        raise CalendarError(f"{name}: {len(blocks)} blocks are too many (at most {MAX_BLOCKS_PER_DAY} a day)")
    previous: Block | None = None
    for block in blocks:
        start, end = block
        for value in (start, end):
            if value is not None and (
                not isinstance(value, time) or value.tzinfo is not None or value.second or value.microsecond
            ):
                raise CalendarError(f"{name}: {value!r} is not a local time of day in whole minutes")
        if start is None or _minutes(start) >= _minutes(end):
            raise CalendarError(f"{name}: block {_block_text(block)} must start before it ends")
        if previous is not None and _minutes(start) < _minutes(previous[1]):
            raise CalendarError(
                f"{name}: blocks {_block_text(previous)} and {_block_text(block)} overlap or are out of order"
            )
        previous = block


def _merge(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for begin, end in intervals:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def _utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, not naive {value.isoformat()}")
    return value.astimezone(UTC)
