"""What every node may use besides the state: the project and fresh connections to its memory."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from mathteam.memory import Memory
from mathteam.project import Project


@dataclass(frozen=True)
class TeamContext:
    """Passed to `graph.invoke(..., context=...)`; rebuilt by every process that runs the graph."""

    project: Project
    approve_all: bool = False
    """Unattended run: gates approve their items and record that they did."""
    seconds_before: float = 0.0
    """Wall-clock seconds earlier runs of this project spent (from the memory)."""
    process_started: float = field(default_factory=time.monotonic)

    @contextmanager
    def memory(self) -> Iterator[Memory]:
        """A connection of the node's own: parallel workers must not share one."""
        memory = Memory.open(self.project.memory_path)
        try:
            yield memory
        finally:
            memory.close()
