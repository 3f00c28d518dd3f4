"""Generate ``docs/model.md`` from the equations module, so the two can never drift.

Usage: ``python -m pawns.model.document > docs/model.md``. A test checks that the committed
file equals this output.
"""

from __future__ import annotations

import inspect

from pawns.model import equations


def mechanism_functions() -> list:
    """The documented functions of the equations module, in source order."""
    functions = [
        obj for obj in vars(equations).values()
        if inspect.isfunction(obj) and obj.__module__ == equations.__name__ and (obj.__doc__ or "").lstrip().startswith("##")
    ]
    return sorted(functions, key=lambda f: f.__code__.co_firstlineno)


def render() -> str:
    """The model description in Markdown: the module's introduction, then one section per mechanism."""
    parts = [inspect.cleandoc(equations.__doc__ or "")]
    for function in mechanism_functions():
        # The numpy-style parameter lists are for programmers; the model description stops before them.
        text = inspect.cleandoc(function.__doc__ or "").split("\nParameters\n")[0].strip()
        parts.append(text)
        parts.append(f"*Implemented by* `pawns.model.equations.{function.__name__}`.")
    return "\n\n".join(parts) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
