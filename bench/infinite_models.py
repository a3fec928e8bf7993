"""What the free affine models (infinite counter-models) add to the finite refutation families.

    python bench/infinite_models.py [--laws etp:1-4694] [--folder bench/runs/infinite] [--search 200]

Runs the engine's refutation families (magmas of size ≤ 3, affine mod n ≤ 12, matrix-affine) and
the syntactic proofs on the laws, then the free affine model of every class with open pairs (not
waiting, as a team run does, until few pairs are open), and counts the pairs those models refute
that no finite family did. It proves nothing with E, so "open" here still holds every true pair
not proved syntactically; the infinite models only ever refute, and every refutation is exact.

``--search N`` then runs the engine's targeted SAT search (sizes 4–8, 5 s each, as in a team run)
on N of those pairs, one per hypothesis class first: a pair the SAT search also refutes would have
been settled anyway; one it cannot is a pair the models settle that the finite search leaves open.
Writes ``result.json`` (figures and the pairs) in the folder, which is wiped first.
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
from _common import PrintedProgress, machine, peak_rss_mb  # noqa: E402

from mathteam.domains.magma.implication_matrix import FALSE  # noqa: E402
from mathteam.domains.magma.laws import LawSpecError, parse_law_spec  # noqa: E402
from mathteam.tools import bulk_infinite, bulk_provers  # noqa: E402
from mathteam.tools.bulk_engine import BulkEngine, EngineConfig  # noqa: E402
from mathteam.tools.results import Found  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laws", nargs="+", default=["etp:1-4694"])
    parser.add_argument("--folder", type=Path, default=Path("bench/runs/infinite"))
    parser.add_argument("--search", type=int, default=0, help="SAT-search this many of the pairs the models refute")
    args = parser.parse_args()
    try:
        named = parse_law_spec(args.laws)
    except LawSpecError as error:
        print(f"Error: --laws: {error}", file=sys.stderr)
        return 2
    laws = [item.law for item in named]
    shutil.rmtree(args.folder, ignore_errors=True)
    started = time.monotonic()
    config = EngineConfig(e_seconds=(), infinite_models=False)
    engine = BulkEngine(laws, args.folder, config, progress=PrintedProgress(len(laws) ** 2),
                        cache_dir=args.folder / "cache")
    engine.refute_with_families()
    engine.syntactic_phase()
    before = engine.matrix.state == FALSE
    families_seconds = time.monotonic() - started
    t0 = time.monotonic()
    figures = bulk_infinite.refute_with_free_affine_models(
        laws, engine.matrix, engine.log, progress=lambda info: engine._now_and_then("infinite", **info))
    infinite_seconds = time.monotonic() - t0
    engine.log.snapshot(engine.matrix)
    new = (engine.matrix.state == FALSE) & ~before
    ii, jj = np.nonzero(new)
    labels = engine.matrix.classes()
    result = {"machine": machine(), "laws": len(laws), "seconds": {"families_and_syntactic": round(families_seconds, 1),
                                                                   "infinite_models": round(infinite_seconds, 1)},
              "infinite_phase": figures, "pairs_refuted_only_by_infinite_models": int(len(ii)),
              "hypothesis_classes": int(len(set(labels[ii].tolist())))}
    if args.search and len(ii):
        # One pair per hypothesis class first, so the sample spreads over the models.
        order = sorted(range(len(ii)), key=lambda p: (ii[p] != labels[ii[p]], int(labels[ii[p]]), int(jj[p])))
        sample = [(int(ii[p]), int(jj[p])) for p in order[: args.search]]
        found, t0 = [], time.monotonic()
        for pair, outcome in bulk_provers.search_pairs(laws, sample, (4, 5, 6, 7, 8), 5.0, lambda a, b: True, 2):
            if isinstance(outcome, Found):
                found.append((pair, outcome.size))
        result["search"] = {"pairs": len(sample), "sat_found": len(found),
                            "sat_sizes": sorted(size for _, size in found),
                            "seconds": round(time.monotonic() - t0, 1),
                            "left_to_infinite_models": [[named[a].name, named[b].name] for a, b in sample
                                                        if (a, b) not in {p for p, _ in found}][:200]}
    result["peak_memory"] = peak_rss_mb()
    result["sample_pairs"] = [[named[int(a)].name, named[int(b)].name] for a, b in zip(ii[:50], jj[:50])]
    (args.folder / "result.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "sample_pairs"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
