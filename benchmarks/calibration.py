"""Benchmark: wall-clock time of calibrating the default scenario's run-up (ru-ua-2023).

Usage: python benchmarks/calibration.py [--particles 1000] [--generations 15] [--seed 2024]

Runs the same calibration that produces the packaged posterior
(``pawns calibrate ru-ua-2023 --until 2024-09-30``) and prints its size, the number of model
runs (member-runs) it took and the time. Timings depend on the machine and its load; they are
reported here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import time
import warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=1000)
    parser.add_argument("--generations", type=int, default=15)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    from pawns.calibration.run import calibrate
    from pawns.evidence import load_scenario

    scenario = load_scenario("ru-ua-2023")
    until = dt.date(2024, 9, 30)
    days = (until - scenario.meta.start_date).days
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = calibrate(scenario, until, particles=args.particles, seed=args.seed, generations=args.generations)
    elapsed = time.perf_counter() - started
    batches = 1 + sum(g.moves for g in result.generations)
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}")
    print(f"scenario ru-ua-2023 to {until}: {days} days, {len(result.names)} uncertain parameters")
    print(f"particles {args.particles}, {len(result.generations)} generations, {batches} batches = "
          f"{batches * args.particles:,} member-runs of {days} days")
    print(f"calibration time: {elapsed:.1f} s ({elapsed / (batches * args.particles) * 1000:.2f} ms per member-run)")


if __name__ == "__main__":
    main()
