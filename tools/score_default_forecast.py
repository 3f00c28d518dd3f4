"""Score the default scenario's forecast of its first days (from 1 Oct 2024) against the observed series.

Usage: python tools/score_default_forecast.py [--members 1000] [--seed 0] [--horizons 30,90]

The packaged posterior was calibrated on data up to 2024-09-30, the day before ru-ua-2024 starts,
so what follows is out of sample. The run starts on 2024-10-01 from the scenario's state at the
start; each target is scored as the back-test scores it (pawns.backtest: the change since the
start, the named dead as a lower bound, DPRK claims on their dates), beside the naive baselines
fitted to the data observed by the start. Prints the table docs/calibration.md shows.
"""

from __future__ import annotations

import argparse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--horizons", default="30,90")
    args = parser.parse_args()

    import numpy as np
    import pandas as pd

    from pawns.analysis.ensemble import run_ensemble
    from pawns.backtest.origins import parse_horizons
    from pawns.backtest.run import CANDIDATE, observed_streams, score_targets
    from pawns.backtest.table import markdown_table, summary_table
    from pawns.backtest.targets import targets_after
    from pawns.evidence import load_scenario
    from pawns.observations.forecast import daily_from_dataset
    from pawns.observations.models import StartOffsets

    horizons = parse_horizons(args.horizons)
    scenario = load_scenario("ru-ua-2024")
    start = scenario.meta.start_date
    targets = targets_after(start, horizons, claims=True)
    days = max(t.day for t in targets)
    scenario = load_scenario("ru-ua-2024", [f"scenario.horizon_days={days + 1}"])
    result = run_ensemble(scenario, args.members, seed=args.seed, record_every=days)
    matrix = np.asarray(result.dataset["parameters"].values)
    streams = observed_streams(result.layout, daily_from_dataset(result.dataset), matrix, StartOffsets.at(start))
    scores = pd.DataFrame(score_targets(targets, start, {CANDIDATE: streams}, 0))
    print(markdown_table(summary_table(scores)))


if __name__ == "__main__":
    main()
