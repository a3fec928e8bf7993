"""Compile a Lean 4 file with a real toolchain and report the outcome as data; no toolchain means ``NotChecked``."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import Field

from .errors import ToolUnavailable
from .lean_limits import (  # noqa: F401 (re-exported: the limits belong to the check)
    DEFAULT_MEMORY_MB,
    MEMORY_ENV,
    kill_group,
    limit_address_space,
    memory_limit_mb,
    memory_limited_runner,
)
from .results import FrozenModel
from .command_runner import Runner, subprocess_runner

PROJECT_ENV = "MATHTEAM_LEAN_PROJECT"
NO_TOOLCHAIN = (
    "no Lean toolchain found (install elan: https://github.com/leanprover/elan, so that `lean` is on PATH;"
    f" or set {PROJECT_ENV} to a Lake project directory, checked with `lake env lean`)"
)
# Lean has spelled the quotes both 'sorry' and `sorry` over the years.
_SORRY = re.compile(r"declaration uses ['`]sorry['`]")
# What a process says when an allocation fails: Lean's runtime ("INTERNAL PANIC: out of memory"),
# C++ (std::bad_alloc), glibc (ENOMEM) and Python (MemoryError, for our fakes).
OUT_OF_MEMORY = re.compile(r"out of memory|std::bad_alloc|Cannot allocate memory|MemoryError", re.IGNORECASE)


class LeanPosition(FrozenModel):
    """A place in a Lean source file, as Lean reports it."""

    line: int
    """Line number, counting from 1."""
    column: int
    """Column, counting Unicode code points from 0."""


class LeanMessage(FrozenModel):
    """One message from ``lean --json`` (a serialized ``Lean.SerialMessage``)."""

    severity: Literal["information", "warning", "error"]
    """Lean's ``MessageSeverity``."""
    text: str
    """The message itself (Lean's ``data`` field)."""
    file_name: str
    """The file Lean attributes the message to (``fileName``)."""
    pos: LeanPosition
    """Where the message starts."""
    end_pos: LeanPosition | None = None
    """Where it ends, when Lean gives a range (``endPos``)."""
    caption: str = ""
    """A short heading some messages carry; usually empty."""

    @property
    def is_sorry_warning(self) -> bool:
        return self.severity == "warning" and _SORRY.search(self.text) is not None


class LeanToolchain(FrozenModel):
    """How to invoke Lean on one file: the command before ``--json FILE``."""

    command: tuple[str, ...]
    """``(lean,)`` for a bare Lean, or ``(lake, -d, DIR, env, lean)`` to check inside a Lake project."""
    project_dir: str | None = None
    """The Lake project whose dependencies (e.g. Mathlib) the file may import; None for a bare Lean."""


class NotChecked(FrozenModel):
    """No Lean ran: the file is unverified, and must be reported as ``not checked``."""

    outcome: Literal["not_checked"] = "not_checked"
    reason: str
    """Why nothing was checked, with how to fix it."""


class Compiled(FrozenModel):
    """Lean accepted the file: no errors and no ``sorry`` (warnings of other kinds may remain)."""

    outcome: Literal["compiled"] = "compiled"
    messages: tuple[LeanMessage, ...]
    """Information messages (``#eval``, ``#print axioms`` output, ...)."""
    warnings: tuple[LeanMessage, ...]
    """Warnings, e.g. linter complaints; never a ``sorry`` warning."""
    command: tuple[str, ...]
    """The full command that ran."""
    seconds: float
    """Wall-clock time of the run."""


class Failed(FrozenModel):
    """Lean rejected the file, or accepted it only with ``sorry``.

    A file whose only complaint is ``declaration uses 'sorry'`` lands here (``uses_sorry=True``),
    never in ``Compiled``: ``isinstance(result, Compiled)`` alone then decides "this file is
    evidence", and no caller can forget to look at a flag.
    """

    outcome: Literal["failed"] = "failed"
    errors: tuple[LeanMessage, ...]
    """What makes the file unacceptable: Lean's errors, then any ``declaration uses 'sorry'`` warnings."""
    uses_sorry: bool
    """Whether some declaration uses ``sorry``; alone it is enough to fail."""
    warnings: tuple[LeanMessage, ...] = ()
    """The other warnings, for context."""
    messages: tuple[LeanMessage, ...] = ()
    """Information messages (``#print axioms`` output): Lean goes on after an error, so the other
    declarations of the file are still reported on, and the gate may accept them one by one."""
    command: tuple[str, ...]
    """The full command that ran."""
    seconds: float
    """Wall-clock time of the run."""


class TimedOut(FrozenModel):
    """Lean ran past its wall-clock limit and was killed."""

    outcome: Literal["timed_out"] = "timed_out"
    limit: float
    """The limit it was given, in seconds."""
    command: tuple[str, ...]
    """The full command that ran."""


class Crashed(FrozenModel):
    """Lean stopped with a failing exit status but reported no error: a crash, or a file it could not read."""

    outcome: Literal["crashed"] = "crashed"
    exit_code: int
    """The process's exit status."""
    stderr: str
    """Its standard error, followed by any standard output that was not a JSON message."""
    command: tuple[str, ...]
    """The full command that ran."""


class OutOfMemory(FrozenModel):
    """Lean ran out of its memory limit (an allocation failed) and stopped before the end of the file."""

    outcome: Literal["out_of_memory"] = "out_of_memory"
    limit_mb: int | None
    """The address-space limit it ran under, in MiB; None when the runner set none."""
    exit_code: int
    """The process's exit status (negative: the signal that ended it)."""
    stderr: str
    """What it printed about the failure."""
    command: tuple[str, ...]
    """The full command that ran."""


