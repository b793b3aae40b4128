"""`webcare report`: a period's KPIs from the reporting API as a table, and as a PNG chart on request."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import SecretStr, TypeAdapter
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.reporting.models import AgentFigures, DayTrend, SlaGroup, Summary

if TYPE_CHECKING:
    from matplotlib.axes import Axes

DEFAULT_DAYS = 7
FILTERS = ("channel", "queue", "agent", "language", "category")
CHART_INCHES, CHART_DPI = (12.0, 6.0), 100  # 1200 x 600 pixels
MAX_FILLED_DAYS = 400  # longer periods chart only the days with messages
NONE = "\N{EN DASH}"  # no value
_SLA_GROUPS = TypeAdapter(list[SlaGroup])
_AGENTS = TypeAdapter(list[AgentFigures])


# Every word of the table and the chart: (German, English).
_WORDS = {
    "title": ("Webcare-Bericht", "Webcare report"),
    "until": ("bis", "to"),
    "no_filters": ("alle Kanäle und Queues", "all channels and queues"),
    "kpis": ("Kennzahlen", "Key figures"),
    "messages": ("Nachrichten", "Messages"),
    "conversations": ("Konversationen", "Conversations"),
    "response_rate": ("Antwortquote", "Response rate"),
    "first_response_median": ("Erste Antwort, Median", "First response, median"),
    "first_response_p90": ("Erste Antwort, p90", "First response, p90"),
    "sla_attainment": ("SLA-Erfüllung", "SLA attainment"),
    "backlog": ("Unbeantwortet offen", "Backlog"),
    "oldest_waiting": ("Wartet am längsten", "Oldest waiting"),
    "since": ("seit", "since"),
    "sla_by_queue": ("SLA nach Queue", "SLA by queue"),
    "measured": ("Gemessen", "Measured"),
    "met": ("Eingehalten", "Met"),
    "agents": ("Agenten", "Agents"),
    "answered": ("Beantwortet", "Answered"),
    "first_response": ("Erste Antwort (Median)", "First response (median)"),
    "negative_wording": ("Negative Wortwahl", "Negative wording"),
    "csat": ("CSAT (Antworten)", "CSAT (answers)"),
    "no_data": ("keine Daten", "no data"),
    "messages_per_day": ("Nachrichten pro Tag", "Messages per day"),
    "negative_share": ("Anteil negativ", "Negative share"),
    "chart": ("Diagramm", "Chart"),
    # the filters' names
    "channel": ("Kanal", "Channel"),
    "queue": ("Queue", "Queue"),
    "agent": ("Agent", "Agent"),
    "language": ("Sprache", "Language"),
    "category": ("Kategorie", "Category"),
    # how numbers and days are written
    "day_format": ("%d.%m.", "%m-%d"),
    "decimal": (",", "."),
    "thousands": (".", ","),
    "percent": (" %", "%"),
}


@dataclass(frozen=True)
class Labels:
    """The words of the table and the chart in one language."""

    title: str
    until: str
    no_filters: str
    kpis: str
    messages: str
    conversations: str
    response_rate: str
    first_response_median: str
    first_response_p90: str
    sla_attainment: str
    backlog: str
    oldest_waiting: str
    since: str
    sla_by_queue: str
    measured: str
    met: str
    agents: str
    answered: str
    first_response: str
    negative_wording: str
    csat: str
    no_data: str
    messages_per_day: str
    negative_share: str
    chart: str
    channel: str
    queue: str
    agent: str
    language: str
    category: str
    day_format: str
    decimal: str
    thousands: str
    percent: str


LABELS = {
    language: Labels(**{name: words[index] for name, words in _WORDS.items()})
    for index, language in enumerate(("de", "en"))
}


class ReportClientSettings(BaseSettings):
    """Where the reporting API is and the key to ask it with (WEBCARE_URL, WEBCARE_API_KEY)."""

    model_config = SettingsConfigDict(env_prefix="WEBCARE_", env_file=".env", extra="ignore")

    url: str = "http://127.0.0.1:8000"
    api_key: SecretStr | None = None


@dataclass(frozen=True)
class Report:
    """What the table and the chart show: the summary, SLA by queue and the agents of one period."""

    summary: Summary
    sla: list[SlaGroup]
    agents: list[AgentFigures]
    since: datetime
    until: datetime
    filters: dict[str, str]


class ReportFailed(Exception):
    """The API could not be asked or refused; the message is one line for the terminal."""


def moment(text: str) -> datetime:
    """An ISO date (midnight UTC) or date-time (UTC unless it names a zone)."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), UTC)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or time: {text!r}") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `webcare report`."""
    parser = commands.add_parser("report", help="a period's KPIs as a table (and a PNG chart)")
    parser.add_argument("--url", help="the reporting API (default: WEBCARE_URL or http://127.0.0.1:8000)")
    parser.add_argument("--key", help="a supervisor's or admin's API key (default: WEBCARE_API_KEY)")
    parser.add_argument(
        "--from",
        dest="since",
        metavar="FROM",
        type=moment,
        help="ISO date or time, UTC unless zoned (default: 7 days ago)",
    )
    parser.add_argument(
        "--to", dest="until", metavar="TO", type=moment, help="ISO date or time, exclusive (default: now)"
    )
    for name in FILTERS:
        parser.add_argument(f"--{name}", help=f"only this {name}")
    parser.add_argument("--png", type=Path, metavar="PATH", help="also draw the period as a PNG chart")
    parser.add_argument("--lang", choices=tuple(LABELS), default="de", help="labels (default: de)")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Ask the API for the period's KPIs, print them as a table and draw the chart if asked to."""
    settings = ReportClientSettings()
    key = args.key or (settings.api_key.get_secret_value() if settings.api_key else "")
    if not key:
        return _fail("no API key: give --key or set WEBCARE_API_KEY", status=2)
    until = args.until or datetime.now(UTC)
    since = args.since or until - timedelta(days=DEFAULT_DAYS)
    if since >= until:
        return _fail(f"--from ({_when(since)}) must be before --to ({_when(until)})", status=2)
    filters = {name: value for name in FILTERS if (value := getattr(args, name)) is not None}
    labels = LABELS[args.lang]
    try:
        report = fetch(args.url or settings.url, key, since=since, until=until, filters=filters)
    except ReportFailed as exc:
        return _fail(str(exc))
    print(render(report, labels), flush=True)
    if args.png is not None:
        try:
            chart(report, labels, args.png)
        except OSError as exc:
            return _fail(f"cannot write {args.png}: {exc.strerror or exc}")
        print(f"\n{labels.chart}: {args.png}", flush=True)
    return 0


