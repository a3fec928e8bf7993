"""The bulk engine: settle every implication among many laws by refuting in bulk and proving class keys.

Phases, each resumable from the evidence log:
  small_magmas  all magmas of size ≤ 3 on every law (numpy, cached), one table per distinct signature
  affine        x ◇ y = a·x + b·y + c mod n for a range of n, same treatment
  matrix_affine x ◇ y = A·x + B·y + c on (Z_p)^k with non-commuting matrices A, B, same treatment
  syntactic     singleton laws imply everything, everything implies x = x
  larger_rings  affine magmas over larger rings (prime-power moduli, 2×2 matrices over Z/3, Z/4, Z/5,
                sampled 4×4 over Z/2 and 3×3 over Z/3: tools/bulk_larger) on the laws still in
                open pairs, once, when infinite_affine runs and just before it
  infinite_affine  free affine models over Q[a, b, c] (infinite counter-models), once, as soon as at
                most ``infinite_after_unknown`` pairs are open, before the next round
  infinite_noncommutative  right after it, free affine models over Q<a, b, c> (a, b, c not commuting;
                Gröbner bases of two-sided ideals, counted only when the completion finished)
  rewriting     once at most ``rewriting_after_unknown`` pairs are open, right after those: the free
                magma of each hypothesis with open pairs, presented by a convergent rewriting system
                (E's saturated set, certified by domains/magma/rewriting; tools/bulk_rewriting);
                first, once, the free magma of every law that our own Knuth–Bendix completion
                presents (domains/magma/completion), with ``rewriting_completion``
  prove:T       a round of E (CPU limit T) on the planner's key pairs, syntactic checks first;
  search:T      targeted SAT model search on the pairs E could not do (E's CounterSatisfiable first),
                then translation:T, translation-invariant magmas x + f(y − x) on Z/n (and x·f(x⁻¹·y)
                on small groups) searched per hypothesis where that failed;
                the two alternate until a round has no target and the search finds nothing, then
                the next, larger T.
Every proof is mirrored (x ◇ y ↦ y ◇ x) when both mirror laws are in the question; every magma
found by search is stored with its transpose.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from mathteam.domains.magma import bulk_families, bulk_satisfaction
from mathteam.domains.magma.bulk_planning import next_targets
from mathteam.domains.magma.implication_matrix import UNKNOWN
from mathteam.domains.magma.laws import canonical_key
from mathteam.domains.magma.syntactic import singleton_proof
from mathteam.domains.magma.terms import Law
from mathteam.tools import bulk_infinite, bulk_larger, bulk_provers, bulk_rewriting
from mathteam.tools.bulk_evidence import EvidenceLog
from mathteam.tools.bulk_reader import count_by_evidence
from mathteam.tools.cluster import ClusterSettings, executors_for
from mathteam.tools.eprover import find_eprover
from mathteam.tools.errors import ToolCrashed
from mathteam.tools.provers import Preference
from mathteam.tools.results import Found, NotFound, Proved

Progress = Callable[[str, dict], None]
"""The one progress callback of a bulk run: `progress(phase, figures)` (the team streams it to its
progress display, the benchmarks print it)."""


class EngineConfig(BaseModel):
    """How hard the engine tries; the defaults settle laws of order ≤ 3 in minutes on two cores."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    exhaustive_sizes: tuple[int, ...] = (1, 2, 3)
    """Sizes of magmas enumerated exhaustively (at most 3)."""
    affine_moduli: tuple[int, ...] = tuple(range(2, 13))
    """Moduli n of the affine family x ◇ y = a·x + b·y + c mod n."""
    matrix_rings: tuple[tuple[int, int], ...] = ((2, 2), (3, 2))
    """(k, p) for the matrix-affine family over k×k matrices mod p (magmas of size p**k)."""
    larger_moduli: tuple[int, ...] = ()
    """Prime-power moduli of the affine family beyond ``affine_moduli`` (one c per divisor class;
    composite moduli add nothing: domains/magma/ring_families). Off by default, like the two below:
    a bulk question's engine takes ``LARGER_FAMILIES`` (agents/magma/engine.py)."""
    larger_rings: tuple[tuple[int, int, int], ...] = ()
    """(k, m, sample): matrix-affine magmas over k×k matrices mod m, every pair up to conjugation
    (sample 0) or the field's pairs and ``sample`` random ones (tools/bulk_larger.ring_batches)."""
    translation_sizes: tuple[int, ...] = ()
    """Sizes n of the translation-invariant search x ◇ y = x + f(y − x) on Z/n (empty: none)."""
    translation_cyclic_only: bool = True
    """Only Z/n; else every group of domains/magma/groups.small_groups (x ◇ y = x·f(x⁻¹·y))."""
    translation_seconds: float = 5.0
    """Time for one translation search (one hypothesis, all its open conclusions, all sizes)."""
    prover: Preference = "eprover"
    """The automated prover (tools/provers): E, z3, or `auto` (E when installed, else z3)."""
    e_seconds: tuple[float, ...] = (1.0, 10.0)
    """E's CPU limit per attempt, one proving level per entry, cheapest first."""
    search_sizes: tuple[int, ...] = (4, 5, 6, 7, 8)
    """Sizes tried by the targeted model search."""
    search_seconds: float = 5.0
    """Time for one targeted search (all sizes together)."""
    search_pairs_per_level: int = 400
    """At most this many targeted searches after each proving round."""
    search_seeds: int = 0
    """Seed each search with up to this many equations E derives from the hypothesis (0: none; off by
    default: on the hard pairs of bench/sat_seeding.py it exhausted fewer sizes in more time)."""
    search_symmetry: bool = True
    """Least-number symmetry breaking in each search."""
    give_way_after: int = 100
    """A proving level after the first, or the searches of a level, give way to the next step once
    this many attempts in a row settled nothing (0: never). The first level is not cut: it is
    where most true pairs get their proofs."""
    workers: int = 2
    """Processes (or E children) running at once."""
    round_size: int = 2000
    """At most this many key pairs per proving round before searching and re-planning."""
    infinite_models: bool = True
    """Try free affine models over Q[a, b, c] and over Q<a, b, c> (infinite counter-models,
    tools/bulk_infinite) once."""
    infinite_after_unknown: int = 50_000
    """... as soon as at most this many ordered pairs are open (before that, most open pairs are
    true ones not yet proved, and testing each on the models costs more than it settles)."""
    rewriting_seconds: float = 0.0
    """E's CPU limit for saturating one hypothesis, whose saturated set may be a convergent rewriting
    system presenting its free magma (tools/bulk_rewriting; 0: the phase is off, the default, as each
    class costs an E call; a bulk question's engine takes ``BULK_REWRITING_SECONDS``)."""
    rewriting_after_unknown: int = 5_000
    """... run once, as soon as at most this many ordered pairs are open: each class with open
    pairs costs an E call, and one that does not saturate costs its whole limit."""
    rewriting_give_way_after: int = 20
    """The rewriting phase gives way after this many classes in a row that refuted nothing (0: never).
    Classes where E saturated a pair come first; on the full run's open pairs every refuting class
    came within the first 17 tried, so 20 lost nothing there (bench/rewriting_open_pairs.py)."""
    rewriting_budget_s: float = 900.0
    """... and after this many seconds (wall clock) in all."""
    rewriting_completion: bool = False
    """At the rewriting phase's trigger, first complete every law with our own Knuth–Bendix
    completion (tools/bulk_rewriting.refute_with_completed_laws): needs no E, about a minute for the
    4,694 ETP laws; off by default, a bulk question's engine turns it on."""
    cluster: ClusterSettings | None = None
    """Where the parallel jobs run (tools/cluster): Ray tasks when set, else `workers` local processes.
    Results are recorded here, in the driver, either way."""


