"""The example-generator's model brain: writes computation code, several candidates, and keeps the runs that work.

Code runs only through the sandbox (`tools.sandbox` via `agents.code_runs`), and only once the
`run_code` gate allows that exact code; one candidate runs per visit, so each gets its own decision.
"""

from __future__ import annotations

from langgraph.runtime import Runtime
from pydantic import Field

from mathteam.agents import code_runs
from mathteam.agents.llm.brain import Reply, as_json, ask_model, model_actor
from mathteam.graph.context import TeamContext
from mathteam.memory import Memory, Task
from mathteam.tools.sandbox import Completed, Limits, SandboxRun

SAMPLES = 3
"""Most candidate programs kept from one reply (best-of-N: the sandbox decides which work)."""
LIMITS = Limits(cpu_seconds=20, wall_seconds=30, memory_mb=1024)


class CodeCandidate(Reply):
    code: str = Field(min_length=1)
    """A complete Python program (standard library only) that prints its findings or calls `emit(obj)`."""
    explanation: str = ""
    """What it computes, in one or two sentences."""


class CodeCandidates(Reply):
    candidates: list[CodeCandidate] = Field(min_length=1)
    """One to three independent programs for the same computation."""


def compute(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Get candidates (once), then run the next one the gate allows; done when every candidate ran."""
    if "candidates" not in task.outputs:
        reply = ask_model(memory, task, runtime, "example_generator", _request(memory, task, runtime),
                          CodeCandidates)
        if reply is None:
            return
        candidates = [c.code for c in reply.candidates[:SAMPLES]]
        memory.update_task_outputs(task.id, {**task.outputs, "candidates": candidates, "runs": []})
        task = memory.task(task.id)
    candidates, runs = task.outputs["candidates"], list(task.outputs.get("runs", []))
    if len(runs) < len(candidates):
        code = candidates[len(runs)]
        if not code_runs.request_code_run(memory, runtime.context, task, code):
            code_runs.mark_waiting(memory, task)
            return
        actor = model_actor(runtime, "example_generator")
        key, run = code_runs.run_and_record(memory, code, None, LIMITS, actor)
        runs.append(summary(len(runs), key, run))
        memory.update_task_outputs(task.id, {**task.outputs, "runs": runs, "awaiting_review": None})
    if len(runs) >= len(candidates):
        kept = [r["candidate"] for r in runs if r["kept"]]
        memory.finish_tasks({task.id: {**memory.task(task.id).outputs, "kept": kept,
                                       "result": f"{len(kept)} of {len(candidates)} candidate programs worked"}},
                            model_actor(runtime, "example_generator"))


def summary(number: int, key: str, run: SandboxRun) -> dict:
    """What the team keeps of one run on the task (the full run is in the memory's computations)."""
    outcome = run.outcome
    worked = isinstance(outcome, Completed) and (outcome.result is not None or bool(outcome.stdout.strip()))
    return {"candidate": number, "computation": key, "outcome": outcome.outcome, "kept": worked,
            "result": outcome.result if isinstance(outcome, Completed) else None,
            "stdout": outcome.stdout[-3000:],
            "problem": getattr(outcome, "reason", None) or getattr(outcome, "detail", None)}


def computed_data(memory: Memory) -> list[dict]:
    """The working runs of every finished computation task: the data conjectures are drawn from."""
    data = []
    for task in memory.tasks(kind="compute", status="done"):
        for run in task.outputs.get("runs", []):
            if run.get("kept"):
                data.append({"task": task.title, "result": run["result"], "printed": run["stdout"][-1500:]})
    return data


def _request(memory: Memory, task: Task, runtime: Runtime[TeamContext]) -> str:
    project = runtime.context.project
    return "\n\n".join([
        f"# Goal\n\n{project.config.project.goal}",
        f"# This computation\n\n{task.title}\n\n{task.inputs.get('instructions', '')}",
        f"# Data computed so far\n\n{as_json(computed_data(memory), 3000)}",
        f"# Limits\n\n{LIMITS.cpu_seconds} CPU seconds, {LIMITS.memory_mb} MiB, no network, no files outside "
        f"the working directory. Give at most {SAMPLES} candidates.",
    ])
