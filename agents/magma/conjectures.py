"""The conjecturer's magma work: every implication no computed example refutes; with a model, its picks first.

The model's picks become its conjectures, with its reasons; the others are conjectured on the data
alone. Either way every later status change comes from a checker.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from mathteam.agents.llm.brain import Reply, as_json, ask_model, model_actor
from mathteam.domains.magma.implications import task_id
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Memory, Task

ACTOR = Actor.role("conjecturer")


def conjecture_implications(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Turn each claim still open after the example search into a conjecture, saying on what data."""
    examples = memory.task("examples:exhaustive")
    sizes = examples.outputs.get("sizes", {}) if examples else {}
    magmas = sum(info["magmas"] for info in sizes.values())
    # Only pairs still to settle: a claim left open on purpose (rejected at a gate, or unsettled
    # after every attempt) has its task done and stays as it is when laws are added later.
    waiting = {task.id for task in memory.tasks(status="pending", kind="implication")}
    surviving = [claim.id for claim in memory.claims(status="open") if task_id(claim.id) in waiting]
    reason = f"no counterexample among all {magmas} magmas of size {', '.join(sizes) or '(none)'}"
    if families := (examples.outputs.get("families") if examples else None):
        reason += f", nor among the {families}"
    with memory.atomic():
        memory.mark_claims(surviving, "conjectured", reason, ACTOR)
        memory.finish_tasks({task.id: {"conjectured": len(surviving), "evidence": reason}}, ACTOR)


class Pick(Reply):
    claim: str
    """The id of an implication, exactly as listed (`EquationA=>EquationB`)."""
    rationale: str = ""
    """Why it should hold."""


class Picks(Reply):
    conjectures: list[Pick]
    """The implications believed true, among those listed."""


def conjecture_with_model(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """The model's picks become its conjectures; the rest of what survived the examples, the data's."""
    waiting = {task.id for task in memory.tasks(status="pending", kind="implication")}
    surviving = {c.id: c.statement for c in memory.claims(status="open") if task_id(c.id) in waiting}
    examples = memory.task("examples:exhaustive")
    user = "\n\n".join([
        f"# Question\n\n{runtime.context.project.config.project.goal}",
        f"# What the examples show\n\n{as_json(examples.outputs if examples else {}, 3000)}",
        f"# Implications no computed example refutes\n\n{as_json(surviving, 12000)}",
        "Pick those you believe hold, with a reason each.",
    ])
    picks = ask_model(memory, task, runtime, "conjecturer", user, Picks, close_on_failure=False)
    chosen = {p.claim: p.rationale for p in (picks.conjectures if picks else []) if p.claim in surviving}
    ignored = [p.claim for p in (picks.conjectures if picks else []) if p.claim not in surviving]
    if chosen:
        actor = model_actor(runtime, "conjecturer")
        with memory.atomic():
            for claim_id, why in chosen.items():
                memory.mark_claims([claim_id], "conjectured", f"picked by the conjecturer's model: {why}"[:500],
                                   actor)
            memory.record_event(actor, "conjectures picked", subject=task.id,
                                outputs={"picked": len(chosen), "ignored (not open)": ignored[:20]})
    conjecture_implications(memory, task, runtime, shared)
    done = memory.task(task.id)
    memory.update_task_outputs(task.id, {**done.outputs, "picked_by_model": sorted(chosen),
                                         "model": picks is not None})
