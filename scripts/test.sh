#!/usr/bin/env bash
# Set up a virtual environment with the project and its test tools, then run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
# Every parameter of every built-in scenario must trace to the evidence ledger or a stated assumption.
.venv/bin/pawns evidence --check
# Compile the model once for this machine (a line with the elapsed time, not minutes of silence
# inside the first test); every test process then loads it from the shared cache.
.venv/bin/pawns warmup
# Two test processes (pytest-xdist): the suite spends most of its time in single-threaded set-up
# and storage, so a 2-core machine runs it in about two-thirds of the time.
.venv/bin/python -m pytest -q -n auto "$@"
