"""The formalizer's magma work: Lean 4 statements and proofs for settled implications, checked and gated when Lean exists.

Refutations become finite operation tables decided by `decide`; syntactic proofs become direct
instantiations of the hypothesis; transitivity chains compose earlier theorems; E prover proofs
are replayed into equational derivations that our own checker accepts, then written as `calc`
chains; a dual claim is proved from its mirror image at the opposite magma. z3 proofs get no
Lean file yet, and say so. Each module is checked with
`#print axioms` for every theorem and routed through the acceptance gate: only what it accepts
counts, theorem by theorem: a proved claim becomes `formally_verified` when the gate accepts its
own theorem, even if another theorem of the module is broken; each rejected theorem's artifact
records why. Without a Lean toolchain every file is recorded `not checked`, never verified.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from langgraph.runtime import Runtime

from mathteam.agents.magma.question import MagmaQuestion
from mathteam.domains.magma import derivation, lean
from mathteam.domains.magma.lean_duality import duality_theorem
from mathteam.domains.magma.implications import parse_claim_id
from mathteam.domains.magma.lean_eproof import Unreconstructed, reconstruct
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Artifact, Evidence, Memory, Task
from mathteam.tools import lean_check, lean_gate, lean_repl
from mathteam.tools.eprover import extract_proof_steps

ACTOR = Actor.role("formalizer", tool="lean templates")
LIBRARY = "MathTeamProofs"
REFUTATIONS_PER_MODULE = 250
CHECK_SECONDS = 600


@dataclass(frozen=True)
class Formal:
    """One claim's Lean theorem, or why it has none."""

    claim_id: str
    proves: bool
    source: str | None
    reason: str = ""


