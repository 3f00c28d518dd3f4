"""New claims a user brings into the ledger (``pawns data update CLAIMS.csv``).

A claims file has the columns of the ledger's CSV (``claims_public_reporting.csv``; at least
those of :data:`pawns.evidence.ledger.REQUIRED_FIELDS`, optionally ``grade_reason`` and
``notes``), one claim a row, and is validated by the ledger's own rules. Its claims are kept in
``<user data dir>/claims/imported_claims.csv`` and read with the package's ledger.

Ids are how scenarios cite claims, so they must keep their meaning: a row whose id is the
package's must state that claim (:data:`MEANING`; it is then left out as already known), and a row
whose id a previous import used replaces that claim (counted as changed). Claims published
after a scenario's vantage date never reach it: the ledger's vantage rule applies to them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from pawns.errors import PawnsError
from pawns.evidence.claims import Claim
from pawns.evidence.ledger import (REQUIRED_FIELDS, USER_CLAIMS_FOLDER, Ledger, LedgerError, _read_records, _to_claim,
                                   default_folder, load_ledger)
from pawns.user_data import checked_file

USER_CLAIMS_FILE = "imported_claims.csv"
COLUMNS = (*REQUIRED_FIELDS, "grade_reason", "notes")


class ClaimsFileError(PawnsError):
    """A claims file cannot be imported (one line naming the file and the first problem)."""


@dataclass(frozen=True)
class ClaimsUpdate:
    """What importing claims files changes.

    Attributes
    ----------
    rows
        The user's claims after the import, as CSV records (what the user claims file will hold).
    added, changed, unchanged
        Claims new to the ledger, claims of an earlier import replaced, claims already there.
    first, last
        Earliest and latest publication date among the imported claims.
    """

    rows: tuple[dict[str, str], ...]
    added: int
    changed: int
    unchanged: int
    first: dt.date | None
    last: dt.date | None

    def text(self) -> str:
        """The user claims file's content."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(self.rows)
        return out.getvalue()


def plan_claims(files: list[Path], previous: list[dict[str, str]], *, today: dt.date | None = None) -> ClaimsUpdate:
    """Validate ``files`` against the shipped ledger and the user's earlier claims (``previous``).

    Raises
    ------
    ClaimsFileError
        On the first file with a malformed row, an unknown quantity or unit, a publication date in
        the future, an id used twice, or an id of the package's ledger given to another claim.
    """
    shipped = load_ledger(default_folder(), extra_files=[])
    today = today or dt.date.today()
    kept = {row["id"]: dict(row) for row in previous}
    added = changed = unchanged = 0
    published: list[dt.date] = []
    for path in files:
        for record, claim in _claims_of(path, shipped, today):
            published.append(claim.published.latest)
            known = shipped.claim(claim.id)
            if known is not None:
                if _same(known, claim):
                    unchanged += 1
                    continue
                raise ClaimsFileError(f"{path}: row {claim.row} ({claim.id}): expected a new id: {claim.id} is the package's "
                                      f"claim '{known.paraphrase}', and ids scenarios cite must keep their meaning")
            row = {key: str(record.get(key) if record.get(key) is not None else "") for key in COLUMNS}
            if claim.id not in kept:
                added += 1
            elif kept[claim.id] != row:
                changed += 1
            else:
                unchanged += 1
            kept[claim.id] = row
    rows = tuple(kept.values())
    update = ClaimsUpdate(rows, added, changed, unchanged, min(published, default=None), max(published, default=None))
    _check_loads(update, files)
    return update


def read_user_claims(folder: Path) -> list[dict[str, str]]:
    """The claims of earlier imports, from ``folder`` (a user data directory)."""
    path = folder / USER_CLAIMS_FOLDER / USER_CLAIMS_FILE
    if not path.is_file():
        return []
    checked_file(folder, path)
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def _claims_of(path: Path, shipped: Ledger, today: dt.date) -> list[tuple[dict, Claim]]:
    if path.suffix.lower() != ".csv":
        raise ClaimsFileError(f"{path}: expected a CSV file of claims in the ledger's columns ({', '.join(REQUIRED_FIELDS)})")
    problems: list[str] = []
    out: list[tuple[dict, Claim]] = []
    seen: set[str] = set()
    for where, record in _read_records(path, problems):
        claim = _to_claim(path, where, record, shipped.quantities, problems)
        if claim is None:
            continue
        if claim.id in seen:
            problems.append(f"{path.name}: row {claim.row} ({claim.id}): field 'id': expected an id not used above in the file, got {claim.id!r}")
        elif claim.published.earliest > today:
            problems.append(f"{path.name}: row {claim.row} ({claim.id}): field 'published': expected a date not after today ({today}), "
                            f"got {claim.published.text!r}")
        seen.add(claim.id)
        out.append((record, claim))
    if not problems and not out:
        problems.append(f"{path.name}: expected at least one claim row")
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        first = problems[0].replace(path.name, str(path), 1) if problems[0].startswith(path.name) else f"{path}: {problems[0]}"
        raise ClaimsFileError(f"{first}{more}")
    return out


# What a claim states; grades, paraphrase and notes are the ledger's reading of it.
MEANING = ("quantity", "low", "high", "unit", "bound", "as_of", "published", "url")


def _same(known: Claim, claim: Claim) -> bool:
    """Whether two records state the same claim."""
    return all(getattr(known, key) == getattr(claim, key) for key in MEANING)


def _check_loads(update: ClaimsUpdate, files: list[Path]) -> None:
    """The ledger with the user's claims must load (no id clashes, nothing the rows alone cannot show)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / USER_CLAIMS_FILE
        path.write_text(update.text(), encoding="utf-8")
        try:
            load_ledger(default_folder(), extra_files=[path])
        except LedgerError as exc:
            raise ClaimsFileError(f"{', '.join(str(f) for f in files)}: expected claims that fit the ledger, got {exc.problems[0]}") from None
