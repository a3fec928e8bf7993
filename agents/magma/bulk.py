"""The magma question at research scale: the roles drive the bulk engine (tools/bulk_engine) phase by phase.

Above a few thousand pairs the team stops making one claim and one task per pair. The engine keeps
the implication matrix and an append-only evidence log in the run folder (it is its own checkpoint);
the memory holds what a person reads: one task per phase or proving round, one claim with checked
evidence per *direct* result (a prover's proof, a syntactic certificate, a mirror image), the
magmas that refute, and at the end one claim per pair nobody could settle, with the attempts.
Every other pair follows from those by transitivity, and the export names the evidence of each.
"""

from __future__ import annotations

import numpy as np
from langgraph.runtime import Runtime

from mathteam.agents.magma import pairs
from mathteam.agents.magma.engine import (  # noqa: F401 - open_engine: the benchmarks and tests open one
    deadline, engine_config, engine_for, open_engine, progress, prove_task, step_id, uses_bulk,
)
from mathteam.agents.magma.question import MagmaQuestion, example_id
from mathteam.agents.magma.vocabulary import implication_claim
from mathteam.domains.magma.implications import claim_id
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Claim, Evidence, Memory, Task
from mathteam.project import Project
from mathteam.tools.bulk_engine import FIRST_STEP, PROVERS, BulkEngine, Step, next_step
from mathteam.tools.bulk_provers import decompress
from mathteam.tools.bulk_reader import check_proof

EXAMPLES = Actor.role("example_generator", tool="numpy + SAT (bulk)")
CONJECTURER = Actor.role("conjecturer")
PLANNER = Actor.role("planner")
PROOF_ACTORS = {"eprover": Actor.role("prover", tool="eprover"), "z3": Actor.role("prover", tool="z3"),
                "dual": Actor.role("prover", tool="duality"),
                "instance": Actor.role("prover", tool="syntactic matching"),
                "singleton": Actor.role("prover", tool="syntactic matching"),
                "reflexivity": Actor.role("prover", tool="syntactic matching")}


def plan(project: Project) -> tuple[list[Task], list[Claim]]:
    """Phases, not pairs: examples, the implicit conjecture, syntactic proofs, then proving rounds."""
    count = len(project.config.domain.named_laws)
    tasks = [
        Task(id="bulk:examples", kind="bulk_examples", role="example_generator", priority=0,
             title="Every law on every magma of size ≤ 3, on affine and on matrix-affine magmas"),
        Task(id="bulk:conjecture", kind="bulk_conjecture", role="conjecturer", priority=1,
             depends_on=["bulk:examples"], title=f"Conjecture every one of the {count * (count - 1)} "
                                                 "implications no example refutes"),
        Task(id="bulk:syntactic", kind="bulk_syntactic", role="prover", priority=2,
             depends_on=["bulk:conjecture"], title="Syntactic proofs (singleton laws, instances, x = x)"),
        prove_task(project, FIRST_STEP.level, FIRST_STEP.round, "bulk:syntactic"),
        Task(id="report", kind="report", role="writer", priority=9, depends_on=["bulk:*"],
             title="Write the report"),
    ]
    return tasks, []


def follow_ups(memory: Memory, context: TeamContext) -> None:
    """The planner's next proving step, by the engine's own loop (`next_step`, which
    `BulkEngine.run` takes too): search after each round, then another round, a longer time limit,
    or the end (when a round tried nothing and the search found nothing). A small question's
    pairs decide when a pass of the loop begins and what its end means (agents/magma/pairs.py)."""
    project = context.project
    # Task ids sort as text ("…:10" before "…:9"), so rounds are ordered by their numbers.
    rounds = sorted(memory.tasks(kind="bulk_prove"),
                    key=lambda t: (t.inputs.get("pass", 1), t.inputs["level"], t.inputs["round"]))
    if not rounds or rounds[-1].status != "done":
        return
    last = rounds[-1]
    level, round_, pass_ = last.inputs["level"], last.inputs["round"], last.inputs.get("pass", 1)
    search_id = step_id("search", level, round_, pass_)
    search = memory.task(search_id)
    if search is not None and search.status != "done":
        return
    step = next_step(len(engine_config(project).e_seconds), Step("prove", level, round_),
                     last.outputs.get("tried", 0), search.outputs.get("found", 0) if search else None)
    if step is None:
        if uses_bulk(project) and memory.get_meta("bulk_open_recorded") != "yes":
            record_open_pairs(memory, project, engine_for(context, memory))
            memory.reopen_tasks(["report"], PLANNER, "pairs left open were recorded after the report")
    elif step.kind == "search":
        _add_work(memory, [Task(id=search_id, kind="bulk_search", role="example_generator",
                                priority=4, depends_on=[last.id], inputs=dict(last.inputs),
                                title=f"Targeted counterexample search where round {round_} failed")])
    else:
        _add_work(memory, [prove_task(project, step.level, step.round, search_id, pass_)])


