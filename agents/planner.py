"""The planner: turns the goal into a task graph, picks the cheapest evidence next, ends the run."""

from __future__ import annotations

import time

from langgraph.runtime import Runtime

from mathteam.agents import code_runs, review_requests
from mathteam.agents.decision import Decision, split
from mathteam.agents.dispatch import run_batch
from mathteam.agents.llm.brain import blocked_in_run, model_failure_reason
from mathteam.graph.models import model_budget_stop
from mathteam.graph.context import TeamContext
from mathteam.graph.state import TeamState
from mathteam.memory import Actor, Memory, Task

ACTOR = Actor.role("planner")
__all__ = ["Decision", "decide", "planner", "split"]


def planner(state: TeamState, runtime: Runtime[TeamContext]) -> dict:
    """Plan once, then hand the next batch of ready work to the role whose evidence is cheapest."""
    context = runtime.context
    if state.get("next_role") == "planner":
        # The planner's own tasks (a free-form goal's decomposition), done by the domain's handler.
        for ids in state.get("batches") or []:
            run_batch("planner", {"role": "planner", "task_ids": ids}, runtime)
    with context.memory() as memory:
        if memory.get_meta("planned") != "yes":
            tasks, claims = context.domain.plan(context.project)
            with memory.atomic():
                memory.add_claims(claims, ACTOR)
                memory.add_tasks(tasks, ACTOR)
                memory.set_meta("goal", context.project.config.project.goal)
                memory.set_meta("planned", "yes")
            if "plan" in context.project.config.approval.gates:
                review_requests.request_plan_review(memory, context)
        spent = _account_time(memory, context)
        decision = decide(memory, context, spent, last_role=state.get("next_role"))
    return {"next_role": decision.role, "batches": decision.batches,
            "stop_reason": decision.stop_reason, "gate_wait": decision.wait}


def _account_time(memory: Memory, context: TeamContext) -> float:
    """Wall-clock seconds spent on this project over every run so far, saved as we go."""
    spent = context.seconds_before + (time.monotonic() - context.process_started)
    memory.set_meta("seconds_spent", f"{spent:.3f}")
    return spent


def decide(memory: Memory, context: TeamContext, spent: float, last_role: str | None = None) -> Decision:
    """The next step: decisions to apply, the first ready task, the tasks the domain schedules
    itself (the implications by cheapest evidence), or, when only people can unblock the run, the gate."""
    budget = context.project.config.budget
    pending = memory.tasks(status="pending")
    done_ids = {task.id for task in memory.tasks(status="done")}
    out_of_budget = (f"wall-clock budget of {budget.wall_clock_seconds:g} s spent"
                     if spent >= budget.wall_clock_seconds else model_budget_stop(context))
    memory.set_meta("stopped_early", out_of_budget or "")
    if out_of_budget:
        # Out of time or of a model budget: write up what was found (once), then stop.
        stop_reason = out_of_budget
        report = [task.id for task in pending if task.kind == "report"]
        if report and last_role != "writer":
            return Decision("writer", [report], stop_reason)
        return Decision(None, [], stop_reason)

    if context.approve_all:
        review_requests.approve_waiting_unattended(memory, context)
    if memory.reviews(status=["approved", "rejected", "edited"], unapplied=True):
        return Decision("approval_gate", [])
    if rejected := memory.get_meta("plan_rejected"):
        return Decision(None, [], rejected)
    if "plan" in context.project.config.approval.gates and not memory.get_meta("plan_approved"):
        return _wait_or_end(memory)

    domain = context.domain
    if domain.before_step is not None:
        domain.before_step(memory, context)
        pending = memory.tasks(status="pending")
    blocked = [task for task in pending if blocked_in_run(task, context.run_id)]
    ready = [task for task in pending if _ready(task, done_ids, pending) and task not in blocked]
    for task in ready:
        if task.kind == "report" and _report_waits(memory, context, task):
            continue
        if code_runs.awaits_person(memory, task):
            continue
        if task.kind in domain.gated_kinds and review_requests.awaits_claim_gates(memory, context, task):
            continue
        if task.kind not in domain.scheduled_kinds:
            return Decision(task.role, [[task.id]])

    scheduled = [task for task in ready if task.kind in domain.scheduled_kinds]
    if scheduled and domain.schedule is not None:
        decision = domain.schedule(memory, context, scheduled)
        if decision is not None:
            return decision
    return _wait_or_end(memory, blocked)


def _wait_or_end(memory: Memory, blocked: list[Task] = ()) -> Decision:
    if memory.reviews(status=["approved", "rejected", "edited"], unapplied=True):
        return Decision("approval_gate", [])  # decided this very step (unattended): apply, then look again
    if memory.reviews(status="pending"):
        return Decision("approval_gate", [], wait=True)
    if blocked:
        # Nothing else can go on and model steps failed: the run says why (exit 5) and a rerun retries them.
        return Decision(None, [], model_failure_reason(blocked))
    return Decision(None, [], None)


def _report_waits(memory: Memory, context: TeamContext, task: Task) -> bool:
    """The writer drafted the report, and the report gate (or a sign-off a person asked for)
    waits for a decision; a draft written after the last decision is asked about anew."""
    asked = memory.reviews(gate="report", unapplied=True)
    if not task.outputs.get("draft") or not ("report" in context.project.config.approval.gates or asked):
        return False
    if not asked:
        review_requests.request_report_review(memory, context, task.outputs["draft"])
    return True


def _ready(task: Task, done_ids: set[str], pending: list[Task]) -> bool:
    for dependency in task.depends_on:
        if dependency.endswith("*"):
            prefix = dependency[:-1]
            if any(other.id.startswith(prefix) for other in pending if other.id != task.id):
                return False
        elif dependency not in done_ids:
            return False
    return True
