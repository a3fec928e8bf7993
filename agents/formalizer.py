"""The Lean formalizer (placeholder while the Lean templates are written)."""
from langgraph.runtime import Runtime
from mathteam.graph.context import TeamContext
from mathteam.graph.state import WorkBatch
from mathteam.memory import Actor

ACTOR = Actor.role("formalizer")


def formalizer(batch: WorkBatch, runtime: Runtime[TeamContext]) -> dict:
    with runtime.context.memory() as memory:
        memory.finish_tasks({tid: {} for tid in batch["task_ids"]}, ACTOR)
    return {}
