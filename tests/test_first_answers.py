"""First answers while the paired runs go on: told as soon as their runs finish, equal to the summary's."""

from __future__ import annotations

import pytest

from pawns.analysis.outcomes import chunk_outcomes
from pawns.analysis.summary import first_answers
from pawns.analysis.variants import without_contingents
from pawns.cli.render import first_answer_lines
from pawns.dashboard.runs import run_questions
from pawns.engine.plan import Ensemble, Plan
from pawns.engine.store import RunStore
from pawns.errors import RunInterrupted
from pawns.evidence import load_scenario
from pawns.model.layout import Layout

MEMBERS, CHUNK, SEED = 24, 8, 3


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("ru-ua-2024")


def _store(path, scenario, resume=False):
    ensembles = [Ensemble("main", Layout.from_scenario(scenario)), Ensemble("without", Layout.from_scenario(without_contingents(scenario)))]
    return RunStore(path, Plan.of(ensembles, MEMBERS, seed=SEED, chunk_size=CHUNK), resume=resume)


def test_each_ensemble_is_announced_once_when_its_last_chunk_is_stored(tmp_path, scenario):
    store, told, stored = _store(tmp_path / "run", scenario), [], []

    def progress(steps: int) -> None:
        if steps > 0:
            stored.append(steps)
            if len(stored) > 4:  # main's three chunks and one of without's, then Ctrl-C
                raise KeyboardInterrupt

    def on_ensemble(label: str) -> None:
        told.append((label, len(stored)))
        assert len(store.outcomes(label)) == MEMBERS  # complete when announced

    with pytest.raises(RunInterrupted):
        store.execute(chunk_outcomes, progress=progress, on_ensemble=on_ensemble)
    assert told == [("main", 3)]

    resumed, told = _store(tmp_path / "run", scenario, resume=True), []
    stored.clear()
    one_chunk = CHUNK * resumed.plan.ensemble("main").layout.steps  # not the first call's count of the steps found done
    resumed.execute(chunk_outcomes, progress=lambda steps: stored.append(steps) if steps == one_chunk else None,
                    on_ensemble=lambda label: told.append((label, len(stored))))
    assert told == [("main", 0), ("without", 2)]  # a finished ensemble at once, the other after its two missing chunks


@pytest.fixture(scope="module")
def answered(scenario):
    """A run of the question plan (the dashboard's path: outcome tables of every ensemble and the summary)."""
    return run_questions(scenario, MEMBERS, SEED, engine="compiled")


def _figures(node):
    """An answer without its "reason" (why needs the loop cuts, which run later)."""
    return {key: _figures(value) for key, value in node.items() if key != "reason"} if isinstance(node, dict) else node


def test_first_answers_equal_the_summary(scenario, answered):
    summary, outcomes = answered.data.summary, answered.data.outcomes
    layout = Layout.from_scenario(scenario)

    assert first_answers(scenario, layout, {"without": outcomes["without"]}) == {}
    only_main = first_answers(scenario, layout, {"main": outcomes["baseline"]})
    assert only_main["endurance"] == summary["endurance"] and "Q1" not in only_main

    both = first_answers(scenario, layout, {"main": outcomes["baseline"], "without": outcomes["without"]})
    assert both["Q1"]["host"] == summary["questions"]["Q1"]["host"]
    for key in ("rmst_days_bought", "tolerance_shift_days", "p_end_change"):
        assert _figures(both["Q1"][key]) == _figures(summary["questions"]["Q1"][key]), key


def test_first_answer_lines_tell_each_part_once(scenario, answered):
    layout, outcomes, shown = Layout.from_scenario(scenario), answered.data.outcomes, set()
    main_only, both = {"main": outcomes["baseline"]}, {"main": outcomes["baseline"], "without": outcomes["without"]}
    names = {"RU": "Russia", "UA": "Ukraine"}.get

    first = first_answer_lines(first_answers(scenario, layout, main_only), shown, names)
    assert len(first) == 1 and "Russia's ends by the horizon in" in first[0] and "Ukraine's ends" in first[0]
    assert f"{MEMBERS:,} members" in first[0]
    second = first_answer_lines(first_answers(scenario, layout, both), shown, names)
    assert len(second) == 1 and second[0].startswith("[bold]Q1[/bold]") and "keeps Russia fighting" in second[0]
    assert "Why" not in second[0]
    assert first_answer_lines(first_answers(scenario, layout, both), shown, names) == []
