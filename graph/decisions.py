"""Acting on people's decisions at the gates, each exactly once (the action and its record commit together)."""

from __future__ import annotations

from mathteam import signoff
from mathteam.errors import InternalError
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Memory, Review

ACTOR = Actor.system()


def apply_decisions(memory: Memory, context: TeamContext) -> int:
    """Apply every decided, not yet applied item in the order the decisions were asked for."""
    applied = 0
    for review in memory.reviews(status=["approved", "rejected", "edited"], unapplied=True):
        with memory.atomic():
            APPLY[review.gate](memory, context, review)
            memory.mark_review_applied(review.id, ACTOR)
        applied += 1
    return applied


def _by(review: Review) -> str:
    return f"{review.decided_by} at {review.decided_at}"


def apply_plan(memory: Memory, context: TeamContext, review: Review) -> None:
    if review.status == "rejected":
        memory.set_meta("plan_rejected", f"the plan was rejected by {_by(review)}: {review.reason}")
    else:
        memory.set_meta("plan_approved", _by(review))


def apply_to_conjecture(memory: Memory, context: TeamContext, review: Review) -> None:
    """Approved: the conjecture may be proved. Rejected: closed with the reason. Edited: replaced."""
    task = context.domain.task_for_claim(memory, review.subject or "")
    if task is None or task.status == "done":
        return
    person = Actor.person(review.decided_by or "unknown")
    if review.status == "approved":
        cleared = [*task.outputs.get("cleared", []), review.gate]
        memory.update_task_outputs(task.id, {**task.outputs, "cleared": cleared})
        return
    if review.status == "rejected":
        reason = f"rejected at the {review.gate} gate by {_by(review)}: {review.reason}"
        memory.mark_claims([review.subject], "open", reason, person)
        memory.finish_tasks({task.id: {**task.outputs, "result": "rejected", "reason": reason}}, person)
        return
    edits = context.domain.edits
    if edits is None:
        raise InternalError(f"review {review.id}: {context.domain.kind} conjectures cannot be edited")
    edits.apply(memory, context, review, task)


def apply_report(memory: Memory, context: TeamContext, review: Review) -> None:
    """`report.md` becomes the text decided on, under a line naming who decided (mathteam.signoff)."""
    person = Actor.person(review.decided_by or "unknown")
    report = context.project.report_path
    outputs = {"report": str(report), "decision": review.status, "by": _by(review)}
    report.write_text(signoff.decided_text(review), encoding="utf-8")
    if review.status == "edited":
        memory.record_event(person, "wrote the report", subject=report.name)
    draft = signoff.draft_path(context.project)
    if review.evidence.get("path") == str(draft):
        draft.unlink(missing_ok=True)  # the draft decided on is report.md now
    memory.finish_tasks({"report": outputs}, person)


def apply_run_code(memory: Memory, context: TeamContext, review: Review) -> None:
    task = memory.task(review.subject or "")
    if task is None or task.status == "done":
        return
    if review.status == "rejected":
        memory.finish_tasks({task.id: {**task.outputs, "result": "rejected", "reason": review.reason}},
                            Actor.person(review.decided_by or "unknown"))
    else:
        memory.update_task_outputs(task.id, {**task.outputs, "cleared": [*task.outputs.get("cleared", []), "run_code"]})


APPLY = {"plan": apply_plan, "conjecture": apply_to_conjecture, "statement": apply_to_conjecture,
         "report": apply_report, "run_code": apply_run_code}
