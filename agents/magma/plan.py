"""The planner's plan for a magma-implications project: the task graph and the proving rounds."""

from __future__ import annotations

import numpy as np

from mathteam.domains.preorder import transitive_closure
from mathteam.domains.magma.laws import NamedLaw
from mathteam.memory import Actor, Claim, Memory, Task

ROUND_KEY, ROUND_REST = 2.0, 3.0


def claim_id(hypothesis: str, conclusion: str) -> str:
    return f"{hypothesis}=>{conclusion}"


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
            cid = claim_id(a.name, b.name)
            claims.append(Claim(
                id=cid, kind="implication", author=author,
                statement=f"{a.name} ({a.law}) implies {b.name} ({b.law})",
                data={"hypothesis": a.name, "conclusion": b.name,
                      "hypothesis_law": str(a.law), "conclusion_law": str(b.law)}))
            tasks.append(Task(
                id=f"pair:{cid}", kind="implication", role="prover", priority=ROUND_KEY,
                depends_on=["conjecture"], title=f"Settle {a.name} => {b.name}",
                inputs={"claim": cid, "hypothesis": a.name, "conclusion": b.name}))
    tasks += [
        Task(id="formalize", kind="formalize", role="formalizer", priority=5, depends_on=["pair:*"],
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
    """Pairs whose proofs imply all of `edges` by transitivity, if the conjectures are true."""
    index = {name: i for i, name in enumerate(names)}
    n = len(names)
    adjacency = np.zeros((n, n), dtype=bool)
    for a, b in edges:
        adjacency[index[a], index[b]] = True
    reach = transitive_closure(adjacency)
    mutual = reach & reach.T
    np.fill_diagonal(mutual, True)
    classes: dict[int, list[int]] = {}
    representative = [int(np.flatnonzero(mutual[i])[0]) for i in range(n)]
    for i, rep in enumerate(representative):
        classes.setdefault(rep, []).append(i)

    key: set[tuple[str, str]] = set()
    for members in classes.values():
        if len(members) > 1:
            for a, b in zip(members, members[1:] + members[:1]):
                key.add((names[a], names[b]))
    reps = sorted(classes)
    between = {(s, t) for s in reps for t in reps if s != t and reach[s, t]}
    for s, t in between:
        if not any((s, u) in between and (u, t) in between for u in reps if u not in (s, t)):
            key.add((names[s], names[t]))
    return key & edges
