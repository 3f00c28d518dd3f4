"""Generate ``docs/model.md`` from the equations module, so the two can never drift.

Usage: ``python -m pawns.model.document > docs/model.md``. A test checks that the committed
file equals this output.
"""

from __future__ import annotations

import inspect

from pawns.model import equations
from pawns.scenario.loader import builtin_names, load_raw
from pawns.scenario.schema import CHANNELS, LOOPS

SWITCHES = f"""## Switches: channels and loops cut out of a run

A scenario's `[switches]` table cuts mechanisms out structurally, for counterfactuals and the
channel decomposition: `channels_off` lists channels of its contributors as
`CONTRIBUTOR.CHANNEL` (channels: {", ".join(CHANNELS)}), `loops_off` feedback loops
({", ".join(LOOPS)}). A switched-off channel is not laid out at all: a troops channel's
contingent has no formation, no shells, missiles, artillery or workers arrive, and with
payments off the host pays the contributor nothing (per soldier, shell or worker). Cutting the
support loop keeps every donor bloc's support and deliveries at their start (no abandonment);
cutting the materiel loop keeps every side's fire at its desired rate. Every other parameter
keeps its name, so switched runs pair member by member with the scenario (common random numbers).
`pawns run` switches each channel of a scenario off on its own, and all of them together, and
reports what each buys (`channels.csv`; `pawns compare --channels`)."""


def mechanism_functions() -> list:
    """The documented functions of the equations module, in source order."""
    functions = [
        obj for obj in vars(equations).values()
        if inspect.isfunction(obj) and obj.__module__ == equations.__name__ and (obj.__doc__ or "").lstrip().startswith("##")
    ]
    return sorted(functions, key=lambda f: f.__code__.co_firstlineno)


def render() -> str:
    """The model description in Markdown: the module's introduction, one section per mechanism, the switches and the counterfactuals."""
    parts = [inspect.cleandoc(equations.__doc__ or "")]
    for function in mechanism_functions():
        # The numpy-style parameter lists are for programmers; the model description stops before them.
        text = inspect.cleandoc(function.__doc__ or "").split("\nParameters\n")[0].strip()
        parts.append(text)
        parts.append(f"*Implemented by* `pawns.model.equations.{function.__name__}`.")
    parts += [SWITCHES, counterfactuals()]
    return "\n\n".join(parts) + "\n"


def counterfactuals() -> str:
    """The built-in counterfactuals: what each removes from the scenario it extends, and the question it answers."""
    lines = ["## Built-in counterfactuals", "",
             "Each removes part of the scenario it extends; run against it (`pawns compare BASE COUNTERFACTUAL`) it answers the question given."]
    for name in builtin_names():
        meta = load_raw(name)[1]["scenario"]
        removed = meta.get("remove") or []
        if not name.startswith(f"{meta.get('extends', '')}-no-") or not removed:
            continue
        lines.append(f"- `{name}` (removes {', '.join(f'`{key}`' for key in removed)} from `{meta['extends']}`): {meta['description']}")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
