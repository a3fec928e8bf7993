"""The rewriting phase of the bulk engine: for each class of hypotheses with open pairs, the free
magma of the hypothesis presented by a convergent rewriting system, an infinite counter-model to
every open conclusion that does not hold in it.

E proposes the system: its saturated clause set of the hypothesis alone (tools/eprover.saturate,
each strategy of ``SATURATION_STRATEGIES`` in turn until one saturates). Our own code certifies it
(domains/magma/rewriting.certify: every equation KBO-oriented, every critical pair joinable, the
hypothesis joinable); nothing is taken from E on trust. A certified system's satisfaction row over
every law (normal forms of both sides) is stored as an infinite-model record of family
``convergent rewriting system`` and applied like any magma, and so is its opposite magma (the
mirror image, x ◇ y := y ◇ x, satisfying the mirror laws): the mirror class of the hypothesis is
then covered without asking E again.

The phase gives way: ``gives_way(settled)`` is asked after each class (the engine stops the phase
after so many classes in a row that refuted nothing), and it stops at ``deadline``. Each E call
that does not saturate costs its whole CPU limit, which is why the engine runs the phase only once
few pairs are open (``EngineConfig.rewriting_after_unknown``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from mathteam.domains.magma import completion, rewriting
from mathteam.domains.magma.implication_matrix import UNKNOWN, ImplicationMatrix
from mathteam.domains.magma.laws import canonical_key
from mathteam.domains.magma.terms import Law
from mathteam.tools import bulk_infinite
from mathteam.tools.bulk_evidence import EvidenceLog
from mathteam.tools.bulk_provers import stream
from mathteam.tools.cluster import Executors, LocalExecutors
from mathteam.tools.eprover import SATURATION_STRATEGIES, Saturation, SaturationStrategy, saturate
from mathteam.tools.errors import ToolCrashed, ToolUnavailable

TOOL = "convergent-rewriting"
HOLDS_IN_IT = ("the conclusion holds in the free magma of the hypothesis (a convergent rewriting system "
               "from E's saturated set, certified)")
NOT_SATURATED = "E did not saturate the hypothesis"


def _saturation_job(hypothesis: Law, seconds: float, strategies: Sequence[SaturationStrategy]
                    ) -> list[Saturation] | ToolCrashed | ToolUnavailable:
    """E's strategies in turn on one hypothesis, until one gives a saturated set that certifies
    (every result kept; the driver certifies again, this only decides when to stop)."""
    results = []
    try:
        for strategy in strategies:
            results.append(saturate(hypothesis, seconds, strategy))
            if results[-1].saturated and \
                    isinstance(convergent_system(hypothesis, results[-1:]), rewriting.ConvergentSystem):
                break
    except (ToolCrashed, ToolUnavailable) as error:
        return error
    return results


def convergent_system(hypothesis: Law, saturations: list[Saturation]) -> rewriting.ConvergentSystem | str:
    """The certified system of the first saturated set that certifies and in which the hypothesis
    holds, or why there is none."""
    reasons = []
    for result in saturations:
        if not result.saturated:
            reasons.append(f"{result.strategy}: {result.status}")
            continue
        system = rewriting.certify(result.equations)
        if isinstance(system, rewriting.NotCertified):
            reasons.append(f"{result.strategy}: {system.reason}")
        elif not system.holds(hypothesis):
            reasons.append(f"{result.strategy}: the hypothesis does not hold in it")
        else:
            return system
    return "; ".join(reasons) or NOT_SATURATED


def refute_with_rewriting_systems(laws: list[Law], matrix: ImplicationMatrix, log: EvidenceLog,
                                  seconds: float, deadline: float | None = None,
                                  progress: Callable[[dict], None] = lambda info: None,
                                  wanted: np.ndarray | None = None,
                                  gives_way: Callable[[bool], bool] = lambda settled: False,
                                  executors: Executors | None = None,
                                  strategies: Sequence[SaturationStrategy] | None = None,
                                  saturated_pairs: Iterable[tuple[int, int]] = ()) -> dict:
    """Saturate, certify, store and apply, class by class (``executors.slots`` E runs at once);
    returns figures, ``sequence`` the classes tried with the pairs each refuted.

    Classes come most open pairs first, except that those with a pair in ``saturated_pairs`` (pairs on
    which E, given the conclusion too, saturated: CounterSatisfiable) come before all others: E
    saturates such a hypothesis alone as well, as a rule, while most other classes run to E's limit
    (on the full ETP run's open pairs, the 33 classes with such a pair were the 33 that saturated)."""
    executors = executors or LocalExecutors(1)
    strategies = list(SATURATION_STRATEGIES if strategies is None else strategies)
    open_pairs, labels, representatives = bulk_infinite._open_classes(matrix, wanted)
    promising = {int(labels[a]) for a, b in saturated_pairs if open_pairs[a, b] and matrix.state[a, b] == UNKNOWN}
    representatives.sort(key=lambda h: h not in promising)  # stable: most open pairs first within each
    keys = [canonical_key(law) for law in laws]
    figures = {"hypotheses": len(representatives), "saturated": 0, "certified": 0, "stored": 0,
               "refuted": 0, "e_seconds": 0.0}
    sequence: list[list[int]] = []
    tried_keys: set[tuple[int, ...]] = set()

    def still_open(h: int) -> np.ndarray:
        return np.flatnonzero((matrix.state[h] == UNKNOWN) & open_pairs[h])

    def want(h: int, _: int) -> bool:
        if deadline and time.monotonic() > deadline:
            figures["stopped"] = "deadline"
            return False
        if figures.get("gave_way") or not len(still_open(h)):
            return False
        # The mirror image of a hypothesis already tried is covered by the opposite magma.
        key, dual_key = keys[h], canonical_key(laws[h].dual())
        if key in tried_keys or dual_key in tried_keys:
            return False
        tried_keys.add(key)
        return True

    jobs = ((h, 0) for h in representatives)
    for (h, _), result in stream(executors.waiting,
                                 lambda pool, h, _: pool.submit(_saturation_job, laws[h], seconds, strategies),
                                 jobs, want, executors.slots):
        targets = still_open(h)
        if isinstance(result, (ToolCrashed, ToolUnavailable)):
            reason = f"E failed: {result}"
            system: rewriting.ConvergentSystem | str = reason
        else:
            figures["e_seconds"] += sum(r.seconds for r in result)
            figures["saturated"] += any(r.saturated for r in result)
            system = convergent_system(laws[h], result)
        refuted_before = figures["refuted"]
        if isinstance(system, rewriting.ConvergentSystem):
            figures["certified"] += 1
            if any(not system.holds(laws[int(b)]) for b in targets):
                _store_both(system, h, laws, matrix, log, figures)
                progress(figures)
            reason = HOLDS_IN_IT
        else:
            reason = f"no convergent system: {system}"
        sequence.append([h, figures["refuted"] - refuted_before])  # (class, pairs refuted), as tried
        bulk_infinite._log_attempts(h, still_open(h), matrix, labels, log, TOOL, reason[:300])
        if gives_way(figures["refuted"] > refuted_before):
            figures["gave_way"] = True
    figures["e_seconds"] = round(figures["e_seconds"], 1)
    figures["sequence"] = sequence
    return figures


def _store_both(system: rewriting.ConvergentSystem, h: int, laws: list[Law], matrix: ImplicationMatrix,
                log: EvidenceLog, figures: dict) -> None:
    """Store and apply the term model and its opposite magma (a law holds in the opposite exactly
    when its mirror image holds in the term model), each only when it refutes a pair still open."""
    row = np.array([system.holds(law) for law in laws], dtype=bool)
    details = {"family": rewriting.FAMILY, "rules": rewriting.encode(system),
               "order": rewriting.decreasing_order(system.rules), "hypothesis": h, "opposite": False}
    _apply(row, bulk_infinite.SOURCE_PREFIX + system.formula, details, matrix, log, figures)
    opposite = np.array([system.holds(law.dual()) for law in laws], dtype=bool)
    if not np.array_equal(opposite, row):
        _apply(opposite, bulk_infinite.SOURCE_PREFIX + OPPOSITE_PREFIX + system.formula,
               {**details, "opposite": True}, matrix, log, figures)


OPPOSITE_PREFIX = "the opposite (x ◇ y := y ◇ x) of "


def _apply(row: np.ndarray, source: str, details: dict, matrix: ImplicationMatrix, log: EvidenceLog,
           figures: dict) -> None:
    if not (row[:, None] & ~row[None, :] & (matrix.state == UNKNOWN)).any():
        return  # refutes nothing still open
    k = log.add_model(row, source, details)
    figures["stored"] += 1
    figures["refuted"] += matrix.add_refuting_models(row[None], np.array([k], dtype=np.int32))


COMPLETION_TOOL = "knuth-bendix-completion"


def refute_with_completed_laws(laws: list[Law], matrix: ImplicationMatrix, log: EvidenceLog,
                               deadline: float | None = None,
                               progress: Callable[[dict], None] = lambda info: None,
                               wanted: np.ndarray | None = None,
                               bounds: completion.CompletionBounds = completion.QUICK_BOUNDS) -> dict:
    """Our own Knuth–Bendix completion (domains/magma/completion) of every law, one of each mirror
    pair, under each reduction order in turn within ``bounds``: a system that finishes and that
    domains/magma/rewriting certifies is the free magma of its law, a model of every law that holds
    in it, so it refutes open pairs of any class, not only of its own law's (laws without open pairs
    count too). Stored and applied with its opposite magma, like the phase's E systems, when it
    refutes a pair still open. Needs no E; a law takes milliseconds (bench/README.md)."""
    open_pairs = matrix.state == UNKNOWN
    if wanted is not None:
        open_pairs &= wanted
    figures = {"laws": 0, "certified": 0, "stored": 0, "refuted": 0}
    seen: set[tuple[int, ...]] = set()
    for h, law in enumerate(laws):
        if deadline and time.monotonic() > deadline:
            figures["stopped"] = "deadline"
            break
        key, dual_key = canonical_key(law), canonical_key(law.dual())
        if key in seen or dual_key in seen:
            continue
        seen.add(key)
        figures["laws"] += 1
        system = completion.convergent_system(law, bounds)
        if system is None:
            continue
        figures["certified"] += 1
        if _refutes_open_pair(system, laws, open_pairs & (matrix.state == UNKNOWN), matrix.classes()):
            _store_both(system, h, laws, matrix, log, figures)
            progress(figures)
    return figures


def _refutes_open_pair(system: rewriting.ConvergentSystem, laws: list[Law], open_pairs: np.ndarray,
                       labels: np.ndarray) -> bool:
    """Whether the term model or its opposite refutes one of ``open_pairs``, deciding only the class
    representatives of the laws in them (equivalent laws hold in the same magmas; a full
    satisfaction row costs two normal forms per law)."""
    rows, columns = np.nonzero(open_pairs)
    rows, columns = labels[rows], labels[columns]
    for mirrored in (False, True):
        holds = {int(i): system.holds(laws[i].dual() if mirrored else laws[i]) for i in np.union1d(rows, columns)}
        if any(holds[int(a)] and not holds[int(b)] for a, b in zip(rows, columns)):
            return True
    return False