def _fail(message: str, *, status: int = 1) -> int:
    print(f"webcare report: {message}", file=sys.stderr, flush=True)
    return status


def fetch(url: str, key: str, *, since: datetime, until: datetime, filters: dict[str, str]) -> Report:
    """The summary, SLA by queue and agents of a period from the API at `url`."""
    params = {"from": _iso(since), "to": _iso(until), **filters}
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    try:
        with httpx.Client(base_url=url, headers=headers, timeout=30.0) as client:
            summary = Summary.model_validate(_get(client, "/v1/reports/summary", params))
            sla = _SLA_GROUPS.validate_python(_get(client, "/v1/reports/sla", {**params, "by": "queue"}))
            agents = _AGENTS.validate_python(_get(client, "/v1/reports/agents", params))
    except httpx.HTTPStatusError as exc:
        raise ReportFailed(_refusal(exc.response)) from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise ReportFailed(f"cannot reach {url}: {_one_line(str(exc)) or type(exc).__name__}") from None
    except ValueError:  # not JSON, or not the shape of a report
        raise ReportFailed(f"{url} did not answer with a Webcare report") from None
    return Report(summary, sla, agents, since, until, filters)


def _get(client: httpx.Client, path: str, params: dict[str, str]) -> Any:
    response = client.get(path, params=params)
    response.raise_for_status()
    return response.json()


