"""Score the default scenario's forecast of its first 90 days (Oct-Dec 2024) against the observed series.

Usage: python tools/score_default_forecast.py [--members 1000] [--seed 0]

The packaged posterior was calibrated on data up to 2024-09-30, the day before ru-ua-2024 starts,
so October-December 2024 are out of sample. Prints, per scored stream, the model's CRPS, interval
coverage and error of the median beside the two naive baselines (docs/calibration.md).
"""

from __future__ import annotations

import argparse
import datetime as dt

import numpy as np

HORIZON = 90


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from pawns.analysis.ensemble import run_ensemble
    from pawns.backtest.baselines import baseline_forecasts, daily_values
    from pawns.backtest.run import SCORED_STREAMS, StreamForecast, score_rows
    from pawns.evidence import load_scenario
    from pawns.observations import load_observed
    from pawns.observations.forecast import daily_from_dataset
    from pawns.observations.models import StartOffsets, model_streams

    scenario = load_scenario("ru-ua-2024", [f"scenario.horizon_days={HORIZON + 1}"])
    start = scenario.meta.start_date
    result = run_ensemble(scenario, args.members, seed=args.seed, record_every=HORIZON)
    streams = model_streams(result.layout, daily_from_dataset(result.dataset), result.dataset["parameters"].values, StartOffsets.at(start))
    for name in SCORED_STREAMS:
        series = load_observed(name)
        future = daily_values(series, start, start + dt.timedelta(days=HORIZON))
        history = daily_values(series, start - dt.timedelta(days=400), start)
        forecast = StreamForecast(name, [start + dt.timedelta(days=d) for d in range(1, HORIZON + 1)], future[1:] - future[0],
                                  streams[name][:, 1:HORIZON + 1] - streams[name][:, [0]], baseline_forecasts(history, HORIZON))
        print(f"{name}: observed change {forecast.observed[-1]:,.0f} in {HORIZON} days")
        for row in score_rows(forecast, start):
            cover = "" if np.isnan(row["coverage50"]) else f", coverage 50% {row['coverage50']:.0%}, 90% {row['coverage90']:.0%}"
            print(f"  {row['method']:>17}: CRPS {row['crps']:,.0f}, |median error| {row['median_abs_error']:,.0f}, "
                  f"error on day {HORIZON} {row['final_error']:+,.0f}{cover}")


if __name__ == "__main__":
    main()
