"""Families of magmas evaluated on every law at once, without listing assignments.

Affine magmas x ◇ y = a·x + b·y + c (mod n): every term is ``Σ_v P_v(a, b)·x_v + K(a, b)·c`` with
polynomials ``P_v`` and ``K`` that depend only on the term's shape, so a law holds iff ``P_v`` agree
on both sides for every variable and ``c·K`` agrees, all mod n. That is a handful of integer
evaluations per law instead of n**k assignments, and it reaches sizes (n up to 12 and more) where
tables are too many to list.

Matrix-affine magmas x ◇ y = A·x + B·y + c on the vectors (Z_p)^k, with k×k matrices A, B that
need not commute: the same idea with words in A and B instead of monomials (a term's coefficient
of x is a sum of words, the path from the root to each occurrence of x read as A for left, B for
right). Non-commuting coefficients separate laws that every commutative family confuses; with
k = 3, p = 2 (magmas of size 8) they refute most of the pairs that survive size ≤ 3, the affine
family and targeted search among the 4694 ETP laws. Pairs (A, B) are taken up to simultaneous
conjugation, which gives isomorphic magmas.
"""

from __future__ import annotations

import itertools
from collections import Counter
from functools import lru_cache

import numpy as np

from mathteam.domains.magma.terms import Law, Term

Word = tuple[int, ...]  # 0 for A, 1 for B, outermost first


def _word_form(term: Term) -> tuple[dict[int, Counter], Counter]:
    """(per-variable sums of words, constant sum of words) of ``term`` in x ◇ y = A·x + B·y + c.

    A word is the path from the root to an occurrence (of a variable, or of the constant c added at
    each node), read as A for a left step and B for a right step.
    """
    if isinstance(term, int):
        return {term: Counter({(): 1})}, Counter()
    coefficients: dict[int, Counter] = {}
    constant = Counter({(): 1})
    for side, child in enumerate(term):
        child_coefficients, child_constant = _word_form(child)
        for v, words in child_coefficients.items():
            coefficients.setdefault(v, Counter()).update({(side, *w): c for w, c in words.items()})
        constant.update({(side, *w): c for w, c in child_constant.items()})
    return coefficients, constant


Poly = Counter  # (i, j) -> coefficient of a**i * b**j


def _affine_form(term: Term) -> tuple[dict[int, Poly], Poly]:
    """(per-variable coefficient polynomials, constant polynomial) of ``term``: the word form with
    commuting coefficients, each word becoming the monomial a**(left steps) * b**(right steps)."""
    coefficients, constant = _word_form(term)
    return {v: _commuted(words) for v, words in coefficients.items()}, _commuted(constant)


def _commuted(words: Counter) -> Poly:
    poly: Poly = Counter()
    for word, count in words.items():
        poly[(word.count(0), word.count(1))] += count
    return poly


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


def affine_parameters(n: int, constants: np.ndarray | None = None) -> np.ndarray:
    """All (a, b, c) for modulus n (c among ``constants``, default all), shape (rows, 3), in
    lexicographic order."""
    cs = np.arange(n) if constants is None else np.asarray(constants)
    a, b, c = np.indices((n, n, len(cs))).reshape(3, -1)
    return np.stack([a, b, cs[c]], axis=1)


