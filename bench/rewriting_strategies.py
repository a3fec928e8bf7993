"""Which ways of finding convergent rewriting systems settle a finished run's open pairs, and at what cost.

    python bench/rewriting_strategies.py projects/runs/etp-full/engine [--laws etp:1-4694]
        [--strategies completion all-laws e:auto] [--e-seconds 5] [--only-failing]

Reads the run's engine folder (nothing is written there) and takes every pair it left open, grouped
by hypothesis class. Strategies:

- ``completion``: our Knuth–Bendix completion (domains/magma/completion) of each class's hypothesis,
  under each reduction order in turn, with the default bounds;
- ``all-laws``: the same completion of every law of the run (one of each mirror pair): each certified
  system is the free magma of its law, a model of every law that holds in it, so it refutes open pairs
  of any class (with its opposite magma, the mirror laws);
- ``e:NAME``: E's saturated set of each hypothesis (tools/eprover.saturate with the strategy of that
  name in ``SATURATION_STRATEGIES``, or ``e:auto-schedule``, ``e:lpo`` ... below).

Every system is certified by domains/magma/rewriting before it counts, and, as in the engine, each
is applied to every open pair, not only its own class's: a pair counts when its hypothesis holds and
its conclusion fails in the certified model (or in its opposite). Prints a JSON
summary: per strategy the classes with a certified system, the open pairs refuted (new ones: not
refuted by an earlier strategy in the list), the CPU seconds of this process (E runs in a child,
not counted there) and the wall seconds; and the classes no convergent system can present at all.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, peak_rss_mb  # noqa: E402

from mathteam.domains.magma import completion, rewriting  # noqa: E402
from mathteam.domains.magma.implication_matrix import UNKNOWN  # noqa: E402
from mathteam.domains.magma.laws import LawSpecError, canonical_key, parse_law_spec  # noqa: E402
from mathteam.tools import eprover  # noqa: E402
from mathteam.tools.bulk_evidence import EvidenceLog  # noqa: E402

EXTRA_E_STRATEGIES = {
    "auto-schedule": ("--auto-schedule",),
    "satauto": ("--satauto",),
    "lpo": ("--auto", "--term-ordering=LPO4"),
    "kbo-fifo": ("--term-ordering=KBO6", "-H(1*FIFOWeight(ConstPrio))"),
    "kbo-weight": ("--term-ordering=KBO6", "-H(1*Clauseweight(ConstPrio,1,1,1))"),
}
"""E option sets tried besides ``SATURATION_STRATEGIES`` (names: ``e:NAME``)."""


def _e_strategy(name: str) -> eprover.SaturationStrategy:
    for strategy in eprover.SATURATION_STRATEGIES:
        if strategy.name == name:
            return strategy
    if name in EXTRA_E_STRATEGIES:
        return eprover.SaturationStrategy(name, EXTRA_E_STRATEGIES[name])
    raise KeyError(name)


def _refuted(system: rewriting.ConvergentSystem, pairs: list[tuple[int, int]], laws: list) -> set[tuple[int, int]]:
    """The pairs whose hypothesis holds and conclusion fails in the system's term model or in its
    opposite magma (there a law holds when its mirror image holds in the term model)."""
    holds: dict[int, bool] = {}
    mirror: dict[int, bool] = {}

    def check(i: int, cache: dict[int, bool], dual: bool) -> bool:
        if i not in cache:
            cache[i] = system.holds(laws[i].dual() if dual else laws[i])
        return cache[i]

    return {(a, b) for a, b in pairs
            if (check(a, holds, False) and not check(b, holds, False))
            or (check(a, mirror, True) and not check(b, mirror, True))}


def measure(laws: list, state: np.ndarray, labels: np.ndarray, strategies: list[str], e_seconds: float,
            only: set[int] | None = None) -> dict:
    ii, jj = np.nonzero(state == UNKNOWN)
    by_class: dict[int, list[tuple[int, int]]] = {}
    for a, b in zip(ii.tolist(), jj.tolist()):
        by_class.setdefault(int(labels[a]), []).append((a, b))
    if only is not None:
        by_class = {h: p for h, p in by_class.items() if h in only}
    all_pairs = [p for pairs in by_class.values() for p in pairs]
    done: set[tuple[int, int]] = set()
    rows = []
    for name in strategies:
        started, wall = time.process_time(), time.monotonic()
        certified: set[int] = set()
        refuted: set[tuple[int, int]] = set()
        if name == "all-laws":
            seen: set = set()
            for law in laws:
                key, dual_key = canonical_key(law), canonical_key(law.dual())
                if key in seen or dual_key in seen:
                    continue
                seen.add(key)
                system = completion.convergent_system(law)
                if system is not None:
                    certified.add(key)
                    refuted |= _refuted(system, all_pairs, laws)
        else:
            for h, pairs in by_class.items():
                if name == "completion":
                    system = completion.convergent_system(laws[h])
                else:
                    result = eprover.saturate(laws[h], e_seconds, _e_strategy(name[2:]))
                    system = rewriting.certify(result.equations) if result.saturated else None
                    if isinstance(system, rewriting.NotCertified) or (system and not system.holds(laws[h])):
                        system = None
                if system is not None:  # applied to every open pair, as the engine applies it
                    certified.add(h)
                    refuted |= _refuted(system, all_pairs, laws)
        seconds = time.process_time() - started
        rows.append({"strategy": name, "certified": len(certified), "refuted": len(refuted),
                     "new": len(refuted - done), "classes_refuted": len({int(labels[a]) for a, _ in refuted}),
                     "cpu_seconds_here": round(seconds, 1), "wall_seconds": round(time.monotonic() - wall, 1)})
        done |= refuted
    return {"open_pairs": len(all_pairs), "hypothesis_classes": len(by_class), "strategies": rows,
            "refuted_by_any": len(done), "out_of_reach": out_of_reach(laws, by_class)}


OBSTRUCTION_BOUNDS = completion.CompletionBounds(max_rules=40, max_steps=2000, max_size=20)


def out_of_reach(laws: list, by_class: dict[int, list[tuple[int, int]]]) -> dict:
    """The classes whose hypothesis no convergent system can present at all, under any reduction
    order: completion (each order, ``OBSTRUCTION_BOUNDS``) derives a consequence that
    `completion.obstruction` rules out (sides sharing no variable, or variants by a renaming that
    moves every variable). A sufficient test only: the other classes are not proved reachable."""
    classes = {}
    for h, pairs in by_class.items():
        for order in completion.ORDER_NAMES:
            outcome = completion.run_completion([(laws[h].lhs, laws[h].rhs)], order, OBSTRUCTION_BOUNDS)
            if outcome.obstruction:
                classes[str(laws[h])] = {"pairs": len(pairs), "consequence": str(outcome.equation),
                                         "why": outcome.obstruction}
                break
    return {"classes": len(classes), "pairs": sum(c["pairs"] for c in classes.values()), "which": classes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a finished run's engine folder (evidence.jsonl, matrix.npz)")
    parser.add_argument("--laws", nargs="+", default=["etp:1-4694"], help="the laws of the run")
    parser.add_argument("--strategies", nargs="+", default=["completion", "all-laws", "e:auto"])
    parser.add_argument("--e-seconds", type=float, default=5.0, help="E's CPU limit per hypothesis")
    parser.add_argument("--only-failing", action="store_true",
                        help="only the classes whose own hypothesis gets no system from our completion")
    args = parser.parse_args()
    if not (args.folder / "evidence.jsonl").is_file():
        print(f"Error: {args.folder}: no evidence.jsonl here (give a run's engine folder)", file=sys.stderr)
        return 2
    for name in args.strategies:
        if name not in ("completion", "all-laws") and not (name.startswith("e:") and _known_e(name[2:])):
            print(f"Error: --strategies: unknown strategy {name!r}", file=sys.stderr)
            return 2
    try:
        named = parse_law_spec(args.laws)
    except LawSpecError as error:
        print(f"Error: --laws: {error}", file=sys.stderr)
        return 2
    laws = [item.law for item in named]
    log = EvidenceLog.open(args.folder, len(laws), read_only=True)
    matrix = log.replay()
    labels = matrix.classes()
    only = None
    if args.only_failing:
        hypotheses = {int(labels[a]) for a in np.nonzero(matrix.state == UNKNOWN)[0].tolist()}
        only = {h for h in hypotheses if completion.convergent_system(laws[h]) is None}
    result = measure(laws, matrix.state, labels, args.strategies, args.e_seconds, only)
    result["command_line"] = sys.argv[1:]
    result["completion_bounds"] = vars(completion.QUICK_BOUNDS) | {"orders": list(completion.ORDER_NAMES)}
    result["machine"] = machine()
    result["peak_memory"] = peak_rss_mb()
    print(json.dumps(result, indent=2))
    return 0


def _known_e(name: str) -> bool:
    try:
        _e_strategy(name)
    except KeyError:
        return False
    return True


if __name__ == "__main__":
    raise SystemExit(main())
