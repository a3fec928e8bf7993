"""How a role's node does its batch: each task goes to the handler the run's domain gives for it.

A role thinks with its symbolic brain unless the project file names a model for it (`[team]`);
then tasks of a kind the domain's model brain handles go to it, and the rest stay symbolic.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from mathteam.domain import Handler
from mathteam.errors import InternalError
from mathteam.graph.context import TeamContext
from mathteam.graph.state import WorkBatch

__all__ = ["Handler", "handler_for", "run_batch"]


def handler_for(role: str, kind: str, context: TeamContext) -> Handler | None:
    """The domain's handler for one task of `kind` done by `role`, with the role's brain."""
    domain = context.domain
    brain = getattr(context.project.config.team, role)
    model = domain.model.get(role, {})
    if brain != "symbolic" and kind in model:
        return model[kind]
    return domain.symbolic.get(role, {}).get(kind)


def run_batch(role: str, batch: WorkBatch, runtime: Runtime[TeamContext]) -> dict:
    shared: dict[str, Any] = {}
    with runtime.context.memory() as memory:
        for task in memory.tasks(ids=batch["task_ids"], status="pending"):
            handler = handler_for(role, task.kind, runtime.context)
            if handler is None:
                raise InternalError(f"the {role} has no brain for {task.kind!r} tasks")
            handler(memory, task, runtime, shared)
    return {}
