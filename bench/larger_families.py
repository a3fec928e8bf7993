"""What the larger finite families settle among a finished run's open pairs, family by family.

    python bench/larger_families.py /work/lead/projects/runs/etp-full/engine [--laws etp:1-4694]
        [--folder bench/runs/larger] [--translation-seconds 5] [--translation-sizes 4 ... 16]

Copies the run's engine folder (evidence log and snapshot; the source is only read) to ``--folder``
(wiped first), opens the engine there and applies, one at a time and in the engine's order, the
families of tools/bulk_larger: affine magmas mod each larger prime power, each matrix ring, then the
translation-invariant search on every open pair (one job per hypothesis). After each it prints how
many open pairs are left and the time. Every magma found is stored in the copy's log like any other
witness, so ``bench/recheck.py <folder>/engine`` re-checks them afterwards.

Writes ``result.json`` in the folder.
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

from mathteam.domains.magma.implication_matrix import UNKNOWN  # noqa: E402
from mathteam.domains.magma.laws import LawSpecError, parse_law_spec  # noqa: E402
from mathteam.tools.bulk_engine import LARGER_FAMILIES, BulkEngine, EngineConfig  # noqa: E402
from mathteam.tools.bulk_evidence import LOG, SNAPSHOT  # noqa: E402


def main() -> int:
    defaults = EngineConfig(**LARGER_FAMILIES)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", type=Path, help="a finished run's engine folder (evidence.jsonl), or "
                                                  "'scratch': run the engine's other families and syntactic phase first")
    parser.add_argument("--laws", nargs="+", default=["etp:1-4694"])
    parser.add_argument("--folder", type=Path, default=Path("bench/runs/larger"))
    parser.add_argument("--moduli", type=int, nargs="*", default=list(defaults.larger_moduli))
    parser.add_argument("--rings", nargs="*", default=[",".join(map(str, r)) for r in defaults.larger_rings],
                        help="k,m,sample triples (see EngineConfig.larger_rings)")
    parser.add_argument("--translation-sizes", type=int, nargs="*", default=list(defaults.translation_sizes))
    parser.add_argument("--translation-seconds", type=float, default=defaults.translation_seconds)
    parser.add_argument("--all-groups", action="store_true",
                        help="left-invariant magmas on every group of groups.small_groups, not only Z/n")
    parser.add_argument("--skip-rings", action="store_true", help="only the translation search")
    parser.add_argument("--cache", type=Path, help="the small-magma cache folder (default: FOLDER/cache)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    scratch = str(args.engine) == "scratch"
    if not scratch and not (args.engine / LOG).is_file():
        print(f"Error: {args.engine}: no {LOG} here (give a run's engine folder)", file=sys.stderr)
        return 2
    try:
        laws = [item.law for item in parse_law_spec(args.laws)]
        rings = [tuple(int(x) for x in text.split(",")) for text in args.rings]
    except LawSpecError as error:
        print(f"Error: --laws: {error}", file=sys.stderr)
        return 2
    except ValueError:
        print(f"Error: --rings: expected k,m,sample triples, got {args.rings}", file=sys.stderr)
        return 2
    shutil.rmtree(args.folder, ignore_errors=True)
    (args.folder / "engine").mkdir(parents=True)
    for name in (LOG, SNAPSHOT) if not scratch else ():
        if (args.engine / name).is_file():
            shutil.copy(args.engine / name, args.folder / "engine" / name)
    config = EngineConfig(e_seconds=(), infinite_models=False, larger_moduli=tuple(args.moduli),
                          larger_rings=tuple(rings), translation_sizes=tuple(args.translation_sizes),
                          translation_seconds=args.translation_seconds, workers=args.workers,
                          translation_cyclic_only=not args.all_groups)
    engine = BulkEngine(laws, args.folder / "engine", config, cache_dir=args.cache or args.folder / "cache")
    if scratch:  # the other refutation families and the syntactic proofs, timed apart
        started = time.monotonic()
        for name, work in (("small_magmas", engine._small_magmas), ("affine", engine._affine),
                           ("matrix_affine", engine._matrix_affine)):
            engine._phase(name, work)
        engine.syntactic_phase()
        print(f"other families and syntactic: {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    open_at_start = int((engine.matrix.state == UNKNOWN).sum())
    print(f"open pairs: {open_at_start}", file=sys.stderr, flush=True)
    steps = []

    def measure(name: str, work) -> None:
        before, started = int((engine.matrix.state == UNKNOWN).sum()), time.monotonic()
        magmas = len(engine.log.magmas)
        work()
        after = int((engine.matrix.state == UNKNOWN).sum())
        steps.append({"family": name, "settled": before - after, "open_after": after,
                      "magmas_stored": len(engine.log.magmas) - magmas,
                      "seconds": round(time.monotonic() - started, 1)})
        print(json.dumps(steps[-1]), file=sys.stderr, flush=True)

    if args.skip_rings:
        args.moduli, rings = [], []

    def one_family(moduli: tuple, rings: tuple) -> None:
        # The engine's own phase, restricted to one family.
        engine.config = config.model_copy(update={"larger_moduli": moduli, "larger_rings": rings})
        engine._larger_rings()

    for n in args.moduli:
        measure(f"affine mod {n}", lambda n=n: one_family((n,), ()))
    for ring in rings:
        measure(f"matrix ring k={ring[0]} m={ring[1]} sample={ring[2]}", lambda ring=ring: one_family((), (ring,)))
    engine.config = config
    if args.translation_sizes:
        blocked = engine.matrix.state == UNKNOWN
        kind = "left-invariant, groups" if args.all_groups else "translation-invariant Z/n"
        measure(f"{kind} of size {args.translation_sizes[0]}..{args.translation_sizes[-1]}, "
                f"{args.translation_seconds:g} s per hypothesis", lambda: engine._translation(blocked, None))
    engine.log.snapshot(engine.matrix)
    ii, jj = np.nonzero(engine.matrix.state == UNKNOWN)
    result = {"machine": machine(), "source_run": str(args.engine), "open_at_start": open_at_start,
              "open_at_end": int(len(ii)), "steps": steps, "peak_memory": peak_rss_mb(),
              "open_hypotheses_at_end": int(len(set(engine.matrix.classes()[ii].tolist())))}
    (args.folder / "result.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
