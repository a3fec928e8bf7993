"""Sequences made of runs: the value v(j) repeated r(j) times, j = 0, 1, 2, ... (Superseeker's "runs"
reading; the OEIS's "n appears n + 1 times", A003056; "composite(n) appears n times", A111653).

A sequence is split into its maximal runs of equal terms; the run values v and the run lengths r are
each one of a few shapes (``VALUE_SHAPES``, ``LENGTH_SHAPES``), optionally with the first run's length
free (a sequence read from an offset may start inside a run: A111651's 0 once, then k appears 3k times).
The shapes' integers are fitted on the first runs, so a description is fitted on the terms up to the
first term after those runs, and it must then reproduce every term:

- the terms after the fitted prefix number at least its parameters plus ``MARGIN`` (its parameters:
  the fitted integers, plus ``choice_bits(rank)`` for the rank of its (values, lengths, first run)
  shape among ``CANDIDATES``, simplest first), and
- at least ``RUNS_CONFIRMING`` complete runs lie after the fitted ones: a term inside a long run says
  little (a run of 10 equal terms confirms one value and one length), so the runs count too;
- a shape at most ``RIVAL_GAP`` parameters longer that reproduces every term but predicts other next
  terms cancels it (both are reported as ties, for the consensus between families).

Only sequences with a complete run of length >= 2 are read (a strictly monotone sequence is its own
run values: the other families describe it), and constant lengths 1 are not a shape.
"""

from __future__ import annotations

from functools import lru_cache
from math import factorial

import sympy as sp

from .guess import MARGIN, RIVAL_GAP, Answer, choice_bits, decided_choice
from .linalg import interpolate

AHEAD = 12
"""Next terms compared between rival shapes (as ``consensus.AHEAD``)."""
RUNS_CONFIRMING = 2
"""Complete runs that must follow the runs the shape was fitted on."""
MAX_LENGTH = 10**6
"""A run length beyond this is refused (the evaluator would build the whole run)."""


@lru_cache(maxsize=4096)
def _catalogue(name: str, m: int) -> int:
    if m < 0 or (name in ("prime", "composite") and m < 1):
        raise ValueError(f"{name}({m}) is undefined")
    if name == "prime":
        return int(sp.prime(m))
    if name == "composite":
        return int(sp.composite(m))
    if name == "Fibonacci":
        return int(sp.fibonacci(m))
    if name == "factorial":
        return factorial(m)
    if name == "2^":
        return 2**m
    raise ValueError(name)


CATALOGUE = ("prime", "composite", "Fibonacci", "factorial", "2^")
"""Named sequences B for run values v(j) = B(j + s), s in 0..2 (prime(1) = 2, composite(1) = 4)."""

VALUE_SHAPES: tuple[tuple, ...] = (("polynomial", 1), ("polynomial", 2)) + tuple(
    ("catalogue", name, shift) for name in CATALOGUE for shift in range(3))
"""(kind, ...): a polynomial in j of degree 1 or 2 (2 or 3 fitted integers), or B(j + s) (none)."""
LENGTH_SHAPES: tuple[tuple, ...] = (("polynomial", 0), ("polynomial", 1), ("power", 2), ("polynomial", 2))
"""r(j): constant (>= 2), a polynomial of degree 1 or 2, or c·2^j."""


def _fitted_integers(shape: tuple) -> int:
    if shape[0] == "polynomial":
        return shape[1] + 1
    return 1 if shape[0] == "power" else 0


def _candidates() -> list[tuple[tuple, tuple, bool]]:
    every = [(values, lengths, free) for free in (False, True) for values in VALUE_SHAPES for lengths in LENGTH_SHAPES]
    # fewest fitted integers first; within a count, the order above (values, then lengths, then free)
    return sorted(every, key=lambda c: _fitted_integers(c[0]) + _fitted_integers(c[1]) + c[2])


CANDIDATES = _candidates()
BOUNDS = (f"run values v(j) a polynomial of degree 1..2 or B(j + s) (B in {', '.join(CATALOGUE)}; s in 0..2), run "
          "lengths r(j) constant >= 2, a polynomial of degree 1..2 or c·2^j, the first run's length free or not: "
          f"{len(CANDIDATES)} shapes, the r-th counting ceil(log2 r) parameters more; at least {RUNS_CONFIRMING} "
          "complete runs after those fitted")


def runs_of(terms: list[int]) -> list[tuple[int, int]]:
    """(value, length) of the maximal runs of equal terms; the last one may continue past the data."""
    out: list[list[int]] = []
    for t in terms:
        if out and out[-1][0] == t:
            out[-1][1] += 1
        else:
            out.append([t, 1])
    return [(v, length) for v, length in out]


def _polynomial_through(points: list[int], start: int = 0) -> list[int] | None:
    """Integer coefficients c0, c1, ... of the polynomial in j through (start + i, points[i]), or None
    (the value at j = 0 of a polynomial through integers at integers need not be an integer)."""
    coefficients = interpolate([(start + i, v) for i, v in enumerate(points)])
    if any(c.denominator != 1 for c in coefficients):
        return None
    out = [int(c) for c in coefficients]
    while len(out) > 1 and out[-1] == 0:
        out.pop()
    return out


