"""The conjecturer: proposes every implication that no computed example refutes."""

from __future__ import annotations

from langgraph.runtime import Runtime

from mathteam.graph.context import TeamContext
from mathteam.graph.state import WorkBatch
from mathteam.memory import Actor

ACTOR = Actor.role("conjecturer")


def conjecturer(batch: WorkBatch, runtime: Runtime[TeamContext]) -> dict:
    """Turn each claim still open after the example search into a conjecture, saying on what data."""
    with runtime.context.memory() as memory:
        for task in memory.tasks(ids=batch["task_ids"], status="pending"):
            examples = memory.task("examples:exhaustive")
            sizes = examples.outputs.get("sizes", {}) if examples else {}
            magmas = sum(info["magmas"] for info in sizes.values())
            surviving = [claim.id for claim in memory.claims(status="open")]
            reason = (f"no counterexample among all {magmas} magmas of size "
                      f"{', '.join(sizes) or '(none)'}")
            with memory.atomic():
                memory.mark_claims(surviving, "conjectured", reason, ACTOR)
                memory.finish_tasks({task.id: {"conjectured": len(surviving), "evidence": reason}},
                                    ACTOR)
    return {}