LARGER_FAMILIES = {"larger_moduli": (13, 16, 27), "larger_rings": ((2, 3, 0), (2, 4, 0)),
                   "translation_sizes": tuple(range(4, 17)), "translation_cyclic_only": False}
"""The larger finite families as a bulk question's engine runs them; EngineConfig leaves them off
so that small questions and quick runs stay quick. Kept are the rings that refuted pairs no other
family did among the 4694 ETP laws (bench/larger_families.py): moduli 17, 19, 23, 25, 29, 31, 32,
2×2 matrices over Z/5 and samples of 4×4 over Z/2 and 3×3 over Z/3 refuted none. The translation
search tries every small group, not only Z/n: on hard pairs it found more in less time
(bench/translation_vs_sat.py)."""
BULK_REWRITING_SECONDS = 5.0
"""E's limit per hypothesis in a bulk question's rewriting phase: on the 133 classes the full ETP run
leaves open, 5 s saturated 33 of them into convergent systems (bench/README.md, issue 18)."""
PROGRESS_EVERY_S = 15.0
PROVERS = ("eprover", "z3")
"""The tools a proving round's proofs and attempts are logged under."""
SATURATED = ("disproved", "GaveUp")
"""E outcomes a longer time limit would not change: E saturated the problem without a proof."""
INFINITE_PHASE = "infinite_affine"
NONCOMMUTATIVE_PHASE = "infinite_noncommutative"
REWRITING_PHASE = "rewriting"
COMPLETION_PHASE = "rewriting_completion"
SEARCH_TOOL = "sat-search"
"""Attempts are logged under this name; runs logged before it (``z3-search``) are searched again."""


