"""Fan charts of a run, drawn with Bokeh: the ensemble's median, 50% and 90% bands, observed series over them.

The quantiles are the report's (:func:`pawns.report.fanchart.fan_quantiles`), the colours its
palette, and the observed streams the same raw series the report overlays
(:mod:`pawns.report.observed`), so the dashboard and the report draw the same picture.

Each chart is first a :class:`Chart` — title, axis and series, plain numbers — then drawn by
:func:`draw`. Every run draws its figures anew: replacing only the data of the figures already
on the page is cheaper, but on a busy machine the browser then reported changes to models it
did not know, and dropped the update.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from pawns.observations import CATALOG, load_observed
from pawns.report.canvas import FOREIGN_COLOUR, OBSERVED_COLOUR, SIDE_COLOURS
from pawns.report.fanchart import fan_quantiles
from pawns.analysis.wording import side_name, supporter_name
from pawns.report.observed import AREA_OVERLAYS, CASUALTY_CLAIMS, OBSERVED_NATIONALITY
from pawns.report.rundir import RunData

if TYPE_CHECKING:  # pragma: no cover
    from bokeh.plotting import figure as Figure

HEIGHT = 260
DASHES = {"-": "solid", ":": "dotted"}
BANDS = ("q05", "q25", "q50", "q75", "q95")


@dataclass(frozen=True)
class Series:
    """One series of a chart: a fan (quantiles across members, shape ``(5, time)``) or an observed line."""

    label: str
    x: np.ndarray
    y: np.ndarray
    colour: str
    kind: str = "fan"  # "fan", "line" (observed) or "level" (a horizontal reference)
    dash: str = "solid"

    def columns(self) -> dict[str, Any]:
        if self.kind == "fan":
            return {"x": self.x, **{name: self.y[i] for i, name in enumerate(BANDS)}}
        return {"x": self.x, "y": self.y}


@dataclass(frozen=True)
class Chart:
    """A chart's title, y axis and series."""

    key: str
    title: str
    y_label: str
    series: tuple[Series, ...]


def _fan(label: str, x: np.ndarray, samples: np.ndarray, colour: str) -> Series:
    return Series(label, x, fan_quantiles(samples), colour)


def _side_colour(run: RunData, side: str) -> str:
    return SIDE_COLOURS[list(run.scenario.sides).index(side) % len(SIDE_COLOURS)]


def _formations(run: RunData, side: str, foreign: bool) -> list[str]:
    ds = run.dataset
    own = run.scenario.sides[side].nationality
    return [str(f) for f, s, n in zip(ds["formation"].values, ds["formation_side"].values, ds["formation_nationality"].values)
            if str(s) == side and (str(n) != own) == foreign]


def forces(run: RunData) -> Chart:
    """Persons at the front: each side's own formations, and the foreign troops fighting for it."""
    ds = run.dataset
    x = ds["time"].values
    series = []
    for side in run.scenario.sides:
        name = side_name(run.scenario, side)
        for foreign, colour, label in ((False, _side_colour(run, side), f"{name}, own"), (True, FOREIGN_COLOUR, f"foreign, for {name}")):
            chosen = _formations(run, side, foreign)
            if chosen:
                series.append(_fan(label, x, ds["front"].sel(formation=chosen).sum("formation").values, colour))
    return Chart("forces", "Forces at the front", "persons", tuple(series))


def casualties(run: RunData) -> Chart:
    """Killed and wounded since the start, by nationality: each side's own troops and its foreign contingents."""
    ds = run.dataset
    x = ds["date"].values
    series = []
    for side in run.scenario.sides:
        total = ds["daily_casualties"].sel(side=side).values
        foreign = ds["daily_foreign_casualties"].sel(side=side).values
        series.append(_fan(run.scenario.sides[side].nationality, x, total - foreign, _side_colour(run, side)))
        nationalities = sorted({str(ds["formation_nationality"].sel(formation=f).values) for f in _formations(run, side, True)})
        if nationalities:
            series.append(_fan(", ".join(nationalities), x, foreign, FOREIGN_COLOUR))
    return Chart("casualties", "Casualties since the start, by nationality", "killed + wounded", tuple(series))


def _window(run: RunData, name: str):
    series = load_observed(name)
    dates = run.dates()
    return series[(series.index >= dates[0]) & (series.index <= dates[-1])]


def casualties_against_claims(run: RunData) -> Chart | None:
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
    model = run.dataset["daily_casualties"].sel(side=side).values + float(before.iloc[-1])
    return Chart("claims", f"{side_name(run.scenario, side)}'s casualties against claims (observed, raw)", "persons since Feb 2022",
                 (_fan("model", dates, model, _side_colour(run, side)),
                  Series("claimed by Ukraine's General Staff", window.index.values, window.to_numpy(dtype=float), OBSERVED_COLOUR, "line")))


