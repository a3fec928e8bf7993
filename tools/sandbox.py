"""Run Python code in a separate, limited process and return what happened as data.

What stops what (a run's ``isolation`` lists the layers that were active, ``missing`` the kernel
layers this machine lacks and the guarantee each weakens; ``mathteam doctor`` prints the same):

kernel-enforced, whatever the code calls (Python, ctypes, cffi, a C extension)
    * seccomp (``sandbox_kernel.py``): no child process (``fork``, ``vfork``, ``clone`` of a process,
      ``execve``), no signal or trace reaching another process, no ``socket()``, no permission, owner,
      time or attribute change, no mount, namespace or other administration call. A supervisor
      process records each refusal -> ``processes``, ``network``, ``filesystem``.
    * Landlock: writing, creating, removing, renaming, linking only under the working directory (and
      writing ``/dev/null``) -> ``filesystem`` (recorded by the supervisor, which sees the paths).
    * every capability dropped, so even a run as root cannot raise its rlimits or override file
      permissions;
    * ``RLIMIT_CPU`` (SIGXCPU, then SIGKILL one second later) -> ``cpu``
    * ``RLIMIT_AS`` (allocations fail, Python raises MemoryError) -> ``memory``
    * ``RLIMIT_FSIZE`` (a write past the size fails with EFBIG) -> ``filesystem``
    * a private pids cgroup (``pids.max``, v1 or v2, when the cgroup tree is writable) counting the
      threads; ``RLIMIT_NPROC`` for a non-root user (Linux never applies it to root).
    * a private network namespace (``unshare --net``, when it works: as root here) -> no network at
      all, loopback included.
    * the wall clock, watched by the parent, which kills the whole process group (``killpg``) and
      every process left in the pids cgroup -> ``wall_clock``; output beyond the cap is not kept and
      the group is killed -> ``output``.

guarded by an audit hook as well (``sys.addaudithook``, installed by ``sandbox_boot.py``): the same
refusals for Python-level calls, raised as a Python exception with a clear message. Where the kernel
lacks seccomp or Landlock, the hook is all that is left of that guarantee, and a hook is not a
security boundary (native code goes around it): ``missing`` says so.

Reads are not restricted (the code needs the standard library and site-packages). Code runs as
``python -I -B`` (no user site, no PYTHON* variables, no bytecode written) in a fresh private temporary
directory, removed afterwards; its only channels out are stdout, stderr and ``result.json`` (written
directly or by the injected ``emit(obj)``); the JSON ``inputs`` are bound to the name ``inputs``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import Field, JsonValue

from .results import FrozenModel
from .sandbox_cache import RunCache, code_sha256, run_cache_key
from .sandbox_process import Capture, PidsCgroup, kill_group, tasks_of_uid

__all__ = ["Completed", "Failed", "LimitHit", "Limits", "RunCache",
           "RunOutcome", "SandboxRun", "run_cache_key", "run_python"]

BOOT = Path(__file__).with_name("sandbox_boot.py")
LimitName = Literal["cpu", "memory", "wall_clock", "processes", "network", "filesystem", "output"]
LIMIT_NAMES = frozenset(LimitName.__args__)


class Limits(FrozenModel):
    """What one run may use; part of the cache key."""

    cpu_seconds: int = Field(10, ge=1)
    """CPU time (user + system), whole seconds: RLIMIT_CPU."""
    wall_seconds: float = Field(30.0, gt=0)
    """Wall-clock time before the parent kills the process group."""
    memory_mb: int = Field(1024, ge=64)
    """Address space of the Python process in MiB: RLIMIT_AS."""
    processes: int = Field(32, ge=1)
    """Tasks (processes and threads, the interpreter included) the kernel allows, where it can count them."""
    file_mb: int = Field(64, ge=1)
    """Largest file the code may write, in MiB: RLIMIT_FSIZE."""
    output_bytes: int = Field(1_000_000, ge=1024)
    """Stdout and stderr together (and result.json on its own) are cut off beyond this many bytes."""


class Completed(FrozenModel):
    """The code ran to the end and exited with status 0."""

    outcome: Literal["completed"] = "completed"
    stdout: str
    """What the code printed."""
    stderr: str
    """What the code wrote to standard error."""
    result: JsonValue = None
    """The JSON the code left in ``result.json`` (or passed to ``emit``); None when it left none."""
    seconds: float
    """Wall-clock time of the run."""
    exit_code: Literal[0] = 0
    """Always 0."""


class Failed(FrozenModel):
    """The code stopped with an error of its own (an exception, a non-zero exit, a signal)."""

    outcome: Literal["failed"] = "failed"
    exit_code: int
    """The exit status; negative when a signal ended the process (-11: SIGSEGV)."""
    reason: str
    """One line: the last line of the traceback, or what else went wrong."""
    stdout: str
    """What the code printed."""
    stderr: str
    """What the code wrote to standard error (the traceback)."""
    seconds: float
    """Wall-clock time of the run."""


class LimitHit(FrozenModel):
    """A limit stopped the code or refused what it tried to do."""

    outcome: Literal["limit_hit"] = "limit_hit"
    limit: LimitName
    """Which limit."""
    detail: str
    """What exactly was stopped or refused."""
    stdout: str
    """Output up to that point (at most ``output_bytes``)."""
    stderr: str
    """Standard error up to that point."""
    seconds: float
    """Wall-clock time of the run."""


RunOutcome = Annotated[Union[Completed, Failed, LimitHit], Field(discriminator="outcome")]
"""What a sandbox run ended with."""


class SandboxRun(FrozenModel):
    """One run, as evidence: the code, its hash, inputs, limits, the outcome and the time it took."""

    code: str
    """The exact source that ran."""
    code_sha256: str
    """Hex sha256 of the source's UTF-8 text."""
    inputs: JsonValue
    """The JSON value bound to ``inputs`` in the code's namespace."""
    limits: Limits
    """The limits it ran under."""
    outcome: RunOutcome
    """How it ended."""
    seconds: float
    """Wall-clock time, from start to the last process gone."""
    cpu_seconds: float
    """CPU time the code used (user + system), as the kernel accounted it."""
    isolation: tuple[str, ...]
    """The layers that were active, e.g. ``("rlimits", "audit-hook", "netns", "pids-cgroup", "landlock-v7",
    "no-capabilities", "seccomp", "seccomp-supervisor")``."""
    missing: tuple[str, ...] = ()
    """Kernel layers this machine lacks, each with the guarantee it weakens (empty: all in place)."""
    cached: bool = False
    """True when this record came from a cache instead of a new run."""


