"""Fan charts of a run that kept no trajectories (``pawns run --outcomes-only``).

Such a run keeps, instead of each member's series, per-day quantile sketches of the daily
series (``daily_quantiles.csv``): cumulative casualties per side, of them the foreign
contingents', and the area held by the attacker. These figures draw those quantiles as they
are. A quantile from a sketch is known to within one bin (1.2%); a difference of two series
(such as own troops = all minus foreign) has no sketch of its own, so both are drawn instead.
"""

from __future__ import annotations

from pawns.analysis.wording import side_name
from pawns.report.canvas import FOREIGN_COLOUR, ReportFigure, to_png
from pawns.report.fanchart import draw_bands
from pawns.report.figures_series import casualty_panels, side_colour, territory_chart
from pawns.report.rundir import RunData

SKETCH_NOTE = ("Line: median of the ensemble; dark band: 50% of members; light band: 90%; read from streamed quantile sketches "
               "as the run kept no trajectories: each quantile is known to within 1.2% (one bin of the sketch), which shows as "
               "steps where a series moves little relative to its level.")


def casualties_by_side(run: RunData) -> ReportFigure:
    """Cumulative killed and wounded of each side since the start, and of its foreign contingents."""
    x = run.dates()
    panels = []
    for side in run.scenario.sides:
        name = side_name(run.scenario, side)
        panels.append((f"{name}: all troops (own and foreign)", run.sketched(f"daily_casualties/{side}"), side_colour(run, side)))
        foreign = run.sketched(f"daily_foreign_casualties/{side}")
        if (foreign[-1] > 0).any():
            panels.append((f"{name}: of them foreign contingents", foreign, FOREIGN_COLOUR))
    figure = casualty_panels(x, panels, draw_bands)
    return ReportFigure("casualties-by-side", "Cumulative casualties, by side",
                        "Killed and wounded since the start date, counted daily: all of each side's troops, and those of the foreign "
                        f"contingents fighting for it. {SKETCH_NOTE}", to_png(figure))


def territory(run: RunData) -> ReportFigure:
    """Area held by the attacker, with the observed area where the dates overlap (M6)."""
    colour = side_colour(run, run.scenario.combat.attacker)
    return territory_chart(run, lambda ax: draw_bands(ax, run.dates(), run.sketched("daily_area"), colour, label="model"), SKETCH_NOTE)
