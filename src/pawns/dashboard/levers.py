"""The levers an analyst moves, derived from the scenario schema.

A lever reads one number (or date) from a scenario's tables and writes a new one back. Its
admissible range is the schema's (:func:`pawns.scenario.schema.admissible_range` for
parameters, the field's own bounds for plain fields such as ``horizon_days``) and its help is
the schema field's description, so neither is written a second time here. Which parameters
are levers is one table, :data:`PARAMETER_LEVERS`: a new mechanism's lever is one line there.

A parameter is usually a distribution. Moving its lever moves the distribution's centre (its
median) and scales the rest with it, so the spread across members stays as uncertain,
relatively, as the evidence made it; setting it to zero makes it a fixed zero.
"""

from __future__ import annotations

import datetime as dt
import math
import types
import typing
from dataclasses import dataclass
from typing import Any, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from pawns.scenario.distributions import ParamSpec
from pawns.scenario.schema import FIRST_DATE, LAST_DATE, UNIT_CEILINGS, Scenario, admissible_range

Value = Union[float, int, dt.date]

# Parameters analysts move, as dotted patterns of the scenario's keys ('*' stands for one name),
# with the label a control shows ('{0}' is the name the first '*' matched).
PARAMETER_LEVERS: tuple[tuple[str, str], ...] = (
    ("contingents.*.tour_days", "{0}: tour length"),
    ("contingents.*.substitution_share", "{0}: substitution share"),
    ("contributors.*.shells.deliveries.*.shells_per_day", "{0}: shells delivered per day (delivery {1})"),
    ("contributors.*.missiles.deliveries.*.missiles", "{0}: missiles delivered (tranche {1})"),
    ("contributors.*.artillery.deliveries.*.systems", "{0}: artillery systems delivered (tranche {1})"),
    ("supporters.*.shells_per_day_at_start", "{0}: shells delivered per day"),
    ("supporters.*.blocs.*.aid_eur_bn_per_year_at_start", "{1}: aid per year (EUR bn)"),
    ("supporters.*.blocs.*.shells_per_day_at_start", "{1}: shells delivered per day"),
    ("supporters.*.blocs.*.policy_change_per_year", "{1}: policy-change hazard per year"),
    ("supporters.*.blocs.*.fatigue_per_year", "{1}: support fatigue per year"),
)
# A note on every parameter a lever has moved, so the exported scenario says where its value came from.
MOVED_NOTE = "set in pawns dashboard: centre moved from {old:g} to {new:g}, spread scaled with it"
SHARE_NOTE = "set in pawns dashboard: the same share of every tranche in combat"


class LeverError(ValueError):
    """An entry a lever refuses: one line saying what was expected."""


# --- the schema, read ------------------------------------------------------------------------

def _unwrap(annotation: Any) -> Any:
    """The model class inside ``X | None``, ``dict[str, X]`` or ``list[X]`` (else the annotation itself)."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(inner[0]) if len(inner) == 1 else annotation
    if origin in (dict, list):
        return _unwrap(typing.get_args(annotation)[-1])
    return annotation


def schema_field(key: str) -> FieldInfo:
    """The schema's field for a dotted scenario key (names of sides, formations and list indices skipped).

    Raises
    ------
    KeyError
        When the schema has no such field.
    """
    model: Any = Scenario
    found: FieldInfo | None = None
    for part in key.split("."):
        fields = {(info.alias or name): info for name, info in model.model_fields.items()} if isinstance(model, type) and issubclass(model, BaseModel) else {}
        if part in fields:
            found = fields[part]
            model = _unwrap(found.annotation)
        elif found is not None and typing.get_origin(found.annotation) in (dict, list) or part.isdigit():
            continue  # a name in a table of named things, or an index in a list
        else:
            raise KeyError(key)
    if found is None:
        raise KeyError(key)
    return found


def field_bounds(info: FieldInfo) -> tuple[float, float]:
    """The inclusive range a plain integer field allows (its ``gt``/``ge``/``lt``/``le`` constraints)."""
    low, high = -math.inf, math.inf
    for rule in info.metadata:
        if getattr(rule, "gt", None) is not None:
            low = rule.gt + 1
        if getattr(rule, "ge", None) is not None:
            low = rule.ge
        if getattr(rule, "lt", None) is not None:
            high = rule.lt - 1
        if getattr(rule, "le", None) is not None:
            high = rule.le
    return low, high


def unit_words(key: str) -> str:
    """The unit of a parameter, as the schema's ranges name it (``persons``, ``days``; ``""`` for ratios)."""
    leaf = key.rsplit(".", 1)[-1]
    return next((words for matches, _, words in UNIT_CEILINGS if matches(leaf)), "")


