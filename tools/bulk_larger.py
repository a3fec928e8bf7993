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

import time
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

import numpy as np
from pysat.solvers import Solver

from mathteam.domains.magma import bulk_families, bulk_satisfaction, ring_families
from mathteam.domains.magma.groups import group_named, small_groups
from mathteam.domains.magma.terms import Law
from mathteam.domains.magma.translation_cnf import counterexample_cnf, transitive_satisfaction, translation_table
from mathteam.tools.bulk_provers import stream
from mathteam.tools.cluster import Executors, LocalExecutors
from mathteam.tools.sat_search import solve_until

TRANSLATION_TOOL = "translation-search"
"""Attempts of the translation search are logged under this name, one per pair it covered."""
SOLVER = "glucose4"

RingSpec = tuple[int, int, int]
"""(k, m, sample): k×k matrices over Z/m, every pair up to conjugation when sample is 0, else the
field's pairs (m prime) and ``sample`` random ones."""


class RingBatch(NamedTuple):
    source: str
    sat: np.ndarray
    """sat[r, i]: row r's magma satisfies law i of the laws the batch was computed on."""
    table: Callable[[int], np.ndarray]
    full_row: Callable[[int, list[Law]], np.ndarray]
    """Row r's satisfaction over other laws (all of them, when the batch had only some)."""


def ring_batches(laws: list[Law], moduli: Iterable[int], rings: Iterable[RingSpec]) -> Iterator[RingBatch]:
    """Satisfaction rows of the larger affine families, one batch at a time (bounded memory)."""
    for n in moduli:
        params, sat = ring_families.affine_rows(laws, n)
        yield RingBatch(f"affine magma x◇y = a·x + b·y + c mod {n}", sat,
                        lambda r, n=n, params=params: bulk_families.affine_table(n, *params[r]),
                        lambda r, others, n=n, params=params: ring_families.affine_row(others, n, *params[r]))
    for k, m, sample in rings:
        kind = f"{sample} sampled" if sample else "all"
        for As, Bs in ring_families.matrix_pair_chunks(k, m, sample):
            params, sat = ring_families.matrix_rows(laws, As, Bs, m)
            yield RingBatch(f"matrix-affine magma x◇y = A·x + B·y + c on (Z_{m})^{k}, A and B {k}×{k} "
                            f"matrices ({kind} pairs)", sat,
                            lambda r, m=m, params=params: bulk_families.matrix_affine_table(*params[r], m),
                            lambda r, others, m=m, params=params: ring_families.matrix_row(others, *params[r], m))


def refuting_rows(sat: np.ndarray, open_pairs: np.ndarray) -> Iterator[int]:
    """Rows of ``sat`` (one per distinct signature, most pairs refuted first) that refute some pair
    still open (``open_pairs[a, b]`` over the same laws, read at each step: the caller may settle
    pairs between rows)."""
    for k in bulk_satisfaction.distinct_signatures(sat):
        holds = sat[k] & open_pairs.any(axis=1)
        fails = ~sat[k] & open_pairs.any(axis=0)
        if holds.any() and fails.any() and open_pairs[np.ix_(holds, fails)].any():
            yield int(k)


class TranslationResult(NamedTuple):
    functions: tuple[tuple[str, tuple[int, ...]], ...]
    """Each (group, f) found, in order (each fails a conclusion no earlier one failed)."""
    sizes_exhausted: tuple[str, ...]
    """Groups where no f satisfies the hypothesis and fails a remaining conclusion."""
    sizes_tried: tuple[str, ...]
    seconds: float


def translation_job(hypothesis: Law, conclusions: tuple[Law, ...], sizes: tuple[int, ...], seconds: float,
                    clock: Callable[[], float] = time.monotonic, cyclic_only: bool = True) -> TranslationResult:
    """Left-invariant models x·f(x⁻¹·y) of ``hypothesis`` failing some of ``conclusions``, group by
    group (groups.small_groups: Z/n only when ``cyclic_only``), smallest first."""
    started = clock()
    deadline = started + seconds
    remaining = list(range(len(conclusions)))
    functions: list[tuple[str, tuple[int, ...]]] = []
    tried: list[str] = []
    exhausted: list[str] = []
    verdict = None
    for group in small_groups(sizes, cyclic_only):
        if clock() >= deadline or not remaining:
            break
        tried.append(group.name)
        # A few conclusions per problem: each adds its ground instances, and a hypothesis with a
        # hundred open conclusions would otherwise never get past the small groups.
        order = list(remaining)
        for start in range(0, len(order), CONCLUSIONS_PER_PROBLEM):
            chunk = [i for i in order[start:start + CONCLUSIONS_PER_PROBLEM] if i in remaining]
            if not chunk:
                continue
            verdict = _solve_chunk(hypothesis, conclusions, chunk, group, deadline, clock, functions, remaining)
            if verdict is None:
                break
        if verdict is None:
            break  # out of time: larger groups would not do better
        if remaining:
            exhausted.append(group.name)
    return TranslationResult(tuple(functions), tuple(exhausted), tuple(tried), clock() - started)


