"""Reports a reader understands without the tool: one self-contained HTML page and PNG figures.

``build_report(run_dir)`` checks a results directory written by ``pawns run`` or ``pawns compare``
and writes ``report.html`` (figures embedded, no scripts, no network requests) with the PNG of
each figure in ``report-figures/`` beside it. Modules: ``rundir`` (checking and loading),
``canvas`` and ``fanchart`` (drawing), ``figures_series``, ``figures_outcomes`` and ``observed``
(the figures), ``answers`` (Q1–Q4 in sentences), ``assumptions`` (parameters, sources,
reproduction), ``page`` (HTML) and ``build`` (putting it together and writing it).
"""

from __future__ import annotations

from pawns.report.build import Report, build_report

__all__ = ["Report", "build_report"]
