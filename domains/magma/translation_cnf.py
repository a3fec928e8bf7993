"""Translation-invariant magmas x ◇ y = x + f(y − x) on Z/n, searched as propositional clauses.

Translations t ↦ t + c are automorphisms of such a magma ((x+c) ◇ (y+c) = (x ◇ y) + c), so a law
holds iff it holds at every assignment whose first variable is 0: n**(v−1) ground instances for a
law with v variables instead of n**v, and the unknown is the function f (n one-hot vectors) instead
of a table of n² cells. That reaches sizes (n = 9 … 20 and more) a table search cannot.

A ground subterm's value is an element (known) or a one-hot vector of literals. ``l ◇ r`` is built
as D = r − l, G = f(D), value = l + G, each step a relabelling of literals when one side is known
and about n² clauses when not (never the n³ of a cell table).

Pure: clauses are lists of non-zero integers in the DIMACS convention, for any SAT solver.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from mathteam.domains.magma.groups import Group, cyclic
from mathteam.domains.magma.model_cnf import OneHotClauses, Value
from mathteam.domains.magma.terms import Law, Term, variables


def anchored_assignments(count: int, size: int) -> Iterator[tuple[int, ...]]:
    """Assignments of ``count`` variables into Z/size with the first variable 0 (translations
    reach every other assignment)."""
    if count == 0:
        yield ()
        return
    for rest in itertools.product(range(size), repeat=count - 1):
        yield (0, *rest)


class TranslationCnf(OneHotClauses):
    """Clauses over f: Z/size → Z/size (``self.f[d][e]``: f(d) = e); laws are added one at a time."""

    def __init__(self, size: int | Group):
        group = size if isinstance(size, Group) else cyclic(size)
        self.size, self.mul, self.inverse = group.size, group.mul, group.inverse
        self.variables = 0
        self.clauses: list[list[int]] = []
        self.f = [self._one_hot(exactly=True) for _ in range(self.size)]
        self._values: dict[tuple[Term, tuple[int, ...]], Value] = {}
        self._differences: dict[tuple[tuple[int, ...], tuple[int, ...]], Value] = {}
        self.impossible = False
        """Set when a ground instance is false outright."""
        self.conclusion_literals: list[int] | None = None
        """Set by :func:`counterexample_cnf`: one literal per conclusion, true only if it fails."""

    # ------------------------------------------------------------------ building values

    def _times(self, element: int, value: Value) -> Value:
        """``element · value`` (a relabelling: no new literals)."""
        if isinstance(value, int):
            return int(self.mul[element, value])
        back = self.mul[self.inverse[element]]
        return [value[back[t]] for t in range(self.size)]

    def _quotient(self, left: Value, right: Value) -> Value:
        """left⁻¹ · right (y − x in Z/n)."""
        if isinstance(left, int):
            return self._times(int(self.inverse[left]), right)
        if isinstance(right, int):  # left⁻¹·right = t iff left = right·t⁻¹
            return [left[self.mul[right, self.inverse[t]]] for t in range(self.size)]
        key = (tuple(left), tuple(right))
        if key not in self._differences:
            n = self.size
            result = self._one_hot()
            for i in range(n):
                for j in range(n):
                    self.clauses.append([-left[i], -right[j], result[self.mul[self.inverse[i], j]]])
            self._differences[key] = result
        return self._differences[key]

    def _apply_f(self, argument: Value) -> Value:
        if isinstance(argument, int):
            return self.f[argument]
        n = self.size
        result = self._one_hot()
        for d in range(n):
            for e in range(n):
                self.clauses.append([-argument[d], -self.f[d][e], result[e]])
        return result

    def _product(self, left: Value, right: Value) -> Value:
        """left · right where ``right`` is unknown."""
        if isinstance(left, int):
            return self._times(left, right)
        n = self.size
        result = self._one_hot()
        for i in range(n):
            for e in range(n):
                self.clauses.append([-left[i], -right[e], result[self.mul[i, e]]])
        return result

    def value(self, term: Term, assignment: Sequence[int]) -> Value:
        if isinstance(term, int):
            return assignment[term]
        key = (term, tuple(assignment[v] for v in variables(term)))
        if key not in self._values:
            left, right = self.value(term[0], assignment), self.value(term[1], assignment)
            self._values[key] = self._product(left, self._apply_f(self._quotient(left, right)))
        return self._values[key]

    # ------------------------------------------------------------------ laws

    def satisfy(self, law: Law, stop: Callable[[], bool] | None = None) -> bool:
        """Every ground instance of ``law`` holds; False if ``stop()`` (asked now and then) cut it short."""
        count = len(variables((law.lhs, law.rhs)))
        for number, assignment in enumerate(anchored_assignments(count, self.size)):
            if stop is not None and number % 128 == 0 and stop():
                return False
            self._equal(self.value(law.lhs, assignment), self.value(law.rhs, assignment))
            if self.impossible:
                return True
        return True

    def violate_some(self, laws: Sequence[Law], stop: Callable[[], bool] | None = None) -> list[int] | None:
        """At least one of ``laws`` fails at some ground instance; returns one literal per law
        (true only if that law fails, so adding its negation drops the law from the choice), or
        None if ``stop()`` cut it short."""
        chosen = []
        for law in laws:
            count = len(variables((law.lhs, law.rhs)))
            law_selector = self._new()
            chosen.append(law_selector)
            selectors = []
            for number, assignment in enumerate(anchored_assignments(count, self.size)):
                if stop is not None and number % 128 == 0 and stop():
                    return None
                selector = self._new()
                selectors.append(selector)
                self._differ_if(selector, self.value(law.lhs, assignment), self.value(law.rhs, assignment))
            self.clauses.append([-law_selector] + selectors)
        self.clauses.append(list(chosen))
        return chosen

    def function(self, model: Sequence[int]) -> tuple[int, ...]:
        """f read off a satisfying assignment (DIMACS model: signed literals)."""
        true = {literal for literal in model if literal > 0}
        return tuple(next(e for e, literal in enumerate(self.f[d]) if literal in true) for d in range(self.size))


def translation_table(f: Sequence[int], group: Group | None = None) -> np.ndarray:
    """The operation table of x ◇ y = x + f(y − x) on Z/len(f), or x ◇ y = x·f(x⁻¹·y) on ``group``."""
    group = group or cyclic(len(f))
    x, y = np.meshgrid(np.arange(group.size), np.arange(group.size), indexing="ij")
    quotient = group.mul[group.inverse[x], y]
    return group.mul[x, np.asarray(f)[quotient]].astype(np.uint8)


def counterexample_cnf(hypotheses: Sequence[Law], conclusions: Sequence[Law], size: int | Group,
                       stop: Callable[[], bool] | None = None) -> TranslationCnf | None:
    """Clauses satisfiable iff some f on Z/size (or on a group: x·f(x⁻¹·y)) makes x + f(y − x)
    satisfy every hypothesis and violate at least one of ``conclusions`` (check ``impossible`` first), or None if ``stop()``
    said to give up while grounding."""
    cnf = TranslationCnf(size)
    for law in hypotheses:
        if not cnf.satisfy(law, stop):
            return None
        if cnf.impossible:
            return cnf
    cnf.conclusion_literals = cnf.violate_some(conclusions, stop)
    return None if cnf.conclusion_literals is None else cnf


# ---------------------------------------------------------------------- evaluation

def _anchored_grid(size: int, count: int) -> np.ndarray:
    """All assignments with the first variable 0, shape (count, size**(count−1)), diverse ones first."""
    if count <= 1:
        return np.zeros((count, 1), dtype=np.intp)
    rest = np.indices((size,) * (count - 1), dtype=np.intp).reshape(count - 1, -1)
    grid = np.vstack([np.zeros((1, rest.shape[1]), dtype=np.intp), rest])
    order = np.random.default_rng(4321 + 17 * size + count).permutation(grid.shape[1])
    return grid[:, order]


def _holds(flat: np.ndarray, size: int, term_pair: tuple[Term, Term], assignment: np.ndarray) -> bool:
    cache: dict[Term, np.ndarray] = {}

    def value(term: Term) -> np.ndarray:
        if isinstance(term, int):
            return assignment[term]
        if term not in cache:
            cache[term] = flat[value(term[0]) * size + value(term[1])]
        return cache[term]

    return bool(np.array_equal(np.broadcast_to(value(term_pair[0]), assignment.shape[1:]),
                               np.broadcast_to(value(term_pair[1]), assignment.shape[1:])))


def transitive_satisfaction(table: np.ndarray, laws: Sequence[Law]) -> np.ndarray:
    """Which ``laws`` hold in ``table``, a magma whose automorphisms move element 0 to every element
    (x + f(y − x) on Z/n, x·f(x⁻¹·y) on a group with identity 0, an affine magma mod n): every
    assignment with the first variable 0, early
    exit at the first failing batch. Bool vector, one entry per law."""
    table = np.asarray(table)
    size = len(table)
    flat = table.reshape(-1).astype(np.intp)
    grids: dict[int, np.ndarray] = {}
    result = np.zeros(len(laws), dtype=bool)
    for index, law in enumerate(laws):
        count = len(variables((law.lhs, law.rhs)))
        if count not in grids:
            grids[count] = _anchored_grid(size, count)
        grid = grids[count]
        start, batch, ok = 0, 8, True
        while ok and start < grid.shape[1]:
            ok = _holds(flat, size, (law.lhs, law.rhs), grid[:, start:start + batch])
            start, batch = start + batch, batch * 8
        result[index] = ok
    return result
