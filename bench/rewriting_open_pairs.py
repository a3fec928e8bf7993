"""What convergent rewriting systems (the free magma of each hypothesis) settle among a finished
run's open pairs.

    python bench/rewriting_open_pairs.py projects/runs/etp-full/engine [--laws etp:1-4694]
        [--folder bench/runs/rewriting] [--seconds 5] [--workers 2] [--give-way-after 0] [--budget 3600] [--plain-order]

Copies the run's engine folder (evidence log and snapshot; the source is only read) to
``--folder``/engine and runs the engine's rewriting phase on the copy (tools/bulk_rewriting: E's
saturated set of each hypothesis class with open pairs, in the engine's order: classes with a pair
E found CounterSatisfiable first, then most open pairs first; ``--plain-order``: only the latter),
certified convergent by domains/magma/rewriting, stored with its opposite magma). ``--give-way-after 0`` (the default
here) tries every class, so the figures show what a give-way count would have cost: for each count
N, the pairs refuted had the phase stopped after N classes in a row without a refutation. Every
stored system is then re-checked with bench/recheck.py's own code (orientation, critical pairs, each
refuted pair's hypothesis joinable and conclusion not). Prints a JSON summary and writes it to
``--folder``/result.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, peak_rss_mb  # noqa: E402

from mathteam.domains.magma import rewriting  # noqa: E402
from mathteam.domains.magma.implication_matrix import FALSE  # noqa: E402
from mathteam.domains.magma.laws import LawSpecError, parse_law_spec  # noqa: E402
from mathteam.tools import bulk_rewriting  # noqa: E402
from mathteam.tools.bulk_engine import PROVERS, SATURATED  # noqa: E402
from mathteam.tools.bulk_evidence import EvidenceLog  # noqa: E402
from mathteam.tools.cluster import LocalExecutors  # noqa: E402
from mathteam.tools.eprover import find_eprover  # noqa: E402

import recheck  # noqa: E402

LOG, SNAPSHOT = "evidence.jsonl", "matrix.npz"


def give_way_table(sequence: list[tuple[int, int]], counts: tuple[int, ...] = (10, 20, 30, 40, 60)) -> dict:
    """For each give-way count N: classes tried and pairs refuted had the phase stopped after N
    classes in a row without a refutation (``sequence``: (class, pairs refuted) in the order tried)."""
    table = {}
    for n in counts:
        dry = tried = refuted = 0
        for _, hits in sequence:
            tried += 1
            refuted += hits
            dry = 0 if hits else dry + 1
            if dry >= n:
                break
        table[str(n)] = {"classes": tried, "refuted": refuted}
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", type=Path, help="a finished run's engine folder (evidence.jsonl, matrix.npz)")
    parser.add_argument("--laws", nargs="+", default=["etp:1-4694"], help="the laws of the run")
    parser.add_argument("--folder", type=Path, default=Path("bench/runs/rewriting"))
    parser.add_argument("--seconds", type=float, default=5.0, help="E's CPU limit per hypothesis class")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--give-way-after", type=int, default=0, help="0: try every class")
    parser.add_argument("--budget", type=float, default=3600.0, help="wall-clock seconds for the phase")
    parser.add_argument("--plain-order", action="store_true",
                        help="classes most open pairs first only (the engine puts those where E saturated first)")
    args = parser.parse_args()
    if not (args.engine / LOG).is_file():
        print(f"Error: {args.engine}: no {LOG} here (give a run's engine folder)", file=sys.stderr)
        return 2
    if args.engine.resolve() == (args.folder / "engine").resolve():
        print("Error: --folder: would overwrite the run it reads", file=sys.stderr)
        return 2
    if find_eprover() is None:
        print("Error: eprover is not on PATH (apt install eprover)", file=sys.stderr)
        return 2
    try:
        named = parse_law_spec(args.laws)
    except LawSpecError as error:
        print(f"Error: --laws: {error}", file=sys.stderr)
        return 2
    laws = [item.law for item in named]
    shutil.rmtree(args.folder, ignore_errors=True)
    (args.folder / "engine").mkdir(parents=True)
    for name in (LOG, SNAPSHOT):
        if (args.engine / name).is_file():
            shutil.copy(args.engine / name, args.folder / "engine" / name)
    log = EvidenceLog.open(args.folder / "engine", len(laws))
    matrix = log.replay()
    before = matrix.counts()
    first_record = len(log.magmas)
    dry = [0]

    def gives_way(settled: bool) -> bool:
        dry[0] = 0 if settled else dry[0] + 1
        return bool(args.give_way_after) and dry[0] >= args.give_way_after

    started = time.monotonic()
    figures = bulk_rewriting.refute_with_rewriting_systems(
        laws, matrix, log, args.seconds, time.monotonic() + args.budget, gives_way=gives_way,
        executors=LocalExecutors(args.workers),
        saturated_pairs=() if args.plain_order else
        {(a["a"], a["b"]) for a in log.attempts if a["tool"] in PROVERS and a["outcome"] in SATURATED},
        progress=lambda info: print(f"{time.monotonic() - started:7.1f}s {info}", file=sys.stderr, flush=True))
    seconds = time.monotonic() - started
    log.snapshot(matrix)

    records = list(range(first_record, len(log.magmas)))
    refuted_by = {k: int((matrix.evidence[matrix.state == FALSE] == k).sum()) for k in records}
    sequence = [(h, hits) for h, hits in figures.pop("sequence")]

    # The independent re-check of every pair a stored system refuted.
    ii, jj = np.nonzero(matrix.state == FALSE)
    failed = checked = 0
    for k in records:
        mine = matrix.evidence[ii, jj] == k
        holds, fails = recheck.rewriting_model_verdicts(log.magmas[k], laws, np.unique(ii[mine]), np.unique(jj[mine]))
        for a, b in zip(ii[mine].tolist(), jj[mine].tolist()):
            checked += 1
            failed += not (holds[a] and fails[b])
    systems = [
        {"hypothesis": named[log.magmas[k]["model"]["hypothesis"]].name, "rules": len(log.magmas[k]["model"]["rules"]),
         "order": log.magmas[k]["model"]["order"], "opposite": log.magmas[k]["model"]["opposite"],
         "refuted": refuted_by[k]}
        for k in records]
    result = {"open_before": before["unknown"], "open_after": matrix.counts()["unknown"],
              "refuted": before["unknown"] - matrix.counts()["unknown"], "figures": figures,
              "seconds": round(seconds, 1), "e_seconds_per_class": args.seconds, "workers": args.workers,
              "classes_tried": len(sequence),
              "classes_refuting": [[named[h].name, hits] for h, hits in sequence if hits], "give_way": give_way_table(sequence),
              "recheck": {"pairs": checked, "failed": failed}, "systems": systems,
              "family": rewriting.FAMILY, "machine": machine(), "peak_memory": peak_rss_mb(),
              "command": " ".join(sys.argv)}
    (args.folder / "result.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
