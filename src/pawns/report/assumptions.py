"""The assumptions section: every parameter with what it is drawn from and its sources, and how to reproduce the run."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from pawns.analysis.wording import number
from pawns.errors import PawnsError
from pawns.evidence import load_scenario
from pawns.evidence.ledger import load_ledger
from pawns.model.space import ParameterSpace
from pawns.report.rundir import COMPARISON, RunData
from pawns.scenario import builtin_names
from pawns.scenario.posterior import scenario_posterior
from pawns.scenario.schema import parameter_group

if TYPE_CHECKING:  # pragma: no cover
    from pawns.scenario.schema import Scenario

CLAIM_ID = re.compile(r"\b(Q\d+-\d{3})\b")
DEFAULT_RECORD_EVERY = 7


@dataclass(frozen=True)
class ParameterRow:
    """One parameter as the report lists it (``source_html`` is escaped HTML with links)."""

    name: str
    drawn_from: str
    drawn: str
    source_html: str


@dataclass(frozen=True)
class ClaimLinks:
    """Addresses of the evidence ledger's claims by id, and why there are none if so."""

    urls: dict[str, str]
    problem: str = ""

    def link(self, text: str) -> str:
        """Escape ``text`` for HTML and turn every claim id in it into a link to the claim's report."""
        def replace(match: re.Match) -> str:
            url = self.urls.get(match.group(1))
            if not url:
                return match.group(1)
            return f'<a href="{html.escape(url, quote=True)}" rel="noreferrer">{match.group(1)}</a>'
        return CLAIM_ID.sub(replace, html.escape(text))


def claim_links() -> ClaimLinks:
    """The claim addresses of the evidence ledger shipped with pawns.

    A report is still useful without them (claim ids stay readable), so a missing or defective
    ledger is reported in the page rather than stopping it.
    """
    try:
        ledger = load_ledger()
    except (OSError, PawnsError) as exc:
        return ClaimLinks({}, f"claim ids are not linked: the evidence ledger could not be read ({str(exc).splitlines()[0]})")
    return ClaimLinks({claim.id: claim.url for claim in ledger.claims if claim.url})


@dataclass(frozen=True)
class ParameterSource:
    """What a scenario's members draw their parameters from: their distributions, and any posterior.

    ``problem`` says why a posterior the scenario names could not be read (the page says so,
    rather than call its parameters' priors what they were drawn from).
    """

    space: ParameterSpace
    problem: str = ""

    @property
    def note(self) -> str:
        """One sentence on the posterior, or on why it could not be read ("" without one)."""
        calibrated = self.space.calibrated()
        if self.problem:
            return self.problem
        if not calibrated:
            return ""
        posterior = self.space.posterior
        return (f"{len(calibrated)} parameters are drawn jointly from the calibrated posterior ({Path(posterior.path).name}, "
                f"{len(posterior.weights):,} weighted draws): 'posterior (prior ...)' names the prior the calibration started from; "
                "the values drawn are the posterior's.")


def parameter_source(scenario: "Scenario") -> ParameterSource:
    """The parameter space of ``scenario`` with the posterior it names, read if it can be."""
    try:
        posterior = scenario_posterior(scenario)
    except PawnsError as exc:
        space = ParameterSpace.from_scenario(scenario, None)
        return ParameterSource(space, f"The scenario draws some parameters from a calibrated posterior ({scenario.meta.posterior}) "
                                      f"that could not be read here ({str(exc).splitlines()[0]}); the distributions shown for them "
                                      "are their priors.")
    return ParameterSource(ParameterSpace.from_scenario(scenario, posterior))


