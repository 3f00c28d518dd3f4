"""Posterior files: members draw rows by (seed, member) alone; bad files are clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.errors import ScenarioError
from pawns.model.parameters import ParameterSpace
from pawns.scenario import load_scenario

KILLED = "sides.RU.killed_share"
FACTOR = "observations.ua_gs_reporting_factor"


def scenario_with(tmp_path, posterior_text: str, extra: str = ""):
    (tmp_path / "draws").mkdir(exist_ok=True)
    (tmp_path / "draws" / "post.csv").write_text(posterior_text, encoding="utf-8")
    path = tmp_path / "calibrated.toml"
    path.write_text(f'[scenario]\nname = "calibrated"\nextends = "ru-ua-2024"\nposterior = "draws/post.csv"\n{extra}', encoding="utf-8")
    return load_scenario(str(path))


def test_weighted_rows_are_drawn_by_inverse_cdf(tmp_path):
    space = ParameterSpace.from_scenario(scenario_with(tmp_path, f"{KILLED},{FACTOR},weight\n0.2,0.9,0\n0.3,1.1,1\n0.25,1.3,0\n"))
    matrix = space.sample(np.arange(200), seed=5)
    assert np.all(matrix[:, space.index(KILLED)] == 0.3)
    assert np.all(matrix[:, space.index(FACTOR)] == 1.1)  # the columns of one row travel together


def test_row_frequencies_follow_the_weights(tmp_path):
    space = ParameterSpace.from_scenario(scenario_with(tmp_path, f"{KILLED},weight\n0.2,0.2\n0.3,0.8\n"))
    values = space.sample(np.arange(5000), seed=1)[:, space.index(KILLED)]
    assert np.mean(values == 0.3) == pytest.approx(0.8, abs=0.02)


def test_chunks_and_member_order_change_nothing(tmp_path):
    space = ParameterSpace.from_scenario(scenario_with(tmp_path, f"{KILLED}\n0.2\n0.22\n0.24\n0.3\n"))
    whole = space.sample(np.arange(100), seed=3)
    parts = np.vstack([space.sample(np.arange(0, 37), seed=3), space.sample(np.arange(37, 100), seed=3)])
    assert np.array_equal(whole, parts)
    assert np.array_equal(space.sample(np.array([42]), seed=3), whole[[42]])


def test_other_parameters_draw_as_without_a_posterior(tmp_path):
    with_file = ParameterSpace.from_scenario(scenario_with(tmp_path, f"{KILLED}\n0.2\n0.3\n"))
    default = load_scenario("ru-ua-2024")
    prior_only = default.model_copy(update={"scenario": default.scenario.model_copy(update={"posterior": None})})
    without = ParameterSpace.from_scenario(prior_only)
    a, b = with_file.sample(np.arange(50), seed=9), without.sample(np.arange(50), seed=9)
    other = [j for j, name in enumerate(without.names) if name != KILLED]
    assert np.array_equal(a[:, other], b[:, other])


def test_a_fixed_parameter_keeps_its_value(tmp_path):
    sc = scenario_with(tmp_path, f"{KILLED}\n0.2\n0.3\n", extra="\n[sides.RU]\nkilled_share = 0.25\n")
    space = ParameterSpace.from_scenario(sc)
    assert np.all(space.sample(np.arange(20), seed=0)[:, space.index(KILLED)] == 0.25)


def test_unknown_column_names_file_and_column(tmp_path):
    with pytest.raises(ScenarioError) as info:
        ParameterSpace.from_scenario(scenario_with(tmp_path, "sides.RU.no_such_parameter\n0.2\n"))
    assert "post.csv" in str(info.value) and "sides.RU.no_such_parameter" in str(info.value)


def test_missing_and_malformed_files(tmp_path):
    sc = scenario_with(tmp_path, f"{KILLED}\n0.2\n")
    (tmp_path / "draws" / "post.csv").unlink()
    with pytest.raises(ScenarioError, match="existing posterior file"):
        ParameterSpace.from_scenario(sc)
    with pytest.raises(ScenarioError, match=f"{KILLED}.*finite numbers"):
        ParameterSpace.from_scenario(scenario_with(tmp_path, f"{KILLED}\n0.2\nabc\n"))
    with pytest.raises(ScenarioError, match="non-negative weights"):
        ParameterSpace.from_scenario(scenario_with(tmp_path, f"{KILLED},weight\n0.2,-1\n0.3,2\n"))
