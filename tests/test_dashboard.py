"""The dashboard without a browser: levers bounded by the schema, settings, runs, cancellation, export."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from pawns.cli.main import app
from pawns.dashboard.exports import export_run
from pawns.dashboard.levers import ContingentSizeLever, IntegerLever, LeverError, ParameterLever, schema_field
from pawns.dashboard.runs import paired_comparison, run_questions
from pawns.dashboard.settings import Base, Settings, parse_members, scenario_toml
from pawns.dashboard.worker import Cancelled, LatestWins
from pawns.errors import PawnsError, ScenarioError
from pawns.evidence import load_scenario
from pawns.scenario.schema import Meta, admissible_range

SHORT = ["scenario.horizon_days=60"]
SIZE = "contingents.DPRK.size_persons"
SHARE = "contingents.DPRK.combat_share"
US_AID = "supporters.west.blocs.US.aid_eur_bn_per_year_at_start"
EUROPE_HAZARD = "supporters.west.blocs.Europe.policy_change_per_year"


@pytest.fixture(scope="module")
def base() -> Base:
    return Base.load("ru-ua-2024", SHORT)


def test_the_levers_analysts_move_are_there(base: Base) -> None:
    keys = {lever.key for lever in base.levers}
    assert {SIZE, SHARE, US_AID, EUROPE_HAZARD, "contingents.DPRK.tour_days", "contingents.DPRK.substitution_share",
            "contributors.DPRK.shells.deliveries.0.shells_per_day", "supporters.west.blocs.US.policy_change_per_year",
            "scenario.horizon_days"} <= keys
    assert base.lever(EUROPE_HAZARD).read(base.raw) == 0.0, "Europe's hazard is the schema's neutral default"


def test_every_lever_takes_its_range_from_the_schema(base: Base) -> None:
    kinds = {type(lever) for lever in base.levers}
    assert {IntegerLever, ContingentSizeLever, ParameterLever} <= kinds
    for lever in base.levers:
        if isinstance(lever, ParameterLever):
            assert (lever.low, lever.high, lever.low_exclusive) == admissible_range(lever.key)
            assert lever.help == (schema_field(lever.key).description or "")
    horizon = base.lever("scenario.horizon_days")
    rules = {type(rule).__name__: rule for rule in Meta.model_fields["horizon_days"].metadata}
    assert (horizon.low, horizon.high) == (rules["Gt"].gt + 1, rules["Le"].le)
    size = base.lever(SIZE)
    assert (size.low, size.high) == admissible_range("contingents.DPRK.tranches.0.size_persons")[:2]


@pytest.mark.parametrize("key, text", [(SHARE, "1.5"), (SHARE, "-0.1"), (SIZE, "abc"), (SIZE, "nan"), (SIZE, "1e400"),
                                       ("scenario.horizon_days", "0"), ("scenario.horizon_days", "36501"),
                                       ("scenario.horizon_days", "12.5"), ("contingents.DPRK.first_arrival", "2024-13-01")])
def test_an_out_of_range_or_malformed_entry_is_refused_in_one_line(base: Base, key: str, text: str) -> None:
    with pytest.raises(LeverError) as refused:
        base.lever(key).parse(text)
    message = str(refused.value)
    assert "expected" in message and "\n" not in message


def test_members_are_bounded() -> None:
    assert parse_members("1,000") == 1000
    for text in ("0", "-3", "1.5", "100001", "many"):
        with pytest.raises(LeverError):
            parse_members(text)


def test_the_size_lever_scales_every_tranche_and_keeps_their_spread(base: Base) -> None:
    lever = base.lever(SIZE)
    applied = base.apply(Settings().with_value(SIZE, 30_000.0))
    tranches = applied.scenario.contingents["DPRK"].tranches
    assert sum(t.size_persons.central() for t in tranches) == pytest.approx(30_000)
    factor = 30_000 / float(lever.read(base.raw))
    for old, new in zip(base.scenario.contingents["DPRK"].tranches, tranches):
        assert new.size_persons.dist == old.size_persons.dist
        assert new.size_persons.high - new.size_persons.low == pytest.approx(factor * (old.size_persons.high - old.size_persons.low))
        assert "pawns dashboard" in new.size_persons.assumption


def test_role_mix_and_schedule_levers(base: Base) -> None:
    applied = base.apply(Settings().with_value(SHARE, 0.0).with_value("contingents.DPRK.first_arrival", dt.date(2024, 11, 12)))
    tranches = applied.scenario.contingents["DPRK"].tranches
    assert {t.role for t in tranches} == {"labor"}
    old = [t.date for t in base.scenario.contingents["DPRK"].tranches]
    assert [t.date for t in tranches] == [d + dt.timedelta(days=30) for d in old]
    assert base.lever(SHARE).read(applied.raw) == 0.0


def test_a_setting_the_schema_refuses_is_refused_with_its_key(base: Base) -> None:
    with pytest.raises(ScenarioError, match="before the start date"):
        base.apply(Settings().with_value("contingents.DPRK.first_arrival", dt.date(2024, 1, 1)))


def test_the_exported_settings_validate_and_load_as_set(base: Base, tmp_path: Path) -> None:
    settings = (Settings().with_value(SIZE, 30_000.0).with_value(US_AID, 0.0).with_value(SHARE, 0.5)
                .with_value(EUROPE_HAZARD, 0.5).with_value("contingents.DPRK.substitution_share", 0.2))
    applied = base.apply(settings, "ru-ua-2024-what-if")
    file = tmp_path / "what-if.toml"
    file.write_text(scenario_toml(applied, base.source, settings), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(file)])
    assert result.exit_code == 0, result.output
    loaded = load_scenario(str(file))
    assert loaded == applied.scenario
    assert loaded.supporters["west"].blocs["US"].aid_eur_bn_per_year_at_start.value == 0.0
    assert loaded.supporters["west"].blocs["Europe"].policy_change_per_year.value == 0.5  # a default of the schema, moved
    assert loaded.contingents["DPRK"].substitution_share.central() == pytest.approx(0.2)


def test_moving_a_lever_moves_the_answer_in_its_direction(base: Base) -> None:
    """More DPRK troops take a larger share of Russia's casualties (paired: the same members and seed)."""
    small = run_questions(base.apply(Settings()).scenario, 24, 3, engine="numpy")
    large = run_questions(base.apply(Settings().with_value(SIZE, 40_000.0)).scenario, 24, 3, engine="numpy")
    share = lambda o: o.data.summary["questions"]["Q4"]["foreign_share_of_host_casualties"]["median"]  # noqa: E731
    assert share(large) > 2 * share(small)
    assert small.data.summary["channels"]["rows"], "the channel decomposition is part of a run"
    assert small.data.summary["answers_depth"] == "core", "the dashboard's summary says how deep it answered"
    compared = paired_comparison(small, large)
    killed = compared.effects["B"].contingent_killed
    assert np.all(killed >= 0) and killed.mean() > 0
    with pytest.raises(ValueError, match="do not pair"):
        paired_comparison(small, run_questions(base.apply(Settings()).scenario, 24, 4, engine="numpy"))


