"""Bad channel input: an unknown channel, negative deliveries, a date before the start, a switch naming no channel — one line, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from pawns.cli.main import app

runner = CliRunner()

BASE = """
[scenario]
extends = "ru-ua-2024"
name = "bad-channel"
"""


def _fails(tmp_path: Path, text: str, *fragments: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BASE + text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(path), "-n", "5", "--out", str(out), "-q"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ") and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
    assert not out.exists()


def test_an_unknown_channel_names_the_known_ones(tmp_path: Path) -> None:
    _fails(tmp_path, '\n[contributors.DPRK.drones]\nsystems = 10\n', "contributors.DPRK.drones", "artillery")


def test_negative_deliveries(tmp_path: Path) -> None:
    text = ('\n[[contributors.DPRK.shells.deliveries]]\nstart_date = 2024-10-01\n'
            'shells_per_day = { value = -5000, assumption = "test" }\n')
    _fails(tmp_path, text, "contributors.DPRK.shells.deliveries", "shells_per_day")


def test_a_delivery_before_the_start(tmp_path: Path) -> None:
    text = '\n[[contributors.DPRK.artillery.deliveries]]\ndate = 2023-05-01\nsystems = { value = 10, assumption = "test" }\n'
    _fails(tmp_path, text, "contributors.DPRK", "2023-05-01", "start date")


def test_a_switch_that_names_no_channel(tmp_path: Path) -> None:
    _fails(tmp_path, '\n[switches]\nchannels_off = ["DPRK.drones"]\n', "switches.channels_off", "DPRK.drones", "DPRK.shells")
