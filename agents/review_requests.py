"""The planner's side of the approval gates: what to ask a person, and when nothing needs asking."""

from __future__ import annotations

from pathlib import Path

from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Memory, Task

PLANNER = Actor.role("planner")
UNATTENDED = Actor.system()

# The gates a conjecture passes, in order, before anyone tries to prove it.
PROOF_GATES = ("conjecture", "statement")


def unattended(context: TeamContext, gate: str) -> bool:
    approval = context.project.config.approval
    return context.approve_all or approval.policy.get(gate) == "auto"


def ask(memory: Memory, context: TeamContext, gate: str, question: str, subject: str,
        evidence: dict) -> int:
    """Queue one item; under `--approve-all` or an `auto` policy approve it at once, on record."""
    review_id = memory.add_review(gate, question, PLANNER, subject=subject, evidence=evidence)
    if unattended(context, gate) and memory.review(review_id).status == "pending":
        how = "--approve-all" if context.approve_all else f"policy auto for the {gate} gate"
        memory.decide_review(review_id, "approved", UNATTENDED, comment=f"approved unattended ({how})")
    return review_id


def approve_waiting_unattended(memory: Memory, context: TeamContext) -> int:
    """Items left pending by an earlier attended run, now run with `--approve-all`."""
    approved = 0
    for review in memory.reviews(status="pending"):
        if unattended(context, review.gate):
            memory.decide_review(review.id, "approved", UNATTENDED, comment="approved unattended")
            approved += 1
    return approved


def request_plan_review(memory: Memory, context: TeamContext) -> None:
    tasks = memory.tasks()
    kinds: dict[str, int] = {}
    for task in tasks:
        kinds[task.kind] = kinds.get(task.kind, 0) + 1
    ask(memory, context, "plan", f"Approve the plan: {len(tasks)} tasks for “{context.project.config.project.goal}”?",
        "plan", {"tasks_by_kind": kinds,
                 "first_tasks": [f"{t.id}: {t.title}" for t in tasks
                                if t.kind not in context.domain.numerous_kinds]})


def required_gates(context: TeamContext) -> tuple[str, ...]:
    return tuple(gate for gate in PROOF_GATES if gate in context.project.config.approval.gates)


def request_report_review(memory: Memory, context: TeamContext, draft: str | None = None) -> None:
    """Ask about the writer's draft: exactly the text a person reads here is what a decision keeps."""
    report = Path(draft) if draft else context.project.report_path
    ask(memory, context, "report", f"Sign off the report {report.name}?", "report",
        {"path": str(report), "text": report.read_text(encoding="utf-8") if report.exists() else ""})


def awaits_claim_gates(memory: Memory, context: TeamContext, task: Task) -> bool:
    """For a task that would prove a claim outside the magma question (a sequence's conjecture):
    ask at the next gate it has not passed; True while a person has still to decide."""
    gates = required_gates(context)
    done = task.outputs.get("cleared", [])
    gate = next((g for g in gates if g not in done), None)
    if gate is None:
        return False
    claim = memory.claim(task.inputs.get("claim", ""))
    if claim is None:
        return False
    verb = "the formal statement of" if gate == "statement" else "the conjecture"
    evidence = {"statement": claim.statement, "checked": claim.reason or "", "author": claim.author}
    if "forms" in claim.data:
        # A free-form claim: the words and every form side by side, pinned by hash; exactly that is checked.
        from mathteam.domains.freeform.forms import forms_sha256, side_by_side
        evidence |= {"forms": side_by_side(claim.data["forms"]), "forms_sha256": forms_sha256(claim.data["forms"])}
        verb = "the words and forms of" if gate == "statement" else verb
    then = "checked" if "forms" in claim.data else "proved"
    ask(memory, context, gate, f"Approve {verb} {claim.id} before it is {then}? {claim.statement}",
        claim.id, evidence)
    return True
