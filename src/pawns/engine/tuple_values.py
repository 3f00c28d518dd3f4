"""Tuples kept as values, not stack slots, while numba compiles the model: a compile 40% shorter.

numba gives every variable that lives across blocks of a function a stack slot. The step's
state, parameter and scratch tuples hold several hundred arrays (about 4,000 machine words),
and every inlined function that takes them copies them into slots of its own; LLVM's SROA pass
then spent 272 of 455 s of a compile splitting those slots apart again. numba already keeps a
variable as a plain value when it is used only in the block that defines it. A variable
assigned once, whose definition dominates every block that uses it, is as valid a value
wherever it is used (the rule LLVM itself checks), so :func:`tuples_as_values` extends numba's
rule to tuples that meet it. Only tuples: arrays kept as values across loops made the compiled
step 12% slower, while tuples alone change neither its speed nor a bit of its results
(``tests/test_engine_fast.py``; docs/performance.md has the figures).
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from typing import Iterator

from numba.core import ir, lowering, types
from numba.core.analysis import compute_cfg_from_blocks, compute_use_defs, must_use_alloca


def _value_tuples(lower: lowering.Lower) -> set[str]:
    """Tuple variables of ``lower``'s function assigned once, in a block that dominates every block using them."""
    blocks = lower.func_ir.blocks
    uses = compute_use_defs(blocks).usemap  # block -> variables it reads before (or without) defining them
    in_slots = must_use_alloca(blocks)
    dominators = compute_cfg_from_blocks(blocks).dominators()
    defined_in: dict[str, list[int]] = defaultdict(list)
    for label, block in blocks.items():
        for assign in block.find_insts(ir.Assign):
            defined_in[assign.target.name].append(label)
    used_in: dict[str, set[int]] = defaultdict(set)
    for label, names in uses.items():
        for name in names:
            used_in[name].add(label)
    found = set()
    for name, labels in defined_in.items():
        if len(labels) != 1 or name in in_slots or not isinstance(lower.fndesc.typemap.get(name), types.BaseTuple):
            continue
        home = labels[0]
        if all(label != home and home in dominators[label] for label in used_in[name]):
            found.add(name)
    return found


def _find_with_tuples(original):
    def find(self: lowering.Lower) -> None:
        original(self)
        if not self.func_ir.func_id.is_generator and not self._disable_sroa_like_opt:
            self._singly_assigned_vars |= _value_tuples(self)

    return find


@contextmanager
def tuples_as_values() -> Iterator[None]:
    """Inside the ``with`` block, numba keeps tuple variables that qualify as values (see the module's introduction).

    Where numba's lowering lacks the internals this relies on (another version), nothing changes
    but the compile's length.
    """
    original = getattr(lowering.Lower, "_find_singly_assigned_variable", None)
    if original is None or not hasattr(lowering.Lower, "_disable_sroa_like_opt"):
        yield
        return
    lowering.Lower._find_singly_assigned_variable = _find_with_tuples(original)
    try:
        yield
    finally:
        lowering.Lower._find_singly_assigned_variable = original