CONCLUSIONS_PER_PROBLEM = 12


def _solve_chunk(hypothesis: Law, conclusions: tuple[Law, ...], chunk: list[int], group, deadline: float,
                 clock: Callable[[], float], functions: list, remaining: list[int]) -> bool | None:
    """Models on ``group`` failing conclusions of ``chunk`` until none is left or none exists
    (False) or time is out (None); each model found is appended to ``functions`` and every
    conclusion it fails (in the chunk or not) is removed from ``remaining`` (in place)."""
    cnf = counterexample_cnf([hypothesis], [conclusions[i] for i in chunk], group, stop=lambda: clock() >= deadline)
    if cnf is None:
        return None
    if cnf.impossible:
        return False
    literal = dict(zip(chunk, cnf.conclusion_literals))
    with Solver(name=SOLVER, bootstrap_with=cnf.clauses) as solver:
        while any(i in remaining for i in chunk):
            verdict = solve_until(solver, deadline, clock)
            if not verdict:
                return verdict
            f = cnf.function(solver.get_model())
            functions.append((group.name, f))
            holds = transitive_satisfaction(translation_table(f, group), [conclusions[i] for i in remaining])
            failing = {i for i, ok in zip(remaining, holds) if not ok}
            for i in failing & set(chunk):
                solver.add_clause([-literal[i]])
            remaining[:] = [i for i in remaining if i not in failing]
    return False


def _translation_job(args: tuple[Law, tuple[Law, ...], tuple[int, ...], float, bool]) -> TranslationResult:
    hypothesis, conclusions, sizes, seconds, cyclic_only = args
    return translation_job(hypothesis, conclusions, sizes, seconds, cyclic_only=cyclic_only)


def search_hypotheses(laws: list[Law], jobs: list[tuple[int, list[int]]], sizes: tuple[int, ...], seconds: float,
                      still_wanted: Callable[[int], bool], workers: int = 2, executors: Executors | None = None,
                      cyclic_only: bool = True) -> Iterator[tuple[int, list[int], TranslationResult]]:
    """One translation search per (hypothesis, conclusions) job, ``workers`` (or the executors'
    slots) at a time; yields (hypothesis, conclusions, result) as they finish."""
    executors = executors or LocalExecutors(workers)
    conclusions = dict(jobs)
    for (h, _), result in stream(
            executors.computing,
            lambda pool, h, _: pool.submit(_translation_job, (laws[h], tuple(laws[b] for b in conclusions[h]),
                                                              sizes, seconds, cyclic_only)),
            ((h, 0) for h, _ in jobs), lambda h, _: still_wanted(h), executors.slots):
        yield h, conclusions[h], result


def translation_models(group_name: str, f: tuple[int, ...], laws: list[Law]) -> tuple[list[np.ndarray], np.ndarray]:
    """The magma x·f(x⁻¹·y) on the group and its transpose (also left-invariant: y·f(y⁻¹·x)), with
    their satisfaction rows over ``laws``."""
    table = translation_table(f, group_named(group_name))
    tables = [table, table.T.copy()]
    return tables, np.stack([transitive_satisfaction(t, laws) for t in tables])


def source(group_name: str, f: tuple[int, ...]) -> str:
    """How a stored translation-invariant magma is described."""
    if group_name.startswith("Z") and "×" not in group_name:
        return f"translation-invariant magma x◇y = x + f(y − x) on Z/{len(f)}, f = {list(f)}"
    return f"left-invariant magma x◇y = x·f(x⁻¹·y) on the group {group_name}, f = {list(f)}"


def outcome(result: TranslationResult) -> str:
    """What a translation search established for a pair it did not settle."""
    empty = ", ".join(map(str, result.sizes_exhausted))
    text = f"no x·f(x⁻¹·y) on {empty}" if empty else "no group finished"
    unfinished = [n for n in result.sizes_tried if n not in result.sizes_exhausted]
    return text + (f"; {unfinished[0]} out of time" if unfinished else "")
