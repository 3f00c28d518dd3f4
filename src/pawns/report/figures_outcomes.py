"""Distributions of outcomes: endurance and abandonment dates, the race, days bought, the ledger.

These figures are drawn from the per-member outcome tables, so they exist for runs and for
comparisons alike.
"""

from __future__ import annotations

import numpy as np

from pawns.analysis.statistics import SPIKE_SHARE, spike
from pawns.analysis.statistics import cost_per_day as killed_per_day_bought
from pawns.analysis.wording import number, percent, side_name, supporter_name
from pawns.model.recorded import RACES
from pawns.report.canvas import FOREIGN_COLOUR, NEUTRAL_COLOUR, SIDE_COLOURS, ReportFigure, date_axis, empty_panel, new_figure, thousands, to_png
from pawns.report.paired import contingent_names, groups, host, pairings, race_shares
from pawns.report.rundir import COMPARISON, RunData

GROUP_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9")


def _date_hist(ax, run: RunData, samples: list[tuple[str, np.ndarray]], what: str) -> None:
    """Monthly histograms of event days as calendar dates; members without the event are counted in the legend."""
    from matplotlib.dates import date2num

    start = np.datetime64(run.scenario.meta.start_date, "D")
    bins = date2num(start + np.arange(0, int(run.horizon) + 31, 30).astype("timedelta64[D]"))
    drawn = False
    for i, (label, days) in enumerate(samples):
        ended = days[np.isfinite(days)]
        text = f"{label}: {what} by the horizon in {percent(ended.size / max(days.size, 1))}"
        if ended.size:
            dates = date2num(start + np.round(ended).astype("timedelta64[D]"))
            # The first group solid and thick, the others dashed, so that coinciding steps stay visible.
            ax.hist(dates, bins=bins, histtype="step", linewidth=2.4 if i == 0 else 1.5, linestyle="-" if i == 0 else "--",
                    color=GROUP_COLOURS[i % len(GROUP_COLOURS)], label=text)
            drawn = True
        else:
            ax.plot([], [], color=GROUP_COLOURS[i % len(GROUP_COLOURS)], label=text)
    from matplotlib.ticker import MaxNLocator

    ax.set_xlim(bins[0], bins[-1])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis_date()
    date_axis(ax)
    ax.set_ylabel("members per 30 days")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    if not drawn:
        ax.text(0.5, 0.5, f"no member: {what} by the horizon", ha="center", va="center", transform=ax.transAxes, color=NEUTRAL_COLOUR)


def endurance_dates(run: RunData) -> ReportFigure:
    """When each side's endurance ends (M8), for every scenario drawn."""
    sides = list(run.scenario.sides)
    figure, axes = new_figure(len(sides), 1, height=2.8, sharex=True)
    for ax, side in zip(axes, sides):
        samples = [(label, frame[f"{side}_end_day"].to_numpy(dtype=np.float64)) for label, frame in groups(run)]
        _date_hist(ax, run, samples, "ends")
        ax.set_title(f"{side_name(run.scenario, side)}: date its endurance ends", fontsize=10)
    return ReportFigure("endurance-dates", "When endurance ends",
                        "Distribution of the date each side's manpower, materiel or casualty tolerance gives out, among the "
                        "members in which it happens before the horizon; the legend gives the share of members in which it does.",
                        to_png(figure))


def abandonment_dates(run: RunData) -> ReportFigure | None:
    """When the supporters abandon their recipient (M9)."""
    samples = [(label, frame["abandon_day"].to_numpy(dtype=np.float64)) for label, frame in groups(run) if "abandon_day" in frame]
    abandonment = run.summary.get("abandonment")
    if not samples or (run.kind != COMPARISON and not abandonment):
        return None
    figure, axes = new_figure(1, 1, height=3.0)
    _date_hist(axes[0], run, samples, "abandoned")
    who = f"{supporter_name(abandonment['supporter'])} supporters abandon {side_name(run.scenario, abandonment['recipient'])}" if abandonment else "Supporters abandon their recipient"
    axes[0].set_title(who, fontsize=10)
    return ReportFigure("abandonment-dates", "When supporters abandon",
                        "Distribution of the date on which support stays below the abandonment threshold long enough to count as "
                        "abandonment, among members in which it happens before the horizon.", to_png(figure))


