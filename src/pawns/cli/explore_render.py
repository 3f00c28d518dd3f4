"""Tables and text for ``pawns sensitivity`` and ``pawns discover``: terminal, CSV and Markdown.

Everything is rendered from the JSON-ready dictionaries of :mod:`pawns.analysis.sensitivity`
and :mod:`pawns.analysis.discovery`, so what a reader sees is exactly what was written.
"""

from __future__ import annotations

import csv
import io

from rich.console import Console
from rich.table import Table

from pawns.analysis.explore_figures import short_number

WEAK_QP = 0.05  # a restriction whose quasi p-value exceeds this may be chance


def _sobol_cell(row: dict, key: str) -> str:
    value, conf = row.get(key), row.get(f"{key}_conf")
    return "—" if value is None else f"{value:.2f} ± {conf:.2f}" if conf is not None else f"{value:.2f}"


def _morris_cells(row: dict) -> list[str]:
    if row.get("mu_star") is None:
        return ["—", "—", "—"]
    conf = row.get("mu_star_conf")
    star = f"{short_number(row['mu_star'])} ± {short_number(conf)}" if conf is not None else short_number(row["mu_star"])
    return [star, short_number(row["mu"]), short_number(row["sigma"])]


def _header(data: dict) -> str:
    method = "Sobol' indices" if data["method"] == "sobol" else "Morris elementary effects"
    size = f"base sample {data['samples']}" if data["method"] == "sobol" else f"{data['samples']} trajectories"
    paired = ", each paired with the same run without contingents" if data["paired"] else ""
    held = f"; {len(data['parameters_held_at_median'])} held at their medians" if data["parameters_held_at_median"] else ""
    return (f"{data['scenario']}: {method} ({size}), {data['runs']:,} runs{paired}; {data['parameters_varied']} uncertain "
            f"parameters varied{held}; seed {data['seed']}, horizon {data['horizon_days']} days.")


def _legend(method: str) -> str:
    if method == "sobol":
        return ("S1: share of the outcome's variance the parameter explains alone; ST: including its interactions; "
                "± 95% bootstrap half-interval. Ranked by ST.")
    return ("mu*: mean absolute change of the outcome when the parameter jumps across half its quantile range (± 95% interval); "
            "mu: the signed mean (direction); sigma: spread of the changes (non-linearity or interactions). Ranked by mu*.")


def _outcome_summary(outcome: dict) -> str:
    if outcome["kind"] == "indicator":
        return f"share of runs {outcome['mean']:.0%}"
    unit = f" {outcome['unit']}" if outcome["unit"] else ""
    return f"mean {short_number(outcome['mean'])}, sd {short_number(outcome['sd'])}{unit}"


def render_sensitivity(data: dict, console: Console, top: int) -> None:
    """Print one table per outcome, its ``top`` parameters first."""
    console.print(_header(data))
    console.print(_legend(data["method"]))
    for note in data.get("notes", []):
        console.print(f"Note: {note}.")
    for outcome in data["outcomes"]:
        unit = f" ({outcome['unit']})" if outcome["unit"] and outcome["kind"] != "indicator" else ""
        title = f"{outcome['name']}: {outcome['description']} ({_outcome_summary(outcome)})"
        if outcome["note"]:
            console.print(f"[bold]{title}[/bold]\n  {outcome['note']}")
            continue
        table = Table(title=title)
        table.add_column("parameter", overflow="fold")
        if data["method"] == "sobol":
            table.add_column("S1")
            table.add_column("ST")
            for row in outcome["indices"][:top]:
                table.add_row(row["parameter"], _sobol_cell(row, "S1"), _sobol_cell(row, "ST"))
        else:
            for column in (f"mu*{unit}", "mu", "sigma"):
                table.add_column(column)
            for row in outcome["indices"][:top]:
                table.add_row(row["parameter"], *_morris_cells(row))
        console.print(table)


def sensitivity_csv(data: dict) -> str:
    """Every index of every outcome, one row per (outcome, parameter)."""
    columns = ("S1", "S1_conf", "ST", "ST_conf") if data["method"] == "sobol" else ("mu_star", "mu_star_conf", "sigma", "mu")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("outcome", "parameter", "rank", *columns))
    for outcome in data["outcomes"]:
        for rank, row in enumerate(outcome["indices"], start=1):
            writer.writerow((outcome["name"], row["parameter"], rank, *("" if row[c] is None else repr(row[c]) for c in columns)))
    return buffer.getvalue()


