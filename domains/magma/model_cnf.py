"""Finite magma search as propositional clauses: "a magma of size n satisfying A and violating B".

The magma is ``cell[i][j][v]``: true iff ``i ◇ j = v``, exactly one ``v`` per cell. Each law is
grounded over every assignment of its variables; a compound subterm whose arguments are not both
elements gets its own one-hot value vector, linked to the cells by
``[left = i] ∧ [right = j] ∧ cell[i][j][v] → [term = v]`` (at most one value per vector, and at
least one follows from the cells). Subterm instances depend only on their own variables, so they
are shared. The conclusion must fail for one assignment; renaming elements maps counterexamples to
counterexamples, so that assignment is taken in first-occurrence normal form (x = 0, y ≤ 1, ...).

Pure: clauses are lists of non-zero integers in the DIMACS convention, for any SAT solver.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence

from mathteam.domains.magma.laws import canonical_key
from mathteam.domains.magma.terms import Law, Term, variables

Value = int | list[int]
"""A ground subterm's value: an element (known) or a one-hot list of literals, one per element."""


class OneHotClauses:
    """What a magma search over one-hot values shares, whatever the unknown is (a table here, a
    translation function in translation_cnf): fresh literals, one-hot vectors, and the clauses that
    make two values equal or, under a selector, different. A subclass sets ``size``, ``variables``
    (0), ``clauses`` and ``impossible`` (False) before it calls these."""

    size: int
    variables: int
    clauses: list[list[int]]
    impossible: bool

    def _new(self) -> int:
        self.variables += 1
        return self.variables

    def _one_hot(self, exactly: bool = False) -> list[int]:
        """Fresh literals, at most one of them true (exactly one when ``exactly``)."""
        literals = [self._new() for _ in range(self.size)]
        self.clauses.extend([-a, -b] for a, b in itertools.combinations(literals, 2))
        if exactly:
            self.clauses.append(list(literals))
        return literals

    def _equal(self, left: Value, right: Value) -> None:
        if isinstance(left, int) and isinstance(right, int):
            self.impossible |= left != right
            return
        if isinstance(left, int):
            left, right = right, left
        if isinstance(right, int):
            self.clauses.append([left[right]])
            return
        for v in range(self.size):
            self.clauses += [[-left[v], right[v]], [-right[v], left[v]]]

    def _differ_if(self, selector: int, left: Value, right: Value) -> None:
        if isinstance(left, int) and isinstance(right, int):
            if left == right:
                self.clauses.append([-selector])
            return
        if isinstance(left, int):
            left, right = right, left
        if isinstance(right, int):
            self.clauses.append([-selector, -left[right]])
            return
        self.clauses.extend([-selector, -left[v], -right[v]] for v in range(self.size))


