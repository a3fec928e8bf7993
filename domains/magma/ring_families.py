"""Affine magmas over larger finite rings, checked symbolically (no enumeration of assignments).

Both sides of a law in x ◇ y = a·x + b·y + c are linear in the variables, so the law holds iff the
coefficient words in a, b agree (bulk_families). That makes rings far beyond the tables a search
can list cheap to scan:

* Z/n for prime powers n: an affine magma mod n = ∏ p^e is the product of those mod each p^e, and
  a product refutes a pair only if one factor does, so composite moduli add nothing. The constant
  c matters only through gcd(c, n) (c·K ≡ 0 mod n iff n/gcd(c, n) divides K), so one c per divisor.
* k×k matrices over Z/m, A and B not commuting: every pair up to simultaneous conjugation where
  that is cheap (2×2 over Z/3, Z/4, Z/5), else every pair of elements of the field GF(p^k) (as
  polynomials in a companion matrix: the commutative case) plus a seeded random sample of pairs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from functools import lru_cache

import numpy as np

from mathteam.domains.magma import bulk_families
from mathteam.domains.magma.terms import Law


def prime_powers(low: int, high: int) -> tuple[int, ...]:
    """Prime powers n with low ≤ n ≤ high, ascending."""
    def is_prime_power(n: int) -> bool:
        p = next(d for d in range(2, n + 1) if n % d == 0)
        while n % p == 0:
            n //= p
        return n == 1
    return tuple(n for n in range(max(2, low), high + 1) if is_prime_power(n))


def divisors(n: int) -> np.ndarray:
    """The constants c worth trying mod n: one per value of gcd(c, n) (0 stands for n)."""
    return np.array([0] + [d for d in range(1, n) if n % d == 0], dtype=np.int64)


def affine_rows(laws: list[Law], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(parameters (a, b, c), sat) for the affine magmas mod n with one c per divisor class."""
    constants = divisors(n)
    return bulk_families.affine_parameters(n, constants), bulk_families.affine_satisfaction(laws, n, constants)


def _invertible(matrix: np.ndarray, p: int) -> bool:
    """Whether ``matrix`` is invertible mod the prime p (Gaussian elimination)."""
    m = matrix.copy() % p
    size = len(m)
    for column in range(size):
        pivot = next((r for r in range(column, size) if m[r, column]), None)
        if pivot is None:
            return False
        m[[column, pivot]] = m[[pivot, column]]
        m[column] = m[column] * pow(int(m[column, column]), -1, p) % p
        for r in range(size):
            if r != column and m[r, column]:
                m[r] = (m[r] - m[r, column] * m[column]) % p
    return True


@lru_cache(maxsize=None)
def field_elements(k: int, p: int) -> np.ndarray:
    """The p**k elements of GF(p^k) as k×k matrices over Z/p (p prime): polynomials of degree < k
    in the companion matrix of the first monic polynomial (coefficients in lexicographic order)
    whose every non-zero such polynomial is invertible."""
    for tail in itertools.product(range(p), repeat=k):
        companion = np.zeros((k, k), dtype=np.int64)
        companion[1:, :-1] = np.eye(k - 1, dtype=np.int64)
        companion[:, -1] = [(-t) % p for t in tail]
        powers = [np.eye(k, dtype=np.int64)]
        for _ in range(k - 1):
            powers.append(powers[-1] @ companion % p)
        elements = [sum(c * power for c, power in zip(coefficients, powers)) % p
                    for coefficients in itertools.product(range(p), repeat=k)]
        if all(_invertible(e, p) for e in elements if e.any()):
            stacked = np.array(elements, dtype=np.int64)
            stacked.flags.writeable = False
            return stacked
    raise ValueError(f"no irreducible polynomial of degree {k} mod {p}")  # cannot happen for p prime


def matrix_pair_chunks(k: int, m: int, sample: int = 0, seed: int = 0,
                       chunk: int = 2000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(As, Bs) in chunks: every pair up to conjugation when ``sample`` is 0, else every pair of
    field elements (when m is prime) and then ``sample`` pairs drawn uniformly (seeded)."""
    if not sample:
        As, Bs = bulk_families.matrix_pairs(k, m)
    else:
        parts_a, parts_b = [], []
        if _is_prime(m):
            field = field_elements(k, m)
            first, second = np.divmod(np.arange(len(field) ** 2), len(field))
            parts_a.append(field[first])
            parts_b.append(field[second])
        rng = np.random.default_rng(seed + 1000 * k + m)
        parts_a.append(rng.integers(0, m, (sample, k, k)))
        parts_b.append(rng.integers(0, m, (sample, k, k)))
        As, Bs = np.concatenate(parts_a), np.concatenate(parts_b)
    for start in range(0, len(As), chunk):
        yield As[start:start + chunk], Bs[start:start + chunk]


def _is_prime(n: int) -> bool:
    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))


def matrix_rows(laws: list[Law], As: np.ndarray, Bs: np.ndarray, m: int
                ) -> tuple[list[tuple[np.ndarray, np.ndarray, np.ndarray]], np.ndarray]:
    """(parameters (A, B, c), sat) for x ◇ y = A·x + B·y + c on (Z/m)^k, for the given pairs."""
    vectors = bulk_families._vectors(As.shape[1], m)
    parameters = [(A, B, c) for A, B in zip(As, Bs) for c in vectors]
    return parameters, bulk_families.pairs_affine_satisfaction(laws, As, Bs, m)


def affine_row(laws: list[Law], n: int, a: int, b: int, c: int) -> np.ndarray:
    """Which ``laws`` hold in x ◇ y = a·x + b·y + c mod n (the polynomial criterion at one point)."""
    a, b, c = int(a), int(b), int(c)
    def value(poly: dict[tuple[int, int], int]) -> int:
        return sum(k * pow(a, i, n) * pow(b, j, n) for (i, j), k in poly.items()) % n

    out = np.zeros(len(laws), dtype=bool)
    for index, law in enumerate(laws):
        per_var, constant = bulk_families.law_differences(law)
        out[index] = all(value(d) == 0 for d in per_var) and value(constant) * c % n == 0
    return out


def matrix_row(laws: list[Law], A: np.ndarray, B: np.ndarray, c: np.ndarray, m: int) -> np.ndarray:
    """Which ``laws`` hold in x ◇ y = A·x + B·y + c on (Z/m)^k."""
    sat = bulk_families.pairs_affine_satisfaction(laws, A[None], B[None], m)
    vectors = bulk_families._vectors(len(c), m).tolist()
    return sat[vectors.index([int(x) for x in c])]
