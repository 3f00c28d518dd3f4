"""The records of the evidence ledger: dated claims about named quantities.

A claim is what one claimant said, through one outlet, about one quantity at one date. It is
not a fact: its grade says how far to trust it, and reconciliation (``reconcile.py``) turns
the claims about a quantity into a distribution.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Bound = Literal["estimate", "lower", "upper"]
BOUNDS: tuple[str, ...] = ("estimate", "lower", "upper")
RELIABILITY = "ABCDEF"
CREDIBILITY = "123456"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class FuzzyDate:
    """A date known to the year, the month or the day, as sources give them.

    ``"2024"`` is an annual figure or a date known only to the year; ``"2024-10"`` a month.
    """

    text: str
    earliest: dt.date
    latest: dt.date

    @classmethod
    def parse(cls, text: str) -> "FuzzyDate":
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        Raises
        ------
        ValueError
            If ``text`` is none of these, or not a real calendar date.
        """
        match = _DATE.match(text.strip())
        if not match:
            raise ValueError("a date written YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(part) if part else None for part in match.groups())
        if month is None:
            return cls(text, dt.date(year, 1, 1), dt.date(year, 12, 31))  # type: ignore[arg-type]
        if not 1 <= month <= 12:
            raise ValueError("a month between 01 and 12")
        if day is None:
            last = calendar.monthrange(year, month)[1]  # type: ignore[arg-type]
            return cls(text, dt.date(year, month, 1), dt.date(year, month, last))  # type: ignore[arg-type]
        date = dt.date(year, month, day)  # type: ignore[arg-type]
        return cls(text, date, date)

    @property
    def middle(self) -> dt.date:
        """The middle of the period: the date used for recency weights."""
        return self.earliest + (self.latest - self.earliest) / 2

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Quantity:
    """A quantity the ledger holds claims about.

    Attributes
    ----------
    id
        Identifier used by claims and by scenario bindings (``evidence = "..."``).
    unit
        The unit claims are converted to before they are reconciled.
    description
        What is measured, in a phrase.
    subject
        Whose quantity it is (``RU``, ``UA``, or ``""`` for neither belligerent); DPRK troops
        fighting for Russia count as ``RU``. Decides whether a belligerent claimant speaks of
        its enemy.
    kind
        ``quantitative`` (claims reconcile into a distribution) or ``qualitative`` (reported
        events and judgements; claims are listed, never reconciled).
    spread
        Log-scale standard deviation given to a single point claim (its own imprecision).
    half_life_days
        Recency: a claim this many days from the reference date weighs half as much.
    enemy_bias
        Factor by which a belligerent is taken to overstate this quantity of its enemy; an
        enemy claim is divided by it before it is reconciled (1: no correction).
    """

    id: str
    unit: str
    description: str
    subject: str = ""
    kind: Literal["quantitative", "qualitative"] = "quantitative"
    spread: float = 0.15
    half_life_days: float = 365.0
    enemy_bias: float = 1.0


@dataclass(frozen=True)
class Claim:
    """One dated, sourced claim.

    Attributes
    ----------
    id
        Stable identifier (e.g. ``Q3-037``), cited by scenario sources.
    quantity
        Ledger quantity id.
    low, high
        The value, or the range the claimant gave (``low == high`` for a point).
    unit
        Unit of ``low`` and ``high``.
    bound
        ``estimate``, or ``lower`` / ``upper`` when the claim only says "at least" / "at most".
    as_of
        The date the value refers to.
    published
        When the claim was published (the vantage-date cut-off uses its latest possible day).
    claimant, outlet, url
        Who said it, where it was reported, and the address of the report.
    paraphrase
        The claim in the project's own words.
    about_enemy
        Whether the claimant is a belligerent speaking of the other side.
    reliability, credibility
        Admiralty grades: source reliability ``A``-``F`` and information credibility ``1``-``6``.
    grade_reason
        Which grading rule gave the grades.
    file, row
        Where the claim is written (for messages).
    """

    id: str
    quantity: str
    low: float
    high: float
    unit: str
    bound: str
    as_of: FuzzyDate
    published: FuzzyDate
    claimant: str
    outlet: str
    url: str
    paraphrase: str
    about_enemy: bool
    reliability: str
    credibility: str
    grade_reason: str = ""
    notes: str = ""
    file: str = ""
    row: int = 0

    @property
    def grade(self) -> str:
        """The Admiralty grade, e.g. ``B2``."""
        return f"{self.reliability}{self.credibility}"

    @property
    def is_range(self) -> bool:
        """Whether the claimant gave a range rather than a single value."""
        return self.high > self.low

    def published_by(self, date: dt.date) -> bool:
        """Whether the claim was certainly published on or before ``date``."""
        return self.published.latest <= date

    def value_text(self) -> str:
        """The value as written, e.g. ``10,000-12,000`` or ``>= 1,200``."""
        value = _number(self.low) if not self.is_range else f"{_number(self.low)}–{_number(self.high)}"
        return {"lower": f"≥ {value}", "upper": f"≤ {value}"}.get(self.bound, value)


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4g}"