def _add_work(memory: Memory, tasks: list[Task]) -> None:
    """New phase tasks; a report already written (a run that stopped early, resumed by a later
    version that has more to try) is written again at the end."""
    if memory.add_tasks(tasks, PLANNER):
        memory.reopen_tasks(["report"], PLANNER, "new work after the report was written")


def record(memory: Memory, context: TeamContext, engine: BulkEngine) -> None:
    """What a step found, into the memory: a bulk question's direct results (`sync`), a small
    question's answers pair by pair (pairs.settle)."""
    if uses_bulk(context.project):
        sync(memory, context.project, engine)
    else:
        pairs.settle(memory, context, engine)


def held(memory: Memory, context: TeamContext) -> np.ndarray | None:
    """The pairs the engine may not work on yet: a small question's pairs not cleared at its gates."""
    if uses_bulk(context.project):
        return None
    return pairs.held(memory, context, MagmaQuestion.of(context.project, memory))


def bulk_examples(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    engine = engine_for(runtime.context, memory)
    engine.progress = progress(runtime, "example_generator")
    engine.refute_with_families()
    with memory.atomic():
        record(memory, runtime.context, engine)
        memory.finish_tasks({task.id: {"counts": engine.matrix.counts(), "magmas": len(engine.log.magmas),
                                       "seconds": engine.timings}}, EXAMPLES)


def bulk_conjecture(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    counts = engine_for(runtime.context, memory).matrix.counts()
    reason = f"every pair no magma refutes: {counts}"
    with memory.atomic():
        memory.record_event(CONJECTURER, "conjectured in bulk", outputs=counts)
        memory.finish_tasks({task.id: {"counts": counts, "evidence": reason}}, CONJECTURER)


def bulk_syntactic(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    engine = engine_for(runtime.context, memory)
    engine.syntactic_phase()
    with memory.atomic():
        record(memory, runtime.context, engine)
        memory.finish_tasks({task.id: {"counts": engine.matrix.counts()}}, PROOF_ACTORS["instance"])


def bulk_prove(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    engine = engine_for(runtime.context, memory)
    engine.progress = progress(runtime, "example_generator")
    # No-ops once done: a run begun before a family existed gets it here, and a small question's
    # new pass (after laws were added, a fresh engine) starts with them.
    engine.refute_with_families()
    engine.progress = progress(runtime, "prover")
    fresh = not engine.log.marks.get("syntactic")
    engine.syntactic_phase()
    if fresh and not uses_bulk(runtime.context.project):
        # A small question's pairs the certificates settle are recorded before E starts.
        with memory.atomic():
            pairs.settle(memory, runtime.context, engine)
        runtime.stream_writer({"role": "prover", "activity": "syntactic proofs recorded"})
    seconds = task.inputs["seconds"]
    tried = engine.prove_round(seconds, deadline(runtime), held(memory, runtime.context))
    if not uses_bulk(runtime.context.project):
        with memory.atomic():
            pairs.settle(memory, runtime.context, engine)
        # A pair the engine holds true only through a pair held from it gets a proof of its own.
        if stranded := pairs.stranded(memory, runtime.context, engine):
            engine.prove_directly(stranded, seconds, deadline(runtime))
    with memory.atomic():
        record(memory, runtime.context, engine)
        memory.finish_tasks({task.id: {"tried": tried, "counts": engine.matrix.counts()}},
                            PROOF_ACTORS["eprover"])


def bulk_search(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    engine = engine_for(runtime.context, memory)
    engine.progress = progress(runtime, "example_generator")
    seconds = task.inputs["seconds"]
    found = engine.search_round(seconds, deadline(runtime), held(memory, runtime.context))
    with memory.atomic():
        record(memory, runtime.context, engine)
        memory.finish_tasks({task.id: {"found": found, "counts": engine.matrix.counts()}}, EXAMPLES)


def sync(memory: Memory, project: Project, engine: BulkEngine) -> None:
    """Copy the engine's new magmas and direct proofs into the memory, each proof re-checked."""
    names = [item.name for item in project.config.domain.named_laws]
    laws = [item.law for item in project.config.domain.named_laws]
    start = int(memory.get_meta("bulk_synced_magmas") or 0)
    for k in range(start, len(engine.log.magmas)):
        table = engine.log.table(k)
        source = engine.log.magmas[k]["source"]
        if not table:  # an infinite counter-model: a formula, kept in the engine's log and shown by the report
            continue
        memory.add_example(example_id(table), "magma", len(table), {"table": table, "engine_id": k}, source,
                           EXAMPLES)
    memory.set_meta("bulk_synced_magmas", str(len(engine.log.magmas)))
    start = int(memory.get_meta("bulk_synced_proofs") or 0)
    for k in range(start, len(engine.log.proofs)):
        proof = engine.log.proofs[k]
        a, b = names[proof["a"]], names[proof["b"]]
        cid = claim_id(a, b)
        actor = PROOF_ACTORS.get(proof["kind"], PROOF_ACTORS["eprover"])
        memory.add_claims([implication_claim(a, laws[proof["a"]], b, laws[proof["b"]], actor.label(),
                                             engine_proof=k)], actor)
        evidence = _evidence(cid, proof, names, check_proof(engine.log, laws, k))
        if evidence.accepted:
            memory.settle_claim(evidence, actor)
        else:  # its re-check refused it: kept for the audit, the claim stays as it was
            memory.add_evidence(evidence, actor)
    memory.set_meta("bulk_synced_proofs", str(len(engine.log.proofs)))


def _evidence(cid: str, proof: dict, names: list[str], accepted: bool) -> Evidence:
    kind = proof["kind"]
    if kind in PROVERS:
        return Evidence(claim_id=cid, kind="atp_proof", verdict="proves", accepted=accepted,
                        checker=f"{kind} status line re-read from its output",
                        payload={"tool": kind, "version": proof.get("version"), "status_line":
                                 proof.get("status_line"), "output": decompress(proof["output_z"])})
    if kind == "dual":
        return Evidence(claim_id=cid, kind="duality", verdict="proves", accepted=accepted,
                        checker="mirror laws re-derived; the mirrored proof re-checked",
                        payload={"engine_proof": proof["of"]})
    return Evidence(claim_id=cid, kind="syntactic_proof", verdict="proves", accepted=accepted,
                    checker="syntactic re-check", payload={k: v for k, v in proof.items() if k not in ("a", "b")})


def record_open_pairs(memory: Memory, project: Project, engine: BulkEngine) -> None:
    """The end: one open claim per pair nobody settled, saying what was tried."""
    from mathteam.domains.magma.implication_matrix import UNKNOWN

    names = [item.name for item in project.config.domain.named_laws]
    laws = project.config.domain.named_laws
    tried: dict[tuple[int, int], list[str]] = {}
    for attempt in engine.log.attempts:
        tried.setdefault((attempt["a"], attempt["b"]), []).append(
            f"{attempt['tool']} {attempt['effort']:g} s: {attempt['outcome']}")
    labels = engine.matrix.classes()

    def reason(a: int, b: int) -> str:
        if (a, b) in tried:
            return "; ".join(tried[(a, b)])
        ra, rb = int(labels[a]), int(labels[b])
        if (ra, rb) != (a, b):
            # Equivalent laws ask the same question: the engine works on class representatives.
            same = f"the same question as {names[ra]} implies {names[rb]} (equivalent laws, proved)"
            return same + (": " + "; ".join(tried[(ra, rb)]) if (ra, rb) in tried else "")
        return "not attempted: follows from no key pair"

    ii, jj = (engine.matrix.state == UNKNOWN).nonzero()
    claims = [implication_claim(names[a], laws[a].law, names[b], laws[b].law, PLANNER.label(), reason=reason(a, b))
              for a, b in zip(ii.tolist(), jj.tolist()) if a != b]
    with memory.atomic():
        memory.add_claims(claims, PLANNER)
        memory.set_meta("bulk_open_recorded", "yes")
