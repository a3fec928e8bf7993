"""Families of magmas evaluated on every law at once: affine magmas x ◇ y = a·x + b·y + c (mod n).

In an affine magma every term is ``Σ_v P_v(a, b)·x_v + K(a, b)·c`` with polynomials ``P_v`` and
``K`` that depend only on the term's shape, so a law holds iff ``P_v`` agree on both sides for every
variable and ``c·K`` agrees, all mod n. That is a handful of integer evaluations per law instead
of n**k assignments, and it reaches sizes (n up to 12 and more) where tables are too many to list.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np

from mathteam.domains.magma.terms import Law, Term

Poly = Counter  # (i, j) -> coefficient of a**i * b**j


def _shift(poly: Poly, di: int, dj: int) -> Poly:
    return Counter({(i + di, j + dj): c for (i, j), c in poly.items()})


def _affine_form(term: Term) -> tuple[dict[int, Poly], Poly]:
    """(per-variable coefficient polynomials, constant polynomial) of ``term``."""
    if isinstance(term, int):
        return {term: Counter({(0, 0): 1})}, Counter()
    (left, kl), (right, kr) = _affine_form(term[0]), _affine_form(term[1])
    coefficients: dict[int, Poly] = {}
    for v, poly in left.items():
        coefficients[v] = coefficients.get(v, Counter()) + _shift(poly, 1, 0)
    for v, poly in right.items():
        merged = coefficients.get(v, Counter())
        merged.update(_shift(poly, 0, 1))
        coefficients[v] = merged
    constant = _shift(kl, 1, 0)
    constant.update(_shift(kr, 0, 1))
    constant[(0, 0)] += 1
    return coefficients, constant


@lru_cache(maxsize=None)
def law_differences(law: Law) -> tuple[list[dict[tuple[int, int], int]], dict[tuple[int, int], int]]:
    """Polynomials (lhs − rhs) per variable and for the constant; the law holds iff all vanish."""
    (lc, lk), (rc, rk) = _affine_form(law.lhs), _affine_form(law.rhs)
    per_var = []
    for v in set(lc) | set(rc):
        diff = Counter(lc.get(v, Counter()))
        diff.subtract(rc.get(v, Counter()))
        per_var.append({key: c for key, c in diff.items() if c})
    constant = Counter(lk)
    constant.subtract(rk)
    return [d for d in per_var if d], {key: c for key, c in constant.items() if c}


def _evaluate(poly: dict[tuple[int, int], int], powers_a: np.ndarray, powers_b: np.ndarray, n: int) -> np.ndarray:
    """``poly`` at every (a, b) mod n: shape (n, n) indexed [a, b]."""
    total = np.zeros((n, n), dtype=np.int64)
    for (i, j), c in poly.items():
        total = (total + c * np.outer(powers_a[i], powers_b[j])) % n
    return total


def affine_parameters(n: int) -> np.ndarray:
    """All (a, b, c) for modulus n, shape (n**3, 3), in lexicographic order."""
    return np.indices((n, n, n)).reshape(3, -1).T


def affine_satisfaction(laws: list[Law], n: int) -> np.ndarray:
    """``sat[k, i]``: the affine magma with parameters ``affine_parameters(n)[k]`` satisfies law i."""
    forms = [law_differences(law) for law in laws]
    top = max((max((i for d in per_var + [const] for (i, _) in d), default=0) for per_var, const in forms),
              default=0)
    top = max(top, max((max((j for d in per_var + [const] for (_, j) in d), default=0)
                        for per_var, const in forms), default=0))
    base = np.arange(n, dtype=np.int64)
    powers = np.ones((top + 1, n), dtype=np.int64)
    for e in range(1, top + 1):
        powers[e] = powers[e - 1] * base % n
    cs = np.arange(n, dtype=np.int64)
    sat = np.zeros((n, n, n, len(laws)), dtype=bool)
    for index, (per_var, constant) in enumerate(forms):
        ok = np.ones((n, n), dtype=bool)
        for diff in per_var:
            ok &= _evaluate(diff, powers, powers, n) == 0
        k = _evaluate(constant, powers, powers, n)
        # c·K(a, b) ≡ 0 (mod n) for the given c.
        sat[:, :, :, index] = ok[:, :, None] & ((k[:, :, None] * cs[None, None, :]) % n == 0)
    return sat.reshape(n**3, len(laws))


def affine_table(n: int, a: int, b: int, c: int) -> np.ndarray:
    """The operation table of x ◇ y = a·x + b·y + c (mod n)."""
    x, y = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return ((a * x + b * y + c) % n).astype(np.uint8)
