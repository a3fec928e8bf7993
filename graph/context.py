"""What every node may use besides the state: the project and fresh connections to its memory."""

from __future__ import annotations

import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, TypeVar

from mathteam.domain import DOMAINS, Domain
from mathteam.graph.models import ModelRegistry
from mathteam.memory import Memory
from mathteam.project import Project

_MODELS_LOCK = threading.Lock()
_KEPT_LOCK = threading.Lock()
T = TypeVar("T")


@dataclass(frozen=True)
class TeamContext:
    """Passed to `graph.invoke(..., context=...)`; rebuilt by every process that runs the graph."""

    project: Project
    approve_all: bool = False
    """Unattended run: gates approve their items and record that they did."""
    seconds_before: float = 0.0
    """Wall-clock seconds earlier runs of this project spent (from the memory)."""
    process_started: float = field(default_factory=time.monotonic)
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    """This run (one call of run_project): a model step that failed in it waits for the next run."""
    http_client: Any = None
    """The `httpx2.Client` every model request goes through; None: each SDK's own (a test seam)."""
    _lazy: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def domain(self) -> Domain:
        """The kind of mathematics the project is: its plan, handlers, gates and report."""
        return DOMAINS[self.project.config.domain.kind]

    @property
    def models(self) -> ModelRegistry:
        """The project's model clients and budget ledger, built on first use (past spending replayed)."""
        with _MODELS_LOCK:
            if "models" not in self._lazy:
                self._lazy["models"] = ModelRegistry(self.project, http_client=self.http_client)
            return self._lazy["models"]

    def close(self) -> None:
        """Release what the run opened: the local model servers its models started, what it kept."""
        with _MODELS_LOCK:
            models = self._lazy.pop("models", None)
        if models is not None:
            models.close()
        with _KEPT_LOCK:
            self._lazy.pop("kept", None)

    def kept(self, name: str, build: Callable[[], T]) -> T:
        """What the run builds once and keeps for its length (the bulk engine, replayed from its
        log): owned by this context, so it goes when the run ends; the next run builds its own."""
        with _KEPT_LOCK:
            kept = self._lazy.setdefault("kept", {})
            if name not in kept:
                kept[name] = build()
            return kept[name]

    @contextmanager
    def memory(self) -> Iterator[Memory]:
        """A connection of the node's own: parallel workers must not share one."""
        memory = Memory.open(self.project.memory_path)
        try:
            yield memory
        finally:
            memory.close()
