"""Back-tests: calibrate on data before a cut-off, forecast after it, score against what was observed.

:mod:`~pawns.backtest.scoring` (CRPS, interval coverage, error of the median),
:mod:`~pawns.backtest.baselines` (naive forecasts to beat), :mod:`~pawns.backtest.run`
(one or several cut-offs) and :mod:`~pawns.backtest.figure`. See docs/calibration.md.
"""
