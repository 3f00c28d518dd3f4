"""Terminal rendering of summaries and comparisons as rich tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pawns.analysis.effects import effect_entries
from pawns.cli.common import fmt_interval, fmt_share


def render_summary(summary: dict, console: Console) -> None:
    """Print the Q1–Q4 answers of a run."""
    console.print(f"[bold]{summary['scenario']}[/bold] — {summary['title']}")
    console.print(f"{summary['members']} members, seed {summary['seed']}, {summary['horizon_days']} days from {summary['start_date']}. "
                  "Figures: median [90% interval].")
    table = Table(title="Endurance by the horizon (M8)")
    for column in ("side", "P(ends)", "day if it ends", "manpower", "materiel", "tolerance", "tolerance index at horizon"):
        table.add_column(column)
    for side, e in summary["endurance"].items():
        causes = e["cause_shares"]
        table.add_row(side, fmt_share(e["p_end_by_horizon"]), fmt_interval(e["end_day_if_ended"]), fmt_share(causes["manpower"]),
                      fmt_share(causes["materiel"]), fmt_share(causes["tolerance"]), fmt_interval(e["tolerance_at_horizon"], 2))
    console.print(table)
    if "abandonment" in summary:
        a = summary["abandonment"]
        console.print(f"Supporters '{a['supporter']}' abandon {a['recipient']} by the horizon in {fmt_share(a['p_by_horizon'])} of members "
                      f"(day {fmt_interval(a['day_if_abandoned'])} when they do).")
    for side, r in summary.get("recruitment", {}).items():
        console.print(f"{side} sign-on bonus at the horizon: {fmt_interval(r['bonus_at_horizon_rub'], 2, 1e-6)} M RUB; "
                      f"bonus spending over the run: {fmt_interval(r['bonus_spending_rub'], 0, 1e-9)} bn RUB (M7).")
    if "territory" in summary:
        t = summary["territory"]
        console.print(f"Territory taken by {t['attacker']} over the run: {fmt_interval(t['area_change_km2'])} km2 (M6).")
    q = summary["questions"]
    answers = Table(title="The brief's questions", show_lines=True)
    answers.add_column("Q")
    answers.add_column("answer")
    answers.add_row("Q1", _q1(q["Q1"]))
    answers.add_row("Q2", _q2(q["Q2"]))
    answers.add_row("Q3", _q3(q["Q3"]))
    answers.add_row("Q4", _q4(q["Q4"]))
    console.print(answers)
    if "channels" in summary:
        render_channels(summary["channels"], console)
    if "contributor" in summary.get("dprk_takes_home", {}):
        render_takes_home(summary["dprk_takes_home"], console)


def render_takes_home(section: dict, console: Console) -> None:
    """Print what the DPRK takes home: its ledger by channel (M11) and the Korean balance's indicators (M12)."""
    table = Table(title=f"What the DPRK takes home ({section['contributor']}; M11, M12)")
    for column in ("indicator", "median [90% interval]", "unit"):
        table.add_column(column)
    for group in ("ledger", "indicators"):
        for found in section[group].values():
            digits = 2 if abs(found.get("median") or 0) < 10 else 0
            table.add_row(found["label"], fmt_interval(found, digits), found["unit"])
    for tech, found in section["technology"].items():
        table.add_row(f"technology received: {tech.replace('_', ' ')}", f"P = {fmt_share(found['probability'])}", "by the horizon")
    console.print(table)
    console.print("Indicators, not an index: what drives each, each technology's declared effect and what they cannot say are in "
                  "summary.json (dprk_takes_home), the report and docs/model.md (M12).")


def _q1(q: dict) -> str:
    if "not_applicable" in q:
        return q["not_applicable"]
    e, t = q["endurance_days_bought"], q["tolerance_days_bought"]
    return (f"Endurance days bought for {q['host']} (censored at the horizon): {fmt_interval(e)}, positive in {fmt_share(e['p_positive'])}.\n"
            f"Days of {q['host']}'s own casualty erosion absorbed: {fmt_interval(t)}, positive in {fmt_share(t['p_positive'])}.")