class MagmaCnf(OneHotClauses):
    """Clauses over the cells of a magma of ``size`` elements; laws are added one at a time."""

    def __init__(self, size: int):
        self.size = size
        self.variables = 0
        self.clauses: list[list[int]] = []
        self.cell = [[self._one_hot() for _ in range(size)] for _ in range(size)]
        for row in self.cell:
            for literals in row:
                self.clauses.append(list(literals))
        self._values: dict[tuple[Term, tuple[int, ...]], Value] = {}
        self.impossible = False
        """Set when a ground instance is false outright (the law forces fewer elements)."""

    def value(self, term: Term, assignment: Sequence[int]) -> Value:
        if isinstance(term, int):
            return assignment[term]
        key = (term, tuple(assignment[v] for v in variables(term)))
        if key in self._values:
            return self._values[key]
        left, right = self.value(term[0], assignment), self.value(term[1], assignment)
        if isinstance(left, int) and isinstance(right, int):
            result: Value = self.cell[left][right]
        else:
            result = self._one_hot()
            for i in ([left] if isinstance(left, int) else range(self.size)):
                for j in ([right] if isinstance(right, int) else range(self.size)):
                    premise = ([] if isinstance(left, int) else [-left[i]]) + \
                              ([] if isinstance(right, int) else [-right[j]])
                    self.clauses.extend(premise + [-self.cell[i][j][v], result[v]] for v in range(self.size))
        self._values[key] = result
        return result

    def satisfy(self, law: Law, stop: Callable[[], bool] | None = None) -> bool:
        """Every ground instance of ``law`` holds; False if ``stop()`` (asked now and then) cut it short."""
        count = len(variables((law.lhs, law.rhs)))
        for number, assignment in enumerate(itertools.product(range(self.size), repeat=count)):
            if stop is not None and number % 256 == 0 and stop():
                return False
            self._equal(self.value(law.lhs, assignment), self.value(law.rhs, assignment))
        return True

    def violate(self, law: Law) -> None:
        """Some ground instance of ``law`` fails (one selector per normal-form assignment)."""
        selectors = []
        for assignment in normal_assignments(len(variables((law.lhs, law.rhs))), self.size):
            selector = self._new()
            selectors.append(selector)
            self._differ_if(selector, self.value(law.lhs, assignment), self.value(law.rhs, assignment))
        self.clauses.append(selectors)

    def break_symmetry(self, fixed: int) -> None:
        """Least-number symmetry breaking: scanning the cells by their larger index (then row, then
        column), a cell may hold a value v above ``max(fixed − 1, its indices) + 1`` only if v − 1 is
        the value of an earlier cell.

        Sound together with the normal-form failing assignment of :meth:`violate` when ``fixed`` is
        at least the number of its values: relabel the elements by first use, the assignment's
        values first (0, 1, …), then each new value of a cell in scan order, and when the scan
        reaches a cell whose larger index is beyond every label so far, the next label for any
        unlabeled element. Every magma is isomorphic to one so labeled, and that one meets the
        constraint; the renaming keeps the assignment failing. It cuts the n! relabelings that make
        an unsatisfiable size slow to exhaust.
        """
        n = self.size
        used: list[int | None] = [None] * n  # used[v]: some earlier cell has value v (a one-way flag)
        for i, j in sorted(itertools.product(range(n), repeat=2), key=lambda c: (max(c), c)):
            base = max(fixed - 1, i, j)
            for v in range(base + 2, n):
                self.clauses.append([-self.cell[i][j][v]] + ([used[v - 1]] if used[v - 1] else []))
            for v in range(n - 1):
                flag = self._new()
                self.clauses.append([-flag, self.cell[i][j][v]] + ([used[v]] if used[v] else []))
                # Only the direction flag → (used before or here) is needed: the constraint asks for
                # the flag, so a set flag must mean the value really occurred.
                for literal in ([used[v]] if used[v] else []):
                    self.clauses.append([-literal, flag])
                self.clauses.append([-self.cell[i][j][v], flag])
                used[v] = flag

    def table(self, model: Sequence[int]) -> tuple[tuple[int, ...], ...]:
        """The operation table read off a satisfying assignment (DIMACS model: signed literals)."""
        true = {literal for literal in model if literal > 0}
        return tuple(tuple(next(v for v, literal in enumerate(self.cell[i][j]) if literal in true)
                           for j in range(self.size)) for i in range(self.size))


def counterexample_cnf(hypotheses: Sequence[Law], conclusion: Law, size: int,
                       stop: Callable[[], bool] | None = None, symmetry: bool = False) -> MagmaCnf | None:
    """Clauses satisfiable iff some magma of exactly ``size`` elements satisfies every hypothesis
    and violates ``conclusion`` (check ``impossible`` first: then no such magma exists), or None
    if ``stop()`` said to give up while grounding (a large size can take longer than a budget).

    Consequences of the hypotheses may be passed as further hypotheses (they remove no model and
    help the solver prune); ``symmetry`` adds :meth:`MagmaCnf.break_symmetry`."""
    cnf = MagmaCnf(size)
    for law in hypotheses:
        if not cnf.satisfy(law, stop):
            return None
        if cnf.impossible:
            return cnf
    cnf.violate(conclusion)
    if symmetry:
        cnf.break_symmetry(len(variables((conclusion.lhs, conclusion.rhs))))
    return cnf


def choose_seeds(hypothesis: Law, derived: Sequence[Law], limit: int = 4, max_variables: int = 3) -> list[Law]:
    """The consequences worth adding to a search for models of ``hypothesis``: the smallest
    ``limit`` of ``derived`` (fewest operations) with at most ``max_variables`` variables (each is
    grounded over every assignment), leaving out trivial ones and the hypothesis itself."""
    own = canonical_key(hypothesis)
    seen, chosen = {own}, []
    for law in sorted(derived, key=lambda law: (law.order, law.variable_count, str(law))):
        key = canonical_key(law)
        if law.lhs == law.rhs or key in seen or law.variable_count > max_variables:
            continue
        seen.add(key)
        chosen.append(law)
        if len(chosen) == limit:
            break
    return chosen


def normal_assignments(count: int, size: int) -> Iterator[tuple[int, ...]]:
    """Assignments of ``count`` variables into ``range(size)`` in first-occurrence order (restricted growth)."""

    def extend(prefix: tuple[int, ...], top: int) -> Iterator[tuple[int, ...]]:
        if len(prefix) == count:
            yield prefix
            return
        for value in range(min(top + 2, size)):
            yield from extend(prefix + (value,), max(top, value))

    yield from extend((), -1)
