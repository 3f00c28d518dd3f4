#!/usr/bin/env bash
# Set up a virtual environment with the project, then run the built-in default scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/pawns run "$@"
