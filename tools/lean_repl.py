"""A long-lived Lean REPL (leanprover-community/repl, or LeanInteract when importable), recycled and checked like a file.

Protocol, as documented in the REPL's README and ``REPL/Main.lean`` (leanprover-community/repl):
each command is one JSON object, ``{"cmd": SOURCE}`` for a fresh environment or
``{"cmd": SOURCE, "env": N}`` to build on environment ``N`` from an earlier response, followed by
a blank line. Each answer is a JSON object (``Json.pretty``, so possibly several lines) followed by
a blank line: ``{"env": N, "messages": [...], "sorries": [...]}``, where a message is
``{"severity": "info"|"warning"|"error"|"trace", "pos": {"line", "column"}, "endPos", "data"}``
(``REPL/JSON.lean``: ``Message``, ``Sorry``, ``CommandResponse``; empty lists are left out), or
``{"message": TEXT}`` when the REPL could not run the command at all (``REPL.Error``). LeanInteract's
``LeanServer.run_dict`` sends the same objects and returns the same dictionaries
(``lean_interact/server.py``). A command that times out, a REPL that dies or answers garbage, is
``TimedOut``/``Crashed``/``OutOfMemory`` — never "no errors" — and the REPL is started afresh.
"""

from __future__ import annotations

import json
import os
import queue
import shlex
import shutil
import subprocess
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any, Literal, Protocol

from .lean_check import (
    OUT_OF_MEMORY,
    PROJECT_ENV,
    Compiled,
    Crashed,
    Failed,
    LeanCheckResult,
    LeanMessage,
    LeanPosition,
    OutOfMemory,
    TimedOut,
    kill_group,
    limit_address_space,
    memory_limit_mb,
)
from .results import FrozenModel

REPL_ENV = "MATHTEAM_LEAN_REPL"
_SEVERITY = {"info": "information", "information": "information", "trace": "information",
             "warning": "warning", "error": "error"}


class ReplConfig(FrozenModel):
    """How to start a REPL and when to start it afresh."""

    command: tuple[str, ...]
    """The command that starts it, e.g. ``(repl,)`` or ``(lake, -d, DIR, env, repl)``."""
    cwd: str | None = None
    """Where to start it (the Lake project, so that its imports resolve)."""
    max_commands: int = 200
    """Commands one process answers before it is replaced: environments pile up in its memory."""
    max_rss_mb: int = 6144
    """Resident memory (``VmRSS``, the process and its children) past which it is replaced."""
    memory_mb: int | None = None
    """Address-space limit of the process (RLIMIT_AS); None means ``memory_limit_mb()``."""


class ReplRejected(FrozenModel):
    """The REPL answered ``{"message": ...}``: it could not run the command (bad JSON, unknown env)."""

    outcome: Literal["repl_rejected"] = "repl_rejected"
    message: str


class ReplSession(Protocol):
    """Anything that answers REPL commands with the REPL's response dictionaries."""

    def run(self, cmd: str, env: int | None = None, timeout_s: float = 60
            ) -> dict[str, Any] | LeanCheckResult | ReplRejected: ...

    def close(self) -> None: ...


def find_repl(project_dir: str | Path | None = None, *, search_path: str | None = None) -> ReplConfig | None:
    """The REPL to use: ``$MATHTEAM_LEAN_REPL`` (a command line), else a ``repl`` inside the Lake
    project (``$MATHTEAM_LEAN_PROJECT``: its build folders, then PATH), run through ``lake env``."""
    if os.environ.get(REPL_ENV, "").strip():
        return ReplConfig(command=tuple(shlex.split(os.environ[REPL_ENV])))
    project_dir = project_dir or os.environ.get(PROJECT_ENV) or None
    if project_dir is None:
        return None
    root = Path(project_dir).resolve()
    candidates = [root / ".lake" / "build" / "bin" / "repl",
                  *sorted((root / ".lake" / "packages").glob("*/.lake/build/bin/repl"))]
    repl = next((str(c) for c in candidates if c.is_file()), None) or shutil.which("repl", path=search_path)
    lake = shutil.which("lake", path=search_path)
    if repl is None or lake is None:
        return None
    return ReplConfig(command=(lake, "-d", str(root), "env", repl), cwd=str(root))


