"""The 2025 claims: reachable from a 2025 vantage, invisible to the built-in 2024 scenarios.

The ledger holds claims published through 2025-12-31; a scenario whose vantage date is in 2024
must resolve exactly as it did before they were added, and ``pawns evidence --check`` must fail
when such a scenario cites one of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pawns.cli.main import app
from pawns.evidence import load_scenario
from pawns.evidence.check import check_scenario
from pawns.evidence.claims import FuzzyDate
from pawns.evidence.ledger import default_folder, load_ledger, using_ledger
from pawns.scenario import builtin_names

END_2024 = dt.date(2024, 12, 31)
IMPORTED = "claims_public_reporting.csv"
runner = CliRunner()


def published_after_2024(row: dict[str, str]) -> bool:
    return FuzzyDate.parse(row["published"]).latest > END_2024


@pytest.fixture(scope="module")
def ledger_without_2025(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped ledger without the claims published after 2024."""
    folder = tmp_path_factory.mktemp("ledger") / "data"
    shutil.copytree(default_folder(), folder)
    rows = list(csv.DictReader((folder / IMPORTED).read_text(encoding="utf-8").splitlines()))
    kept = [row for row in rows if not published_after_2024(row)]
    assert 0 < len(kept) < len(rows), "the shipped ledger holds claims from both sides of the cut-off"
    with open(folder / IMPORTED, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    return folder


def test_the_ledger_holds_claims_published_in_2025():
    ledger = load_ledger()
    later = [c for c in ledger.claims if not c.published_by(END_2024)]
    assert len(later) == 176
    assert max(c.published.latest for c in ledger.claims) == dt.date(2025, 12, 31)
    assert ledger.version.startswith("2025-12-31+sha256:")


@pytest.mark.parametrize("name", [n for n in builtin_names() if n.startswith(("ru-ua-2023", "ru-ua-2024"))])
def test_a_2024_vantage_scenario_resolves_as_without_the_2025_claims(name, ledger_without_2025):
    scenario = load_scenario(name)
    assert scenario.meta.vantage_date is not None and scenario.meta.vantage_date <= END_2024
    with using_ledger(ledger_without_2025):
        before = load_scenario(name)
    assert scenario == before  # every ledger prior, and the claim ids its source lists


def test_the_default_scenarios_priors_cite_no_2025_claim():
    ledger = load_ledger()
    spec = load_scenario("ru-ua-2024").sides["RU"].casualties_per_day_at_start
    later = {c.id for c in ledger.claims_for("ru_casualties_per_day") if not c.published_by(END_2024)}
    assert {"Q3-041", "Q3-045"} <= later
    assert not later & set(spec.source.replace(",", " ").split())


def test_a_2025_vantage_sees_the_2025_claims():
    spec = load_scenario("ru-ua-2024", ["scenario.vantage_date=2025-12-31"]).sides["RU"].casualties_per_day_at_start
    assert "Q3-046" in spec.source  # July 2025's average, published 2025-08-05


def scenario_citing(tmp_path: Path, parameter_table: str) -> str:
    path = tmp_path / "cites-2025.toml"
    path.write_text('[scenario]\nextends = "ru-ua-2024"\nname = "cites-2025"\n\n[combat]\n' + parameter_table + "\n", encoding="utf-8")
    return str(path)


def test_the_check_fails_when_a_2024_vantage_scenario_cites_a_2025_claim(tmp_path):
    # Q1-018: the ROK NIS count of two DPRK deployments, published 2025-05-02.
    path = scenario_citing(tmp_path, 'fires_exponent = { dist = "uniform", low = 0.5, high = 1.0, '
                                     'assumption = "second wave as reported (Q1-018)" }')
    found = [str(f) for f in check_scenario(path) if f.level == "error"]
    assert found == ["error: cites-2025: combat.fires_exponent: uses claim Q1-018, published 2025-05-02, after the vantage date 2024-12-31"]
    result = runner.invoke(app, ["evidence", "--check", path])
    assert result.exit_code == 1 and "Q1-018" in result.output
    later = Path(path).read_text(encoding="utf-8").replace('name = "cites-2025"', 'name = "cites-2025"\nvantage_date = 2025-12-31')
    Path(path).write_text(later, encoding="utf-8")
    assert [f for f in check_scenario(path) if f.level == "error"] == []


def test_the_check_fails_when_a_2024_vantage_scenario_binds_a_quantity_first_claimed_in_2025(tmp_path):
    path = scenario_citing(tmp_path, 'fires_exponent = { dist = "uniform", low = 0.5, high = 1.0, evidence = "dprk_deminers" }')
    found = [str(f) for f in check_scenario(path) if f.level == "error"]
    assert len(found) == 1 and "'dprk_deminers' has no claim published by the vantage date 2024-12-31" in found[0]


@pytest.mark.parametrize("quantity, unit, claims", [
    ("dprk_deminers", "persons", ["Q1-001", "Q1-002"]),
    ("dprk_military_builders", "persons", ["Q1-004", "Q1-005"]),
    ("dprk_laborers_in_russia", "persons", ["Q5-002", "Q5-005"]),
    ("dprk_reinforcements", "persons", ["Q1-025", "Q1-028"]),
    ("dprk_shells_to_russia", "shells", ["Q7-025", "Q7-026"]),
    ("dprk_missiles_to_russia", "missiles", ["Q7-013"]),
    ("dprk_missiles_to_russia_planned", "missiles", ["Q7-014"]),
    ("dprk_artillery_to_russia", "systems", ["Q7-003"]),
    ("ru_contract_recruits_ytd", "persons", ["Q4-015"]),
    ("ru_enlistment_bonus_regional", "rub", ["Q4-024"]),
    ("us_aid_allocated", "eur_billion", ["Q6-040", "Q6-041"]),
    ("europe_aid_allocated", "eur_billion", ["Q6-052"]),
    ("europe_military_aid_per_year", "eur_billion_per_year", ["Q6-057"]),
    ("dprk_payment_per_soldier", "eur", ["Q7-016"]),
    ("dprk_revenue_from_russia", "usd_billion", ["Q7-017"]),
    ("dprk_received_military_technology", "event", ["Q7-028"]),
    ("ua_kursk_area_controlled", "km2", ["Q8-031", "Q8-033"]),
])
def test_2025_quantities_are_in_the_ledger_with_units(quantity, unit, claims):
    ledger = load_ledger()
    assert ledger.quantities[quantity].unit == unit
    ids = {c.id for c in ledger.claims_for(quantity)}
    assert set(claims) <= ids
    assert all(ledger.claim(i).unit == unit for i in claims)


def test_totals_over_a_period_become_rates():
    ledger = load_ledger()
    january = ledger.claim("Q3-026")  # 48,240 Russian casualties in January 2025
    assert january.quantity == "ru_casualties_per_day" and january.low == pytest.approx(48_240 / 31, rel=1e-5)
    quarter = ledger.claim("Q4-017")  # 37,900 contracts in April-June 2025
    assert quarter.quantity == "ru_recruits_per_day" and quarter.low == pytest.approx(37_900 / 91, rel=1e-5)
    europe = ledger.claim("Q6-057")  # EUR 3.27bn and 4.24bn in two-month periods
    assert europe.low == pytest.approx(3.27 * 365.25 / 61.5, rel=1e-5) and europe.high == pytest.approx(4.24 * 365.25 / 61.5, rel=1e-5)
    assert ledger.claim("Q3-053").quantity == "ru_casualties_ytd"  # a year-to-date figure stays a total


def test_cli_shows_a_2025_quantity_with_its_claims_after_the_default_vantage():
    result = runner.invoke(app, ["evidence", "dprk_deminers"])
    assert result.exit_code == 0, result.output
    assert "Q1-001" in result.output and "no claims published by 2024-12-31" in result.output
    later = runner.invoke(app, ["evidence", "dprk_laborers_in_russia", "--vantage", "2025-12-31"])
    assert later.exit_code == 0 and "reconciled prior" in later.output
