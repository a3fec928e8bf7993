"""Running code for the team: through the sandbox, every run kept in the memory, model code behind `run_code`.

Code from the project file is the person's own and runs at once. Code a model wrote runs only after
an item at the `run_code` gate was approved for exactly that code (by its sha256), when the project
lists that gate; while the item waits, the task waits (the planner skips it) and the run goes on.
"""

from __future__ import annotations

from mathteam.agents.review_requests import ask
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Memory, Review, Task
from mathteam.tools.sandbox import LimitHit, Limits, SandboxRun, run_python
from mathteam.tools.sandbox_cache import code_sha256, run_cache_key

GATE = "run_code"


class ProjectRunCache:
    """The sandbox's RunCache over the project memory's computations table.

    A run stopped by the wall clock is stored as evidence too, but never answers a lookup: that
    limit depends on the machine's load as much as on the code, so it deserves another try.
    """

    def __init__(self, memory: Memory, actor: Actor) -> None:
        self.memory = memory
        self.actor = actor

    def get(self, key: str) -> SandboxRun | None:
        stored = self.memory.computation(key)
        if stored is None:
            return None
        run = SandboxRun.model_validate(stored)
        if isinstance(run.outcome, LimitHit) and run.outcome.limit == "wall_clock":
            return None
        return run

    def put(self, key: str, run: SandboxRun) -> None:
        self.memory.store_computation(key, run.model_dump(mode="json"), self.actor)


def run_and_record(memory: Memory, code: str, inputs: object, limits: Limits, actor: Actor
                   ) -> tuple[str, SandboxRun]:
    """Run (or reuse the stored run of) ``code`` on ``inputs``; every fresh run is stored. Returns (key, run)."""
    cache = ProjectRunCache(memory, actor)
    key = run_cache_key(code, inputs, limits)
    run = run_python(code, inputs, limits, cache=cache)
    if run.cached:
        memory.record_event(actor, "sandbox run reused", subject=key,
                            outputs={"outcome": run.outcome.outcome}, seconds=0.0)
    elif isinstance(run.outcome, LimitHit) and run.outcome.limit == "wall_clock":
        cache.put(key, run)  # run_python keeps these out of the cache; the memory keeps them as evidence
    return key, run


def request_code_run(memory: Memory, context: TeamContext, task: Task, code: str) -> bool:
    """May model-written ``code`` run for ``task``? Asks at the `run_code` gate when the project lists it.

    True when the gate is not asked for, or a person (or an unattended policy) approved this exact
    code for this task. Otherwise an item waits at the gate (queued once) and the answer is False:
    the caller leaves its task pending with :func:`mark_waiting`; a rejection closes the task
    (graph/decisions.apply_run_code).
    """
    if GATE not in context.project.config.approval.gates:
        return True
    decided = decision_for(memory, task, code)
    if decided is not None:
        return decided.status == "approved"
    sha = code_sha256(code)
    review_id = ask(memory, context, GATE, f"Run this model-written code for {task.id} ({task.title})?",
                    task.id, {"code": code, "code_sha256": sha, "task": task.title})
    review = memory.review(review_id)
    # An item about other code for the same task may still be the open one: its answer is not this code's.
    return review.status == "approved" and review.evidence.get("code_sha256") == sha


def decision_for(memory: Memory, task: Task, code: str) -> Review | None:
    """The latest decided `run_code` item about this task and this exact code, if any."""
    sha = code_sha256(code)
    decided = [review for review in memory.reviews(status=["approved", "rejected", "edited"], gate=GATE)
               if review.subject == task.id and review.evidence.get("code_sha256") == sha]
    return decided[-1] if decided else None


def waiting_review(memory: Memory, task: Task) -> int | None:
    """The id of the undecided `run_code` item about this task, if one waits."""
    waiting = [review.id for review in memory.reviews(status="pending", gate=GATE) if review.subject == task.id]
    return waiting[0] if waiting else None


def mark_waiting(memory: Memory, task: Task) -> None:
    """Note on the task which item it waits for, so the planner passes it by until a person decides."""
    review_id = waiting_review(memory, task)
    memory.update_task_outputs(task.id, {**task.outputs, "awaiting_review": review_id})


def awaits_person(memory: Memory, task: Task) -> bool:
    """The task asked a person (an item at a gate) and the item is still undecided: not ready."""
    review_id = task.outputs.get("awaiting_review")
    if review_id is None:
        return False
    review = memory.review(review_id)
    return review is not None and review.status == "pending"
