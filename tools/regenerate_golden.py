"""Regenerate the golden summary of the default scenario after an intended model change.

Usage: python tools/regenerate_golden.py

Writes tests/golden/ru-ua-2024_n200_seed0.json: the summary of `pawns run -n 200 --seed 0`.
Review the diff (git diff tests/golden) before committing: every changed number should be
explained by the change you made.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from golden_settings import GOLDEN_FILE, golden_summary  # noqa: E402

if __name__ == "__main__":
    GOLDEN_FILE.write_text(json.dumps(golden_summary(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN_FILE}")
