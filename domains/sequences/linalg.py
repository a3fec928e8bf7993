"""Exact linear algebra over Q for the guessers: null spaces and integer normalisation of vectors; and
the same questions modulo a prime, as filters that decide quickly when the exact answer is "none".

A modular filter never adds an answer and never loses one. If integers (or rationals whose denominators
the prime does not divide) satisfy a linear relation exactly, a relation with coprime integer
coefficients does too, and it stays a non-zero relation modulo any prime. So "no non-zero solution
modulo p" proves "no solution over Q"; only the converse can fail (p divides some minor), and then the
exact computation runs as before.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm

import numpy as np

PRIME = 2**31 - 1
"""The modulus of the filters: a prime below 2^31, so that the product of two residues fits an int64."""


def nullspace(rows: list[list[Fraction | int]], width: int) -> list[list[Fraction]]:
    """A basis of ``{v : rows · v = 0}`` over Q: one vector per non-pivot column c of the reduced row
    echelon form R, with v[c] = 1 and v[p] = -R[i][c] at the pivot column p of row i.

    The reduced form is unique, so how it is computed does not change the answer: here on integers
    (each row cleared of denominators, combined fraction-free and divided by the gcd of its entries),
    several times faster than Gauss–Jordan on Fractions for the guessers' long, wide matrices."""
    matrix = [_integer_row(row, width) for row in rows]
    pivots: list[int] = []
    rank = 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead_row = matrix[rank]
        lead = lead_row[column]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = _primitive([lead * x - factor * y for x, y in zip(matrix[r], lead_row)])
        pivots.append(column)
        rank += 1
        if rank == len(matrix):
            break
    basis = []
    for free in (c for c in range(width) if c not in pivots):
        vector = [Fraction(0)] * width
        vector[free] = Fraction(1)
        for row, column in enumerate(pivots):
            vector[column] = Fraction(-matrix[row][free], matrix[row][column])
        basis.append(vector)
    return basis


def _integer_row(row: list[Fraction | int], width: int) -> list[int]:
    """The row (padded or cut to ``width``, as zip did) times the lcm of its denominators, as integers."""
    values = [Fraction(x) for x in row[:width]] + [Fraction(0)] * max(0, width - len(row))
    scale = lcm(*(x.denominator for x in values)) if values else 1
    return [x.numerator * (scale // x.denominator) for x in values]


def _primitive(row: list[int]) -> list[int]:
    """The row divided by the gcd of its entries (same row space, small entries)."""
    common = gcd(*row)
    return row if common <= 1 else [x // common for x in row]


def integral(vector: list[Fraction]) -> list[int]:
    """The vector scaled to coprime integers, its last non-zero entry positive."""
    denominator = lcm(*(x.denominator for x in vector)) if vector else 1
    scaled = [int(x * denominator) for x in vector]
    common = gcd(*scaled) or 1
    last = next((x for x in reversed(scaled) if x), 1)
    sign = 1 if last > 0 else -1
    return [sign * x // common for x in scaled]


def interpolate(points: list[tuple[int, int | Fraction]]) -> list[Fraction]:
    """Coefficients (constant first) of the polynomial of least degree through the points, by Newton's
    divided differences expanded to the monomial basis."""
    xs = [Fraction(p) for p, _ in points]
    table = [Fraction(v) for _, v in points]
    newton = [table[0]]
    for level in range(1, len(points)):
        table = [(table[i + 1] - table[i]) / (xs[i + level] - xs[i]) for i in range(len(table) - 1)]
        newton.append(table[0])
    coefficients = [Fraction(0)] * len(points)
    basis = [Fraction(1)]  # prod_{j < level} (n - x_j), constant first
    for level, weight in enumerate(newton):
        for i, c in enumerate(basis):
            coefficients[i] += weight * c
        basis = [Fraction(0)] + basis
        for i in range(len(basis) - 1):
            basis[i] -= xs[level] * basis[i + 1]
    while len(coefficients) > 1 and coefficients[-1] == 0:
        coefficients.pop()
    return coefficients


def evaluate_polynomial(coefficients: list[Fraction], point: int) -> Fraction:
    value = Fraction(0)
    for c in reversed(coefficients):
        value = value * point + c
    return value


def residue(value, prime: int = PRIME) -> int | None:
    """``value`` modulo ``prime`` for an integer, or a Fraction whose denominator ``prime`` does not divide
    (its numerator times the inverse of its denominator); None for anything else."""
    if isinstance(value, Fraction):
        denominator = value.denominator % prime
        return None if denominator == 0 else value.numerator * pow(denominator, -1, prime) % prime
    try:
        return value.__index__() % prime  # int, bool, numpy and sympy integers
    except (AttributeError, TypeError):
        return None


def residues(values, prime: int = PRIME) -> list[int] | None:
    """Every value modulo ``prime`` (``residue``), or None when one of them has no residue."""
    out = []
    for value in values:
        r = residue(value, prime)
        if r is None:
            return None
        out.append(r)
    return out


def rank_modulo(matrix: np.ndarray, prime: int = PRIME) -> int:
    """The rank over GF(prime) of an integer matrix whose entries are residues in [0, prime), by Gaussian
    elimination on int64 (prime below 2^31: every product of two residues fits)."""
    work = np.array(matrix, dtype=np.int64) % prime
    rows, columns = work.shape if work.ndim == 2 else (0, 0)
    rank = 0
    for column in range(columns):
        if rank == rows:
            break
        nonzero = np.flatnonzero(work[rank:, column])
        if nonzero.size == 0:
            continue
        pivot = rank + int(nonzero[0])
        if pivot != rank:
            work[[rank, pivot]] = work[[pivot, rank]]
        inverse = pow(int(work[rank, column]), prime - 2, prime)
        work[rank, column:] = work[rank, column:] * inverse % prime
        factors = work[rank + 1:, column].copy()
        if factors.any():
            work[rank + 1:, column:] = (work[rank + 1:, column:]
                                        - factors[:, None] * work[rank, column:] % prime) % prime
        rank += 1
    return rank


def only_trivial_solution_modulo(matrix: np.ndarray, prime: int = PRIME) -> bool:
    """Whether ``matrix · v = 0`` has only v = 0 over GF(prime) (full column rank). Then it has only v = 0
    over Q too, for the integer matrix whose residues these are (see the module's docstring)."""
    return matrix.shape[1] > 0 and rank_modulo(matrix, prime) == matrix.shape[1]


def linear_complexity_profile(values: list[int], limit: int, prime: int = PRIME) -> list[int]:
    """Berlekamp–Massey over GF(prime) on residues: ``profile[k - 1]`` is the linear complexity of the
    first k values (the length of the shortest linear recurrence they satisfy), for k = 1, 2, ...,
    stopping after the first k where it exceeds ``limit`` (the profile never decreases)."""
    c, b, length, shift, last = [1], [1], 0, 1, 1
    profile = []
    for m, value in enumerate(values):
        d = (value + sum(c[i] * values[m - i] for i in range(1, length + 1))) % prime
        if d:
            scale = d * pow(last, prime - 2, prime) % prime
            update = c + [0] * max(0, len(b) + shift - len(c))
            for i, coefficient in enumerate(b):
                update[i + shift] = (update[i + shift] - scale * coefficient) % prime
            if 2 * length <= m:
                b, length, last, shift = c, m + 1 - length, d, 1
            else:
                shift += 1
            c = update
        else:
            shift += 1
        profile.append(length)
        if length > limit:
            break
    return profile