def territory(run: RunData) -> Chart | None:
    """Area held by the attacker, with the observed areas (Liveuamap, DeepState) where the dates overlap."""
    if "daily_area" not in run.dataset:
        return None
    attacker = run.scenario.combat.attacker
    series = [_fan("model", run.dataset["date"].values, run.dataset["daily_area"].values, _side_colour(run, attacker))]
    if run.scenario.sides[attacker].nationality == OBSERVED_NATIONALITY:
        for name, source, style in AREA_OVERLAYS:
            window = _window(run, name)
            if len(window) >= 2:
                series.append(Series(f"observed ({source}, raw)", window.index.values, window.to_numpy(dtype=float), OBSERVED_COLOUR,
                                     "line", DASHES.get(style, "solid")))
    return Chart("territory", f"Territory held by {side_name(run.scenario, attacker)}", "km²", tuple(series))


def sectors(run: RunData) -> Chart | None:
    """Ground gained since the start in each sector by the sector's attacker (none for a run with one sector)."""
    ds = run.dataset
    if "sector" not in ds.dims or ds.sizes["sector"] < 2:
        return None
    palette = [*SIDE_COLOURS, FOREIGN_COLOUR, OBSERVED_COLOUR]
    series = []
    for row, name in enumerate(str(z) for z in ds["sector"].values):
        area = ds["sector_area"].values[:, :, row]
        attacker = side_name(run.scenario, str(ds["sector_attacker"].values[row]))
        series.append(_fan(f"{name} (by {attacker})", ds["time"].values, area - area[:, :1], palette[row % len(palette)]))
    return Chart("sectors", "Territory by sector: ground gained since the start", "km²", tuple(series))


def support(run: RunData) -> Chart | None:
    """The dynamic supporter's support index (1 = the start), with its abandonment threshold."""
    abandonment = run.summary.get("abandonment")
    if not abandonment:
        return None
    ds = run.dataset
    supporter = abandonment["supporter"]
    x = ds["time"].values
    series = [_fan("support", x, ds["support"].values, SIDE_COLOURS[1])]
    key = f"supporters.{supporter}.dynamics.abandonment_threshold"
    if key in ds["parameter"].values:
        threshold = float(np.median(ds["parameters"].sel(parameter=key).values))
        series.append(Series("abandonment threshold (median)", x[[0, -1]], np.array([threshold, threshold]), "black", "level", "dashed"))
    return Chart("support", f"{supporter_name(supporter)} support for {side_name(run.scenario, abandonment['recipient'])}",
                 "support index (1 = start)", tuple(series))


CHARTS = (forces, casualties, casualties_against_claims, territory, sectors, support)


def charts(run: RunData) -> list[Chart]:
    """Every chart the run has something to show for, in page order."""
    return [chart for make in CHARTS if (chart := make(run)) is not None]


def observed_note() -> str:
    """What the observed series are, one sentence per stream drawn."""
    return " ".join(f"{CATALOG[name].title}: {CATALOG[name].caveat}" for name in (CASUALTY_CLAIMS, *(n for n, _, _ in AREA_OVERLAYS)))


def draw(chart: Chart) -> "Figure":
    """A Bokeh figure of ``chart``."""
    from bokeh.models import ColumnDataSource, NumeralTickFormatter
    from bokeh.plotting import figure

    plot = figure(title=chart.title, x_axis_type="datetime", height=HEIGHT, sizing_mode="stretch_width",
                  tools="pan,box_zoom,wheel_zoom,reset,save", toolbar_location="right")
    plot.yaxis.axis_label = chart.y_label
    plot.yaxis.formatter = NumeralTickFormatter(format="0,0.[00]")
    for series in chart.series:
        source = ColumnDataSource(series.columns())
        if series.kind == "fan":  # one legend entry per series (its median); the bands are explained above the charts
            plot.varea(x="x", y1="q05", y2="q95", source=source, fill_color=series.colour, fill_alpha=0.18)
            plot.varea(x="x", y1="q25", y2="q75", source=source, fill_color=series.colour, fill_alpha=0.35)
            plot.line(x="x", y="q50", source=source, line_color=series.colour, line_width=2, legend_label=series.label)
        else:
            plot.line(x="x", y="y", source=source, line_color=series.colour, line_width=1.5, line_dash=series.dash,
                      legend_label=series.label)
    plot.legend.location = "top_left"
    plot.legend.label_text_font_size = "8pt"
    plot.legend.background_fill_alpha = 0.6
    plot.legend.click_policy = "hide"
    return plot