def _refusal(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "error" in body:
        detail = body.get("detail")
        if isinstance(detail, list):  # invalid_request: [{"field": ..., "problem": ...}]
            detail = "; ".join(f"{d.get('field')}: {d.get('problem')}" for d in detail if isinstance(d, dict))
        reason = f"{body['error']}: {detail}" if detail else str(body["error"])
    else:
        reason = response.reason_phrase or response.text
    return _one_line(f"{response.request.url.path} answered {response.status_code} {reason}")


def _one_line(text: str, limit: int = 300) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _when(at: datetime) -> str:
    at = at.astimezone(UTC)
    return f"{at:%Y-%m-%d}" if at.time() == time() else f"{at:%Y-%m-%d %H:%M} UTC"


def heading(report: Report, labels: Labels) -> str:
    """The report's title line: the period and the filters."""
    filters = ", ".join(f"{getattr(labels, name)}: {value}" for name, value in report.filters.items())
    period = f"{_when(report.since)} {labels.until} {_when(report.until)}"
    return f"{labels.title} · {period} · {filters or labels.no_filters}"


def headline(summary: Summary, labels: Labels) -> list[tuple[str, str, str]]:
    """The headline KPIs as (label, value, note) rows."""
    waiting = summary.oldest_waiting_since
    oldest, since = NONE, ""
    if waiting is not None:
        oldest = duration((datetime.now(UTC) - waiting).total_seconds())
        since = f"{labels.since} {waiting.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return [
        (labels.messages, number(summary.messages_received, labels), ""),
        (labels.conversations, number(summary.conversations_opened, labels), ""),
        (labels.response_rate, percent(summary.response_rate, labels), ""),
        (labels.first_response_median, duration(summary.first_response_seconds.median), ""),
        (labels.first_response_p90, duration(summary.first_response_seconds.p90), ""),
        (labels.sla_attainment, percent(summary.sla_attainment, labels), ""),
        (labels.backlog, number(summary.backlog, labels), ""),
        (labels.oldest_waiting, oldest, since),
    ]


def render(report: Report, labels: Labels) -> str:
    """The report as aligned plain-text tables: headline KPIs, SLA by queue, agents."""
    sla = [
        [g.key, number(g.measured, labels), number(g.met, labels), percent(g.attainment, labels)]
        for g in report.sla
    ]
    agents = [
        [
            a.agent_id,
            number(a.conversations_answered, labels),
            duration(a.first_response_seconds.median),
            percent(a.negative_wording_rate, labels),
            f"{decimal(a.csat_average, labels)} ({a.csat_answers})",
        ]
        for a in report.agents
    ]
    sla_headers = [labels.queue, labels.measured, labels.met, labels.sla_attainment]
    agent_headers = [
        labels.agent,
        labels.answered,
        labels.first_response,
        labels.negative_wording,
        labels.csat,
    ]
    sections = [
        heading(report, labels),
        _section(labels.kpis, table(headline(report.summary, labels), right={1}), labels),
        _section(labels.sla_by_queue, table(sla, headers=sla_headers, right={1, 2, 3}), labels),
        _section(labels.agents, table(agents, headers=agent_headers, right={1, 2, 3, 4}), labels),
    ]
    return "\n\n".join(sections)


def _section(title: str, lines: list[str], labels: Labels) -> str:
    return "\n".join([title, *(f"  {line}" for line in lines or [labels.no_data])])