def parameter_rows(scenario: "Scenario", links: ClaimLinks, drawn: dict[str, np.ndarray] | None = None,
                   source: ParameterSource | None = None) -> list[ParameterRow]:
    """Every parameter of ``scenario``: what it is drawn from, the values drawn across members, its source."""
    space = (source or parameter_source(scenario)).space
    groups: dict[str, list[int]] = {}
    for k, name in enumerate(space.names):
        groups.setdefault(parameter_group(name), []).append(k)
    rows = []
    for group, members in groups.items():
        first, spec = space.names[members[0]], space.specs[members[0]]
        found = [drawn[space.names[k]] for k in members if space.names[k] in drawn] if drawn is not None else []
        shown = ""
        if found and not spec.is_fixed:  # a group's values are pooled over its members (a drift's path: all its blocks)
            low, median, high = np.quantile(np.concatenate(found), [0.05, 0.5, 0.95])
            shown = f"{_value(median)} [{_value(low)}, {_value(high)}]"
        drawn_from = space.drawn_from(first) if len(members) == 1 else f"{len(members)} values, one per block, each {space.drawn_from(first)}"
        rows.append(ParameterRow(group, drawn_from, shown, links.link(spec.provenance())))
    return rows


def _value(x: float) -> str:
    """Large values with thousands separators, small ones to three significant digits."""
    return number(x) if abs(x) >= 100 else f"{x:.3g}"


def drawn_values(run: RunData) -> dict[str, np.ndarray] | None:
    """The parameter values drawn for each member of a run (``None`` for a comparison)."""
    if run.dataset is None:
        return None
    ds = run.dataset
    return {str(name): ds["parameters"].values[:, i] for i, name in enumerate(ds["parameter"].values)}


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted keys of a nested dump; a distribution (a dict with ``dist``) stays one value."""
    if isinstance(data, dict) and "dist" not in data:
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(_flatten(value, f"{prefix}{key}."))
        return out
    return {prefix[:-1]: data}


def differences_from_builtin(scenario: "Scenario") -> tuple[bool, list[str]]:
    """Whether the run's scenario is a built-in one, and each key where the run differs from it."""
    name = scenario.meta.name
    if name not in builtin_names():
        return False, []
    try:
        builtin = load_scenario(name)
    except PawnsError as exc:
        return True, [f"the built-in scenario no longer loads ({exc})"]
    ours, theirs = _flatten(scenario.model_dump(mode="json")), _flatten(builtin.model_dump(mode="json"))
    keys = sorted(set(ours) | set(theirs))
    return True, [f"{key} = {_short(ours.get(key))} (built-in: {_short(theirs.get(key))})" for key in keys if ours.get(key) != theirs.get(key)]


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if v is not None and k in ("dist", "value", "low", "mode", "high", "mean", "sd", "median", "sigma", "alpha", "beta"))
    return "absent" if value is None else str(value)


def reproduction(run: RunData) -> list[str]:
    """Sentences (plain text) that say how to get the same numbers again."""
    s = run.summary
    lines = [f"Written by pawns {run.version}; seed {s['seed']}; {s['members']:,} members; horizon {s['horizon_days']} days. "
             "The same scenario, seed and members give bit-identical results, whatever the chunk size."]
    if run.kind == COMPARISON:
        names = " ".join(sc.meta.name for sc in run.scenarios)
        lines.append(f"Command: pawns compare {names} -n {s['members']} --seed {s['seed']}")
    else:
        command = f"pawns run {run.scenario.meta.name} -n {s['members']} --seed {s['seed']}"
        days = run.dataset["day"].values if run.dataset is not None and "day" in run.dataset.coords else np.array([])
        if days.size > 1 and int(days[1] - days[0]) != DEFAULT_RECORD_EVERY:
            command += f" --record-every {int(days[1] - days[0])}"
        if run.outcomes_only:
            command += " --outcomes-only"
        lines.append(f"Command: {command}")
    for scenario in run.scenarios:
        builtin, differences = differences_from_builtin(scenario)
        name = scenario.meta.name
        if not builtin:
            lines.append(f"{name} is not a built-in scenario: load it from its TOML file; scenario.json in the results directory holds it as resolved.")
        elif differences:
            lines.append(f"{name} differs from the built-in scenario of that name (overrides given with --set, or the built-in has changed since): "
                         + "; ".join(differences))
        else:
            lines.append(f"{name} is the built-in scenario, unchanged.")
    return lines
