"""``pawns sensitivity`` and ``pawns discover``: which assumptions drive the answers (Q5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from pawns.cli.common import progress_bar, require_run_memory, show_progress, user_errors
from pawns.cli.options import ChunkOption, QuietOption, SchedulerOption, SeedOption, SetOption
from pawns.limits import check_seed
from pawns.outputs import folder_output

DEFAULT_OUT = Path("pawns-out")
SENSITIVITY_FILE = "sensitivity.json"
DISCOVERY_FILE = "discovery.json"
DesignOption = typer.Option(None, "--design", help="posterior: members draw the calibrated parameters jointly from the scenario's "
                            "posterior particles, as `pawns run` draws them (the default where the scenario names a posterior); "
                            "prior: every parameter from its own distribution, the posterior ignored.")


def sensitivity(
    scenario: str = typer.Argument("ru-ua-2024", help="Built-in scenario name or path to a scenario TOML file."),
    output: Optional[List[str]] = typer.Option(
        None, "--output", "-y", help="Outcome to analyse (repeatable). Default: the outcomes that spread across members -- days of "
                                     "the host's casualty erosion the contingent absorbs, abandonment before the opponent's endurance "
                                     "ends, territory taken. A wrong name lists the valid ones."),
    method: str = typer.Option("auto", "--method", "-m", help="sobol, morris, or auto (Morris above 30 uncertain parameters, else Sobol')."),
    samples: Optional[int] = typer.Option(None, "--samples", min=2, help="Sobol' base sample N (a power of 2; default 128) or Morris trajectories r (default 40)."),
    vary: Optional[List[str]] = typer.Option(None, "--vary", help="Vary only the uncertain parameters matching this glob (repeatable), "
                                                                  "e.g. 'supporters.*'; the others are held at their medians."),
    top: int = typer.Option(15, "--top", min=1, help="Parameters shown in the table and the charts."),
    design: Optional[str] = DesignOption,
    seed: int = SeedOption,
    set_: Optional[List[str]] = SetOption,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output directory (default: ./pawns-out/SCENARIO-sensitivity); an existing one is replaced only if it is an earlier pawns sensitivity output."),
    chunk_size: int = ChunkOption,
    scheduler: Optional[str] = SchedulerOption,
    quiet: bool = QuietOption,
    json_output: bool = typer.Option(False, "--json", help="Print the indices as JSON instead of tables."),
) -> None:
    """Global sensitivity: which uncertain parameters drive each outcome (Sobol' indices or Morris screening).

    Every uncertain parameter of the scenario is varied (fixed ones keep their value). In a
    calibrated scenario the calibrated parameters are drawn together from posterior particles, as
    `pawns run` draws them, and count as one factor, 'posterior' (a second table ranks the
    parameters inside it); the others vary each over its own distribution. Sobol' costs
    N x (D + 2) runs for D factors, Morris r x (D + 1); paired outcomes (days absorbed) run every
    design row again without the contingents. Example:
    `pawns sensitivity --output tolerance_days_bought --method morris`.

    Writes sensitivity.json, sensitivity.csv, sensitivity.md and one bar chart per outcome
    (sensitivity_OUTCOME.png) to the output directory, then its manifest (pawns-output.json) and COMPLETE.
    """
    _sensitivity(scenario, output or [], method, samples, vary or [], top, seed, set_ or [], out, chunk_size, quiet, json_output, scheduler,
                 design)


@user_errors
def _sensitivity(scenario_name: str, outputs: list[str], method: str, samples: int | None, vary: list[str], top: int, seed: int,
                 overrides: list[str], out: Path | None, chunk_size: int, quiet: bool, json_output: bool,
                 scheduler: str | None = None, design: str | None = None) -> None:
    from rich.console import Console

    from pawns.analysis.design_runs import run_steps
    from pawns.analysis.explore_figures import sensitivity_figure
    from pawns.analysis.sensitivity import plan_sensitivity, run_sensitivity_plan, to_dict
    from pawns.cli.explore_render import render_sensitivity, sensitivity_csv, sensitivity_markdown
    from pawns.engine.distributed import use_scheduler
    from pawns.evidence import load_scenario

    check_seed(seed)
    scenario = load_scenario(scenario_name, overrides)
    plan = plan_sensitivity(scenario, outputs, method=method, samples=samples, seed=seed, vary=vary, design=design)
    output = folder_output(out if out is not None else DEFAULT_OUT / f"{scenario.meta.name}-sensitivity", "sensitivity")
    total = run_steps(scenario, plan.design.rows, plan.paired)
    require_run_memory(plan.runs, scenario, chunk_size, f"{plan.runs:,} runs of {scenario.meta.name}",
                       "use a smaller --samples or fewer --vary parameters")
    label = f"{scenario.meta.name}: {plan.design.method} on the {plan.factors.design}, {plan.runs:,} runs"
    with output.claim():
        with use_scheduler(scheduler) as evaluator, progress_bar(label, total, show_progress(quiet)) as advance:
            result = run_sensitivity_plan(plan, chunk_size=chunk_size, progress=advance, evaluator=evaluator)
        data = to_dict(result)
        files: dict[str, str | bytes] = {}
        for outcome in data["outcomes"]:
            outcome["figure"] = f"sensitivity_{outcome['name']}.png" if outcome["varies"] else None
            if outcome["figure"]:
                files[outcome["figure"]] = sensitivity_figure(data, outcome, top)
        files[SENSITIVITY_FILE] = json.dumps(data, indent=2) + "\n"
        files["sensitivity.csv"] = sensitivity_csv(data)
        files["sensitivity.md"] = sensitivity_markdown(data, top)
        output.write_files(files)
    if json_output:
        typer.echo(json.dumps(data, indent=2))
        return
    console = Console()
    render_sensitivity(data, console, top)
    console.print(f"Written to {output.path}/{output.replaced_note()}")


def discover(
    scenario: str = typer.Argument("ru-ua-2024", help="Built-in scenario name or path to a scenario TOML file."),
    where: str = typer.Option(..., "--where", "-w", help="Condition over outcome names, e.g. \"abandon_before_RU_end\", "
                                                         "\"abandon_day < RU_end_day\" or \"UA_end_cause == 'materiel'\"."),
    members: int = typer.Option(4000, "--members", "-n", min=20, help="Ensemble members to run (the same members `pawns run` draws with this seed)."),
    min_coverage: float = typer.Option(0.5, "--min-coverage", help="Choose the densest box on the trajectory that holds at least this share of the cases."),
    alpha: float = typer.Option(0.05, "--alpha", help="Share of the box's runs each peeling step removes."),
    min_mass: float = typer.Option(0.05, "--min-mass", help="Smallest share of all runs a box may hold."),
    pasting: bool = typer.Option(False, "--paste/--no-paste", help="Widen the chosen box again where that does not lower its density."),
    boxes: int = typer.Option(1, "--boxes", min=1, help="Boxes to find, each among the runs outside the boxes before it."),
    design: Optional[str] = DesignOption,
    seed: int = SeedOption,
    set_: Optional[List[str]] = SetOption,
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output directory (default: ./pawns-out/SCENARIO-discovery); an existing one is replaced only if it is an earlier pawns discovery output."),
    chunk_size: int = ChunkOption,
    scheduler: Optional[str] = SchedulerOption,
    quiet: bool = QuietOption,
    json_output: bool = typer.Option(False, "--json", help="Print the boxes as JSON instead of tables."),
) -> None:
    """Scenario discovery with PRIM: the regions of parameter space where a condition holds.

    Runs the scenario's ensemble, marks the members where the condition holds, and peels the
    parameter space down to boxes where it holds far more often than overall, reporting the
    coverage/density trade-off and each restricted parameter's bounds in its own units.
    A wrong outcome name or a malformed condition is an error listing the valid names.

    Writes discovery.json, discovery.md and one chart per box (discovery_boxK.png) to the
    output directory, then its manifest (pawns-output.json) and COMPLETE.
    """
    _discover(scenario, where, members, min_coverage, alpha, min_mass, pasting, boxes, seed, set_ or [], out, chunk_size, quiet,
              json_output, scheduler, design)


@user_errors
def _discover(scenario_name: str, where: str, members: int, min_coverage: float, alpha: float, min_mass: float, pasting: bool,
              boxes: int, seed: int, overrides: list[str], out: Path | None, chunk_size: int, quiet: bool, json_output: bool,
              scheduler: str | None = None, design: str | None = None) -> None:
    from rich.console import Console

    from pawns.analysis.design_runs import run_steps
    from pawns.analysis.discovery import plan_discovery, run_discovery, to_dict
    from pawns.analysis.explore_figures import discovery_figure
    from pawns.cli.explore_render import discovery_markdown, render_discovery
    from pawns.engine.distributed import use_scheduler
    from pawns.evidence import load_scenario

    check_seed(seed)
    scenario = load_scenario(scenario_name, overrides)
    require_run_memory(2 * members, scenario, chunk_size, f"{members:,} members of {scenario.meta.name} (twice when paired)",
                       "use fewer --members")
    plan = plan_discovery(scenario, where, members=members, seed=seed, alpha=alpha, min_mass=min_mass,
                          min_coverage=min_coverage, pasting=pasting, boxes=boxes, design=design)
    output = folder_output(out if out is not None else DEFAULT_OUT / f"{scenario.meta.name}-discovery", "discovery")
    total = run_steps(scenario, members, plan.paired)
    with output.claim():
        with use_scheduler(scheduler) as evaluator, progress_bar(f"{scenario.meta.name}: {plan.runs:,} runs", total, show_progress(quiet)) as advance:
            result = run_discovery(plan, chunk_size=chunk_size, progress=advance, evaluator=evaluator)
        data = to_dict(result)
        files: dict[str, str | bytes] = {}
        for box in data["boxes"]:
            box["figure"] = f"discovery_box{box['box']}.png"
            files[box["figure"]] = discovery_figure(data, box)
        files[DISCOVERY_FILE] = json.dumps(data, indent=2) + "\n"
        files["discovery.md"] = discovery_markdown(data)
        output.write_files(files)
    if json_output:
        typer.echo(json.dumps(data, indent=2))
        return
    console = Console()
    render_discovery(data, console)
    console.print(f"Written to {output.path}/{output.replaced_note()}")


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the application."""
    app.command("sensitivity")(sensitivity)
    app.command("discover")(discover)
