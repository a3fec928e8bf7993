"""``mathteam compute FILE.py``: run a person's Python file in the sandbox and print what it did."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from pydantic import ValidationError

from mathteam.errors import UserError
from mathteam.tools.sandbox import Completed, Failed, Limits, run_python

EXIT_COMPLETED, EXIT_CODE_FAILED, EXIT_BAD_INPUT, EXIT_LIMIT_HIT = 0, 1, 2, 4


WALL_CLOCK_FACTOR, WALL_CLOCK_GRACE_S = 2.0, 1.0
"""The wall-clock limit is ``2 * timeout + 1`` s: a computing loop then reaches its CPU limit first and
is reported as ``cpu`` even when the machine is busy; code that waits (sleep, a blocked read) is
stopped by the wall clock and reported as ``wall_clock``."""
OPTION_OF_FIELD = {"wall_seconds": "--timeout", "cpu_seconds": "--timeout", "memory_mb": "--memory"}


def compute_limits(timeout: float | None, memory_mb: int | None) -> Limits:
    """The sandbox limits for the command's options: ``timeout`` CPU seconds (whole seconds, rounded up)
    and a wall clock of ``2 * timeout + 1`` s; problems name the option, never a field."""
    changes: dict[str, object] = {}
    if timeout is not None:
        if not math.isfinite(timeout) or timeout <= 0:
            raise UserError(f"bad --timeout {timeout:g}: must be a number of seconds greater than 0")
        changes |= {"wall_seconds": WALL_CLOCK_FACTOR * timeout + WALL_CLOCK_GRACE_S,
                    "cpu_seconds": max(1, math.ceil(timeout))}
    if memory_mb is not None:
        changes["memory_mb"] = memory_mb
    try:
        return Limits(**changes)
    except ValidationError as error:
        problem = error.errors()[0]
        field = str(problem["loc"][0])
        option = OPTION_OF_FIELD.get(field, field)
        given = {"--timeout": timeout, "--memory": memory_mb}.get(option)
        raise UserError(f"bad {option} {given}: {problem['msg'].lower()}"
                        + (" (MiB)" if option == "--memory" else "")) from error


def compute_command(path: Path, timeout: float | None = None, memory_mb: int | None = None) -> int:
    """Run ``path`` in the sandbox, echo its stdout/stderr, then one status line on stderr."""
    if not path.is_file():
        raise UserError(f"no such file: {path}")
    try:
        code = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"cannot read {path}: {error}") from error
    run = run_python(code, limits=compute_limits(timeout, memory_mb))
    outcome = run.outcome
    sys.stdout.write(outcome.stdout)
    if isinstance(outcome, Completed) and outcome.result is not None:
        print(f"result: {json.dumps(outcome.result)}")
    sys.stdout.flush()
    sys.stderr.write(outcome.stderr)
    for weaker in run.missing:
        print(f"sandbox: weaker here: {weaker} (see mathteam doctor)", file=sys.stderr)
    if isinstance(outcome, Completed):
        print(f"completed in {run.seconds:.2f} s", file=sys.stderr)
        return EXIT_COMPLETED
    if isinstance(outcome, Failed):
        print(f"failed (exit status {outcome.exit_code}): {outcome.reason}", file=sys.stderr)
        return EXIT_CODE_FAILED
    print(f"limit hit: {outcome.limit}: {outcome.detail}", file=sys.stderr)
    return EXIT_LIMIT_HIT
