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
