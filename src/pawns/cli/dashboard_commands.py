"""``pawns dashboard``: explore a scenario live in the browser."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from pawns.cli.common import user_errors
from pawns.cli.options import MembersOption, SeedOption, SetOption

DEFAULT_OUT = Path("pawns-out") / "dashboard"
MAX_PORT = 65535


def dashboard(
    scenario: str = typer.Argument("ru-ua-2024", help="Built-in scenario name or path to a scenario TOML file to start from."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. The default is this machine only; any other "
                             "address lets others reach the dashboard (a warning says so)."),
    port: int = typer.Option(5006, "--port", min=0, max=MAX_PORT, help="Port to listen on (0: any free port; the URL printed says which)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output directory: exports go to OUT/NAME/ (default: ./pawns-out/dashboard). "
                                       "Nothing is written anywhere else."),
    members: int = typer.Option(1000, "--members", "-n", min=1, max=100_000, help=MembersOption.help),
    seed: int = SeedOption,
    set_: Optional[List[str]] = SetOption,
    engine: str = typer.Option("auto", "--engine", help="auto: the compiled engine once numba has compiled it (compiled in the "
                               "background the first time), the numpy engine until then; compiled or numpy: always that one."),
) -> None:
    """Explore a scenario live in the browser: move levers, read Q1–Q4, compare, export.

    Starts a local web server (Panel/Bokeh; it serves its own scripts and works with no
    network) and prints its URL. The page has a control for each lever analysts move —
    contingent size, schedule, role mix, tour length and substitution share; a contributor's
    shells, missiles and artillery; each donor bloc's aid, shells, policy-change hazard and
    fatigue; horizon, members and seed — bounded by the scenario schema's ranges. An
    entry out of range or malformed is refused beside its control and the last good result
    stays. Every good entry re-runs the scenario and its paired variants (as `pawns run`) off
    the page's thread, a newer entry cancelling an older run, and shows Q1–Q4 with 90%
    intervals, fan charts with the observed series over them, and the channel decomposition.

    "Keep the current result as A" compares A with every later result B, member by member
    (the same members and seed: common random numbers). "Export" writes the current settings
    as a scenario file (`pawns validate` accepts it; `pawns run` runs it) and the report of
    the current run into OUT/NAME/.
    """
    _dashboard(scenario, host, port, out, members, seed, set_ or [], engine)


@user_errors
def _dashboard(scenario: str, host: str, port: int, out: Path | None, members: int, seed: int, overrides: list[str],
               engine: str) -> None:
    # The model, Panel and Bokeh load here, not at the top: `pawns --help` stays fast.
    from pawns.cli.compile_beside import check_engine
    from pawns.dashboard.server import serve
    from pawns.dashboard.settings import Base
    from pawns.limits import check_seed

    check_engine(engine)
    check_seed(seed)
    base = Base.load(scenario, overrides)
    serve(base, host=host, port=port, out_dir=out if out is not None else DEFAULT_OUT, engine=engine, members=members, seed=seed,
          say=lambda line: typer.echo(line), warn=lambda line: typer.echo(line, err=True))


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the application."""
    app.command("dashboard")(dashboard)
