"""Superseeker-style transforms of the generating function: the Euler transform (products of
(1 - x^k)^(-c(k)), also eta-quotient-like products with signed exponents), the INVERT transform
(compositions with parts of a kind), the exponential transform (labelled objects built from connected
ones, on exponential generating functions) and the Stirling transform; each with its inverse.

For a sequence a the inverse transform gives c(1), c(2), ... (the exponents, the part counts, the
connected counts), and ``c`` is then described by a closed form or one of the cheap simple families
(``families`` passes them in: eventually periodic, periodic differences, characteristic functions of sets
defined by predicates). The description of a is the transform of
that description of c, stated under the margin rule: c(1..m) and a's first terms determine each other
one for one, so the fit on c's first F terms is a fit on a's first F (+1 for the constant term) terms,
and the choice of the transform, the reading and the inner family counts ``choice_bits`` parameters
more (the r-th candidate tried, cheapest first).

Readings: ``constant``, a(offset) is the constant term of the series and must be 1; ``shifted``, the
series is 1 + sum_i a(offset + i)·x^(i + 1) (the OEIS convention of "Euler transform of b": a(n) is the
coefficient of x^n for n >= 1). The Stirling transform reads a(offset + i) as its term i.
"""

from __future__ import annotations

import re
from math import comb
from typing import Callable, Literal

import numpy as np
import sympy as sp

from .consensus import withdraw_conflicts
from .guess import MARGIN, ClosedForm, NoGuess, choice_bits, guess_closed_form, n, parse
from .linalg import PRIME, only_trivial_solution_modulo

Transform = Literal["euler", "invert", "exponential", "stirling"]
Reading = Literal["constant", "shifted", "direct"]

SEARCH: tuple[tuple[Transform, Reading], ...] = (
    ("euler", "constant"), ("euler", "shifted"), ("invert", "constant"), ("invert", "shifted"),
    ("exponential", "constant"), ("exponential", "shifted"), ("stirling", "direct"),
)
"""The (transform, reading) pairs tried, in this order (cheapest description of the commonest cases first)."""

MIN_INNER = 8
"""Fewest terms of c an inner family is asked to describe."""

BOUNDS = ("a = T(c) for T among the Euler transform (prod_k (1 - x^k)^(-c(k)), c of any sign), the INVERT "
          "transform (1/(1 - sum_k c(k) x^k)), the exponential transform (exp(sum_k c(k) x^k/k!) on the e.g.f.), "
          "each with a(offset) = 1 the constant term or with 1 prepended, and the Stirling transform "
          "(a(n) = sum_k S2(n, k) c(k)); c a closed form (as the closed-form guesser searches) or eventually "
          "periodic, with periodic differences, or a characteristic function (those families' bounds), fitted on "
          f"c's first terms; the r-th of the at most {len(SEARCH) * 4} (transform, reading, family) candidates "
          "counting ceil(log2 r) parameters more")


# --- the transforms, exact on integers -------------------------------------------------------------

def _divisors(m: int) -> list[int]:
    return [d for d in range(1, m + 1) if m % d == 0]


def euler_forward(c: list[int], count: int) -> list[int]:
    """[x^0..x^(count-1)] of prod_{k>=1} (1 - x^k)^(-c(k)), c[k - 1] = c(k)."""
    weighted = [0] * count  # weighted[m] = sum_{d | m} d·c(d)
    for m in range(1, count):
        weighted[m] = sum(d * c[d - 1] for d in _divisors(m))
    series = [1] + [0] * (count - 1)
    for m in range(1, count):
        total = sum(weighted[j] * series[m - j] for j in range(1, m + 1))
        if total % m:
            raise ValueError("the Euler transform of these exponents is not integral")  # cannot happen for integer c
        series[m] = total // m
    return series[:count]


