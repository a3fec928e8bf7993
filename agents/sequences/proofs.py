"""The prover's sequence work: sympy proofs that two descriptions agree; everything else stays conjectured.

Only an identity between descriptions is proved here (a closed form satisfies a recurrence and its
initial values; a rational generating function matches a constant-coefficient recurrence). That the
objects a definition counts satisfy a recurrence guessed from their numbers is not something sympy
shows: such a claim stays `conjectured, checked up to n = N`, and its task ends saying so.
"""

from __future__ import annotations

import sympy as sp
from langgraph.runtime import Runtime

from mathteam.domains.sequences.guess import ClosedForm, RationalGF, Recurrence
from mathteam.domains.sequences.prove import (
    Proof, prove_closed_form_satisfies_recurrence, prove_rational_gf_matches_recurrence,
)
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Claim, Evidence, Memory, Task

ACTOR = Actor.role("prover", tool="sympy", tool_version=sp.__version__)
METHODS = {
    "closed_form_recurrence": (ClosedForm, prove_closed_form_satisfies_recurrence),
    "rational_gf_recurrence": (RationalGF, prove_rational_gf_matches_recurrence),
}


def prove_sequence_claim(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Prove an agreement claim with sympy (evidence re-checked before it counts), or say why not."""
    claim = memory.claim(task.inputs["claim"])
    if claim is None or claim.status != "conjectured":
        memory.finish_tasks({task.id: {"result": f"already {claim.status if claim else 'gone'}"}}, ACTOR)
        return
    if claim.kind != "sequence_agreement":
        memory.finish_tasks({task.id: {"result": "conjectured", "reason": not_provable_reason(memory, runtime,
                                                                                               claim)}}, ACTOR)
        return
    proof = attempt(claim.data)
    if proof is None:
        reason = f"sympy could not show it; {claim.reason}"
        memory.finish_tasks({task.id: {"result": "conjectured", "reason": reason}}, ACTOR)
        return
    payload = {**{k: claim.data[k] for k in ("method", "other", "recurrence", "terms")},
               "statement": proof.statement, "steps": list(proof.steps), "sympy": sp.__version__}
    evidence = Evidence(claim_id=claim.id, kind="symbolic_proof", verdict="proves", accepted=recheck(payload),
                        checker=f"sympy {sp.__version__}: proof re-derived from the stored descriptions",
                        payload=payload)
    with memory.atomic():
        if evidence.accepted:
            memory.settle_claim(evidence, ACTOR)
        result = "proved" if evidence.accepted else "conjectured"
        memory.finish_tasks({task.id: {"result": result, "statement": proof.statement}}, ACTOR)
    runtime.stream_writer({"role": "prover", "done": task.id})


def attempt(data: dict) -> Proof | None:
    """The sympy proof for an agreement claim's data, or None."""
    model, prove = METHODS[data["method"]]
    return prove(model.model_validate(data["other"]), Recurrence.model_validate(data["recurrence"]), data["terms"])


def recheck(payload: dict) -> bool:
    """The checker: rebuild both descriptions from the evidence alone and redo every symbolic step;
    accepted only if the same statement comes out."""
    try:
        proof = attempt(payload)
    except (KeyError, ValueError, TypeError, sp.SympifyError):
        return False
    return proof is not None and proof.statement == payload["statement"]


def not_provable_reason(memory: Memory, runtime: Runtime[TeamContext], claim: Claim) -> str:
    """Why a guessed formula or relation stays a conjecture, in words, with how far it was checked."""
    checked = f"conjectured, {claim.reason}"
    if claim.kind == "sequence_relation":
        return f"a relation found in the data, not proved symbolically; {checked}"
    spec = next((s for s in runtime.context.project.config.domain.sequences
                 if s.name == claim.data.get("sequence")), None)
    if spec is not None and spec.code is not None:
        return f"guessed from the terms of a sequence defined by counting: not proved by sympy; {checked}"
    return f"guessed from the given terms (no definition to reason about); {checked}"
