"""The planner's plan for a small magma-implications project: a claim and a task per ordered pair."""

from __future__ import annotations

from mathteam.agents.magma.vocabulary import implication_claim, pair_task
from mathteam.domains.magma.implications import TASK_PREFIX
from mathteam.domains.magma.laws import NamedLaw
from mathteam.memory import Actor, Claim, Task

PAIR_PRIORITY = 2.0


def make_plan(laws: list[NamedLaw], exhaustive_sizes: list[int] = (2, 3)) -> tuple[list[Task], list[Claim]]:
    """One task per ordered pair of laws, plus the computations that serve them, cheapest first.

    The engine's steps that settle the pairs are added as it goes (agents/magma/pairs.py): the
    pair tasks are closed by what they find, and the Lean files wait for those steps too."""
    author = Actor.role("planner").label()
    sizes = list(exhaustive_sizes)
    tasks = [
        Task(id="examples:exhaustive", kind="examples", role="example_generator", priority=0,
             title=f"Every magma of size {', '.join(map(str, sizes))}, and affine magmas: which laws each "
                   "satisfies",
             inputs={"sizes": sizes}),
        Task(id="conjecture", kind="conjecture", role="conjecturer", priority=1,
             depends_on=["examples:exhaustive"],
             title="Conjecture every implication that no example refutes"),
    ]
    claims = []
    for a in laws:
        for b in laws:
            if a.name == b.name:
                continue
            claims.append(implication_claim(a.name, a.law, b.name, b.law, author))
            tasks.append(pair_task(a.name, b.name, PAIR_PRIORITY, depends_on=["conjecture"]))
    tasks += [
        Task(id="formalize", kind="formalize", role="formalizer", priority=5, depends_on=[f"{TASK_PREFIX}*", "bulk:*"],
             title="Write Lean 4 for every settled claim"),
        Task(id="report", kind="report", role="writer", priority=6, depends_on=["formalize"],
             title="Write the report"),
    ]
    return tasks, claims