def affine_satisfaction(laws: list[Law], n: int, constants: np.ndarray | None = None) -> np.ndarray:
    """``sat[k, i]``: the affine magma with parameters ``affine_parameters(n, constants)[k]``
    satisfies law i."""
    forms = [law_differences(law) for law in laws]
    top = max((max((i for d in per_var + [const] for (i, _) in d), default=0) for per_var, const in forms),
              default=0)
    top = max(top, max((max((j for d in per_var + [const] for (_, j) in d), default=0)
                        for per_var, const in forms), default=0))
    base = np.arange(n, dtype=np.int64)
    powers = np.ones((top + 1, n), dtype=np.int64)
    for e in range(1, top + 1):
        powers[e] = powers[e - 1] * base % n
    cs = np.arange(n, dtype=np.int64) if constants is None else np.asarray(constants, dtype=np.int64)
    sat = np.zeros((n, n, len(cs), len(laws)), dtype=bool)
    for index, (per_var, constant) in enumerate(forms):
        ok = np.ones((n, n), dtype=bool)
        for diff in per_var:
            ok &= _evaluate(diff, powers, powers, n) == 0
        k = _evaluate(constant, powers, powers, n)
        # c·K(a, b) ≡ 0 (mod n) for the given c.
        sat[:, :, :, index] = ok[:, :, None] & ((k[:, :, None] * cs[None, None, :]) % n == 0)
    return sat.reshape(n * n * len(cs), len(laws))


def affine_table(n: int, a: int, b: int, c: int) -> np.ndarray:
    """The operation table of x ◇ y = a·x + b·y + c (mod n)."""
    x, y = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return ((a * x + b * y + c) % n).astype(np.uint8)


# ---------------------------------------------------------------------- matrix-affine magmas

@lru_cache(maxsize=None)
def word_differences(law: Law) -> tuple[tuple[tuple[tuple[Word, int], ...], ...], tuple[tuple[Word, int], ...]]:
    """Word sums (lhs − rhs) per variable and for the constant; the law holds iff all vanish."""
    (lc, lk), (rc, rk) = _word_form(law.lhs), _word_form(law.rhs)

    def difference(left: Counter, right: Counter) -> tuple[tuple[Word, int], ...]:
        d = Counter(left)
        d.subtract(right)
        return tuple(sorted((w, c) for w, c in d.items() if c))

    per_var = (difference(lc.get(v, Counter()), rc.get(v, Counter())) for v in sorted(set(lc) | set(rc)))
    return tuple(d for d in per_var if d), difference(lk, rk)


def _all_matrices(k: int, p: int) -> np.ndarray:
    return np.array(list(itertools.product(range(p), repeat=k * k)), dtype=np.int64).reshape(-1, k, k)


