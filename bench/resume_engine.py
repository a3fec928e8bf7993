"""Resume a finished bulk run's engine with the current code: only the phases its log lacks run.

    python bench/resume_engine.py projects/etp-full.toml SECONDS

Opens the project's own engine (agents/magma/engine.open_engine: the project's engine config, its
run folder's evidence log replayed) and calls ``BulkEngine.run()`` with a deadline SECONDS away,
then prints the counts before and after and the run's figures. It writes into the project's run
folder: run it on a copy of a finished run when the original must stay as it is. A finished
``mathteam run`` is not run again by the team (its plan is done), which is why this script exists:
it measures what new phases add to a finished run.
"""

import json
import sys
import time

from mathteam.agents.magma.engine import open_engine
from mathteam.project import load_project


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: python bench/resume_engine.py PROJECT.toml SECONDS", file=sys.stderr)
        return 2
    project = load_project(sys.argv[1])
    started = time.monotonic()
    engine = open_engine(project)
    print("replayed", engine.matrix.counts(), round(time.monotonic() - started, 1), "s", flush=True)
    result = engine.run(deadline=time.monotonic() + float(sys.argv[2]))
    print(json.dumps(result, default=str)[:3000])
    print("final", engine.matrix.counts(), round(time.monotonic() - started, 1), "s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
