"""Terminal rendering of summaries and comparisons as rich tables."""

from __future__ import annotations

from typing import Callable

from rich.console import Console
from rich.table import Table

from pawns.analysis.channels import HEADINGS, cell, shown
from pawns.analysis.bottom_line import SHORT_QUESTIONS, bottom_lines, key_figures, q1_findings, zero_note
from pawns.analysis.effects import effect_entries
from pawns.analysis.takes_home import cohort_rows, rows as takes_home_rows
from pawns.analysis.wording import compact_interval, digits_for, interval_text, number, percent, points, supporter_name

FIGURES_NOTE = ("Figures: median across members, with the range holding the middle 90% of members; shares are of the "
                "{members:,} members.")


def render_summary(summary: dict, console: Console, name: Callable[[str], str] = str) -> None:
    """Print a run's bottom line per question and its key figures, then how each side fared.

    ``name`` turns a side key into the name the reader knows (``"RU"`` -> ``"Russia"``).
    """
    console.print(f"[bold]{summary['scenario']}[/bold] — {summary['title']}")
    console.print(f"{summary['members']:,} members, seed {summary['seed']}, {summary['horizon_days']} days from {summary['start_date']}. "
                  + FIGURES_NOTE.format(members=summary["members"]))
    lines = bottom_lines(summary, name)
    answers = Table(title="Bottom line", show_lines=True)
    answers.add_column("Q")
    answers.add_column("answer")
    for key, text in lines.items():
        answers.add_row(key, f"[bold]{SHORT_QUESTIONS[key]}[/bold]\n{text}")
    console.print(answers)
    figures = Table(title="Key figures")
    for column in ("Q", "measure", "median", "90% of members", "above zero in"):
        figures.add_column(column, overflow="fold")
    for row in key_figures(summary, name):
        figures.add_row(row.question, row.measure, row.median, row.range, row.above_zero)
    console.print(figures)
    _render_sides(summary, console, name)
    if "channels" in summary:
        render_channels(summary["channels"], console)
    if "contributor" in summary.get("dprk_takes_home", {}):
        render_takes_home(summary["dprk_takes_home"], console)


def first_answer_lines(first: dict, shown: set[str], name: Callable[[str], str] = str) -> list[str]:
    """Lines for the parts of :func:`pawns.analysis.summary.first_answers` not in ``shown`` yet (which it then holds).

    Printed above the progress bar while the paired runs go on; the full summary follows at the end.
    """
    lines = []
    if "endurance" in first and "endurance" not in shown:
        ends = "; ".join(f"{name(side)}'s ends by the horizon in {percent(e['p_end_by_horizon'])} of members"
                         + (f" (day {compact_interval(e['end_day_if_ended'])} when it does)" if e["end_day_if_ended"]["median"] is not None else "")
                         for side, e in first["endurance"].items())
        lines.append(f"[bold]First answer[/bold], from the scenario's {first['members']:,} members (the paired runs go on; "
                     f"the full summary follows): endurance — {ends}.")
    if "Q1" in first and "Q1" not in shown:
        lines.append(f"[bold]Q1[/bold], paired with the run without the contingents: {q1_findings(first['Q1'], name(first['Q1']['host']))}")
    shown.update(key for key in ("endurance", "Q1") if key in first)
    return lines


def render_takes_home(section: dict, console: Console) -> None:
    """Print what the DPRK takes home: its ledger by channel and the indicators of the Korean balance."""
    table = Table(title="What the DPRK takes home")
    for column in ("indicator", "median (90% range)", "unit"):
        table.add_column(column, overflow="fold")
    for label, value, unit, _ in takes_home_rows(section):
        table.add_row(label, value, unit)
    console.print(table)
    columns, rows = cohort_rows(section)
    if len(columns) > 2:
        by_cohort = Table(title="Veterans by tranche and cohort", caption="median (range of the middle 90% of members)")
        for column in columns:
            by_cohort.add_column(column, overflow="fold")
        for row in rows:
            by_cohort.add_row(*row)
        console.print(by_cohort)
    console.print("Indicators, not an index: what drives each, each technology's declared effect and what they cannot say are in "
                  "summary.json (dprk_takes_home), the report and docs/model.md.")