# --- the tables of a scenario ----------------------------------------------------------------

def _node(raw: dict, key: str) -> Any:
    node: Any = raw
    for part in key.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _set(raw: dict, key: str, value: Any) -> None:
    parent, last = key.rsplit(".", 1)
    node = _node(raw, parent)
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _spec(node: Any) -> ParamSpec:
    return node if isinstance(node, ParamSpec) else ParamSpec.model_validate(node)


def recentred(node: Any, centre: float) -> dict[str, Any]:
    """A parameter's table with its median moved to ``centre`` and its spread scaled with it."""
    spec = _spec(node)
    old = spec.central()
    note = MOVED_NOTE.format(old=old, new=centre)
    if spec.is_fixed or old == 0 or centre == 0:
        return {"value": float(centre), "assumption": note}
    factor = centre / old
    scaled = {name: getattr(spec, name) * factor for name in ("value", "low", "high", "mode", "mean", "sd", "median")
              if getattr(spec, name) is not None}
    kept = {name: getattr(spec, name) for name in ("sigma", "alpha", "beta", "source") if getattr(spec, name) is not None}
    return {"dist": spec.dist, **scaled, **kept, "assumption": note}


def parameter_keys(node: Any, prefix: str = "") -> list[str]:
    """Dotted keys of every parameter table (or bare number) in a scenario's raw tables."""
    if isinstance(node, dict):
        if "dist" in node or "value" in node:
            return [prefix]
        return [key for name, child in node.items() for key in parameter_keys(child, f"{prefix}.{name}" if prefix else str(name))]
    if isinstance(node, list):
        return [key for index, child in enumerate(node) for key in parameter_keys(child, f"{prefix}.{index}")]
    if isinstance(node, (int, float)) and not isinstance(node, bool) and prefix.count(".") >= 1 and not prefix.startswith("scenario."):
        return [prefix]
    return []


# --- levers ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Lever:
    """One control: a value read from and written into a scenario's raw tables.

    Attributes
    ----------
    key
        The control's name: a dotted scenario key, or a contingent's key with a made-up last
        part for the levers that move several keys at once (``contingents.DPRK.size_persons``).
    label
        What the control says.
    help
        The schema's description of what the lever moves.
    unit
        Units of the value (``persons``, ``days``; empty for ratios).
    low, high, low_exclusive
        The admissible range, from the schema.
    """

    key: str
    label: str
    help: str
    unit: str
    low: float
    high: float
    low_exclusive: bool = False

    kind = "number"

    def read(self, raw: dict) -> Value:
        raise NotImplementedError

    def write(self, raw: dict, value: Value) -> None:
        raise NotImplementedError

    def expected(self) -> str:
        """The admissible range in words."""
        bracket = "(" if self.low_exclusive else "["
        return f"a number in {bracket}{_plain(self.low)}, {_plain(self.high)}]" + (f" {self.unit}" if self.unit else "")

    def parse(self, text: str) -> Value:
        """Read an entry; refuse a malformed or out-of-range one with :class:`LeverError`."""
        cleaned = str(text).strip().replace(",", "").replace("_", "").replace(" ", "")
        try:
            value = float(cleaned)
        except ValueError:
            raise LeverError(f"expected {self.expected()}, got {text!r}") from None
        if not math.isfinite(value) or value < self.low or value > self.high or (self.low_exclusive and value <= self.low):
            raise LeverError(f"expected {self.expected()}, got {text.strip()}")
        return value

    def format(self, value: Value) -> str:
        """The value as the control shows it (and :meth:`parse` reads it back)."""
        number = float(value)  # type: ignore[arg-type]
        return f"{number:.0f}" if number.is_integer() or abs(number) >= 100 else f"{number:.4g}"


