"""Wall time of `mathteam review` on the quickstart with its conjecture gate (a person's view).

    python bench/review_cli.py [--repeat 7]
    python bench/review_cli.py --python OTHER/bin/python --pythonpath OTHER_TREE --only list,show,approve

Runs the gated quickstart once (in bench/runs/review/, ignored by git), then times each command
as a fresh process, as a person typing it would: the list, one item shown, one item approved,
ten approved as a range, and the selection of a gate's items over a minimum example count
(none qualifies, so nothing is rejected and it exits 2). Prints the best
and the median wall time of each. `--python`/`--pythonpath` time another checkout (for a
before/after figure); the older code knows only the first three commands.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = HERE / "runs" / "review"
CPU: list[float] = []
"""CPU seconds (user + system) of each timed command, beside its wall time: on a shared machine
the wall time mostly measures the other processes."""


def prepare() -> Path:
    RUNS.mkdir(parents=True, exist_ok=True)
    project = RUNS / "quickstart-gated.toml"
    text = (HERE.parent / "projects" / "quickstart.toml").read_text(encoding="utf-8")
    project.write_text(text.replace("gates = []", 'gates = ["conjecture"]')
                       .replace('name = "quickstart"', 'name = "quickstart-gated"'), encoding="utf-8")
    if not (RUNS / "runs" / "quickstart-gated" / "memory.sqlite").exists():
        subprocess.run([sys.executable, "-m", "mathteam", "run", "--quiet", str(project)],
                       check=False, capture_output=True)
    return project


def waiting_ids(project: Path) -> list[int]:
    out = subprocess.run([sys.executable, "-m", "mathteam", "review", str(project)],
                         capture_output=True, text=True, check=True, cwd=RUNS).stdout
    return [int(line[1:line.index("]")]) for line in out.splitlines() if line.startswith("[")]


def timed(python: str, env: dict, argv: list[str], accepted: tuple[int, ...] = (0,)) -> float:
    # Run from the run folder: `python -m mathteam` from the repository would import the checkout
    # in the current directory, whichever --pythonpath was asked for.
    start = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([python, "-m", "mathteam", *argv], env=env, capture_output=True, text=True, cwd=RUNS)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime)
    if done.returncode not in accepted:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--pythonpath", help="PYTHONPATH for --python (another checkout)")
    parser.add_argument("--only", default="list,show,approve,range,gate")
    args = parser.parse_args()
    project = prepare()
    env = dict(os.environ, MATHTEAM_REVIEWER="bench")
    if args.pythonpath:
        env["PYTHONPATH"] = args.pythonpath
    ids = waiting_ids(project)
    needed = args.repeat * 11
    if len(ids) < needed:
        raise SystemExit(f"{len(ids)} items wait, {needed} needed: delete {RUNS / 'runs'} and run again")
    commands = {
        "list": lambda k: ["review", str(project)],
        "show": lambda k: ["review", str(project), "show", str(ids[0])],
        "approve": lambda k: ["review", str(project), "approve", str(ids[k])],
        "range": lambda k: ["review", str(project), "approve", f"{ids[args.repeat + 10 * k]}-{ids[args.repeat + 10 * k + 9]}"],
        "gate": lambda k: ["review", str(project), "reject", "--gate", "conjecture", "--min-examples", "100000",
                           "--reason", "bench"],
    }
    print(f"{len(ids)} items waiting; {args.repeat} runs each; python {args.python}")
    for name in args.only.split(","):
        # Nothing survived 100000 examples: the gate's selection is timed, and it exits 2.
        accepted = (0, 2) if name == "gate" else (0,)
        CPU.clear()
        times = [timed(args.python, env, commands[name](k), accepted) for k in range(args.repeat)]
        print(f"{name:8} wall best {min(times):.3f} s, median {statistics.median(times):.3f} s   "
              f"cpu best {min(CPU):.3f} s, median {statistics.median(CPU):.3f} s")


if __name__ == "__main__":
    main()
