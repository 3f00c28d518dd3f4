"""Where back-tests start: the cut-offs (``--origins``) and the horizons (``--horizons``).

A cut-off is the last day of data a forecast may use; the forecast starts the day after it.

* ``monthly:2024-01..2025-12`` — a forecast made at the start of every month of the range: the
  cut-offs are the last day of each month before (2023-12-31, 2024-01-31, ..., 2025-11-30).
* ``2024-06-30`` or ``2024-03-31,2024-06-30`` — the cut-offs themselves.
"""

from __future__ import annotations

import datetime as dt
import re

from pawns.errors import PawnsError

MONTHLY = re.compile(r"monthly:(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})")
MAX_ORIGINS = 600  # fifty years of monthly cut-offs; more is a typo
MAX_HORIZON_DAYS = 36500  # as a scenario's horizon


def parse_origins(spec: str) -> list[dt.date]:
    """The cut-offs of an ``--origins`` specification, sorted and without repeats.

    Raises
    ------
    PawnsError
        For anything but ``monthly:YYYY-MM..YYYY-MM`` or a comma-separated list of ISO dates.
    """
    text = spec.strip()
    expected = "monthly:YYYY-MM..YYYY-MM (e.g. monthly:2024-01..2025-12) or ISO dates separated by commas"
    match = MONTHLY.fullmatch(text)
    if match:
        first_year, first_month, last_year, last_month = (int(g) for g in match.groups())
        if not (1 <= first_month <= 12 and 1 <= last_month <= 12 and 1 <= first_year):
            raise PawnsError(f"--origins expects {expected}, got {spec!r} (no such month)")
        first, last = 12 * first_year + first_month - 1, 12 * last_year + last_month - 1
        if last < first:
            raise PawnsError(f"--origins: the range {spec!r} ends before it starts")
        if last - first + 1 > MAX_ORIGINS:
            raise PawnsError(f"--origins: {last - first + 1} months is more than {MAX_ORIGINS} cut-offs")
        return [dt.date(m // 12, m % 12 + 1, 1) - dt.timedelta(days=1) for m in range(first, last + 1)]
    try:
        dates = sorted({dt.date.fromisoformat(part.strip()) for part in text.split(",")})
    except ValueError:
        raise PawnsError(f"--origins expects {expected}, got {spec!r}") from None
    if len(dates) > MAX_ORIGINS:
        raise PawnsError(f"--origins: {len(dates)} dates is more than {MAX_ORIGINS} cut-offs")
    return dates


def parse_horizons(spec: str) -> list[int]:
    """The horizons (days) of a ``--horizons`` specification such as ``30,90,180,365``, sorted and without repeats."""
    parts = [part.strip() for part in spec.split(",")]
    if not all(re.fullmatch(r"[0-9]{1,6}", part) for part in parts):
        raise PawnsError(f"--horizons expects whole numbers of days separated by commas (e.g. 30,90,180,365), got {spec!r}")
    horizons = sorted({int(part) for part in parts})
    if horizons[0] < 1 or horizons[-1] > MAX_HORIZON_DAYS:
        raise PawnsError(f"--horizons: each horizon must be between 1 and {MAX_HORIZON_DAYS} days, got {spec!r}")
    return horizons
