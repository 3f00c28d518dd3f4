"""The channel decomposition as the report shows it: one table per decomposed scenario.

The numbers are those of ``summary.json`` (its ``channels`` section), so the page says what the
terminal and ``channels.csv`` say.
"""

from __future__ import annotations

from dataclasses import dataclass

from pawns.report.rundir import COMPARISON, RunData

HEADINGS = {
    "endurance_days_bought": "endurance days bought",
    "tolerance_days_bought": "days of erosion avoided",
    "host_national_casualties_avoided": "nationals killed or wounded avoided",
    "p_abandon_first_change": "change in P(abandonment first)",
    "territory_km2": "territory gained, km²",
}
NOTE = ("Each channel of the contributors' help switched off on its own, with the same members (common random numbers): "
        "the scenario minus the scenario without the channel, member by member. Cells: median [5th to 95th percentile] of the "
        "members' differences, and the share of members where it is positive; for P(abandonment first), the change in "
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
    keys = list(section["outcomes"])
    rows = [[channel, *(_cell(key, found.get(key)) for key in keys)] for channel, found in section["rows"].items()]
    return ChannelTable(f"{name}: what each channel buys {section['host']}", ["channel", *(HEADINGS.get(k, k) for k in keys)], rows)


def _cell(key: str, stats: dict | None) -> str:
    if not stats or stats.get("median") is None:
        return "—"
    if key == "p_abandon_first_change":
        return f"{100 * stats['median']:+.1f} [{100 * stats['q05']:+.1f}, {100 * stats['q95']:+.1f}] points"
    digits = 1 if abs(stats["median"]) < 10 else 0
    return (f"{stats['median']:,.{digits}f} [{stats['q05']:,.{digits}f}, {stats['q95']:,.{digits}f}]"
            f" ({100 * stats['p_positive']:.0f}% > 0)")
