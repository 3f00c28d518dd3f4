"""The registry of recorded variables and the parameter table: written once, complete, and consistent."""

from __future__ import annotations

import ast
import inspect
import types
import typing
from pathlib import Path

import numpy as np
import pytest
from pydantic import BaseModel

from pawns.analysis.outcomes import member_outcomes, outcome_columns
from pawns.engine import kernel, rng
from pawns.engine.draws import draw_parameters
from pawns.engine.simulate import end_uniforms
from pawns.evidence import load_scenario
from pawns.model.equations import initial_state, parameters
from pawns.model.layout import Layout
from pawns.model.parameter_table import TABLE, TOLERANCE_WEIGHTS, Constant, Entry, Parameters, Switch, places
from pawns.model.recorded import LOSSES, OUTCOMES, RECORDED
from pawns.model.state import State
from pawns.observations.models import OBSERVATION_PARAMETERS
from pawns.scenario import builtin_names
from pawns.scenario.distributions import ParamSpec
from pawns.scenario.schema import Scenario


def test_every_recorded_variable_reads_a_state_field_or_a_loss() -> None:
    names = [v.name for v in RECORDED]
    assert len(names) == len(set(names))
    for variable in RECORDED:
        if variable.source == "state":
            assert variable.field in State._fields, variable.name
        elif variable.source == "losses":
            assert variable.field in LOSSES, variable.name
        else:
            assert variable.read == "matrix", variable.name


def test_outcome_columns_are_unique_and_those_the_outcomes_hold() -> None:
    layout = Layout.from_scenario(load_scenario("ru-ua-2024", ["scenario.horizon_days=5"]))
    columns = [column for column, _, _ in outcome_columns(layout)]
    assert len(columns) == len(set(columns))
    start = initial_state(parameters(layout, draw_parameters(layout.space, np.arange(3), seed=0), end_uniforms(layout, np.arange(3), 0)))
    assert list(member_outcomes(layout, start, start)) == columns
    assert {o.name for o in OUTCOMES} >= {"end_day", "race", "payment_usd"}


def test_the_compiled_engine_holds_no_copy_of_the_rng_or_of_variable_names() -> None:
    source = Path(kernel.__file__).read_text(encoding="utf-8")
    for constant in ("0x9E3779B97F4A7C15", "0xBF58476D1CE4E5B9", "0x94D049BB133111EB"):
        assert constant.lower() not in source.lower(), constant
    strings = {node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    recorded_names = {v.name for v in RECORDED if v.source != "matrix"} | {v.field for v in RECORDED if v.source != "matrix"}
    assert not strings & recorded_names
    assert "0x9E3779B97F4A7C15" in Path(rng.__file__).read_text(encoding="utf-8")


def _schema_type(template: str) -> object:
    """What the scenario schema holds at a template's path (placeholders stand for dict keys or list indices)."""
    node: object = Scenario
    for part in template.split("."):
        if (part.startswith("{") and part.endswith("}")) or typing.get_origin(node) is dict:  # a key: placeholder or named
            assert typing.get_origin(node) in (dict, list), (template, part)
            node = typing.get_args(node)[-1]
            continue
        if "{" in part:  # a key built from a placeholder: `weight_{weight}`
            prefix = part.split("{")[0]
            fields = [name for name in node.model_fields if name.startswith(prefix)]
            assert fields, (template, part)
            part = fields[0]
        assert isinstance(node, type) and issubclass(node, BaseModel), (template, part)
        by_alias = {(info.alias or name): name for name, info in node.model_fields.items()}
        assert part in by_alias, (template, part)
        node = node.model_fields[by_alias[part]].annotation
        options = [arg for arg in typing.get_args(node) if arg is not type(None)]
        if typing.get_origin(node) in (typing.Union, types.UnionType) and len(options) == 1:
            node = options[0]
    return node


def test_every_source_of_the_parameter_table_names_a_key_of_the_schema() -> None:
    for entry in TABLE:
        if isinstance(entry, Entry):
            for source in entry.sources:
                assert _schema_type(source.template) is ParamSpec, (entry.field, source.template)
        elif isinstance(entry, Switch):
            found = _schema_type(entry.template)
            assert found is bool or (isinstance(found, type) and issubclass(found, BaseModel)), entry.field


@pytest.mark.parametrize("name", builtin_names())
def test_every_parameter_of_a_builtin_scenario_reaches_the_model(name: str) -> None:
    layout = Layout.from_scenario(load_scenario(name))
    read = set(OBSERVATION_PARAMETERS.values())
    read |= {layout.space.names[t.size_column] for t in layout.tranches}
    read |= {layout.space.names[column] for column in layout.channel_columns}
    for entry in TABLE:
        if isinstance(entry, Entry):
            for source in entry.sources:
                for _, context in places(layout, entry.shape):
                    # a side states the weight of every category of formation, whether it has one or not
                    for weight in set(TOLERANCE_WEIGHTS.values()):
                        try:
                            read.add(source.template.format(**{**context, "weight": weight}))
                        except KeyError:
                            continue
    # Tranches and deliveries after the horizon never arrive, and a tranche's combat share is read only for role 'split'.
    unread = [n for n in layout.space.names if n not in read and ".tranches." not in n and ".deliveries." not in n]
    assert unread == []


def test_the_parameters_are_the_table_and_every_field_is_filled() -> None:
    layout = Layout.from_scenario(load_scenario("ru-ua-2024", ["scenario.horizon_days=5"]))
    p = parameters(layout, draw_parameters(layout.space, np.arange(4), seed=0), end_uniforms(layout, np.arange(4), 0))
    assert set(Parameters._fields) >= {entry.field for entry in TABLE}
    for field in Parameters._fields:
        assert getattr(p, field) is not None, field
    constants = [entry.field for entry in TABLE if isinstance(entry, Constant)]
    assert constants == ["collapse_log", "end_exposure", "cause_uniform", "stall_log", "gain_norm", "host_exposure", "casualty_drift",
                         "gain_drift"]
    # the transform of the table: a contingent's tour becomes a daily rotation
    tour = draw_parameters(layout.space, np.arange(4), seed=0)[:, layout.space.index("contingents.DPRK.tour_days")]
    f = layout.formation_names.index("DPRK")
    np.testing.assert_array_equal(p.rotation_per_day[:, f], 1.0 / tour)


def test_a_missing_mechanism_keeps_its_neutral_value() -> None:
    scenario = load_scenario("ru-ua-2024", ["scenario.horizon_days=5"])
    full = Layout.from_scenario(scenario)
    p = parameters(full, draw_parameters(full.space, np.arange(2), seed=0), end_uniforms(full, np.arange(2), 0))
    assert p.has_recruitment[0] and np.all(np.isfinite(p.review_days[:, 0]))
    side = scenario.sides["RU"].model_copy(update={"recruitment": None})
    layout = Layout.from_scenario(scenario.model_copy(update={"sides": {**scenario.sides, "RU": side}}))
    p = parameters(layout, draw_parameters(layout.space, np.arange(2), seed=0), end_uniforms(layout, np.arange(2), 0))
    assert not p.has_recruitment[0]
    assert np.all(p.review_days[:, 0] == np.inf) and np.all(p.bonus0[:, 0] == 1.0)


def test_equations_read_no_field_the_table_lacks() -> None:
    from pawns.model import equations

    source = inspect.getsource(equations)
    used = {node.attr for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "p" and not node.attr.startswith("_")}
    assert used <= set(Parameters._fields), used - set(Parameters._fields)