LeanCheckResult = Annotated[
    Union[NotChecked, Compiled, Failed, TimedOut, Crashed, OutOfMemory], Field(discriminator="outcome")
]
"""What checking one Lean file ended with."""


def parse_messages(stdout: str) -> tuple[list[LeanMessage], list[str]]:
    """Messages from ``lean --json`` output (one JSON object per line), and the lines that were not messages."""
    messages: list[LeanMessage] = []
    other: list[str] = []
    for line in stdout.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            other.append(line)
            continue
        if not isinstance(record, dict) or "severity" not in record or "data" not in record:
            other.append(line)
            continue
        messages.append(
            LeanMessage(
                severity=record["severity"],
                text=record["data"],
                file_name=record.get("fileName", ""),
                pos=LeanPosition(**record["pos"]),
                end_pos=LeanPosition(**record["endPos"]) if record.get("endPos") else None,
                caption=record.get("caption", ""),
            )
        )
    return messages, other


def _elan_bin() -> Path:
    # elan installs here and only edits shell profiles, so a non-login process may not see it on PATH.
    return Path.home() / ".elan" / "bin"


def _which(program: str, search_path: str | None) -> str | None:
    if search_path is not None:
        return shutil.which(program, path=search_path)
    return shutil.which(program) or shutil.which(program, path=str(_elan_bin()))


def find_lean(project_dir: str | Path | None = None, *, search_path: str | None = None) -> LeanToolchain | None:
    """The Lean to check files with, or None when there is none.

    A Lake project (``project_dir``, else ``$MATHTEAM_LEAN_PROJECT``) is used through
    ``lake -d DIR env lean`` so its dependencies resolve; otherwise ``lean`` on ``search_path``
    (default: PATH, then ``~/.elan/bin``). A configured project that is not one, or without
    ``lake``, raises ``ToolUnavailable``: that is a broken setup, not a missing one.
    """
    if project_dir is None and os.environ.get(PROJECT_ENV):
        project_dir = os.environ[PROJECT_ENV]
    if project_dir is not None:
        root = Path(project_dir).resolve()
        if not any((root / name).is_file() for name in ("lakefile.lean", "lakefile.toml")):
            raise ToolUnavailable("lean", f"{root} is not a Lake project (no lakefile.lean or lakefile.toml)")
        lake = _which("lake", search_path)
        if lake is None:
            raise ToolUnavailable("lake", f"a Lake project is configured ({root}) but `lake` is not installed")
        return LeanToolchain(command=(lake, "-d", str(root), "env", "lean"), project_dir=str(root))
    lean = _which("lean", search_path)
    return LeanToolchain(command=(lean,)) if lean else None


def check_lean_file(
    path: str | Path,
    toolchain: LeanToolchain | None = None,
    timeout_s: float = 60,
    runner: Runner | None = None,
    memory_mb: int | None = None,
) -> LeanCheckResult:
    """Compile ``path`` (with ``find_lean()`` when no toolchain is given) and classify what Lean said.

    Without a ``runner``, Lean runs as a child process limited to ``memory_mb`` MiB of address
    space (default ``memory_limit_mb()``) and ``timeout_s`` seconds. A run that stopped early
    (timed out, out of memory, killed by a signal) is never ``Compiled`` and never ``Failed``:
    what it printed before stopping says nothing about the rest of the file.
    """
    file = Path(path).resolve()
    if not file.is_file():
        raise FileNotFoundError(f"no Lean file at {file}")
    toolchain = toolchain or find_lean()
    if toolchain is None:
        return NotChecked(reason=NO_TOOLCHAIN)
    if runner is None:
        memory_mb = memory_mb or memory_limit_mb()
        runner = memory_limited_runner(memory_mb)
    command = (*toolchain.command, "--json", str(file))
    started = time.monotonic()
    output = runner(command, "", timeout_s)
    seconds = time.monotonic() - started
    if output.timed_out:
        return TimedOut(limit=timeout_s, command=command)
    messages, other = parse_messages(output.stdout)
    exit_code = output.exit_code if output.exit_code is not None else -1
    stderr = "\n".join([output.stderr.rstrip("\n"), *other]).strip("\n")
    if exit_code != 0 and OUT_OF_MEMORY.search(stderr):
        return OutOfMemory(limit_mb=memory_mb, exit_code=exit_code, stderr=stderr[-4000:], command=command)
    # Killed by a signal: whatever it printed covers only part of the file.
    if exit_code < 0:
        return Crashed(exit_code=exit_code, stderr=stderr[-4000:] or f"killed by signal {-exit_code}",
                       command=command)
    errors = tuple(m for m in messages if m.severity == "error")
    sorry = tuple(m for m in messages if m.is_sorry_warning)
    warnings = tuple(m for m in messages if m.severity == "warning" and not m.is_sorry_warning)
    infos = tuple(m for m in messages if m.severity == "information")
    if errors or sorry:
        return Failed(errors=errors + sorry, uses_sorry=bool(sorry), warnings=warnings, messages=infos,
                      command=command, seconds=seconds)
    if exit_code != 0:
        return Crashed(exit_code=exit_code, stderr=stderr, command=command)
    return Compiled(messages=infos, warnings=warnings, command=command, seconds=seconds)


def lean_version(toolchain: LeanToolchain, runner: Runner = subprocess_runner) -> str:
    """What ``lean --version`` prints (``Lean (version 4.15.0, …)``), or ``unknown version`` if it says nothing."""
    output = runner((*toolchain.command, "--version"), "", 30)
    line = output.stdout.strip().splitlines()[0] if output.stdout.strip() else ""
    return line or "unknown version"
