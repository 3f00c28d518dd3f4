"""Fan charts of a run, drawn with Bokeh: the ensemble's median, 50% and 90% bands, observed series over them.

The quantiles are the report's (:func:`pawns.report.fanchart.fan_quantiles`), the colours its
palette, and the observed streams the same raw series the report overlays
(:mod:`pawns.report.observed`), so the dashboard and the report draw the same picture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from pawns.observations import CATALOG, load_observed
from pawns.report.canvas import FOREIGN_COLOUR, OBSERVED_COLOUR, SIDE_COLOURS
from pawns.report.fanchart import fan_quantiles
from pawns.report.labels import side_name, supporter_name
from pawns.report.observed import AREA_OVERLAYS, CASUALTY_CLAIMS, OBSERVED_NATIONALITY
from pawns.report.rundir import RunData

if TYPE_CHECKING:  # pragma: no cover
    from bokeh.plotting import figure as Figure

HEIGHT = 260
DASHES = {"-": "solid", ":": "dotted"}


def _figure(title: str, y_label: str) -> "Figure":
    from bokeh.models import NumeralTickFormatter
    from bokeh.plotting import figure

    plot = figure(title=title, x_axis_type="datetime", height=HEIGHT, sizing_mode="stretch_width",
                  tools="pan,box_zoom,wheel_zoom,reset,save", toolbar_location="right")
    plot.yaxis.axis_label = y_label
    plot.yaxis.formatter = NumeralTickFormatter(format="0,0.[00]")
    return plot


def _fan(plot: "Figure", x: np.ndarray, samples: np.ndarray, colour: str, label: str) -> None:
    q = fan_quantiles(samples)
    plot.varea(x=x, y1=q[0], y2=q[4], fill_color=colour, fill_alpha=0.18, legend_label=f"{label}: 90% of members")
    plot.varea(x=x, y1=q[1], y2=q[3], fill_color=colour, fill_alpha=0.35, legend_label=f"{label}: 50%")
    plot.line(x=x, y=q[2], line_color=colour, line_width=2, legend_label=f"{label}: median")


def _finish(plot: "Figure") -> "Figure":
    plot.legend.location = "top_left"
    plot.legend.label_text_font_size = "8pt"
    plot.legend.background_fill_alpha = 0.6
    plot.legend.click_policy = "hide"
    return plot


def _side_colour(run: RunData, side: str) -> str:
    return SIDE_COLOURS[list(run.scenario.sides).index(side) % len(SIDE_COLOURS)]


def _formations(run: RunData, side: str, foreign: bool) -> list[str]:
    ds = run.dataset
    own = run.scenario.sides[side].nationality
    return [str(f) for f, s, n in zip(ds["formation"].values, ds["formation_side"].values, ds["formation_nationality"].values)
            if str(s) == side and (str(n) != own) == foreign]


def forces(run: RunData) -> "Figure":
    """Persons at the front: each side's own formations, and the foreign troops fighting for it."""
    ds = run.dataset
    plot = _figure("Forces at the front", "persons")
    x = ds["time"].values
    for side in run.scenario.sides:
        name = side_name(run.scenario, side)
        for foreign, colour, label in ((False, _side_colour(run, side), f"{name}, own"), (True, FOREIGN_COLOUR, f"foreign, for {name}")):
            chosen = _formations(run, side, foreign)
            if chosen:
                _fan(plot, x, ds["front"].sel(formation=chosen).sum("formation").values, colour, label)
    return _finish(plot)


def casualties(run: RunData) -> "Figure":
    """Killed and wounded since the start, by nationality: each side's own troops and its foreign contingents."""
    ds = run.dataset
    plot = _figure("Casualties since the start, by nationality", "killed + wounded")
    x = ds["date"].values
    for side in run.scenario.sides:
        total = ds["daily_casualties"].sel(side=side).values
        foreign = ds["daily_foreign_casualties"].sel(side=side).values
        own = run.scenario.sides[side].nationality
        _fan(plot, x, total - foreign, _side_colour(run, side), own)
        nationalities = sorted({str(ds["formation_nationality"].sel(formation=f).values) for f in _formations(run, side, True)})
        if nationalities:
            _fan(plot, x, foreign, FOREIGN_COLOUR, ", ".join(nationalities))
    return _finish(plot)


