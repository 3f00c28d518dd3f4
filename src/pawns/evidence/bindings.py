"""How scenario parameters bind to the ledger.

A parameter written ``{ dist = "ledger", evidence = "ru_casualties_per_day" }`` takes its
distribution from the ledger: at load time the reconciliation rule turns the claims about the
quantity -- those published by the scenario's vantage date (its start date if none is given),
weighted by recency from its start date -- into a concrete distribution whose ``source`` lists
the claim ids. The engine only ever sees concrete distributions.

A parameter with ``evidence`` and an explicit distribution keeps its distribution; the claims of
its quantity are its provenance, and ``pawns evidence --check`` compares the two.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable

from pawns.errors import ScenarioError
from pawns.evidence.ledger import Ledger, load_ledger
from pawns.evidence.reconcile import EvidenceError, reconcile
from pawns.scenario.distributions import ParamSpec

LEDGER_KEYS = {"dist", "evidence", "source", "assumption"}
LEDGER_SOURCE_PREFIX = "ledger:"
# Claim ids as cited in source text, e.g. "Q3-037", "R-011", "SA-001". Only words whose prefix
# is one the ledger uses count, so a weapon's name such as "S-400" is not taken for a claim.
CLAIM_ID = re.compile(r"\b([A-Z][A-Z0-9]*)-\d{3}[a-z]?\b")


def scenario_dates(raw: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """``(reference, vantage)`` of a raw scenario: its start date, and its vantage date or start."""
    meta = raw.get("scenario", {}) if isinstance(raw.get("scenario"), dict) else {}
    start = meta.get("start_date")
    vantage = meta.get("vantage_date", start)
    ok = type(start) is dt.date and type(vantage) is dt.date  # a datetime is refused by the schema, not compared here
    return (start, vantage) if ok else (None, None)


def resolve_ledger_params(label: str, raw: dict[str, Any], ledger: Ledger | None = None) -> dict[str, Any]:
    """Replace every ``dist = "ledger"`` table of a raw scenario with its reconciled distribution.

    Raises
    ------
    ScenarioError
        Naming the file and key, if a ledger table is malformed, names an unknown quantity, or
        its claims cannot be reconciled.
    """
    if not _has_ledger_tables(raw):
        return raw
    reference, vantage = scenario_dates(raw)
    if reference is None:
        return raw  # schema validation reports the missing dates
    ledger = ledger or load_ledger()
    return _walk(label, raw, "", ledger, reference, vantage)  # type: ignore[arg-type]


def _has_ledger_tables(node: Any) -> bool:
    if isinstance(node, dict):
        return node.get("dist") == "ledger" or any(_has_ledger_tables(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_ledger_tables(v) for v in node)
    return False


def _walk(label: str, node: Any, key: str, ledger: Ledger, reference: dt.date, vantage: dt.date) -> Any:
    if isinstance(node, dict) and node.get("dist") == "ledger":
        return _resolve(label, key, node, ledger, reference, vantage)
    if isinstance(node, dict):
        return {k: _walk(label, v, f"{key}.{k}" if key else str(k), ledger, reference, vantage) for k, v in node.items()}
    if isinstance(node, list):
        return [_walk(label, v, f"{key}.{i}", ledger, reference, vantage) for i, v in enumerate(node)]
    return node


def _resolve(label: str, key: str, table: dict[str, Any], ledger: Ledger, reference: dt.date, vantage: dt.date) -> dict[str, Any]:
    extra = sorted(set(table) - LEDGER_KEYS)
    if extra:
        raise ScenarioError(label, key, f"a ledger parameter with only the keys {sorted(LEDGER_KEYS)}", ", ".join(extra))
    quantity = ledger.quantities.get(str(table.get("evidence")))
    if quantity is None:
        raise ScenarioError(label, f"{key}.evidence", "a quantity of the evidence ledger (see `pawns evidence`)", table.get("evidence"))
    try:
        prior = reconcile(quantity, ledger.claims_for(quantity.id), reference=reference, vantage=vantage)
    except EvidenceError as exc:
        raise ScenarioError(label, key, f"claims that reconcile into a prior ({exc})") from None
    note = f"; {table['source']}" if table.get("source") else ""
    source = f"{LEDGER_SOURCE_PREFIX} {', '.join(prior.claim_ids)} (reconciled, vantage {vantage}){note}"
    spec = prior.spec(source)
    resolved = spec.model_dump(exclude_none=True)
    if table.get("assumption"):
        resolved["assumption"] = table["assumption"]
    return resolved


def cited_claims(spec: ParamSpec, ledger: Ledger) -> list[str]:
    """Claim ids cited in a parameter's source and assumption text, in order of first mention.

    Ids with a prefix the ledger uses count even when no such claim exists (``--check`` reports
    them); other words of the same shape are ignored.
    """
    text = " ".join(filter(None, [spec.source, spec.assumption]))
    prefixes = ledger.id_prefixes
    found = (match.group(0) for match in CLAIM_ID.finditer(text) if match.group(1) in prefixes)
    return list(dict.fromkeys(found))


def claims_behind(spec: ParamSpec, vantage: dt.date, ledger: Ledger) -> list[str]:
    """Ids of the claims behind a parameter: those it cites, then its quantity's claims by ``vantage``."""
    ids = cited_claims(spec, ledger)
    if spec.evidence and spec.evidence in ledger.quantities:
        ids += [c.id for c in ledger.claims_for(spec.evidence, vantage)]
    return list(dict.fromkeys(ids))


def parameter_claims(specs: Iterable[ParamSpec], vantage: dt.date, ledger: Ledger | None = None) -> list[str]:
    """For each parameter, its claim ids joined by ", " ("" if none): the results' provenance."""
    ledger = ledger or load_ledger()
    return [", ".join(claims_behind(spec, vantage, ledger)) for spec in specs]


def ledger_version() -> str:
    """Version of the ledger in use (latest publication date + content hash)."""
    return load_ledger().version
