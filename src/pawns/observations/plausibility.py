"""Bounds an imported observation must respect to be believed (``pawns data update``).

The General Staff's largest daily rise has been about 2,000; a rise of more than
``MAX_PERSONS_PER_DAY`` means another column or unit. DeepState's occupied area (Crimea and the
areas held since 2014 included) has never been below ~43,000 km2 nor moved by more than ~100 km2
a day since mid-2024; Ukraine, Crimea included, is 603,628 km2.
"""

from __future__ import annotations

import datetime as dt

FIRST_DAY = dt.date(2022, 2, 24)  # the invasion: no daily observation is dated before it
MAX_PERSONS_PER_DAY = 10_000
AREA_RANGE_KM2 = (40_000.0, 603_628.0)
MAX_AREA_CHANGE_KM2_PER_DAY = 3_000.0
