"""A slice of the order-5 question: the first N ETP laws plus the first M laws of order 5, phase by phase.

    nice -n 10 python bench/order5_slice.py --etp 4694 --order5 2000 [--ray-cpus 2] [--prove-seconds 600]

Runs the refutation phases and the syntactic phase to completion, times the driver's planning
step (classes and the key pairs, the dense part of the proving loop) once, then the proving loop
(E at 1 s, SAT search where it fails) until ``--prove-seconds`` have passed: the figures of that
part are a rate, not a finished run. Records per phase: seconds, pairs settled, classes; the
driver's peak memory and the matrix's size; Ray's CPUs when ``--ray-cpus`` is given (a local Ray
with that many CPUs, as `[cluster] address = "local"`). Saves ``result.json`` in the folder (wiped
first: a cold run).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, peak_rss_mb  # noqa: E402

from mathteam.domains.magma.bulk_planning import next_targets  # noqa: E402
from mathteam.domains.magma.laws import ETP_ORDER4_COUNT, enumerate_laws  # noqa: E402
from mathteam.tools import cluster  # noqa: E402
from mathteam.tools.bulk_engine import BulkEngine, EngineConfig  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--etp", type=int, default=4694, help="the first N of the ETP's 4694 laws")
    parser.add_argument("--order5", type=int, default=2000, help="the first M laws of order 5 (Equation4695 on)")
    parser.add_argument("--ray-cpus", type=int, default=None, help="a local Ray with this many CPUs (else local pools)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--prove-seconds", type=float, default=600.0, help="time for the proving loop (0: none)")
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()

    every = enumerate_laws(5)
    laws = every[: args.etp] + every[ETP_ORDER4_COUNT: ETP_ORDER4_COUNT + args.order5]
    folder = args.folder or Path(f"bench/runs/order5-slice-{args.etp}-{args.order5}")
    shutil.rmtree(folder, ignore_errors=True)
    settings = cluster.ClusterSettings(backend="ray", address="local", num_cpus=args.ray_cpus) \
        if args.ray_cpus else None
    marks: list[dict] = []
    started = time.monotonic()

    def progress(phase: str, info: dict) -> None:
        marks.append({"at": round(time.monotonic() - started, 1), "phase": phase, **info,
                      "peak_rss_mb": peak_rss_mb()["self_mb"]})
        print(json.dumps(marks[-1]), file=sys.stderr, flush=True)

    load_before = os.getloadavg()
    engine = BulkEngine(laws, folder, EngineConfig(e_seconds=(1.0,), workers=args.workers, cluster=settings),
                        progress=progress, cache_dir=folder / "cache")
    engine.refute_with_families()
    engine.syntactic_phase()
    after_families = {"counts": engine.matrix.counts(), "classes": engine.matrix.class_count(),
                      "magmas": len(engine.log.magmas), "seconds": round(time.monotonic() - started, 1)}

    planning_started = time.monotonic()
    targets = next_targets(engine.matrix, None, limit=engine.config.round_size, fallback=True)
    planning = {"seconds": round(time.monotonic() - planning_started, 2), "targets": len(targets)}

    prove = None
    if args.prove_seconds > 0:
        prove_started = time.monotonic()
        before = engine.matrix.counts()
        attempts_before = len(engine.log.attempts)
        proofs_before = len(engine.log.proofs)
        summary = engine.run(deadline=time.monotonic() + args.prove_seconds)
        prove = {"seconds": round(time.monotonic() - prove_started, 1), "stopped": summary["stopped"],
                 "settled_in_it": before["unknown"] - summary["counts"]["unknown"],
                 "e_attempts_failed": len(engine.log.attempts) - attempts_before,
                 "direct_proofs": len(engine.log.proofs) - proofs_before, "counts": summary["counts"],
                 "classes": summary["classes"]}
    off_diagonal = len(laws) * (len(laws) - 1)
    counts = engine.matrix.counts()
    result = {
        "laws": len(laws), "etp_laws": args.etp, "order5_laws": args.order5, "ordered_pairs": off_diagonal,
        "executors": f"ray local, {args.ray_cpus} CPUs" if settings else f"local pools, {args.workers} workers",
        "phase_seconds": {k: round(v, 2) for k, v in engine.timings.items()},
        "after_families_and_syntactic": after_families, "planning_once": planning, "proving_loop": prove,
        "settled_fraction": round(1 - counts["unknown"] / off_diagonal, 6), "counts": counts,
        "matrix_bytes": int(engine.matrix.state.nbytes + engine.matrix.evidence.nbytes),
        "evidence_log_bytes": (folder / "evidence.jsonl").stat().st_size,
        "peak_memory": peak_rss_mb(), "wall_seconds": round(time.monotonic() - started, 1),
        "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()],
        "machine": machine(), "marks": marks,
    }
    cluster.shutdown()
    (folder / "result.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "marks"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
