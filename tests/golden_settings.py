"""What the golden file pins: the default scenario's summary for a fixed seed and size."""

from __future__ import annotations

from pathlib import Path

GOLDEN_FILE = Path(__file__).parent / "golden" / "ru-ua-2024_n200_seed0.json"
MEMBERS, SEED = 200, 0


def golden_summary() -> dict:
    """The summary `pawns run ru-ua-2024 -n 200 --seed 0` prints as JSON."""
    from pawns.analysis.summary import run_variants, summarize
    from pawns.engine.ensemble import run_ensemble
    from pawns.scenario import load_scenario

    result = run_ensemble(load_scenario("ru-ua-2024"), MEMBERS, seed=SEED, keep_series=False)
    return summarize(result, run_variants(result, chunk_size=MEMBERS))
