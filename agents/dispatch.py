"""How a role's node does its batch: each task goes to the role's brain for that kind of task.

A role thinks with its symbolic brain unless the project file names a model for it (`[team]`);
then tasks of a kind the model brain handles go to it, and the rest stay symbolic.
"""

from __future__ import annotations

from typing import Any, Callable

from langgraph.runtime import Runtime

from mathteam.errors import InternalError
from mathteam.graph.context import TeamContext
from mathteam.graph.state import WorkBatch
from mathteam.memory import Memory, Task

Handler = Callable[[Memory, Task, Runtime[TeamContext], dict[str, Any]], None]
"""Does one task. The dict is shared by the tasks of one batch, for what is costly to rebuild."""


def run_batch(role: str, batch: WorkBatch, runtime: Runtime[TeamContext],
              symbolic: dict[str, Handler], model: dict[str, Handler] | None = None) -> dict:
    brain = getattr(runtime.context.project.config.team, role)
    shared: dict[str, Any] = {}
    with runtime.context.memory() as memory:
        for task in memory.tasks(ids=batch["task_ids"], status="pending"):
            brains = model if brain != "symbolic" and model and task.kind in model else symbolic
            handler = brains.get(task.kind)
            if handler is None:
                raise InternalError(f"the {role} has no brain for {task.kind!r} tasks")
            handler(memory, task, runtime, shared)
    return {}
