"""Exact linear algebra over Q for the guessers: null spaces and integer normalisation of vectors."""

from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm


def nullspace(rows: list[list[Fraction | int]], width: int) -> list[list[Fraction]]:
    """A basis of ``{v : rows · v = 0}`` over Q, by Gauss–Jordan elimination on Fractions."""
    matrix = [[Fraction(x) for x in row] for row in rows]
    pivots: list[int] = []
    rank = 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][column]
        matrix[rank] = [x / lead for x in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [x - factor * y for x, y in zip(matrix[r], matrix[rank])]
        pivots.append(column)
        rank += 1
        if rank == len(matrix):
            break
    basis = []
    for free in (c for c in range(width) if c not in pivots):
        vector = [Fraction(0)] * width
        vector[free] = Fraction(1)
        for row, column in enumerate(pivots):
            vector[column] = -matrix[row][free]
        basis.append(vector)
    return basis


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
