"""What every model brain shares: its prompt file, one structured call per step, and failing a step cleanly."""

from __future__ import annotations

import json
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from langgraph.runtime import Runtime
from pydantic import BaseModel, ConfigDict

from mathteam.graph.models import describe_budget
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Memory, Task

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"
MAX_FAILURES = 2
"""A task whose model step failed this many times in one run waits for the next run (it is not done: a
failed step is retried once the model is back), so a broken server cannot stall the run."""
MODEL_STEPS_FAILED = "model steps failed"
"""How the stop reason of a run that ended on failed model steps begins (mathteam.runner: exit 5)."""

T = TypeVar("T", bound=BaseModel)


class Reply(BaseModel):
    """Base of what a model is asked to answer with: frozen, and tolerant of keys it adds unasked
    (a model's stray key is no reason to spend a repair request)."""

    model_config = ConfigDict(frozen=True, extra="ignore", use_attribute_docstrings=True)


@lru_cache(maxsize=None)
def prompt(role: str) -> str:
    """The role's system prompt, kept beside the roles as ``agents/prompts/<role>.md``."""
    return (PROMPTS / f"{role}.md").read_text(encoding="utf-8")


def model_name(runtime: Runtime[TeamContext], role: str) -> str:
    return getattr(runtime.context.project.config.team, role)


def model_actor(runtime: Runtime[TeamContext], role: str) -> Actor:
    """The role thinking with its model: ``conjecturer (local, openai_compatible qwen2.5-math)``."""
    name = model_name(runtime, role)
    settings = runtime.context.project.config.models[name]
    return Actor.role(role, brain=name, tool=settings.provider, tool_version=settings.model)


def as_json(value: Any, limit: int = 4000) -> str:
    """Data for a prompt, as JSON cut to ``limit`` characters (a prompt is not the place for megabytes)."""
    text = json.dumps(value, ensure_ascii=False, indent=1, default=str)
    return text if len(text) <= limit else text[:limit] + "\n… (cut)"


def ask_model(memory: Memory, task: Task, runtime: Runtime[TeamContext], role: str, user: str,
              output: type[T], *, close_on_failure: bool = True) -> T | None:
    """One structured request for ``task``: the value, or None after the failure was recorded.

    Must not run inside a memory transaction (each request's usage event is written through another
    connection). On failure an event says why; a spent budget leaves the task pending, to resume
    once the budget is raised; other failures count on the task, which after ``MAX_FAILURES`` in this
    run is blocked until the next run, with the model's provider, URL and error on the task for the
    run's exit message (unless ``close_on_failure`` is False: the caller falls back to another brain).
    """
    from mathteam.tools.models import BudgetExhausted, Message, Unparseable

    registry = runtime.context.models
    client = registry.client(model_name(runtime, role))
    messages = [Message(role="system", content=prompt(role)), Message(role="user", content=user)]
    with registry.recorder.subject(task.id):
        reply = client.complete(messages, output, role=role, on_token=streaming_progress(runtime, role))
    if reply.ok:
        return reply.value
    outcome = reply.outcome
    actor = model_actor(runtime, role)
    if isinstance(outcome, BudgetExhausted):
        memory.record_event(actor, "model step refused", subject=task.id,
                            outputs={"budget": describe_budget(outcome)})
        return None
    detail = describe_failure(outcome)
    record = {"outcome": outcome.outcome, "detail": detail, "requests": reply.usage.requests}
    if isinstance(outcome, Unparseable):
        record["reply"] = outcome.text[:2000]
    current = memory.task(task.id) or task
    failures = [*current.outputs.get("failures", []), detail][-10:]
    run_id = runtime.context.run_id
    in_this_run = (current.outputs.get("failed_in_run") or {}).get(run_id, 0) + 1
    outputs = {**current.outputs, "failures": failures, "failed_in_run": {run_id: in_this_run}}
    if in_this_run >= MAX_FAILURES:
        outputs |= {"blocked_run": run_id, "model_failure": where_it_failed(runtime, role, detail)}
    with memory.atomic():
        memory.record_event(actor, "model step failed", subject=task.id, outputs=record)
        if close_on_failure:
            memory.update_task_outputs(task.id, outputs)
    return None


def where_it_failed(runtime: Runtime[TeamContext], role: str, detail: str) -> str:
    """``planner: local (openai_compatible, model qwen, at http://127.0.0.1:8000/v1): <the error>``."""
    name = model_name(runtime, role)
    settings = runtime.context.project.config.models[name]
    url = getattr(settings, "base_url", None) or "the provider's default endpoint"
    return f"{role}: {name} ({settings.provider}, model {settings.model}, at {url}): {detail}"


def blocked_in_run(task: Task, run_id: str) -> bool:
    """The task's model step failed ``MAX_FAILURES`` times in this run: it waits for the next run."""
    return task.outputs.get("blocked_run") == run_id


def model_failure_reason(tasks: list[Task]) -> str:
    """The stop reason of a run that could not go on for failed model steps, one line."""
    reasons = list(dict.fromkeys(t.outputs.get("model_failure", "") for t in tasks))
    shown = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
    return (f"{MODEL_STEPS_FAILED} ({len(tasks)} task(s) could not go on): {shown}. Fix the model and run "
            f"again: the failed steps are retried")


def streaming_progress(runtime: Runtime[TeamContext], role: str, every_s: float = 0.5):
    """An `on_token` callback telling the run's watchers (progress bar, TUI) how the reply grows."""
    state = {"chars": 0, "request": None, "shown": 0.0}

    def on_token(text: str, request: int) -> None:
        if request != state["request"]:
            state.update(chars=0, request=request)  # a retry or the repair request starts over
        state["chars"] += len(text)
        now = time.monotonic()
        if now - state["shown"] >= every_s:
            state["shown"] = now
            runtime.stream_writer({"role": role, "activity": f"{role}: model reply streaming "
                                                             f"({state['chars']} characters)"})

    return on_token


def describe_failure(outcome: Any) -> str:
    """One line for a failed model call."""
    kind = outcome.outcome
    if kind == "unparseable":
        return f"the reply did not fit the expected form, even after one repair request: {outcome.error}"
    if kind == "timed_out":
        return f"timed out ({outcome.attempts} request(s) past {outcome.timeout_s:g} s)"
    status = f" {outcome.status}" if outcome.status else ""
    return f"provider error ({outcome.kind}{status}): {outcome.message}"