def _window(run: RunData, name: str):
    series = load_observed(name)
    dates = run.dates()
    return series[(series.index >= dates[0]) & (series.index <= dates[-1])]


def casualties_against_claims(run: RunData) -> "Figure | None":
    """The observed side's casualties since February 2022 against Ukraine's General Staff claims (raw)."""
    side = next((s for s, entry in run.scenario.sides.items() if entry.nationality == OBSERVED_NATIONALITY), None)
    if side is None:
        return None
    claims = load_observed(CASUALTY_CLAIMS)
    dates = run.dataset["date"].values
    before = claims[claims.index <= dates[0]]
    window = _window(run, CASUALTY_CLAIMS)
    if before.empty or len(window) < 2:
        return None
    offset = float(before.iloc[-1])
    plot = _figure(f"{side_name(run.scenario, side)}'s casualties against claims (observed, raw)", "persons since Feb 2022")
    _fan(plot, dates, run.dataset["daily_casualties"].sel(side=side).values + offset, _side_colour(run, side), "model")
    plot.line(x=window.index.values, y=window.values, line_color=OBSERVED_COLOUR, line_width=1.5,
              legend_label="claimed by Ukraine's General Staff")
    return _finish(plot)


def territory(run: RunData) -> "Figure | None":
    """Area held by the attacker, with the observed areas (Liveuamap, DeepState) where the dates overlap."""
    if run.scenario.territory is None:
        return None
    attacker = run.scenario.combat.attacker
    plot = _figure(f"Territory held by {side_name(run.scenario, attacker)}", "km²")
    _fan(plot, run.dataset["date"].values, run.dataset["daily_area"].values, _side_colour(run, attacker), "model")
    if run.scenario.sides[attacker].nationality == OBSERVED_NATIONALITY:
        for name, source, style in AREA_OVERLAYS:
            window = _window(run, name)
            if len(window) >= 2:
                plot.line(x=window.index.values, y=window.values, line_color=OBSERVED_COLOUR, line_width=1.5,
                          line_dash=DASHES.get(style, "solid"), legend_label=f"observed ({source}, raw)")
    return _finish(plot)


def support(run: RunData) -> "Figure | None":
    """The dynamic supporter's support index (1 = the start), with its abandonment threshold."""
    abandonment = run.summary.get("abandonment")
    if not abandonment:
        return None
    ds = run.dataset
    supporter = abandonment["supporter"]
    plot = _figure(f"{supporter_name(supporter)} support for {side_name(run.scenario, abandonment['recipient'])}", "support index (1 = start)")
    _fan(plot, ds["time"].values, ds["support"].values, SIDE_COLOURS[1], "support")
    key = f"supporters.{supporter}.dynamics.abandonment_threshold"
    if key in ds["parameter"].values:
        threshold = float(np.median(ds["parameters"].sel(parameter=key).values))
        plot.line(x=[ds["time"].values[0], ds["time"].values[-1]], y=[threshold, threshold], line_color="black", line_dash="dashed",
                  legend_label="abandonment threshold (median)")
    return _finish(plot)


CHARTS = (forces, casualties, casualties_against_claims, territory, support)


def observed_note() -> str:
    """Where the observed series come from, in one line per stream drawn."""
    return " ".join(f"{CATALOG[name].title}: {CATALOG[name].caveat}" for name in (CASUALTY_CLAIMS, *(n for n, _, _ in AREA_OVERLAYS)))


def charts(run: RunData) -> list["Figure"]:
    """Every chart the run has something to show for, in page order."""
    return [plot for make in CHARTS if (plot := make(run)) is not None]
