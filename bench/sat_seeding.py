"""Targeted SAT search with and without its helpers, on one fixed set of hard pairs.

    python bench/sat_seeding.py [--sample 40] [--seconds 5] [--variants plain symmetry seeds both]

The set: the pairs given by ``--pairs`` (default: the 16 that etp-order3 leaves open, named by ETP
number) and ``--sample`` pairs among ``--laws`` that no magma of size ≤ 3 refutes but an affine or
matrix-affine magma of size ≥ ``--min-size`` does (so a counter-model of at most that size exists),
one per class of hypothesis and conclusion, drawn with a fixed seed (``--from-run`` reads the
families' results from an engine folder over the same laws instead of computing them). Every variant searches every pair
of the set (``--sizes``, 4–8 by default, ``--seconds`` each, two at a time, as the engine does) and the script
reports, per variant, the pairs it found a model for, the sizes, the sizes proved empty, and the
wall time. Writes ``result.json`` in ``--folder``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, peak_rss_mb  # noqa: E402

from mathteam.domains.magma.implication_matrix import FALSE  # noqa: E402
from mathteam.domains.magma.laws import parse_law_spec  # noqa: E402
from mathteam.tools.bulk_engine import BulkEngine, EngineConfig  # noqa: E402
from mathteam.tools.bulk_reader import read_run  # noqa: E402
from mathteam.tools.bulk_provers import SearchOptions, search_pairs  # noqa: E402
from mathteam.tools.results import Found  # noqa: E402

ORDER3_OPEN = ("65:359 73:99 73:125 73:203 73:229 73:255 118:222 118:274 229:73 229:125 261:307 "
               "274:47 274:99 274:118 274:203 274:222")
VARIANTS = {"plain": SearchOptions(), "symmetry": SearchOptions(symmetry=True),
            "seeds": SearchOptions(seeds=4), "both": SearchOptions(seeds=4, symmetry=True)}


def hard_sample(laws: list, folder: Path, count: int, seed: int, min_size: int,
                from_run: Path | None) -> list[tuple[int, int]]:
    if from_run is not None:  # a run of the same laws whose families are done (read, never written)
        log, matrix = read_run(from_run, len(laws))
    else:
        engine = BulkEngine(laws, folder, EngineConfig(e_seconds=(), infinite_models=False),
                            cache_dir=folder / "cache")
        engine.refute_with_families()
        log, matrix = engine.log, engine.matrix
    sizes = np.array([len(m["table"]) for m in log.magmas])
    false = matrix.state == FALSE
    witness_size = np.zeros(matrix.state.shape, dtype=np.int64)
    witness_size[false] = sizes[matrix.evidence[false]]  # evidence names a magma only on false pairs
    ii, jj = np.nonzero(false & (witness_size >= min_size))
    labels = matrix.classes()
    one_per_class = {}
    for a, b in zip(ii.tolist(), jj.tolist()):
        one_per_class.setdefault((int(labels[a]), int(labels[b])), (a, b))
    pairs = sorted(one_per_class.values())
    return random.Random(seed).sample(pairs, min(count, len(pairs)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", default=ORDER3_OPEN, help="ETP numbers a:b, space separated")
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 5, 6, 7, 8])
    parser.add_argument("--laws", nargs="+", default=["etp:1-410"], help="the laws the sample is drawn from")
    parser.add_argument("--min-size", type=int, default=4, help="sampled pairs: refuted by a family magma this large")
    parser.add_argument("--from-run", type=Path, default=None,
                        help="an engine folder over the same laws whose refutation families are done")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--folder", type=Path, default=Path("bench/runs/sat_seeding"))
    args = parser.parse_args()
    shutil.rmtree(args.folder, ignore_errors=True)
    laws = [item.law for item in parse_law_spec(args.laws)]
    given = [tuple(int(n) - 1 for n in item.split(":")) for item in args.pairs.split()]
    sample = hard_sample(laws, args.folder / "families", args.sample, args.seed, args.min_size,
                         args.from_run) if args.sample else []
    result = {"machine": machine(), "laws": args.laws, "min_size": args.min_size,
              "seconds_per_pair": args.seconds, "sizes": args.sizes,
              "given_pairs": len(given), "sampled_pairs": len(sample), "variants": {}}
    for name in args.variants:
        per_set = {}
        for label, pairs in (("given", given), ("sampled", sample)):
            started = time.monotonic()
            found, exhausted = [], 0
            for (a, b), outcome in search_pairs(laws, pairs, tuple(args.sizes), args.seconds, lambda a, b: True, 2,
                                                options=VARIANTS[name]):
                if isinstance(outcome, Found):
                    found.append([a + 1, b + 1, outcome.size])
                else:
                    exhausted += len(outcome.sizes_exhausted)
            per_set[label] = {"found": len(found), "found_pairs": sorted(found), "sizes_proved_empty": exhausted,
                              "wall_seconds": round(time.monotonic() - started, 1)}
            print(name, label, per_set[label]["found"], "found,", exhausted, "sizes proved empty,",
                  per_set[label]["wall_seconds"], "s", file=sys.stderr, flush=True)
        result["variants"][name] = per_set
    result["peak_memory"] = peak_rss_mb()
    args.folder.mkdir(parents=True, exist_ok=True)
    (args.folder / "result.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
