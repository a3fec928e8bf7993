"""What the free non-commutative affine models settle among a finished run's open pairs.

    python bench/infinite_open_pairs.py projects/runs/etp-full/engine [--laws etp:1-4694] [--limits 10 40 2000]

Reads the run's engine folder (evidence.jsonl, matrix.npz; nothing is written there), takes every
pair it left open, and builds, for each hypothesis class with open pairs, the free affine model over
Q<a, b, c> (a, b, c not commuting; domains/magma/noncommutative_models: a Gröbner basis of a
two-sided ideal, counted only when the completion finished within the limits). Counts the open pairs
whose hypothesis holds in that model and whose conclusion fails in it (exact: normal forms modulo a
completed basis), and how many hypothesis classes had a commutative ring (then no affine model over
any ring refutes their pairs), a zero ring, or a completion that did not finish. Each refutation is
checked again from the stored form (encode, decode, Bergman's criterion) before it is counted.
Prints a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, peak_rss_mb  # noqa: E402

from mathteam.domains.magma import noncommutative_models as nc  # noqa: E402
from mathteam.domains.magma.implication_matrix import UNKNOWN  # noqa: E402
from mathteam.domains.magma.laws import LawSpecError, parse_law_spec  # noqa: E402
from mathteam.tools.bulk_evidence import EvidenceLog  # noqa: E402


def settle(laws: list, state: np.ndarray, labels: np.ndarray, limits: nc.Limits) -> dict:
    """The figures for the open pairs of ``state`` (``labels``: each law's class representative)."""
    ii, jj = np.nonzero(state == UNKNOWN)
    by_class: dict[int, list[tuple[int, int]]] = {}
    for a, b in zip(ii.tolist(), jj.tolist()):
        by_class.setdefault(int(labels[a]), []).append((a, b))
    outcomes: Counter = Counter()
    refuted: list[tuple[int, int]] = []
    started = time.monotonic()
    for h, pairs in sorted(by_class.items()):
        model = nc.free_noncommutative_model(laws[h], limits)
        if model is None:
            outcomes["unfinished"] += 1
            continue
        if not model.infinite:
            outcomes["zero ring"] += 1
            continue
        if model.commutative:
            outcomes["commutative ring"] += 1
            continue
        outcomes["non-commutative ring"] += 1
        hits = [(a, b) for a, b in pairs if model.holds(laws[a]) and not model.holds(laws[b])]
        if hits:
            again = nc.model_from_record({"basis": [nc.encode(g) for g in model.basis], "affine": model.affine})
            hits = [(a, b) for a, b in hits if nc.refutes(again, laws[a], laws[b])]
            refuted += hits
    return {"open_pairs": int(len(ii)), "hypothesis_classes": len(by_class), "classes_by_ring": dict(outcomes),
            "refuted": len(refuted), "seconds": round(time.monotonic() - started, 1), "pairs": refuted}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a finished run's engine folder (evidence.jsonl, matrix.npz)")
    parser.add_argument("--laws", nargs="+", default=["etp:1-4694"], help="the laws of the run")
    parser.add_argument("--limits", nargs=3, type=int, default=[10, 40, 2000], metavar=("DEGREE", "BASIS", "STEPS"),
                        help="completion bounds: longest leading word, basis size, reductions")
    args = parser.parse_args()
    if not (args.folder / "evidence.jsonl").is_file():
        print(f"Error: {args.folder}: no evidence.jsonl here (give a run's engine folder)", file=sys.stderr)
        return 2
    try:
        named = parse_law_spec(args.laws)
    except LawSpecError as error:
        print(f"Error: --laws: {error}", file=sys.stderr)
        return 2
    laws = [item.law for item in named]
    log = EvidenceLog.open(args.folder, len(laws), read_only=True)
    matrix = log.replay()
    limits = nc.Limits(max_degree=args.limits[0], max_basis=args.limits[1], max_steps=args.limits[2])
    result = settle(laws, matrix.state, matrix.classes(), limits)
    result["pairs"] = [[named[a].name, named[b].name] for a, b in result["pairs"]]
    result["machine"] = machine()
    result["peak_memory"] = peak_rss_mb()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
