"""The conjecturer's model brain: proposes conjectures from the computed data; it never settles anything.

Free-form projects get new claims (status `conjectured`, authored by the role and its model). On a
magma project the model picks, among the implications no example refutes, those it believes, and
its reasons become theirs; the others are conjectured on the data alone, as the symbolic brain does.
Either way every later status change comes from a checker.
"""

from __future__ import annotations

from langgraph.runtime import Runtime
from pydantic import Field

from mathteam.agents.llm.brain import Reply, as_json, ask_model, model_actor
from mathteam.agents.llm.example_generator import computed_data
from mathteam.graph.context import TeamContext
from mathteam.memory import Claim, Memory, Task

MOST = 8
"""Most conjectures kept from one reply."""


class Conjecture(Reply):
    statement: str = Field(min_length=1)
    """The conjecture, precise enough to be proved or refuted."""
    lean_statement: str | None = None
    """The same statement as a Lean 4 proposition (what follows `theorem name :`), when it has one."""
    rationale: str = ""
    """Which data suggest it."""


class Conjectures(Reply):
    conjectures: list[Conjecture]
    """The conjectures, most promising first."""


class Pick(Reply):
    claim: str
    """The id of an implication, exactly as listed (`EquationA=>EquationB`)."""
    rationale: str = ""
    """Why it should hold."""


class Picks(Reply):
    conjectures: list[Pick]
    """The implications believed true, among those listed."""


def conjecture(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    if runtime.context.project.config.domain.kind == "magma_implications":
        conjecture_implications(memory, task, runtime, shared)
    else:
        conjecture_freeform(memory, task, runtime)


def conjecture_freeform(memory: Memory, task: Task, runtime: Runtime[TeamContext]) -> None:
    project = runtime.context.project
    known = [{"id": c.id, "statement": c.statement, "status": c.status} for c in memory.claims()]
    data = computed_data(memory)
    user = "\n\n".join([
        f"# Goal\n\n{project.config.project.goal}",
        f"# This task\n\n{task.title}\n\n{task.inputs.get('instructions', '')}",
        f"# Computed data\n\n{as_json(data, 6000)}",
        f"# Claims already in the project\n\n{as_json(known, 3000)}",
        f"Propose at most {MOST} new conjectures.",
    ])
    reply = ask_model(memory, task, runtime, "conjecturer", user, Conjectures)
    if reply is None:
        return
    actor = model_actor(runtime, "conjecturer")
    seen = {c.statement.strip() for c in memory.claims()}
    claims = []
    for item in reply.conjectures[:MOST]:
        if item.statement.strip() in seen:
            continue
        seen.add(item.statement.strip())
        claims.append(Claim(
            id=f"{task.id}:c{len(claims) + 1}", kind="conjecture", statement=item.statement.strip(),
            status="conjectured", author=actor.label(),
            reason=f"proposed by the conjecturer's model from {len(data)} computed results"
                   + (f": {item.rationale}" if item.rationale else ""),
            data={"lean_statement": item.lean_statement} if item.lean_statement else {}))
    with memory.atomic():
        memory.add_claims(claims, actor)
        memory.finish_tasks({task.id: {"conjectures": [c.id for c in claims],
                                       "result": f"{len(claims)} conjecture(s) proposed"}}, actor)


def conjecture_implications(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """The model's picks become its conjectures; the rest of what survived the examples, the data's."""
    from mathteam.agents.conjecturer import conjecture_implications as on_data_alone

    surviving = {c.id: c.statement for c in memory.claims(status="open")}
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
    on_data_alone(memory, task, runtime, shared)
    done = memory.task(task.id)
    memory.update_task_outputs(task.id, {**done.outputs, "picked_by_model": sorted(chosen),
                                         "model": picks is not None})


MODEL = {"conjecture": conjecture}
