"""The planner's plan for a magma-implications project: the task graph and the proving rounds."""

from __future__ import annotations

from mathteam.agents.magma.vocabulary import implication_claim, pair_task
from mathteam.domains.magma import bulk_planning
from mathteam.domains.magma.implications import TASK_PREFIX
from mathteam.domains.magma.laws import NamedLaw
from mathteam.domains.preorder import adjacency
from mathteam.memory import Actor, Claim, Memory, Task

ROUND_KEY, ROUND_REST = 2.0, 3.0


def make_plan(laws: list[NamedLaw], exhaustive_sizes: list[int] = (2, 3)) -> tuple[list[Task], list[Claim]]:
    """One task per ordered pair of laws, plus the computations that serve them, cheapest first."""
    author = Actor.role("planner").label()
    sizes = list(exhaustive_sizes)
    tasks = [
        Task(id="examples:exhaustive", kind="examples", role="example_generator", priority=0,
             title=f"Every magma of size {', '.join(map(str, sizes))}: which laws each satisfies",
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
            tasks.append(pair_task(a.name, b.name, ROUND_KEY, depends_on=["conjecture"]))
    tasks += [
        Task(id="formalize", kind="formalize", role="formalizer", priority=5, depends_on=[f"{TASK_PREFIX}*"],
             title="Write Lean 4 for every settled claim"),
        Task(id="report", kind="report", role="writer", priority=6, depends_on=["formalize"],
             title="Write the report"),
    ]
    return tasks, claims


def plan_rounds(memory: Memory, pairs: list[Task], actor: Actor) -> None:
    """Prove a spanning set of conjectures first; transitivity then settles most of the rest.

    Round one holds, for each class of laws conjectured equivalent, a cycle through the class,
    and between classes the edges of the transitive reduction of the conjectured order. Every
    other conjecture waits for round two, where it usually follows by transitivity.
    """
    names = sorted({t.inputs["hypothesis"] for t in pairs} | {t.inputs["conclusion"] for t in pairs})
    conjectured = {(t.inputs["hypothesis"], t.inputs["conclusion"]) for t in pairs
                   if (claim := memory.claim(t.inputs["claim"])) and claim.status == "conjectured"}
    key = key_pairs(names, conjectured)
    with memory.atomic():
        for task in pairs:
            edge = (task.inputs["hypothesis"], task.inputs["conclusion"])
            priority = ROUND_KEY if edge in key else ROUND_REST
            if priority != task.priority:
                memory.db.execute("update tasks set priority = ? where id = ?", [priority, task.id])
        memory.set_meta("rounds_planned", "yes")
        memory.record_event(actor, "ordered the proving rounds",
                            outputs={"round_one": len(key), "conjectured": len(conjectured)})


def key_pairs(names: list[str], edges: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Pairs whose proofs imply all of `edges` by transitivity, if the conjectures are true: the
    bulk planner's key pairs (one source), on names, kept to the conjectured edges themselves."""
    pairs = bulk_planning.key_pairs(adjacency(names, edges))
    return {(names[a], names[b]) for a, b in pairs} & edges
