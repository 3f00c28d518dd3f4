#!/usr/bin/env bash
# Set up a virtual environment with the project and run the built-in default scenario. Where the
# model is not compiled for this machine yet, it is compiled in the background meanwhile (on the
# other core), so that larger runs start at once afterwards; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
warmup=""
if ! .venv/bin/python -c "import sys; from pawns.engine.warmup import is_warm; sys.exit(0 if is_warm() else 1)"; then
    .venv/bin/pawns warmup --quiet > .venv/warmup.log 2>&1 &
    warmup=$!
    trap 'kill "$warmup" 2>/dev/null || true' INT TERM
    echo "pawns: compiling the model for this machine in the background (once per version); this run uses the numpy engine meanwhile"
fi
.venv/bin/pawns run "$@"
if [ -n "$warmup" ]; then
    echo "pawns: waiting for the background compilation to finish (Ctrl-C skips it; the next large run compiles first)"
    status=0
    wait "$warmup" || status=$?
    if [ "$status" -eq 0 ]; then
        echo "pawns: the model is compiled; runs now use the compiled engine"
    elif [ "$status" -gt 128 ]; then
        echo "pawns: compilation skipped; the next run above 20 million member-days compiles first (or: .venv/bin/pawns warmup)"
    else
        echo "pawns: the background compilation failed (see .venv/warmup.log)"
    fi
fi
