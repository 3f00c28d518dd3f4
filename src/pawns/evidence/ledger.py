"""Load and validate the evidence ledger: quantities and the claims made about them.

The ledger is a folder of plain files reviewed in git (``src/pawns/evidence/data``):
``quantities.toml`` names every quantity, and every other ``*.csv`` or ``*.toml`` file holds
claims (CSV for imported tables, TOML ``[[claim]]`` tables for hand-written ones). Every defect
(malformed date, URL, unit, range, grade, unknown quantity, duplicate id) is reported with its
file and row; a ledger with any defect does not load.

The package's ledger also reads the claims a user imported with ``pawns data update``
(``<user data dir>/claims/*.csv``, see :mod:`pawns.evidence.user_claims`); a ledger folder
named explicitly (an argument, :func:`using_ledger`) is read alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
import re
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

from pawns.errors import PawnsError
from pawns.evidence import units
from pawns.user_data import checked_file, data_dir
from pawns.evidence.claims import BOUNDS, CREDIBILITY, RELIABILITY, Claim, FuzzyDate, Quantity

QUANTITIES_FILE = "quantities.toml"
USER_CLAIMS_FOLDER = "claims"  # inside the user data directory
REQUIRED_FIELDS = ("id", "quantity", "low", "high", "unit", "bound", "as_of", "published", "claimant", "outlet",
                   "url", "paraphrase", "about_enemy", "reliability", "credibility")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+(/\S*)?$")
_ID = re.compile(r"^[A-Z][A-Z0-9]*-\d{3}[a-z]?$")
_QUANTITY_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SUBJECTS = ("RU", "UA", "")


class LedgerError(PawnsError):
    """The evidence ledger has defects; ``problems`` lists each with its file and row."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        shown = "\n  ".join(self.problems[:20])
        more = f"\n  ... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"evidence ledger has {len(self.problems)} defect(s):\n  {shown}{more}")


@dataclass(frozen=True)
class Ledger:
    """The loaded ledger.

    Attributes
    ----------
    quantities
        Quantities by id.
    claims
        Every claim, in file order.
    version
        ``<latest publication date>+sha256:<12 hex digits of the files' content>``.
    """

    quantities: dict[str, Quantity]
    claims: tuple[Claim, ...]
    version: str
    folder: str = ""
    _by_id: dict[str, Claim] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({claim.id: claim for claim in self.claims})

    @property
    def id_prefixes(self) -> set[str]:
        """The prefixes of the ledger's claim ids (``Q3``, ``R``, ``SA`` ...)."""
        return {claim_id.rsplit("-", 1)[0] for claim_id in self._by_id}

    def claim(self, claim_id: str) -> Claim | None:
        """The claim with id ``claim_id`` (``None`` if there is none)."""
        return self._by_id.get(claim_id)

    def claims_for(self, quantity: str, vantage: dt.date | None = None) -> list[Claim]:
        """Claims about ``quantity``; with ``vantage``, only those published on or before it."""
        return [c for c in self.claims if c.quantity == quantity and (vantage is None or c.published_by(vantage))]


# -- the default ledger, and a way to point at another one ---------------------------------------
_override: list[Path] = []


def default_folder() -> Path:
    """The folder of the ledger in use: the package's own unless :func:`using_ledger` says otherwise."""
    if _override:
        return _override[-1]
    return Path(str(resources.files("pawns") / "evidence" / "data"))


@contextmanager
def using_ledger(folder: Path | str) -> Iterator[None]:
    """Use the ledger in ``folder`` (instead of the package's) inside a ``with`` block."""
    _override.append(Path(folder))
    try:
        yield
    finally:
        _override.pop()


def user_claim_files() -> list[Path]:
    """The claim files a user imported (``<user data dir>/claims/*.csv``), in name order."""
    folder = data_dir() / USER_CLAIMS_FOLDER
    return [checked_file(data_dir(), path) for path in sorted(folder.glob("*.csv"))] if folder.is_dir() else []


