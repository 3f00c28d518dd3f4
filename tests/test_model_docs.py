"""docs/model.md is generated from the equations module: the two never drift apart."""

from __future__ import annotations

from pathlib import Path

from pawns.model.document import mechanism_functions, render

DOC = Path(__file__).resolve().parents[1] / "docs" / "model.md"


def test_docs_model_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "regenerate with: python -m pawns.model.document > docs/model.md"


def test_every_mechanism_of_the_brief_is_documented() -> None:
    text = render()
    for mechanism in ("M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11"):
        assert mechanism in text, mechanism
    assert len(mechanism_functions()) >= 12
