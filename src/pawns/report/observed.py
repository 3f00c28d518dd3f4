"""Observed series drawn over the model where their dates overlap the run.

The overlays are deliberately plain: the raw observed values, labelled as what they are
(claims by one side, lower bounds that lag), with no reporting factor applied. The territory and
casualty charts also draw the year before the start (:data:`LEAD_IN_DAYS`), so a forecast is seen
against the trend it starts from: a scenario starting after the data end (``ru-ua-2026``) still
shows the observed 2025 it continues. Fitting the
model to them is calibration's job, not the report's. The only transformation is the one the
comparison needs and the caption states: the model counts casualties from the scenario's start
date, the claim from February 2022, so the model's cumulative casualties are shifted by the
claim's value on the start date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from pawns.analysis.wording import side_name
from pawns.observations import CATALOG, load_observed
from pawns.report.canvas import OBSERVED_COLOUR, SIDE_COLOURS, ReportFigure, date_axis, new_figure, thousands, to_png
from pawns.report.fanchart import draw_bands, draw_fan, fan_quantiles
from pawns.report.rundir import RUN, RunData

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes

CASUALTY_CLAIMS = "ua_gs_russian_personnel_cumulative"
AREA = "russian_controlled_area_km2"
AREA_DEEPSTATE = "russian_occupied_area_km2_deepstate"
NAMED_DEAD = "russian_named_dead_monthly"

# Where each stream's compiler publishes it (the sources named in the catalog).
STREAM_LINKS = {
    CASUALTY_CLAIMS: "https://github.com/PetroIvaniuk/2022-Ukraine-Russia-War-Dataset",
    AREA: "https://github.com/conflict-investigations/liveuamap-analysis",
    AREA_DEEPSTATE: "https://github.com/cyterat/deepstate-map-data",
    NAMED_DEAD: "https://github.com/ukrainewarlosses/ukrwarlosses",
}
# The observed streams describe Russia: they are drawn only for a side of this nationality.
OBSERVED_NATIONALITY = "RU"
LEAD_IN_DAYS = 365  # observed days drawn before the run's start on the territory and casualty charts


@dataclass(frozen=True)
class Overlap:
    """How an observed stream relates to a run: what it is and which dates it shares with it."""

    name: str
    title: str
    source: str
    link: str
    caveat: str
    used_in: str
    first: str | None
    last: str | None


def _observed_side(run: RunData) -> str | None:
    return next((s for s, entry in run.scenario.sides.items() if entry.nationality == OBSERVED_NATIONALITY), None)


def _window(run: RunData, name: str, lead_in_days: int = 0) -> "pd.Series":
    """The stream restricted to the run's dates, from ``lead_in_days`` before its start (empty when they do not overlap)."""
    series = load_observed(name)
    dates = run.dates()
    first = dates[0] - np.timedelta64(lead_in_days, "D")
    return series[(series.index >= first) & (series.index <= dates[-1])]


def _dated(window: "pd.Series", run: RunData) -> str:
    """``from D1 to D2`` of an overlay, saying how much of it comes before the run's start."""
    start = run.dates()[0]
    lead = f" (the year before the start {str(start.astype('datetime64[D]'))} included)" if window.index[0] < start else ""
    return f"{window.index[0].date()} to {window.index[-1].date()}{lead}"


def overlaps(run: RunData) -> list[Overlap]:
    """Every observed stream, its provenance and the dates it shares with the run."""
    uses = {CASUALTY_CLAIMS: "Russian casualties against claims", AREA: "Territory", AREA_DEEPSTATE: "Territory",
            NAMED_DEAD: "Russian killed against named dead"}
    result = []
    for name, stream in CATALOG.items():
        window = _window(run, name) if run.kind == RUN and _observed_side(run) is not None else None
        has = window is not None and len(window) > 0
        result.append(Overlap(name, stream.title, stream.source, STREAM_LINKS.get(name, ""), stream.caveat, uses.get(name, ""),
                              str(window.index[0].date()) if has else None, str(window.index[-1].date()) if has else None))
    return result


# The observed areas drawn on the territory chart: stream, map, line style.
AREA_OVERLAYS = ((AREA, "Liveuamap", "-"), (AREA_DEEPSTATE, "DeepState", ":"))


def overlay_area(ax: "Axes", run: RunData) -> str:
    """Draw the observed areas on a territory chart; returns the sentences for the caption."""
    attacker = run.scenario.combat.attacker
    if run.scenario.sides[attacker].nationality != OBSERVED_NATIONALITY:
        return "No observed series describes this attacker's territory."
    notes = []
    for name, source, style in AREA_OVERLAYS:
        window = _window(run, name, LEAD_IN_DAYS)
        if len(window) < 2:
            continue
        ax.plot(window.index.values, window.values, color=OBSERVED_COLOUR, linewidth=1.4, linestyle=style, label=f"observed ({source}, raw)")
        line = "solid" if style == "-" else "dotted"
        notes.append(f"Black {line}: {CATALOG[name].title.lower()} ({source}), {_dated(window, run)} "
                     f"({CATALOG[name].caveat})")
    return " ".join(notes) if notes else "The observed areas (Liveuamap, DeepState) do not reach the run's dates or the year before."


