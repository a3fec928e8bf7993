"""Checking a free-form claim's forms: memory data, its instances, a counterexample hunt, sympy, z3.

One task per claim (`check:<claim>`, done by the prover's node) runs the checkers in order of cost and
stops at the first refutation: the example-generator tries the data already in the memory, then the
claim's own instances, then hunts beyond them; the prover then tries the sympy identity and the SMT
term. Each checker's verdict is kept on the task as it comes (a resumed run does not redo it) and as
evidence: accepted evidence moves the claim to `refuted`, `proved` or `checked`; a check with no
verdict is stored unaccepted with its reason, the failure on record.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from mathteam.agents import code_runs
from mathteam.domains.freeform.forms import defines, forms_of, forms_sha256, side_by_side
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Claim, Evidence, Memory, Task
from mathteam.tools.claim_checks import (CheckVerdict, check_identity, check_predicate, check_smt,
                                         hunt_counterexample)

TASK_PREFIX = "check:"
KIND = "check_claim"
MAX_SEEDS = 500
EXAMPLES = Actor.role("example_generator", tool="sandbox")
PROVER = Actor.role("prover")
STEPS = ("memory data", "instances", "hunt", "sympy", "smt")


def claim_data(forms: dict[str, str]) -> dict[str, Any]:
    """What a claim with forms keeps in its `data`: the forms, their pin, and the Lean statement (as the
    formalizer expects it)."""
    kept = forms_of(forms)
    data: dict[str, Any] = {"forms": kept, "forms_sha256": forms_sha256(kept)}
    if kept.get("lean"):
        data["lean_statement"] = kept["lean"]
    return data


def has_checkable_form(forms: dict[str, str]) -> bool:
    return any(forms.get(name) for name in ("python", "sympy", "smt"))


def check_task(claim: Claim, priority: float = 1.0, depends_on: list[str] | None = None) -> Task:
    return Task(id=f"{TASK_PREFIX}{claim.id}", kind=KIND, role="prover", priority=priority,
                title=f"Check {claim.id}: {claim.statement[:80]}", inputs={"claim": claim.id},
                depends_on=depends_on or [])


def posed_claims_plan(project) -> tuple[list[Task], list[Claim]]:
    """The project file's own claims (authored by the person who wrote it) and a check task for each."""
    claims, tasks = [], []
    for number, spec in enumerate(project.config.domain.claims, 1):
        forms = spec.model_dump(exclude_none=True)
        claim = Claim(id=f"claim:{number}", kind="statement", statement=spec.statement, status="open",
                      author="person (the project file)", reason="posed in the project file",
                      data=claim_data(forms))
        claims.append(claim)
        if has_checkable_form(forms):
            tasks.append(check_task(claim, priority=number))
    return tasks, claims


def gate_evidence(claim: Claim) -> dict[str, Any]:
    """What the statement gate shows: the words and every form side by side, and the pin of exactly those."""
    forms = claim.data.get("forms") or {"statement": claim.statement}
    return {"forms": side_by_side(forms), "forms_sha256": forms_sha256(forms)}


def approved_pin_differs(memory: Memory, context: TeamContext, claim: Claim) -> str | None:
    """When the statement gate asked about this claim: why the forms to check are not the approved ones."""
    approval = context.project.config.approval
    if "statement" not in approval.gates:
        return None
    approved = [r for r in memory.reviews(status="approved", gate="statement") if r.subject == claim.id]
    if not approved:
        return None
    pinned = approved[-1].evidence.get("forms_sha256")
    current = forms_sha256(claim.data.get("forms", {}))
    if pinned and pinned != current:
        return f"the forms changed since they were approved (approved {pinned[:12]}, now {current[:12]})"
    return None