def _value(spec: dict, j: int) -> int:
    values = spec["values"]
    if values["kind"] == "polynomial":
        return sum(c * j**i for i, c in enumerate(values["coefficients"]))
    return _catalogue(values["name"], j + values["shift"])


def _length(spec: dict, j: int) -> int:
    if j == 0 and spec.get("first") is not None:
        return spec["first"]
    lengths = spec["lengths"]
    if lengths["kind"] == "polynomial":
        out = sum(c * j**i for i, c in enumerate(lengths["coefficients"]))
    else:
        out = lengths["c"] * 2**j
    if not 1 <= out <= MAX_LENGTH:
        raise ValueError(f"run length {out} at run {j}")
    return out


def terms_from(spec: dict, offset: int, count: int) -> list[int]:
    """The first ``count`` terms (from n = offset: the runs start there)."""
    out: list[int] = []
    j, previous = 0, None
    while len(out) < count:
        value = _value(spec, j)
        if value == previous:
            raise ValueError(f"runs {j - 1} and {j} have the same value {value}")
        out += [value] * min(_length(spec, j), count - len(out))
        previous, j = value, j + 1
    return out


def _fit(candidate, runs: list[tuple[int, int]]) -> tuple[dict, int] | None:
    """(spec, runs used) fitted on the first complete runs, or None when the data cannot fix it."""
    values_shape, lengths_shape, free = candidate
    complete = runs[:-1]
    need_values = _fitted_integers(values_shape)
    need_lengths = max(1, _fitted_integers(lengths_shape)) + free
    used = max(need_values, need_lengths)
    if used > len(complete):
        return None
    if values_shape[0] == "polynomial":
        coefficients = _polynomial_through([v for v, _ in complete[:need_values]])
        if coefficients is None:
            return None
        values = {"kind": "polynomial", "coefficients": coefficients}
    else:
        values = {"kind": "catalogue", "name": values_shape[1], "shift": values_shape[2]}
    lengths_seen = [length for _, length in complete[free:need_lengths]]
    if lengths_shape[0] == "polynomial":
        coefficients = _polynomial_through(lengths_seen, free)
        if coefficients is None or coefficients == [1]:
            return None
        lengths = {"kind": "polynomial", "coefficients": coefficients}
    else:
        if lengths_seen[0] % 2**free:
            return None
        lengths = {"kind": "power", "c": lengths_seen[0] // 2**free}
    spec = {"values": values, "lengths": lengths, "first": complete[0][1] if free else None}
    return spec, used


def _shape_text(kind: dict, variable: str = "j") -> str:
    if kind["kind"] == "polynomial":
        parts = []
        for i, c in reversed(list(enumerate(kind["coefficients"]))):
            if c == 0:
                continue
            monomial = "" if i == 0 else variable if i == 1 else f"{variable}^{i}"
            coefficient = (str(abs(c)) if abs(c) != 1 or i == 0 else "") + ("·" if abs(c) != 1 and i else "")
            parts.append(("- " if c < 0 else "+ ") + coefficient + monomial)
        text = " ".join(parts) or "0"
        return text[2:] if text.startswith("+ ") else "-" + text[2:]
    if kind["kind"] == "power":
        return f"{kind['c']}·2^{variable}" if kind["c"] != 1 else f"2^{variable}"
    shift = f"{variable} + {kind['shift']}" if kind["shift"] else variable
    return f"2^({shift})" if kind["name"] == "2^" else f"{kind['name']}({shift})"


def statement(spec: dict) -> str:
    first = "" if spec.get("first") is None else f", except that the first run has length {spec['first']}"
    return (f"a(n) = the runs of v(j) repeated r(j) times, j = 0, 1, 2, ..., with v(j) = {_shape_text(spec['values'])} "
            f"and r(j) = {_shape_text(spec['lengths'])}{first}")


def guess_runs(terms: list[int], offset: int = 0, ambiguous: list | None = None) -> Answer | None:
    """The Answer (spec, statement, fitted, parameters) of the first shape (``CANDIDATES``) that the terms confirm,
    or None. ``ambiguous`` receives (spec, fitted, parameters) of a chosen shape and a rival that
    cancelled it."""
    total = len(terms)
    runs = runs_of(terms)
    if total < 12 or len(runs) < 4 or all(length == 1 for _, length in runs[:-1]):
        return None
    chosen, matching = None, []
    for rank, candidate in enumerate(CANDIDATES, start=1):
        own = _fitted_integers(candidate[0]) + _fitted_integers(candidate[1]) + candidate[2]
        parameters = own + choice_bits(rank)
        if chosen is not None and parameters > chosen[2] + RIVAL_GAP:
            break
        fit = _fit(candidate, runs)
        if fit is None:
            continue
        spec, used = fit
        fitted = sum(length for _, length in runs[:used]) + 1
        try:
            values = terms_from(spec, offset, total + AHEAD)
        except ValueError:
            continue
        if values[:total] != terms:
            continue
        matching.append((spec, fitted, parameters, values[total:]))
        if chosen is None and total - fitted >= parameters + MARGIN and len(runs) - 1 - used >= RUNS_CONFIRMING:
            chosen = matching[-1]
    # every shape that reproduces the terms, confirmed or not, within RIVAL_GAP of the chosen one and
    # predicting otherwise, leaves the data undecided
    return decided_choice(chosen, matching, ambiguous, statement)
