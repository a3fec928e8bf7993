"""All 4694 ETP laws (22,028,942 ordered pairs) with the bulk engine: resumable, with progress.

    /work/.venv/bin/python bench/full.py [--folder bench/runs/full] [--stop-after SECONDS]

Run it again with the same folder to resume: the evidence log in the folder is the checkpoint
(a torn last line from a kill is dropped). ``--stop-after`` ends the run cleanly after that many
seconds of this invocation, for a partial measurement. ``result.json`` in the folder gets the
counts, the pairs settled by kind of evidence, and the seconds spent in each phase (summed over
invocations).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PrintedProgress, machine, peak_rss_mb  # noqa: E402

from mathteam.domains.magma.laws import enumerate_laws  # noqa: E402
from mathteam.tools.bulk_engine import BulkEngine, EngineConfig  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path("bench/runs/full"))
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--laws", type=int, default=4694)
    parser.add_argument("--stop-after", type=float, default=None, help="seconds; stop cleanly after this")
    parser.add_argument("--e-seconds", type=float, nargs="+", default=[1.0, 10.0])
    args = parser.parse_args()

    laws = enumerate_laws(4)[: args.laws]
    started = time.monotonic()
    deadline = started + args.stop_after if args.stop_after else None
    resumed = (args.folder / "evidence.jsonl").exists()
    engine = BulkEngine(laws, args.folder, EngineConfig(e_seconds=tuple(args.e_seconds)),
                        progress=PrintedProgress(len(laws) ** 2), cache_dir=args.cache_dir or args.folder / "cache")
    replay_seconds = time.monotonic() - started
    summary = engine.run(deadline=deadline)
    result = {
        "laws": len(laws), "ordered_pairs": len(laws) * (len(laws) - 1), "resumed": resumed,
        "replay_seconds": round(replay_seconds, 1), "this_invocation_seconds": round(time.monotonic() - started, 1),
        "peak_memory": peak_rss_mb(), "machine": machine(),
        "evidence_log_bytes": (args.folder / "evidence.jsonl").stat().st_size, **summary,
    }
    (args.folder / "result.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
