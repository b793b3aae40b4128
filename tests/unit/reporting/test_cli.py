"""`webcare report`: the real app on a real socket, asked by the command in a worker thread (its client
is synchronous; the server runs on the test's event loop), prints the KPIs as a table in German or
English, draws the chart as a PNG, and fails with one line and an exit code, never a traceback."""

from __future__ import annotations

import asyncio
import re
import socket
import struct
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import uvicorn

from services import cli
from services.kit.events import now
from services.reporting.cli import CHART_DPI, CHART_INCHES
from tests.unit.conftest import ADMIN_KEY, Api, eventually
from tests.unit.reporting.test_reports import HOUR, classified, fold, opened, received, sent

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def url(api: Api) -> AsyncIterator[str]:
    """The embedded app served by uvicorn on a free 127.0.0.1 port."""
    config = uvicorn.Config(api.app, host="127.0.0.1", port=0, lifespan="off", log_config=None)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    await eventually(started)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture(autouse=True)
def no_settings_from_outside(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither the environment nor a .env file of the working directory names a URL or a key."""
    monkeypatch.delenv("WEBCARE_URL", raising=False)
    monkeypatch.delenv("WEBCARE_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
async def period(api: Api) -> None:
    """Three hours ago: two messages (one negative), c1 answered by anna in 4 min 12 s within its SLA,
    c2 in the vip queue unanswered past its SLA."""
    start = now() - 3 * HOUR
    angry, happy = received("m1", start), received("m2", start + timedelta(minutes=1))
    await fold(
        api,
        angry,
        classified(angry, "complaint", sentiment=-0.8),
        happy,
        classified(happy, "praise", sentiment=0.7),
        opened("c1", start, due=start + timedelta(minutes=15)),
        sent("c1", start + timedelta(minutes=4, seconds=12), agent="anna"),
        opened("c2", start, due=start + timedelta(minutes=5), queue="vip"),
    )


async def report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `webcare report ...` in a worker thread; its exit code, stdout and stderr."""
    code = await asyncio.to_thread(cli.main, ["report", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def value(out: str, label: str) -> str:
    """The value on the table line that starts with `label`."""
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith(label)]
    assert lines, f"no line {label!r} in:\n{out}"
    return lines[0][len(label) :].strip()


def row(out: str, first: str) -> list[str]:
    """The cells (split on two or more spaces) of the table row whose first cell is `first`."""
    for line in out.splitlines():
        cells = [cell.strip() for cell in line.strip().split("  ") if cell.strip()]
        if cells and cells[0] == first:
            return cells
    pytest.fail(f"no row {first!r} in:\n{out}")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.usefixtures("period")
async def test_the_report_shows_the_kpis_sla_and_agents_in_german_and_draws_a_png(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    png = tmp_path / "report.png"
    code, out, err = await report(capsys, "--url", url, "--key", ADMIN_KEY, "--png", str(png))

    assert (code, err) == (0, "")
    assert out.startswith("Webcare-Bericht · ") and "alle Kanäle und Queues" in out
    assert (value(out, "Nachrichten"), value(out, "Konversationen")) == ("2", "2")
    assert value(out, "Antwortquote") == "50 %"
    assert value(out, "Erste Antwort, Median") == "4 min 12 s"
    assert value(out, "Erste Antwort, p90") == "4 min 12 s"
    assert value(out, "SLA-Erfüllung") == "50 %"
    assert value(out, "Unbeantwortet offen") == "1"
    assert re.fullmatch(
        r"3 h( \d+ min)?  seit \d{4}-\d\d-\d\d \d\d:\d\d UTC", value(out, "Wartet am längsten")
    )
    assert row(out, "Queue") == ["Queue", "Gemessen", "Eingehalten", "SLA-Erfüllung"]
    assert row(out, "default") == ["default", "1", "1", "100 %"]
    assert row(out, "vip") == ["vip", "1", "0", "0 %"]
    assert row(out, "anna") == ["anna", "1", "4 min 12 s", "0 %", "\N{EN DASH} (0)"]
    assert out.rstrip().endswith(f"Diagramm: {png}")

    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 20_000
    assert (
        png_size(data) == (int(CHART_INCHES[0] * CHART_DPI), int(CHART_INCHES[1] * CHART_DPI)) == (1200, 600)
    )


@pytest.mark.usefixtures("period")
async def test_english_labels_and_the_filters_narrow_the_report(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    png = tmp_path / "vip.png"
    argv = ("--url", url, "--key", ADMIN_KEY, "--lang", "en", "--queue", "vip", "--png", str(png))
    code, out, _ = await report(capsys, *argv)

    assert code == 0
    assert out.startswith("Webcare report · ") and out.splitlines()[0].endswith("· Queue: vip")
    assert "Antwortquote" not in out and "Key figures" in out and "Agents" in out
    assert (value(out, "Conversations"), value(out, "Response rate")) == ("1", "0%")
    assert value(out, "First response, median") == "\N{EN DASH}"
    assert value(out, "SLA attainment") == "0%" and value(out, "Backlog") == "1"
    assert row(out, "vip") == ["vip", "1", "0", "0%"] and "default" not in out
    assert out.rstrip().endswith(f"Chart: {png}") and png.read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.usefixtures("period")
async def test_a_period_of_bare_dates_runs_from_midnight_utc(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("--url", url, "--key", ADMIN_KEY, "--from", "2020-01-01", "--to", "2020-01-08")
    code, out, _ = await report(capsys, *argv)

    assert code == 0
    assert out.splitlines()[0] == "Webcare-Bericht · 2020-01-01 bis 2020-01-08 · alle Kanäle und Queues"
    assert (value(out, "Nachrichten"), value(out, "Antwortquote")) == ("0", "\N{EN DASH}")
    assert value(out, "SLA nach Queue") == "" and "keine Daten" in out


@pytest.mark.usefixtures("period")
async def test_the_url_and_the_key_come_from_the_environment(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEBCARE_URL", url)
    monkeypatch.setenv("WEBCARE_API_KEY", ADMIN_KEY)
    code, out, _ = await report(capsys)

    assert code == 0 and value(out, "Nachrichten") == "2"


async def test_a_wrong_key_fails_in_one_line_naming_the_401(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = await report(capsys, "--url", url, "--key", "wck_not-a-key-of-this-tenant")

    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith("webcare report: ")
    assert "/v1/reports/summary answered 401 unauthenticated" in err


async def test_a_filter_the_api_refuses_fails_in_one_line_naming_the_422(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = await report(capsys, "--url", url, "--key", ADMIN_KEY, "--channel", "x" * 40)

    assert (code, out) == (1, "")
    assert (
        err.count("\n") == 1
        and "answered 422 invalid_request: query.channel: String should have at most 32" in err
    )


async def test_an_unreachable_api_fails_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, err = await report(capsys, "--url", f"http://127.0.0.1:{port}", "--key", ADMIN_KEY)

    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith(f"webcare report: cannot reach http://127.0.0.1:{port}: ")


async def test_a_missing_key_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = await report(capsys, "--url", "http://127.0.0.1:9")

    assert (code, out) == (2, "")
    assert err == "webcare report: no API key: give --key or set WEBCARE_API_KEY\n"


async def test_a_period_that_ends_before_it_starts_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ("--key", ADMIN_KEY, "--from", "2026-11-24", "--to", "2026-11-23T12:00")
    code, out, err = await report(capsys, *argv)

    assert (code, out) == (2, "")
    assert err == "webcare report: --from (2026-11-24) must be before --to (2026-11-23 12:00 UTC)\n"


async def test_a_date_that_is_no_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        await report(capsys, "--key", ADMIN_KEY, "--from", "last tuesday")

    assert exit_.value.code == 2
    assert "argument --from: not an ISO date or time: 'last tuesday'" in capsys.readouterr().err