@lru_cache(maxsize=None)
def matrix_pairs(k: int, p: int) -> tuple[np.ndarray, np.ndarray]:
    """One (A, B) per class of k×k matrix pairs over Z_p under simultaneous conjugation.

    Cached (read-only arrays): the parameters and the satisfaction rows of a ring both need it,
    and for 3×3 matrices mod 2 it takes seconds."""
    matrices = _all_matrices(k, p)
    count = len(matrices)
    weights = p ** np.arange(k * k)[::-1]
    identity = np.eye(k, dtype=np.int64)
    best = None
    first, second = np.divmod(np.arange(count * count), count)
    for g in matrices:
        products = (g[None] @ matrices) % p
        inverse = np.flatnonzero((products == identity).all(axis=(1, 2)))
        if not len(inverse):
            continue
        conjugated = ((g[None] @ matrices @ matrices[inverse[0]][None]) % p).reshape(count, -1) @ weights
        codes = conjugated[first] * count + conjugated[second]
        best = codes if best is None else np.minimum(best, codes)
    chosen = np.unique(best)
    pairs = matrices[chosen // count], matrices[chosen % count]
    for array in pairs:
        array.flags.writeable = False
    return pairs


def _vectors(k: int, p: int) -> np.ndarray:
    """All vectors of (Z_p)^k; row i is the element numbered i (base p, first coordinate highest)."""
    return np.array(list(itertools.product(range(p), repeat=k)), dtype=np.int64).reshape(-1, k)


def matrix_affine_parameters(k: int, p: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(A, B, c) in the order of the rows of :func:`matrix_affine_satisfaction`."""
    As, Bs = matrix_pairs(k, p)
    return [(A, B, c) for A, B in zip(As, Bs) for c in _vectors(k, p)]


def matrix_affine_satisfaction(laws: list[Law], k: int, p: int) -> np.ndarray:
    """``sat[r, i]``: the matrix-affine magma ``matrix_affine_parameters(k, p)[r]`` satisfies law i."""
    return pairs_affine_satisfaction(laws, *matrix_pairs(k, p), p)


def pairs_affine_satisfaction(laws: list[Law], As: np.ndarray, Bs: np.ndarray, p: int) -> np.ndarray:
    """``sat[r, i]`` for the magmas A·x + B·y + c on (Z_p)^k, one per given pair (A, B) (shape
    (pairs, k, k) each) and vector c, rows in the order pair-major, c as in ``_vectors``."""
    k = As.shape[1]
    pairs, vectors = len(As), _vectors(k, p)
    forms = [word_differences(law) for law in laws]
    longest = max((len(w) for per_var, constant in forms for d in (*per_var, constant) for w, _ in d), default=0)
    words = [w for length in range(longest + 1) for w in itertools.product((0, 1), repeat=length)]
    column = {w: i for i, w in enumerate(words)}
    products = np.empty((len(words), pairs, k, k), dtype=np.int64)
    products[0] = np.eye(k, dtype=np.int64)
    for w in words[1:]:
        products[column[w]] = ((As if w[0] == 0 else Bs) @ products[column[w[1:]]]) % p
    # Every word sum of every law at once, as one product of a coefficient matrix with the words'
    # matrices (in floating point for speed: the entries stay far below 2**53, so it is exact).
    per_var_owner, rows, constant_rows = [], [], []
    for index, (per_var, constant) in enumerate(forms):
        for d in per_var:
            per_var_owner.append(index)
            rows.append(d)
        constant_rows.append(constant)

    flat_products = products.reshape(len(words), -1).astype(np.float64)

    def word_sums(sums: list) -> np.ndarray:
        coefficients = np.zeros((len(sums), len(words)))
        for r, d in enumerate(sums):
            for w, c in d:
                coefficients[r, column[w]] = c
        return np.rint(coefficients @ flat_products).astype(np.int64).reshape(len(sums), pairs, k, k) % p

    block = max(1, 2_000_000 // max(1, pairs * k * k))  # rows of word sums held at once
    ok = np.ones((len(laws), pairs), dtype=bool)
    for start in range(0, len(rows), block):
        nonzero = word_sums(rows[start:start + block]).reshape(-1, pairs, k * k).any(axis=2)
        np.logical_and.at(ok, np.array(per_var_owner[start:start + block]), ~nonzero)
    sat = np.repeat(ok.T[:, None, :], len(vectors), axis=1)
    with_constant = [i for i, constant in enumerate(constant_rows) if constant]
    for start in range(0, len(with_constant), block):
        chosen = with_constant[start:start + block]
        totals = word_sums([constant_rows[i] for i in chosen])
        laws_index, pair_index = np.nonzero(ok[chosen])
        # c·K = 0 only matters where the variables' coefficients already agree.
        images = np.einsum("nij,cj->nci", totals[laws_index, pair_index], vectors) % p
        law_of = np.array(chosen)[laws_index]
        sat[pair_index[:, None], np.arange(len(vectors))[None, :], law_of[:, None]] &= ~images.any(axis=2)
    return sat.reshape(pairs * len(vectors), len(laws))


def matrix_affine_table(A: np.ndarray, B: np.ndarray, c: np.ndarray, p: int) -> np.ndarray:
    """The operation table of x ◇ y = A·x + B·y + c on (Z_p)^k, elements numbered as in ``_vectors``."""
    vectors = _vectors(len(c), p)
    weights = p ** np.arange(len(c))[::-1]
    left, right = (vectors @ A.T) % p, (vectors @ B.T) % p
    values = (left[:, None, :] + right[None, :, :] + c) % p
    return (values @ weights).astype(np.uint8)
