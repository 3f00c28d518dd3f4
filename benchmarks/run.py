"""Measure the engine: throughput, interactive re-runs, memory of a million members, start-up.

Usage::

    python benchmarks/run.py            # a table
    python benchmarks/run.py --json     # one JSON object
    python benchmarks/run.py --quick    # smaller sizes, for a smoke run (says so in the output)

Every figure comes from this run, side by side, so ratios hold even on a busy machine; the
absolute figures move with the machine's load. The baseline "one member at a time" runs the
same equations (``pawns.model.equations.step_members``) the way single-run simulators do:
one member, one Python step per day, numpy on arrays of one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

HORIZON_DAYS = 730
STREAM_CHUNK = 5_000
TARGETS = {"member_days_per_s_10k": 20e6, "rerun_1k_ms": 100.0, "peak_mib_1m": 2048.0, "cold_first_answer_s": 20.0,
           "compile_s": 120.0, "pawns_run_1k_s": 10.0}

# Run in a child process so that its peak memory (ru_maxrss) is its own.
_STREAM_CHILD = """
import resource, sys, time
from pawns.analysis.ensemble import run_ensemble
from pawns.evidence import load_scenario
members, chunk = int(sys.argv[1]), int(sys.argv[2])
start = time.perf_counter()
result = run_ensemble(load_scenario("ru-ua-2024"), members, seed=0, chunk_size=chunk, keep_series=False, daily_quantiles=True)
elapsed = time.perf_counter() - start
assert all(sketch.members == members for sketch in result.daily_quantiles.values())
print(elapsed, len(result.outcomes), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

_FIRST_RESULT_CHILD = """
import time
start = time.perf_counter()
import numpy as np
from pawns.engine.simulate import simulate_batch
from pawns.evidence import load_scenario
from pawns.model.layout import Layout
layout = Layout.from_scenario(load_scenario("ru-ua-2024"))
simulate_batch(layout, np.arange(1000), seed=0, keep_series=False)
print(time.perf_counter() - start)
"""


def _layout():
    from pawns.evidence import load_scenario
    from pawns.model.layout import Layout

    return Layout.from_scenario(load_scenario("ru-ua-2024"))


def _timed(function, repeats: int) -> float:
    """The median wall time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def throughput(layout, members: int, *, engine: str = "compiled", repeats: int = 3, keep_series: bool = False) -> float:
    """Member-days per second of one batch of ``members`` (draws, simulation, final state)."""
    from pawns.engine.simulate import simulate_batch

    indices = np.arange(members)
    seconds = _timed(lambda: simulate_batch(layout, indices, seed=0, keep_series=keep_series, engine=engine), repeats)
    return members * layout.steps * layout.dt / seconds


def one_at_a_time(layout, members: int) -> float:
    """Member-days per second when members are stepped one by one, as single-run simulators do."""
    from pawns.engine.simulate import simulate_batch

    start = time.perf_counter()
    for member in range(members):
        simulate_batch(layout, np.array([member]), seed=0, keep_series=False, engine="numpy")
    return members * layout.steps * layout.dt / (time.perf_counter() - start)


def rerun_ms(layout, members: int = 1000, repeats: int = 7) -> dict[str, float]:
    """Milliseconds to re-simulate ``members`` members over the horizon (warm), with and without trajectories."""
    from pawns.engine.simulate import simulate_batch

    indices = np.arange(members)
    outcomes_only = _timed(lambda: simulate_batch(layout, indices, seed=1, keep_series=False), repeats)
    with_series = _timed(lambda: simulate_batch(layout, indices, seed=1, keep_series=True, record_every=7), repeats)
    return {"rerun_1k_ms": 1000 * outcomes_only, "rerun_1k_with_trajectories_ms": 1000 * with_series}


def streamed_run(members: int, chunk: int) -> dict[str, float]:
    """A whole ensemble streamed, in a child process: its time and peak memory.

    Per-member outcomes are kept; trajectories are not: each chunk's daily series go into
    quantile sketches (:class:`pawns.engine.streaming.DailyQuantiles`) and are dropped.
    """
    done = subprocess.run([sys.executable, "-c", _STREAM_CHILD, str(members), str(chunk)], capture_output=True, text=True, check=True)
    elapsed, rows, maxrss_kib = done.stdout.split()[-3:]
    assert int(rows) == members
    return {"seconds": float(elapsed), "peak_mib": int(maxrss_kib) / 1024, "member_days_per_s": members * HORIZON_DAYS / float(elapsed)}


def first_result_s() -> float:
    """Import + scenario load + 1,000 members × 730 days, in a fresh process (compiled code cached)."""
    done = subprocess.run([sys.executable, "-c", _FIRST_RESULT_CHILD], capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


# What `pawns run` prints on a terminal while its paired runs go on, and the start of its summary.
FIRST_LINES = {"cold_first_lines_s": "First answer", "cold_q1_line_s": "Q1, paired"}


def in_terminal(command: list[str], env: dict[str, str], markers: dict[str, str]) -> tuple[float, dict[str, float]]:
    """Run ``command`` in a pseudo-terminal (as a person would see it); seconds to its exit and to each marker's first appearance."""
    import pty
    import re

    primary, secondary = pty.openpty()
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdin=secondary, stdout=secondary, stderr=secondary, close_fds=True)
    os.close(secondary)
    seen: dict[str, float] = {}
    text = ""
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:  # the terminal closes when the child exits
            break
        if not data:
            break
        text += re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", data.decode("utf-8", "replace"))
        for key, marker in markers.items():
            if key not in seen and marker in text:
                seen[key] = time.perf_counter() - started
    code = child.wait()
    os.close(primary)
    if code != 0:
        raise subprocess.CalledProcessError(code, command, text[-2000:])
    return time.perf_counter() - started, seen


