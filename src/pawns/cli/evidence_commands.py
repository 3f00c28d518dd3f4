"""``pawns evidence``: the ledger's claims, the priors they reconcile into, and ``--check``."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import typer

from pawns.cli.common import fmt, user_errors
from pawns.errors import PawnsError

EXIT_CHECK_FAILED = 1
BAR_WIDTH = 40


def evidence(
    target: Optional[str] = typer.Argument(None, help="A ledger quantity (or, with --check, a scenario). Omit to list quantities (or check every built-in)."),
    check: bool = typer.Option(False, "--check", help="Check that every parameter is traceable; exit 1 and say why if not."),
    scenario: str = typer.Option("ru-ua-2024", "--scenario", "-s", help="Scenario whose start and vantage dates weigh and filter the claims."),
    vantage: Optional[str] = typer.Option(None, "--vantage", help="Count only claims published by this date (YYYY-MM-DD); default: the scenario's."),
) -> None:
    """Show the evidence ledger: quantities, claims, grades and the priors they reconcile into.

    `pawns evidence` lists the quantities with their claim counts. `pawns evidence QUANTITY` shows
    the claims about it (grade, weight, role), the reconciled prior (quantiles and a histogram)
    and the scenario parameters bound to it. `pawns evidence --check [SCENARIO]` fails if a
    parameter has neither evidence nor an assumption, a claim is malformed, or a claim is used
    after the vantage date. The rule is in docs/evidence.md.
    """
    if check:
        _check(target)
    else:
        _show(target, scenario, vantage)


@user_errors
def _check(target: str | None) -> None:
    from rich.console import Console
    from rich.markup import escape

    from pawns.evidence.check import check_scenario
    from pawns.scenario import builtin_names

    console = Console()
    names = [target] if target else builtin_names()
    errors = 0
    for name in names:
        findings = check_scenario(name)
        errors += sum(f.level == "error" for f in findings)
        for finding in findings:
            style = "red" if finding.level == "error" else "yellow"
            where = f"{finding.scenario}: {finding.parameter + ': ' if finding.parameter else ''}"
            console.print(f"[{style}]{finding.level}[/{style}]: {escape(where + finding.message)}", highlight=False)
        if not any(f.level == "error" for f in findings):
            console.print(f"[green]ok[/green]: {name}: every parameter is traceable", highlight=False)
    if errors:
        console.print(f"{errors} error(s)", style="red")
        raise typer.Exit(EXIT_CHECK_FAILED)


@user_errors
def _show(quantity: str | None, scenario_name: str, vantage_text: str | None) -> None:
    from rich.console import Console

    from pawns.evidence import load_scenario
    from pawns.evidence.ledger import load_ledger

    ledger = load_ledger()
    sc = load_scenario(scenario_name)
    start = sc.meta.start_date
    vantage = _date(vantage_text) if vantage_text else (sc.meta.vantage_date or start)
    console = Console()
    if quantity is None:
        _list_quantities(console, ledger, vantage)
        return
    if quantity not in ledger.quantities:
        raise PawnsError(f"no ledger quantity {quantity!r}; run `pawns evidence` for the list")
    _show_quantity(console, ledger, quantity, start, vantage)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PawnsError(f"--vantage: expected a date YYYY-MM-DD, got {text!r}") from None


def _uses() -> dict[str, list[str]]:
    """Quantity -> 'scenario: parameter' for every built-in parameter bound to it."""
    from pawns.evidence import load_scenario
    from pawns.scenario import builtin_names
    from pawns.scenario.parameters import iter_params

    uses: dict[str, list[str]] = {}
    for name in builtin_names():
        for pname, spec in iter_params(load_scenario(name)):
            if spec.evidence:
                uses.setdefault(spec.evidence, []).append(f"{name}: {pname}")
    return uses


def _list_quantities(console, ledger, vantage: dt.date) -> None:  # type: ignore[no-untyped-def]
    from rich import box
    from rich.table import Table

    from pawns.evidence.units import label

    uses = _uses()
    table = Table(title=f"Evidence ledger {ledger.version}: {len(ledger.quantities)} quantities, {len(ledger.claims)} claims "
                        f"(claims: published by {vantage} / all; params: built-in parameters bound to it)",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("quantity", no_wrap=True)
    table.add_column("claims", justify="right", no_wrap=True)
    table.add_column("params", justify="right")
    table.add_column("description (unit)", ratio=1)
    for qid, quantity in sorted(ledger.quantities.items()):
        total = len(ledger.claims_for(qid))
        table.add_row(qid, f"{len(ledger.claims_for(qid, vantage))}/{total}", str(len(uses.get(qid, []))),
                      f"{quantity.description} ({label(quantity.unit)})")
    console.print(table)


def _show_quantity(console, ledger, qid: str, start: dt.date, vantage: dt.date) -> None:  # type: ignore[no-untyped-def]
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from pawns.evidence.reconcile import EvidenceError, contributions, reconcile
    from pawns.evidence.units import label

    quantity = ledger.quantities[qid]
    console.print(f"[bold]{qid}[/bold] — {quantity.description} ({label(quantity.unit)}); kind {quantity.kind}, "
                  f"half-life {quantity.half_life_days:g} days, spread {quantity.spread:g}; weights from {start}, claims published by {vantage}")
    claims = ledger.claims_for(qid)
    parts = {c.claim.id: c for c in contributions(quantity, claims, reference=start, vantage=vantage)} if quantity.kind == "quantitative" else {}
    table = Table(title=f"{len(claims)} claims (values in {label(quantity.unit)} unless marked)", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    for column in ("id", "value", "as of", "published", "grade", "enemy", "weight", "role"):
        table.add_column(column, justify="right" if column in ("value", "weight") else "left", no_wrap=True)
    for claim in claims:
        part = parts.get(claim.id)
        role = part.role if part else ("listed" if claim.published_by(vantage) else "after vantage")
        weight = f"{part.weight:.3f}" if part and part.role != "excluded" else "—"
        value = claim.value_text() + ("" if claim.unit == quantity.unit else f" {label(claim.unit)}")
        table.add_row(claim.id, value, str(claim.as_of), str(claim.published),
                      claim.grade, "yes" if claim.about_enemy else "", weight, role)
    console.print(table)
    for claim in claims:
        text = escape(f"{claim.id} ({claim.grade}, {claim.grade_reason or 'graded by hand'}): {claim.paraphrase} ")
        console.print(f"  {text}[dim]{escape(f'{claim.outlet}, {claim.url}')}[/dim]", highlight=False)
    if quantity.kind == "quantitative":
        try:
            _show_prior(console, reconcile(quantity, claims, reference=start, vantage=vantage))
        except EvidenceError as exc:
            console.print(f"no prior: {exc}")
    uses = _uses().get(qid, [])
    console.print("used by: " + ("; ".join(uses) if uses else "no built-in scenario parameter"))


def _show_prior(console, prior) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table


    levels = (0.05, 0.25, 0.5, 0.75, 0.95)
    values = prior.quantile(list(levels))
    digits = 0 if values[0] >= 100 else 3
    console.print("reconciled prior: " + ", ".join(f"q{int(100 * q):02d} {fmt(v, digits) if digits else fmt(v)}" for q, v in zip(levels, values)))
    console.print(f"engine distribution: {prior.spec().describe()}  (claims {', '.join(prior.claim_ids)})", markup=False)
    edges, mass = prior.histogram(12)
    table = Table(show_header=True, box=None, title="histogram (log-spaced bins, q01 to q99)")
    table.add_column("from", justify="right")
    table.add_column("to", justify="right")
    table.add_column("mass", justify="right")
    table.add_column("")
    top = max(mass.max(), 1e-12)
    for lo, hi, m in zip(edges[:-1], edges[1:], mass):
        table.add_row(f"{lo:,.4g}", f"{hi:,.4g}", f"{100 * m:.1f}%", "█" * int(round(BAR_WIDTH * m / top)))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the application."""
    app.command("evidence")(evidence)
