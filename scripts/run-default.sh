#!/usr/bin/env bash
# Set up a virtual environment with the project, run the built-in default scenario, then compile
# the model for this machine so that larger runs start at once (Ctrl-C skips that last step).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/pawns run "$@"
.venv/bin/pawns warmup || echo "pawns warmup was skipped: the next run above 20 million member-days compiles the model first"
