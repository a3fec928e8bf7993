"""The planner: turns the goal into a task graph, picks the cheapest evidence next, ends the run."""

from __future__ import annotations

import time
from dataclasses import dataclass

from langgraph.runtime import Runtime

from mathteam.agents import magma_plan
from mathteam.graph.context import TeamContext
from mathteam.graph.state import TeamState
from mathteam.memory import SETTLED, Actor, Memory, Task

ACTOR = Actor.role("planner")


@dataclass(frozen=True)
class Decision:
    """The planner's choice for the next step."""

    role: str | None
    batches: list[list[str]]
    stop_reason: str | None = None


def planner(state: TeamState, runtime: Runtime[TeamContext]) -> dict:
    """Plan once, then hand the next batch of ready work to the role whose evidence is cheapest."""
    context = runtime.context
    with context.memory() as memory:
        if memory.get_meta("planned") != "yes":
            domain = context.project.config.domain
            tasks, claims = magma_plan.make_plan(domain.named_laws, domain.exhaustive_sizes)
            with memory.atomic():
                memory.add_claims(claims, ACTOR)
                memory.add_tasks(tasks, ACTOR)
                memory.set_meta("goal", context.project.config.project.goal)
                memory.set_meta("planned", "yes")
        spent = _account_time(memory, context)
        decision = decide(memory, context, spent, last_role=state.get("next_role"))
    return {"next_role": decision.role, "batches": decision.batches,
            "stop_reason": decision.stop_reason}


def _account_time(memory: Memory, context: TeamContext) -> float:
    """Wall-clock seconds spent on this project over every run so far, saved as we go."""
    spent = context.seconds_before + (time.monotonic() - context.process_started)
    memory.set_meta("seconds_spent", f"{spent:.3f}")
    return spent


def decide(memory: Memory, context: TeamContext, spent: float, last_role: str | None = None) -> Decision:
    """The next step: the first ready computation, else the implications by cheapest evidence."""
    budget = context.project.config.budget
    pending = memory.tasks(status="pending")
    done_ids = {task.id for task in memory.tasks(status="done")}
    over_budget = spent >= budget.wall_clock_seconds
    stop_reason = (f"wall-clock budget of {budget.wall_clock_seconds:g} s spent"
                   if over_budget else None)

    if over_budget:
        # Out of time: write up what was found (once), then stop.
        report = [task.id for task in pending if task.kind == "report"]
        if report and last_role != "writer":
            return Decision("writer", [report], stop_reason)
        return Decision(None, [], stop_reason)

    ready = [task for task in pending if _ready(task, done_ids, pending)]
    for task in ready:
        if task.kind != "implication":
            return Decision(task.role, [[task.id]])

    pairs = [task for task in ready if task.kind == "implication"]
    if not pairs:
        return Decision(None, [], None)
    if memory.get_meta("rounds_planned") != "yes":
        magma_plan.plan_rounds(memory, pairs, ACTOR)
        pairs = [task for task in memory.tasks(status="pending") if task.kind == "implication"]
    return _next_implication_step(memory, pairs, budget.workers)


def _ready(task: Task, done_ids: set[str], pending: list[Task]) -> bool:
    for dependency in task.depends_on:
        if dependency.endswith("*"):
            prefix = dependency[:-1]
            if any(other.id.startswith(prefix) for other in pending if other.id != task.id):
                return False
        elif dependency not in done_ids:
            return False
    return True


def _next_implication_step(memory: Memory, pairs: list[Task], workers: int) -> Decision:
    """Close settled pairs; send unproved conjectures to the prover, then to targeted search."""
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
    if to_prove:
        # One round at a time: the transitive-reduction round first, so that later rounds can
        # settle most pairs by transitivity instead of calling the prover.
        lowest = min(task.priority for task in to_prove)
        round_ = [task.id for task in to_prove if task.priority == lowest]
        return Decision("prover", split(round_, workers))
    if to_search:
        return Decision("example_generator", split([task.id for task in to_search], workers))
    return Decision("planner", [])  # only bookkeeping happened: look again


def split(ids: list[str], workers: int) -> list[list[str]]:
    """Deal ids round-robin so each worker gets a mix of cheap and expensive tasks."""
    workers = max(1, min(workers, len(ids)))
    return [ids[k::workers] for k in range(workers)]
