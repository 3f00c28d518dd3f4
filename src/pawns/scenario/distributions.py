"""Parameter specifications: a fixed value or a distribution, each with its provenance.

Every distribution is sampled by inverse transform: ``ppf(u)`` maps uniforms in (0, 1) to
values. Uniforms come from the engine's counter-based generator, so a member's draw depends
only on (seed, member, parameter name) -- never on how many members run, or in what order.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

DistName = Literal["fixed", "uniform", "triangular", "truncnormal", "lognormal", "beta"]
# The keys each distribution needs, and those it may have besides (bounds that truncate it).
SHAPE_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fixed": (("value",), ()),
    "uniform": (("low", "high"), ()),
    "triangular": (("low", "mode", "high"), ()),
    "truncnormal": (("mean", "sd", "low", "high"), ()),
    "lognormal": (("median", "sigma"), ("low", "high")),
    "beta": (("alpha", "beta"), ("low", "high")),
}
SHAPE_FIELDS = ("value", "low", "high", "mode", "mean", "sd", "median", "sigma", "alpha", "beta")


class ParamSpec(BaseModel):
    """One model parameter: a fixed value or a distribution, with where it comes from.

    Written in TOML either as a bare number (fixed, no provenance) or as a table, e.g.
    ``{dist = "triangular", low = 1000, mode = 1250, high = 1550, source = "UK MoD, Nov 2024"}``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    dist: DistName = "fixed"
    value: float | None = None
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = Field(default=None, gt=0)
    median: float | None = Field(default=None, gt=0)
    sigma: float | None = Field(default=None, gt=0)
    alpha: float | None = Field(default=None, gt=0)
    beta: float | None = Field(default=None, gt=0)
    source: str | None = None
    evidence: str | None = None
    assumption: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, data: object) -> object:
        # A bare number is a fixed value with no provenance.
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            return {"dist": "fixed", "value": float(data)}
        if not isinstance(data, (dict, ParamSpec)):
            raise ValueError("a number or a table such as { dist = \"uniform\", low = 1, high = 2, source = \"...\" }")
        return data

    @model_validator(mode="after")
    def _check_fields(self) -> "ParamSpec":
        required, optional = SHAPE_KEYS[self.dist]
        missing = [name for name in required if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a '{self.dist}' distribution needs {', '.join(missing)}")
        # A key another distribution uses would be silently ignored here (mean = 0.15 in a uniform).
        stray = [name for name in SHAPE_FIELDS if getattr(self, name) is not None and name not in required + optional]
        if stray:
            allowed = ", ".join(required + optional)
            raise ValueError(f"a '{self.dist}' distribution takes {allowed} (and source, evidence, assumption), "
                             f"not {', '.join(stray)}")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        if self.dist == "triangular" and not (self.low <= self.mode <= self.high):  # type: ignore[operator]
            raise ValueError("triangular needs low <= mode <= high")
        if self.dist == "truncnormal" and self.low == self.high:
            raise ValueError("truncnormal needs low < high")
        return self

    # -- summaries ---------------------------------------------------------------------------
    @property
    def is_fixed(self) -> bool:
        """Whether every member gets the same value."""
        return self.dist == "fixed"

    def bounds(self) -> tuple[float, float]:
        """The support of the distribution (may be infinite for an untruncated lognormal)."""
        if self.dist == "fixed":
            return (float(self.value), float(self.value))  # type: ignore[arg-type]
        if self.dist == "beta":
            return (self.low if self.low is not None else 0.0, self.high if self.high is not None else 1.0)
        if self.dist == "lognormal":
            return (self.low if self.low is not None else 0.0, self.high if self.high is not None else math.inf)
        return (float(self.low), float(self.high))  # type: ignore[arg-type]

    def central(self) -> float:
        """A central value (the median), used where one number must stand for the distribution."""
        return float(self.ppf(np.array([0.5]))[0])

    def describe(self) -> str:
        """A short human-readable form, e.g. ``triangular(1000, 1250, 1550)``."""
        if self.dist == "fixed":
            return f"{self.value:g}"
        if self.dist == "uniform":
            return f"uniform({self.low:g}, {self.high:g})"
        if self.dist == "triangular":
            return f"triangular({self.low:g}, {self.mode:g}, {self.high:g})"
        if self.dist == "truncnormal":
            return f"truncnormal(mean={self.mean:g}, sd={self.sd:g}, [{self.low:g}, {self.high:g}])"
        if self.dist == "lognormal":
            text = f"lognormal(median={self.median:g}, sigma={self.sigma:g})"
            return text if self.low is None and self.high is None else f"{text} in [{self.bounds()[0]:g}, {self.bounds()[1]:g}]"
        low, high = self.bounds()
        return f"beta({self.alpha:g}, {self.beta:g}) on [{low:g}, {high:g}]"

    def provenance(self) -> str:
        """Source, evidence binding or assumption, whichever the scenario gives."""
        parts = []
        if self.evidence:
            parts.append(f"evidence: {self.evidence}")
        if self.source:
            parts.append(self.source)
        if self.assumption:
            parts.append(f"assumption: {self.assumption}")
        return "; ".join(parts) if parts else "(no source given)"

    # -- sampling ----------------------------------------------------------------------------
    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Quantile function: map uniforms ``u`` in (0, 1) to parameter values.

        Parameters
        ----------
        u
            Array of uniforms strictly inside (0, 1).

        Returns
        -------
        numpy.ndarray
            Values with the same shape as ``u`` (float64).
        """
        u = np.asarray(u, dtype=np.float64)
        if self.dist == "fixed":
            return np.full_like(u, float(self.value))  # type: ignore[arg-type]
        if self.dist == "uniform":
            return self.low + (self.high - self.low) * u  # type: ignore[operator]
        if self.dist == "triangular":
            return _triangular_ppf(u, self.low, self.mode, self.high)  # type: ignore[arg-type]
        from scipy import special

        if self.dist == "truncnormal":
            a = special.ndtr((self.low - self.mean) / self.sd)  # type: ignore[operator]
            b = special.ndtr((self.high - self.mean) / self.sd)  # type: ignore[operator]
            x = self.mean + self.sd * special.ndtri(a + (b - a) * u)  # type: ignore[operator]
            return np.clip(x, self.low, self.high)
        if self.dist == "lognormal":
            low, high = self.bounds()
            mu = math.log(self.median)  # type: ignore[arg-type]
            a = special.ndtr((math.log(low) - mu) / self.sigma) if low > 0 else 0.0  # type: ignore[operator]
            b = special.ndtr((math.log(high) - mu) / self.sigma) if math.isfinite(high) else 1.0  # type: ignore[operator]
            x = np.exp(mu + self.sigma * special.ndtri(a + (b - a) * u))  # type: ignore[operator]
            return np.clip(x, low, high)
        low, high = self.bounds()
        return low + (high - low) * special.betaincinv(self.alpha, self.beta, u)


def _triangular_ppf(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    if high == low:
        return np.full_like(u, low)
    split = (mode - low) / (high - low)
    left = low + np.sqrt(u * (high - low) * (mode - low))
    right = high - np.sqrt((1.0 - u) * (high - low) * (high - mode))
    return np.where(u < split, left, right)


def fixed(value: float, source: str | None = None) -> ParamSpec:
    """A fixed parameter (convenience for code and tests)."""
    return ParamSpec(dist="fixed", value=value, source=source)
