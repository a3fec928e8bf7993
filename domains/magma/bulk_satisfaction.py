"""Which laws hold in which magmas, in bulk: all small magmas at once, early filtering, a process pool, a cache.

A law is checked on a batch of magmas a few assignments at a time, keeping only the magmas that
survive, so most magmas are dropped after a handful of assignments. The satisfaction matrix for
all magmas of size ≤ 3 is the same for every project using the same laws, so it is cached as a
packed ``.npy`` keyed by a hash of the laws.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from mathteam.domains.magma.finite import all_magmas
from mathteam.domains.magma.terms import Law, Term, variables

# Assignments tried in growing batches: 4, then 16, 64, ... on the magmas still satisfying the law.
_FIRST_BATCH = 1


def _nodes(term: Term, out: dict[Term, None]) -> None:
    if isinstance(term, int):
        return
    _nodes(term[0], out)
    _nodes(term[1], out)
    out.setdefault(term, None)


def _assignment_order(n: int, k: int) -> np.ndarray:
    """All n**k assignments, shape (k, n**k), in a fixed pseudo-random order (diverse ones first)."""
    grid = np.indices((n,) * k, dtype=np.intp).reshape(k, -1)
    order = np.random.default_rng(12345 + 31 * n + k).permutation(grid.shape[1])
    return grid[:, order]


def _holds_on(flat: np.ndarray, n: int, law: Law, assignment: np.ndarray) -> np.ndarray:
    """For magmas ``flat`` (m, n*n), whether ``law`` holds at every column of ``assignment``."""
    rows = np.arange(flat.shape[0], dtype=np.intp)[:, None]
    values: dict[Term, np.ndarray] = {}

    def value(term: Term) -> np.ndarray:
        return assignment[term][None, :] if isinstance(term, int) else values[term]

    nodes: dict[Term, None] = {}
    _nodes(law.lhs, nodes)
    _nodes(law.rhs, nodes)
    for node in nodes:
        values[node] = flat[rows, value(node[0]) * n + value(node[1])]
    equal = value(law.lhs) == value(law.rhs)
    return np.broadcast_to(equal, (flat.shape[0], assignment.shape[1])).all(axis=1)


def law_satisfaction(flat: np.ndarray, n: int, law: Law) -> np.ndarray:
    """Bool vector: which magmas (rows of ``flat``, shape (m, n*n), entries < n) satisfy ``law``."""
    law = Law.of(law.lhs, law.rhs)
    assignment = _assignment_order(n, len(variables((law.lhs, law.rhs))))
    alive = np.arange(flat.shape[0])
    start, batch = 0, _FIRST_BATCH
    total = assignment.shape[1]
    while start < total and len(alive):
        stop = min(total, start + batch)
        keep = _holds_on(flat[alive], n, law, assignment[:, start:stop])
        alive = alive[keep]
        start, batch = stop, batch * 4
    result = np.zeros(flat.shape[0], dtype=bool)
    result[alive] = True
    return result


def satisfaction(tables: np.ndarray, laws: list[Law]) -> np.ndarray:
    """``sat[k, i]``: magma k (tables shape (m, n, n)) satisfies law i. Shape (m, len(laws)), bool."""
    tables = np.asarray(tables)
    m, n = tables.shape[0], tables.shape[1]
    flat = tables.reshape(m, n * n).astype(np.intp)
    out = np.zeros((m, len(laws)), dtype=bool)
    for i, law in enumerate(laws):
        out[:, i] = law_satisfaction(flat, n, law)
    return out


def _chunk_job(args: tuple[int, list[Law]]) -> np.ndarray:
    n, laws = args
    return satisfaction(all_magmas(n), laws)


def small_magma_satisfaction(laws: list[Law], sizes: tuple[int, ...] = (1, 2, 3), workers: int = 2,
                             cache_dir: Path | None = None, pool: Callable[[], Any] | None = None,
                             ) -> tuple[np.ndarray, np.ndarray]:
    """All magmas of the given sizes (≤ 3) and which laws each satisfies.

    Returns ``(tables, sat)``: ``tables`` a list-like object array of (n, n) uint8 tables and
    ``sat`` of shape (magmas, laws). Work is split over laws into ``workers * 4`` shards, run in a
    process pool of ``workers``, or in ``pool()`` when given (a context manager with
    ``map(fn, items)``, as ``concurrent.futures`` executors have: the caller's Ray tasks, say).
    """
    tables = [table for n in sizes for table in all_magmas(n)]
    key = hashlib.sha256(("|".join(map(str, laws)) + f"#{sizes}").encode()).hexdigest()[:16]
    path = cache_dir / f"small-magmas-{key}.npy" if cache_dir else None
    if path is not None and path.exists():
        packed = np.load(path)
        return _as_object(tables), np.unpackbits(packed, axis=1, count=len(laws)).astype(bool)
    blocks = []
    for n in sizes:
        chunks = [laws[i::workers * 4] for i in range(workers * 4)]
        if pool is not None or workers > 1:
            with (pool or (lambda: ProcessPoolExecutor(workers)))() as executor:
                parts = list(executor.map(_chunk_job, [(n, chunk) for chunk in chunks]))
        else:
            parts = [_chunk_job((n, chunk)) for chunk in chunks]
        block = np.zeros((n ** (n * n), len(laws)), dtype=bool)
        for i, part in enumerate(parts):
            block[:, i::workers * 4] = part
        blocks.append(block)
    sat = np.concatenate(blocks)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, np.packbits(sat, axis=1))
    return _as_object(tables), sat


def _as_object(tables: list[np.ndarray]) -> np.ndarray:
    out = np.empty(len(tables), dtype=object)
    out[:] = tables
    return out


def distinct_signatures(sat: np.ndarray) -> np.ndarray:
    """Indices of the first magma of each distinct satisfaction row, ordered by pairs refuted, most first.

    A magma with satisfied set S refutes exactly S × (not S); two magmas refute the same pairs
    iff their rows are equal, so one per row suffices. Rows that hold everything refute nothing.
    """
    packed = np.packbits(sat, axis=1)
    _, first = np.unique(packed, axis=0, return_index=True)
    first = np.sort(first)
    held = sat[first].sum(axis=1)
    power = held * (sat.shape[1] - held)
    keep = first[power > 0]
    return keep[np.argsort(-power[power > 0], kind="stable")]
