"""Proving and searching many pairs at once: syntactic certificates inline, E and SAT searches in parallel.

E runs as a child process, so a thread pool of ``workers`` keeps ``workers`` E processes busy
(the threads only wait). Model search (tools/sat_search) runs in-process and builds its clauses in
Python, so it gets a process pool. Given ``executors`` (tools/cluster), the same jobs run where
those say: Ray tasks on a cluster. Results stream back as they finish, so the caller can settle
pairs by closure and skip queued pairs that became settled meanwhile.
"""

from __future__ import annotations

import base64
import functools
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import NamedTuple

from mathteam.domains.magma import syntactic
from mathteam.domains.magma.model_cnf import choose_seeds
from mathteam.domains.magma.terms import Law
from mathteam.tools import provers
from mathteam.tools.cluster import Executors, LocalExecutors, WorkPool
from mathteam.tools.eprover import derived_equations
from mathteam.tools.errors import ToolCrashed, ToolUnavailable
from mathteam.tools.provers import Preference
from mathteam.tools.sat_search import find_counterexample
from mathteam.tools.results import ModelSearchResult, ProverResult

Pair = tuple[int, int]


def compress(text: str) -> str:
    """Prover output as zlib + base64, about a quarter of the size."""
    return base64.b64encode(zlib.compress(text.encode(), 6)).decode()


def decompress(text: str) -> str:
    return zlib.decompress(base64.b64decode(text)).decode()


def syntactic_certificate(laws: list[Law], a: int, b: int) -> syntactic.Certificate | None:
    return syntactic.syntactic_proof(laws[a], laws[b])


def _e_job(hypothesis: Law, conclusion: Law, seconds: float, prefer: Preference = "eprover",
           ) -> ProverResult | ToolCrashed:
    """E (or, by ``prefer``, z3: tools/provers) on one pair; a crash is a result, not an error."""
    try:
        return provers.prove(hypothesis, conclusion, seconds, prefer=prefer)
    except ToolCrashed as error:
        return error


def stream(pool_factory: Callable[[], WorkPool], submit: Callable[[WorkPool, int, int], Future],
           pairs: Iterable[Pair], still_wanted: Callable[[int, int], bool], in_flight: int,
           ) -> Iterator[tuple[Pair, object]]:
    """Submit each wanted pair (``submit(pool, a, b)``) with ``in_flight`` at a time, yielding as
    they finish. A job should carry small arguments (the two laws, not all of them): a process
    pool or a Ray task sends them to another process or machine.

    ``still_wanted`` is asked just before each submission, after the caller has handled every
    earlier result, so pairs settled meanwhile are skipped.
    """
    source = iter(pairs)
    with pool_factory() as pool:
        pending: dict[Future, Pair] = {}

        def feed() -> None:
            while len(pending) < in_flight:
                for a, b in source:
                    if still_wanted(a, b):
                        pending[submit(pool, a, b)] = (a, b)
                        break
                else:
                    return

        feed()
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in done:
                pair = pending.pop(future)
                yield pair, future.result()
            feed()


def prove_pairs(laws: list[Law], pairs: Iterable[Pair], seconds: float, still_wanted: Callable[[int, int], bool],
                workers: int = 2, executors: Executors | None = None, prefer: Preference = "eprover",
                ) -> Iterator[tuple[Pair, ProverResult | ToolCrashed]]:
    """E (or z3, by ``prefer``) with a CPU limit of ``seconds`` on each wanted pair, ``workers`` (or
    the executors' slots) at a time."""
    executors = executors or LocalExecutors(workers)
    yield from stream(executors.waiting,
                      lambda pool, a, b: pool.submit(_e_job, laws[a], laws[b], seconds, prefer), pairs, still_wanted,
                      executors.slots)


class SearchOptions(NamedTuple):
    """How a targeted search helps its SAT solver (see tools/sat_search.find_counterexample)."""

    seeds: int = 0
    """Add up to this many equations E derives from the hypothesis (E_SEED_STEPS main-loop steps)."""
    symmetry: bool = False
    """Least-number symmetry breaking."""


E_SEED_STEPS = 100
"""E's main-loop steps when deriving consequences to seed a search (a step count: load-independent)."""


@functools.lru_cache(maxsize=256)
def hypothesis_seeds(hypothesis: Law, limit: int) -> tuple[Law, ...]:
    """Consequences of ``hypothesis`` for a search, derived by E once per hypothesis and process;
    none when E is missing or fails (the search then runs unseeded)."""
    try:
        derived = derived_equations(hypothesis, E_SEED_STEPS)
    except (ToolUnavailable, ToolCrashed, OSError):
        return ()
    return tuple(choose_seeds(hypothesis, derived, limit))


def _search_job(args: tuple[Law, Law, tuple[int, ...], float, SearchOptions]) -> ModelSearchResult:
    hypothesis, conclusion, sizes, seconds, options = args
    started = time.monotonic()
    seeds = hypothesis_seeds(hypothesis, options.seeds) if options.seeds else ()
    # Deriving the seeds counts against the pair's budget.
    return find_counterexample(hypothesis, conclusion, sizes=sizes,
                               seconds=max(0.0, seconds - (time.monotonic() - started)),
                               seeds=seeds, symmetry=options.symmetry)


def search_pairs(laws: list[Law], pairs: Iterable[Pair], sizes: tuple[int, ...], seconds: float,
                 still_wanted: Callable[[int, int], bool], workers: int = 2,
                 executors: Executors | None = None, options: SearchOptions = SearchOptions(),
                 ) -> Iterator[tuple[Pair, ModelSearchResult]]:
    """Targeted finite model search (SAT) for each wanted pair, in a process pool of ``workers``
    (or as the executors say), helped as ``options`` say."""
    executors = executors or LocalExecutors(workers)
    yield from stream(executors.computing,
                      lambda pool, a, b: pool.submit(_search_job, (laws[a], laws[b], sizes, seconds, options)),
                      pairs, still_wanted, executors.slots)
