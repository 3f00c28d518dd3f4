"""The scenario a dashboard starts from, the settings an analyst makes of it, and their TOML.

:class:`Base` loads a scenario once the way every command does (file or built-in, ``extends``,
``--set``, the evidence ledger) and keeps its resolved tables. :class:`Settings` are lever
values plus members and seed; :meth:`Base.apply` writes them into a copy of the tables and
validates the result with the schema, so a setting the schema refuses is refused here too, in
the same one line. :func:`scenario_toml` writes the tables back as a scenario file that
``pawns validate`` accepts.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from pawns.dashboard.levers import Lever, LeverError, Value, scenario_levers
from pawns.errors import PawnsError, ScenarioError
from pawns.evidence.bindings import resolve_ledger_params
from pawns.limits import MAX_SEED
from pawns.scenario.loader import load_raw, validate_raw
from pawns.scenario.schema import NAME_PATTERN, NAME_WORDS, Scenario

# Members of one interactive run: trajectories of every member are kept in memory for the fan
# charts, as `pawns run` keeps them up to its own limit; a larger ensemble is a job for `pawns run`.
MAX_MEMBERS = 100_000


@dataclass(frozen=True)
class Settings:
    """What the analyst has set: lever values by lever key (only those moved), members and seed."""

    values: tuple[tuple[str, Value], ...] = ()
    members: int = 1000
    seed: int = 0

    def with_value(self, key: str, value: Value) -> "Settings":
        kept = tuple((k, v) for k, v in self.values if k != key)
        return Settings((*kept, (key, value)), self.members, self.seed)

    def as_dict(self) -> dict[str, Value]:
        return dict(self.values)

    def pairs_with(self, other: "Settings") -> bool:
        """Whether member i of a run of each shares its draws (common random numbers)."""
        return self.members == other.members and self.seed == other.seed


def parse_members(text: str) -> int:
    """Members of a run, from 1 to :data:`MAX_MEMBERS`."""
    return _whole(text, 1, MAX_MEMBERS, "members")


def parse_seed(text: str) -> int:
    """A seed from 0 to 2**63 - 1 (:data:`pawns.limits.MAX_SEED`)."""
    return _whole(text, 0, MAX_SEED, "seed")


def _whole(text: str, low: int, high: int, what: str) -> int:
    cleaned = str(text).strip().replace(",", "").replace("_", "")
    if not cleaned.isdigit() or not low <= int(cleaned) <= high:
        raise LeverError(f"expected a whole number of {what} from {low:,} to {high:,}, got {str(text).strip()!r}")
    return int(cleaned)


@dataclass(frozen=True)
class Applied:
    """Settings written into the scenario: its tables and the validated scenario."""

    raw: dict
    scenario: Scenario


@dataclass(frozen=True)
class Base:
    """A scenario as loaded, with its levers.

    Attributes
    ----------
    source
        The scenario as the analyst named it (built-in name or file).
    label
        Its name in messages.
    raw
        Its resolved tables (``extends`` merged, overrides applied, ledger parameters bound).
    scenario
        The validated scenario.
    levers
        Its levers, in display order.
    """

    source: str
    label: str
    raw: dict
    scenario: Scenario
    levers: tuple[Lever, ...] = field(default=())

    @classmethod
    def load(cls, name_or_path: str, overrides: Iterable[str] = ()) -> "Base":
        """Load a scenario as every command does.

        Raises
        ------
        ScenarioError
            On any problem with the scenario, as one line.
        """
        label, raw = load_raw(name_or_path, overrides)
        raw = resolve_ledger_params(label, raw)
        scenario = validate_raw(label, raw)
        return cls(name_or_path, label, raw, scenario, tuple(scenario_levers(raw, scenario)))

    def lever(self, key: str) -> Lever:
        return next(lever for lever in self.levers if lever.key == key)

    def value(self, key: str, settings: Settings) -> Value:
        """The value a lever has under ``settings`` (the scenario's own where it was not moved)."""
        return settings.as_dict().get(key, self.lever(key).read(self.raw))

    def apply(self, settings: Settings, name: str | None = None) -> Applied:
        """Write ``settings`` into a copy of the tables and validate them.

        Raises
        ------
        ScenarioError
            When the schema refuses the result (e.g. a tranche moved before the start date).
        """
        raw = copy.deepcopy(self.raw)
        for key, value in settings.values:
            self.lever(key).write(raw, value)
        if name is not None:
            raw["scenario"]["name"] = name
        return Applied(raw, validate_raw(self.label, raw))


def check_name(name: str) -> str:
    """A scenario (and export folder) name; refuses anything but a short slug, so no input names a path."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name.strip()):
        raise PawnsError(f"export name {name!r}: expected {NAME_WORDS}")
    return name.strip()


def scenario_toml(applied: Applied, source: str, settings: Settings) -> str:
    """The settings as a self-contained scenario file (``pawns validate`` accepts it)."""
    import tomli_w

    raw = copy.deepcopy(applied.raw)
    meta = raw["scenario"]
    for key in ("extends", "remove"):
        meta.pop(key, None)
    moved = ", ".join(f"{key} = {value}" for key, value in settings.values) or "nothing moved"
    header = (f"# {meta['name']}: written by pawns dashboard from {source} on {dt.date.today()}.\n"
              f"# Levers moved: {moved}. Run it with: pawns run FILE -n {settings.members} --seed {settings.seed}\n")
    return header + tomli_w.dumps(_plain(raw))


def _plain(node: Any) -> Any:
    """Tables as TOML writes them: no ``None`` values (the schema's defaults stand for them)."""
    if isinstance(node, Mapping):
        return {str(k): _plain(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
