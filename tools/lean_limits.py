"""Limits on a Lean process: address space (RLIMIT_AS) and a wall clock that kills its whole process group."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
from collections.abc import Sequence

from .errors import ToolUnavailable
from .command_runner import RunOutput, Runner

MEMORY_ENV = "MATHTEAM_LEAN_MEMORY_MB"
#: Address-space limit of one check unless ``$MATHTEAM_LEAN_MEMORY_MB`` says otherwise. Mapped
#: ``.olean`` files count towards it, so a check importing all of Mathlib may need more.
DEFAULT_MEMORY_MB = 8192


def memory_limit_mb() -> int:
    """The per-check memory limit in MiB: ``$MATHTEAM_LEAN_MEMORY_MB``, else ``DEFAULT_MEMORY_MB``."""
    value = os.environ.get(MEMORY_ENV, "").strip()
    if not value:
        return DEFAULT_MEMORY_MB
    if not value.isdigit() or int(value) <= 0:
        raise ValueError(f"{MEMORY_ENV} must be a positive number of MiB, not {value!r}")
    return int(value)


def limit_address_space(limit_mb: int) -> None:
    """Cap this process's address space (RLIMIT_AS) at ``limit_mb`` MiB; run in the child before exec."""
    limit = limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def memory_limited_runner(limit_mb: int) -> Runner:
    """A runner like ``subprocess_runner`` whose child may map at most ``limit_mb`` MiB.

    The child leads its own process group, and the whole group is killed at the deadline:
    ``lake env lean`` forks Lean, which would otherwise outlive ``lake`` and hold the pipes open.
    """

    def run(command: Sequence[str], stdin: str, timeout: float) -> RunOutput:
        try:
            # preexec_fn runs between fork and exec; it only calls setrlimit, which takes no lock.
            process = subprocess.Popen(list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True, start_new_session=True,
                                       preexec_fn=lambda: limit_address_space(limit_mb))
        except (FileNotFoundError, PermissionError) as error:
            raise ToolUnavailable(str(command[0]), f"cannot run {command[0]!r}: {error.strerror}") from error
        with process:
            try:
                stdout, stderr = process.communicate(stdin, timeout=timeout)
            except subprocess.TimeoutExpired:
                kill_group(process.pid)
                stdout, stderr = process.communicate()
                return RunOutput(stdout or "", stderr or "", None, timed_out=True)
        return RunOutput(stdout, stderr, process.returncode)

    return run


def kill_group(group: int) -> None:
    """SIGKILL every process of the process group ``group`` (a child started with ``start_new_session``)."""
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already gone
