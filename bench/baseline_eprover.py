"""The naive baseline for the order-3 question: E on each pair, no planning, extrapolated from a sample.

    /work/.venv/bin/python bench/baseline_eprover.py [--sample 400] [--seconds 2] [--compare bench/runs/order3]

Draws a uniform random sample of ordered pairs of distinct laws among 1–410, runs E on each
(CPU limit ``--seconds``, two at a time, as the engine does), and extrapolates the wall time and
the settled counts to all 167,690 pairs. E's ``CounterSatisfiable`` is reported but not counted
as settled: it carries no finite table, and the project accepts refutations only with one. With
``--compare`` each answer is checked against a finished engine run (``evidence.jsonl``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, peak_rss_mb  # noqa: E402

from mathteam.domains.magma.implication_matrix import FALSE, TRUE  # noqa: E402
from mathteam.domains.magma.laws import enumerate_laws  # noqa: E402
from mathteam.tools.bulk_evidence import EvidenceLog  # noqa: E402
from mathteam.tools.bulk_provers import prove_pairs  # noqa: E402
from mathteam.tools.errors import ToolCrashed  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=2.0, help="E's CPU limit per pair")
    parser.add_argument("--laws", type=int, default=410)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--compare", type=Path, default=None, help="folder of a finished engine run")
    parser.add_argument("--out", type=Path, default=Path("bench/runs/baseline.json"))
    args = parser.parse_args()

    laws = enumerate_laws(4)[: args.laws]
    total = len(laws) * (len(laws) - 1)
    rng = random.Random(args.seed)
    pairs = set()
    while len(pairs) < args.sample:
        a, b = rng.randrange(len(laws)), rng.randrange(len(laws))
        if a != b:
            pairs.add((a, b))
    pairs = sorted(pairs)

    started = time.monotonic()
    outcomes: dict[tuple[int, int], str] = {}
    for (a, b), result in prove_pairs(laws, pairs, args.seconds, lambda a, b: True, workers=2):
        outcomes[(a, b)] = "crashed" if isinstance(result, ToolCrashed) else result.outcome
    wall = time.monotonic() - started
    tally = Counter(outcomes.values())

    agreement = None
    if args.compare:
        log = EvidenceLog.open(args.compare, len(laws))
        matrix = log.replay()
        agreement = Counter()
        for (a, b), outcome in outcomes.items():
            state = int(matrix.state[a, b])
            if outcome == "proved":
                agreement["proved, engine true" if state == TRUE else "proved, engine NOT true"] += 1
            elif outcome == "disproved":
                agreement["counter-satisfiable, engine false" if state == FALSE else
                          "counter-satisfiable, engine NOT false"] += 1
            else:
                agreement[f"{outcome}, engine {['open', 'true', 'false'][state]}"] += 1

    scale = total / len(pairs)
    result = {
        "sample": len(pairs), "seconds_per_attempt": args.seconds, "wall_seconds": round(wall, 1),
        "outcomes": dict(tally), "peak_memory": peak_rss_mb(), "machine": machine(),
        "extrapolated_to_all_pairs": {
            "pairs": total, "wall_seconds": round(wall * scale), "wall_hours": round(wall * scale / 3600, 2),
            "proved": round(tally["proved"] * scale),
            "settled_fraction_with_accepted_evidence": round(tally["proved"] / len(pairs), 4),
            "counter_satisfiable_without_table": round(tally["disproved"] * scale),
        },
        "agreement_with_engine": dict(agreement) if agreement is not None else None,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