def race(run: RunData) -> ReportFigure | None:
    """Which comes first: abandonment or the opponent's end of endurance (M10)."""
    rows = [(label, race_shares(frame)) for label, frame in groups(run)]
    rows = [(label, shares) for label, shares in rows if shares is not None]
    if not rows:
        return None
    figure, axes = new_figure(1, 1, height=0.8 + 0.55 * len(rows))
    ax = axes[0]
    colours = {RACES[0]: SIDE_COLOURS[0], RACES[1]: SIDE_COLOURS[1], RACES[2]: "#bbbbbb"}
    for y, (label, shares) in enumerate(rows):
        left = 0.0
        for outcome in RACES:
            width = 100 * shares[outcome]
            ax.barh(y, width, left=left, color=colours[outcome], label=outcome if y == 0 else None)
            if width >= 6:
                ax.text(left + width / 2, y, f"{width:.0f}%", ha="center", va="center", fontsize=8, color="white" if outcome != RACES[2] else "black")
            left += width
    ax.set_yticks(range(len(rows)), [label for label, _ in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of members")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(rows) < 3 else -0.2), ncol=3, fontsize=8, frameon=False)
    return ReportFigure("race", "The race: abandonment or collapse first",
                        "Share of members in which the supporters abandon their recipient before the opponent's endurance ends "
                        "(abandonment first), the opposite (endurance first), or neither happens by the horizon.", to_png(figure))



def _difference_hist(ax, values: np.ndarray, colour: str, unit: str, why_one_value: str = "") -> None:
    """Histogram of member-by-member differences with the median, the 90% interval and the signs.

    Differences that are one value in nearly every member (a spike, e.g. at 0) get a panel that
    says so, and why (``why_one_value``), rather than a single bar.
    """
    values = values[np.isfinite(values)]
    if values.size == 0:
        empty_panel(ax, "no members")
        return
    value, share = spike(values)
    if share >= SPIKE_SHARE:
        empty_panel(ax, f"{number(value, 1 if value and abs(value) < 10 else 0)} {unit} in {percent(share)} of members"
                        + (f":\n{why_one_value}" if why_one_value else ""))
        return
    low, median, high = np.quantile(values, [0.05, 0.5, 0.95])
    span = float(np.max(values) - np.min(values))
    ax.hist(values, bins=40 if span > 0 else 1, color=colour, alpha=0.75)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.axvline(median, color=colour, linestyle="--", linewidth=1.4)
    ax.axvspan(low, high, color=colour, alpha=0.08)
    text = (f"median {number(median, 1 if abs(median) < 10 else 0)} {unit}\n90%: {number(low)} to {number(high)}\n"
            f"> 0 in {percent(float(np.mean(values > 0)))}, = 0 in {percent(float(np.mean(values == 0)))}")
    # Put the numbers on the side away from the bulk of the distribution so they do not hide it.
    left, right = ax.get_xlim()
    on_left = (median - left) / (right - left) > 0.5 if right > left else False
    ax.text(0.02 if on_left else 0.98, 0.95, text, ha="left" if on_left else "right", va="top", transform=ax.transAxes, fontsize=8,
            bbox={"facecolor": "white", "edgecolor": "#cccccc", "alpha": 0.9})
    ax.set_ylabel("members")
    thousands(ax, "x")


def _no_end_to_delay(name: str) -> str:
    return f"{name}'s endurance seldom ends within the horizon,\nso there is seldom an end to delay"


def days_bought(run: RunData) -> ReportFigure | None:
    """Paired distributions of the days the contingents buy their host (Q1)."""
    side = host(run)
    pairs = pairings(run)
    if side is None or not pairs:
        return None
    figure, axes = new_figure(len(pairs), 2, height=2.9, sharex=False)
    name = side_name(run.scenario, side)
    for row, pairing in enumerate(pairs):
        endurance, erosion = axes[2 * row], axes[2 * row + 1]
        _difference_hist(endurance, pairing.effects.endurance_days_bought[side], SIDE_COLOURS[0], "days", _no_end_to_delay(name))
        endurance.set_title(f"{name}'s endurance days bought\n({pairing.label})", fontsize=9)
        endurance.set_xlabel("days (end date censored at the horizon)")
        _difference_hist(erosion, pairing.effects.tolerance_days_bought[side], FOREIGN_COLOUR, "days")
        erosion.set_title(f"days of {name}'s own casualty erosion absorbed\n({pairing.label})", fontsize=9)
        erosion.set_xlabel("days")
    return ReportFigure("days-bought", "Days bought by the contingent",
                        f"Member-by-member differences between paired runs that share every draw (common random numbers). Left: how much "
                        f"later {name}'s endurance ends (zero where it does not end by the horizon in either run). Right: how many days "
                        f"later {name} reaches the same erosion of its casualty tolerance, defined even without a collapse. Dashed line: "
                        "median; shaded: 90% interval.", to_png(figure))


def labor_against_combat(run: RunData) -> ReportFigure | None:
    """Paired distribution of combat minus labor (Q2), from a run's role variants."""
    side = host(run)
    if side is None or run.kind == COMPARISON or "combat_vs_labor" not in run.effects:
        return None
    combat, labor = run.effects["combat"].tolerance_days_bought[side], run.effects["labor"].tolerance_days_bought[side]
    figure, axes = new_figure(1, 2, height=3.0, sharex=False)
    name = side_name(run.scenario, side)
    _difference_hist(axes[0], combat - labor, SIDE_COLOURS[2], "days")
    axes[0].set_title(f"days of {name}'s erosion absorbed: combat minus labor", fontsize=9)
    axes[0].set_xlabel("days (> 0: combat buys more)")
    _difference_hist(axes[1], run.effects["combat_vs_labor"].endurance_days_bought[side], SIDE_COLOURS[1], "days", _no_end_to_delay(name))
    axes[1].set_title(f"{name}'s endurance days: combat minus labor", fontsize=9)
    axes[1].set_xlabel("days (> 0: combat buys more)")
    return ReportFigure("labor-vs-combat", "Labor against combat",
                        "The same contingent with every tranche in combat, against every tranche used as labor, member by member (Q2).",
                        to_png(figure))


def cost_per_day(run: RunData) -> ReportFigure | None:
    """Contingent killed against the days of erosion absorbed, member by member (Q2)."""
    side = host(run)
    contingents = contingent_names(run)
    if side is None or not contingents:
        return None
    # Against a reference without contingents, the contingent's killed are the effect's killed.
    if run.kind == COMPARISON:
        labelled = [(pairing.label, pairing.effects) for pairing in pairings(run)]
    else:
        labelled = [(label, run.effects[key]) for label, key in (("as scheduled", "with"), ("all combat", "combat"), ("all labor", "labor"))
                    if key in run.effects]
    series = [(label, effects.tolerance_days_bought[side], effects.contingent_killed) for label, effects in labelled]
    if not series:
        return None
    figure, axes = new_figure(1, 1, width=8.0, height=3.8)
    ax = axes[0]
    notes = []
    for i, (label, days, killed) in enumerate(series):
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        ax.scatter(days, killed, s=9, alpha=0.55, color=colour, label=label)
        per_day = killed_per_day_bought(killed, days)
        if per_day is not None:
            notes.append(f"{label}: {number(per_day, 1)} killed per day absorbed (ratio of means)")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(f"days of {side_name(run.scenario, side)}'s own erosion absorbed")
    ax.set_ylabel(f"{', '.join(contingents)} killed")
    thousands(ax)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ratio = ("; ".join(notes) + ".") if notes else "The days absorbed are not credibly positive (their 5th percentile is not above zero), so no cost per day is given."
    return ReportFigure("cost-per-day", f"{', '.join(contingents)} lives per day bought",
                        f"Each dot is one member: the contingent's killed against the days of its host's erosion it absorbs. A ratio per "
                        f"member is unstable where the days are near zero, so the cost per day is the ratio of the means: {ratio}",
                        to_png(figure))


LEDGER_ROWS = (
    ("persons", (("arrived", "arrived"), ("killed", "killed"), ("wounded", "wounded"), ("veterans", "veterans home alive"))),
    ("person-days of combat", (("veteran_combat_days", "veterans' combat days"),)),
    ("million USD", (("payment_usd", "payment"), ("materiel_usd", "materiel and technology"))),
)


def ledger(run: RunData) -> ReportFigure | None:
    """M11: what the contingent's country pays in lives and gets back, with 90% intervals."""
    contingents = contingent_names(run)
    drawn = [(label, frame) for label, frame in groups(run) if any(f"{c}_killed" in frame for c in contingents)]
    if not contingents or not drawn:
        return None
    counts = [sum(1 for column, _ in rows for _g in drawn for c in contingents) for _unit, rows in LEDGER_ROWS]
    figure, axes = new_figure(3, 1, width=9.0, height=0.45 * sum(counts) / 3 + 0.6, sharex=False, height_ratios=counts)
    for ax, (unit, rows) in zip(axes, LEDGER_ROWS):
        ticks = []
        y = 0
        for column, text in rows:
            for g, (label, frame) in enumerate(drawn):
                for contingent in contingents:
                    key = f"{contingent}_{column}"
                    if key not in frame:
                        continue
                    values = frame[key].to_numpy(dtype=np.float64) / (1e6 if unit == "million USD" else 1.0)
                    low, q25, median, q75, high = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95])
                    colour = GROUP_COLOURS[g % len(GROUP_COLOURS)] if len(drawn) > 1 else FOREIGN_COLOUR
                    ax.hlines(y, low, high, color=colour, linewidth=2, alpha=0.5)
                    ax.hlines(y, q25, q75, color=colour, linewidth=7, alpha=0.8)
                    ax.plot(median, y, "o", color="white", markeredgecolor=colour)
                    ticks.append((y, f"{contingent} {text}" + (f"\n({label})" if len(drawn) > 1 else "")))
                    y += 1
        ax.set_yticks([t for t, _ in ticks], [t for _, t in ticks], fontsize=8)
        ax.set_ylim(len(ticks) - 0.5, -0.5)
        ax.set_xlabel(unit)
        ax.set_xlim(left=0)
        thousands(ax, "x")
    return ReportFigure("ledger", f"The {', '.join(contingents)} ledger",
                        "What the contingent's country pays and gets back by the horizon: dot, median; thick bar, 50% of "
                        "members; thin bar, 90%.", to_png(figure))
