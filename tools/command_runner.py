"""The seam between tools and the operating system: run a command with a wall-clock limit."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .errors import ToolUnavailable


@dataclass(frozen=True)
class RunOutput:
    """What a finished (or killed) command left behind."""

    stdout: str
    stderr: str
    exit_code: int | None
    """None when the command was killed at the wall-clock limit."""
    timed_out: bool = False


class Runner(Protocol):
    """Runs ``command`` with ``stdin`` as input, killing it after ``timeout`` seconds."""

    def __call__(self, command: Sequence[str], stdin: str, timeout: float) -> RunOutput: ...


def subprocess_runner(command: Sequence[str], stdin: str, timeout: float) -> RunOutput:
    """The default runner: a plain child process, killed at the deadline."""
    try:
        done = subprocess.run(
            list(command), input=stdin, capture_output=True, text=True, timeout=timeout, check=False
        )
    except FileNotFoundError as error:
        raise ToolUnavailable(str(command[0]), f"cannot run {command[0]!r}: {error.strerror}") from error
    except PermissionError as error:
        raise ToolUnavailable(str(command[0]), f"cannot execute {command[0]!r}: {error.strerror}") from error
    except subprocess.TimeoutExpired as expired:
        return RunOutput(_text(expired.stdout), _text(expired.stderr), None, timed_out=True)
    return RunOutput(done.stdout, done.stderr, done.returncode)


def _text(data: str | bytes | None) -> str:
    # TimeoutExpired carries bytes even in text mode on some platforms.
    if data is None:
        return ""
    return data.decode(errors="replace") if isinstance(data, bytes) else data
