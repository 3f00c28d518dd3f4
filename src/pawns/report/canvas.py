"""Figures as PNG bytes: matplotlib's object API on the Agg canvas, never pyplot.

Using :class:`matplotlib.figure.Figure` with an explicit Agg canvas draws off-screen without
touching matplotlib's global backend, so building a report never opens a window and never
changes plotting state of the program that calls it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 110
# One colour per side, the contingents in a third; colour-blind safe (Okabe–Ito).
SIDE_COLOURS = ("#d55e00", "#0072b2", "#009e73", "#cc79a7")
FOREIGN_COLOUR = "#6a3d9a"
OBSERVED_COLOUR = "#222222"
NEUTRAL_COLOUR = "#555555"


@dataclass(frozen=True)
class ReportFigure:
    """A rendered figure and the words that go with it.

    Attributes
    ----------
    slug
        File name stem of the PNG (``"front-strength"``).
    title
        Heading above the figure.
    caption
        What the figure shows and how to read it.
    png
        The image.
    """

    slug: str
    title: str
    caption: str
    png: bytes


def new_figure(rows: int = 1, cols: int = 1, *, width: float = 9.0, height: float = 3.2, sharex: bool = True,
               height_ratios: list[int] | None = None) -> tuple["Figure", list["Axes"]]:
    """A figure with a grid of axes (returned flat, row by row); ``height`` is per row."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height * rows), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, cols, sharex=sharex, squeeze=False, height_ratios=height_ratios)
    flat = [ax for row in axes for ax in row]
    for ax in flat:
        ax.grid(True, color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
    return figure, flat


def to_png(figure: "Figure") -> bytes:
    """Render a figure to PNG bytes (no timestamp metadata, so the bytes depend only on the data)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def date_axis(ax: "Axes") -> None:
    """Readable, compact date ticks."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=4, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def thousands(ax: "Axes", axis: str = "y") -> None:
    """Tick labels with thousands separators (1,200,000 rather than 1.2e6)."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda value, _pos: f"{value:,.0f}" if abs(value) >= 10 or value == 0 else f"{value:,.2g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def empty_panel(ax: "Axes", message: str) -> None:
    """An axes that says why it holds no data (rather than an empty frame)."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color=NEUTRAL_COLOUR, wrap=True)
    ax.set_xticks([])
    ax.set_yticks([])
