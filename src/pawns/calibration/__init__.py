"""Calibration: simulation-based inference of a scenario's uncertain parameters from observed series.

Modules: :mod:`~pawns.calibration.posterior` (posterior files: read, write, draw rows),
:mod:`~pawns.calibration.data` (observations in the calibration window),
:mod:`~pawns.calibration.likelihood` (log-likelihood of a batch of members),
:mod:`~pawns.calibration.smc` (sequential Monte Carlo with likelihood tempering),
:mod:`~pawns.calibration.diagnostics` (ESS, acceptance, prior vs posterior, predictive checks)
and :mod:`~pawns.calibration.run` (the whole calibration of a scenario). See docs/calibration.md.
"""
