"""The example-generator's magma work: every small magma exhaustively, then targeted searches for counterexamples."""

from __future__ import annotations

import time

import numpy as np
from langgraph.runtime import Runtime

from mathteam.agents.magma.question import MagmaQuestion, record_refutations
from mathteam.domains.magma import finite
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Memory, Task
from mathteam.tools.sat_search import TOOL_NAME as SEARCH_TOOL, TOOL_VERSION as SEARCH_VERSION
from mathteam.tools.sat_search import find_counterexample
from mathteam.tools.results import Found

NUMPY = Actor.role("example_generator", tool="numpy", tool_version=np.__version__)
SEARCH = Actor.role("example_generator", tool=SEARCH_TOOL, tool_version=SEARCH_VERSION)


def _question(memory: Memory, runtime: Runtime[TeamContext], shared: dict) -> MagmaQuestion:
    if "question" not in shared:
        shared["question"] = MagmaQuestion.of(runtime.context.project, memory)
    return shared["question"]


def exhaustive(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Evaluate every law on every magma of the task's sizes; each refuting table is re-checked."""
    question = _question(memory, runtime, shared)
    started = time.monotonic()
    open_ids = {claim.id for claim in memory.claims(status=["open", "conjectured"])}
    summary = {}
    for size in task.inputs["sizes"]:
        magmas = finite.all_magmas(size)
        sat = finite.satisfaction_matrix(magmas, question.laws)
        witness = finite.refutations(sat)
        found = [(i, j, int(witness[i, j])) for i, j in zip(*np.nonzero(witness >= 0))
                 if question.claim_id(i, j) in open_ids]
        tables = {m: magmas[m].tolist() for _, _, m in found}
        refuted = record_refutations(
            memory, question, [(i, j, tables[m]) for i, j, m in found], NUMPY,
            source=f"exhaustive search of all {len(magmas)} magmas of size {size}")
        open_ids -= refuted
        summary[str(size)] = {"magmas": int(len(magmas)), "refuted": len(refuted),
                              "satisfying": {law.name: int(count) for law, count
                                             in zip(question.named, sat.sum(axis=1))}}
    memory.finish_tasks({task.id: {"sizes": summary, "seconds": round(time.monotonic() - started, 3)}},
                        NUMPY)


def targeted_search(memory: Memory, task: Task, runtime: Runtime[TeamContext], shared: dict) -> None:
    """Search larger magmas for one that satisfies the hypothesis and violates the conclusion."""
    question, context = _question(memory, runtime, shared), runtime.context
    claim = memory.claim(task.inputs["claim"])
    attempts = list(task.outputs.get("attempts", []))
    if claim is None or claim.status not in ("open", "conjectured"):
        memory.update_task_outputs(task.id, {**task.outputs, "attempts": attempts})
        return
    domain, budget = context.project.config.domain, context.project.config.budget
    i, j = question.index[task.inputs["hypothesis"]], question.index[task.inputs["conclusion"]]
    result = find_counterexample(question.laws[i], question.laws[j], sizes=domain.search_sizes,
                                 seconds=budget.search_seconds)
    with memory.atomic():
        if isinstance(result, Found):
            table = [list(row) for row in result.table]
            # One new magma may refute many other open pairs at once: evaluate every law on it.
            sat = finite.satisfaction_matrix(np.array([table], dtype=np.uint8), question.laws)[:, 0]
            open_ids = {c.id for c in memory.claims(status=["open", "conjectured"])}
            pairs = [(a, b, table) for a in range(len(question.laws)) for b in range(len(question.laws))
                     if sat[a] and not sat[b] and question.claim_id(a, b) in open_ids]
            record_refutations(memory, question, pairs, SEARCH,
                               source=f"targeted search ({result.tool}) at size {result.size}")
            attempts.append({"by": "example_generator", "result": f"found a magma of size {result.size}",
                             "seconds": round(result.seconds, 3)})
        else:
            attempts.append({"by": "example_generator",
                             "result": f"no counterexample of size {_sizes(result.sizes_tried)} "
                                       f"({'none exists' if result.reason == 'exhausted' else 'time ran out'})",
                             "seconds": round(result.seconds, 3)})
        memory.update_task_outputs(task.id, {**task.outputs, "attempts": attempts})
        memory.record_event(SEARCH, "targeted search", subject=claim.id,
                            outputs={"result": attempts[-1]["result"]}, seconds=result.seconds)
    runtime.stream_writer({"role": "example_generator", "done": task.id})


def _sizes(sizes: tuple[int, ...]) -> str:
    if not sizes:
        return "(none tried)"
    return f"{sizes[0]}–{sizes[-1]}" if len(sizes) > 1 else str(sizes[0])
