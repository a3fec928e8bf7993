"""The prover's magma work: settles conjectured implications, cheapest evidence first.

For each conjecture it tries, in order: a syntactic certificate (an instance of the hypothesis, a
trivial conclusion, a hypothesis forcing a single element), a chain of implications already
proved (transitivity), the dual of an implication already proved, for a person's conjecture the
smallest refuting magma known (every magma of size 2 and 3, then the examples in the memory), and
finally an automated prover (E when installed, else z3) with the project's time limit.
"""

from __future__ import annotations

from collections import deque

from langgraph.runtime import Runtime

from mathteam.agents.magma.question import MagmaQuestion, record_refutations, smallest_counterexample
from mathteam.agents.magma.proof_evidence import (
    atp_evidence, certificate_payload, chain_is_proved, dual_names,
)
from mathteam.domains.magma import syntactic
from mathteam.domains.magma.implications import claim_id
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Evidence, Memory, Task
from mathteam.tools import provers
from mathteam.tools.results import Disproved, Proved

SYNTACTIC = Actor.role("prover", tool="syntactic matching")
DERIVED = Actor.role("prover", tool="transitivity")
DUALITY = Actor.role("prover", tool="duality")
KNOWN = Actor.role("prover", tool="smallest known magma")


def prove_implication(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Try to prove one conjectured implication; record the attempt on its task."""
    config = runtime.context.project.config
    if "question" not in shared:
        shared["question"] = MagmaQuestion.of(runtime.context.project, memory)
        shared["duals"] = dual_names(shared["question"])
    claim = memory.claim(task.inputs["claim"])
    if claim is not None and claim.status == "conjectured":
        attempt = prove_one(memory, shared["question"], shared["duals"], task, config.budget.prover_seconds,
                            config.tools.prover)
    else:
        attempt = {"by": "prover", "result": f"already {claim.status if claim else 'gone'}"}
    attempts = [*task.outputs.get("attempts", []), attempt]
    memory.update_task_outputs(task.id, {**task.outputs, "attempts": attempts})
    runtime.stream_writer({"role": "prover", "done": task.id})


def prove_one(memory: Memory, question: MagmaQuestion, duals: dict[str, str], task: Task,
              seconds: float, prefer: str = "auto") -> dict:
    """One conjecture: the first method that yields accepted evidence settles it."""
    a, b = task.inputs["hypothesis"], task.inputs["conclusion"]
    cid = task.inputs["claim"]
    hypothesis, conclusion = question.law(a), question.law(b)

    certificate = syntactic.syntactic_proof(hypothesis, conclusion)
    if certificate is not None:
        memory.settle_claim(Evidence(
            claim_id=cid, kind="syntactic_proof", verdict="proves", checker="syntactic re-check",
            accepted=syntactic.check_certificate(hypothesis, conclusion, certificate),
            payload=certificate_payload(certificate)), SYNTACTIC)
        return {"by": "prover", "result": f"proved: {type(certificate).__name__}"}

    chain = proved_path(memory, a, b)
    if chain and chain_is_proved(memory, chain, a, b):
        memory.settle_claim(Evidence(
            claim_id=cid, kind="transitivity", verdict="proves", accepted=True,
            checker="each link re-read from memory as proved, links consecutive",
            payload={"chain": chain}), DERIVED)
        return {"by": "prover", "result": f"proved by transitivity through {len(chain)} claims"}

    if a in duals and b in duals:
        dual_claim = memory.claim(claim_id(duals[a], duals[b]))
        if dual_claim is not None and dual_claim.status == "proved":
            memory.settle_claim(Evidence(
                claim_id=cid, kind="duality", verdict="proves", accepted=True,
                checker="dual laws re-derived by mirroring terms; dual claim proved in memory",
                payload={"dual_claim": dual_claim.id}), DUALITY)
            return {"by": "prover", "result": f"proved as the dual of {dual_claim.id}"}

    claim = memory.claim(cid)
    if claim is not None and claim.author.startswith("person "):
        # A person's conjecture was never part of the exhaustive pass: refute it with the smallest
        # magma known, before a prover or a search offers a larger one.
        found = smallest_counterexample(memory, hypothesis, conclusion)
        if found is not None:
            table, source = found
            if record_refutations(memory, question, [(question.index[a], question.index[b], table)], KNOWN,
                                  source=source):
                return {"by": "prover", "result": f"refuted by a magma of size {len(table)} ({source})"}

    result = provers.prove(hypothesis, conclusion, seconds, prefer=prefer)
    actor = Actor.role("prover", tool=result.tool, tool_version=result.version)
    if isinstance(result, Proved):
        memory.settle_claim(atp_evidence(cid, result), actor, seconds=result.seconds)
        return {"by": "prover", "result": f"proved by {result.tool}", "seconds": round(result.seconds, 3)}
    if isinstance(result, Disproved) and result.table:
        i, j = question.index[a], question.index[b]
        if record_refutations(memory, question, [(i, j, [list(r) for r in result.table])], actor,
                              source=f"{result.tool} counter-model"):
            return {"by": "prover", "result": f"refuted by a {result.tool} counter-model"}
    reason = getattr(result, "reason", result.outcome)
    memory.record_event(actor, "proof attempt failed", subject=cid,
                        outputs={"outcome": result.outcome, "reason": reason}, seconds=result.seconds)
    return {"by": "prover", "result": f"{result.tool}: {result.outcome} ({reason}) after "
                                      f"{result.seconds:.1f} s", "seconds": round(result.seconds, 3)}


def proved_path(memory: Memory, start: str, goal: str) -> list[str] | None:
    """Claim ids of a shortest chain of proved implications from `start` to `goal`, if any."""
    edges: dict[str, list[str]] = {}
    for claim in memory.claims(status="proved"):
        edges.setdefault(claim.data["hypothesis"], []).append(claim.data["conclusion"])
    previous: dict[str, str] = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in edges.get(node, []):
            if nxt not in previous:
                previous[nxt] = node
                if nxt == goal:
                    path = [goal]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    path.reverse()
                    return [claim_id(x, y) for x, y in zip(path, path[1:])]
                queue.append(nxt)
    return None
