"""Tables and text for ``pawns sensitivity`` and ``pawns discover``: terminal, CSV and Markdown.

Everything is rendered from the JSON-ready dictionaries of :mod:`pawns.analysis.sensitivity`
and :mod:`pawns.analysis.discovery`, so what a reader sees is exactly what was written.
"""

from __future__ import annotations

import csv
import io

from rich.console import Console
from rich.table import Table

from pawns.analysis.design_factors import POSTERIOR_FACTOR
from pawns.analysis.explore_figures import short_number
from pawns.analysis.wording import percent

WEAK_QP = 0.05  # a restriction whose quasi p-value exceeds this may be chance


def _sobol_cell(row: dict, key: str) -> str:
    value, conf = row.get(key), row.get(f"{key}_conf")
    return "—" if value is None else f"{value:.2f} ± {conf:.2f}" if conf is not None else f"{value:.2f}"


def _morris_cells(row: dict) -> list[str]:
    if row.get("mu_star") is None:
        return ["—", "—", "—"]
    conf = row.get("mu_star_conf")
    star = f"{short_number(row['mu_star'])} ± {short_number(conf)}" if conf is not None else short_number(row["mu_star"])
    # a group's sigma is not defined (its members step each their own way): shown as a dash
    return [star, short_number(row["mu"]), "—" if row.get("sigma") is None else short_number(row["sigma"])]


def _header(data: dict) -> str:
    method = "Sobol' indices" if data["method"] == "sobol" else "Morris elementary effects"
    size = f"base sample {data['samples']}" if data["method"] == "sobol" else f"{data['samples']} trajectories"
    paired = ", each paired with the same run without contingents" if data["paired"] else ""
    held = f"; {len(data['parameters_held_at_median'])} held at their medians" if data["parameters_held_at_median"] else ""
    calibrated = len(data.get("calibrated_parameters", []))
    if calibrated:
        drawn = (f"{data['parameters_varied']} uncertain parameters varied: {calibrated} drawn together from posterior particles "
                 f"(the factor '{POSTERIOR_FACTOR}'), the other {data['parameters_varied'] - calibrated} each over its own distribution")
    elif data.get("design") == "prior":
        drawn = f"{data['parameters_varied']} uncertain parameters each varied over its own distribution (prior design)"
    else:
        drawn = f"{data['parameters_varied']} uncertain parameters varied"
    return (f"{data['scenario']}: {method} ({size}), {data['runs']:,} runs{paired}; {drawn}{held}; seed {data['seed']}, "
            f"horizon {data['horizon_days']} days.")


def _legend(method: str) -> str:
    if method == "sobol":
        return ("S1: share of the outcome's variance the parameter explains alone; ST: including its interactions; "
                "± 95% bootstrap half-interval. Ranked by ST.")
    return ("mu*: mean absolute change of the outcome when the parameter jumps across half its quantile range (± 95% interval); "
            "mu: the signed mean (direction); sigma: spread of the changes (non-linearity or interactions). Ranked by mu*.")


def _outcome_summary(outcome: dict) -> str:
    if outcome["kind"] == "indicator":
        return f"share of runs {percent(outcome['mean'])}"
    unit = f" {outcome['unit']}" if outcome["unit"] else ""
    return f"mean {short_number(outcome['mean'])}, sd {short_number(outcome['sd'])}{unit}"


def _drawn_from(data: dict) -> dict[str, str]:
    """What each factor and calibrated parameter of an analysis is drawn from, by name."""
    return {p["name"]: p["distribution"] for p in data.get("parameters", []) + data.get("calibrated_parameters", [])}


def _factor_label(name: str, data: dict) -> str:
    if name == POSTERIOR_FACTOR and data.get("calibrated_parameters"):
        return f"{POSTERIOR_FACTOR} ({len(data['calibrated_parameters'])} calibrated parameters, drawn together)"
    return name


