"""Posterior files: members draw rows by (seed, member) alone; bad files are clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from pawns.engine.draws import draw_parameters
from pawns.errors import ScenarioError
from pawns.evidence import load_scenario
from pawns.model.layout import Layout

KILLED = "sides.RU.killed_share"
FACTOR = "observations.ua_gs_reporting_factor"


def scenario_with(tmp_path, posterior_text: str, extra: str = ""):
    (tmp_path / "draws").mkdir(exist_ok=True)
    (tmp_path / "draws" / "post.csv").write_text(posterior_text, encoding="utf-8")
    path = tmp_path / "calibrated.toml"
    path.write_text(f'[scenario]\nname = "calibrated"\nextends = "ru-ua-2024"\nposterior = "draws/post.csv"\n{extra}', encoding="utf-8")
    return load_scenario(str(path))


def test_weighted_rows_are_drawn_by_inverse_cdf(tmp_path):
    space = Layout.from_scenario(scenario_with(tmp_path, f"{KILLED},{FACTOR},weight\n0.2,0.9,0\n0.3,1.1,1\n0.25,1.3,0\n")).space
    matrix = draw_parameters(space, np.arange(200), seed=5)
    assert np.all(matrix[:, space.index(KILLED)] == 0.3)
    assert np.all(matrix[:, space.index(FACTOR)] == 1.1)  # the columns of one row travel together


def test_row_frequencies_follow_the_weights(tmp_path):
    space = Layout.from_scenario(scenario_with(tmp_path, f"{KILLED},weight\n0.2,0.2\n0.3,0.8\n")).space
    values = draw_parameters(space, np.arange(5000), seed=1)[:, space.index(KILLED)]
    assert np.mean(values == 0.3) == pytest.approx(0.8, abs=0.02)


def test_chunks_and_member_order_change_nothing(tmp_path):
    space = Layout.from_scenario(scenario_with(tmp_path, f"{KILLED}\n0.2\n0.22\n0.24\n0.3\n")).space
    whole = draw_parameters(space, np.arange(100), seed=3)
    parts = np.vstack([draw_parameters(space, np.arange(0, 37), seed=3), draw_parameters(space, np.arange(37, 100), seed=3)])
    assert np.array_equal(whole, parts)
    assert np.array_equal(draw_parameters(space, np.array([42]), seed=3), whole[[42]])


def test_other_parameters_draw_as_without_a_posterior(tmp_path):
    with_file = Layout.from_scenario(scenario_with(tmp_path, f"{KILLED}\n0.2\n0.3\n")).space
    default = load_scenario("ru-ua-2024")
    prior_only = default.model_copy(update={"meta": default.meta.model_copy(update={"posterior": None})})
    without = Layout.from_scenario(prior_only).space
    a, b = draw_parameters(with_file, np.arange(50), seed=9), draw_parameters(without, np.arange(50), seed=9)
    other = [j for j, name in enumerate(without.names) if name != KILLED]
    assert np.array_equal(a[:, other], b[:, other])


def test_a_fixed_parameter_keeps_its_value(tmp_path):
    sc = scenario_with(tmp_path, f"{KILLED}\n0.2\n0.3\n", extra="\n[sides.RU]\nkilled_share = 0.25\n")
    space = Layout.from_scenario(sc).space
    assert np.all(draw_parameters(space, np.arange(20), seed=0)[:, space.index(KILLED)] == 0.25)


def test_unknown_column_names_file_and_column(tmp_path):
    with pytest.raises(ScenarioError) as info:
        Layout.from_scenario(scenario_with(tmp_path, "sides.RU.no_such_parameter\n0.2\n")).space
    assert "post.csv" in str(info.value) and "sides.RU.no_such_parameter" in str(info.value)


def test_missing_and_malformed_files(tmp_path):
    sc = scenario_with(tmp_path, f"{KILLED}\n0.2\n")
    (tmp_path / "draws" / "post.csv").unlink()
    with pytest.raises(ScenarioError, match="existing posterior file"):
        Layout.from_scenario(sc).space
    with pytest.raises(ScenarioError, match=f"{KILLED}.*finite numbers"):
        Layout.from_scenario(scenario_with(tmp_path, f"{KILLED}\n0.2\nabc\n")).space
    with pytest.raises(ScenarioError, match="non-negative weights"):
        Layout.from_scenario(scenario_with(tmp_path, f"{KILLED},weight\n0.2,-1\n0.3,2\n")).space