def sensitivity_markdown(data: dict, top: int) -> str:
    """A Markdown summary: the method, then each outcome's top parameters and chart."""
    lines = [f"# What drives the answers: {data['scenario']}", "", _header(data), "", _legend(data["method"]), ""]
    lines += [f"Note: {note}." for note in data.get("notes", [])]
    for outcome in data["outcomes"]:
        unit = f" ({outcome['unit']})" if outcome["unit"] and outcome["kind"] != "indicator" else ""
        lines += [f"## {outcome['name']}", "", f"{outcome['description']}; {_outcome_summary(outcome)}.", ""]
        if outcome["note"]:
            lines += [outcome["note"], ""]
            continue
        if data["method"] == "sobol":
            lines += ["| parameter | S1 | ST |", "|---|---|---|"]
            lines += [f"| {r['parameter']} | {_sobol_cell(r, 'S1')} | {_sobol_cell(r, 'ST')} |" for r in outcome["indices"][:top]]
        else:
            lines += [f"| parameter | mu*{unit} | mu | sigma |", "|---|---|---|---|"]
            lines += [f"| {r['parameter']} | {' | '.join(_morris_cells(r))} |" for r in outcome["indices"][:top]]
        if outcome.get("figure"):
            lines += ["", f"![{outcome['name']}]({outcome['figure']})"]
        lines.append("")
    return "\n".join(lines)


def _discovery_header(data: dict) -> str:
    s = data["settings"]
    return (f"{data['scenario']}: where {data['condition']!s} — it holds in {data['cases']:,} of {data['runs']:,} members "
            f"({data['share_of_runs']:.0%}); seed {data['seed']}, horizon {data['horizon_days']} days. PRIM over "
            f"{data['parameters_searched']} uncertain parameters (peel {s['alpha']:.0%} per step, densest box with coverage "
            f">= {s['min_coverage']:.0%}{', pasted' if s['pasting'] else ''}).")


def _box_line(box: dict) -> str:
    return (f"Box {box['box']}: coverage {box['coverage']:.0%} (share of the cases inside), density {box['density']:.0%} "
            f"(share of the members inside where it holds), {box['runs_inside']:,} members ({box['mass']:.0%}).")


def _tradeoff(box: dict, points: int = 6) -> list[dict]:
    steps = box["trajectory"]
    picks = sorted({round(i * (len(steps) - 1) / max(points - 1, 1)) for i in range(points)} | {box["chosen_step"]})
    return [steps[i] for i in picks]


def render_discovery(data: dict, console: Console) -> None:
    """Print each box: its quality, its restricted parameters, and points of its trajectory."""
    console.print(_discovery_header(data))
    for box in data["boxes"]:
        console.print(_box_line(box))
        table = Table(title=f"box {box['box']}: restricted parameters")
        for column in ("parameter", "box", "sampled range", "quasi-p"):
            table.add_column(column, overflow="fold")
        for r in box["restrictions"]:
            flag = " (may be chance)" if r["qp_value"] > WEAK_QP else ""
            table.add_row(r["parameter"], f"{short_number(r['low'])} – {short_number(r['high'])}",
                          f"{short_number(r['sample_low'])} – {short_number(r['sample_high'])}", f"{r['qp_value']:.2g}{flag}")
        console.print(table)
        trade = Table(title=f"box {box['box']}: coverage/density trade-off along the peeling trajectory")
        for column in ("step", "coverage", "density", "parameters restricted"):
            trade.add_column(column)
        for s in _tradeoff(box):
            marker = " (chosen)" if s["step"] == box["chosen_step"] else ""
            trade.add_row(f"{s['step']}{marker}", f"{s['coverage']:.0%}", f"{s['density']:.0%}", str(s["restricted"]))
        console.print(trade)


def discovery_markdown(data: dict) -> str:
    """A Markdown summary of the boxes."""
    lines = [f"# Where {data['condition']}: {data['scenario']}", "", _discovery_header(data), ""]
    for box in data["boxes"]:
        lines += [f"## Box {box['box']}", "", _box_line(box), "",
                  "| parameter | box | sampled range | distribution | quasi-p |", "|---|---|---|---|---|"]
        for r in box["restrictions"]:
            flag = " (may be chance)" if r["qp_value"] > WEAK_QP else ""
            lines.append(f"| {r['parameter']} | {short_number(r['low'])} – {short_number(r['high'])} | "
                         f"{short_number(r['sample_low'])} – {short_number(r['sample_high'])} | {r['distribution']} | {r['qp_value']:.2g}{flag} |")
        if box.get("figure"):
            lines += ["", f"![box {box['box']}]({box['figure']})"]
        lines.append("")
    return "\n".join(lines)
