"""Where the bulk engine's parallel work runs: local pools (the default) or Ray tasks (`[cluster]`).

The engine's parallel work is three kinds of job: satisfaction of the laws on shards of candidate
magmas, E attempts and SAT searches. Each is a plain function of small arguments that returns its
result; none writes anything. The engine submits them through one :class:`Executors` and records
every result itself, in the driver, as it arrives: the implication matrix, the evidence log and the
memory never leave the driver, so a job that runs twice (a lost Ray worker's task is retried) is
still recorded once.

Without a ``[cluster]`` section, :class:`LocalExecutors` gives what the engine always used: a
thread pool for E (the threads only wait on E's child processes) and a process pool for Python
work, ``workers`` each. With ``backend = "ray"``, :class:`RayExecutors` runs each job as a Ray task
(one CPU each, retried by Ray when its worker dies) on a local Ray (``address = "local"``), the
cluster this machine belongs to (``"auto"``) or a remote one (``"ray://host:port"``).

Ray is an optional extra (``pip install -e '.[ray]'``): it is imported only when a run asks for it.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mathteam.errors import UserError

RAY_EXTRA_HINT = "pip install -e '.[ray]' (or bash scripts/setup.sh --ray)"
_REMOTE_ADDRESS = re.compile(r"ray://(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9][A-Za-z0-9.\-]*):(\d{1,5})$")


def ray_installed() -> bool:
    """Whether the ``ray`` package can be imported (looked up without importing it)."""
    return importlib.util.find_spec("ray") is not None


class ClusterError(UserError):
    """The cluster a project names cannot be used (not reachable, Ray missing): exit code 2."""

    code = "cluster"


class ClusterSettings(BaseModel):
    """`[cluster]`: run the bulk engine's parallel work as Ray tasks. Without the section nothing changes."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    backend: Literal["ray"]
    """The distributed engine; `"ray"` (needs the `[ray]` extra on the driver and on every worker)."""
    address: str = "local"
    """`"local"` starts a Ray on this machine with `num_cpus`; `"auto"` joins the Ray cluster this
    machine is part of (started with `ray start`); `"ray://host:port"` connects to a remote cluster's
    client server."""
    num_cpus: int | None = Field(default=None, ge=1, le=100_000)
    """CPUs of the local Ray (`address = "local"` only; default: all of this machine's)."""
    task_retries: int = Field(default=3, ge=0, le=100)
    """How often Ray runs a task again when its worker or node is lost."""

    @field_validator("backend")
    @classmethod
    def _ray_is_installed(cls, value: str) -> str:
        if not ray_installed():
            raise ValueError(f"backend {value!r} needs the ray package, which is not installed: {RAY_EXTRA_HINT}")
        return value

    @field_validator("address")
    @classmethod
    def _known_address(cls, value: str) -> str:
        if value in ("local", "auto"):
            return value
        match = _REMOTE_ADDRESS.match(value)
        if not match or not 0 < int(match[2]) < 65536:
            raise ValueError(f'expected "local", "auto" or "ray://host:port", got {value!r}')
        return value

    @model_validator(mode="after")
    def _cpus_only_when_local(self) -> "ClusterSettings":
        if self.num_cpus is not None and self.address != "local":
            raise ValueError(f'[cluster] num_cpus: only for address = "local" (the cluster at '
                             f'{self.address!r} has its own CPUs)')
        return self


class WorkPool(Protocol):
    """What the engine submits jobs to: `concurrent.futures`' submit and map, as a context manager."""

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future: ...

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterable[Any]: ...

    def __enter__(self) -> "WorkPool": ...

    def __exit__(self, *exc: object) -> Any: ...


class Executors(Protocol):
    """The one seam between the engine and where its jobs run."""

    slots: int
    """Jobs worth keeping in flight at once (the workers, or the cluster's CPUs)."""

    def waiting(self) -> WorkPool:
        """A pool for jobs that mostly wait on a child process (E)."""

    def computing(self) -> WorkPool:
        """A pool for jobs that compute in Python (satisfaction shards, SAT searches)."""

    def describe(self) -> str: ...


