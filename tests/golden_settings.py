"""What the golden file pins: the default scenario's summary for a fixed seed and size."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

GOLDEN_FILE = Path(__file__).parent / "golden" / "ru-ua-2024_n200_seed0.json"
MEMBERS, SEED = 200, 0


def golden_summary() -> dict:
    """The summary `pawns run ru-ua-2024 -n 200 --seed 0` prints as JSON: the command itself runs it."""
    from typer.testing import CliRunner

    from pawns.cli.main import app

    with tempfile.TemporaryDirectory() as folder:
        command = ["run", "ru-ua-2024", "-n", str(MEMBERS), "--seed", str(SEED), "--json", "--quiet", "--out", f"{folder}/run"]
        result = CliRunner().invoke(app, command)
        if result.exit_code != 0:
            raise RuntimeError(f"pawns {' '.join(command)} failed ({result.exit_code}): {result.output}")
        return json.loads(result.stdout)