def casualties_against_claims(run: RunData) -> ReportFigure | None:
    """The model's cumulative casualties of the Russian side against Ukraine's daily claims."""
    side = _observed_side(run)
    if side is None:
        return None
    window = _window(run, CASUALTY_CLAIMS, LEAD_IN_DAYS)
    if len(window) < 2:
        return None
    claims = load_observed(CASUALTY_CLAIMS)
    dates = run.dates()
    before = claims[claims.index <= dates[0]]
    if before.empty:
        return None
    offset = float(before.iloc[-1])
    offset_date = before.index[-1].date()
    figure, axes = new_figure(1, 1, height=3.4)
    ax = axes[0]
    if run.outcomes_only:  # a constant offset shifts every quantile by itself
        draw_bands(ax, dates, run.sketched(f"daily_casualties/{side}") + offset, SIDE_COLOURS[0], label="model")
    else:
        model = run.dataset["daily_casualties"].sel(side=side).values + offset
        draw_fan(ax, dates, model, SIDE_COLOURS[0], label="model")
    ax.plot(window.index.values, window.values, color=OBSERVED_COLOUR, linewidth=1.4, label="claimed by Ukraine's General Staff")
    ax.set_ylabel("persons since Feb 2022")
    thousands(ax)
    date_axis(ax)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    name = side_name(run.scenario, side)
    return ReportFigure(
        "casualties-vs-claims", f"{name}'s casualties against Ukraine's claims",
        f"Black: cumulative Russian personnel losses claimed daily by Ukraine's General Staff, raw ({CATALOG[CASUALTY_CLAIMS].caveat}) "
        f"Coloured: the model's killed and wounded of {name}'s side since the start date (its foreign contingents included), plus "
        f"the claim's value on {offset_date} ({offset:,.0f}) so both count from February 2022. Claims drawn {_dated(window, run)}; "
        "no reporting factor is applied, so a gap between them is not by itself a model error.",
        to_png(figure))


def _month_starts(dates: np.ndarray) -> list[np.datetime64]:
    months = np.unique(dates.astype("datetime64[M]"))
    return [m.astype("datetime64[D]") for m in months]


def named_dead_against_killed(run: RunData) -> ReportFigure | None:
    """The model's monthly killed among Russian nationals against the named dead of each month."""
    side = _observed_side(run)
    if side is None or "daily_killed" not in run.dataset:
        return None
    observed = load_observed(NAMED_DEAD)
    dates = run.dataset["date"].values.astype("datetime64[D]")
    killed = run.dataset["daily_killed"].sel(side=side).values
    if "daily_foreign_killed" in run.dataset:
        killed = killed - run.dataset["daily_foreign_killed"].sel(side=side).values
    index = {d: i for i, d in enumerate(dates)}
    months, model, named = [], [], []
    for month in _month_starts(dates):
        following = (month.astype("datetime64[M]") + 1).astype("datetime64[D]")
        stamp = np.datetime64(month, "ns")
        if month not in index or following not in index or stamp not in observed.index:
            continue  # only whole months the run covers and the named-dead count has
        months.append(month)
        model.append(killed[:, index[following]] - killed[:, index[month]])
        named.append(float(observed.loc[stamp]))
    if not months:
        return None
    q = fan_quantiles(np.stack(model, axis=1))
    x = np.arange(len(months))
    figure, axes = new_figure(1, 1, width=7.5, height=3.4)
    ax = axes[0]
    ax.vlines(x, q[0], q[4], color=SIDE_COLOURS[0], linewidth=3, alpha=0.35, label="model: 90% of members")
    ax.vlines(x, q[1], q[3], color=SIDE_COLOURS[0], linewidth=9, alpha=0.6, label="model: 50% of members")
    ax.plot(x, q[2], "o", color=SIDE_COLOURS[0], label="model: median")
    ax.plot(x, named, "D", color=OBSERVED_COLOUR, label="named dead (lower bound)")
    ax.set_xticks(x, [str(m.astype("datetime64[M]")) for m in months])
    ax.set_ylabel("Russian nationals killed per month")
    ax.set_ylim(bottom=0)
    thousands(ax)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return ReportFigure(
        "killed-vs-named-dead", "Russian killed per month against the named dead",
        f"Bars: the model's killed among {side_name(run.scenario, side)}'s own nationals in each whole month the run covers. "
        f"Black diamonds: Russian military dead identified by name for the month ({CATALOG[NAMED_DEAD].caveat}) The named count "
        "should sit below the model; the most recent months are the least complete.",
        to_png(figure))
