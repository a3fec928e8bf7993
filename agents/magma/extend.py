"""Adding laws to a magma project that has already run, without redoing its work.

The pairs already settled stay settled, with their evidence; the new laws' pairs get their claims
and tasks, and only the steps that must see them run again: every small magma is evaluated once
more (it refutes only pairs still open), the conjecturer turns the new survivors into conjectures,
a new pass of the engine's proving loop takes the new pairs (agents/magma/pairs.py), then the Lean
files and the report are rewritten.
"""

from __future__ import annotations

from mathteam.agents.magma import schedule
from mathteam.memory import Actor, Memory
from mathteam.project import Project

ACTOR = Actor.role("planner")
REDONE = ("examples:exhaustive", "conjecture", "formalize", "report")
"""The steps that run again for the new pairs; each works only on what is not settled."""


def extend_question(project: Project, memory: Memory) -> str:
    """Add the new laws' pairs to the plan and reopen the steps that must see them; returns what
    was done, in words."""
    tasks, claims = schedule.make_plan(project)
    with memory.atomic():
        new_claims = memory.add_claims(claims, ACTOR)
        new_tasks = memory.add_tasks(tasks, ACTOR)
        reopened = memory.reopen_tasks([task_id for task_id in REDONE if (task := memory.task(task_id))
                                        and task.status == "done"], ACTOR,
                                       f"laws were added: {new_claims} new pairs to settle")
    return (f"{new_claims} new ordered pairs ({new_tasks} tasks) for the added laws; the {reopened} "
            "steps that must see them run again, and every pair already settled stays settled")