class LocalExecutors:
    """This machine: ``workers`` threads for E, ``workers`` processes for Python work (the default)."""

    def __init__(self, workers: int):
        self.slots = workers

    def waiting(self) -> WorkPool:
        return ThreadPoolExecutor(self.slots)

    def computing(self) -> WorkPool:
        return ProcessPoolExecutor(self.slots)

    def describe(self) -> str:
        return f"local: {self.slots} workers"


# One Ray session per driver process: started (or joined) on first use, shut down at exit by Ray.
_remote_functions: dict[tuple[Callable, int], Any] = {}


def connect(settings: ClusterSettings):
    """The ``ray`` module with a session for ``settings`` (joined once per process)."""
    if not ray_installed():
        raise ClusterError(f"[cluster] backend \"ray\": the ray package is not installed: {RAY_EXTRA_HINT}")
    import ray  # the optional extra: only a run with [cluster] gets here

    if not ray.is_initialized():
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                   "logging_level": "WARNING"}
        if settings.address == "local":
            options.update(address="local", num_cpus=settings.num_cpus)
        else:
            options.update(address=settings.address)
        try:
            ray.init(**options)
        except Exception as error:  # Ray raises ConnectionError, RuntimeError, ValueError...
            raise ClusterError(f"[cluster] address {settings.address!r}: Ray could not start or connect: "
                               f"{str(error).splitlines()[0] if str(error) else type(error).__name__}") from None
    return ray


def shutdown() -> None:
    """End this process's Ray session, if it has one (tests and benchmarks; runs leave it to Ray's atexit)."""
    if ray_installed():
        import sys

        ray = sys.modules.get("ray")
        if ray is not None and ray.is_initialized():
            ray.shutdown()
    _remote_functions.clear()


class RayTaskPool:
    """Each submitted job is one Ray task (1 CPU, retried ``retries`` times if its worker is lost).

    Leaving the pool (a deadline cut the round short) asks Ray to cancel the tasks not finished:
    queued ones never start; a running one may still finish (each is bounded: E by its CPU limit, a
    search by its seconds), and its result is never read. The driver records only what it received.
    """

    def __init__(self, ray, retries: int):
        self._ray, self._retries = ray, retries
        self._refs: list = []

    def _remote(self, fn: Callable):
        key = (fn, self._retries)
        if key not in _remote_functions:
            _remote_functions[key] = self._ray.remote(num_cpus=1, max_retries=self._retries,
                                                      retry_exceptions=False)(fn)
        return _remote_functions[key]

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        ref = self._remote(fn).remote(*args)
        self._refs.append(ref)
        return ref.future()

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        futures = [self.submit(fn, item) for item in items]
        return [future.result() for future in futures]

    def __enter__(self) -> "RayTaskPool":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._refs:
            _, unfinished = self._ray.wait(self._refs, num_returns=len(self._refs), timeout=0)
            for ref in unfinished:
                self._ray.cancel(ref)
        self._refs.clear()


class RayExecutors:
    """Ray tasks for every kind of job; the session is started or joined on first use."""

    def __init__(self, settings: ClusterSettings):
        self.settings = settings
        self._slots: int | None = None

    @property
    def slots(self) -> int:
        if self._slots is None:
            cpus = connect(self.settings).cluster_resources().get("CPU", 1)
            self._slots = max(1, int(cpus))
        return self._slots

    def _pool(self) -> RayTaskPool:
        return RayTaskPool(connect(self.settings), self.settings.task_retries)

    def waiting(self) -> WorkPool:
        return self._pool()

    def computing(self) -> WorkPool:
        return self._pool()

    def describe(self) -> str:
        return f"ray at {self.settings.address}: {self.slots} CPUs"


def executors_for(cluster: ClusterSettings | None, workers: int) -> Executors:
    """Ray tasks when the run has a `[cluster]`, else this machine's pools of ``workers``."""
    return RayExecutors(cluster) if cluster is not None else LocalExecutors(workers)