def search_outcome(result: NotFound) -> str:
    """What a fruitless search established, e.g. ``no magma of size 4, 5, 6; 7 out of time``."""
    empty = ", ".join(map(str, result.sizes_exhausted))
    unfinished = [size for size in result.sizes_tried if size not in result.sizes_exhausted]
    text = f"no magma of size {empty}" if empty else "no size finished"
    return text + (f"; {unfinished[0]} out of time" if unfinished else "")


@dataclass(frozen=True)
class Step:
    """One step of the proving loop: a proving round (``prove``) or the search where it failed
    (``search``), at proving level ``level`` (an index into ``EngineConfig.e_seconds``)."""

    kind: Literal["prove", "search"]
    level: int
    round: int


FIRST_STEP = Step("prove", 0, 1)
"""Where the proving loop starts (when there is a proving level at all)."""


def next_step(levels: int, last: Step, tried: int, found: int | None) -> Step | None:
    """The one proving loop, taken by `BulkEngine.run` and by the team's driver alike: after
    proving round ``last`` (which took ``tried`` pairs) comes the search where it failed (``found``
    is None until that search ran); then another round while either did something, else the first
    round at the next level, else the end (None)."""
    if found is None:
        return Step("search", last.level, last.round)
    if tried or found:
        return Step("prove", last.level, last.round + 1)
    if last.level + 1 < levels:
        return Step("prove", last.level + 1, 1)
    return None


def dual_map(laws: list[Law]) -> np.ndarray:
    """``d[i]``: index of the mirror image of law i among ``laws``, or -1."""
    index = {canonical_key(law): i for i, law in enumerate(laws)}
    return np.array([index.get(canonical_key(law.dual()), -1) for law in laws], dtype=np.int64)


