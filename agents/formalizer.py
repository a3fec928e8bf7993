"""The Lean formalizer: Lean 4 statements and proofs for settled claims, checked when Lean exists.

Refutations become finite operation tables decided by `decide`; syntactic proofs become direct
instantiations of the hypothesis; transitivity chains compose earlier theorems. Automated-prover
proofs and duality get no Lean file yet, and say so. Without a Lean toolchain every file is
recorded `not checked`, never verified.
"""

from __future__ import annotations

from pathlib import Path

from langgraph.runtime import Runtime

from mathteam.agents.magma_question import MagmaQuestion
from mathteam.domains.magma import lean
from mathteam.graph.context import TeamContext
from mathteam.graph.state import WorkBatch
from mathteam.memory import Actor, Artifact, Evidence, Memory
from mathteam.tools import lean_check

ACTOR = Actor.role("formalizer", tool="lean templates")
LIBRARY = "MathTeamProofs"
REFUTATIONS_PER_MODULE = 250


def formalizer(batch: WorkBatch, runtime: Runtime[TeamContext]) -> dict:
    context = runtime.context
    with context.memory() as memory:
        outputs = formalize(memory, MagmaQuestion.of(context.project, memory), context.project.run_dir / "lean")
        memory.finish_tasks({task_id: outputs for task_id in batch["task_ids"]}, ACTOR)
    return {}


def formalize(memory: Memory, question: MagmaQuestion, lean_dir: Path) -> dict:
    """Write the Lean project for every settled claim; returns counts and why some have no Lean."""
    refutations: list[tuple[str, str]] = []   # (claim id, theorem source)
    proofs: list[tuple[str, str]] = []
    proved_in_lean: set[str] = set()
    skipped: dict[str, int] = {}
    for item in _settling_evidence(memory):
        theorem = theorem_for(question, item, proved_in_lean)
        if theorem is None:
            skipped[item.kind] = skipped.get(item.kind, 0) + 1
        elif item.verdict == "refutes":
            refutations.append((item.claim_id, theorem))
        else:
            proofs.append((item.claim_id, theorem))
            proved_in_lean.add(item.claim_id)

    modules: dict[str, list[tuple[str, str]]] = {}
    for start in range(0, len(refutations), REFUTATIONS_PER_MODULE):
        modules[f"Refutations{start // REFUTATIONS_PER_MODULE + 1}"] = refutations[start:start + REFUTATIONS_PER_MODULE]
    if proofs:
        modules["Implications"] = proofs
    sources = {name: lean.lean_module(name, [t for _, t in items], _laws_used(question, items))
               for name, items in modules.items()}
    for name, source in sources.items():
        if lean.forbidden_constructs(source):
            raise ValueError(f"generated Lean module {name} contains {lean.forbidden_constructs(source)}")
    files = lean.project_files("mathteam_proofs", sources, LIBRARY)
    for relative, text in files.items():
        target = lean_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    toolchain = lean_check.find_lean()
    with memory.atomic():
        for name, items in modules.items():
            relative = f"lean/{LIBRARY}/{name}.lean"
            status, detail = _check(lean_dir / LIBRARY / f"{name}.lean", toolchain)
            memory.add_artifact(Artifact(id=f"lean:{relative}", kind="lean", path=relative,
                                         check_status=status, detail=detail), ACTOR)
            for claim_id, _ in items:
                memory.db["artifacts"].upsert({
                    "id": f"lean:{claim_id}", "kind": "lean", "path": f"{relative}", "claim_id": claim_id,
                    "check_status": status, "detail": detail}, pk="id")
    return {"modules": len(modules), "refutations": len(refutations), "proofs": len(proofs),
            "without_lean": skipped, "check": "not checked" if toolchain is None else "lean"}


def theorem_for(question: MagmaQuestion, evidence: Evidence, proved_in_lean: set[str]) -> str | None:
    """Lean source settling the evidence's claim, or None where we cannot write one yet."""
    a, b = evidence.claim_id.split("=>")
    hypothesis, conclusion = question.law(a), question.law(b)
    payload = evidence.payload
    if evidence.kind == "counterexample":
        return lean.refutation_theorem(a, hypothesis, b, conclusion, payload["table"])
    if evidence.kind == "syntactic_proof":
        certificate = payload["certificate"]
        if certificate == "Reflexivity":
            return lean.reflexivity_theorem(a, hypothesis, b, conclusion)
        if certificate == "SingletonHypothesis":
            return lean.singleton_theorem(a, hypothesis, b, conclusion)
        mapping = {int(v): _term(t) for v, t in payload["mapping"]}
        return lean.instance_proof_theorem(a, hypothesis, b, conclusion, mapping, False, payload["swapped"])
    if evidence.kind == "transitivity" and all(link in proved_in_lean for link in payload["chain"]):
        return composition_theorem(a, b, payload["chain"])
    return None


def composition_theorem(a: str, b: str, chain: list[str]) -> str:
    """`A → B` from the chain `A → X → … → B` of theorems already written in the same module."""
    applied = "h"
    for link in chain:
        x, y = link.split("=>")
        applied = f"({x}_implies_{y} G {applied})"
    return (f"theorem {a}_implies_{b} (G : Type) [Magma G] (h : {a} G) : {b} G :=\n"
            f"  {applied}\n")


def _term(value):
    """JSON turned the certificate's tuples into lists; terms need tuples again."""
    return value if isinstance(value, int) else (_term(value[0]), _term(value[1]))


def _settling_evidence(memory: Memory) -> list[Evidence]:
    """The first accepted evidence of each settled claim, in the order it was found, so that a
    transitivity chain comes after its links."""
    settled = {claim.id for claim in memory.claims(status=["proved", "refuted"])}
    first: dict[str, Evidence] = {}
    for item in memory.evidence():
        if item.accepted and item.claim_id in settled:
            first.setdefault(item.claim_id, item)
    return list(first.values())


def _laws_used(question: MagmaQuestion, items: list[tuple[str, str]]) -> dict:
    names = {name for claim_id, _ in items for name in claim_id.split("=>")}
    return {item.name: item.law for item in question.named if item.name in names}


def _check(path: Path, toolchain) -> tuple[str, str]:
    if toolchain is None:
        return "not checked", "no Lean toolchain found; the file was not compiled"
    result = lean_check.check_lean_file(path, toolchain)
    if isinstance(result, lean_check.Compiled):
        return "compiled", f"compiled in {result.seconds:.1f} s"
    return "failed", f"{result.outcome}"
