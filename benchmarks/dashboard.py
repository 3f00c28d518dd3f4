"""Measure the dashboard: time from a moved lever to the updated answers, for 1,000 members.

Usage::

    python benchmarks/dashboard.py             # a table: in-process rounds, then the browser round trip
    python benchmarks/dashboard.py --json      # one JSON object
    python benchmarks/dashboard.py --no-browser

"In process" is the page's whole work for one entry, on the default scenario ``ru-ua-2024``
(730 days): the settings validated, the scenario and its three paired variants run
(4 x 1,000 members, trajectories of the main one kept), Q1–Q4 summarized and written as
sentences, and the fan charts built. "Browser" is the same seen by an analyst: a headless
Chromium on a running ``pawns dashboard``, from pressing Enter on a lever to the page saying
"updated". The goal is 2 s on a 2-core machine with the compiled engine (compiled before the
first round: a fresh machine compiles it once, for minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MEMBERS = 1000
GOAL_S = 2.0
SIZES = (20_000.0, 30_000.0, 40_000.0, 15_000.0, 25_000.0)
CHROMIUM = Path("/usr/bin/chromium")


def in_process(engine: str) -> tuple[list[float], list[float]]:
    """Seconds from a moved lever to answers and charts, one per size in :data:`SIZES` (after a warm-up run).

    Returns the wall-clock seconds and the processor seconds of this process (all its threads)
    of each round: on a busy machine the second says what the round needs, the first what it got.
    """
    from pawns.dashboard import charts
    from pawns.dashboard.runs import run_questions
    from pawns.dashboard.settings import Base, Settings
    from pawns.report.answers import answers

    base = Base.load("ru-ua-2024")
    run_questions(base.apply(Settings()).scenario, MEMBERS, 0, engine=engine)  # loads (or compiles) the engine
    times, cpu = [], []
    for size in SIZES:
        start, start_cpu = time.perf_counter(), time.process_time()
        outcome = run_questions(base.apply(Settings().with_value("contingents.DPRK.size_persons", size)).scenario, MEMBERS, 0,
                                engine=engine)
        answers(outcome.data)
        [charts.draw(chart) for chart in charts.charts(outcome.data)]
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return times, cpu


def browser_round_trip(engine: str) -> list[float]:
    """Seconds from Enter on a lever to "updated" on the page, against a real server."""
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen([sys.executable, "-m", "pawns", "dashboard", "--port", "0", "--engine", engine, "-n", str(MEMBERS),
                               "--out", tempfile.mkdtemp(prefix="pawns-dashboard-benchmark-")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = next(line.split()[2] for line in server.stdout if line.startswith("pawns dashboard: http://"))
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.locator("#run-status[data-run='1'][data-done='yes']").wait_for(timeout=600_000)
            for number, size in enumerate(SIZES, start=2):
                box = page.get_by_label("DPRK: contingent size")
                box.fill(f"{size:.0f}")
                start = time.perf_counter()
                box.press("Enter")
                page.locator(f"#run-status[data-run='{number}'][data-done='yes']").wait_for(timeout=600_000)
                times.append(time.perf_counter() - start)
            browser.close()
        return times
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--engine", default="compiled", choices=("compiled", "numpy"))
    parser.add_argument("--no-browser", action="store_true", help="skip the browser round trip")
    args = parser.parse_args()
    figures: dict = {"members": MEMBERS, "engine": args.engine, "cores": os.cpu_count(), "load_average": os.getloadavg()[0]}
    figures["in_process_s"], figures["in_process_cpu_s"] = in_process(args.engine)
    if not args.no_browser and CHROMIUM.exists():
        figures["browser_s"] = browser_round_trip(args.engine)
    for key in ("in_process_s", "in_process_cpu_s", "browser_s"):
        if key in figures:
            figures[key.replace("_s", "_median_s")] = statistics.median(figures[key])
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"first updated answer, {MEMBERS:,} members x 4 paired runs x 730 days, {args.engine} engine, "
          f"{figures['cores']} cores, load {figures['load_average']:.1f} (goal {GOAL_S:g} s)")
    for key, words in (("in_process_s", "in process (run, answers, charts)"), ("in_process_cpu_s", "  processor time of those rounds"),
                       ("browser_s", "browser (Enter to 'updated')")):
        if key in figures:
            rounds = ", ".join(f"{t:.2f}" for t in figures[key])
            print(f"  {words:38s} median {statistics.median(figures[key]):.2f} s  (rounds: {rounds})")


if __name__ == "__main__":
    main()
