"""The default scenario's summary for a fixed seed, pinned.

When the model changes on purpose, regenerate with `python tools/regenerate_golden.py` and
review the diff of tests/golden/ before committing.
"""

from __future__ import annotations

import json
import math

from golden_settings import GOLDEN_FILE, golden_summary

# The engine's arithmetic gives the same bits on every machine (pawns.model.portable_math); the
# summary's statistics then go through numpy's and scipy's own routines, which another numpy or
# processor may round differently in the last digits.
REL_TOL = 1e-9


def assert_close(actual: object, expected: object, path: str = "") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and set(actual) == set(expected), f"{path}: keys differ"
        for key in expected:
            assert_close(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, float) and isinstance(actual, (int, float)):
        assert math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=1e-9), f"{path}: {actual} != {expected}"
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def test_default_scenario_summary_matches_golden_file() -> None:
    expected = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(golden_summary()))
    assert_close(actual, expected)
