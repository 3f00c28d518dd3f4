"""Fan charts of a run's trajectories: forces, sectors, casualties, tolerance, support, bonuses, territory.

Each function takes a loaded run (:class:`~pawns.report.rundir.RunData`) and returns one
:class:`~pawns.report.canvas.ReportFigure`, or ``None`` when the run has nothing to show for it
(e.g. no side pays bonuses).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np

from pawns.analysis.wording import side_name, supporter_name
from pawns.report.canvas import FOREIGN_COLOUR, NEUTRAL_COLOUR, SIDE_COLOURS, ReportFigure, date_axis, new_figure, thousands, to_png
from pawns.report.fanchart import draw_fan
from pawns.report.observed import overlay_area
from pawns.report.rundir import RunData

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BAND_NOTE = "Line: median of the ensemble; dark band: 50% of members; light band: 90%."


def side_colour(run: RunData, side: str) -> str:
    """The colour of a side: its place among the scenario's sides (the order of the results' ``side`` dimension)."""
    return SIDE_COLOURS[list(run.scenario.sides).index(side) % len(SIDE_COLOURS)]


def _formation_colour(run: RunData, formation: str) -> str:
    ds = run.dataset
    side = str(ds["formation_side"].sel(formation=formation).values)
    nationality = str(ds["formation_nationality"].sel(formation=formation).values)
    own = run.scenario.sides[side].nationality if side in run.scenario.sides else nationality
    return FOREIGN_COLOUR if nationality != own else side_colour(run, side)


def _formation_title(run: RunData, formation: str) -> str:
    ds = run.dataset
    side = str(ds["formation_side"].sel(formation=formation).values)
    nationality = str(ds["formation_nationality"].sel(formation=formation).values)
    return f"{formation} ({nationality}, fights for {side_name(run.scenario, side)})"


def _grid(count: int) -> tuple[int, int]:
    cols = 2 if count > 1 else 1
    return (count + cols - 1) // cols, cols


def _hide_unused(axes: list, used: int) -> None:
    for ax in axes[used:]:
        ax.set_visible(False)


def front_strength(run: RunData) -> ReportFigure:
    """Strength at the front of every formation (M6)."""
    ds = run.dataset
    formations = [str(f) for f in ds["formation"].values]
    rows, cols = _grid(len(formations))
    figure, axes = new_figure(rows, cols, height=2.6, sharex=True)
    x = ds["time"].values
    for ax, name in zip(axes, formations):
        draw_fan(ax, x, ds["front"].sel(formation=name).values, _formation_colour(run, name))
        ax.set_title(_formation_title(run, name), fontsize=9)
        ax.set_ylabel("persons at the front")
        thousands(ax)
        date_axis(ax)
    _hide_unused(axes, len(formations))
    return ReportFigure("front-strength", "Strength at the front, by formation",
                        f"Persons at the front in each formation over time. {BAND_NOTE}", to_png(figure))


def sectors(run: RunData) -> ReportFigure | None:
    """Forces at the front and ground gained in every sector (M5, M6); none for a run with one sector."""
    ds = run.dataset
    if "sector" not in ds.dims or ds.sizes["sector"] < 2:
        return None
    names = [str(z) for z in ds["sector"].values]
    figure, axes = new_figure(len(names), 2, height=2.8, sharex=True)
    x = ds["time"].values
    front = ds["sector_front"].values  # (member, time, formation, sector)
    nationality = [str(n) for n in ds["formation_nationality"].values]
    owner = [str(s) for s in ds["formation_side"].values]
    for row, name in enumerate(names):
        forces, ground = axes[2 * row], axes[2 * row + 1]
        for side in [str(s) for s in ds["side"].values]:
            own = run.scenario.sides[side].nationality
            mine = [f for f, s in enumerate(owner) if s == side and nationality[f] == own]
            foreign = [f for f, s in enumerate(owner) if s == side and nationality[f] != own]
            draw_fan(forces, x, front[:, :, mine, row].sum(axis=2), side_colour(run, side), label=side_name(run.scenario, side))
            if foreign and front[:, :, foreign, row].max() > 0:
                draw_fan(forces, x, front[:, :, foreign, row].sum(axis=2), FOREIGN_COLOUR,
                         label=f"{', '.join(sorted({nationality[f] for f in foreign}))} for {side_name(run.scenario, side)}")
        forces.set_title(f"{name}: at the front", fontsize=10)
        forces.set_ylabel("persons")
        forces.legend(loc="upper right", fontsize=7, frameon=False)
        attacker = str(ds["sector_attacker"].values[row])
        area = ds["sector_area"].values[:, :, row]
        draw_fan(ground, x, area - area[:, :1], side_colour(run, attacker))
        stake = _parameter(run, f"sectors.{name}.area_at_stake_km2")
        if stake is not None:
            ground.axhline(float(np.median(stake)), color="black", linestyle="--", linewidth=1, label="area at stake (median of draws)")
            ground.legend(loc="lower right", fontsize=7, frameon=False)
        ground.set_title(f"{name}: ground gained by {side_name(run.scenario, attacker)} since the start", fontsize=10)
        ground.set_ylabel("km²")
        for ax in (forces, ground):
            thousands(ax)
            date_axis(ax)
    return ReportFigure("sectors", "Forces and territory, by sector",
                        "Left: persons at the front in each sector, each side's own troops and the foreign contingents fighting "
                        "for it; host soldiers freed by a contingent leave its sector for the main one. Right: ground the "
                        "sector's attacker has gained since the start, which cannot pass the area at stake there (dashed). "
                        f"{BAND_NOTE}", to_png(figure))


def casualties_by_formation(run: RunData) -> ReportFigure:
    """Casualties (killed + wounded) and killed since the start in every formation (M6, M3)."""
    ds = run.dataset
    formations = [str(f) for f in ds["formation"].values]
    rows, cols = _grid(len(formations))
    figure, axes = new_figure(rows, cols, height=2.6, sharex=True)
    x = ds["time"].values
    killed = ds["killed"].values
    killed_since_start = killed - killed[:, :1, :]
    casualties_since_start = killed_since_start + ds["wounded_total"].values
    for f, (ax, name) in enumerate(zip(axes, formations)):
        colour = _formation_colour(run, name)
        draw_fan(ax, x, casualties_since_start[:, :, f], colour)
        draw_fan(ax, x, killed_since_start[:, :, f], NEUTRAL_COLOUR)
        ax.set_title(_formation_title(run, name), fontsize=9)
        ax.set_ylabel("persons since the start")
        thousands(ax)
        date_axis(ax)
    _hide_unused(axes, len(formations))
    return ReportFigure("casualties-by-formation", "Cumulative casualties (killed + wounded) and killed, by formation",
                        "Persons killed or wounded since the scenario's start date in each formation (coloured fan), and "
                        "of them killed (grey fan); losses before the start are not counted here. "
                        f"{BAND_NOTE}", to_png(figure))


def casualties_by_nationality(run: RunData) -> ReportFigure:
    """Killed and wounded since the start by nationality: each side's own and its foreign contingents."""
    ds = run.dataset
    x = ds["date"].values
    panels = []
    for side in [str(s) for s in ds["side"].values]:
        total = ds["daily_casualties"].sel(side=side).values
        foreign = ds["daily_foreign_casualties"].sel(side=side).values
        own = run.scenario.sides[side].nationality
        panels.append((f"{own}: {side_name(run.scenario, side)}'s own troops", total - foreign, side_colour(run, side)))
        nationalities = sorted({str(n) for n, s in zip(ds["formation_nationality"].values, ds["formation_side"].values)
                                if str(s) == side and str(n) != own})
        if nationalities:
            panels.append((f"{', '.join(nationalities)}: foreign troops fighting for {side_name(run.scenario, side)}", foreign, FOREIGN_COLOUR))
    figure = casualty_panels(x, panels, draw_fan)
    return ReportFigure("casualties-by-nationality", "Cumulative casualties, by nationality",
                        "Killed and wounded since the start date, counted daily, split into each side's own nationals and the "
                        f"foreign contingents fighting for it. {BAND_NOTE}", to_png(figure))


