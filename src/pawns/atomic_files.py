"""Kept for older imports: output folders are written by :mod:`pawns.outputs` (one rule for every writer)."""

from __future__ import annotations

from pawns.outputs import COMPLETE_MARKER

__all__ = ["COMPLETE_MARKER"]
