"""``pawns evidence --check``: built-ins pass; each kind of defect is caught; the CLI's exit codes."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pawns.cli.main import app
from pawns.evidence.check import check_scenario
from pawns.evidence.ledger import default_folder, using_ledger
from pawns.scenario import builtin_names

runner = CliRunner()


def scenario_file(tmp_path: Path, body: str, name: str = "s.toml") -> str:
    path = tmp_path / name
    path.write_text('[scenario]\nextends = "ru-ua-2024"\nname = "t"\n' + body, encoding="utf-8")
    return str(path)


def errors(findings) -> list[str]:
    return [str(f) for f in findings if f.level == "error"]


@pytest.mark.parametrize("name", builtin_names())
def test_built_in_scenarios_pass(name):
    assert errors(check_scenario(name)) == []


def test_a_parameter_without_evidence_or_assumption_fails(tmp_path):
    path = scenario_file(tmp_path, '[combat]\nfires_exponent = { dist = "uniform", low = 0.5, high = 1.0, source = "somewhere" }\n')
    found = errors(check_scenario(path))
    assert len(found) == 1 and "combat.fires_exponent" in found[0] and "neither evidence" in found[0]


def test_claims_published_after_the_vantage_date_fail(tmp_path):
    path = scenario_file(tmp_path, "vantage_date = 2024-10-15\n")
    found = errors(check_scenario(path))
    assert any("claim Q3-072" in f or "claim Q1-015" in f for f in found)
    assert all("after the vantage date 2024-10-15" in f or "no claim published by the vantage date" in f for f in found)


def test_unknown_evidence_and_unknown_claim_ids_fail(tmp_path):
    body = ('[combat]\nexposure_exponent = { dist = "uniform", low = 0.0, high = 1.0, evidence = "no_such_quantity" }\n'
            'fires_exponent = { dist = "uniform", low = 0.5, high = 1.0, assumption = "as Q9-999 says, about S-400 missiles" }\n')
    found = errors(check_scenario(scenario_file(tmp_path, body)))
    assert any("'no_such_quantity' is not a quantity" in f for f in found)
    assert any("claim Q9-999, which is not in the ledger" in f for f in found)
    assert not any("S-400" in f for f in found)


def test_an_explicit_range_missing_the_reconciled_median_is_a_warning(tmp_path):
    body = '[sides.RU]\ncasualties_per_day_at_start = { dist = "uniform", low = 100, high = 200, evidence = "ru_casualties_per_day", source = "test" }\n'
    findings = check_scenario(scenario_file(tmp_path, body))
    assert errors(findings) == []
    assert any(f.level == "warning" and "does not cover the reconciled median" in f.message for f in findings)


def test_a_malformed_ledger_fails_the_check(tmp_path):
    folder = tmp_path / "ledger"
    shutil.copytree(default_folder(), folder)
    target = folder / "claims_public_reporting.csv"
    rows = list(csv.DictReader(target.read_text(encoding="utf-8").splitlines()))
    rows[4]["url"] = "not a url"
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with using_ledger(folder):
        found = errors(check_scenario("ru-ua-2024"))
    assert found and "claims_public_reporting.csv: row 6" in found[0] and "'url'" in found[0]


def test_cli_check_passes_on_built_ins_and_fails_with_reasons(tmp_path):
    result = runner.invoke(app, ["evidence", "--check"])
    assert result.exit_code == 0, result.output
    assert result.output.count("ok:") == len(builtin_names())
    bad = scenario_file(tmp_path, '[combat]\nfires_exponent = { dist = "uniform", low = 0.5, high = 1.0 }\n')
    result = runner.invoke(app, ["evidence", "--check", bad])
    assert result.exit_code == 1 and "combat.fires_exponent" in result.output


def test_cli_shows_a_quantity_and_lists_quantities():
    result = runner.invoke(app, ["evidence", "ru_casualties_per_day"])
    assert result.exit_code == 0, result.output
    for text in ("Q3-037", "B2", "reconciled prior", "histogram", "sides.RU.casualties_per_day_at_start"):
        assert text in result.output
    listing = runner.invoke(app, ["evidence"])
    assert listing.exit_code == 0 and "ru_casualties_per_day" in listing.output
    unknown = runner.invoke(app, ["evidence", "no_such_quantity"])
    assert unknown.exit_code == 2 and "no ledger quantity" in unknown.output
