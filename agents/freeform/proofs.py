"""The prover's model brain: informal proofs with their gaps said out loud, kept as evidence no checker accepted.

An informal proof changes no status: the claim stays `conjectured` (or `open`) until a checker, such
as Lean through the formalizer, accepts evidence for it.
"""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime

from mathteam.agents.llm.brain import Reply, as_json, ask_model, model_actor
from mathteam.agents.freeform.compute import computed_data
from mathteam.graph.context import TeamContext
from mathteam.memory import Evidence, Memory, Task

PER_TASK = 3
"""Most claims one prove task attempts."""
CHECKER = "none: no checker reads informal proofs; the claim keeps its status"


class InformalProof(Reply):
    verdict: Literal["proof", "disproof", "no_proof"]
    """`proof` or `disproof` when the argument is complete up to the gaps listed, `no_proof` otherwise."""
    argument: str
    """The proof (or disproof, or the partial argument), step by step."""
    gaps: list[str] = []
    """Every step that is asserted rather than shown; empty only for a complete argument."""
    sketch: str = ""
    """The idea in two or three sentences."""
    sympy: str | None = None
    """If the claim is exactly a sympy identity `Eq(lhs, rhs)` it does not carry yet: that form, for the checkers."""
    smt: str | None = None
    """If the claim is exactly an SMT-LIB 2 term it does not carry yet (e.g. `(forall ((n Int)) ...)`): that form."""


def targets(memory: Memory) -> list:
    """Unsettled free-form claims that have no informal proof yet, oldest first."""
    tried = {e.claim_id for e in memory.evidence(kind="informal_proof")}
    tried |= {e.subject for e in memory.events() if e.action == "no proof found"}
    # `checked` claims first: every instance tried holds, so a proof is what they lack.
    return [c for c in memory.claims(status=["checked", "open", "conjectured"])
            if c.kind in ("conjecture", "statement") and c.id not in tried]


def prove(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """One informal proof per claim, up to ``PER_TASK`` claims; each kept with ``accepted=False``."""
    attempted = list(task.outputs.get("attempted", []))
    project = runtime.context.project
    for claim in [c for c in targets(memory) if c.id not in attempted][:PER_TASK - len(attempted)]:
        user = "\n\n".join([
            f"# Goal of the project\n\n{project.config.project.goal}",
            f"# Task\n\n{task.title}\n\n{task.inputs.get('instructions', '')}",
            f"# Claim {claim.id}\n\n{claim.statement}",
            f"# Computed data\n\n{as_json(computed_data(memory), 3000)}",
        ])
        proof = ask_model(memory, task, runtime, "prover", user, InformalProof)
        if proof is None:
            return
        actor = model_actor(runtime, "prover")
        with memory.atomic():
            if proof.verdict != "no_proof":
                memory.add_evidence(Evidence(
                    claim_id=claim.id, kind="informal_proof", accepted=False, checker=CHECKER,
                    verdict="proves" if proof.verdict == "proof" else "refutes",
                    payload={"argument": proof.argument, "gaps": proof.gaps, "sketch": proof.sketch}), actor)
            else:
                memory.record_event(actor, "no proof found", subject=claim.id,
                                    outputs={"sketch": proof.sketch, "gaps": proof.gaps})
            attempted.append(claim.id)
            memory.update_task_outputs(task.id, {**(memory.task(task.id).outputs), "attempted": attempted})
        offer_forms(memory, claim, proof, actor, task)
    memory.finish_tasks({task.id: {**memory.task(task.id).outputs, "attempted": attempted,
                                   "result": f"{len(attempted)} claim(s) attempted; informal proofs are not checked"}},
                        model_actor(runtime, "prover"))


def offer_forms(memory: Memory, claim, proof: InformalProof, actor, task: Task) -> None:
    """A sympy or SMT form the prover offers for a claim that lacks it joins the claim's forms (re-pinned)
    and gets its own check task; only the checker's verdict on it can prove the claim."""
    from pydantic import ValidationError

    from mathteam.agents.freeform.checks import check_task, claim_data
    from mathteam.domains.freeform.settings import ClaimSpec

    forms = dict(claim.data.get("forms") or {"statement": claim.statement})
    offered = {k: v for k, v in (("sympy", proof.sympy), ("smt", proof.smt)) if v and not forms.get(k)}
    if not offered:
        return
    try:
        ClaimSpec.model_validate({**forms, **offered})
    except ValidationError as error:
        memory.record_event(actor, "forms offered did not read", subject=claim.id,
                            outputs={"offered": offered, "problem": error.errors()[0]["msg"]})
        return
    data = {**claim.data, **claim_data({**forms, **offered})}
    number = sum(1 for t in memory.tasks(kind="check_claim") if t.inputs.get("claim") == claim.id) + 1
    check = check_task(claim, priority=task.priority + 1)
    check = check.model_copy(update={"id": f"{check.id}@{number}", "title": f"Check the prover's form(s) "
                                     f"{', '.join(offered)} of {claim.id}"})
    with memory.atomic():
        memory.update_claim_data(claim.id, data, actor, reason=f"the prover offered {', '.join(offered)}")
        memory.add_tasks([check], actor)