def table(
    rows: Sequence[Sequence[str]], *, headers: Sequence[str] = (), right: Collection[int] = ()
) -> list[str]:
    """Rows as lines of aligned columns (`right` ones flush right), under headers and a rule if given;
    no lines without rows."""
    if not rows:
        return []
    widths = [max(map(len, column)) for column in zip(*([headers] if headers else []), *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = (
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )
        return "  ".join(padded).rstrip()

    head = [line(headers), "  ".join("-" * w for w in widths)] if headers else []
    return [*head, *map(line, rows)]


def duration(seconds: float | None) -> str:
    """A duration the way people say it: "45 s", "4 min 12 s", "2 h 5 min", "3 d 4 h"; a dash for none."""
    if seconds is None:
        return NONE
    whole = max(0, round(seconds))
    for unit, size, smaller, small_size in (
        ("d", 86400, "h", 3600),
        ("h", 3600, "min", 60),
        ("min", 60, "s", 1),
    ):
        if whole >= size:
            big, rest = divmod(whole, size)
            rest //= small_size
            return f"{big} {unit} {rest} {smaller}" if rest else f"{big} {unit}"
    return f"{whole} s"


def number(value: int, labels: Labels) -> str:
    """A count with the language's thousands separator."""
    return f"{value:,}".replace(",", labels.thousands)


def decimal(value: float | None, labels: Labels, digits: int = 1) -> str:
    """A decimal number with the language's decimal mark; a dash for none."""
    return NONE if value is None else f"{value:.{digits}f}".replace(".", labels.decimal)


def percent(share: float | None, labels: Labels) -> str:
    """A share of 0..1 as a percentage, one decimal where it is not whole; a dash for none."""
    if share is None:
        return NONE
    value = round(share * 100, 1)
    text = str(int(value)) if value.is_integer() else decimal(value, labels)
    return f"{text}{labels.percent}"


def days(report: Report) -> list[DayTrend]:
    """The period's days with their messages and negative share; days without messages count zero."""
    trend = report.summary.sentiment_trend
    first = report.since.astimezone(UTC).date()
    last = (report.until - timedelta(microseconds=1)).astimezone(UTC).date()  # `until` is exclusive
    if (last - first).days > MAX_FILLED_DAYS:
        return trend
    known = {day.day: day for day in trend}
    every = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return [
        known.get(d) or DayTrend(day=d, messages=0, negative_share=None, mean_sentiment=None) for d in every
    ]


def chart(report: Report, labels: Labels, path: Path) -> None:
    """Draw messages per day with their negative share, and the headline KPIs, as a PNG at `path`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # matplotlib only where it is needed
    from matplotlib.figure import Figure

    figure = Figure(figsize=CHART_INCHES, dpi=CHART_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    trend_axes, kpi_axes = figure.subplots(1, 2, width_ratios=[3, 1])
    figure.suptitle(heading(report, labels), fontsize=12)
    _draw_trend(trend_axes, days(report), labels)
    _draw_kpis(kpi_axes, report.summary, labels)
    figure.savefig(path, format="png")


def _draw_trend(axes: Axes, trend: list[DayTrend], labels: Labels) -> None:
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    positions = list(range(len(trend)))
    bars = axes.bar(positions, [d.messages for d in trend], color="#4c72b0", label=labels.messages_per_day)
    axes.set_ylabel(labels.messages_per_day)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    step = max(1, math.ceil(len(trend) / 14))
    axes.set_xticks(positions[::step], [d.day.strftime(labels.day_format) for d in trend[::step]])
    shares = [math.nan if d.negative_share is None else d.negative_share * 100 for d in trend]
    negative = axes.twinx()
    (line,) = negative.plot(positions, shares, color="#c44e52", marker="o", label=labels.negative_share)
    negative.set_ylim(0, 100)
    negative.yaxis.set_major_formatter(PercentFormatter())
    negative.set_ylabel(labels.negative_share)
    axes.legend(handles=[bars, line], loc="upper left")
    if not any(d.messages for d in trend):
        axes.text(0.5, 0.5, labels.no_data, ha="center", va="center", transform=axes.transAxes)


def _draw_kpis(axes: Axes, summary: Summary, labels: Labels) -> None:
    axes.axis("off")
    kpis = [
        (labels.response_rate, percent(summary.response_rate, labels)),
        (labels.first_response_median, duration(summary.first_response_seconds.median)),
        (labels.sla_attainment, percent(summary.sla_attainment, labels)),
    ]
    for index, (name, value) in enumerate(kpis):
        top = 0.9 - index * 0.3
        axes.text(0.05, top, name, fontsize=11, color="#555555", transform=axes.transAxes)
        axes.text(0.05, top - 0.11, value, fontsize=24, fontweight="bold", transform=axes.transAxes)
