"""The example-generator's sequence work: the first terms, computed in the sandbox or read from the project.

Each computation is a sandbox run stored in the memory (code, sha256, inputs, limits, outcome, time);
the same program on the same inputs is answered from there. The program prints every term as soon as
it has it, so a run stopped by a limit still yields the terms computed before, and the task says
which limit stopped it.
"""

from __future__ import annotations

import json
import sys

from langgraph.runtime import Runtime

from mathteam.agents import code_runs
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Memory, Task
from mathteam.domains.sequences.settings import SequenceSpec
from mathteam.tools.sandbox import Completed, LimitHit, Limits, SandboxRun

ACTOR = Actor.role("example_generator", tool="python sandbox",
                   tool_version=f"{sys.version_info.major}.{sys.version_info.minor}")
LIMITS = Limits(cpu_seconds=20, wall_seconds=60, memory_mb=1024)
MIN_TERMS = 4
"""Fewer terms than this are not worth guessing from."""

PROGRAM = """{code}


def _mathteam_terms(start, count):
    import json
    terms = []
    for index in range(start, start + count):
        terms.append(a(index))
        print(json.dumps(terms[-1]), flush=True)
    emit(terms)


_mathteam_terms(inputs["offset"], inputs["count"])
"""


def terms_program(code: str) -> str:
    """The sandbox program for a definition of ``a(n)``: ``inputs`` gives ``offset`` and ``count``."""
    return PROGRAM.format(code=code.rstrip())


def spec_of(runtime: Runtime[TeamContext], name: str) -> SequenceSpec:
    return next(s for s in runtime.context.project.config.domain.sequences if s.name == name)


def compute_terms(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Store the sequence's first terms as the example ``terms:NAME``, with the run that gave them."""
    spec = spec_of(runtime, task.inputs["sequence"])
    code = task.inputs.get("code", spec.code)
    if code is None:
        with memory.atomic():
            store_terms(memory, task, spec, list(spec.terms or []), "given in the project file", None)
            memory.finish_tasks({task.id: {"terms": len(spec.terms or []), "source": "project file"}}, ACTOR)
        return
    # The project file's code is the person's own; anything else (a model's) passes the run_code gate.
    if task.inputs.get("origin", "project") != "project":
        code = _cleared_code(memory, runtime, task, code)
        if code is None:
            return
    inputs = {"offset": spec.offset, "count": spec.count}
    key, run = code_runs.run_and_record(memory, terms_program(code), inputs, LIMITS, ACTOR)
    terms, outputs = read_terms(run, spec.count, spec.offset)
    outputs |= {"run": key, "cached": run.cached, "seconds": run.seconds, "code_sha256": run.code_sha256}
    with memory.atomic():
        if len(terms) >= MIN_TERMS:
            store_terms(memory, task, spec, terms, f"sandbox run {key[:12]}", key)
        memory.finish_tasks({task.id: outputs}, ACTOR)
    runtime.stream_writer({"role": "example_generator", "done": task.id})


def read_terms(run: SandboxRun, count: int, offset: int = 0) -> tuple[list[int], dict]:
    """The terms a run gave: all of them, or those printed before a limit or an error stopped it (and
    where it stopped, and why)."""
    outcome = run.outcome
    if isinstance(outcome, Completed) and _integers(outcome.result) and len(outcome.result) == count:
        return list(outcome.result), {"terms": count, "result": "completed"}
    printed = []
    for line in outcome.stdout.splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            break
        if not isinstance(value, int) or isinstance(value, bool):
            break
        printed.append(value)
    printed = printed[:count]
    before = f"{len(printed)} of {count} terms were computed before"
    if isinstance(outcome, LimitHit):
        return printed, {"terms": len(printed), "result": "limit_hit", "limit": outcome.limit,
                         "detail": f"{outcome.detail}; {before}"}
    reason = getattr(outcome, "reason", "the program did not return a list of integers")
    if printed and len(printed) < count:
        # The code stopped (an exception, a bad value) while computing the next term: keep those before.
        return printed, {"terms": len(printed), "result": outcome.outcome, "stopped_at": offset + len(printed),
                         "detail": f"stopped at n = {offset + len(printed)}: {reason}; {before}"}
    return [], {"terms": 0, "result": outcome.outcome, "detail": reason}


def store_terms(memory: Memory, task: Task, spec: SequenceSpec, terms: list[int], source: str,
                run_key: str | None) -> None:
    memory.add_example(f"terms:{spec.name}", "sequence_terms", len(terms),
                       {"sequence": spec.name, "offset": spec.offset, "terms": terms, "run": run_key,
                        "task": task.id}, source, ACTOR)


def stored_terms(memory: Memory, name: str) -> tuple[int, list[int]] | None:
    """(offset, terms) of a sequence, as the example-generator stored them; None if it has none."""
    example = memory.example(f"terms:{name}")
    if example is None:
        return None
    return example["data"]["offset"], example["data"]["terms"]


def _cleared_code(memory: Memory, runtime: Runtime[TeamContext], task: Task, code: str) -> str | None:
    """Through the run_code gate: the code to run now (a person's edit replaces the model's), or
    None when the task waits for a person or was closed by a rejection."""
    if code_runs.request_code_run(memory, runtime.context, task, code):
        return code
    decided = code_runs.decision_for(memory, task, code)
    if decided is not None and decided.status == "edited" and decided.edit:
        return decided.edit
    if decided is not None:
        person = Actor.person(decided.decided_by or "unknown")
        memory.finish_tasks({task.id: {"result": "rejected", "reason": decided.reason}}, person)
    else:
        code_runs.mark_waiting(memory, task)
    return None


def _integers(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