def casualty_panels(x: np.ndarray, panels: list[tuple[str, np.ndarray, str]], draw: "Callable[..., object]") -> "Figure":
    """A grid of cumulative-casualty fan charts, one per ``(title, values, colour)``; ``draw(ax, x, values, colour)`` draws one."""
    rows, cols = _grid(len(panels))
    figure, axes = new_figure(rows, cols, height=2.6, sharex=True)
    for ax, (title, values, colour) in zip(axes, panels):
        draw(ax, x, values, colour)
        ax.set_title(title, fontsize=9)
        ax.set_ylabel("killed + wounded")
        thousands(ax)
        date_axis(ax)
    _hide_unused(axes, len(panels))
    return figure


def _parameter(run: RunData, name: str) -> np.ndarray | None:
    ds = run.dataset
    if name not in ds["parameter"].values:
        return None
    return ds["parameters"].sel(parameter=name).values


def tolerance(run: RunData) -> ReportFigure:
    """Casualty tolerance index by side, with the collapse threshold (M4, M8)."""
    ds = run.dataset
    sides = [str(s) for s in ds["side"].values]
    figure, axes = new_figure(1, len(sides), height=3.0, sharex=True)
    x = ds["time"].values
    for ax, side in zip(axes, sides):
        draw_fan(ax, x, ds["tolerance"].sel(side=side).values, side_colour(run, side))
        threshold = _parameter(run, f"sides.{side}.tolerance.threshold")
        if threshold is not None:
            ax.axhline(float(np.median(threshold)), color="black", linestyle="--", linewidth=1, label="collapse threshold")
            ax.legend(loc="upper right", fontsize=8, frameon=False)
        ax.set_title(side_name(run.scenario, side), fontsize=10)
        ax.set_ylabel("tolerance index (1 = no losses)")
        ax.set_ylim(bottom=0)
        date_axis(ax)
    return ReportFigure("casualty-tolerance", "Casualty tolerance",
                        "Each side's tolerance of its own nationals' losses, 1 before any loss and already lower at the start for the losses since 2022; a side's endurance ends when it "
                        f"falls below the dashed threshold. Foreign deaths weigh little in it. {BAND_NOTE}", to_png(figure))


