"""The planner: turns the goal into a task graph, picks the cheapest evidence next, ends the run."""

from __future__ import annotations

import time
from dataclasses import dataclass

from langgraph.runtime import Runtime

from mathteam.agents import code_runs, magma_bulk, magma_plan, review_requests
from mathteam.agents.dispatch import run_batch
from mathteam.agents.llm import planner as llm_planner
from mathteam.agents.llm.registry import model_budget_stop
from mathteam.agents.magma_question import MagmaQuestion
from mathteam.agents.sequences import plan as sequences_plan
from mathteam.graph.context import TeamContext
from mathteam.graph.state import TeamState
from mathteam.memory import SETTLED, Actor, Claim, Memory, Task
from mathteam.project import Project

ACTOR = Actor.role("planner")
# Tasks that try to prove a claim of a non-magma question: the conjecture and statement gates
# stop them until a person approves (magma implications pass the gates in _next_implication_step).
GATED_PROOFS = ("sequence_proof",)


@dataclass(frozen=True)
class Decision:
    """The planner's choice for the next step."""

    role: str | None
    batches: list[list[str]]
    stop_reason: str | None = None
    wait: bool = False
    """Nothing can go on until a person decides: the gate should wait."""


def planner(state: TeamState, runtime: Runtime[TeamContext]) -> dict:
    """Plan once, then hand the next batch of ready work to the role whose evidence is cheapest."""
    context = runtime.context
    if state.get("next_role") == "planner":
        # The planner's own tasks (a free-form goal's decomposition), done by its model brain.
        for ids in state.get("batches") or []:
            run_batch("planner", {"role": "planner", "task_ids": ids}, runtime, {}, model=llm_planner.MODEL)
    with context.memory() as memory:
        if memory.get_meta("planned") != "yes":
            tasks, claims = PLANS[context.project.config.domain.kind](context.project)
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
    """The next step: decisions to apply, the first ready computation, the implications by
    cheapest evidence, or, when only people can unblock the run, the gate."""
    budget = context.project.config.budget
    pending = memory.tasks(status="pending")
    done_ids = {task.id for task in memory.tasks(status="done")}
    out_of_budget = (f"wall-clock budget of {budget.wall_clock_seconds:g} s spent"
                     if spent >= budget.wall_clock_seconds else model_budget_stop(context))
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

    if magma_bulk.uses_bulk(context.project):
        magma_bulk.follow_ups(memory, context.project)
        pending = memory.tasks(status="pending")
    ready = [task for task in pending if _ready(task, done_ids, pending)]
    for task in ready:
        if task.kind == "report" and _report_waits(memory, context, task):
            continue
        if code_runs.awaits_person(memory, task):
            continue
        if task.kind in GATED_PROOFS and review_requests.awaits_claim_gates(memory, context, task):
            continue
        if task.kind != "implication":
            return Decision(task.role, [[task.id]])

    pairs = [task for task in ready if task.kind == "implication"]
    if pairs:
        if memory.get_meta("rounds_planned") != "yes":
            magma_plan.plan_rounds(memory, pairs, ACTOR)
            pairs = [task for task in memory.tasks(status="pending") if task.kind == "implication"]
        decision = _next_implication_step(memory, context, pairs, budget.workers)
        if decision is not None:
            return decision
    return _wait_or_end(memory)


def _wait_or_end(memory: Memory) -> Decision:
    if memory.reviews(status="pending"):
        return Decision("approval_gate", [], wait=True)
    return Decision(None, [], None)


def _report_waits(memory: Memory, context: TeamContext, task: Task) -> bool:
    """The writer drafted the report, and the report gate waits for a person's sign-off."""
    if "report" not in context.project.config.approval.gates or not task.outputs.get("draft"):
        return False
    if not memory.reviews(gate="report"):
        review_requests.request_report_review(memory, context)
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


def _next_implication_step(memory: Memory, context: TeamContext, pairs: list[Task],
                           workers: int) -> Decision | None:
    """Close settled pairs; send conjectures a person cleared (if gates ask) to the prover, then
    to targeted search. None when every remaining pair waits for a person."""
    status = {claim.id: claim for claim in memory.claims()}
    finished: dict[str, dict] = {}
    to_prove: list[Task] = []
    to_search: list[Task] = []
    for task in pairs:
        claim = status[task.inputs["claim"]]
        attempts = task.outputs.get("attempts", [])
        tried = {attempt["by"] for attempt in attempts}
        if claim.status in SETTLED:
            finished[task.id] = {**task.outputs, "result": claim.status}
        elif "prover" not in tried:
            to_prove.append(task)
        elif "example_generator" not in tried:
            to_search.append(task)
        else:
            finished[task.id] = {**task.outputs, "result": "open"}
    if finished:
        memory.finish_tasks(finished, ACTOR)
        still_open = [task.inputs["claim"] for task in pairs
                      if finished.get(task.id, {}).get("result") == "open"]
        if still_open:
            memory.mark_claims(still_open, "open", "neither the prover nor the targeted search settled it",
                               ACTOR)
    if to_prove and review_requests.required_gates(context):
        laws = {item.name: item.law for item in MagmaQuestion.of(context.project, memory).named}
        to_prove = review_requests.request_conjecture_reviews(memory, context, to_prove, laws)
        if memory.reviews(status=["approved", "rejected", "edited"], unapplied=True):
            return Decision("approval_gate", [])
    if to_prove:
        # One round at a time: the transitive-reduction round first, so that later rounds can
        # settle most pairs by transitivity instead of calling the prover.
        lowest = min(task.priority for task in to_prove)
        round_ = [task.id for task in to_prove if task.priority == lowest]
        return Decision("prover", split(round_, workers))
    if to_search:
        return Decision("example_generator", split([task.id for task in to_search], workers))
    if finished:
        return Decision("planner", [])  # only bookkeeping happened: look again
    return None


def magma_plan_for(project: Project) -> tuple[list[Task], list[Claim]]:
    if magma_bulk.uses_bulk(project):
        return magma_bulk.plan(project)
    domain = project.config.domain
    return magma_plan.make_plan(domain.named_laws, domain.exhaustive_sizes)


# How each domain turns its project into tasks and the claims they serve.
PLANS = {"magma_implications": magma_plan_for, "sequences": sequences_plan.make_plan,
         "freeform": llm_planner.freeform_plan}


def split(ids: list[str], workers: int) -> list[list[str]]:
    """Deal ids round-robin so each worker gets a mix of cheap and expensive tasks."""
    workers = max(1, min(workers, len(ids)))
    return [ids[k::workers] for k in range(workers)]
