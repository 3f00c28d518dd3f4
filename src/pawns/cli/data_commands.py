"""``pawns data update`` and ``pawns data show``: the user's newer data over the shipped ones."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from pawns.cli.common import data_dir_in_use, user_errors
from pawns.cli.options import DataDirOption
from pawns.observations.plausibility import AREA_RANGE_KM2, FIRST_DAY, MAX_AREA_CHANGE_KM2_PER_DAY, MAX_PERSONS_PER_DAY

data_app = typer.Typer(
    name="data",
    help=(
        "Bring the observed series and the evidence ledger up to date from files you download.\n\n"
        "pawns ships the General Staff's loss claims, the DeepState and Liveuamap areas and the named dead "
        "as they stood when it was released (the ledger's claims: published by 2025-12-31). `pawns data "
        "update` imports newer public files into your user data directory, which every command then reads "
        "over the shipped data; `pawns data show` says what is read from where."
    ),
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@data_app.command("update")
def update(
    files: List[Path] = typer.Argument(..., show_default=False, help="Files to import: General Staff losses JSON, DeepState GeoJSON snapshots, claims CSV (any mix)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check the files and show what would change; write nothing."),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """Import newer public data into the user data directory, after checking all of it.

    Accepted files, told apart by their content:

    - `russia_losses_personnel.json` from PetroIvaniuk/2022-Ukraine-Russia-War-Dataset (folder
      `data/`): Ukraine's General Staff's daily cumulative claim of Russian personnel losses;
      stream `ua_gs_russian_personnel_cumulative`.

    - `deepstatemap_data_YYYYMMDD.geojson` from cyterat/deepstate-map-data (folder `data/`), as
      many days as you like: the area occupied on the DeepState map that day, computed as the
      geodesic (WGS84) area of the union of its polygons; stream `russian_occupied_area_km2_deepstate`.

    - a CSV of claims in the evidence ledger's columns (those of
      `src/pawns/evidence/data/claims_public_reporting.csv`; see docs/evidence.md), with new ids
      (e.g. `U-001`): they join the ledger, subject to the vantage rule like every claim.

    Checks, before anything is written: dates are real days from {first_day} to today; counts are
    whole persons; cumulative claims never decrease and rise by at most {persons:,} a day; areas lie
    in Ukraine's region, between {low:,.0f} and {high:,.0f} km² and move by at most {area:,.0f} km² a day;
    claims pass the ledger's rules and do not reuse the package's ids for other claims. The first
    problem is one line naming the file (exit code 2) and nothing changes. Otherwise a table
    shows the rows added and changed per stream, and the directory is rewritten as a whole, with
    each file logged (time, path, SHA-256) in `imports.csv` and a manifest of checksums that every
    command checks when it reads the data. A directory holding files `pawns data update` did not
    write is refused and left as it is.

    The user data directory is `--data-dir`, else `$PAWNS_DATA_DIR`, else the platform's user data
    folder (`~/.local/share/pawns` on Linux). Delete it to go back to the shipped data.
    """
    _update(files, dry_run, data_dir)


update.__doc__ = update.__doc__.format(first_day=FIRST_DAY, persons=MAX_PERSONS_PER_DAY, low=AREA_RANGE_KM2[0],  # type: ignore[union-attr]
                                       high=AREA_RANGE_KM2[1], area=MAX_AREA_CHANGE_KM2_PER_DAY)


@data_app.command("show")
def show(data_dir: Optional[Path] = DataDirOption) -> None:
    """Show each observed stream's dates, shipped and imported, and the claims imported.

    For each stream: the dates the package ships, the rows imported into the user data directory
    (which override shipped rows of the same dates and extend the series), and the dates every
    command reads. Then the number of imported claims, and the directory itself.
    """
    _show(data_dir)


@user_errors
def _update(files: list[Path], dry_run: bool, data_dir: Path | None) -> None:
    from rich.console import Console

    from pawns.observations.update import apply_update, plan_update

    with data_dir_in_use(data_dir):
        plan = plan_update(files)
    console = Console()
    _print_changes(console, plan)
    if dry_run:
        console.print(f"Dry run: nothing written to {plan.folder}.")
    elif not plan.changes_anything:
        console.print(f"Nothing new: {plan.folder} is unchanged.")
    else:
        apply_update(plan)
        console.print(f"Written to {plan.folder} (log: imports.csv).")


def _print_changes(console: object, plan: object) -> None:
    from rich import box
    from rich.table import Table

    table = Table(title="What the files change (rows per stream; claims for the ledger)", box=box.SIMPLE_HEAD)
    table.add_column("stream", no_wrap=True)
    for column in ("added", "changed", "unchanged"):
        table.add_column(column, justify="right", min_width=len(column))
    table.add_column("dates in the files")
    table.add_column("stream ends", min_width=10)
    for change in plan.changes:  # type: ignore[attr-defined]
        dates = f"{change.first}..{change.last}" if change.first else "—"
        table.add_row(change.target, f"{change.added:,}", f"{change.changed:,}", f"{change.unchanged:,}", dates,
                      str(change.ends) if change.ends else "—")
    console.print(table)  # type: ignore[attr-defined]


@user_errors
def _show(data_dir: Path | None) -> None:
    from rich.console import Console
    from rich.markup import escape

    from pawns.evidence.user_claims import read_user_claims
    from pawns.observations.catalog import CATALOG, load_observed, load_shipped, load_user_rows
    from pawns.user_data import data_dir as current_data_dir

    console = Console()
    with data_dir_in_use(data_dir):
        folder = current_data_dir()
        for name, stream in CATALOG.items():
            shipped, user, read = load_shipped(name), load_user_rows(name), load_observed(name)
            imported = "none" if user is None else _span(user)
            console.print(f"[bold]{name}[/bold] ({escape(stream.units)}, {stream.frequency})\n"
                          f"  shipped {_span(shipped)}; imported {imported}; read {_span(read)}", highlight=False)
    claims = read_user_claims(folder)
    console.print(f"Imported claims in the evidence ledger: {len(claims):,}.")
    console.print(f"User data directory: {folder}" + ("" if folder.is_dir() else " (none yet: only the shipped data are read)"),
                  highlight=False)


def _span(series: object) -> str:
    index = series.index  # type: ignore[attr-defined]
    return f"{index[0].date()}..{index[-1].date()} ({len(index):,} rows)" if len(index) else "none"


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the application."""
    app.add_typer(data_app, name="data")
