"""``pawns run`` and ``pawns compare``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Callable, List, Optional

import typer

from pawns.cli.common import Bar, progress_bar, show_progress, status, user_errors
from pawns.cli.compile_beside import EngineOption, check_engine, engine_for
from pawns.cli.options import (
    ChunkOption, MembersOption, QuietOption, RecordOption, RestartOption, ResumeOption, SchedulerOption, SeedOption, SetOption,
    check_scheduler,
)
from pawns.cli.report_commands import write_report
from pawns.errors import PawnsError, ScenarioError
from pawns.limits import check_seed
from pawns.outputs import folder_output

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from pawns.analysis.ensemble import EnsembleResult
    from pawns.engine.plan import Plan
    from pawns.engine.store import RunStore
    from pawns.outputs.targets import Output
    from pawns.scenario.schema import Scenario

DEFAULT_OUT = Path("pawns-out")
MAX_LABEL = 120
MAX_MEMBERS_WITH_TRAJECTORIES = 100_000
OutcomesOnlyOption = typer.Option(False, "--outcomes-only", help="Keep no trajectories (no results.nc): per-member outcomes, plus "
                                  "daily quantiles of the daily series and observed streams from streamed sketches (within 1.2%). "
                                  f"Needed above {MAX_MEMBERS_WITH_TRAJECTORIES:,} members; memory stays bounded by --chunk-size.")
AnswersOption = typer.Option("full", "--answers", help="full: every paired variant (Q1's dose response and which feedback loop "
                             "produces each answer: 25 paired runs for the default scenario); core: Q1–Q4 and the channel "
                             "decomposition without them (10 paired runs, about 2.5 times faster).")


def run(
    scenario: str = typer.Argument("ru-ua-2024", help="Built-in scenario name or path to a scenario TOML file."),
    members: int = MembersOption,
    seed: int = SeedOption,
    set_: Optional[List[str]] = SetOption,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Results directory (default: ./pawns-out/SCENARIO); an existing one is replaced only if it is an earlier pawns run."),
    chunk_size: int = ChunkOption,
    record_every: int = RecordOption,
    quiet: bool = QuietOption,
    json_output: bool = typer.Option(False, "--json", help="Print the summary as JSON instead of tables."),
    report: bool = typer.Option(False, "--report", help="Also write report.html (with PNG figures beside it) into the results directory."),
    scheduler: Optional[str] = SchedulerOption,
    resume: bool = ResumeOption,
    restart: bool = RestartOption,
    outcomes_only: bool = OutcomesOnlyOption,
    answers: str = AnswersOption,
    engine: str = EngineOption,
) -> None:
    """Run a scenario's ensemble and answer Q1–Q4 with medians and 90% intervals.

    Alongside the scenario, paired variants are run with the same members (common random
    numbers): without its foreign contingents; with every tranche in combat, and as labor; with
    the contingents at half, twice and five times their size (Q1's dose response); with each
    feedback loop cut, with and without the contingents (which loop produces each answer); and
    with each contributor's channel switched off, then all of them (the channel decomposition).
    Days bought, labor against combat, the race and every decomposition are paired differences,
    member by member (docs/answers.md). --answers core leaves out the dose response and the
    loop cuts.

    On a terminal, first answers are printed above the progress bar while the paired runs go
    on: each side's endurance once the scenario's own run is done, then Q1 once its pair
    without the contingents is (the same figures as the final summary's; why, which needs the
    loop cuts, comes with the summary). Runs of more than 100,000 members skip them, so that
    their memory stays bounded by the chunk size.

    Writes to the results directory: results.nc (trajectories, dims member/time/formation/side,
    units in attrs), outcomes.csv (one row per member), outcomes_without.csv, outcomes_combat.csv,
    outcomes_labor.csv, channels.csv (the channel decomposition), summary.json,
    scenario.json (the resolved scenario), observables.csv (daily 5-95% quantiles of the observed
    streams: what the General Staff would claim, controlled area, DPRK casualties, named dead),
    then pawns-output.json (every file with its checksum) and COMPLETE once everything is written.
    An existing results directory is replaced only if it is an earlier pawns run (see
    docs/reliability.md); anything else at --out is refused and left as it is.

    Chunks of members are stored as they finish in a hidden working directory beside the results
    directory (.NAME.partial), so memory stays bounded by the chunk size. If a run stops (Ctrl-C,
    a lost worker), that directory is kept and never looks finished: --resume continues it
    (identical results; every stored chunk is checked first, and a damaged one simulated again),
    --restart discards it.

    With --outcomes-only, results.nc is left out and daily_quantiles.csv (5-95% quantiles of the
    daily cumulative killed, casualties and area) is written instead; observables.csv then comes
    from streamed sketches. This is how to run hundreds of thousands or millions of members.
    """
    _run(scenario, members, seed, set_ or [], out, chunk_size, record_every, quiet, json_output, report, scheduler, resume, restart,
         outcomes_only, answers, engine)


@user_errors
def _run(scenario_name: str, members: int, seed: int, overrides: list[str], out: Path | None, chunk_size: int,
         record_every: int, quiet: bool, json_output: bool, report: bool = False, scheduler: str | None = None,
         resume: bool = False, restart: bool = False, outcomes_only: bool = False, answers: str = "full",
         engine: str = "auto") -> None:
    # The model and its libraries (numpy, pandas, xarray) load here, not at the top: `pawns --help` stays fast.
    from pawns.analysis.channels import CHANNELS_FILE, channels_csv
    from pawns.analysis.ensemble import EnsembleResult
    from pawns.analysis.outcomes import chunk_outcomes
    from pawns.analysis.summary import ANSWER_DEPTHS, QUESTION_VARIANTS, question_plan, summarize, variant_scenarios
    from pawns.analysis.wording import side_name
    from pawns.cli.render import render_summary
    from pawns.engine.distributed import use_scheduler
    from pawns.engine.results import run_files
    from pawns.engine.store import RunStore, require_stored_run_memory
    from pawns.evidence import load_scenario
    from pawns.observations.forecast import chunk_sketches

    if members > MAX_MEMBERS_WITH_TRAJECTORIES and not outcomes_only:
        raise PawnsError(f"--members {members:,}: trajectories of more than {MAX_MEMBERS_WITH_TRAJECTORIES:,} members (about 50 KB "
                         "each) are more than the run's summaries can read back at once; add --outcomes-only")
    check_seed(seed)
    check_engine(engine)
    check_scheduler(scheduler)
    if answers not in ANSWER_DEPTHS:
        raise PawnsError(f"--answers {answers}: expected one of {', '.join(ANSWER_DEPTHS)}")
    scenario = load_scenario(scenario_name, overrides)
    require_stored_run_memory(members, 1 + len(variant_scenarios(scenario, answers)), scenario, chunk_size,
                              trajectories=not outcomes_only)
    plan = question_plan(scenario, members, seed=seed, chunk_size=chunk_size, record_every=record_every, outcomes_only=outcomes_only,
                         depth=answers)
    first_answers = show_progress(quiet) and members <= MAX_MEMBERS_WITH_TRAJECTORIES
    # With first answers to print, the compile beside the run waits for them: they come sooner on a core of their own.
    with engine_for(engine, plan.steps(), scheduler=scheduler, show=show_progress(quiet), start_at_once=not first_answers) as chosen:
        output = folder_output(out if out is not None else DEFAULT_OUT / scenario.meta.name, "run")
        with output.claim():
            store = RunStore(output, plan, resume=resume, restart=restart)
            _print_notes(store)
            with store.kept_for_resume():
                with use_scheduler(scheduler) as evaluator, progress_bar(f"{scenario.meta.name}: {len(plan.ensembles)} paired runs",
                                                                         plan.steps(), show_progress(quiet)) as bar:
                    first = _first_answers(store, scenario, plan, bar, lambda side: side_name(scenario, side),
                                           then=lambda: chosen.compile_beside(bar.note)) if first_answers else None
                    outcomes = store.execute(chunk_outcomes, chunk_sketches, evaluator=evaluator, progress=chosen.watching(bar),
                                             on_ensemble=first, engine=chosen.engine)
                with store.interruptible(), status("summarising and writing the results", show_progress(quiet)):
                    main = plan.ensemble("main")
                    result = EnsembleResult(scenario, main.layout, seed, plan.members, outcomes["main"], store.trajectories())
                    variants = {e.label: outcomes[e.label] for e in plan.ensembles if e.label != "main"}
                    summary = summarize(result, variants, depth=answers)
                    extra = {f"outcomes_{label}.csv": table for label, table in variants.items() if label in QUESTION_VARIANTS}
                    if "channels" in summary:
                        extra[CHANNELS_FILE] = channels_csv(summary["channels"])
                    extra.update(_quantile_files(store, result))
                    files = run_files(outcomes=result.outcomes, summary=summary, scenario_json=scenario.model_dump_json(indent=2),
                                      extra=extra)
                    store.finish(files)
        _tell(output, summary, report=report, quiet=quiet, json_output=json_output,
              render=lambda console: render_summary(summary, console, name=lambda side: side_name(scenario, side)))


def _tell(output: "Output", answers: dict, *, report: bool, quiet: bool, json_output: bool,
          render: Callable[["Console"], None]) -> None:
    """Write the report if asked, then print the answers (JSON, or tables and where the results are)."""
    from rich.console import Console

    if report:
        write_report(output.path, None, quiet, to_stderr=json_output)
    if json_output:
        typer.echo(json.dumps(answers, indent=2))
        return
    console = Console()
    render(console)
    console.print(f"Results written to {output.path}/{output.replaced_note()}")


def _first_answers(store: "RunStore", scenario: "Scenario", plan: "Plan", bar: Bar, name: Callable[[str], str],
                   then: Callable[[], None]) -> Callable[[str], None]:
    """A callback printing what the finished runs answer above the bar (each side's endurance, then Q1) while the rest go on.

    ``then`` is called once they are all printed.
    """
    from pawns.analysis.summary import first_answers
    from pawns.cli.render import first_answer_lines

    finished: dict = {}
    shown: set[str] = set()
    paired = any(ensemble.label == "without" for ensemble in plan.ensembles)

    def on_ensemble(label: str) -> None:
        if label in ("main", "without") and "Q1" not in shown:
            finished[label] = store.outcomes(label)
            for line in first_answer_lines(first_answers(scenario, plan.ensemble("main").layout, finished), shown, name):
                bar.note(line)
            if "without" in finished or not paired:
                finished.clear()  # held no longer than the next run: memory stays bounded by the chunk size
                then()

    return on_ensemble


def _print_notes(store: "RunStore") -> None:
    """What a resumed run found in its stored chunks (on stderr)."""
    for note in store.notes:
        typer.echo(f"note: {note}", err=True)


def _quantile_files(store: "RunStore", result: "EnsembleResult") -> dict[str, str]:
    """observables.csv (and daily_quantiles.csv when sketched): exact from trajectories, else from sketches."""
    from pawns.engine.results import DAILY_QUANTILES_FILE
    from pawns.observations.forecast import forecast_observables, quantile_table, sketched_quantiles

    if result.dataset is not None:
        return {"observables.csv": forecast_observables(result.layout, result.dataset).to_csv(index=False, float_format="%.6g")}
    quantiles = sketched_quantiles(store.sketches("main"))
    daily = {name: q for name, q in quantiles.items() if name.startswith("daily_")}
    observed = {name: q for name, q in quantiles.items() if not name.startswith("daily_")}
    return {"observables.csv": quantile_table(observed, result.layout).to_csv(index=False, float_format="%.6g"),
            DAILY_QUANTILES_FILE: quantile_table(daily, result.layout).rename(columns={"stream": "series"}).to_csv(index=False, float_format="%.6g")}


def compare(
    scenarios: List[str] = typer.Argument(..., help="Two or more scenarios; the first is the baseline the others are compared with."),
    members: int = MembersOption,
    seed: int = SeedOption,
    set_: Optional[List[str]] = SetOption,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Results directory (default: ./pawns-out/compare-A-vs-B...); an existing one is replaced only if it is an earlier pawns comparison."),
    chunk_size: int = ChunkOption,
    quiet: bool = QuietOption,
    json_output: bool = typer.Option(False, "--json", help="Print the comparison as JSON instead of tables."),
    report: bool = typer.Option(False, "--report", help="Also write report.html (with PNG figures beside it) into the results directory."),
    scheduler: Optional[str] = SchedulerOption,
    resume: bool = ResumeOption,
    restart: bool = RestartOption,
    channels: bool = typer.Option(False, "--channels", help="Also decompose each scenario's contributors' help by channel: each channel "
                                  "switched off on its own and all together, paired (channels.csv, with a 'scenario' column)."),
    engine: str = EngineOption,
) -> None:
    """Compare scenarios member by member (common random numbers) against the first.

    Example: `pawns compare ru-ua-2024-no-dprk ru-ua-2024` gives the days of endurance the DPRK's
    help buys Russia, the Russian casualty erosion it absorbs, DPRK lives per day bought and the
    change in the probability that supporters abandon Ukraine first — each with a 90% interval and
    the share of members in which the effect is positive. With --channels, every scenario with
    contributors is also run with each of their channels (troops, shells, missiles, artillery,
    labor, payments) switched off, and the summary holds what each channel buys, as `pawns run` does.
    """
    _compare(scenarios, members, seed, set_ or [], out, chunk_size, quiet, json_output, report, scheduler, resume, restart, channels,
             engine)


@user_errors
def _compare(names: list[str], members: int, seed: int, overrides: list[str], out: Path | None, chunk_size: int,
             quiet: bool, json_output: bool, report: bool = False, scheduler: str | None = None,
             resume: bool = False, restart: bool = False, channels: bool = False, engine: str = "auto") -> None:
    # The model and its libraries load here, not at the top: `pawns --help` stays fast.
    from pawns.analysis.channels import CHANNELS_FILE, channel_variants, channels_csv_by_scenario, decompose
    from pawns.analysis.compare import compare as paired_compare
    from pawns.analysis.ensemble import EnsembleResult
    from pawns.analysis.outcomes import chunk_outcomes
    from pawns.cli.render import render_channels, render_comparison
    from pawns.engine.distributed import use_scheduler
    from pawns.engine.plan import Ensemble, Plan
    from pawns.engine.results import run_files
    from pawns.engine.store import RunStore, require_stored_run_memory
    from pawns.evidence import load_scenario
    from pawns.model.layout import Layout

    if len(names) < 2:
        raise PawnsError("compare needs at least two scenarios: a baseline and one to compare with it")
    check_seed(seed)
    check_engine(engine)
    check_scheduler(scheduler)
    scenarios = [load_scenario(name, overrides) for name in names]
    _check_comparable(names, scenarios)
    decomposed = {number: channel_variants(scenario) if channels else {} for number, scenario in enumerate(scenarios)}
    runs = len(scenarios) + sum(len(found) for found in decomposed.values())
    require_stored_run_memory(members, runs, scenarios[0], chunk_size, trajectories=False)
    output = folder_output(out if out is not None else DEFAULT_OUT / comparison_folder(s.meta.name for s in scenarios),
                           "comparison")
    ensembles = [Ensemble(f"scenario{number}", Layout.from_scenario(scenario)) for number, scenario in enumerate(scenarios)]
    ensembles += [Ensemble(f"scenario{number}-{label}", Layout.from_scenario(variant))
                  for number, found in decomposed.items() for label, variant in found.items()]
    plan = Plan.of(ensembles, members, seed=seed, chunk_size=chunk_size)
    with engine_for(engine, plan.steps(), scheduler=scheduler, show=show_progress(quiet)) as chosen:
        with output.claim():
            store = RunStore(output, plan, resume=resume, restart=restart, kind="comparison")
            _print_notes(store)
            with store.kept_for_resume():
                with use_scheduler(scheduler) as evaluator, progress_bar(f"comparing {len(scenarios)} scenarios", plan.steps(),
                                                                         show_progress(quiet)) as advance:
                    outcomes = store.execute(chunk_outcomes, evaluator=evaluator, progress=chosen.watching(advance), engine=chosen.engine)
                with store.interruptible(), status("comparing and writing the results", show_progress(quiet)):
                    results = [EnsembleResult(scenario, ensemble.layout, seed, plan.members, outcomes[ensemble.label], None)
                               for ensemble, scenario in zip(plan.ensembles, scenarios)]
                    comparison = paired_compare(results[0], results[1:])
                    extra = {f"outcomes_{r.scenario.meta.name}.csv": r.outcomes for r in results[1:]}
                    if channels:
                        sections = {}
                        for number, result in enumerate(results):
                            found = {label: outcomes[f"scenario{number}-{label}"] for label in decomposed[number]}
                            decomposition = decompose(result.scenario, result.layout, result.outcomes, found, float(result.layout.horizon_days))
                            if decomposition is not None:
                                sections[result.scenario.meta.name] = decomposition.as_dict()
                        comparison["channels"] = sections
                        extra[CHANNELS_FILE] = channels_csv_by_scenario(sections)
                    scenario_json = json.dumps([json.loads(s.model_dump_json()) for s in scenarios], indent=2)
                    store.finish(run_files(outcomes=results[0].outcomes, summary=comparison, scenario_json=scenario_json, extra=extra))

        def render(console: "Console") -> None:
            render_comparison(comparison, console)
            for name, section in comparison.get("channels", {}).items():
                render_channels(section, console, title=f"{name}: what each channel of the help buys {section['host']} (paired)")

        _tell(output, comparison, report=report, quiet=quiet, json_output=json_output, render=render)


def comparison_folder(names) -> str:
    """The default folder name of a comparison: ``compare-A-vs-B``, shortened with a digest when long."""
    import hashlib

    label = "-vs-".join(names)
    if len(label) > MAX_LABEL:
        label = f"{label[:MAX_LABEL - 9]}-{hashlib.sha256(label.encode()).hexdigest()[:8]}"
    return f"compare-{label}"


def _check_comparable(names: list[str], scenarios: list["Scenario"]) -> None:
    first = scenarios[0]
    for name, scenario in zip(names[1:], scenarios[1:]):
        if list(scenario.sides) != list(first.sides):
            raise ScenarioError(name, "sides", f"the same sides as the baseline {list(first.sides)}", list(scenario.sides))
        if scenario.meta.horizon_days != first.meta.horizon_days or scenario.meta.step_days != first.meta.step_days:
            raise ScenarioError(name, "scenario.horizon_days", "the same horizon and step as the baseline, so members pair day by day")


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the application."""
    app.command("run")(run)
    app.command("compare")(compare)
