"""Bad scenario input: one clear line naming the file, key and expectation; exit 2; nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pawns.cli.main import app

runner = CliRunner()

BASE = """
[scenario]
extends = "ru-ua-2024"
name = "bad"
"""


def write(tmp_path: Path, text: str, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_and_check(tmp_path: Path, scenario: str, *fragments: str, extra: list[str] | None = None) -> str:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", scenario, "-n", "5", "--out", str(out), "-q", *(extra or [])])
    assert result.exit_code == 2, result.output
    message = result.output
    assert "Traceback" not in message
    assert message.startswith("error: ")
    for fragment in fragments:
        assert fragment in message, message
    assert not out.exists(), "nothing may be written for a bad scenario"
    assert not any(p.name.startswith(".out.partial") for p in tmp_path.iterdir())
    return message


def test_malformed_toml(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "\n[sides.RU\nkilled_share = 0.3\n")
    run_and_check(tmp_path, str(path), str(path), "valid TOML")


def test_unknown_key_lists_the_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "\n[sides.RU]\nkilled_shares = 0.3\n")
    run_and_check(tmp_path, str(path), str(path), "sides.RU.killed_shares", "known key", "killed_share")


def test_wrong_type(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + '\n[scenario.horizon_days]\nvalue = "long"\n')
    run_and_check(tmp_path, str(path), "scenario.horizon_days")


def test_wrong_type_of_parameter(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + '\n[sides.RU]\nkilled_share = "a third"\n')
    run_and_check(tmp_path, str(path), "sides.RU.killed_share", "a number or a table")


def test_out_of_range_parameter(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + '\n[sides.RU]\nkilled_share = { dist = "uniform", low = 0.2, high = 1.4, source = "x" }\n')
    run_and_check(tmp_path, str(path), "sides.RU.killed_share", "[0, 1]", "uniform(0.2, 1.4)")


def test_low_above_high(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + '\n[sides.UA]\nkilled_share = { dist = "uniform", low = 0.4, high = 0.2 }\n')
    run_and_check(tmp_path, str(path), "sides.UA.killed_share", "must not exceed")


def test_out_of_range_horizon(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "horizon_days = -5\n")
    run_and_check(tmp_path, str(path), "scenario.horizon_days", "greater than 0")


def test_missing_required_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[scenario]\nname = "x"\nstart_date = 2024-01-01\nhorizon_days = 10\n')
    run_and_check(tmp_path, str(path), "combat", "required")


def test_cyclic_extends(tmp_path: Path) -> None:
    write(tmp_path, '[scenario]\nextends = "b.toml"\nname = "a"\n', "a.toml")
    write(tmp_path, '[scenario]\nextends = "a.toml"\nname = "b"\n', "b.toml")
    run_and_check(tmp_path, str(tmp_path / "a.toml"), "scenario.extends", "without a cycle", "a.toml -> ")


def test_unknown_extends_target(tmp_path: Path) -> None:
    path = write(tmp_path, '[scenario]\nextends = "no-such-scenario"\nname = "x"\n')
    run_and_check(tmp_path, str(path), "no-such-scenario", "built-ins")


def test_unknown_cross_reference(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + '\n[contingents.DPRK]\nside = "BY"\n')
    run_and_check(tmp_path, str(path), "contingents.DPRK.side", "RU", "UA")


def test_bad_set_override(tmp_path: Path) -> None:
    run_and_check(tmp_path, "ru-ua-2024", "--set", "sides.XX", extra=["--set", "sides.XX.killed_share=0.2"])


def test_text_with_a_nul_character_is_refused(tmp_path: Path) -> None:
    """Found by the fuzzing tests: a NUL in a parameter's source once failed as the results file was written."""
    run_and_check(tmp_path, "ru-ua-2024", "combat.artillery_share_of_casualties.source", "text without NUL characters",
                  extra=["--set", "combat.artillery_share_of_casualties.source=\x000"])
    path = write(tmp_path, BASE + '[combat.artillery_share_of_casualties]\ndist = "fixed"\nvalue = 0.2\nsource = "a\\u0000b"\n')
    run_and_check(tmp_path, str(path), "bad.toml", "combat.artillery_share_of_casualties.source", "text without NUL characters")


def test_missing_file(tmp_path: Path) -> None:
    run_and_check(tmp_path, str(tmp_path / "nowhere.toml"), "nowhere.toml", "existing scenario file")


@pytest.mark.parametrize("command", ["validate", "show"])
def test_validate_and_show_report_the_same_errors(tmp_path: Path, command: str) -> None:
    path = write(tmp_path, BASE + "\n[sides.RU]\nkilled_shares = 0.3\n")
    result = runner.invoke(app, [command, str(path)])
    assert result.exit_code == 2
    assert "sides.RU.killed_shares" in result.output


def test_validate_accepts_a_good_file(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + '\n[sides.RU]\nkilled_share = { dist = "uniform", low = 0.2, high = 0.3, source = "test" }\n')
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "valid scenario 'bad'" in result.output


def test_a_contingent_in_an_unknown_sector(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "\n[contingents.DPRK.sector_shares]\ndonbas = 1.0\n")
    run_and_check(tmp_path, str(path), str(path), "contingents.DPRK.sector_shares.donbas", "unknown sector", "kursk")


def test_a_contingent_in_no_sector(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.replace('name = "bad"', 'name = "bad"\nremove = ["contingents.DPRK.sector_shares"]'))
    run_and_check(tmp_path, str(path), str(path), "contingents.DPRK.sector_shares", "at least one sector")


@pytest.mark.parametrize("share", ["1.5", '{ dist = "uniform", low = 0.5, high = 1.2, assumption = "too wide" }'])
def test_a_substitution_share_outside_the_unit_interval(tmp_path: Path, share: str) -> None:
    path = write(tmp_path, BASE + f"\n[contingents.DPRK]\nsubstitution_share = {share}\n")
    run_and_check(tmp_path, str(path), str(path), "contingents.DPRK.substitution_share", "[0, 1]")


def test_sectors_without_main(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.replace('name = "bad"', 'name = "bad"\nremove = ["sectors.main"]'))
    run_and_check(tmp_path, str(path), str(path), "sectors", "'main'")
