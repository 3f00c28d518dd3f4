"""Sensitivity and discovery charts render into the run report (pawns report --explore)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pawns.cli.main import app

runner = CliRunner()
SHORT = ["--set", "scenario.horizon_days=60"]


@pytest.fixture(scope="module")
def dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("explore")
    run_dir, sens_dir = root / "run", root / "sens"
    assert runner.invoke(app, ["run", "-n", "30", "--out", str(run_dir), "-q", *SHORT]).exit_code == 0
    result = runner.invoke(app, ["sensitivity", "-y", "UA_killed", "--samples", "4", "--out", str(sens_dir), "-q", *SHORT])
    assert result.exit_code == 0, result.output
    return run_dir, sens_dir


def test_report_embeds_the_sensitivity_charts(dirs: tuple[Path, Path]) -> None:
    run_dir, sens_dir = dirs
    result = runner.invoke(app, ["report", str(run_dir), "--explore", str(sens_dir), "-q"])
    assert result.exit_code == 0, result.output
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    assert 'id="sensitivity-1"' in page
    assert "Which uncertain inputs drive" in page and "UA_killed" in page
    assert "calibrated parameters drawn together from posterior particles" in page, "the caption says what the design drew from"
    assert any(p.name.endswith("sensitivity-1.png") for p in (run_dir / "report-figures").iterdir())


def test_a_directory_that_is_not_an_exploration_is_a_clear_error(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    run_dir, _ = dirs
    result = runner.invoke(app, ["report", str(run_dir), "--out", str(tmp_path / "r.html"), "--explore", str(run_dir), "-q"])
    assert result.exit_code == 2
    assert "pawns sensitivity" in result.output
    assert not (tmp_path / "r.html").exists()