def _index_rows(data: dict, outcome: dict, top: int) -> tuple[list[str], list[list[str]]]:
    """Column names and rows of an outcome's index table (its ``top`` factors), shared by the terminal and Markdown."""
    drawn = _drawn_from(data)
    unit = f" ({outcome['unit']})" if outcome["unit"] and outcome["kind"] != "indicator" else ""
    if data["method"] == "sobol":
        columns = ["parameter", "drawn from", "S1", "ST"]
        rows = [[_factor_label(r["parameter"], data), _short_drawn(drawn.get(r["parameter"], "")), _sobol_cell(r, "S1"),
                 _sobol_cell(r, "ST")] for r in outcome["indices"][:top]]
    else:
        columns = ["parameter", "drawn from", f"mu*{unit}", "mu", "sigma"]
        rows = [[_factor_label(r["parameter"], data), _short_drawn(drawn.get(r["parameter"], "")), *_morris_cells(r)]
                for r in outcome["indices"][:top]]
    return columns, rows


def _within_rows(data: dict, outcome: dict, top: int) -> list[list[str]]:
    drawn = _drawn_from(data)
    return [[r["parameter"], drawn.get(r["parameter"], ""), _sobol_cell(r, "S1")] for r in outcome.get("within_posterior", [])[:top]]


WITHIN_TITLE = "inside the posterior factor: share of the outcome's variance each calibrated parameter explains (given data, overlapping)"


def _short_drawn(text: str) -> str:
    return "posterior particles" if text.startswith("posterior: ") else text


def render_sensitivity(data: dict, console: Console, top: int) -> None:
    """Print one table per outcome, its ``top`` factors first (and the calibrated parameters inside the posterior factor)."""
    console.print(_header(data))
    console.print(_legend(data["method"]))
    for note in data.get("notes", []):
        console.print(f"Note: {note}.")
    for outcome in data["outcomes"]:
        title = f"{outcome['name']}: {outcome['description']} ({_outcome_summary(outcome)})"
        if not outcome["varies"]:
            console.print(f"[bold]{title}[/bold]\n  {outcome['note']}")
            continue
        columns, rows = _index_rows(data, outcome, top)
        table = Table(title=title, caption=outcome["note"] or None)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)
        within = _within_rows(data, outcome, top)
        if within:
            inner = Table(title=f"{outcome['name']}: {WITHIN_TITLE}")
            for column in ("calibrated parameter", "drawn from", "S1 (given data)"):
                inner.add_column(column, overflow="fold")
            for row in within:
                inner.add_row(*row)
            console.print(inner)


def sensitivity_csv(data: dict) -> str:
    """Every index of every outcome, one row per (outcome, factor), then the calibrated parameters inside the posterior factor."""
    columns = ("S1", "S1_conf", "ST", "ST_conf") if data["method"] == "sobol" else ("mu_star", "mu_star_conf", "sigma", "mu")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("outcome", "parameter", "rank", *columns, "within_posterior_S1", "within_posterior_S1_conf"))
    for outcome in data["outcomes"]:
        for rank, row in enumerate(outcome["indices"], start=1):
            writer.writerow((outcome["name"], row["parameter"], rank, *("" if row[c] is None else repr(row[c]) for c in columns), "", ""))
        for rank, row in enumerate(outcome.get("within_posterior", []), start=1):
            writer.writerow((outcome["name"], row["parameter"], rank, *("" for _ in columns),
                             *("" if row[c] is None else repr(row[c]) for c in ("S1", "S1_conf"))))
    return buffer.getvalue()


