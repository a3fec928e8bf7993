"""Relations between the sequences of a project, found on their common terms and checked on held-out ones.

Kinds, simplest first: two sequences are equal; one is the other shifted (``a(n) = b(n + s)``); one is a
polynomial multiple of the other (``a(n) = p(n)·b(n)``, p of degree <= 2); one is an affine combination
of one or two others (``a(n) = c0 + c1·b(n) [+ c2·c(n)]``, rational constants). Every fit leaves at
least ``MIN_CHECK`` common terms out and must reproduce them. A relation is a conjecture about the
sequences, checked up to the last common index, never a proof.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from typing import Literal

import sympy as sp
from pydantic import BaseModel, ConfigDict

from .guess import MIN_CHECK, n
from .linalg import nullspace

MIN_COMMON = 6
"""Fewer common terms than this and no relation is proposed."""
MAX_SHIFT = 3


class Relation(BaseModel):
    """``target(n) = expression`` in terms of other sequences, for every n in ``[start, checked_up_to]``."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    kind: Literal["equal", "shift", "multiple", "combination"]
    """Which kind of relation."""
    target: str
    """The sequence on the left-hand side."""
    others: tuple[str, ...]
    """The sequences on the right-hand side."""
    expression: str
    """The right-hand side, e.g. ``fibonacci(n + 2)`` or ``(n + 1)*dyck(n)``."""
    start: int
    """The first index where both sides are known."""
    fitted_on: int
    """Common terms the fit used (0 for equality and shifts, which fit nothing)."""
    checked_up_to: int
    """The last index where both sides were compared."""

    @property
    def statement(self) -> str:
        return f"{self.target}(n) = {self.expression} for every n >= {self.start}"


Terms = dict[str, tuple[int, list[int]]]
"""Sequence name → (offset, first terms)."""


def find_relations(sequences: Terms) -> list[Relation]:
    """Every relation of the four kinds among the sequences, leaving out those that follow from ones
    already found (sequences already linked by a relation are not compared again)."""
    names = list(sequences)
    root = {name: name for name in names}

    def find(name: str) -> str:
        while root[name] != name:
            name = root[name]
        return name

    found: list[Relation] = []
    searches = [lambda a, b: _equal(a, b, sequences) if names.index(a) < names.index(b) else None,
                lambda a, b: _shift(a, b, sequences) or _multiple(a, b, sequences),
                lambda a, b: _combination(a, (b,), sequences)]
    for search in searches:
        for a in names:
            for b in names:
                if a != b and find(a) != find(b) and (relation := search(a, b)):
                    found.append(relation)
                    root[find(a)] = find(b)
    triples: set[frozenset[str]] = set()
    for a in names:
        for group in combinations([b for b in names if b != a], 2):
            classes = frozenset(find(x) for x in (a, *group))
            if len(classes) == 3 and classes not in triples and (relation := _combination(a, group, sequences)):
                found.append(relation)
                triples.add(classes)
    return found


def _aligned(a: str, others: tuple[str, ...], sequences: Terms, shift: int = 0
             ) -> tuple[int, list[int], list[list[int]]]:
    """(first index, a's values, each other's values at n + shift) over the indices where all are known."""
    offset_a, terms_a = sequences[a]
    start, stop = offset_a, offset_a + len(terms_a)
    for b in others:
        offset_b, terms_b = sequences[b]
        start, stop = max(start, offset_b - shift), min(stop, offset_b + len(terms_b) - shift)
    if stop <= start:
        return start, [], [[] for _ in others]
    values = [terms_a[m - offset_a] for m in range(start, stop)]
    columns = [[sequences[b][1][m + shift - sequences[b][0]] for m in range(start, stop)] for b in others]
    return start, values, columns


def _equal(a: str, b: str, sequences: Terms) -> Relation | None:
    start, values, [other] = _aligned(a, (b,), sequences)
    if len(values) >= MIN_COMMON and values == other:
        return Relation(kind="equal", target=a, others=(b,), expression=f"{b}(n)", start=start,
                        fitted_on=0, checked_up_to=start + len(values) - 1)
    return None


def _shift(a: str, b: str, sequences: Terms) -> Relation | None:
    for shift in range(1, MAX_SHIFT + 1):
        start, values, [other] = _aligned(a, (b,), sequences, shift)
        if len(values) >= MIN_COMMON and values == other and len(set(values)) > 1:
            return Relation(kind="shift", target=a, others=(b,), expression=f"{b}(n + {shift})", start=start,
                            fitted_on=0, checked_up_to=start + len(values) - 1)
    return None


def _multiple(a: str, b: str, sequences: Terms, max_degree: int = 2) -> Relation | None:
    """``a(n) = p(n)·b(n)`` with p a polynomial with rational coefficients, p not 1."""
    start, values, [other] = _aligned(a, (b,), sequences)
    points = [(start + t, Fraction(v, w)) for t, (v, w) in enumerate(zip(values, other)) if w != 0]
    if len(values) < MIN_COMMON or any(v and not w for v, w in zip(values, other)):
        return None
    for degree in range(max_degree + 1):
        if degree + 1 + MIN_CHECK > len(points):
            break
        poly = sp.expand(sp.interpolate([(m, sp.Rational(r.numerator, r.denominator))
                                         for m, r in points[:degree + 1]], n)) if degree else \
            sp.Rational(points[0][1].numerator, points[0][1].denominator)
        if poly in (0, 1):
            continue
        if all(poly.subs(n, start + t) * w == v for t, (v, w) in enumerate(zip(values, other))):
            factor = sp.factor(poly)
            expression = f"{_number(Fraction(int(factor.p), int(factor.q)))}*{b}(n)" if factor.is_number \
                else f"({factor})*{b}(n)"
            return Relation(kind="multiple", target=a, others=(b,), expression=expression, start=start,
                            fitted_on=degree + 1, checked_up_to=start + len(values) - 1)
    return None


def _combination(a: str, group: tuple[str, ...], sequences: Terms) -> Relation | None:
    """``a(n) = c0 + sum c_i·b_i(n)``, every c_i (i >= 1) non-zero, unique on the fitted terms."""
    start, values, columns = _aligned(a, group, sequences)
    unknowns = len(group) + 2  # the constant, one coefficient per sequence, and a's own
    fit = unknowns + 1
    if len(values) < max(MIN_COMMON, fit + MIN_CHECK):
        return None
    rows = [[1, *(column[t] for column in columns), -values[t]] for t in range(len(values))]
    basis = nullspace(rows[:fit], unknowns)
    if len(basis) != 1 or basis[0][-1] == 0:
        return None
    vector = [c / basis[0][-1] for c in basis[0]]
    if any(sum(Fraction(x) * c for x, c in zip(row, vector)) for row in rows[fit:]):
        return None
    constant, coefficients = vector[0], vector[1:-1]
    if any(c == 0 for c in coefficients) or (constant == 0 and len(group) == 1):
        return None  # a plain multiple or equality is found by the simpler searches
    expression = ""
    for c, b in [*zip(coefficients, (f"{b}(n)" for b in group)), (constant, "")]:
        if c == 0:
            continue
        size = abs(c)
        term = (_number(size) if size != 1 or not b else "") + ("*" if size != 1 and b else "") + b
        expression += (" - " if c < 0 else " + ") + term if expression else ("-" if c < 0 else "") + term
    return Relation(kind="combination", target=a, others=group, expression=expression, start=start,
                    fitted_on=fit, checked_up_to=start + len(values) - 1)


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"({value.numerator}/{value.denominator})"