def check_claim(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Run the claim's checks in order, stopping at the first refutation; settle on what they say."""
    context = runtime.context
    claim = memory.claim(task.inputs["claim"])
    if claim is None or claim.status in ("refuted", "proved", "formally_verified"):
        memory.finish_tasks({task.id: {**task.outputs, "result": f"nothing to check ({claim.status if claim else 'no claim'})"}},
                            PROVER)
        return
    if problem := approved_pin_differs(memory, context, claim):
        memory.finish_tasks({task.id: {**task.outputs, "result": f"not checked: {problem}"}}, PROVER)
        return
    forms = claim.data.get("forms", {})
    if forms.get("python") and written_by_a_model(claim):
        # Model-written code runs only in the sandbox, and only once the run_code gate allows exactly it.
        code = predicate_code(forms)
        if not code_runs.request_code_run(memory, context, task, code):
            code_runs.mark_waiting(memory, task)
            return
    budget = context.project.config.budget
    done: dict[str, Any] = dict(task.outputs.get("verdicts", {}))
    for step in STEPS:
        if step in done:
            continue
        if any(v.get("verdict") in ("refuted", "proved") for v in done.values()):
            break
        if step == "hunt" and done.get("instances", {}).get("verdict") == "none":
            continue  # the predicate did not run cleanly on its own instances: no use hunting with it
        if step in ("memory data", "hunt") and forms.get("python") and not defines(forms["python"], "domain"):
            done[step] = {"verdict": "skipped", "detail": "not run: the python form defines no domain(x), so "
                                                         "nothing beyond its instances is known to be in the claim's domain"}
            continue
        verdict = run_step(step, memory, claim, forms, budget)
        if verdict is None:
            continue
        record(memory, claim, step, verdict)
        done[step] = verdict.model_dump(mode="json")
        memory.update_task_outputs(task.id, {**task.outputs, "verdicts": done})
        claim = memory.claim(claim.id)
    memory.finish_tasks({task.id: {**task.outputs, "verdicts": done, "result": summary(memory.claim(claim.id), done)}},
                        PROVER)


def written_by_a_model(claim: Claim) -> bool:
    """Claims from the project file or a person are the person's own code; the rest came from a model."""
    return not claim.author.startswith("person")


def predicate_code(forms: dict) -> str:
    """What the run_code gate shows and pins for a predicate: its code and the instances it runs on."""
    return f"{forms['python'].rstrip()}\n\n# instances: {forms.get('instances', '')}\n"


def run_step(step: str, memory: Memory, claim: Claim, forms: dict, budget) -> CheckVerdict | None:
    def runner(actor: Actor):
        return lambda code, inputs, limits: code_runs.run_and_record(memory, code, inputs, limits, actor)[1]

    if step in ("memory data", "instances", "hunt") and not forms.get("python"):
        return None
    if step == "memory data":
        seeds = memory_seeds(memory, claim.id)
        if not seeds:
            return None
        return hunt_counterexample(forms["python"], forms["instances"], budget.search_seconds, seeds=seeds,
                                   run=runner(EXAMPLES), only_seeds=True)
    if step == "instances":
        return check_predicate(forms["python"], forms["instances"], run=runner(EXAMPLES))
    if step == "hunt":
        return hunt_counterexample(forms["python"], forms["instances"], budget.search_seconds,
                                   run=runner(EXAMPLES), seed=int(forms_sha256(forms)[:8], 16))
    if step == "sympy" and forms.get("sympy"):
        return check_identity(forms["sympy"], run=runner(Actor.role("prover", tool="sympy")),
                              seed=int(forms_sha256(forms)[:8], 16))
    if step == "smt" and forms.get("smt"):
        return check_smt(forms["smt"], seconds=max(budget.prover_seconds, 5.0))
    return None


def record(memory: Memory, claim: Claim, step: str, verdict: CheckVerdict) -> None:
    """The verdict as evidence: accepted for refuted/proved/checked, kept unaccepted (on record) for none."""
    actor = EXAMPLES if verdict.form == "python" else Actor.role("prover", tool=verdict.checker.split()[0],
                                                                 tool_version=verdict.checker.split()[1]
                                                                 if len(verdict.checker.split()) > 1 else None)
    payload = {**verdict.payload, "form": verdict.form, "step": step, "detail": verdict.detail}
    if verdict.verdict == "checked" and step == "memory data":
        # Values that happen to be in the memory are no instance space: only a counterexample among them counts.
        memory.record_event(actor, "memory data tried", subject=claim.id, outputs={"detail": verdict.detail})
        return
    if verdict.verdict == "none":
        memory.add_evidence(Evidence(claim_id=claim.id, kind="unsettled_check", verdict="none", accepted=False,
                                     checker=verdict.checker, payload=payload), actor)
        return
    kind = {"refuted": "counterexample", "checked": "instance_check"}.get(verdict.verdict) or (
        "symbolic_proof" if verdict.form == "sympy" else "smt_proof")
    evidence_verdict = {"refuted": "refutes", "checked": "supports", "proved": "proves"}[verdict.verdict]
    memory.settle_claim(Evidence(claim_id=claim.id, kind=kind, verdict=evidence_verdict, accepted=True,
                                 checker=verdict.checker, payload=payload), actor)


def summary(claim: Claim, done: dict[str, Any]) -> str:
    said = "; ".join(f"{step}: {v['detail']}" for step, v in done.items())
    return f"{claim.status}: {said}" if said else f"{claim.status}: no form could be checked"


def memory_seeds(memory: Memory, claim_id: str) -> list:
    """Integers (and tuples of them) already in the memory: other claims' counterexamples and computed data."""
    seeds: list = []
    for item in memory.evidence(kind="counterexample"):
        literal = item.payload.get("literal")
        if item.claim_id != claim_id and literal is not None:
            try:
                import ast
                seeds.append(ast.literal_eval(literal))
            except (ValueError, SyntaxError):
                pass
    for task in memory.tasks(kind="compute", status="done"):
        for run in task.outputs.get("runs", []):
            if run.get("kept"):
                _collect_integers(run.get("result"), seeds)
    unique, seen = [], set()
    for seed in seeds:
        key = repr(seed)
        if key not in seen and isinstance(seed, (int, list, tuple)):
            seen.add(key)
            unique.append(list(seed) if isinstance(seed, tuple) else seed)
    return unique[:MAX_SEEDS]


def _collect_integers(value: Any, into: list, depth: int = 0) -> None:
    if len(into) >= MAX_SEEDS or depth > 6:
        return
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        into.append(value)
    elif isinstance(value, list):
        for item in value:
            _collect_integers(item, into, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            _collect_integers(item, into, depth + 1)


SYMBOLIC = {KIND: check_claim}