@dataclass(frozen=True)
class ParameterLever(Lever):
    """A parameter's centre (median); its whole distribution moves with it.

    ``default`` is the parameter as the schema fills it in where the scenario leaves it out
    (e.g. a donor bloc with no policy-change hazard: a fixed zero).
    """

    default: Any = None

    def _spec_in(self, raw: dict) -> Any:
        try:
            return _node(raw, self.key)
        except (KeyError, IndexError):
            return self.default

    def read(self, raw: dict) -> Value:
        return _spec(self._spec_in(raw)).central()

    def write(self, raw: dict, value: Value) -> None:
        if value != self.read(raw):
            _set(raw, self.key, recentred(self._spec_in(raw), float(value)))  # type: ignore[arg-type]


@dataclass(frozen=True)
class IntegerLever(Lever):
    """A plain whole-number field of the scenario (``scenario.horizon_days``)."""

    kind = "integer"

    def read(self, raw: dict) -> Value:
        return int(_node(raw, self.key))

    def write(self, raw: dict, value: Value) -> None:
        _set(raw, self.key, int(value))  # type: ignore[arg-type]

    def expected(self) -> str:
        return f"a whole number from {self.low:,.0f} to {self.high:,.0f}" + (f" {self.unit}" if self.unit else "")

    def parse(self, text: str) -> Value:
        value = super().parse(text)
        if not float(value).is_integer():  # type: ignore[arg-type]
            raise LeverError(f"expected {self.expected()}, got {text.strip()}")
        return int(value)  # type: ignore[arg-type]


def _tranches(raw: dict, contingent: str) -> list[dict]:
    return raw["contingents"][contingent].get("tranches", [])


@dataclass(frozen=True)
class ContingentSizeLever(Lever):
    """A contingent's total size: the sum of its tranches' medians, every tranche scaled alike."""

    contingent: str = ""

    def read(self, raw: dict) -> Value:
        return sum(_spec(t["size_persons"]).central() for t in _tranches(raw, self.contingent))

    def write(self, raw: dict, value: Value) -> None:
        tranches = _tranches(raw, self.contingent)
        old = float(self.read(raw))
        if not tranches or value == old:
            return
        for tranche in tranches:
            share = _spec(tranche["size_persons"]).central() / old if old > 0 else 1 / len(tranches)
            tranche["size_persons"] = recentred(tranche["size_persons"], float(value) * share)  # type: ignore[arg-type]


@dataclass(frozen=True)
class CombatShareLever(Lever):
    """The share of a contingent sent to combat (the rest works as labor), the same for every tranche."""

    contingent: str = ""

    def read(self, raw: dict) -> Value:
        table = raw["contingents"][self.contingent]
        tranches = _tranches(raw, self.contingent)
        if table.get("role") in ("combat", "labor"):
            return 1.0 if table["role"] == "combat" else 0.0
        sizes = [_spec(t["size_persons"]).central() for t in tranches]
        shares = [1.0 if t.get("role", "combat") == "combat" else 0.0 if t["role"] == "labor" else _spec(t["combat_share"]).central()
                  for t in tranches]
        total = sum(sizes)
        return sum(s * w for s, w in zip(shares, sizes)) / total if total > 0 else (shares[0] if shares else 1.0)

    def write(self, raw: dict, value: Value) -> None:
        if value == self.read(raw):
            return
        raw["contingents"][self.contingent].pop("role", None)
        share = float(value)  # type: ignore[arg-type]
        for tranche in _tranches(raw, self.contingent):
            tranche.pop("combat_share", None)
            if share in (0.0, 1.0):
                tranche["role"] = "combat" if share == 1.0 else "labor"
            else:
                tranche["role"] = "split"
                tranche["combat_share"] = {"value": share, "assumption": SHARE_NOTE}


