"""``pawns evidence --check``: is every parameter of a scenario traceable?

Errors (the check fails):
- the ledger has a defect (malformed date, URL, unit, range, grade; unknown quantity; duplicate id);
- the scenario does not load;
- a parameter written in the scenario has neither ``evidence`` nor ``assumption``;
- a parameter's ``evidence`` names no ledger quantity, or a quantity with no claim published by
  the vantage date;
- a parameter cites a claim id that is not in the ledger, or one published after the vantage date.

Warnings (reported, the check passes):
- any of the above for a parameter left at its schema default (not written in the scenario);
- an explicit distribution whose range does not cover the reconciled median of its evidence
  (not for ``derived:`` sources, which are arithmetic on the quantity, not the quantity itself).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pawns.errors import PawnsError
from pawns.evidence.bindings import LEDGER_SOURCE_PREFIX, cited_claims
from pawns.evidence.ledger import Ledger, LedgerError, load_ledger
from pawns.evidence.reconcile import EvidenceError, reconcile
from pawns.evidence.scenarios import load_scenario
from pawns.scenario.distributions import ParamSpec
from pawns.scenario.parameters import default_params, iter_params
from pawns.scenario.schema import Scenario


@dataclass(frozen=True)
class Finding:
    """One problem found by the check."""

    level: str  # "error" or "warning"
    scenario: str
    parameter: str
    message: str

    def __str__(self) -> str:
        where = f"{self.scenario}: {self.parameter}" if self.parameter else self.scenario
        return f"{self.level}: {where}: {self.message}"


def check_ledger() -> tuple[Ledger | None, list[Finding]]:
    """Load the ledger in use; every defect becomes an error finding."""
    try:
        return load_ledger(), []
    except LedgerError as exc:
        return None, [Finding("error", "ledger", "", problem) for problem in exc.problems]


def check_scenario(name: str) -> list[Finding]:
    """Every finding for the scenario ``name`` (a built-in name or a path), ledger defects first."""
    ledger, findings = check_ledger()
    if ledger is None:
        return findings
    try:
        scenario = load_scenario(name)
    except PawnsError as exc:
        return [Finding("error", name, "", str(exc))]
    return findings + check_loaded(scenario, ledger)


def check_loaded(scenario: Scenario, ledger: Ledger) -> list[Finding]:
    """Every finding for the parameters of a scenario already loaded (e.g. with its vantage date moved)."""
    meta = scenario.meta
    vantage = meta.vantage_date or meta.start_date
    defaults = set(default_params(scenario))
    findings: list[Finding] = []
    for pname, spec in iter_params(scenario):
        findings += _check_parameter(meta.name, pname, spec, pname in defaults, ledger, meta.start_date, vantage)
    return findings


def _check_parameter(scenario: str, name: str, spec: ParamSpec, is_default: bool, ledger: Ledger,
                     start: dt.date, vantage: dt.date) -> list[Finding]:
    out: list[Finding] = []

    def report(level: str, message: str) -> None:
        # A schema default is not written in the scenario: its author cannot fix it there, so
        # its findings are warnings for the schema's maintainers.
        if is_default:
            level, message = "warning", f"schema default: {message}"
        out.append(Finding(level, scenario, name, message))

    if not spec.evidence and not spec.assumption and not (is_default and spec.bounds() == (0.0, 0.0)):
        # (a default of 0 switches a mechanism off: nothing to trace)
        report("error", "neither evidence (a ledger quantity) nor an assumption (a one-line rationale)")
    for claim_id in cited_claims(spec, ledger):
        claim = ledger.claim(claim_id)
        if claim is None:
            report("error", f"cites claim {claim_id}, which is not in the ledger")
        elif not claim.published_by(vantage):
            report("error", f"uses claim {claim_id}, published {claim.published}, after the vantage date {vantage}")
    if not spec.evidence:
        return out
    quantity = ledger.quantities.get(spec.evidence)
    if quantity is None:
        report("error", f"evidence {spec.evidence!r} is not a quantity of the ledger")
        return out
    if not ledger.claims_for(quantity.id, vantage):
        report("error", f"evidence {quantity.id!r} has no claim published by the vantage date {vantage}")
        return out
    derived = (spec.source or "").lstrip().lower().startswith(("derived", LEDGER_SOURCE_PREFIX))
    if quantity.kind == "quantitative" and not derived and not spec.is_fixed:
        try:
            median = float(reconcile(quantity, ledger.claims_for(quantity.id), reference=start, vantage=vantage).quantile(0.5))
        except EvidenceError:
            return out
        low, high = spec.bounds()
        if not low <= median <= high:
            report("warning", f"{spec.describe()} does not cover the reconciled median {median:,.4g} of {quantity.id}")
    return out