class LeanRepl:
    """One REPL process at a time, speaking the JSON protocol over pipes; replaced when it must be."""

    def __init__(self, config: ReplConfig):
        self.config = config
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=200)
        self._commands = 0
        self._envs: set[int] = set()
        self.restarts = 0
        """How many times a process was started after the first (recycled, timed out or dead)."""

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def run(self, cmd: str, env: int | None = None, timeout_s: float = 60
            ) -> dict[str, Any] | LeanCheckResult | ReplRejected:
        """The REPL's response to ``cmd`` (in environment ``env``), or what went wrong as a check result."""
        if self._process is not None and (self._commands >= self.config.max_commands
                                          or rss_mb(self._process.pid) > self.config.max_rss_mb):
            self.close()
        if env is not None and env not in self._envs:
            return ReplRejected(message=f"environment {env} does not exist in this REPL process "
                                        "(it was never made here, or the REPL was recycled since)")
        if self._process is None:
            self._start()
        assert self._process is not None and self._process.stdin is not None
        request = {"cmd": cmd} if env is None else {"cmd": cmd, "env": env}
        self._commands += 1
        try:
            self._process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n\n")
            self._process.stdin.flush()
        except (BrokenPipeError, OSError):
            return self._died()
        answer = self._read_answer(time.monotonic() + timeout_s)
        if answer is None:
            return self._died()
        if answer == "":
            self.close()
            return TimedOut(limit=timeout_s, command=self.config.command)
        try:
            response = json.loads(answer[answer.index("{"):] if "{" in answer else answer)
        except json.JSONDecodeError:
            self.close()
            return Crashed(exit_code=-1, stderr=f"unparseable REPL answer: {answer[:500]!r}",
                           command=self.config.command)
        if isinstance(response, dict) and isinstance(response.get("env"), int):
            self._envs.add(response["env"])
        return response

    def close(self) -> None:
        """Stop the process (it is started again by the next command)."""
        if self._process is not None:
            kill_group(self._process.pid)
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout, self._process.stderr):
                if stream is not None:
                    stream.close()
            self._process = None

    def __enter__(self) -> LeanRepl:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        limit = self.config.memory_mb or memory_limit_mb()
        if self._commands or self._envs:
            self.restarts += 1
        self._process = subprocess.Popen(
            list(self.config.command), cwd=self.config.cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1, start_new_session=True,
            preexec_fn=lambda: limit_address_space(limit))
        self._lines = queue.Queue()
        self._stderr.clear()
        self._commands, self._envs = 0, set()
        threading.Thread(target=_pump, args=(self._process.stdout, self._lines.put, True), daemon=True).start()
        threading.Thread(target=_pump, args=(self._process.stderr, self._stderr.append, False), daemon=True).start()

    def _read_answer(self, deadline: float) -> str | None:
        """The next answer's text; ``""`` at the deadline, None when the process closed its output."""
        lines: list[str] = []
        while True:
            try:
                line = self._lines.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                return ""
            if line is None:
                return None
            if line.strip():
                lines.append(line)
            elif any(text.startswith("{") for text in lines):
                return "".join(lines)
            else:
                lines = []  # chatter some REPL builds print before the answer

    def _died(self) -> LeanCheckResult:
        assert self._process is not None
        try:
            exit_code = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            exit_code = -1
        time.sleep(0.05)  # let the stderr pump catch the last words
        stderr = "".join(self._stderr).strip()
        command, limit = self.config.command, self.config.memory_mb or memory_limit_mb()
        self.close()
        if OUT_OF_MEMORY.search(stderr):
            return OutOfMemory(limit_mb=limit, exit_code=exit_code, stderr=stderr[-4000:], command=command)
        return Crashed(exit_code=exit_code, stderr=stderr[-4000:] or "the REPL stopped without a word",
                       command=command)


