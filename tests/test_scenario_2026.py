"""ru-ua-2026: the war as of end-2025, started from the state its run-up filtered through the data.

The scenario cites only claims published by its vantage date; its posterior file is exactly what
its run-up's calibration hands on (the transferred parameters and the carried start state); a run
draws its start from that posterior and answers Q1-Q4 for 2026-27.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pawns.cli.main import app
from pawns.engine.draws import draw_parameters
from pawns.evidence import load_scenario
from pawns.evidence.check import check_scenario
from pawns.model.layout import Layout
from pawns.scenario.posterior import scenario_posterior

runner = CliRunner()


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("ru-ua-2026")


def test_the_war_as_of_end_2025_starts_where_the_data_end(scenario):
    meta = scenario.meta
    assert (meta.start_date, meta.vantage_date, meta.horizon_days) == (dt.date(2026, 1, 1), dt.date(2025, 12, 31), 730)
    assert "kursk" not in scenario.sectors, "Kursk was declared retaken in April 2025"
    assert all(t.date >= meta.start_date for t in scenario.contingents["DPRK"].tranches)
    findings = check_scenario("ru-ua-2026")  # includes: no claim cited was published after the vantage date
    assert findings == [], [str(f) for f in findings]


def test_its_posterior_is_what_the_run_up_hands_on(scenario):
    run_up = load_scenario("ru-ua-2025")
    assert run_up.meta.start_date + dt.timedelta(days=run_up.meta.horizon_days) == scenario.meta.vantage_date
    posterior = scenario_posterior(scenario)
    assert list(posterior.names) == run_up.calibration.transfer + run_up.calibration.start_state
    space = Layout.from_scenario(scenario).space
    assert set(space.calibrated()) == set(posterior.names), "every carried column is an uncertain parameter of ru-ua-2026"


def test_members_start_from_the_filtered_state(scenario):
    layout = Layout.from_scenario(scenario)
    posterior = scenario_posterior(scenario)
    matrix = draw_parameters(layout.space, np.arange(300, dtype=np.int64), seed=0)
    killed = matrix[:, layout.space.index("sides.RU.formations.ru_contract.initial_killed_persons")]
    column = posterior.values[:, posterior.names.index("sides.RU.formations.ru_contract.initial_killed_persons")]
    assert np.isin(killed, column).all(), "each member's start is one particle's state on 2025-12-31"
    front = matrix[:, layout.space.index("sides.RU.formations.ru_contract.front_persons")]
    assert np.isin(front, posterior.values[:, posterior.names.index("sides.RU.formations.ru_contract.front_persons")]).all()
    # the rows travel together: a member's front and dead come from the same particle
    rows = {tuple(r) for r in posterior.values[:, [posterior.names.index("sides.RU.formations.ru_contract.front_persons"),
                                                   posterior.names.index("sides.RU.formations.ru_contract.initial_killed_persons")]]}
    assert all((f, k) in rows for f, k in zip(front, killed))


def test_run_answers_the_questions_for_2026_27(tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(app, ["run", "ru-ua-2026", "-n", "40", "--answers", "core", "-q", "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["start_date"] == "2026-01-01" and summary["horizon_days"] == 730
    questions = summary["questions"]
    assert questions["Q1"]["host"] == "RU"
    for key in ("rmst_days_bought", "tolerance_shift_days"):
        assert np.isfinite(questions["Q1"][key]["median"])
    assert 0.0 <= questions["Q3"]["p_abandon_first_with"] <= 1.0
    assert questions["Q4"]["contingent_casualties"]["median"] > 0, "some of the DPRK contingent still fights"
    assert summary["dprk_takes_home"]["indicators"]["veterans_home"]["median"] > 0
    observables = pd.read_csv(out / "observables.csv")
    assert "russian_occupied_area_km2_deepstate" in set(observables["stream"])


def test_calibrating_it_to_the_day_before_its_start_calibrates_its_run_up(tmp_path):
    post = tmp_path / "start.csv"
    args = ["calibrate", "ru-ua-2026", "--until", "2025-12-31", "-n", "16", "--generations", "1", "-o", str(tmp_path / "cal"),
            "--posterior-out", str(post)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "calibrating its run-up ru-ua-2025 to 2025-12-31" in " ".join(result.output.split())
    run_up = load_scenario("ru-ua-2025").calibration
    assert list(pd.read_csv(post).columns) == run_up.transfer + run_up.start_state + ["weight"]
    assert json.loads((tmp_path / "cal" / "calibration.json").read_text())["scenario"] == "ru-ua-2025"
    for until, expected in (("2025-11-30", "is calibrated to the day before, 2025-12-31"),):
        bad = runner.invoke(app, ["calibrate", "ru-ua-2026", "--until", until, "-q", "-o", str(tmp_path / "bad")])
        assert bad.exit_code == 2 and expected in " ".join(bad.output.split()), bad.output
    none = runner.invoke(app, ["calibrate", "ru-ua-2024", "--until", "2024-06-30", "-q", "-o", str(tmp_path / "bad")])
    assert none.exit_code == 2 and "names no [calibration] run_up" in " ".join(none.output.split())
    assert not (tmp_path / "bad").exists()
