"""The bulk engine with and without Ray on the same laws: wall time, Ray's overhead, the same answers.

    nice -n 10 python bench/cluster.py [--laws 410] [--num-cpus 2] [--rounds 1] [--folder bench/runs/cluster]

Each round runs the engine twice back to back, each in a fresh process from an empty folder (cold:
no satisfaction cache): first with local pools (`workers = num_cpus`), then with
`[cluster] backend = "ray", address = "local", num_cpus`. Ray's start is inside the timed wall.
Both runs get the same niceness (this script's). The machine's load average is read before and
after each run, since other people's work on a shared machine moves wall times. Then the two
implication matrices are compared pair for pair. Prints and saves ``result.json`` in the folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine  # noqa: E402


def one_run(folder: Path, laws_count: int, backend: str, num_cpus: int, e_seconds: list[float]) -> dict:
    """One engine run in this process (called in a child by ``main``)."""
    import numpy as np

    from mathteam.domains.magma.laws import enumerate_laws
    from mathteam.tools import cluster
    from mathteam.tools.bulk_engine import BulkEngine, EngineConfig

    from _common import peak_rss_mb

    laws = enumerate_laws(5)[:laws_count]
    settings = cluster.ClusterSettings(backend="ray", address="local", num_cpus=num_cpus) if backend == "ray" else None
    started = time.monotonic()
    engine = BulkEngine(laws, folder, EngineConfig(e_seconds=tuple(e_seconds), workers=num_cpus, cluster=settings),
                        cache_dir=folder / "cache")
    summary = engine.run()
    wall = time.monotonic() - started
    np.save(folder / "state.npy", engine.matrix.state)
    cluster.shutdown()
    return {"backend": backend, "wall_seconds": round(wall, 1), "counts": summary["counts"],
            "phase_seconds": summary["timings"], "peak_memory": peak_rss_mb(),
            "executors": engine.executors.describe() if backend == "local" else f"ray local, {num_cpus} CPUs"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laws", type=int, default=410, help="laws 1..N in ETP numbering (default 410)")
    parser.add_argument("--num-cpus", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1, help="pairs of runs (local then ray)")
    parser.add_argument("--e-seconds", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--folder", type=Path, default=Path("bench/runs/cluster"))
    parser.add_argument("--one", choices=["local", "ray"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        result = one_run(args.folder, args.laws, args.one, args.num_cpus, args.e_seconds)
        (args.folder / "run.json").write_text(json.dumps(result))
        return 0

    import numpy as np

    shutil.rmtree(args.folder, ignore_errors=True)
    args.folder.mkdir(parents=True)
    runs = []
    for round_number in range(args.rounds):
        for backend in ("local", "ray"):
            folder = args.folder / f"{backend}-{round_number}"
            load_before = os.getloadavg()
            started = time.monotonic()
            subprocess.run([sys.executable, __file__, "--one", backend, "--folder", str(folder),
                            "--laws", str(args.laws), "--num-cpus", str(args.num_cpus),
                            "--e-seconds", *map(str, args.e_seconds)], check=True)
            process_wall = time.monotonic() - started
            run = json.loads((folder / "run.json").read_text())
            run.update(round=round_number, process_wall_seconds=round(process_wall, 1),
                       load_before=[round(x, 2) for x in load_before],
                       load_after=[round(x, 2) for x in os.getloadavg()])
            runs.append(run)
            print(json.dumps(run), file=sys.stderr, flush=True)
    reference = np.load(args.folder / "local-0" / "state.npy")
    differing = {f"{run['backend']}-{run['round']}": int(np.count_nonzero(
        np.load(args.folder / f"{run['backend']}-{run['round']}" / "state.npy") != reference)) for run in runs}
    local = [r["process_wall_seconds"] for r in runs if r["backend"] == "local"]
    ray = [r["process_wall_seconds"] for r in runs if r["backend"] == "ray"]
    result = {"laws": args.laws, "num_cpus": args.num_cpus, "niceness": os.nice(0), "machine": machine(),
              "runs": runs, "pairs_differing_from_local_0": differing,
              "overhead_percent": round(100 * (sum(ray) / len(ray) - sum(local) / len(local)) / (sum(local) / len(local)), 1)}
    (args.folder / "result.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if all(count == 0 for count in differing.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