def test_a_run_stops_when_its_progress_says_it_was_replaced(base: Base) -> None:
    shares: list[float] = []

    def progress(share: float) -> None:
        shares.append(share)
        raise Cancelled("replaced")

    with pytest.raises(Cancelled):
        run_questions(base.apply(Settings()).scenario, 600, 0, engine="numpy", progress=progress)
    assert len(shares) == 1 and shares[0] < 0.2, "the run stopped after its first chunk"


def test_a_newer_request_cancels_the_older_one() -> None:
    started, release = threading.Event(), threading.Event()
    delivered: list[tuple[int, object]] = []
    done = threading.Event()

    def work(request: str, ticket) -> str:
        if request == "old":
            started.set()
            while True:  # a long run, checking between its chunks
                release.wait(0.01)
                ticket.progress(0.5)
        return request.upper()

    def on_result(number: int, result: object, error: BaseException | None) -> None:
        delivered.append((number, result))
        done.set()

    worker = LatestWins(work, on_result)
    try:
        old = worker.submit("old")
        assert started.wait(10)
        new = worker.submit("new")
        assert done.wait(10)
        assert delivered == [(new, "NEW")]
        assert worker.cancelled == [old]
    finally:
        worker.close(timeout=10)


def test_a_failed_request_is_delivered_as_its_error() -> None:
    done = threading.Event()
    seen: list[BaseException | None] = []

    def work(request: str, ticket) -> str:
        raise PawnsError("bad input")

    worker = LatestWins(work, lambda number, result, error: (seen.append(error), done.set()))
    try:
        worker.submit("x")
        assert done.wait(10)
        assert isinstance(seen[0], PawnsError)
    finally:
        worker.close(timeout=10)


def test_export_writes_only_under_its_folder_and_refuses_a_path_for_a_name(base: Base, tmp_path: Path) -> None:
    out = tmp_path / "out"
    outcome = run_questions(base.apply(Settings()).scenario, 12, 0, engine="numpy")
    settings = Settings(members=12)
    applied = base.apply(settings, "mine")
    for name in ("../evil", "/tmp/evil", "a/b", "", ".hidden"):
        with pytest.raises(PawnsError):
            export_run(out, name, scenario_toml(applied, base.source, settings), outcome.data)
    assert not out.exists()
    folder = export_run(out, "mine", scenario_toml(applied, base.source, settings), outcome.data)
    assert folder == out / "mine"
    assert (folder / "mine.toml").is_file() and (folder / "report.html").is_file()
    again = export_run(out, "mine", scenario_toml(applied, base.source, settings), outcome.data)  # an earlier export is replaced
    assert again == folder and sorted(p.name for p in out.iterdir()) == ["mine"]
    (tmp_path / "out" / "other").mkdir()
    (tmp_path / "out" / "other" / "notes.txt").write_text("mine, not pawns'")
    with pytest.raises(PawnsError, match="did not write"):
        export_run(out, "other", scenario_toml(applied, base.source, settings), outcome.data)
