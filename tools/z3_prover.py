"""Prove or refute ``hypotheses ⊢ conclusion`` for magma laws with z3 (in-process; the fallback to E)."""

from __future__ import annotations

import time
from collections.abc import Sequence

import z3

from ..domains.magma.terms import Law, variables
from .errors import ToolCrashed
from .results import Disproved, Proved, ProverResult, Table, TimedOut, Unknown
from .z3_support import Z3_VERSION, check_interruptibly, z3_term

TOOL = "z3"
# reason_unknown() texts that mean "out of time" rather than "incomplete".
_TIME_REASONS = ("timeout", "canceled", "cancelled", "interrupted")


def prove_with_z3(hypotheses: Law | Sequence[Law], conclusion: Law, seconds: float) -> ProverResult:
    """Assert every hypothesis for all elements and the conclusion's negation on fresh constants."""
    hypotheses = [hypotheses] if isinstance(hypotheses, Law) else list(hypotheses)
    # A private context per call: calls may run on several threads, and interrupt() hits one context.
    context = z3.Context()
    element = z3.DeclareSort("M", context)
    op = z3.Function("m", element, element, element)
    solver = z3.Solver(ctx=context)
    for index, law in enumerate(hypotheses):
        bound = {v: z3.Const(f"x{index}_{v}", element) for v in variables((law.lhs, law.rhs))}
        equation = z3_term(law.lhs, op, bound.__getitem__) == z3_term(law.rhs, op, bound.__getitem__)
        solver.add(z3.ForAll(list(bound.values()), equation))
    # Skolemised negation: the conclusion fails at some fixed elements.
    witness = {v: z3.Const(f"c{v}", element) for v in variables((conclusion.lhs, conclusion.rhs))}
    solver.add(z3_term(conclusion.lhs, op, witness.__getitem__) != z3_term(conclusion.rhs, op, witness.__getitem__))

    started = time.monotonic()
    verdict = check_interruptibly(solver, context, seconds)
    elapsed = time.monotonic() - started
    statistics = str(solver.statistics())
    common = {"tool": TOOL, "version": Z3_VERSION, "seconds": elapsed}
    if verdict == z3.unsat:
        return Proved(status_line="unsat", output=f"{solver.sexpr()}\n; unsat\n{statistics}", **common)
    if verdict == z3.sat:
        model = solver.model()
        # z3 interprets an uninterpreted sort by a finite universe, so sat means a finite counter-model.
        return Disproved(
            status_line="sat", output=f"{model.sexpr()}\n{statistics}", table=_table(model, element, op), **common
        )
    reason = solver.reason_unknown()
    if any(word in reason.lower() for word in _TIME_REASONS):
        return TimedOut(limit=seconds, reason=reason, output=statistics, **common)
    if verdict != z3.unknown:
        raise ToolCrashed(TOOL, f"unexpected verdict {verdict}")
    return Unknown(reason=reason, output=statistics, **common)


def _table(model: z3.ModelRef, element: z3.SortRef, op: z3.FuncDeclRef) -> Table | None:
    """The model's operation table over its universe, elements numbered in z3's order."""
    universe = model.get_universe(element)
    if universe is None:
        return None
    index = {u.get_id(): i for i, u in enumerate(universe)}
    rows = []
    for a in universe:
        row = []
        for b in universe:
            value = model.eval(op(a, b), model_completion=True)
            if value.get_id() not in index:
                return None
            row.append(index[value.get_id()])
        rows.append(tuple(row))
    return tuple(rows)