def load_ledger(folder: Path | str | None = None, extra_files: list[Path] | None = None) -> Ledger:
    """Load and validate the ledger in ``folder`` (default: the ledger in use).

    Parameters
    ----------
    folder
        A ledger folder; default: the package's (or the one :func:`using_ledger` names).
    extra_files
        Further claim files read after the folder's; default: the user's imported claims when
        the package's own ledger is read, none otherwise.

    Raises
    ------
    LedgerError
        Listing every defect found, each with its file and row.
    """
    if extra_files is None:
        extra_files = user_claim_files() if folder is None and not _override else []
    folder = Path(folder) if folder is not None else default_folder()
    files = sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".toml")) if folder.is_dir() else []
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in [*files, *extra_files] if p.is_file())
    return _load_cached(str(folder), tuple(str(p) for p in extra_files), stamp)


@lru_cache(maxsize=8)
def _load_cached(folder: str, extra_files: tuple[str, ...], stamp: tuple) -> Ledger:
    path = Path(folder)
    if not path.is_dir():
        raise LedgerError([f"{path}: expected a ledger folder"])
    problems: list[str] = []
    quantities = _read_quantities(path / QUANTITIES_FILE, problems)
    claims: list[Claim] = []
    seen: dict[str, str] = {}
    own = sorted(p for p in path.iterdir() if p.suffix in (".csv", ".toml") and p.name != QUANTITIES_FILE)
    extras = [Path(p) for p in extra_files]
    for file in [*own, *extras]:
        for where, record in _read_records(file, problems):
            claim = _to_claim(file, where, record, quantities, problems)
            if claim is None:
                continue
            if claim.id in seen:
                problems.append(f"{_place(file, where)}: claim id {claim.id!r} already used at {seen[claim.id]}")
                continue
            seen[claim.id] = _place(file, where)
            claims.append(claim)
    if problems:
        raise LedgerError(problems)
    return Ledger(quantities, tuple(claims), _version(path, extras, claims), str(path))


def _version(folder: Path, extras: list[Path], claims: list[Claim]) -> str:
    digest = hashlib.sha256()
    for file in [*sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".toml")), *extras]:
        digest.update(file.name.encode())
        digest.update(file.read_bytes().replace(b"\r\n", b"\n"))
    latest = max((c.published.latest for c in claims), default=dt.date(1970, 1, 1))
    return f"{latest.isoformat()}+sha256:{digest.hexdigest()[:12]}"


# -- reading ---------------------------------------------------------------------------------------
def _place(file: Path, where: str) -> str:
    return f"{file.name}: {where}"


def _read_quantities(file: Path, problems: list[str]) -> dict[str, Quantity]:
    if not file.is_file():
        problems.append(f"{file}: expected the quantity registry {QUANTITIES_FILE}")
        return {}
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{file.name}: expected valid TOML, got {exc}")
        return {}
    quantities: dict[str, Quantity] = {}
    for qid, table in raw.get("quantity", {}).items():
        where = f"{file.name}: [quantity.{qid}]"
        if not _QUANTITY_ID.match(qid):
            problems.append(f"{where}: expected a lower-case identifier (letters, digits, _)")
            continue
        try:
            quantity = Quantity(id=qid, **table)
        except TypeError as exc:
            problems.append(f"{where}: expected only the keys unit, description, subject, kind, spread, half_life_days, enemy_bias ({exc})")
            continue
        if not units.is_known(quantity.unit):
            problems.append(f"{where}: key 'unit': expected one of the ledger units {sorted(units.UNITS)}, got {quantity.unit!r}")
        if quantity.kind not in ("quantitative", "qualitative"):
            problems.append(f"{where}: key 'kind': expected 'quantitative' or 'qualitative', got {quantity.kind!r}")
        if quantity.subject not in _SUBJECTS:
            problems.append(f"{where}: key 'subject': expected 'RU', 'UA' or '', got {quantity.subject!r}")
        for key in ("spread", "half_life_days", "enemy_bias"):
            value = getattr(quantity, key)
            if not isinstance(value, (int, float)) or not value > 0:
                problems.append(f"{where}: key '{key}': expected a positive number, got {value!r}")
        quantities[qid] = quantity
    if not quantities:
        problems.append(f"{file.name}: expected at least one [quantity.<id>] table")
    return quantities