def _pump(stream: Any, put: Any, mark_end: bool) -> None:
    """Copy ``stream`` line by line into ``put``, and None at its end when ``mark_end``."""
    try:
        for line in stream:
            put(line)
    except (OSError, ValueError):
        pass  # the stream was closed under us: the process is being replaced
    if mark_end:
        put(None)


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants in MiB, from ``/proc/PID/status`` (0 if gone)."""
    total_kb, seen, todo = 0, set(), [pid]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total_kb / 1024


class LeanInteractRepl:
    """The same commands through LeanInteract's ``LeanServer`` (optional; only when it is importable)."""

    def __init__(self, project_dir: str | Path, max_commands: int = 200):
        from lean_interact import LeanREPLConfig, LeanServer, LocalProject  # optional dependency

        # auto_build=False: the project is the user's, already built; no `lake build` behind their back.
        self._server = LeanServer(LeanREPLConfig(project=LocalProject(directory=str(project_dir), auto_build=False)))
        self._commands, self._max_commands = 0, max_commands

    def run(self, cmd: str, env: int | None = None, timeout_s: float = 60) -> dict[str, Any] | LeanCheckResult:
        if self._commands >= self._max_commands:
            self._server.restart()
            self._commands = 0
        self._commands += 1
        request = {"cmd": cmd} if env is None else {"cmd": cmd, "env": env}
        try:
            return self._server.run_dict(request, timeout=timeout_s)
        except TimeoutError:
            return TimedOut(limit=timeout_s, command=("lean_interact",))
        except (ConnectionAbortedError, ChildProcessError, BrokenPipeError, json.JSONDecodeError) as error:
            return Crashed(exit_code=-1, stderr=str(error)[-4000:], command=("lean_interact",))

    def close(self) -> None:
        self._server.kill()


def open_repl(project_dir: str | Path | None = None) -> ReplSession | None:
    """A REPL session where one is configured or LeanInteract is importable with a Lake project; else None."""
    config = find_repl(project_dir)
    if config is not None:
        return LeanRepl(config)
    project_dir = project_dir or os.environ.get(PROJECT_ENV) or None
    if project_dir is not None:
        try:
            return LeanInteractRepl(project_dir)
        except ImportError:
            return None
    return None


def check_source(session: ReplSession, source: str, timeout_s: float = 60, env: int | None = None
                 ) -> LeanCheckResult | ReplRejected:
    """Check ``source`` in the REPL and classify it exactly as ``check_lean_file`` classifies a file."""
    started = time.monotonic()
    response = session.run(source, env, timeout_s)
    seconds = time.monotonic() - started
    if not isinstance(response, dict):
        return response
    if set(response) == {"message"}:
        return ReplRejected(message=str(response["message"]))
    messages = tuple(_message(m) for m in response.get("messages", []))
    errors = tuple(m for m in messages if m.severity == "error")
    sorry = tuple(m for m in messages if m.is_sorry_warning)
    warnings = tuple(m for m in messages if m.severity == "warning" and not m.is_sorry_warning)
    infos = tuple(m for m in messages if m.severity == "information")
    command = ("repl", f"env={env}")
    if errors or sorry or response.get("sorries"):
        return Failed(errors=errors + sorry, uses_sorry=bool(sorry or response.get("sorries")), warnings=warnings,
                      messages=infos, command=command, seconds=seconds)
    return Compiled(messages=infos, warnings=warnings, command=command, seconds=seconds)


def _message(record: dict[str, Any]) -> LeanMessage:
    end = record.get("endPos")
    return LeanMessage(severity=_SEVERITY.get(record.get("severity", "error"), "error"),
                       text=str(record.get("data", "")), file_name="<repl>",
                       pos=LeanPosition(**record.get("pos", {"line": 1, "column": 0})),
                       end_pos=LeanPosition(**end) if end else None)
