"""The planner's model brain: decomposes a free-form goal into a task graph for the other roles' model brains."""

from __future__ import annotations

import re
from typing import Literal

from langgraph.runtime import Runtime
from pydantic import Field

from mathteam.agents import review_requests
from mathteam.agents.llm.brain import Reply, ask_model, model_actor
from mathteam.graph.context import TeamContext
from mathteam.memory import Claim, Memory, Task
from mathteam.project import Project

DECOMPOSE = "plan:goal"
PREFIX = "ff:"
"""Ids of the tasks a decomposition creates; the report waits for every one of them."""
# Which role does each kind of free-form task; the planner only creates kinds whose role has a model.
KIND_ROLES = {"compute": "example_generator", "conjecture": "conjecturer", "prove": "prover",
              "formalize": "formalizer"}
_KEY = re.compile(r"[^a-z0-9_-]+")


class PlannedTask(Reply):
    key: str = Field(min_length=1, max_length=40)
    """A short identifier, unique in the plan (letters, digits, `-`, `_`)."""
    kind: Literal["compute", "conjecture", "prove", "formalize"]
    """compute: write and run Python for data; conjecture: propose statements from the data; prove:
    informal proofs with explicit gaps; formalize: Lean 4 proofs of statements that have a Lean form."""
    title: str = Field(min_length=1)
    """One line."""
    instructions: str = ""
    """What exactly to do, for the role that does it."""
    depends_on: list[str] = []
    """Keys of earlier tasks whose results this one needs."""


class PlannedClaim(Reply):
    statement: str = Field(min_length=1)
    """A precise mathematical statement the goal asks about."""
    python: str | None = None
    """Python defining `holds(x) -> bool` and `domain(x) -> bool`, when it can be tested instance by instance."""
    instances: str | None = None
    """With `python`: a Python expression for instances to test, e.g. `range(0, 1000)`."""
    sympy: str | None = None
    """The statement as a sympy identity `Eq(lhs, rhs)`, when it is one."""
    smt: str | None = None
    """The statement as one SMT-LIB 2 term, when it is first-order arithmetic."""
    lean_statement: str | None = None
    """The same statement as a Lean 4 proposition (what follows `theorem name :`), when it has one."""


class Plan(Reply):
    summary: str
    """How the plan attacks the goal, in two or three sentences."""
    tasks: list[PlannedTask]
    """The tasks, in an order that respects their dependencies."""
    claims: list[PlannedClaim] = []
    """Statements to settle that the goal itself poses, if any."""


def freeform_plan(project: Project) -> tuple[list[Task], list[Claim]]:
    """The seed plan: decompose the goal (the planner's model does it), and write the report after all."""
    from mathteam.agents.freeform.checks import TASK_PREFIX, posed_claims_plan

    domain = project.config.domain
    tasks, claims = posed_claims_plan(project)
    waits_for = [f"{TASK_PREFIX}*", f"{PREFIX}*"]
    if project.config.team.planner != "symbolic":
        tasks.insert(0, Task(id=DECOMPOSE, kind="decompose", role="planner", priority=0,
                             title=f"Decompose the goal into at most {domain.max_tasks} tasks",
                             inputs={"goal": project.config.project.goal, "max_tasks": domain.max_tasks}))
        waits_for.insert(0, DECOMPOSE)
    tasks.append(Task(id="report", kind="report", role="writer", priority=1000, depends_on=waits_for,
                      title="Write the report"))
    return tasks, claims


def available_kinds(project: Project) -> list[str]:
    team = project.config.team
    return [kind for kind, role in KIND_ROLES.items() if getattr(team, role) != "symbolic"]


def decompose(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Ask the model for a task graph, keep what fits (known kinds with a model, at most max_tasks, no
    dependency on a later task), and add it with the goal's claims in one transaction."""
    project = runtime.context.project
    kinds = available_kinds(project)
    user = "\n\n".join([
        f"# Goal\n\n{project.config.project.goal}",
        f"# Limits\n\nAt most {task.inputs['max_tasks']} tasks. Task kinds available (each has a "
        f"model to do it): {', '.join(kinds) or 'none'}.",
    ])
    plan = ask_model(memory, task, runtime, "planner", user, Plan)
    if plan is None:
        return
    tasks, dropped = tasks_from(plan, kinds, task.inputs["max_tasks"])
    actor = model_actor(runtime, "planner")
    from mathteam.agents.freeform.checks import check_task, claim_data, has_checkable_form
    from mathteam.agents.freeform.conjectures import usable_forms

    claims = []
    for k, c in enumerate(plan.claims[:task.inputs["max_tasks"]]):
        forms, _ = usable_forms(c)
        claims.append(Claim(id=f"goal:{k + 1}", kind="statement", statement=c.statement, status="open",
                            author=actor.label(), reason="posed by the goal",
                            data=claim_data(forms) if has_checkable_form(forms) else
                            ({"lean_statement": c.lean_statement} if c.lean_statement else {})))
    checks = [check_task(c, priority=0.5) for c in claims if has_checkable_form(c.data.get("forms", {}))]
    with memory.atomic():
        memory.add_tasks(tasks + checks, actor)
        memory.add_claims(claims, actor)
        memory.finish_tasks({task.id: {"result": f"{len(tasks)} task(s), {len(claims)} claim(s)",
                                       "summary": plan.summary, "tasks": [t.id for t in tasks],
                                       "claims": [c.id for c in claims], "dropped": dropped}}, actor)
        if "plan" in project.config.approval.gates:
            # The approval of the seed plan let the model plan; the plan it made needs its own.
            memory.set_meta("plan_approved", "")
            review_requests.request_plan_review(memory, runtime.context)


def tasks_from(plan: Plan, kinds: list[str], max_tasks: int) -> tuple[list[Task], list[str]]:
    """The plan's tasks as memory tasks, and a line for each planned task that was left out."""
    tasks: list[Task] = []
    dropped: list[str] = []
    keys: set[str] = set()
    for planned in plan.tasks:
        key = _KEY.sub("-", planned.key.lower()).strip("-") or f"t{len(tasks) + 1}"
        if planned.kind not in kinds:
            dropped.append(f"{key}: no model brain does {planned.kind} tasks")
        elif key in keys:
            dropped.append(f"{key}: the key is used twice")
        elif len(tasks) >= max_tasks:
            dropped.append(f"{key}: beyond the limit of {max_tasks} tasks")
        else:
            depends = [f"{PREFIX}{d}" for d in (_KEY.sub("-", d.lower()).strip("-") for d in planned.depends_on)
                       if d in keys]
            tasks.append(Task(id=f"{PREFIX}{key}", kind=planned.kind, role=KIND_ROLES[planned.kind],
                              priority=len(tasks) + 1, title=planned.title, depends_on=depends,
                              inputs={"instructions": planned.instructions}))
            keys.add(key)
    return tasks, dropped
