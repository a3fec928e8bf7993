"""The conjecturer: proposes every implication that no computed example refutes."""

from __future__ import annotations

from langgraph.runtime import Runtime

from mathteam.agents import magma_bulk
from mathteam.agents.dispatch import run_batch
from mathteam.agents.llm.conjecturer import MODEL
from mathteam.agents.sequences.conjectures import find_sequence_relations, guess_sequence
from mathteam.graph.context import TeamContext
from mathteam.graph.state import WorkBatch
from mathteam.memory import Actor, Memory, Task

ACTOR = Actor.role("conjecturer")


def conjecturer(batch: WorkBatch, runtime: Runtime[TeamContext]) -> dict:
    return run_batch("conjecturer", batch, runtime, SYMBOLIC, model=MODEL)


def conjecture_implications(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Turn each claim still open after the example search into a conjecture, saying on what data."""
    examples = memory.task("examples:exhaustive")
    sizes = examples.outputs.get("sizes", {}) if examples else {}
    magmas = sum(info["magmas"] for info in sizes.values())
    surviving = [claim.id for claim in memory.claims(status="open")]
    reason = f"no counterexample among all {magmas} magmas of size {', '.join(sizes) or '(none)'}"
    with memory.atomic():
        memory.mark_claims(surviving, "conjectured", reason, ACTOR)
        memory.finish_tasks({task.id: {"conjectured": len(surviving), "evidence": reason}}, ACTOR)


SYMBOLIC = {
    "bulk_conjecture": magma_bulk.bulk_conjecture,
    "conjecture": conjecture_implications,
    "sequence_guess": guess_sequence,
    "sequence_relations": find_sequence_relations,
}