def cold_start() -> dict[str, float | bool]:
    """On empty compile caches (fresh NUMBA_CACHE_DIRs): the full compile, and ``pawns run`` (1,000 members) to its answer.

    ``pawns warmup`` times the compile alone in one empty cache. The cold run, in another,
    starts with the numpy engine while the model compiles beside it and goes on compiled once
    it is ready; it runs in a pseudo-terminal so that the first answers it prints while the
    paired runs go on are timed too. A second run, warm, must write the same outcomes, byte
    for byte.
    """
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-m", "pawns"]
        compile_env = {**os.environ, "NUMBA_CACHE_DIR": os.path.join(scratch, "compile-cache")}
        started = time.perf_counter()
        subprocess.run([*command, "warmup", "--quiet"], env=compile_env, capture_output=True, text=True, check=True)
        compile_s = time.perf_counter() - started
        env = {**os.environ, "NUMBA_CACHE_DIR": os.path.join(scratch, "cache")}
        cold, first_lines = in_terminal([*command, "run", "-n", "1000", "--out", os.path.join(scratch, "cold")], env, FIRST_LINES)
        subprocess.run([*command, "run", "-n", "1000", "--quiet", "--out", os.path.join(scratch, "warm")], env=env,
                       capture_output=True, text=True, check=True)
        same = all(open(os.path.join(scratch, "cold", name), "rb").read() == open(os.path.join(scratch, "warm", name), "rb").read()
                   for name in ("outcomes.csv", "summary.json"))
    return {"cold_first_answer_s": cold, **{key: first_lines.get(key, float("nan")) for key in FIRST_LINES}, "compile_s": compile_s,
            "cold_and_warm_answers_identical": same}


def pawns_run_s(members: int = 1000, repeats: int = 3) -> dict[str, float]:
    """Wall time of the whole ``pawns run`` command in a fresh process (compiled code cached), with its paired runs.

    The default scenario runs with its question variants and the channel decomposition (each
    channel of the DPRK's help off, and all off), writing every file of a results directory.
    """
    import tempfile

    from pawns.analysis.summary import variant_scenarios
    from pawns.evidence import load_scenario

    runs = 1 + len(variant_scenarios(load_scenario("ru-ua-2024")))
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pawns", "run", "ru-ua-2024", "--members", str(members), "--seed", "0", "--quiet",
                            "--json", "--out", f"{folder}/run"], capture_output=True, text=True, check=True)
            times.append(time.perf_counter() - start)
    return {"pawns_run_1k_s": statistics.median(times), "pawns_run_1k_paired_runs": runs}


def machine() -> dict[str, str | int]:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:  # pragma: no cover - not Linux
        model = platform.processor()
    return {"cpu": model, "cores": len(os.sched_getaffinity(0)), "python": platform.python_version(), "load_average_1min": os.getloadavg()[0]}


