"""The code's shape holds: closed layers without cycles (import-linter), one name for the scenario's meta table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_layers_are_closed_and_modules_acyclic() -> None:
    """`lint-imports` checks the contracts in pyproject.toml: no layer imports a higher one, no package has an import cycle."""
    script = Path(sys.executable).with_name("lint-imports")
    assert script.exists(), f"{script} is missing: install the test tools with pip install -e '.[test]'"
    done = subprocess.run([str(script), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "Contracts: 2 kept, 0 broken." in done.stdout


def test_the_scenario_meta_table_has_one_name_in_code() -> None:
    # The TOML table [scenario] is the field `meta` of a Scenario: `scenario.scenario.x` reads as a stutter.
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "src").rglob("*.py") if "scenario.scenario" in path.read_text(encoding="utf-8")]
    assert offenders == []