class BulkEngine:
    """One bulk run over ``laws``, logging its evidence in ``folder`` (resumes from it)."""

    def __init__(self, laws: list[Law], folder: Path, config: EngineConfig = EngineConfig(),
                 progress: Progress | None = None, cache_dir: Path | None = None):
        self.laws, self.config, self.folder = laws, config, Path(folder)
        self.progress = progress or (lambda phase, info: None)
        self.cache_dir = cache_dir
        self.log = EvidenceLog.open(self.folder, len(laws))
        self.matrix = self.log.replay()
        self.dual = dual_map(laws)
        self.executors = executors_for(config.cluster, config.workers)
        self.timings: dict[str, float] = dict(self.log.marks.get("timings", {}) or {})
        self._last_progress = time.monotonic()
        self._dry: dict[str, int] = {}

    # ------------------------------------------------------------------ driver

    def run(self, deadline: float | None = None) -> dict:
        """Every phase not yet done, through the public steps below and the loop of `next_step`,
        which the team's driver (agents/magma/bulk.py) follows one task at a time; returns counts
        and phase timings (seconds)."""
        self.refute_with_families()
        self.syntactic_phase()
        levels = len(self.config.e_seconds)
        step, tried, found = (FIRST_STEP if levels else None), 0, None
        while step is not None:
            if deadline and time.monotonic() > deadline:
                self.log.snapshot(self.matrix)
                return self.summary(stopped="deadline")
            seconds = self.config.e_seconds[step.level]
            if step.kind == "prove":
                # One round of proofs, then search where E failed: refutations found early keep
                # false conjectures out of the next round's key pairs.
                tried, found = self.prove_round(seconds, deadline), None
            else:
                found = self.search_round(seconds, deadline)
            step = next_step(levels, step, tried, found)
        self.log.snapshot(self.matrix)
        return self.summary()

    # ------------------------------------------------------------------ public steps

    def syntactic_phase(self) -> None:
        """Singleton laws imply everything, everything implies x = x, instances, mirror images (once)."""
        self._phase("syntactic", self._syntactic)

    def prove_round(self, seconds: float, deadline: float | None = None, held: np.ndarray | None = None) -> int:
        """One proving round at `seconds` per pair: E on the key pairs not yet tried at this limit
        (every unknown pair between representatives at the first limit); returns how many it took.
        ``held[a, b]`` marks pairs nobody may work on yet (a small question's pairs that wait at a
        gate, or were closed there): a class pair is held when all its pairs are."""
        self.late_families(deadline, held)
        if self.log.marks.get(f"gave_way:prove:{seconds:g}"):
            return 0
        blocked = self._blocked(seconds) | ~self._wanted(held)
        return self._phase(f"prove:{seconds:g}", lambda: self._prove(seconds, blocked, deadline), once=False)

    def prove_directly(self, pairs: list[tuple[int, int]], seconds: float, deadline: float | None = None) -> int:
        """E at `seconds` on each of ``pairs`` that E has not yet tried at that limit, whatever the
        matrix holds: a small question's pair the matrix holds true only through a pair held from
        it (waiting or closed at a gate) needs a proof of its own. Each proof is logged as the
        pair's (the matrix already holds it); returns how many were proved."""
        tried = {(x["a"], x["b"]) for x in self.log.attempts if x["tool"] in PROVERS and x["effort"] >= seconds}
        todo = [(a, b) for a, b in pairs if (a, b) not in tried]
        proved = 0
        for (a, b), result in bulk_provers.prove_pairs(
                self.laws, todo, seconds, lambda a, b: not (deadline and time.monotonic() > deadline),
                executors=self.executors, prefer=self.config.prover):
            if isinstance(result, Proved):
                self._prove_direct(a, b, result.tool, version=result.version, status_line=result.status_line,
                                   seconds=round(result.seconds, 3), output_z=bulk_provers.compress(result.output))
                proved += 1
            else:
                self._log_failed_attempt(a, b, result, seconds)
        self.log.snapshot(self.matrix)
        return proved

    def search_round(self, seconds: float, deadline: float | None = None, held: np.ndarray | None = None) -> int:
        """Targeted counterexample search on the pairs E failed on at `seconds` (none that is
        ``held``), then the translation search where it failed; returns the magmas found."""
        self.late_families(deadline, held)
        blocked = self._blocked(seconds) & self._wanted(held)
        found = 0
        if not self.log.marks.get(f"gave_way:search:{seconds:g}"):
            found = self._phase(f"search:{seconds:g}", lambda: self._search(blocked, deadline, f"search:{seconds:g}"),
                                once=False)
        phase = f"translation:{seconds:g}"
        if self.config.translation_sizes and not self.log.marks.get(f"gave_way:{phase}"):
            # After the table search, which settles most pairs in well under a second each: one
            # translation job per hypothesis then covers the pairs it could not.
            found += self._phase(phase, lambda: self._translation(blocked, deadline, phase), once=False)
        return found

    def _gives_way(self, phase: str, settled: bool) -> bool:
        """Count ``phase``'s attempts in a row that settled nothing; at ``give_way_after`` the phase
        is marked as given way (so a resumed run skips it too) and True is returned."""
        self._dry[phase] = 0 if settled else self._dry.get(phase, 0) + 1
        if not self.config.give_way_after or self._dry[phase] < self.config.give_way_after:
            return False
        self.log.mark(f"gave_way:{phase}", {"attempts_in_a_row": self._dry[phase], **self.matrix.counts()})
        return True

    def late_families(self, deadline: float | None = None, held: np.ndarray | None = None) -> None:
        """Infinite counter-models, once, as soon as few pairs are open: before the next search or
        proving round, so the expensive searches only get what they leave (a run begun before the
        phase existed gets it on resume). Rows are tried only for pairs not ``held``; while some
        pair is held the phase is not marked done, so the pairs released later get it too.
        The larger rings come first, at the same point and once: on the laws still in open pairs
        they cost a fraction of a scan of every law at the start."""
        if (self.config.larger_moduli or self.config.larger_rings) and \
                self.matrix.counts()["unknown"] <= self.config.infinite_after_unknown:
            self._phase("larger_rings", self._larger_rings)
        infinite = self.config.infinite_models and \
            self.matrix.counts()["unknown"] <= self.config.infinite_after_unknown
        # Each phase has its own mark, so a run logged before a phase existed gets it on resume.
        for phase, refute in ((INFINITE_PHASE, bulk_infinite.refute_with_free_affine_models),
                              (NONCOMMUTATIVE_PHASE, bulk_infinite.refute_with_free_noncommutative_models)):
            if not infinite:
                break
            if self.log.marks.get(phase):
                continue
            wanted = self._wanted(held)
            figures = self._phase(phase, lambda: refute(
                self.laws, self.matrix, self.log, deadline,
                lambda info: self._now_and_then(phase, **info), wanted), once=False)
            # Cut short by the deadline, or pairs still held: a later round (or the resumed run) goes on.
            if "stopped" not in figures and (held is None or not held.any()):
                self.log.mark(phase, figures)
        self._rewriting_phase(deadline, held)

    def _rewriting_phase(self, deadline: float | None, held: np.ndarray | None) -> None:
        """Convergent rewriting systems (tools/bulk_rewriting), once, when at most
        ``rewriting_after_unknown`` pairs are open; its own budget and give-way count end it (marked
        done), the run's deadline or held pairs leave it for later. Our own completion of every law
        goes first, once (it needs no E)."""
        if self.config.rewriting_completion and not self.log.marks.get(COMPLETION_PHASE) and \
                self.matrix.counts()["unknown"] <= self.config.rewriting_after_unknown:
            completed = self._phase(COMPLETION_PHASE, lambda: bulk_rewriting.refute_with_completed_laws(
                self.laws, self.matrix, self.log, deadline,
                lambda info: self._now_and_then(COMPLETION_PHASE, **info), self._wanted(held)), once=False)
            if not completed.get("stopped") and (held is None or not held.any()):
                self.log.mark(COMPLETION_PHASE, completed)
        if not self.config.rewriting_seconds or self.log.marks.get(REWRITING_PHASE) or \
                self.matrix.counts()["unknown"] > self.config.rewriting_after_unknown or find_eprover() is None:
            return  # (without E nothing proposes systems; not marked, so a run resumed with E gets it)
        budget = time.monotonic() + self.config.rewriting_budget_s
        dry = [0]

        def gives_way(settled: bool) -> bool:
            dry[0] = 0 if settled else dry[0] + 1
            return bool(self.config.rewriting_give_way_after) and dry[0] >= self.config.rewriting_give_way_after

        figures = self._phase(REWRITING_PHASE, lambda: bulk_rewriting.refute_with_rewriting_systems(
            self.laws, self.matrix, self.log, self.config.rewriting_seconds,
            min(budget, deadline) if deadline else budget,
            lambda info: self._now_and_then(REWRITING_PHASE, **info), self._wanted(held), gives_way,
            self.executors, saturated_pairs=self._saturated_pairs()), once=False)
        run_deadline_passed = bool(deadline and time.monotonic() > deadline)
        if not (figures.get("stopped") and run_deadline_passed) and (held is None or not held.any()):
            self.log.mark(REWRITING_PHASE, figures)

    def _saturated_pairs(self) -> set[tuple[int, int]]:
        """Pairs on which E saturated (CounterSatisfiable or GaveUp): their hypotheses go first in
        the rewriting phase."""
        return {(a["a"], a["b"]) for a in self.log.attempts if a["tool"] in PROVERS and a["outcome"] in SATURATED}

    def _wanted(self, held: np.ndarray | None) -> np.ndarray:
        """Pairs the engine may work on: every pair not held, and every class pair with a pair not held."""
        if held is None:
            return np.ones((len(self.laws),) * 2, dtype=bool)
        labels = self.matrix.classes()
        ii, jj = np.nonzero(~held)
        wanted = ~held
        wanted[labels[ii], labels[jj]] = True
        return wanted

    def _phase(self, name: str, work: Callable[[], object], once: bool = True) -> object:
        if once and self.log.marks.get(name):
            return None
        started = time.monotonic()
        result = work()
        self.timings[name] = self.timings.get(name, 0.0) + time.monotonic() - started
        self.log.snapshot(self.matrix)
        self.log.mark("timings", self.timings)
        if once:
            self.log.mark(name, True)
        self.progress(name, {"seconds": round(self.timings[name], 2), **self.matrix.counts()})
        return result

    def _now_and_then(self, phase: str, **info) -> None:
        """Progress inside a long phase, at most every PROGRESS_EVERY_S (a 10 s E level can go
        minutes between rounds)."""
        now = time.monotonic()
        if now - self._last_progress >= PROGRESS_EVERY_S:
            self._last_progress = now
            self.progress(phase, {**info, **self.matrix.counts()})

    def summary(self, stopped: str | None = None) -> dict:
        return {"counts": self.matrix.counts(), "by_evidence": count_by_evidence(self.matrix, self.log),
                "timings": {k: round(v, 2) for k, v in self.timings.items()},
                "classes": self.matrix.class_count(), "magmas": len(self.log.magmas),
                "proofs": len(self.log.proofs), "stopped": stopped}

    # ------------------------------------------------------------------ refutation phases

    def refute_with_families(self) -> None:
        """The bulk refutation phases not yet done. A run begun before a family was added gets it
        on resume, before its next proving round."""
        self._phase("small_magmas", self._small_magmas)
        self._phase("affine", self._affine)
        self._phase("matrix_affine", self._matrix_affine)

    def refute_with(self, tables: list[np.ndarray], sat: np.ndarray, source: str) -> int:
        """Magmas found elsewhere (``sat[k, i]``: table k satisfies law i), e.g. every magma of a
        size a person asked for; returns how many pairs they refuted."""
        return self._add_models(tables, sat, source)

    def _add_models(self, tables: list[np.ndarray], sat: np.ndarray, source: str) -> int:
        ids = self.log.add_magmas(tables, sat, source)
        return self.matrix.add_refuting_models(sat, ids)

    def _small_magmas(self) -> None:
        tables, sat = bulk_satisfaction.small_magma_satisfaction(
            self.laws, self.config.exhaustive_sizes, self.executors.slots, self.cache_dir,
            pool=self.executors.computing if self.config.cluster else None)
        keep = bulk_satisfaction.distinct_signatures(sat)
        self._add_models(list(tables[keep]), sat[keep], "exhaustive search of all magmas of size ≤ 3")

    def _signatures_seen(self) -> set[bytes]:
        return {np.packbits(m_sat).tobytes() for m_sat in self.log.sat_rows(range(len(self.log.magmas)))} \
            if self.log.magmas else set()

    def _add_new_signatures(self, sat: np.ndarray, table: Callable[[int], np.ndarray], source: str,
                            seen: set[bytes]) -> int:
        """Store one magma per satisfaction row not seen before (``table(k)`` builds row k's table)."""
        keep = [k for k in bulk_satisfaction.distinct_signatures(sat) if np.packbits(sat[k]).tobytes() not in seen]
        seen.update(np.packbits(sat[k]).tobytes() for k in keep)
        if keep:
            self._add_models([table(k) for k in keep], sat[keep], source)
        return len(keep)

    def _affine(self) -> None:
        seen = self._signatures_seen()
        for n in self.config.affine_moduli:
            params = bulk_families.affine_parameters(n)
            new = self._add_new_signatures(bulk_families.affine_satisfaction(self.laws, n),
                                           lambda k: bulk_families.affine_table(n, *params[k]),
                                           f"affine magma x◇y = a·x + b·y + c mod {n}", seen)
            self.progress(f"affine mod {n}", {"new": new, **self.matrix.counts()})

    def _matrix_affine(self) -> None:
        seen = self._signatures_seen()
        for k, p in self.config.matrix_rings:
            params = bulk_families.matrix_affine_parameters(k, p)
            new = self._add_new_signatures(
                bulk_families.matrix_affine_satisfaction(self.laws, k, p),
                lambda r: bulk_families.matrix_affine_table(*params[r], p),
                f"matrix-affine magma x◇y = A·x + B·y + c on (Z_{p})^{k}, A and B {k}×{k} matrices", seen)
            self.progress(f"matrix-affine {k}×{k} mod {p}", {"new": new, **self.matrix.counts()})

    def _larger_rings(self) -> None:
        """The larger rings on the laws that still have open pairs; one magma per signature that
        refutes an open pair, stored with its row over every law."""
        seen = self._signatures_seen()
        unknown = self.matrix.state == UNKNOWN
        involved = np.flatnonzero(unknown.any(axis=0) | unknown.any(axis=1))
        laws = [self.laws[i] for i in involved]
        for batch in bulk_larger.ring_batches(laws, self.config.larger_moduli, self.config.larger_rings):
            open_pairs = (self.matrix.state == UNKNOWN)[np.ix_(involved, involved)]
            new = 0
            for r in bulk_larger.refuting_rows(batch.sat, open_pairs):
                row = batch.sat[r] if len(laws) == len(self.laws) else batch.full_row(r, self.laws)
                key = np.packbits(row).tobytes()
                if key not in seen:
                    seen.add(key)
                    self._add_models([batch.table(r)], row[None], batch.source)
                    open_pairs[:] = (self.matrix.state == UNKNOWN)[np.ix_(involved, involved)]
                    new += 1
            self._now_and_then("larger_rings", source=batch.source, new=new)

    def _translation(self, blocked: np.ndarray, deadline: float | None, phase: str = "translation") -> int:
        """Translation-invariant search, one job per hypothesis over its blocked open pairs not
        searched so yet; returns how many magmas it stored. Gives way (``give_way_after``) after
        that many hypotheses in a row without a model."""
        tried = {(a["a"], a["b"]) for a in self.log.attempts if a["tool"] == bulk_larger.TRANSLATION_TOOL}
        rows: dict[int, list[int]] = {}
        labels = self.matrix.classes()  # one job per class of hypotheses, one conclusion per class
        open_pairs = zip(*np.nonzero(blocked & (self.matrix.state == UNKNOWN)))
        for a, b in sorted({(int(labels[a]), int(labels[b])) for a, b in open_pairs}):
            if (a, b) not in tried:
                rows.setdefault(a, []).append(b)
        jobs = sorted(rows.items(), key=lambda job: -len(job[1]))
        stored = done = 0

        def want(h: int) -> bool:
            return bool((self.matrix.state[h, rows[h]] == UNKNOWN).any()) and \
                not (deadline and time.monotonic() > deadline)

        for h, conclusions, result in bulk_larger.search_hypotheses(
                self.laws, jobs, self.config.translation_sizes, self.config.translation_seconds, want,
                executors=self.executors, cyclic_only=self.config.translation_cyclic_only):
            for group, f in result.functions:
                tables, sat = bulk_larger.translation_models(group, f, self.laws)
                self._add_models(tables, sat, bulk_larger.source(group, f))
                stored += 2
            text = bulk_larger.outcome(result)
            for b in conclusions:
                self.log.add_attempt(h, b, bulk_larger.TRANSLATION_TOOL, self.config.translation_seconds,
                                     "found" if self.matrix.state[h, b] != UNKNOWN else text)
            done += 1
            self._now_and_then("translation", searched=done, of=len(jobs), stored=stored)
            if self._gives_way(phase, bool(result.functions)):
                break
        return stored

    # ------------------------------------------------------------------ proof phases

    def _prove_direct(self, a: int, b: int, kind: str, **detail) -> None:
        k = self.log.add_proof(a, b, kind, **detail)
        self.matrix.add_true(a, b, k)
        da, db = int(self.dual[a]), int(self.dual[b])
        if da >= 0 and db >= 0 and self.matrix.state[da, db] == UNKNOWN:
            self.matrix.add_true(da, db, self.log.add_proof(da, db, "dual", of=k))

    def _syntactic(self) -> None:
        singletons = [i for i, law in enumerate(self.laws) if singleton_proof(law) is not None]
        if singletons:
            # The hub's outgoing proofs first: while nothing implies the hub yet, each is cheap.
            hub = singletons[0]
            for b in range(len(self.laws)):
                if self.matrix.state[hub, b] == UNKNOWN:
                    self._prove_direct(hub, b, "singleton")
            for s in singletons[1:]:
                if self.matrix.state[s, hub] == UNKNOWN:
                    self._prove_direct(s, hub, "singleton")
        trivial = [i for i, law in enumerate(self.laws) if law.lhs == law.rhs]
        for t in trivial:
            for a in np.flatnonzero(self.matrix.state[:, t] == UNKNOWN):
                if self.matrix.state[a, t] == UNKNOWN:  # an earlier mirror image may have settled it
                    self._prove_direct(int(a), t, "reflexivity")

    def _want(self, blocked: np.ndarray) -> Callable[[int, int], bool]:
        def want(a: int, b: int) -> bool:
            if self.matrix.state[a, b] != UNKNOWN or blocked[a, b]:
                return False
            certificate = bulk_provers.syntactic_certificate(self.laws, a, b)
            if certificate is not None:
                self._prove_direct(a, b, "instance", certificate=type(certificate).__name__,
                                   mapping=[[v, t] for v, t in getattr(certificate, "mapping", ())],
                                   swapped=getattr(certificate, "swapped", False))
                return False
            return True
        return want

    def _prove(self, seconds: float, blocked: np.ndarray, deadline: float | None) -> int:
        """One round: the planner's key pairs, E on those no syntactic certificate settles; returns how many."""
        # The first level tries every unknown pair between class representatives once, so every
        # pair left open has an attempt; longer limits go only to the key pairs, where a proof
        # settles the most (retrying thousands of one-pair targets at 10 s would cost hours).
        first_level = seconds <= min(self.config.e_seconds)
        targets = next_targets(self.matrix, blocked, limit=self.config.round_size, fallback=first_level)
        done = 0
        for (a, b), result in bulk_provers.prove_pairs(self.laws, targets, seconds, self._want(blocked),
                                                        executors=self.executors, prefer=self.config.prover):
            done += 1
            if isinstance(result, Proved) and self.matrix.state[a, b] == UNKNOWN:
                self._prove_direct(a, b, result.tool, version=result.version, status_line=result.status_line,
                                   seconds=round(result.seconds, 3),
                                   output_z=bulk_provers.compress(result.output))
            elif not isinstance(result, Proved):
                self._log_failed_attempt(a, b, result, seconds)
                blocked[a, b] = True
            self._now_and_then(f"prove:{seconds:g}", attempted=done, of=len(targets))
            if deadline and time.monotonic() > deadline:
                break
            if not first_level and self._gives_way(f"prove:{seconds:g}", isinstance(result, Proved)):
                break
        return len(targets)

    def _log_failed_attempt(self, a: int, b: int, result: object, seconds: float) -> None:
        outcome = f"crashed: {result}" if isinstance(result, ToolCrashed) else getattr(result, "reason", result.outcome)
        self.log.add_attempt(a, b, getattr(result, "tool", "eprover"), seconds, outcome)

    def _blocked(self, seconds: float) -> np.ndarray:
        """Pairs E need not try at this limit: tried at it or above, or already saturated by E
        (CounterSatisfiable or GaveUp: more time finds no proof)."""
        blocked = np.zeros((len(self.laws),) * 2, dtype=bool)
        for attempt in self.log.attempts:
            if attempt["tool"] in PROVERS and (attempt["effort"] >= seconds or attempt["outcome"] in SATURATED):
                blocked[attempt["a"], attempt["b"]] = True
        return blocked

    def _search(self, blocked: np.ndarray, deadline: float | None, phase: str = "search") -> int:
        """Targeted search on blocked unknown pairs; returns how many magmas it found."""
        ss, tt = np.nonzero(blocked & (self.matrix.state == UNKNOWN))
        searched = {(a["a"], a["b"]) for a in self.log.attempts if a["tool"] == SEARCH_TOOL}
        # E's CounterSatisfiable means the pair is false: those are searched first.
        saturated = {(a["a"], a["b"]) for a in self.log.attempts if a["outcome"] in SATURATED}
        pairs = [(int(a), int(b)) for a, b in zip(ss, tt) if (a, b) not in searched]
        pairs.sort(key=lambda p: p not in saturated)
        pairs = pairs[: self.config.search_pairs_per_level]
        found = searched_now = 0

        def want(a: int, b: int) -> bool:
            return self.matrix.state[a, b] == UNKNOWN and not (deadline and time.monotonic() > deadline)

        options = bulk_provers.SearchOptions(self.config.search_seeds, self.config.search_symmetry)
        for (a, b), result in bulk_provers.search_pairs(self.laws, pairs, self.config.search_sizes,
                                                         self.config.search_seconds, want,
                                                         executors=self.executors, options=options):
            if isinstance(result, Found):
                table = np.array(result.table, dtype=np.uint8)
                tables = [table, table.T.copy()]
                sat = bulk_satisfaction.satisfaction(np.stack(tables), self.laws)
                self._add_models(tables, sat, f"targeted search ({result.tool}) at size {result.size}")
                found += 1
            self.log.add_attempt(a, b, SEARCH_TOOL, self.config.search_seconds,
                                 result.outcome if isinstance(result, Found) else search_outcome(result))
            searched_now += 1
            self._now_and_then("search", searched=searched_now, of=len(pairs), found=found)
            if self._gives_way(phase, isinstance(result, Found)):
                break
        return found
