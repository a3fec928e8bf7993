"""The translation-invariant search against the targeted table search, pair by pair, on hard pairs.

    python bench/translation_vs_sat.py --from-run bench/runs/larger/engine [--min-size 7] [--sample 60]

The pairs: as in bench/sat_seeding.py, ``--sample`` pairs among ``--laws`` refuted in ``--from-run``
only by a family magma of at least ``--min-size`` elements (so a finite counter-model exists), one
per class of hypothesis and conclusion, drawn with a fixed seed. Each pair gets the engine's table
search (SAT, sizes 4–8, symmetry breaking, ``--seconds``) and the translation search (x + f(y − x)
on Z/n, then also on every group of groups.small_groups; sizes 4–16, ``--seconds``), two at a time.
Prints and writes (``--out``) what each found and the wall time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, peak_rss_mb  # noqa: E402
from sat_seeding import hard_sample  # noqa: E402

from mathteam.domains.magma.laws import parse_law_spec  # noqa: E402
from mathteam.tools import bulk_larger  # noqa: E402
from mathteam.tools.bulk_provers import SearchOptions, search_pairs  # noqa: E402
from mathteam.tools.results import Found  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laws", nargs="+", default=["etp:1-4694"])
    parser.add_argument("--from-run", type=Path, required=True)
    parser.add_argument("--min-size", type=int, default=7)
    parser.add_argument("--sample", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=Path("bench/runs/translation_vs_sat.json"))
    args = parser.parse_args()
    named = parse_law_spec(args.laws)
    laws = [item.law for item in named]
    pairs = hard_sample(laws, args.out.parent, args.sample, args.seed, args.min_size, args.from_run)
    result = {"machine": machine(), "pairs": len(pairs), "min_size": args.min_size, "seconds": args.seconds}
    started = time.monotonic()
    sat = {pair: r.size for pair, r in search_pairs(laws, pairs, (4, 5, 6, 7, 8), args.seconds, lambda a, b: True,
                                                    options=SearchOptions(symmetry=True)) if isinstance(r, Found)}
    result["sat"] = {"found": len(sat), "wall_s": round(time.monotonic() - started, 1)}
    found_by = {}
    for name, cyclic_only in (("translation_cyclic", True), ("translation_groups", False)):
        started = time.monotonic()
        hits = {}
        jobs = [(a, [b]) for a, b in pairs]
        # One job per pair here (search_hypotheses takes one job per hypothesis: run them in turns).
        for start in range(0, len(jobs), 2):
            batch = dict(jobs[start:start + 2])
            for h, conclusions, outcome in bulk_larger.search_hypotheses(
                    laws, list(batch.items()), tuple(range(4, 17)), args.seconds, lambda h: True,
                    cyclic_only=cyclic_only):
                if outcome.functions:
                    hits[(h, conclusions[0])] = outcome.functions[0][0]
        found_by[name] = hits
        result[name] = {"found": len(hits), "wall_s": round(time.monotonic() - started, 1),
                        "groups": sorted(set(hits.values()))}
    union = set(sat) | set(found_by["translation_groups"]) | set(found_by["translation_cyclic"])
    result["only_translation"] = [[named[a].name, named[b].name] for a, b in union - set(sat)]
    result["only_sat"] = len(set(sat) - set(found_by["translation_groups"]) - set(found_by["translation_cyclic"]))
    result["peak_memory"] = peak_rss_mb()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
