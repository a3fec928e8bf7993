"""The conjecturer's free-form work: new conjectures from the computed data, by its model; it never settles anything.

The claims get status `conjectured`, authored by the role and its model; every later status change
comes from a checker.
"""

from __future__ import annotations

from langgraph.runtime import Runtime
from pydantic import Field

from mathteam.agents.llm.brain import Reply, as_json, ask_model, model_actor
from mathteam.agents.freeform.compute import computed_data
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


def conjecture_freeform(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """New claims from the computed data, authored by the role and its model."""
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