def formalize_task(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Formalize every settled claim, once per batch; each task of the batch records the same counts."""
    if "lean" not in shared:
        project = runtime.context.project
        shared["lean"] = formalize(memory, MagmaQuestion.of(project, memory), project.run_dir / "lean")
    memory.finish_tasks({task.id: shared["lean"]}, ACTOR)


def formalize(memory: Memory, question: MagmaQuestion, lean_dir: Path) -> dict:
    """Write, check and gate the Lean project for every settled claim; returns counts and why some have no Lean."""
    refutations: list[Formal] = []
    proofs: list[Formal] = []
    proved_in_lean: set[str] = set()
    skipped: dict[str, int] = {}
    reasons: dict[str, str] = {}
    for item in _settling_evidence(memory):
        formal = formal_for(question, item, proved_in_lean)
        if formal.source is None:
            skipped[item.kind] = skipped.get(item.kind, 0) + 1
            reasons[item.claim_id] = formal.reason
        elif not formal.proves:
            refutations.append(formal)
        else:
            proofs.append(formal)
            proved_in_lean.add(item.claim_id)

    modules: dict[str, list[Formal]] = {}
    for start in range(0, len(refutations), REFUTATIONS_PER_MODULE):
        modules[f"Refutations{start // REFUTATIONS_PER_MODULE + 1}"] = refutations[start:start + REFUTATIONS_PER_MODULE]
    if proofs:
        modules["Implications"] = proofs
    sources, approvals = {}, {}
    for name, items in modules.items():
        laws = _laws_used(question, items)
        body = lean.lean_module(name, [f.source for f in items], laws)
        if lean.forbidden_constructs(body):
            raise ValueError(f"generated Lean module {name} contains {lean.forbidden_constructs(body)}")
        sources[name] = lean_gate.with_axiom_prints(body, [f"{lean.NAMESPACE}.{_theorem(f)}" for f in items])
        approvals[name] = lean_gate.approve(lean.module_header(name, laws), {
            _theorem(f): lean.approved_statement(*parse_claim_id(f.claim_id), proves=f.proves) for f in items},
            namespace=lean.NAMESPACE)
    for relative, text in lean.project_files("mathteam_proofs", sources, LIBRARY).items():
        target = lean_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    toolchain = lean_check.find_lean()
    checker = f"{lean_check.lean_version(toolchain)} + acceptance gate" if toolchain else ""
    # Lean runs before the write transaction opens: a long check must not hold the memory's lock.
    repl = lean_repl.open_repl() if toolchain is not None else None
    try:
        checks = {name: _check(lean_dir / LIBRARY / f"{name}.lean", sources[name], toolchain, approvals[name], repl)
                  for name in modules}
    finally:
        if repl is not None:
            repl.close()
    verified = 0
    rejected: dict[str, str] = {}
    with memory.atomic():
        for name, items in modules.items():
            relative = f"lean/{LIBRARY}/{name}.lean"
            status, detail, report = checks[name]
            memory.add_artifact(Artifact(id=f"lean:{relative}", kind="lean", path=relative,
                                         check_status=status, detail=detail), ACTOR)
            for formal in items:
                theorem_status, theorem_detail = status, detail
                if report is not None:
                    verdict = report.theorems[_theorem(formal)]
                    if isinstance(verdict, lean_gate.TheoremAccepted):
                        theorem_status, theorem_detail = "compiled", "acceptance gate passed for this theorem"
                        verified += _record_lean_evidence(memory, formal, relative, checker, verdict.axioms)
                    else:
                        theorem_status, theorem_detail = "failed", "rejected: " + "; ".join(verdict.reasons)[:2000]
                        rejected[formal.claim_id] = theorem_detail
                memory.db["artifacts"].upsert({
                    "id": f"lean:{formal.claim_id}", "kind": "lean", "path": relative,
                    "claim_id": formal.claim_id, "check_status": theorem_status, "detail": theorem_detail}, pk="id")
        if reasons:
            memory.record_event(ACTOR, "no Lean proof", inputs={"count": len(reasons)},
                                outputs={"reasons": dict(list(reasons.items())[:50])})
        if rejected:
            memory.record_event(ACTOR, "Lean theorems rejected", inputs={"count": len(rejected)},
                                outputs={"reasons": dict(list(rejected.items())[:50])})
    return {"modules": len(modules), "refutations": len(refutations), "proofs": len(proofs),
            "without_lean": skipped, "formally_verified": verified,
            "rejected_by_gate": len(rejected),
            "check": "not checked" if toolchain is None else "lean"}


def formal_for(question: MagmaQuestion, evidence: Evidence, proved_in_lean: set[str]) -> Formal:
    """The claim's Lean theorem from its evidence, or the reason there is none."""
    proves = evidence.verdict == "proves"
    try:
        source = theorem_for(question, evidence, proved_in_lean)
    except _NoLean as reason:
        return Formal(evidence.claim_id, proves, None, str(reason))
    if source is None:
        return Formal(evidence.claim_id, proves, None, f"no Lean template for {evidence.kind} evidence yet")
    return Formal(evidence.claim_id, proves, source)


class _NoLean(Exception):
    """This evidence yields no Lean theorem; the message says why."""


def theorem_for(question: MagmaQuestion, evidence: Evidence, proved_in_lean: set[str]) -> str | None:
    """Lean source settling the evidence's claim, or None where we cannot write one yet."""
    a, b = parse_claim_id(evidence.claim_id)
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
    if evidence.kind == "transitivity":
        if all(link in proved_in_lean for link in payload["chain"]):
            return composition_theorem(a, b, payload["chain"])
        raise _NoLean("a link of the transitivity chain has no Lean proof")
    if evidence.kind == "duality":
        dual_claim = payload["dual_claim"]
        if dual_claim not in proved_in_lean:
            raise _NoLean(f"the dual claim {dual_claim} has no Lean proof")
        a2, b2 = parse_claim_id(dual_claim)
        return duality_theorem(a, hypothesis, b, conclusion, a2, question.law(a2), b2, question.law(b2))
    if evidence.kind == "atp_proof":
        if payload.get("tool") != "eprover":
            raise _NoLean(f"no Lean translation for {payload.get('tool')} proofs")
        rebuilt = reconstruct(hypothesis, conclusion, extract_proof_steps(payload.get("output", "")))
        if isinstance(rebuilt, Unreconstructed):
            raise _NoLean(f"E proof not replayed: {rebuilt.reason}")
        return derivation.lean_theorem(a, hypothesis, b, conclusion, rebuilt)
    return None


def composition_theorem(a: str, b: str, chain: list[str]) -> str:
    """`A → B` from the chain `A → X → … → B` of theorems already written in the same module."""
    applied = "h"
    for link in chain:
        x, y = parse_claim_id(link)
        applied = f"({x}_implies_{y} G {applied})"
    return (f"theorem {a}_implies_{b} (G : Type) [Magma G] (h : {a} G) : {b} G :=\n"
            f"  {applied}\n")


def _theorem(formal: Formal) -> str:
    return lean.implication_name(*parse_claim_id(formal.claim_id), proves=formal.proves)


def _term(value):
    """JSON turned the certificate's tuples into lists; terms need tuples again."""
    return value if isinstance(value, int) else (_term(value[0]), _term(value[1]))


def _settling_evidence(memory: Memory) -> list[Evidence]:
    """The first accepted evidence of each settled claim, in the order it was found, so that a
    transitivity chain comes after its links. Lean evidence is our own output, never our input."""
    settled = {claim.id for claim in memory.claims(status=["proved", "refuted", "formally_verified"])}
    first: dict[str, Evidence] = {}
    for item in memory.evidence():
        if item.accepted and item.claim_id in settled and item.kind != "lean":
            first.setdefault(item.claim_id, item)
    return list(first.values())


def _laws_used(question: MagmaQuestion, items: list[Formal]) -> dict:
    names = {name for formal in items for name in parse_claim_id(formal.claim_id)}
    return {item.name: item.law for item in question.named if item.name in names}


def _check(path: Path, source: str, toolchain, approval: lean_gate.Approval,
           repl: lean_repl.ReplSession | None = None) -> tuple[str, str, lean_gate.GateReport | None]:
    """The module's check status and detail, and the gate's verdict on each of its theorems
    (None where no Lean ran). One broken theorem rejects only itself and what uses it. A REPL,
    where one is configured, checks the same text without starting Lean for every module."""
    if toolchain is None:
        return "not checked", "no Lean toolchain found; the file was not compiled", None
    if repl is not None:
        result = lean_repl.check_source(repl, source, timeout_s=CHECK_SECONDS)
    else:
        result = lean_check.check_lean_file(path, toolchain, timeout_s=CHECK_SECONDS)
    report = lean_gate.gate_theorems(source, result, approval)
    seconds = f"checked in {result.seconds:.1f} s; " if hasattr(result, "seconds") else ""
    if report.file_reasons:
        return "failed", "rejected: " + "; ".join(report.file_reasons)[:2000], report
    accepted, total = len(report.accepted), len(report.theorems)
    if accepted == total:
        return "compiled", f"{seconds}acceptance gate passed", report
    rejected = [f"{name}: {'; '.join(verdict.reasons)}" for name, verdict in report.theorems.items()
                if isinstance(verdict, lean_gate.TheoremRejected)]
    return "failed", (f"{seconds}acceptance gate passed {accepted} of {total} theorems; rejected: "
                      + " | ".join(rejected))[:2000], report


def _record_lean_evidence(memory: Memory, formal: Formal, relative: str, checker: str,
                          axioms: tuple[str, ...]) -> int:
    """Store the accepted Lean theorem as evidence; a proved claim becomes `formally_verified`.

    A refuted claim keeps the status `refuted` (the memory has no verified refutation status) and
    gains the Lean evidence. Returns 1 when a claim was newly formally verified.
    """
    theorem = _theorem(formal)
    qualified = f"{lean.NAMESPACE}.{theorem}"
    if any(e.payload.get("theorem") == qualified and e.payload.get("path") == relative
           for e in memory.evidence(formal.claim_id, kind="lean")):
        return 0
    evidence = Evidence(
        claim_id=formal.claim_id, kind="lean", verdict="proves" if formal.proves else "refutes",
        checker=checker, accepted=True,
        payload={"path": relative, "theorem": qualified,
                 "statement": lean.approved_statement(*parse_claim_id(formal.claim_id), proves=formal.proves),
                 "axioms": list(axioms)})
    memory.settle_claim(evidence, ACTOR, status="formally_verified" if formal.proves else "refuted")
    return 1 if formal.proves else 0
