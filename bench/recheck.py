"""Re-check every answer of a bulk run, with code the engine does not use for deciding.

    /work/.venv/bin/python bench/recheck.py projects/runs/etp-full/engine [--laws etp:1-4694]

* Refutations, all of them: each magma named as a witness is evaluated on every law by
  ``finite.satisfies`` (plain vectorised evaluation of every assignment; the engine decides with
  early-filtered evaluation, polynomial criteria and SAT models), then every false pair (a, b) is
  checked: its witness satisfies law a and violates law b.
* Proofs, all of them: every direct proof is re-checked (``batch_report.check_proof``), and the set
  of true pairs must lie inside the reflexive-transitive closure of the direct proofs' edges,
  recomputed here by boolean matrix products rather than by the engine's incremental closure.

Prints a JSON summary; exits 1 if anything fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mb  # noqa: E402

from mathteam.domains.magma import finite  # noqa: E402
from mathteam.domains.magma.bulk_planning import boolean_closure  # noqa: E402
from mathteam.domains.magma.implication_matrix import FALSE, TRUE  # noqa: E402
from mathteam.domains.magma.laws import parse_law_spec  # noqa: E402
from mathteam.tools.batch_evidence import EvidenceLog  # noqa: E402
from mathteam.tools.batch_report import check_proof  # noqa: E402


def witness_satisfaction(log: EvidenceLog, laws: list, witnesses: np.ndarray) -> np.ndarray:
    """``sat[w, i]`` for each witness (in the order given) and law, by evaluating every assignment."""
    sat = np.zeros((len(witnesses), len(laws)), dtype=bool)
    by_size: dict[int, list[int]] = {}
    for position, k in enumerate(witnesses.tolist()):
        by_size.setdefault(len(log.table(k)), []).append(position)
    for size, positions in sorted(by_size.items()):
        tables = np.array([log.table(int(witnesses[p])) for p in positions], dtype=np.uint8)
        started = time.monotonic()
        for i, law in enumerate(laws):
            sat[positions, i] = finite.satisfies(tables, law)
        print(f"  size {size}: {len(positions)} witnesses on {len(laws)} laws, "
              f"{time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    return sat


def check_all_refutations(state: np.ndarray, evidence: np.ndarray, log: EvidenceLog, laws: list) -> dict:
    ii, jj = np.nonzero(state == FALSE)
    witness = evidence[ii, jj]
    witnesses, index = np.unique(witness, return_inverse=True)
    sat = witness_satisfaction(log, laws, witnesses)
    good = sat[index, ii] & ~sat[index, jj]
    bad = np.flatnonzero(~good)
    return {"false_pairs": int(len(ii)), "witness_magmas": int(len(witnesses)), "failed": int(len(bad)),
            "first_failures": [(int(ii[p]), int(jj[p]), int(witness[p])) for p in bad[:5]]}


def check_all_proofs(state: np.ndarray, log: EvidenceLog, laws: list) -> dict:
    bad_direct = [k for k in range(len(log.proofs)) if not check_proof(log, laws, k)]
    relation = np.zeros(state.shape, dtype=bool)
    edges = log.edges()
    if len(edges):
        relation[edges[:, 0], edges[:, 1]] = True
    closure = boolean_closure(relation)
    true = state == TRUE
    outside = np.argwhere(true & ~closure)
    return {"direct_proofs": len(log.proofs), "direct_failed": len(bad_direct),
            "true_pairs": int(true.sum()), "true_outside_closure": int(len(outside)),
            "closure_pairs_not_marked_true": int((closure & ~true).sum()),
            "first_failures": [tuple(map(int, p)) for p in outside[:5]] + bad_direct[:5]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the engine folder (evidence.jsonl, matrix.npz)")
    parser.add_argument("--laws", default="etp:1-4694", help="the laws of the run, as in a project file")
    args = parser.parse_args()
    laws = [item.law for item in parse_law_spec(args.laws)]
    log = EvidenceLog.open(args.folder, len(laws))
    matrix = log.replay()
    started = time.monotonic()
    refutations = check_all_refutations(matrix.state, matrix.evidence, log, laws)
    refutation_seconds = time.monotonic() - started
    proofs = check_all_proofs(matrix.state, log, laws)
    result = {"counts": matrix.counts(), "refutations": refutations, "proofs": proofs,
              "seconds": {"refutations": round(refutation_seconds, 1),
                          "proofs": round(time.monotonic() - started - refutation_seconds, 1)},
              "peak_memory": peak_rss_mb()}
    print(json.dumps(result, indent=2))
    failed = refutations["failed"] or proofs["direct_failed"] or proofs["true_outside_closure"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