def sensitivity_markdown(data: dict, top: int) -> str:
    """A Markdown summary: the method, then each outcome's top factors and chart."""
    lines = [f"# What drives the answers: {data['scenario']}", "", _header(data), "", _legend(data["method"]), ""]
    lines += [f"Note: {note}." for note in data.get("notes", [])]
    for outcome in data["outcomes"]:
        lines += [f"## {outcome['name']}", "", f"{outcome['description']}; {_outcome_summary(outcome)}.", ""]
        if outcome["note"]:
            lines += [outcome["note"], ""]
        if not outcome["varies"]:
            continue
        columns, rows = _index_rows(data, outcome, top)
        lines += [f"| {' | '.join(columns)} |", "|" + "---|" * len(columns)]
        lines += [f"| {' | '.join(row)} |" for row in rows]
        within = _within_rows(data, outcome, top)
        if within:
            lines += ["", f"{WITHIN_TITLE[0].upper()}{WITHIN_TITLE[1:]}:", "", "| calibrated parameter | drawn from | S1 (given data) |",
                      "|---|---|---|"]
            lines += [f"| {' | '.join(row)} |" for row in within]
        if outcome.get("figure"):
            lines += ["", f"![{outcome['name']}]({outcome['figure']})"]
        lines.append("")
    return "\n".join(lines)


def _discovery_header(data: dict) -> str:
    s = data["settings"]
    return (f"{data['scenario']}: where {data['condition']!s} — it holds in {data['cases']:,} of {data['runs']:,} members "
            f"({percent(data['share_of_runs'])}); seed {data['seed']}, horizon {data['horizon_days']} days. PRIM over "
            f"{data['parameters_searched']} uncertain parameters{_discovery_design(data)} (peel {percent(s['alpha'])} per step, densest box "
            f"with coverage >= {percent(s['min_coverage'])}{', pasted' if s['pasting'] else ''}).")


def _discovery_design(data: dict) -> str:
    if data.get("design") == "posterior":
        return f", {data.get('calibrated', 0)} of them drawn together from posterior particles as in pawns run"
    if data.get("design") == "prior":
        return ", each drawn from its own distribution (prior design)"
    return ""


def _box_line(box: dict) -> str:
    return (f"Box {box['box']}: coverage {percent(box['coverage'])} (share of the cases inside), density {percent(box['density'])} "
            f"(share of the members inside where it holds), {box['runs_inside']:,} members ({percent(box['mass'])}).")


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
        for column in ("parameter", "drawn from", "box", "sampled range", "quasi-p"):
            table.add_column(column, overflow="fold")
        for r in box["restrictions"]:
            flag = " (may be chance)" if r["qp_value"] > WEAK_QP else ""
            table.add_row(r["parameter"], r["distribution"], f"{short_number(r['low'])} – {short_number(r['high'])}",
                          f"{short_number(r['sample_low'])} – {short_number(r['sample_high'])}", f"{r['qp_value']:.2g}{flag}")
        console.print(table)
        trade = Table(title=f"box {box['box']}: coverage/density trade-off along the peeling trajectory")
        for column in ("step", "coverage", "density", "parameters restricted"):
            trade.add_column(column)
        for s in _tradeoff(box):
            marker = " (chosen)" if s["step"] == box["chosen_step"] else ""
            trade.add_row(f"{s['step']}{marker}", percent(s["coverage"]), percent(s["density"]), str(s["restricted"]))
        console.print(trade)


def discovery_markdown(data: dict) -> str:
    """A Markdown summary of the boxes."""
    lines = [f"# Where {data['condition']}: {data['scenario']}", "", _discovery_header(data), ""]
    for box in data["boxes"]:
        lines += [f"## Box {box['box']}", "", _box_line(box), "",
                  "| parameter | box | sampled range | drawn from | quasi-p |", "|---|---|---|---|---|"]
        for r in box["restrictions"]:
            flag = " (may be chance)" if r["qp_value"] > WEAK_QP else ""
            lines.append(f"| {r['parameter']} | {short_number(r['low'])} – {short_number(r['high'])} | "
                         f"{short_number(r['sample_low'])} – {short_number(r['sample_high'])} | {r['distribution']} | {r['qp_value']:.2g}{flag} |")
        if box.get("figure"):
            lines += ["", f"![box {box['box']}]({box['figure']})"]
        lines.append("")
    return "\n".join(lines)
