"""Finite magmas as numpy tables: enumeration, vectorised law checks, refutations, an independent checker."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from mathteam.domains.magma.terms import Law, Term

#: Cap on the elements of one evaluation array (values of one subterm for a chunk of magmas).
_CHUNK_ELEMENTS = 1 << 22


def all_magmas(n: int) -> np.ndarray:
    """Every magma on ``{0, …, n-1}``: shape ``(n**(n*n), n, n)``, uint8, in lexicographic order of tables."""
    if not 1 <= n <= 3:
        raise ValueError(f"all_magmas(n) needs 1 ≤ n ≤ 3 (there are n**(n*n) tables), got {n}")
    cells = n * n
    # Entry (i, c) is digit c (most significant first) of i written in base n.
    powers = n ** np.arange(cells - 1, -1, -1, dtype=np.int64)
    index = np.arange(n**cells, dtype=np.int64)[:, None]
    return ((index // powers) % n).astype(np.uint8).reshape(-1, n, n)


def _assignments(n: int, k: int) -> np.ndarray:
    """All ``n**k`` assignments of ``k`` variables, shape ``(k, n**k)``."""
    if k == 0:
        return np.zeros((0, 1), dtype=np.intp)
    grids = np.indices((n,) * k, dtype=np.intp)
    return grids.reshape(k, -1)


def _subterms(term: Term, out: dict[Term, None]) -> None:
    """Distinct compound subterms of ``term``, children before parents."""
    if isinstance(term, int):
        return
    _subterms(term[0], out)
    _subterms(term[1], out)
    out.setdefault(term, None)


def _evaluate_chunk(flat: np.ndarray, n: int, law: Law, assignment: np.ndarray) -> np.ndarray:
    """Whether each magma (rows of ``flat``, shape ``(m, n*n)``) satisfies ``law`` for every assignment."""
    rows = np.arange(flat.shape[0], dtype=np.intp)[:, None]
    values: dict[Term, np.ndarray] = {}

    def value(term: Term) -> np.ndarray:
        # Leaves are (1, A) and broadcast against the magma axis; compound subterms are (m, A).
        if isinstance(term, int):
            return assignment[term][None, :]
        return values[term]

    nodes: dict[Term, None] = {}
    _subterms(law.lhs, nodes)
    _subterms(law.rhs, nodes)
    for node in nodes:
        cell = value(node[0]).astype(np.intp) * n + value(node[1])
        values[node] = flat[rows, cell]
    equal = value(law.lhs) == value(law.rhs)
    equal = np.broadcast_to(equal, (flat.shape[0], assignment.shape[1]))
    return equal.all(axis=1)


def satisfies(magmas: np.ndarray, law: Law) -> np.ndarray:
    """For each magma in ``magmas`` (shape ``(m, n, n)``), whether ``law`` holds for all assignments: shape ``(m,)``."""
    magmas = np.asarray(magmas)
    if magmas.ndim == 2:
        magmas = magmas[None]
    m, n = magmas.shape[0], magmas.shape[1]
    law = Law.of(law.lhs, law.rhs)
    flat = magmas.reshape(m, n * n).astype(np.uint8 if n <= 256 else np.intp, copy=False)
    result = np.ones(m, dtype=bool)
    for assignment in _assignment_slices(n, law.variable_count):
        chunk = max(1, _CHUNK_ELEMENTS // assignment.shape[1])
        for start in range(0, m, chunk):
            result[start : start + chunk] &= _evaluate_chunk(flat[start : start + chunk], n, law, assignment)
        if not result.any():
            break
    return result


def _assignment_slices(n: int, k: int):
    """Every assignment, in slices of at most ``_CHUNK_ELEMENTS`` columns where possible: the
    ``n**k`` of a law with five variables on a magma of 32 elements would not fit in memory at
    once, so leading variables are fixed one value at a time."""
    fixed = 0
    while fixed < k - 1 and n ** (k - fixed) > _CHUNK_ELEMENTS:
        fixed += 1
    rest = _assignments(n, k - fixed)
    for prefix in itertools.product(range(n), repeat=fixed):
        if not fixed:
            yield rest
            continue
        leading = np.repeat(np.array(prefix, dtype=np.intp)[:, None], rest.shape[1], axis=1)
        yield np.vstack([leading, rest])


def satisfaction_matrix(magmas: np.ndarray, laws: list[Law]) -> np.ndarray:
    """``sat[i, k]`` is whether magma ``k`` satisfies ``laws[i]``: shape ``(len(laws), m)``."""
    magmas = np.asarray(magmas)
    if not laws:
        return np.zeros((0, magmas.shape[0]), dtype=bool)
    return np.stack([satisfies(magmas, law) for law in laws])


def refutations(sat: np.ndarray) -> np.ndarray:
    """``ref[i, j]``: index of the first magma satisfying law i and violating law j, or -1; shape ``(L, L)``.

    ``sat`` is a satisfaction matrix of shape ``(L, m)``. Blocks of magmas are scanned in order;
    a matrix product counts the witnesses each pair has in a block, and only pairs seeing their
    first witness there are resolved to an exact index.
    """
    sat = np.asarray(sat, dtype=bool)
    count, m = sat.shape
    result = np.full((count, count), -1, dtype=np.int64)
    start, block = 0, 64
    while start < m:
        stop = min(m, start + block)
        holds = sat[:, start:stop]
        # Most refutations appear among the first magmas, so blocks start small and grow.
        counts = holds.astype(np.float32) @ (~holds).astype(np.float32).T
        ii, jj = np.nonzero((counts > 0) & (result < 0))
        pair_chunk = max(1, _CHUNK_ELEMENTS // holds.shape[1])
        for p in range(0, len(ii), pair_chunk):
            i, j = ii[p : p + pair_chunk], jj[p : p + pair_chunk]
            witness = holds[i] & ~holds[j]
            result[i, j] = start + np.argmax(witness, axis=1)
        start, block = stop, min(block * 2, 4096)
    return result


# ---------------------------------------------------------------- independent checker
# Deliberately shares nothing with the vectorised code above: plain lists, recursion and
# itertools, so a bug in one path is unlikely to be repeated in the other.


@dataclass(frozen=True)
class CounterexampleCheck:
    """Outcome of re-checking a claimed counterexample to ``hypothesis ⇒ conclusion``."""

    ok: bool
    reason: str
    violating_assignment: tuple[int, ...] | None = None


def _evaluate(table: list[list[int]], term: Term, env: tuple[int, ...]) -> int:
    if isinstance(term, int):
        return env[term]
    return table[_evaluate(table, term[0], env)][_evaluate(table, term[1], env)]


def _variable_count(term: Term) -> int:
    if isinstance(term, int):
        return term + 1
    return max(_variable_count(term[0]), _variable_count(term[1]))


def find_violation(table: list[list[int]], law: Law) -> tuple[int, ...] | None:
    """The first assignment (values of x, y, z, …) where ``law`` fails in ``table``, or None if it holds."""
    size = len(table)
    arity = max(_variable_count(law.lhs), _variable_count(law.rhs))
    for env in itertools.product(range(size), repeat=arity):
        if _evaluate(table, law.lhs, env) != _evaluate(table, law.rhs, env):
            return env
    return None


def table_problem(table: object) -> str | None:
    """Why `table` is not a magma on {0, …, n-1} (not square, an entry out of range), or None."""
    if not isinstance(table, (list, tuple)) or not table:
        return "the table must be a non-empty list of rows"
    size = len(table)
    for a, row in enumerate(table):
        if not isinstance(row, (list, tuple)) or len(row) != size:
            return f"row {a} must have {size} entries"
        for b, entry in enumerate(row):
            if isinstance(entry, bool) or not isinstance(entry, int) or not 0 <= entry < size:
                return f"entry {a}◇{b} = {entry!r} is not an element of 0…{size - 1}"
    return None


def check_counterexample(table: list[list[int]], hypothesis: Law, conclusion: Law) -> CounterexampleCheck:
    """Check that ``table`` is a magma satisfying ``hypothesis`` everywhere and violating ``conclusion`` somewhere."""
    problem = table_problem(table)
    if problem:
        return CounterexampleCheck(False, problem)
    failure = find_violation(table, hypothesis)
    if failure is not None:
        return CounterexampleCheck(False, f"the hypothesis {hypothesis} fails at {failure}")
    witness = find_violation(table, conclusion)
    if witness is None:
        return CounterexampleCheck(False, f"the conclusion {conclusion} holds for every assignment")
    return CounterexampleCheck(True, f"the conclusion {conclusion} fails at {witness}", witness)
