"""The channel decomposition as the report shows it: one table per decomposed scenario.

The numbers are those of ``summary.json`` (its ``channels`` section), so the page says what the
terminal and ``channels.csv`` say.
"""

from __future__ import annotations

from dataclasses import dataclass

from pawns.analysis.channels import HEADINGS, cell, shown
from pawns.report.rundir import COMPARISON, RunData

NOTE = ("Each channel of the contributors' help switched off on its own, with the same members (common random numbers): "
        "the scenario minus the scenario without the channel, member by member. Cells: median (5th to 95th percentile) of the "
        "members' differences, and the share of members where it is above zero; for P(abandonment first), the change in "
        "probability in percentage points with its 90% sampling interval. 'all' switches every channel off at once; "
        "'interaction' is all minus the sum of the channels: what they do only together (negative where they overlap).")


@dataclass(frozen=True)
class ChannelTable:
    """A decomposition as rows of text."""

    heading: str
    columns: list[str]
    rows: list[list[str]]
    note: str = NOTE


def channel_tables(run: RunData) -> list[ChannelTable]:
    """The decomposition tables of a run (one) or a comparison made with --channels (one per scenario with contributors)."""
    found = run.summary.get("channels")
    if not found:
        return []
    sections = found if run.kind == COMPARISON else {run.summary["scenario"]: found}
    return [_table(name, section) for name, section in sections.items()]


def _table(name: str, section: dict) -> ChannelTable:
    keys = shown(section["outcomes"])
    rows = [[channel, *(cell(key, found.get(key)) for key in keys)] for channel, found in section["rows"].items()]
    return ChannelTable(f"{name}: what each channel buys {section['host']}", ["channel", *(HEADINGS[k] for k in keys)], rows)