def _render_sides(summary: dict, console: Console, name: Callable[[str], str]) -> None:
    table = Table(title="How each side's endurance ends by the horizon (share of members, and by which limit)",
                  caption="day and index: median (range of the middle 90% of members)")
    for column in ("side", "ends", "day if it ends", "manpower", "materiel", "casualty tolerance", "tolerance index at the horizon"):
        table.add_column(column)
    for side, e in summary["endurance"].items():
        causes = e["cause_shares"]
        table.add_row(name(side), percent(e["p_end_by_horizon"]), compact_interval(e["end_day_if_ended"]), percent(causes["manpower"]),
                      percent(causes["materiel"]), percent(causes["tolerance"]), compact_interval(e["tolerance_at_horizon"], 2))
    console.print(table)
    if "abandonment" in summary:
        a = summary["abandonment"]
        console.print(f"The {supporter_name(a['supporter'])} supporters abandon {name(a['recipient'])} by the horizon in "
                      f"{percent(a['p_by_horizon'])} of members (when they do: day {compact_interval(a['day_if_abandoned'])}).")
    for side, r in summary.get("recruitment", {}).items():
        console.print(f"{name(side)}'s sign-on bonus at the horizon: {interval_text(r['bonus_at_horizon_rub'], 'M RUB', 2, 1e-6)}; "
                      f"bonus spending over the run: {interval_text(r['bonus_spending_rub'], 'bn RUB', 0, 1e-9)}.")
    if "territory" in summary:
        t = summary["territory"]
        console.print(f"Territory taken by {name(t['attacker'])} over the run (negative where it loses ground): "
                      f"{interval_text(t['area_change_km2'], 'km²')}.")


def render_comparison(comparison: dict, console: Console) -> None:
    """Print paired differences of compared scenarios against the first."""
    console.print(f"Paired comparison against [bold]{comparison['baseline']}[/bold]: {comparison['members']} members, seed {comparison['seed']}, "
                  "common random numbers. Figures: median of the member-by-member differences, with the range holding the middle 90% of "
                  "members, and the share of members in which the difference is above zero.")
    for other in comparison["against"]:
        table = Table(title=f"{other['scenario']} minus {comparison['baseline']}")
        table.add_column("effect")
        table.add_column("difference (middle 90% of members)")
        table.add_column("above zero in")
        for key, _, words, value in effect_entries(other["effects"]):
            if key == "abandon_first":
                table.add_row(f"{words}, {comparison['baseline']}", percent(value["reference"]), "")
                table.add_row(f"{words}, {other['scenario']}", percent(value["treated"]), "")
                table.add_row(f"{words}: difference", points(value["difference"]), "")
            elif isinstance(value, dict):
                table.add_row(words + zero_note(value), compact_interval(value, digits_for(value)), percent(value.get("p_positive")))
            else:
                table.add_row(words, number(value, 1), "")
        console.print(table)


def render_channels(section: dict, console: Console, title: str = "") -> None:
    """Print a channel decomposition: each channel's paired effect on every headline answer, then all channels and their interaction."""
    table = Table(title=title or f"What each channel of the help buys {section['host']} (paired: with it minus without it)", show_lines=False)
    table.add_column("channel")
    outcomes = shown(section["outcomes"])
    for key in outcomes:
        table.add_column(HEADINGS[key], justify="right")
    for channel, found in section["rows"].items():
        table.add_row(channel, *(cell(key, found.get(key)) for key in outcomes))
    console.print(table)
    console.print("Median (range of the middle 90% of members) of member-by-member differences, and the share of members "
                  "where it is above zero; P(abandonment first): the change in probability with its 90% sampling interval. "
                  "interaction = all minus the sum of the channels (what they do only together).")
