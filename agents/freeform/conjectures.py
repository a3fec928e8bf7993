"""The conjecturer's free-form work: new conjectures from the computed data, by its model; it never settles anything.

The claims get status `conjectured`, authored by the role and its model; every later status change
comes from a checker.
"""

from __future__ import annotations

from langgraph.runtime import Runtime
from pydantic import Field

from mathteam.agents.llm.brain import Reply, as_json, ask_model, model_actor
from mathteam.agents.freeform.checks import check_task, claim_data, has_checkable_form
from mathteam.agents.freeform.compute import computed_data
from mathteam.graph.context import TeamContext
from mathteam.memory import Claim, Memory, Task

MOST = 8
"""Most conjectures kept from one reply."""


class Conjecture(Reply):
    statement: str = Field(min_length=1)
    """The conjecture, precise enough to be proved or refuted."""
    python: str | None = None
    """Python defining `holds(x) -> bool` (and `domain(x) -> bool`: where the claim ranges), when the
    claim can be tested instance by instance."""
    instances: str | None = None
    """With `python`: a Python expression for the instances you looked at, e.g. `range(0, 100)`."""
    sympy: str | None = None
    """The claim as a sympy identity `Eq(lhs, rhs)`, free symbols as integer variables, when it is one."""
    smt: str | None = None
    """The claim as one SMT-LIB 2 term over Int/Real/Bool, e.g. `(forall ((n Int)) (>= (* n n) 0))`."""
    lean_statement: str | None = None
    """The same statement as a Lean 4 proposition (what follows `theorem name :`), when it has one."""
    rationale: str = ""
    """Which data suggest it."""


class Conjectures(Reply):
    conjectures: list[Conjecture]
    """The conjectures, most promising first."""


def conjecture_freeform(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """New claims from the computed data, authored by the role and its model."""
    from mathteam.agents.freeform.research import context_for_conjecturer

    project = runtime.context.project
    known = [{"id": c.id, "statement": c.statement, "status": c.status} for c in memory.claims()]
    data = computed_data(memory)
    wanted = min(MOST, project.config.team.conjecture_candidates)
    user = "\n\n".join([
        f"# Goal\n\n{project.config.project.goal}",
        f"# This task\n\n{task.title}\n\n{task.inputs.get('instructions', '')}",
        f"# Computed data\n\n{as_json(data, 6000)}",
        f"# What the checkers found so far\n\n{as_json(context_for_conjecturer(memory), 4000)}",
        f"# Claims already in the project\n\n{as_json(known, 3000)}",
        f"Propose {wanted} new candidate conjectures (best-of-{wanted}: every one is checked), each with "
        f"the checkable forms it has (python with holds and domain, and instances; sympy; smt).",
    ])
    reply = ask_model(memory, task, runtime, "conjecturer", user, Conjectures)
    if reply is None:
        return
    actor = model_actor(runtime, "conjecturer")
    seen = {c.statement.strip() for c in memory.claims()}
    claims, dropped = [], []
    for item in reply.conjectures[:wanted]:
        if item.statement.strip() in seen:
            continue
        seen.add(item.statement.strip())
        forms, problem = usable_forms(item)
        if problem:
            dropped.append(f"{item.statement.strip()[:80]}: {problem}")
        claims.append(Claim(
            id=f"{task.id}:c{len(claims) + 1}", kind="conjecture", statement=item.statement.strip(),
            status="conjectured", author=actor.label(),
            reason=f"proposed by the conjecturer's model from {len(data)} computed results"
                   + (f": {item.rationale}" if item.rationale else ""),
            data=claim_data(forms) if has_checkable_form(forms) else
            ({"lean_statement": item.lean_statement} if item.lean_statement else {})))
    checks = [check_task(c, priority=task.priority + 1) for c in claims if has_checkable_form(c.data.get("forms", {}))]
    with memory.atomic():
        memory.add_claims(claims, actor)
        memory.add_tasks(checks, actor)
        memory.finish_tasks({task.id: {"conjectures": [c.id for c in claims], "forms_left_out": dropped,
                                       "result": f"{len(claims)} conjecture(s) proposed, {len(checks)} with "
                                                 f"forms to check"}}, actor)


def usable_forms(item) -> tuple[dict[str, str], str | None]:
    """The candidate's forms that read (checked as the project file's are); a form that does not is left out."""
    from pydantic import ValidationError

    from mathteam.domains.freeform.settings import ClaimSpec

    forms = {"statement": item.statement.strip(), "python": getattr(item, "python", None),
             "instances": getattr(item, "instances", None), "sympy": getattr(item, "sympy", None),
             "smt": getattr(item, "smt", None), "lean": item.lean_statement}
    forms = {k: v for k, v in forms.items() if v}
    try:
        ClaimSpec.model_validate(forms)
        return forms, None
    except ValidationError as error:
        problem = error.errors()[0]["msg"].removeprefix("Value error, ")
        return {"statement": forms["statement"], **({"lean": forms["lean"]} if "lean" in forms else {})}, \
            f"forms left out: {problem}"