@dataclass(frozen=True)
class ArrivalLever(Lever):
    """When a contingent's first tranche arrives; the later tranches keep their spacing."""

    contingent: str = ""
    kind = "date"

    def read(self, raw: dict) -> Value:
        return min(t["date"] for t in _tranches(raw, self.contingent))

    def write(self, raw: dict, value: Value) -> None:
        shift = value - self.read(raw)  # type: ignore[operator]
        for tranche in _tranches(raw, self.contingent):
            tranche["date"] = tranche["date"] + shift

    def expected(self) -> str:
        return f"a date YYYY-MM-DD from {FIRST_DATE} to {LAST_DATE}"

    def parse(self, text: str) -> Value:
        try:
            value = dt.date.fromisoformat(str(text).strip())
        except ValueError:
            raise LeverError(f"expected {self.expected()}, got {text!r}") from None
        if not FIRST_DATE <= value <= LAST_DATE:
            raise LeverError(f"expected {self.expected()}, got {value}")
        return value

    def format(self, value: Value) -> str:
        return str(value)


def _plain(number: float) -> str:
    """A bound as a person writes it: ``10,000,000,000`` rather than ``1e+10``."""
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:g}"


def _parameter_lever(key: str, label: str, default: Any) -> ParameterLever:
    low, high, exclusive = admissible_range(key)
    return ParameterLever(key, label, schema_field(key).description or "", unit_words(key), low, high, exclusive, default=default)


def _contingent_levers(raw: dict, name: str) -> list[Lever]:
    if not _tranches(raw, name):
        return []
    base = f"contingents.{name}"
    size_key, share_key = f"{base}.tranches.0.size_persons", f"{base}.tranches.0.combat_share"
    low, high, exclusive = admissible_range(size_key)
    size = ContingentSizeLever(f"{base}.size_persons", f"{name}: contingent size", "persons sent in all, over every tranche "
                               "(each tranche scaled alike)", unit_words(size_key), low, high, exclusive, contingent=name)
    low, high, exclusive = admissible_range(share_key)
    share = CombatShareLever(f"{base}.combat_share", f"{name}: share in combat (role mix)",
                             "share of every tranche sent to combat; the rest work as labor (0: all labor, 1: all combat)", "",
                             low, high, exclusive, contingent=name)
    arrival = ArrivalLever(f"{base}.first_arrival", f"{name}: first arrival (schedule)",
                           "date of the first tranche; later tranches keep their spacing", "", 0.0, 0.0, contingent=name)
    return [size, arrival, share]


def scenario_levers(raw: dict, scenario: Scenario) -> list[Lever]:
    """The levers of a scenario (its resolved raw tables, and as validated), in the order the controls show them.

    Parameter levers are found in the validated scenario, so a parameter the scenario leaves to
    the schema's neutral default (a bloc without a policy-change hazard) is a lever too.
    """
    horizon_key = "scenario.horizon_days"
    info = schema_field(horizon_key)
    low, high = field_bounds(info)
    levers: list[Lever] = [IntegerLever(horizon_key, "Horizon", info.description or "days simulated from the start date", "days",
                                        low, high)]
    for name in raw.get("contingents", {}):
        levers += _contingent_levers(raw, name)
    validated = scenario.model_dump(by_alias=True, exclude_none=True)
    keys = parameter_keys(validated)
    for pattern, label in PARAMETER_LEVERS:
        for key in keys:
            names = matched_names(pattern, key)
            if names is not None:
                shown = [str(int(name) + 1) if name.isdigit() else name for name in names]  # deliveries counted from 1
                levers.append(_parameter_lever(key, label.format(*shown), _node(validated, key)))
    return levers


def matched_names(pattern: str, key: str) -> list[str] | None:
    """The names ``key`` puts where ``pattern`` has ``*`` (``None`` when it does not match)."""
    parts, wanted = key.split("."), pattern.split(".")
    if len(parts) != len(wanted) or any(w != "*" and w != p for p, w in zip(parts, wanted)):
        return None
    return [p for p, w in zip(parts, wanted) if w == "*"]
