"""Business calendars: opening blocks in local time, holidays, daylight saving, and the SLA arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.routing.calendar import WEEKDAYS, BusinessCalendar, CalendarError

BERLIN = ZoneInfo("Europe/Berlin")
WORKDAYS = ("mon", "tue", "wed", "thu", "fri")
OFFICE = {day: [["08:00", "18:00"]] for day in WORKDAYS}
LUNCH = {day: [["08:00", "12:00"], ["13:00", "18:00"]] for day in WORKDAYS}


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0, *, fold: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN, fold=fold)


def office(*holidays: str) -> BusinessCalendar:
    return BusinessCalendar.of("Europe/Berlin", OFFICE, holidays)


# Concrete examples (Europe/Berlin; 2026-11-20 is a Friday)


def test_a_message_late_on_friday_is_due_on_monday_morning() -> None:
    due = office().add(berlin(2026, 11, 20, 17, 30), timedelta(minutes=60))

    assert due == berlin(2026, 11, 23, 8, 30)
    assert due.tzinfo is UTC
    assert office().between(berlin(2026, 11, 20, 17, 30), due) == timedelta(minutes=60)


def test_the_lunch_break_does_not_count() -> None:
    calendar = BusinessCalendar.of("Europe/Berlin", LUNCH)

    assert calendar.add(berlin(2026, 11, 23, 11, 30), timedelta(minutes=60)) == berlin(2026, 11, 23, 13, 30)
    assert calendar.add(berlin(2026, 11, 23, 12, 15), timedelta(0)) == berlin(2026, 11, 23, 13)
    assert calendar.between(berlin(2026, 11, 23, 11), berlin(2026, 11, 23, 14)) == timedelta(hours=2)
    assert calendar.between(berlin(2026, 11, 23), berlin(2026, 11, 30)) == timedelta(hours=45)


def test_a_holiday_closes_the_whole_day() -> None:
    calendar = office("2026-12-24")  # a Thursday
    wednesday_evening = berlin(2026, 12, 23, 17, 30)

    assert calendar.add(wednesday_evening, timedelta(minutes=60)) == berlin(2026, 12, 25, 8, 30)
    assert not calendar.is_open(berlin(2026, 12, 24, 10))
    assert calendar.between(berlin(2026, 12, 24), berlin(2026, 12, 25)) == timedelta(0)
    assert office().between(berlin(2026, 12, 24), berlin(2026, 12, 25)) == timedelta(hours=10)


def test_consecutive_holidays_are_skipped() -> None:
    calendar = office("2026-12-24", "2026-12-25", "2026-12-28")

    assert calendar.add(berlin(2026, 12, 23, 18), timedelta(minutes=1)) == berlin(2026, 12, 29, 8, 1)


def test_the_night_clocks_spring_forward_has_five_hours_from_midnight_to_six() -> None:
    calendar = BusinessCalendar.of("Europe/Berlin", {"sun": [["00:00", "06:00"]]})
    sunday = berlin(2026, 3, 29)

    assert calendar.between(sunday, berlin(2026, 3, 30)) == timedelta(hours=5)
    assert calendar.add(sunday, timedelta(hours=5)) == berlin(2026, 3, 29, 6)
    assert calendar.add(sunday, timedelta(hours=5, minutes=1)) == berlin(2026, 4, 5, 0, 1)
    assert calendar.add(sunday, timedelta(hours=2)) == berlin(2026, 3, 29, 3)  # 02:00-03:00 is skipped


def test_the_night_clocks_fall_back_has_seven_hours_from_midnight_to_six() -> None:
    calendar = BusinessCalendar.of("Europe/Berlin", {"sun": [["00:00", "06:00"]]})
    sunday = berlin(2026, 10, 25)

    assert calendar.between(sunday, berlin(2026, 10, 26)) == timedelta(hours=7)
    assert calendar.add(sunday, timedelta(hours=7)) == berlin(2026, 10, 25, 6)
    # 02:30 happens twice; both are open.
    assert calendar.is_open(berlin(2026, 10, 25, 2, 30, fold=0))
    assert calendar.is_open(berlin(2026, 10, 25, 2, 30, fold=1))
    # The second 02:00, in UTC: an aware datetime with fold=1 compares unequal to any other zone's.
    assert calendar.add(sunday, timedelta(hours=3)) == berlin(2026, 10, 25, 2, fold=1).astimezone(UTC)


def test_a_block_may_end_at_midnight() -> None:
    calendar = BusinessCalendar.of(
        "Europe/Berlin", {"sat": [["22:00", "24:00"]], "sun": [["00:00", "02:00"]]}
    )
    saturday = berlin(2026, 11, 21)

    assert calendar.between(saturday, saturday + timedelta(days=2)) == timedelta(hours=4)
    assert calendar.add(berlin(2026, 11, 21, 23), timedelta(hours=2)) == berlin(2026, 11, 22, 1)
    assert calendar.is_open(berlin(2026, 11, 22))
    assert not calendar.is_open(berlin(2026, 11, 22, 2))

    alone = BusinessCalendar.of("Europe/Berlin", {"sat": [["22:00", "24:00"]]})
    assert alone.add(berlin(2026, 11, 21, 22), timedelta(hours=2)) == berlin(2026, 11, 22)
    assert alone.is_open(berlin(2026, 11, 21, 23, 59))
    assert not alone.is_open(berlin(2026, 11, 22))


def test_a_block_starts_open_and_ends_closed() -> None:
    calendar = office()
    tick = timedelta(microseconds=1)

    assert calendar.is_open(berlin(2026, 11, 23, 8))
    assert not calendar.is_open(berlin(2026, 11, 23, 8) - tick)
    assert calendar.is_open(berlin(2026, 11, 23, 18) - tick)
    assert not calendar.is_open(berlin(2026, 11, 23, 18))
    assert calendar.is_open(datetime(2026, 11, 23, 7, tzinfo=UTC))  # 08:00 in Berlin
    assert not calendar.is_open(berlin(2026, 11, 21, 10))  # a Saturday


def test_a_zero_duration_is_the_first_open_instant() -> None:
    calendar = office()
    open_start = berlin(2026, 11, 23, 9, 15)

    assert calendar.add(open_start, timedelta(0)) == open_start
    assert calendar.add(berlin(2026, 11, 23, 18), timedelta(0)) == berlin(2026, 11, 24, 8)
    assert calendar.add(berlin(2026, 11, 23, 18, 30), timedelta(0)).tzinfo is UTC


def test_time_before_the_start_counts_nothing() -> None:
    calendar = office()
    start = berlin(2026, 11, 23, 10)

    assert calendar.between(start, start) == timedelta(0)
    assert calendar.between(start, start - timedelta(hours=1)) == timedelta(0)


def test_a_negative_duration_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        office().add(berlin(2026, 11, 23, 10), timedelta(minutes=-1))


def test_naive_datetimes_are_refused() -> None:
    calendar = office()
    naive = datetime(2026, 11, 23, 10)
    aware = berlin(2026, 11, 23, 10)

    with pytest.raises(ValueError, match="aware"):
        calendar.is_open(naive)
    with pytest.raises(ValueError, match="aware"):
        calendar.add(naive, timedelta(minutes=1))
    with pytest.raises(ValueError, match="aware"):
        calendar.between(naive, aware)
    with pytest.raises(ValueError, match="aware"):
        calendar.between(aware, naive)


def test_touching_blocks_given_in_any_order_are_sorted() -> None:
    calendar = BusinessCalendar.of("Europe/Berlin", {"mon": [["12:00", "13:00"], ["08:00", "12:00"]]})

    assert calendar.week[0] == ((time(8), time(12)), (time(12), time(13)))
    assert calendar.add(berlin(2026, 11, 23, 11), timedelta(hours=2)) == berlin(2026, 11, 23, 13)
    assert calendar.is_open(berlin(2026, 11, 23, 12))
    assert calendar.between(berlin(2026, 11, 23), berlin(2026, 11, 24)) == timedelta(hours=5)


def test_long_durations_on_a_sparse_calendar_end() -> None:
    calendar = BusinessCalendar.of("Europe/Berlin", {"sun": [["10:00", "11:00"]]})
    start = berlin(2026, 11, 23, 9)

    due = calendar.add(start, timedelta(days=30))

    assert due == berlin(2040, 9, 9, 11)  # the 720th Sunday, its hour used up
    assert calendar.between(start, due) == timedelta(days=30)


def test_a_run_of_a_thousand_holidays_is_crossed() -> None:
    first_sunday = date(2026, 1, 4)
    holidays = [(first_sunday + timedelta(weeks=week)).isoformat() for week in range(1000)]
    calendar = BusinessCalendar.of("Europe/Berlin", {"sun": [["10:00", "11:00"]]}, holidays)
    start = berlin(2026, 6, 1)

    due = calendar.add(start, timedelta(minutes=30))

    assert due == berlin(2045, 3, 5, 10, 30)
    assert calendar.between(start, due) == timedelta(minutes=30)
    assert not calendar.is_open(berlin(2026, 6, 7, 10, 30))


def test_a_calendar_is_open_in_its_own_zone_wherever_the_instant_comes_from() -> None:
    calendar = BusinessCalendar.of("America/New_York", OFFICE)
    start = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)  # 08:30 in New York

    assert calendar.is_open(start)
    assert not calendar.is_open(datetime(2026, 11, 23, 12, 30, tzinfo=UTC))
    assert calendar.add(start, timedelta(hours=10)) == datetime(2026, 11, 24, 13, 30, tzinfo=UTC)


def test_the_api_shape_round_trips() -> None:
    calendar = BusinessCalendar.of(
        "Europe/Berlin",
        {"fri": [["13:00", "18:00"], ["08:00", "12:00"]], "sat": [["22:00", "24:00"]], "mon": []},
        ["2026-12-25", "2026-12-24"],
    )

    shape = calendar.to_api()

    assert shape == {
        "timezone": "Europe/Berlin",
        "week": {"fri": [["08:00", "12:00"], ["13:00", "18:00"]], "sat": [["22:00", "24:00"]]},
        "holidays": ["2026-12-24", "2026-12-25"],
    }
    assert BusinessCalendar.of(**shape) == calendar


def test_the_constructor_checks_what_of_checks() -> None:
    blocks = ((time(8), time(18)),)

    assert BusinessCalendar(BERLIN, (blocks,) * 7, frozenset()).week[6] == blocks
    with pytest.raises(CalendarError, match="7 days"):
        BusinessCalendar(BERLIN, (blocks,) * 6, frozenset())
    with pytest.raises(CalendarError, match="overlap or are out of order"):
        BusinessCalendar(BERLIN, (((time(13), time(18)), (time(8), time(12))),) * 7, frozenset())
    with pytest.raises(CalendarError, match="whole minutes"):
        BusinessCalendar(BERLIN, (((time(8, 0, 30), time(18)),),) * 7, frozenset())


# Validation


def _blocks(count: int) -> list[list[str]]:
    return [[f"{hour:02d}:00", f"{hour:02d}:30"] for hour in range(count)]


INVALID: list[tuple[dict[str, Any], str]] = [
    ({"timezone": "Mars/Olympus_Mons"}, "unknown time zone"),
    ({"timezone": ""}, "unknown time zone"),
    ({"timezone": "../etc/passwd"}, "unknown time zone"),
    ({"week": {"monday": [["08:00", "18:00"]]}}, "unknown weekday"),
    ({"week": {"Mon": [["08:00", "18:00"]]}}, "unknown weekday"),
    ({"week": {"mon": [["8:00", "18:00"]]}}, "not a time of day"),
    ({"week": {"mon": [["08:00", "18:60"]]}}, "not a time of day"),
    ({"week": {"mon": [["08:00", "25:00"]]}}, "not a time of day"),
    ({"week": {"mon": [["08:00:00", "18:00"]]}}, "not a time of day"),
    ({"week": {"mon": [["08:00", "18:00\n"]]}}, "not a time of day"),
    ({"week": {"mon": [["24:00", "24:00"]]}}, "24:00 may only end a block"),
    ({"week": {"mon": [["08:00"]]}}, "pair of times"),
    ({"week": {"mon": ["08:00-18:00"]}}, "pair of times"),
    ({"week": {"mon": [["18:00", "08:00"]]}}, "must start before it ends"),
    ({"week": {"mon": [["09:00", "09:00"]]}}, "must start before it ends"),
    ({"week": {"mon": [["08:00", "12:00"], ["11:00", "13:00"]]}}, "overlap"),
    ({"week": {"mon": [["11:00", "13:00"], ["08:00", "12:00"]]}}, "overlap"),
    ({"week": {"mon": [["08:00", "12:00"], ["08:00", "12:00"]]}}, "overlap"),
    ({"week": {"mon": _blocks(11)}}, "11 blocks are too many"),
    ({"holidays": ["2026-13-01"]}, "not a date"),
    ({"holidays": ["24.12.2026"]}, "not a date"),
    ({"holidays": ["20261224"]}, "not a date"),
    ({"holidays": "2026-12-24"}, "list of dates"),
    ({"holidays": ["2026-12-24", "2026-12-24"]}, "listed twice"),
    ({"holidays": [(date(2026, 1, 1) + timedelta(days=n)).isoformat() for n in range(1001)]}, "too many"),
    ({"week": {}}, "no opening block"),
    ({"week": {"mon": [], "sun": []}}, "no opening block"),
]


@pytest.mark.parametrize(("change", "message"), INVALID)
def test_an_invalid_calendar_is_refused_with_the_reason(change: dict[str, Any], message: str) -> None:
    api: dict[str, Any] = {"timezone": "Europe/Berlin", "week": OFFICE, "holidays": []} | change

    with pytest.raises(CalendarError) as caught:
        BusinessCalendar.of(**api)

    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_the_limits_themselves_are_allowed() -> None:
    holidays = [(date(2026, 1, 1) + timedelta(days=n)).isoformat() for n in range(1000)]
    calendar = BusinessCalendar.of("Europe/Berlin", {"mon": _blocks(10)}, holidays)

    assert len(calendar.week[0]) == 10
    assert len(calendar.holidays) == 1000


# Properties

ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "America/Santiago",  # changes at midnight
    "America/Havana",
    "Asia/Beirut",  # falls back from midnight into the previous day
    "Australia/Lord_Howe",  # half-hour changes
    "Asia/Kolkata",
)
MINUTES_A_DAY = 24 * 60


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def days(draw: st.DrawFn) -> list[list[str]]:
    """One to three blocks of at least an hour, sometimes touching, sometimes ending at 24:00."""
    blocks: list[list[str]] = []
    minute = draw(st.integers(0, MINUTES_A_DAY - 60))
    for _ in range(draw(st.integers(1, 3))):
        end = min(minute + draw(st.integers(60, 12 * 60)), MINUTES_A_DAY)
        blocks.append([_hhmm(minute), _hhmm(end)])
        minute = end + draw(st.integers(0, 6 * 60))
        if minute > MINUTES_A_DAY - 60:
            break
    return blocks


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    open_days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True))
    week = {day: draw(days()) for day in open_days}
    holidays = draw(st.lists(st.dates(date(2025, 1, 1), date(2028, 12, 31)), max_size=30, unique=True))
    return BusinessCalendar.of(draw(st.sampled_from(ZONES)), week, [day.isoformat() for day in holidays])


# Any zone: the calendar's own zone must not matter to where an instant comes from.
starts = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2028, 12, 31, 23, 59),
    timezones=st.sampled_from([ZoneInfo(zone) for zone in ZONES]),
)
durations = st.integers(0, 30 * MINUTES_A_DAY).map(lambda minutes: timedelta(minutes=minutes))
gaps = st.integers(0, 60 * MINUTES_A_DAY).map(lambda minutes: timedelta(minutes=minutes))

PROPERTY = settings(max_examples=200, deadline=None)


@PROPERTY
@given(calendars(), starts, durations)
def test_between_measures_what_add_adds(
    calendar: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    due = calendar.add(start, duration)

    assert due.tzinfo is UTC
    assert calendar.between(start, due) == duration
    assert due >= start.astimezone(UTC) + duration


@PROPERTY
@given(calendars(), starts, durations, durations)
def test_add_never_goes_back_for_a_longer_duration(
    calendar: BusinessCalendar, start: datetime, one: timedelta, other: timedelta
) -> None:
    shorter, longer = sorted((one, other))

    assert calendar.add(start, shorter) <= calendar.add(start, longer)


@PROPERTY
@given(calendars(), starts)
def test_a_zero_duration_lands_on_an_open_instant(calendar: BusinessCalendar, start: datetime) -> None:
    first = calendar.add(start, timedelta(0))

    assert calendar.is_open(first)
    assert first >= start
    assert calendar.between(start, first) == timedelta(0)
    if calendar.is_open(start):
        # In UTC: an aware datetime in a gap or fold compares unequal to any other zone's.
        assert first == start.astimezone(UTC)


@PROPERTY
@given(calendars(), starts)
def test_is_open_agrees_with_between(calendar: BusinessCalendar, start: datetime) -> None:
    tick = timedelta(microseconds=1)

    assert calendar.between(start, start.astimezone(UTC) + tick) == (
        tick if calendar.is_open(start) else timedelta(0)
    )


@PROPERTY
@given(calendars(), starts, gaps, gaps)
def test_between_adds_up(
    calendar: BusinessCalendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    middle = start.astimezone(UTC) + first  # arithmetic on an aware datetime in its own zone is wall time
    end = middle + second

    assert calendar.between(start, end) == calendar.between(start, middle) + calendar.between(middle, end)


@PROPERTY
@given(calendars())
def test_every_calendar_round_trips_through_the_api_shape(calendar: BusinessCalendar) -> None:
    assert BusinessCalendar.of(**calendar.to_api()) == calendar