def _q2(q: dict) -> str:
    if "not_applicable" in q:
        return q["not_applicable"]
    lines = []
    for role in ("combat", "labor"):
        r = q[role]
        per_day = r["contingent_killed_per_tolerance_day"]
        lines.append(f"All {role}: {fmt_interval(r['tolerance_days_bought'])} days absorbed, "
                     f"{fmt_interval(r['contingent_killed'])} contingent killed"
                     + (f", {per_day:,.1f} killed per day bought" if per_day is not None else "; days bought not credibly positive, so no cost per day"))
    d = q["combat_minus_labor_tolerance_days"]
    lines.append(f"Combat minus labor: {fmt_interval(d)} days, combat buys more in {fmt_share(d['p_positive'])} of members.")
    return "\n".join(lines)


def _q3(q: dict) -> str:
    if "p_abandon_first_with" not in q:
        return f"P(supporters abandon before the host's endurance ends): {fmt_share(q.get('p_abandon_first'))}"
    return (f"P(supporters abandon before the host's endurance ends): with contingents {fmt_share(q['p_abandon_first_with'])}, "
            f"without {fmt_share(q['p_abandon_first_without'])}.")


def _q4(q: dict) -> str:
    if "not_applicable" in q:
        return q["not_applicable"]
    lines = [f"Foreign share of the host's casualties: {fmt_interval(q['foreign_share_of_host_casualties'], 1, 100)} %"]
    for name, ledger in q["ledger"].items():
        lines.append(f"{name}: killed {fmt_interval(ledger['killed'])}, wounded {fmt_interval(ledger['wounded'])}, "
                     f"veterans home {fmt_interval(ledger['veterans_returned'])} with {fmt_interval(ledger['veteran_combat_days'])} combat days; "
                     f"payment ${fmt_interval(ledger['payment_usd'], 0, 1e-6)} M; materiel and technology ${fmt_interval(ledger['materiel_technology_usd'], 0, 1e-6)} M")
    return "\n".join(lines)


def render_comparison(comparison: dict, console: Console) -> None:
    """Print paired differences of compared scenarios against the first."""
    console.print(f"Paired comparison against [bold]{comparison['baseline']}[/bold]: {comparison['members']} members, seed {comparison['seed']}, "
                  "common random numbers. Figures: median [90% interval] of member-by-member differences; 'share > 0' in brackets.")
    for other in comparison["against"]:
        table = Table(title=f"{other['scenario']} minus {comparison['baseline']}")
        table.add_column("effect")
        table.add_column("difference")
        table.add_column("share > 0")
        for key, _, words, value in effect_entries(other["effects"]):
            if key == "abandon_first":
                table.add_row(f"{words}, {comparison['baseline']}", fmt_share(value["reference"]), "")
                table.add_row(f"{words}, {other['scenario']}", fmt_share(value["treated"]), "")
                table.add_row(f"{words}: difference", f"{100 * value['difference']:+.1f} points", "")
            elif isinstance(value, dict):
                table.add_row(words, fmt_interval(value, 1 if abs(value.get("median") or 0) < 10 else 0), fmt_share(value.get("p_positive")))
            else:
                table.add_row(words, f"{value:,.2f}", "")
        console.print(table)


def render_channels(section: dict, console: Console, title: str = "") -> None:
    """Print a channel decomposition: each channel's paired effect on every headline answer, then all channels and their interaction."""
    table = Table(title=title or f"What each channel of the help buys {section['host']} (paired: with it minus without it)", show_lines=False)
    table.add_column("channel")
    outcomes = section["outcomes"]
    for key in outcomes:
        table.add_column(_CHANNEL_HEADINGS.get(key, key), justify="right")
    for channel, found in section["rows"].items():
        table.add_row(channel, *(_channel_cell(key, found.get(key)) for key in outcomes))
    console.print(table)
    console.print("Median [90% interval] of member-by-member differences, and the share of members where positive; "
                  "P(abandonment first): the change in probability with its 90% sampling interval. "
                  "interaction = all minus the sum of the channels (what they do only together).")


_CHANNEL_HEADINGS = {
    "endurance_days_bought": "endurance days",
    "tolerance_days_bought": "erosion days avoided",
    "host_national_casualties_avoided": "nationals' casualties avoided",
    "p_abandon_first_change": "P(abandonment first), points",
    "territory_km2": "territory, km2",
}


def _channel_cell(key: str, stats: dict | None) -> str:
    if not stats:
        return "—"
    if key == "p_abandon_first_change":
        return f"{100 * stats['median']:+.1f} [{100 * stats['q05']:+.1f}, {100 * stats['q95']:+.1f}]"
    return f"{fmt_interval(stats)} ({fmt_share(stats['p_positive'])})"