def _read_records(file: Path, problems: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(where, record)`` for each claim written in ``file``."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{file.name}: expected a readable UTF-8 file, got {exc}")
        return
    if file.suffix == ".csv":
        reader = csv.DictReader(text.splitlines())
        missing = [name for name in REQUIRED_FIELDS if name not in (reader.fieldnames or [])]
        if missing:
            problems.append(f"{file.name}: header: expected columns {', '.join(missing)}")
            return
        for record in reader:
            yield f"row {reader.line_num}", record
        return
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{file.name}: expected valid TOML, got {exc}")
        return
    for index, record in enumerate(raw.get("claim", []), start=1):
        if "value" in record:  # a point claim may give one value instead of low and high
            value = record.pop("value")
            record.setdefault("low", value)
            record.setdefault("high", value)
        yield f"claim #{index} ({record.get('id', '?')})", record


def _to_claim(file: Path, where: str, record: dict[str, Any], quantities: dict[str, Quantity], problems: list[str]) -> Claim | None:
    """Validate one record; report each defect and return ``None`` if there is any."""
    before = len(problems)
    ident = str(record.get("id") or "").strip()
    where = _place(file, where if ident in where else f"{where} ({ident or 'no id'})")

    def bad(key: str, expected: str) -> None:
        problems.append(f"{where}: field '{key}': expected {expected}, got {record.get(key)!r}")

    for key in REQUIRED_FIELDS:
        if key not in record or record[key] is None or str(record[key]).strip() == "":
            bad(key, "a value (required)")
    if len(problems) > before:
        return None
    if not _ID.match(ident):
        bad("id", "an id like Q3-037 (letters and digits, a dash, three digits)")
    quantity = quantities.get(str(record["quantity"]).strip())
    if quantity is None:
        bad("quantity", f"a quantity of {QUANTITIES_FILE}")
    low, high = _number(record, "low", bad), _number(record, "high", bad)
    if low is not None and high is not None and low > high:
        problems.append(f"{where}: range: expected low <= high, got low={low:g} > high={high:g}")
    unit = str(record["unit"]).strip()
    if not units.is_known(unit):
        bad("unit", f"one of the ledger units {sorted(units.UNITS)}")
    elif quantity is not None and not units.compatible(unit, quantity.unit):
        bad("unit", f"a unit convertible to {quantity.unit!r} (the unit of {quantity.id})")
    bound = str(record["bound"]).strip()
    if bound not in BOUNDS:
        bad("bound", f"one of {', '.join(BOUNDS)}")
    dates = {key: _date(record, key, bad) for key in ("as_of", "published")}
    url = str(record["url"]).strip()
    if not _URL.match(url):
        bad("url", "an http(s) address with a host name")
    about_enemy = str(record["about_enemy"]).strip().lower()
    if about_enemy not in ("yes", "no", "true", "false"):
        bad("about_enemy", "yes or no")
    reliability, credibility = str(record["reliability"]).strip(), str(record["credibility"]).strip()
    if len(reliability) != 1 or reliability not in RELIABILITY:
        bad("reliability", "an Admiralty source grade A-F")
    if len(credibility) != 1 or credibility not in CREDIBILITY:
        bad("credibility", "an Admiralty information grade 1-6")
    if len(problems) > before:
        return None
    return Claim(
        id=ident, quantity=quantity.id, low=low, high=high, unit=unit, bound=bound,  # type: ignore[union-attr, arg-type]
        as_of=dates["as_of"], published=dates["published"],  # type: ignore[arg-type]
        claimant=str(record["claimant"]).strip(), outlet=str(record["outlet"]).strip(), url=url,
        paraphrase=str(record["paraphrase"]).strip(), about_enemy=about_enemy in ("yes", "true"),
        reliability=reliability, credibility=credibility, grade_reason=str(record.get("grade_reason") or "").strip(),
        notes=str(record.get("notes") or "").strip(), file=file.name, row=_row_number(where),
    )


def _number(record: dict[str, Any], key: str, bad: Any) -> float | None:
    try:
        value = float(str(record[key]).replace("_", ""))
    except ValueError:
        bad(key, "a number")
        return None
    if not math.isfinite(value) or value < 0:
        bad(key, "a finite, non-negative number")
        return None
    return value


def _date(record: dict[str, Any], key: str, bad: Any) -> FuzzyDate | None:
    try:
        return FuzzyDate.parse(str(record[key]))
    except ValueError as exc:
        bad(key, str(exc) if "date" in str(exc) or "month" in str(exc) else "a real calendar date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return None


def _row_number(where: str) -> int:
    match = re.search(r"(?:row|#)\s*(\d+)", where)
    return int(match.group(1)) if match else 0
