"""Targeted finite model search: a magma satisfying the hypotheses but not the conclusion, via z3."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Sequence

import z3

from ..domains.magma.model_cnf import normal_assignments
from ..domains.magma.terms import Law, Term, variables
from .results import Found, ModelSearchResult, NotFound, Table
from .z3_support import Z3_VERSION, check_interruptibly

TOOL = f"z3 {Z3_VERSION}"


def find_counterexample(
    hypothesis: Law | Sequence[Law],
    conclusion: Law,
    sizes: Iterable[int] = range(4, 7),
    seconds: float = 10.0,
) -> ModelSearchResult:
    """Search each size in turn for a magma where every hypothesis holds and the conclusion fails.

    The budget is shared out as it goes: each size gets the time left divided by the sizes left,
    so what a quick small size does not use rolls over to the larger ones.
    """
    hypotheses = [hypothesis] if isinstance(hypothesis, Law) else list(hypothesis)
    sizes = tuple(sizes)
    started = time.monotonic()
    tried: list[int] = []
    exhausted: list[int] = []
    for position, size in enumerate(sizes):
        left = seconds - (time.monotonic() - started)
        if left <= 0:
            break
        tried.append(size)
        verdict, table = _search_size(hypotheses, conclusion, size, left / (len(sizes) - position))
        if table is not None:
            return Found(table=table, size=size, seconds=time.monotonic() - started, tool=TOOL)
        if verdict == z3.unsat:
            exhausted.append(size)
    reason = "exhausted" if len(exhausted) == len(sizes) else "budget"
    return NotFound(
        sizes_tried=tuple(tried),
        sizes_exhausted=tuple(exhausted),
        reason=reason,
        seconds=time.monotonic() - started,
    )


def _search_size(
    hypotheses: Sequence[Law], conclusion: Law, size: int, seconds: float
) -> tuple[z3.CheckSatResult, Table | None]:
    """One size: the magma as an uninterpreted function on an enumerated sort, laws as ground instances.

    Building the instances can itself outlast a small budget (n**k of them), so it checks the clock.
    """
    deadline = time.monotonic() + seconds
    context = z3.Context()
    sort, elements = z3.EnumSort(f"M{size}", [f"e{i}" for i in range(size)], ctx=context)
    op = z3.Function("m", sort, sort, sort)
    solver = z3.Solver(ctx=context)
    for law in hypotheses:
        count = len(variables((law.lhs, law.rhs)))
        build = _Builder(op, elements)
        for number, assignment in enumerate(itertools.product(range(size), repeat=count)):
            if number % 512 == 0 and time.monotonic() > deadline:
                return z3.unknown, None
            solver.add(build.term(law.lhs, assignment) == build.term(law.rhs, assignment))
    # Renaming elements maps counterexamples to counterexamples, so the failing assignment may be
    # taken in first-occurrence normal form (x = 0, y ≤ 1, ...): far fewer disjuncts, same answer.
    build = _Builder(op, elements)
    failures = [
        build.term(conclusion.lhs, assignment) != build.term(conclusion.rhs, assignment)
        for assignment in normal_assignments(len(variables((conclusion.lhs, conclusion.rhs))), size)
    ]
    solver.add(z3.Or(failures) if failures else z3.BoolVal(False, context))
    left = deadline - time.monotonic()
    if left <= 0:
        return z3.unknown, None
    verdict = check_interruptibly(solver, context, left)
    if verdict != z3.sat:
        return verdict, None
    model = solver.model()
    # Evaluated values are fresh ASTs, so match them to elements by their constructor's name.
    index = {element.decl().name(): i for i, element in enumerate(elements)}
    table = tuple(
        tuple(index[model.eval(op(a, b), model_completion=True).decl().name()] for b in elements)
        for a in elements
    )
    return verdict, table


class _Builder:
    """Builds ground z3 terms, sharing each subterm instance (it depends only on its own variables)."""

    def __init__(self, op: z3.FuncDeclRef, elements: Sequence[z3.ExprRef]):
        self.op = op
        self.elements = elements
        self.cache: dict[tuple[Term, tuple[int, ...]], z3.ExprRef] = {}

    def term(self, term: Term, assignment: tuple[int, ...]) -> z3.ExprRef:
        if isinstance(term, int):
            return self.elements[assignment[term]]
        key = (term, tuple(assignment[v] for v in variables(term)))
        cached = self.cache.get(key)
        if cached is None:
            cached = self.op(self.term(term[0], assignment), self.term(term[1], assignment))
            self.cache[key] = cached
        return cached