def euler_inverse(series: list[int]) -> list[int] | None:
    """c(1..N-1) with series = prod (1 - x^k)^(-c(k)) (series[0] = 1), or None when some c(k) is not
    an integer."""
    count = len(series)
    weighted = [0] * count
    for m in range(1, count):
        weighted[m] = m * series[m] - sum(weighted[j] * series[m - j] for j in range(1, m))
    exponents = []
    for m in range(1, count):
        total = sum(int(sp.mobius(m // d)) * weighted[d] for d in _divisors(m))
        if total % m:
            return None
        exponents.append(total // m)
    return exponents


def invert_forward(c: list[int], count: int) -> list[int]:
    """[x^0..x^(count-1)] of 1/(1 - sum_{k>=1} c(k) x^k)."""
    series = [1] + [0] * (count - 1)
    for m in range(1, count):
        series[m] = sum(c[j - 1] * series[m - j] for j in range(1, m + 1))
    return series


def invert_inverse(series: list[int]) -> list[int]:
    """c(1..N-1) with series = 1/(1 - sum c(k) x^k) (series[0] = 1)."""
    c: list[int] = []
    for m in range(1, len(series)):
        c.append(series[m] - sum(c[j - 1] * series[m - j] for j in range(1, m)))
    return c


def exponential_forward(c: list[int], count: int) -> list[int]:
    """n!·[x^n] of exp(sum_{k>=1} c(k) x^k/k!), n < count."""
    series = [1] + [0] * (count - 1)
    for m in range(1, count):
        series[m] = sum(comb(m - 1, j - 1) * c[j - 1] * series[m - j] for j in range(1, m + 1))
    return series


def exponential_inverse(series: list[int]) -> list[int]:
    """c(1..N-1) with sum series[n] x^n/n! = exp(sum c(k) x^k/k!) (series[0] = 1): the logarithmic
    transform."""
    c: list[int] = []
    for m in range(1, len(series)):
        c.append(series[m] - sum(comb(m - 1, j - 1) * c[j - 1] * series[m - j] for j in range(1, m)))
    return c


_STIRLING_ROWS: dict[int, list[tuple[int, ...]]] = {1: [(1,)], 2: [(1,)]}


def stirling_rows(count: int, kind: int) -> list[tuple[int, ...]]:
    """Rows 0..count-1 (at least) of the Stirling numbers: kind 2, S2(m, j); kind 1, the signed s(m, j)
    of the first kind (sympy's ``stirling(m, j, kind=1, signed=True)``), by the recurrences
    S2(m + 1, j) = j·S2(m, j) + S2(m, j - 1) and s(m + 1, j) = s(m, j - 1) - m·s(m, j). Integer
    recurrences, rows kept between calls, instead of one sympy call per entry: the Stirling transform
    of 130 terms needs 8,500 entries."""
    rows = _STIRLING_ROWS[kind]
    while len(rows) < count:
        m, row = len(rows) - 1, rows[-1]
        rows.append(tuple((row[j - 1] if j >= 1 else 0) + ((j if kind == 2 else -m) * row[j] if j <= m else 0)
                          for j in range(m + 2)))
    return rows


def stirling_forward(c: list[int], count: int) -> list[int]:
    """a(n) = sum_{k<=n} S2(n, k)·c(k), n < count (c[k] = c(k) from k = 0)."""
    rows = stirling_rows(count, 2)
    return [sum(rows[m][j] * c[j] for j in range(m + 1)) for m in range(count)]


def stirling_inverse(terms: list[int]) -> list[int]:
    """c(n) = sum_{k<=n} s(n, k)·a(k), s the signed Stirling numbers of the first kind."""
    rows = stirling_rows(len(terms), 1)
    return [sum(rows[m][j] * terms[j] for j in range(m + 1)) for m in range(len(terms))]


_FORWARD = {"euler": euler_forward, "invert": invert_forward, "exponential": exponential_forward}
_INVERSE = {"euler": euler_inverse, "invert": invert_inverse, "exponential": exponential_inverse}


def inner_terms(transform: Transform, reading: Reading, terms: list[int]) -> list[int] | None:
    """c from a under this transform and reading (c(1), c(2), ...; from c(0) for the Stirling
    transform), or None where it does not apply."""
    if transform == "stirling":
        return stirling_inverse(terms)
    if reading == "constant":
        if terms[0] != 1:
            return None
        series = terms
    else:
        series = [1] + terms
    return _INVERSE[transform](series)


def outer_terms(transform: Transform, reading: Reading, inner: list[int], count: int) -> list[int]:
    """a(offset), ..., a(offset + count - 1) from c (as many terms of c as ``inner_count`` says)."""
    if transform == "stirling":
        return stirling_forward(inner, count)
    if reading == "constant":
        return _FORWARD[transform](inner, count)
    return _FORWARD[transform](inner, count + 1)[1:]


def inner_count(transform: Transform, reading: Reading, count: int) -> int:
    """Terms of c that ``count`` terms of a need (and determine)."""
    if transform == "stirling" or reading == "shifted":
        return count
    return count - 1


def extra_fitted(transform: Transform, reading: Reading) -> int:
    """Terms of a fitted beyond those of c: the constant term a(offset) = 1 of the ``constant`` reading."""
    return 1 if reading == "constant" and transform != "stirling" else 0


# --- a cheap, exact test before the closed-form search ----------------------------------------------

CLOSED_FORM_DEGREE = 8
"""``guess.guess_closed_form``'s default largest polynomial degree."""


def _full_column_rank_mod(rows: list[list[int]], width: int, prime: int = PRIME) -> bool:
    """Whether the integer matrix has rank ``width`` modulo ``prime`` (``linalg.rank_modulo`` on its
    residues). A rank over Q is at least the rank modulo any prime (a minor that is non-zero mod p is
    non-zero), so full rank mod p proves full rank over Q: no non-zero rational vector v has rows·v = 0."""
    matrix = np.array([[value % prime for value in row] for row in rows], dtype=np.int64).reshape(len(rows), width)
    return only_trivial_solution_modulo(matrix, prime)


def closed_form_possible(terms: list[int], offset: int = 0) -> bool:
    """False only when ``guess.guess_closed_form(terms, offset)`` (default bounds) certainly finds no
    closed form; decided exactly, in time quadratic in the length with small integers, where the
    search itself runs Berlekamp–Massey over Q on the full list (minutes on 130 terms of an inverse
    exponential transform, whose entries have hundreds of digits). Its three shapes:

    - a polynomial of degree d <= min(8, (N - MARGIN)//2 - 1) fitting all N terms: then the (d + 1)-th
      differences vanish; tested directly;
    - an exponential polynomial, from ``constant_recurrence``: a recurrence with constant coefficients
      and connection polynomial 1 + ..., of length L with N >= 4L + MARGIN, holding on all terms. Padded
      to length M = (N - MARGIN)//4 it is a non-zero rational kernel vector of the matrix of the windows
      (a(m - M), ..., a(m)), m = M..N-1; full column rank of that matrix mod a prime excludes it;
    - a hypergeometric term, from a first-order recurrence p0(n)·a(n) + p1(n)·a(n + 1) = 0 with
      deg p_i <= 3 holding on all terms: a kernel vector of the rows ((n)^j·a(n), (n)^j·a(n + 1)),
      j <= 3, n = offset..offset+N-2 (``guess_recurrence``'s rows); excluded the same way.

    ``tests/test_sequences_speed.py`` checks the answer against ``guess_closed_form`` itself."""
    total = len(terms)
    largest = min(CLOSED_FORM_DEGREE, (total - MARGIN) // 2 - 1)
    if largest >= 0:
        differences = list(terms)
        for _ in range(largest + 1):
            differences = [b - a for a, b in zip(differences, differences[1:])]
        if not any(differences):
            return True
    length = (total - MARGIN) // 4
    if length >= 1:
        windows = [terms[m - length:m + 1] for m in range(length, total)]
        if not _full_column_rank_mod(windows, length + 1):
            return True
    rows = [[(offset + t) ** j * terms[t + i] for i in range(2) for j in range(4)] for t in range(total - 1)]
    return not _full_column_rank_mod(rows, 8)


# --- descriptions ----------------------------------------------------------------------------------

_WORDS = {
    ("euler", "constant"): "sum_n a(n + {o}) x^n = prod_(k>=1) (1 - x^k)^(-c(k)) (Euler transform)",
    ("euler", "shifted"): "1 + sum_n a(n + {o}) x^(n + 1) = prod_(k>=1) (1 - x^k)^(-c(k)) (Euler transform)",
    ("invert", "constant"): "sum_n a(n + {o}) x^n = 1/(1 - sum_(k>=1) c(k) x^k) (INVERT transform)",
    ("invert", "shifted"): "1 + sum_n a(n + {o}) x^(n + 1) = 1/(1 - sum_(k>=1) c(k) x^k) (INVERT transform)",
    ("exponential", "constant"): "sum_n a(n + {o}) x^n/n! = exp(sum_(k>=1) c(k) x^k/k!) (exponential transform)",
    ("exponential", "shifted"): ("1 + sum_n a(n + {o}) x^(n + 1)/(n + 1)! = exp(sum_(k>=1) c(k) x^k/k!) "
                                 "(exponential transform)"),
    ("stirling", "direct"): "a(n + {o}) = sum_(k=0..n) S2(n, k)·c(k) (Stirling transform, S2 the Stirling numbers "
                            "of the second kind)",
}


def inner_offset(transform: Transform) -> int:
    """The index of c's first term: c(0) for the Stirling transform, c(1) otherwise."""
    return 0 if transform == "stirling" else 1


def _inner_values(inner: dict, start: int, count: int, evaluate: Callable[[dict, int], list]) -> list[int]:
    """c(start), ..., c(start + count - 1) from c's description: a closed form here, a family's
    description through ``evaluate`` (``families``'s, passed in: that module sits above this one)."""
    if inner["kind"] != "closed_form":
        return evaluate(inner, count)
    expression = parse(ClosedForm.model_validate(inner).expression)
    values = []
    for m in range(start, start + count):
        value = sp.nsimplify(expression.subs(n, m))
        if not value.is_Integer:
            raise ValueError(f"c({m}) = {value} is not an integer")
        values.append(int(value))
    return values


def terms_from(spec: dict, offset: int, count: int, evaluate: Callable[[dict, int], list]) -> list[int]:
    """The terms of a ``series_transform`` description: c from its inner description, then T(c)."""
    transform, reading = spec["transform"], spec["reading"]
    inner = _inner_values(spec["inner"], inner_offset(transform), inner_count(transform, reading, count), evaluate)
    return outer_terms(transform, reading, inner, count)


InnerFamily = Callable[[list[int], int, int], object]
"""A family asked to describe c: (c, c's first index, confirmations to reserve) -> a description or None."""
Found = Callable[[str, dict, int, int, int], object]
"""``families._found`` for this family: (statement, spec, fitted, parameters, tried) -> a description or None."""


def search(terms: list[int], offset: int, inner_families: list[InnerFamily], found: Found,
           evaluate: Callable[[object, int], list]):
    """a = T(c) for (T, reading) in SEARCH and c a closed form or described by one of ``inner_families``
    (``families`` passes the cheap ones: periodic, periodic differences, characteristic; the catalogue
    combinations, quasi-polynomials and digit functions cost about a second per sequence on seven
    inverse transforms and described no c of the development seeds that these miss). Every candidate
    is asked, the r-th counting ceil(log2 r) parameters more; candidates that fit but predict different
    next terms withdraw each other (``consensus``). Returns the first survivor or None."""
    bits = choice_bits(len(SEARCH) * (len(inner_families) + 1))
    tried, stated = 0, []
    for transform, reading in SEARCH:
        c = inner_terms(transform, reading, terms)
        if c is None or len(c) < MIN_INNER:
            continue
        start = inner_offset(transform)
        # The closed-form search only where it may succeed (an exact test, far cheaper on long lists).
        closed = guess_closed_form(c, start) if closed_form_possible(c, start) else None
        candidates = [closed] + [family(c, start, bits) for family in inner_families]
        for inner in candidates:
            tried += 1
            if inner is None or isinstance(inner, NoGuess):
                continue
            if isinstance(inner, ClosedForm) and inner.start is not None:
                continue
            inner_text = f"c(n) = {inner.expression}" if isinstance(inner, ClosedForm) else inner.statement
            inner_text = re.sub(r"\ba\(", "c(", inner_text)
            statement = (_WORDS[(transform, reading)].format(o=offset) + f", where {inner_text} "
                         f"(c computed from a by the inverse transform)")
            statement = statement.replace(" + 0)", ")")
            spec = {"transform": transform, "reading": reading, "inner": inner.model_dump(mode="json")}
            description = found(statement, spec, inner.fitted_on + extra_fitted(transform, reading),
                                inner.parameters, tried)
            if description is not None:
                stated.append(description)
    survivors = [g for g in withdraw_conflicts(stated, terms, offset, evaluate) if not isinstance(g, NoGuess)]
    return survivors[0] if survivors else None
