"""The evidence ledger: dated, sourced, graded claims, and the rule that turns them into priors.

- ``ledger``: load and validate the ledger files (``load_ledger``, ``LedgerError``).
- ``grading``: the Admiralty grades and the weights they earn.
- ``reconcile``: claims -> prior (``reconcile``, ``Prior``).
- ``bindings``: scenario parameters written ``{ dist = "ledger", evidence = "..." }``.
- ``scenarios``: load a scenario with its evidence (``load_scenario``).
- ``check``: ``pawns evidence --check``.
"""

from __future__ import annotations

from pawns.evidence.claims import Claim, FuzzyDate, Quantity
from pawns.evidence.ledger import Ledger, LedgerError, load_ledger, using_ledger
from pawns.evidence.reconcile import EvidenceError, Prior, reconcile
from pawns.evidence.scenarios import load_scenario

__all__ = ["Claim", "EvidenceError", "FuzzyDate", "Ledger", "LedgerError", "Prior", "Quantity", "load_ledger",
           "load_scenario", "reconcile", "using_ledger"]