def support(run: RunData) -> ReportFigure | None:
    """External support index of the dynamic supporter, with its abandonment threshold (M9)."""
    abandonment = run.summary.get("abandonment")
    if not abandonment:
        return None
    ds = run.dataset
    supporter = abandonment["supporter"]
    figure, axes = new_figure(1, 1, height=3.2)
    ax = axes[0]
    x = ds["time"].values
    draw_fan(ax, x, ds["support"].values, SIDE_COLOURS[1])
    threshold = _parameter(run, f"supporters.{supporter}.dynamics.abandonment_threshold")
    note = ""
    if threshold is not None:
        low, high = np.quantile(threshold, [0.05, 0.95])
        ax.axhspan(low, high, color="black", alpha=0.08, label="abandonment threshold (90% of draws)")
        ax.legend(loc="upper right", fontsize=8, frameon=False)
        note = " The grey strip is the range of the abandonment threshold across members; support that stays below it for long enough counts as abandonment."
    recipient = side_name(run.scenario, abandonment["recipient"])
    ax.set_ylabel("support index (1 = start)")
    ax.set_ylim(bottom=0)
    date_axis(ax)
    return ReportFigure("western-support", f"{supporter_name(supporter)} support for {recipient}",
                        f"Aid from the '{supporter}' supporters to {recipient} relative to its level at the start.{note} {BAND_NOTE}",
                        to_png(figure))


def bonus(run: RunData) -> ReportFigure | None:
    """Sign-on bonus and cumulative bonus spending of the sides that pay them (M7)."""
    ds = run.dataset
    sides = [str(s) for s in ds["side"].values if float(np.nanmax(ds["bonus_spending_rub"].sel(side=s).values)) > 0]
    if not sides:
        return None
    figure, axes = new_figure(len(sides), 2, height=3.0, sharex=True)
    x = ds["time"].values
    for row, side in enumerate(sides):
        level, spending = axes[2 * row], axes[2 * row + 1]
        colour = side_colour(run, side)
        draw_fan(level, x, ds["bonus"].sel(side=side).values / 1e6, colour)
        level.set_title(f"{side_name(run.scenario, side)}: sign-on bonus", fontsize=10)
        level.set_ylabel("million RUB per recruit")
        draw_fan(spending, x, ds["bonus_spending_rub"].sel(side=side).values / 1e9, colour)
        spending.set_title(f"{side_name(run.scenario, side)}: bonus spending since the start", fontsize=10)
        spending.set_ylabel("billion RUB")
        thousands(spending)
        for ax in (level, spending):
            date_axis(ax)
    return ReportFigure("bonus", "Bonus level and spending",
                        "The sign-on bonus ratchets up when recruitment falls short of losses; right: what the bonuses cost, "
                        f"cumulative since the start. {BAND_NOTE}", to_png(figure))


def territory(run: RunData) -> ReportFigure:
    """Area held by the attacker, with the observed area where the dates overlap (M6)."""
    ds = run.dataset
    colour = side_colour(run, run.scenario.combat.attacker)
    return territory_chart(run, lambda ax: draw_fan(ax, ds["date"].values, ds["daily_area"].values, colour, label="model"), BAND_NOTE)


def territory_chart(run: RunData, draw_model: "Callable[[Axes], object]", band_note: str) -> ReportFigure:
    """The territory figure around the model's bands (``draw_model`` draws them on the axes)."""
    figure, axes = new_figure(1, 1, height=3.4)
    ax = axes[0]
    attacker = run.scenario.combat.attacker
    draw_model(ax)
    observed_note = overlay_area(ax, run)
    ax.set_ylabel("km² held by the attacker")
    thousands(ax)
    date_axis(ax)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return ReportFigure("territory", f"Territory held by {side_name(run.scenario, attacker)}",
                        f"Area held by the attacker. {band_note} {observed_note}", to_png(figure))
