#!/usr/bin/env bash
# Set up a virtual environment with the project and run the built-in default scenario. Where the
# model is not compiled for this machine yet, `pawns run` compiles it on the other core while the
# run answers with the numpy engine, and goes on compiled once it is ready (the same numbers).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/pawns run "$@"