def measure(quick: bool) -> dict:
    from pawns.engine.simulate import _kernel

    layout = _layout()
    if layout.horizon_days != HORIZON_DAYS:
        raise SystemExit(f"the default scenario's horizon is {layout.horizon_days} days, not {HORIZON_DAYS}")
    compiled = _kernel() is not None
    throughput(layout, 50, repeats=1)  # compile (or load the cache) before timing anything
    sizes = {"1k": 1_000, "10k": 10_000, "100k": 100_000} if not quick else {"1k": 1_000, "10k": 10_000}
    results: dict = {"quick": quick, "compiled_engine": compiled, "horizon_days": HORIZON_DAYS, "machine": machine()}
    for label, members in sizes.items():
        results[f"member_days_per_s_{label}"] = throughput(layout, members, repeats=1 if members >= 100_000 else 3)
    results.update(rerun_ms(layout))
    baseline_members = 2 if quick else 5
    results["one_at_a_time_member_days_per_s"] = one_at_a_time(layout, baseline_members)
    results["numpy_batch_member_days_per_s_1k"] = throughput(layout, 1_000, engine="numpy", repeats=1)
    results["speedup_vs_one_at_a_time"] = results["member_days_per_s_10k"] / results["one_at_a_time_member_days_per_s"]
    results["speedup_numpy_batch_vs_one_at_a_time"] = results["numpy_batch_member_days_per_s_1k"] / results["one_at_a_time_member_days_per_s"]
    big = 100_000 if quick else 1_000_000
    streamed = streamed_run(big, chunk=STREAM_CHUNK)
    results["stream_members"] = big
    results["peak_mib_1m" if not quick else "peak_mib_100k"] = streamed["peak_mib"]
    results["stream_seconds"] = streamed["seconds"]
    results["stream_member_days_per_s"] = streamed["member_days_per_s"]
    results["first_result_s"] = first_result_s()
    results.update(cold_start())
    results.update(pawns_run_s())
    results["peak_mib_this_process"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["targets"] = {key: {"target": value, "met": (results[key] >= value if key.startswith("member_days") else results[key] <= value)}
                          for key, value in TARGETS.items() if key in results}
    return results


def table(results: dict) -> str:
    rows = [("engine", "compiled (numba)" if results["compiled_engine"] else "numpy (numba missing)")]
    for key in ("1k", "10k", "100k"):
        if f"member_days_per_s_{key}" in results:
            rows.append((f"member-days/s, {key} members × 730 days", f"{results[f'member_days_per_s_{key}'] / 1e6:,.2f} M"))
    rows += [
        ("re-run 1,000 members × 730 days (outcomes)", f"{results['rerun_1k_ms']:,.0f} ms"),
        ("re-run 1,000 members × 730 days (with trajectories)", f"{results['rerun_1k_with_trajectories_ms']:,.0f} ms"),
        ("one member at a time (numpy, batch of 1)", f"{results['one_at_a_time_member_days_per_s'] / 1e3:,.1f} k member-days/s"),
        ("numpy engine, batch of 1,000", f"{results['numpy_batch_member_days_per_s_1k'] / 1e6:,.2f} M member-days/s"),
        ("speed-up, compiled 10k vs one at a time", f"{results['speedup_vs_one_at_a_time']:,.0f}×"),
        ("speed-up, numpy batch vs one at a time", f"{results['speedup_numpy_batch_vs_one_at_a_time']:,.0f}×"),
        (f"{results['stream_members']:,} members streamed (outcomes + daily quantile sketches): time", f"{results['stream_seconds']:,.1f} s"),
        (f"{results['stream_members']:,} members streamed: peak memory",
         f"{results.get('peak_mib_1m', results.get('peak_mib_100k')):,.0f} MiB"),
        ("time to first result (import + load + 1k × 730, cached code)", f"{results['first_result_s']:,.2f} s"),
        ("cold cache: `pawns run` (1,000 members) to its whole answer (numpy, compiled once ready)",
         f"{results['cold_first_answer_s']:,.1f} s"),
        ("cold cache: the same run's first answer on a terminal (endurance)", f"{results['cold_first_lines_s']:,.1f} s"),
        ("cold cache: the same run's Q1 on a terminal", f"{results['cold_q1_line_s']:,.1f} s"),
        ("cold cache: `pawns warmup` (full compile)", f"{results['compile_s']:,.0f} s"),
        ("cold and warm runs write identical outcomes", "yes" if results["cold_and_warm_answers_identical"] else "NO"),
        (f"pawns run, 1,000 members, {results['pawns_run_1k_paired_runs']} paired runs (channel decomposition included)",
         f"{results['pawns_run_1k_s']:,.2f} s"),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value}" for label, value in rows]
    m = results["machine"]
    lines.append(f"machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, load average {m['load_average_1min']:.2f}")
    for key, target in results["targets"].items():
        lines.append(f"target {key}: {target['target']:,.0f} -> {'met' if target['met'] else 'not met'}")
    if results["quick"]:
        lines.append("QUICK RUN: sizes shrunk (no 100k batch, 100k instead of 1M streamed); not the figures of record")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--quick", action="store_true", help="smaller sizes for a smoke run")
    args = parser.parse_args(argv)
    results = measure(args.quick)
    print(json.dumps(results, indent=2) if args.json else table(results))


if __name__ == "__main__":
    main()
