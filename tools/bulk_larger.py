"""Larger finite magmas for the bulk engine: affine magmas over larger rings (scanned symbolically)
and translation-invariant magmas x ◇ y = x + f(y − x) on Z/n (searched per hypothesis).

Every magma either finds is an ordinary finite table stored with its exact satisfaction row, so it
refutes like any other witness and ``bench/recheck.py`` re-evaluates it on every assignment.

The translation search takes the open pairs of one hypothesis together: a SAT problem "f makes the
hypothesis hold and at least one of these conclusions fail", solved incrementally (each model's
failing conclusions are dropped from the choice and the solver goes on) size by size. One problem
per hypothesis instead of one per pair, and each model found is then applied to every pair.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

import numpy as np
from pysat.solvers import Solver

from mathteam.domains.magma import bulk_families, ring_families
from mathteam.domains.magma.terms import Law
from mathteam.domains.magma.translation_cnf import counterexample_cnf, transitive_satisfaction, translation_table
from mathteam.tools.bulk_provers import stream
from mathteam.tools.cluster import Executors, LocalExecutors

TRANSLATION_TOOL = "translation-search"
"""Attempts of the translation search are logged under this name, one per pair it covered."""
SOLVER = "glucose4"

RingSpec = tuple[int, int, int]
"""(k, m, sample): k×k matrices over Z/m, every pair up to conjugation when sample is 0, else the
field's pairs (m prime) and ``sample`` random ones."""


class RingBatch(NamedTuple):
    source: str
    sat: np.ndarray
    table: Callable[[int], np.ndarray]


def ring_batches(laws: list[Law], moduli: Iterable[int], rings: Iterable[RingSpec]) -> Iterator[RingBatch]:
    """Satisfaction rows of the larger affine families, one batch at a time (bounded memory)."""
    for n in moduli:
        params, sat = ring_families.affine_rows(laws, n)
        yield RingBatch(f"affine magma x◇y = a·x + b·y + c mod {n}", sat,
                        lambda r, n=n, params=params: bulk_families.affine_table(n, *params[r]))
    for k, m, sample in rings:
        kind = f"{sample} sampled" if sample else "all"
        for As, Bs in ring_families.matrix_pair_chunks(k, m, sample):
            params, sat = ring_families.matrix_rows(laws, As, Bs, m)
            yield RingBatch(f"matrix-affine magma x◇y = A·x + B·y + c on (Z_{m})^{k}, A and B {k}×{k} "
                            f"matrices ({kind} pairs)", sat,
                            lambda r, m=m, params=params: bulk_families.matrix_affine_table(*params[r], m))


class TranslationResult(NamedTuple):
    functions: tuple[tuple[int, ...], ...]
    """Each f found, in order (each makes at least one conclusion not failed by an earlier one fail)."""
    sizes_exhausted: tuple[int, ...]
    """Sizes where no f satisfies the hypothesis and fails a remaining conclusion."""
    sizes_tried: tuple[int, ...]
    seconds: float


def translation_job(hypothesis: Law, conclusions: tuple[Law, ...], sizes: tuple[int, ...], seconds: float,
                    clock: Callable[[], float] = time.monotonic) -> TranslationResult:
    """Translation-invariant models of ``hypothesis`` failing some of ``conclusions``, size by size."""
    started = clock()
    deadline = started + seconds
    remaining = list(range(len(conclusions)))
    functions: list[tuple[int, ...]] = []
    tried: list[int] = []
    exhausted: list[int] = []
    for size in sizes:
        if clock() >= deadline or not remaining:
            break
        tried.append(size)
        cnf = counterexample_cnf([hypothesis], [conclusions[i] for i in remaining], size,
                                 stop=lambda: clock() >= deadline)
        if cnf is None:
            break
        if cnf.impossible:
            exhausted.append(size)
            continue
        literal = dict(zip(remaining, cnf.conclusion_literals))
        with Solver(name=SOLVER, bootstrap_with=cnf.clauses) as solver:
            while remaining:
                timer = threading.Timer(max(0.0, deadline - clock()), solver.interrupt)
                timer.start()
                try:
                    verdict = solver.solve_limited(expect_interrupt=True)
                finally:
                    timer.cancel()
                if not verdict:
                    break
                f = cnf.function(solver.get_model())
                functions.append(f)
                holds = transitive_satisfaction(translation_table(f), [conclusions[i] for i in remaining])
                failing = [i for i, ok in zip(remaining, holds) if not ok]
                for i in failing:
                    solver.add_clause([-literal[i]])
                remaining = [i for i in remaining if i not in failing]
        if verdict is None:
            break  # out of time: larger sizes would not do better
        if remaining:
            exhausted.append(size)
    return TranslationResult(tuple(functions), tuple(exhausted), tuple(tried), clock() - started)


def _translation_job(args: tuple[Law, tuple[Law, ...], tuple[int, ...], float]) -> TranslationResult:
    return translation_job(*args)


def search_hypotheses(laws: list[Law], jobs: list[tuple[int, list[int]]], sizes: tuple[int, ...], seconds: float,
                      still_wanted: Callable[[int], bool], workers: int = 2, executors: Executors | None = None,
                      ) -> Iterator[tuple[int, list[int], TranslationResult]]:
    """One translation search per (hypothesis, conclusions) job, ``workers`` (or the executors'
    slots) at a time; yields (hypothesis, conclusions, result) as they finish."""
    executors = executors or LocalExecutors(workers)
    conclusions = dict(jobs)
    for (h, _), result in stream(
            executors.computing,
            lambda pool, h, _: pool.submit(_translation_job, (laws[h], tuple(laws[b] for b in conclusions[h]),
                                                              sizes, seconds)),
            ((h, 0) for h, _ in jobs), lambda h, _: still_wanted(h), executors.slots):
        yield h, conclusions[h], result


def translation_models(f: tuple[int, ...], laws: list[Law]) -> tuple[list[np.ndarray], np.ndarray]:
    """The magma of f and its transpose (also translation-invariant: y + f(x − y) = x + g(y − x) with
    g(d) = d + f(−d)), with their satisfaction rows over ``laws``."""
    table = translation_table(f)
    tables = [table, table.T.copy()]
    return tables, np.stack([transitive_satisfaction(t, laws) for t in tables])


def outcome(result: TranslationResult) -> str:
    """What a translation search established for a pair it did not settle."""
    empty = ", ".join(map(str, result.sizes_exhausted))
    text = f"no x + f(y − x) on Z/n for n = {empty}" if empty else "no size finished"
    unfinished = [n for n in result.sizes_tried if n not in result.sizes_exhausted]
    return text + (f"; {unfinished[0]} out of time" if unfinished else "")
