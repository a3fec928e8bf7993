"""`python tests/run_until.py PROJECT N`: `mathteam run --quiet PROJECT` that stops and waits once N claims are settled.

The tests that kill a run (tests/test_resume.py) start this instead of the bare command, so that
the kill lands at a chosen point whatever the machine's speed: when the run has settled at least N
claims it prints `REACHED <settled>` on stdout and blocks right there, inside its progress callback
(which the runner calls after each step and whenever a role reports a finished task, mid-batch),
until the test kills it. A run that ends before N prints nothing and exits as `mathteam run` does.

`python tests/run_until.py PROJECT N --resume-on-input` holds there only until a line comes on its
stdin, then runs on to its end: a test acts on the memory while a run is held mid-run (its memory
and checkpoint open), then lets it finish (tests/test_tui.py).
"""

from __future__ import annotations

import signal
import sys
import threading

from mathteam import commands
from mathteam.cli import main

SETTLED = ("proved", "refuted", "formally_verified")


def run_until(argv: list[str], point: int, resume_on_input: bool = False) -> int:
    real_run_project = commands.run_project
    # The callback may run on a worker thread of the graph. Blocking there forever would deadlock a
    # Ctrl-C: the main thread's KeyboardInterrupt waits for the workers to finish. So SIGINT first
    # releases whoever blocks, then interrupts the main thread as Python's default handler does.
    released = threading.Event()
    held: list[int] = []  # with resume_on_input, the run holds once

    def interrupt(signum, frame):
        released.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)

    def run_project(project, **kwargs):
        shown = kwargs.pop("on_progress", None)

        def on_progress(step) -> None:
            if shown is not None:
                shown(step)
            settled = sum(n for status, n in step.claims.items() if status in SETTLED)
            if settled >= point and not held:
                print(f"REACHED {settled}", flush=True)
                if resume_on_input:
                    held.append(settled)
                    sys.stdin.readline()  # a line, or the test closing stdin, lets the run go on
                    return
                released.wait()  # until the signal: SIGINT releases it, SIGKILL ends everything

        return real_run_project(project, on_progress=on_progress, **kwargs)

    commands.run_project = run_project
    return main(argv)


if __name__ == "__main__":
    sys.exit(run_until(["run", "--quiet", sys.argv[1]], int(sys.argv[2]), "--resume-on-input" in sys.argv[3:]))