def run_python(code: str, inputs: JsonValue = None, limits: Limits | None = None,
               cache: RunCache | None = None) -> SandboxRun:
    """Run ``code`` in the sandbox, or return the cached run of the same code, inputs and limits."""
    limits = limits or Limits()
    key = run_cache_key(code, inputs, limits)
    if cache is not None and (stored := cache.get(key)) is not None:
        return stored.model_copy(update={"cached": True})
    run = execute(code, inputs, limits)
    # A wall-clock kill depends on the machine's load, not only on the code: worth trying again.
    if cache is not None and not (isinstance(run.outcome, LimitHit) and run.outcome.limit == "wall_clock"):
        cache.put(key, run)
    return run


def execute(code: str, inputs: JsonValue, limits: Limits, *, guard: bool = True, kernel: bool = True,
            supervisor: bool = True) -> SandboxRun:
    """One fresh run, no cache. For tests of one layer at a time: ``guard=False`` leaves out the audit
    hook, ``kernel=False`` Landlock, seccomp and the capability drop, ``supervisor=False`` only the
    seccomp supervisor (refusals then go unrecorded and Landlock alone decides about paths)."""
    base = Path(tempfile.mkdtemp(prefix="mathteam-sandbox-"))
    workdir = base / "work"
    workdir.mkdir(mode=0o700)
    control_fd = os.open(base / "control", os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    cgroup = PidsCgroup.create(limits.processes)
    isolation = ["rlimits"] + (["audit-hook"] if guard else []) + (["netns"] if _netns_prefix() else [])
    isolation += ["pids-cgroup"] if cgroup else []
    try:
        spec = {"code": code, "inputs": inputs, "workdir": str(workdir), "control_fd": control_fd,
                "guard": guard, "kernel": kernel, "supervisor": supervisor, "rlimits": _rlimits(limits),
                "cgroup_procs": str(cgroup.procs_file) if cgroup else None}
        if os.getuid() != 0:
            isolation.append("nproc-rlimit")
        (base / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
        start = time.monotonic()
        process = subprocess.Popen(
            [*_netns_prefix(), sys.executable, "-I", "-B", str(BOOT), str(base / "spec.json")],
            cwd=workdir, env=_environment(workdir), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True, pass_fds=(control_fd,))
        capture = Capture(process, limits.output_bytes)
        killed_for, cpu = _wait(process, capture, start + limits.wall_seconds)
        kill_group(process.pid)
        refusals = cgroup.empty_and_count_refusals() if cgroup else 0
        stdout, stderr = capture.finish()
        if killed_for is None and capture.overflowed.is_set():
            killed_for = "output"  # it overflowed and exited before the watcher saw it: still cut off
        seconds = time.monotonic() - start
        records = _read_records(base / "control")
        layers = next((record for record in records if "layers" in record), None)
        if layers:
            isolation += layers["layers"]
            missing = tuple(layers["missing"])
        elif not kernel:
            missing = ("the kernel layers were left out on purpose (kernel=False)",)
        else:
            missing = ("the kernel layers did not report (the run stopped before they were in place)",)
        refused = [record for record in records if "limit" in record]
        outcome = _classify(process.returncode, killed_for, refused, cpu, refusals, limits,
                            workdir / "result.json", stdout, stderr, round(seconds, 3))
    finally:
        os.close(control_fd)
        if cgroup:
            cgroup.remove()
        shutil.rmtree(base, ignore_errors=True)
    return SandboxRun(code=code, code_sha256=code_sha256(code), inputs=inputs, limits=limits,
                      outcome=outcome, seconds=round(seconds, 3), cpu_seconds=round(cpu, 3),
                      isolation=tuple(isolation), missing=missing)


def _read_records(path: Path) -> list[dict]:
    """The control file's JSON lines (from the boot script and the seccomp supervisor); code running
    in the sandbox can write there too, so a line that is not a well-formed record is ignored."""
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and (
                (record.get("limit") in LIMIT_NAMES and isinstance(record.get("detail"), str))
                or (isinstance(record.get("layers"), list) and isinstance(record.get("missing"), list))):
            records.append(record)
    return records


def _wait(process: subprocess.Popen, capture: Capture, deadline: float) -> tuple[str | None, float]:
    """Wait for the process, killing its group at the deadline or when output overflows."""
    killed_for = None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if killed_for is None:
            killed_for = "output" if capture.overflowed.is_set() else (
                "wall_clock" if time.monotonic() >= deadline else None)
            if killed_for:
                kill_group(process.pid)
                pid, status, usage = os.wait4(process.pid, 0)
                break
        time.sleep(0.01)
    process.returncode = os.waitstatus_to_exitcode(status)
    return killed_for, usage.ru_utime + usage.ru_stime


def _classify(code: int, killed_for: str | None, records: list[dict], cpu: float, refusals: int,
              limits: Limits, result_path: Path, stdout: str, stderr: str, seconds: float):
    texts = {"stdout": stdout, "stderr": stderr, "seconds": seconds}
    if killed_for == "output":
        return LimitHit(limit="output", detail=f"output beyond {limits.output_bytes} bytes", **texts)
    if killed_for == "wall_clock":
        return LimitHit(limit="wall_clock", detail=f"still running after {limits.wall_seconds} s "
                                                   f"of wall-clock time (CPU used: {cpu:.2f} s)", **texts)
    if records:
        first = records[0]
        return LimitHit(limit=first["limit"], detail=first["detail"], **texts)
    if code == -signal.SIGXCPU or (code == -signal.SIGKILL and cpu >= limits.cpu_seconds - 0.05):
        return LimitHit(limit="cpu", detail=f"CPU time limit of {limits.cpu_seconds} s reached", **texts)
    if refusals:
        return LimitHit(limit="processes", detail=f"the kernel refused {refusals} process creation(s) "
                                                  f"beyond {limits.processes} tasks", **texts)
    if code != 0:
        reason = (f"killed by signal {signal.Signals(-code).name}" if code < 0
                  else (stderr.strip().splitlines() or [f"exit status {code}"])[-1])
        return Failed(exit_code=code, reason=reason, **texts)
    if not result_path.is_file():
        return Completed(**texts)
    if result_path.stat().st_size > limits.output_bytes:
        return LimitHit(limit="output", detail=f"result.json beyond {limits.output_bytes} bytes", **texts)
    try:
        result = json.loads(result_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        return Failed(exit_code=0, reason=f"result.json is not JSON: {error}", **texts)
    return Completed(result=result, **texts)


def _rlimits(limits: Limits) -> dict[str, tuple[int, int]]:
    memory, size = limits.memory_mb * 2**20, limits.file_mb * 2**20
    rlimits = {"RLIMIT_CPU": (limits.cpu_seconds, limits.cpu_seconds + 1), "RLIMIT_AS": (memory, memory),
               "RLIMIT_FSIZE": (size, size), "RLIMIT_CORE": (0, 0)}
    if os.getuid() != 0:
        # RLIMIT_NPROC counts every task of the user, not only the sandbox's.
        allowed = tasks_of_uid(os.getuid()) + limits.processes
        rlimits["RLIMIT_NPROC"] = (allowed, allowed)
    return rlimits


def _environment(workdir: Path) -> dict[str, str]:
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(workdir), "TMPDIR": str(workdir),
            "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(workdir / ".matplotlib"),
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def network_namespace_works() -> bool:
    """Whether runs here get a private network namespace (``unshare --net``)."""
    return bool(_netns_prefix())


@lru_cache(maxsize=1)
def _netns_prefix() -> tuple[str, ...]:
    """``unshare --net --`` when it works here (root, or a kernel that allows it), else nothing."""
    unshare = shutil.which("unshare")
    if not unshare:
        return ()
    try:
        probe = subprocess.run([unshare, "--net", "--", "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return (unshare, "--net", "--") if probe.returncode == 0 else ()

