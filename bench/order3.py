"""The order-3 question (ETP laws 1–410, 167,690 ordered pairs) answered by the bulk engine.

    /work/.venv/bin/python bench/order3.py [--folder bench/runs/order3] [--check-fraction 1.0]
        [--rewriting-seconds 5 [--rewriting-after-unknown 5000]]

Prints and saves (``result.json`` in the folder) the wall time, the peak memory, the pairs settled
by kind of evidence, the pairs left open, and the independent re-checks of the evidence. The run
folder is wiped first, so the figures are those of a cold run (the size-≤3 satisfaction cache
included) unless ``--cache-dir`` points at a warm cache.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PrintedProgress, machine, peak_rss_mb  # noqa: E402

from mathteam.domains.magma.implication_matrix import UNKNOWN  # noqa: E402
from mathteam.domains.magma.laws import enumerate_laws  # noqa: E402
from mathteam.tools import bulk_reader  # noqa: E402
from mathteam.tools.bulk_engine import BulkEngine, EngineConfig  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path("bench/runs/order3"))
    parser.add_argument("--cache-dir", type=Path, default=None, help="shared cache of small-magma tables")
    parser.add_argument("--laws", type=int, default=410, help="use laws 1..N (default 410)")
    parser.add_argument("--e-seconds", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--rewriting-seconds", type=float, default=0.0,
                        help="E's limit per class in the rewriting phase (0: off, as in EngineConfig)")
    parser.add_argument("--rewriting-after-unknown", type=int, default=EngineConfig().rewriting_after_unknown,
                        help="run the rewriting phase once at most this many pairs are open (large: before E)")
    parser.add_argument("--check-fraction", type=float, default=1.0,
                        help="fraction of refuted pairs re-checked on their table (default all)")
    args = parser.parse_args()

    shutil.rmtree(args.folder, ignore_errors=True)
    laws = enumerate_laws(4)[: args.laws]
    started = time.monotonic()
    engine = BulkEngine(laws, args.folder, EngineConfig(e_seconds=tuple(args.e_seconds),
                                                    rewriting_seconds=args.rewriting_seconds,
                                                    rewriting_after_unknown=args.rewriting_after_unknown),
                        progress=PrintedProgress(len(laws) ** 2), cache_dir=args.cache_dir or args.folder / "cache")
    summary = engine.run()
    wall = time.monotonic() - started
    memory = peak_rss_mb()

    check_started = time.monotonic()
    refutations = bulk_reader.check_refutations(engine.matrix, engine.log, laws, fraction=args.check_fraction)
    proofs = bulk_reader.check_proofs(engine.matrix, engine.log, laws, chains=5000)
    open_pairs = [(int(a) + 1, int(b) + 1) for a, b in zip(*(engine.matrix.state == UNKNOWN).nonzero())]
    off_diagonal = len(laws) * (len(laws) - 1)
    result = {
        "laws": len(laws), "ordered_pairs": off_diagonal, "wall_seconds": round(wall, 1),
        "peak_memory": memory, "machine": machine(),
        "settled_fraction": round(1 - len(open_pairs) / off_diagonal, 6),
        "true_off_diagonal": summary["counts"]["true"] - len(laws), "false": summary["counts"]["false"],
        "open": len(open_pairs), "open_pairs": open_pairs, "classes": summary["classes"],
        "by_evidence": summary["by_evidence"], "phase_seconds": summary["timings"],
        "rewriting": engine.log.marks.get("rewriting"),
        "magmas_stored": summary["magmas"], "direct_proofs": summary["proofs"],
        "evidence_log_bytes": (args.folder / "evidence.jsonl").stat().st_size,
        "checks": {"refutations": refutations, "proofs": proofs,
                   "seconds": round(time.monotonic() - check_started, 1)},
    }
    (args.folder / "result.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if refutations["failed"] == 0 and proofs["direct_failed"] == 0 and proofs["chains_failed"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
