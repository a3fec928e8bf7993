"""The one magma engine (tools/bulk_engine) as the team opens it: over which laws, where, with what limits.

A bulk question's engine works on the project's laws in `<run>/engine`. A small question's engine
works on the question's laws as they stand (the project's, plus any a person introduced at a gate or
by hand), in `<run>/pair-engine/<digest of those laws>`: adding laws starts a fresh engine, while
the pairs already settled keep their claims and evidence.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from langgraph.runtime import Runtime

from mathteam.agents.magma.question import MagmaQuestion
from mathteam.errors import ProjectFileError
from mathteam.graph.context import TeamContext
from mathteam.memory import Memory, Task
from mathteam.project import Project
from mathteam.tools.bulk_engine import BULK_REWRITING_SECONDS, LARGER_FAMILIES, BulkEngine, EngineConfig
from mathteam.tools.bulk_reader import ENGINE_FOLDER
from mathteam.tools.eprover import find_eprover


def uses_bulk(project: Project) -> bool:
    """Whether the question is a bulk one: one claim per direct result, not one per pair."""
    domain = project.config.domain
    return domain.kind == "magma_implications" and domain.uses_bulk_engine


def engine_config(project: Project) -> EngineConfig:
    domain, budget = project.config.domain, project.config.budget
    levels = (budget.prover_seconds,) + ((budget.prover_retry_seconds,) if budget.prover_retry_seconds else ())
    # A small question's pairs are settled by finite tables (re-evaluated, written in Lean); an
    # infinite counter-model has no table, so only a bulk question's engine tries them; the larger
    # families' tables (up to 32 elements) are left to bulk questions too.
    return EngineConfig(exhaustive_sizes=tuple(sorted({1, *domain.exhaustive_sizes})), e_seconds=levels,
                        search_sizes=tuple(domain.search_sizes), search_seconds=budget.search_seconds,
                        workers=budget.workers, cluster=project.config.cluster, prover=project.config.tools.prover,
                        infinite_models=uses_bulk(project),
                        rewriting_seconds=BULK_REWRITING_SECONDS if uses_bulk(project) else 0.0,
                        rewriting_completion=uses_bulk(project),
                        **(LARGER_FAMILIES if uses_bulk(project) else {}))


def step_id(kind: str, level: int, round_: int, pass_: int = 1) -> str:
    """`bulk:prove:0:3`; a small question's later passes of the loop add `:pass2`, `:pass3`, ..."""
    return f"bulk:{kind}:{level}:{round_}" + (f":pass{pass_}" if pass_ > 1 else "")


def prove_task(project: Project, level: int, round_: int, after: str | None = None, pass_: int = 1,
               aim: str = "the key pairs of the conjectured order") -> Task:
    """The task of one proving round of the engine's loop (a `bulk_prove` step)."""
    seconds = engine_config(project).e_seconds[level]
    inputs = {"level": level, "round": round_, "seconds": seconds} | ({"pass": pass_} if pass_ > 1 else {})
    return Task(id=step_id("prove", level, round_, pass_), kind="bulk_prove", role="prover", priority=3,
                depends_on=[after] if after else [], inputs=inputs,
                title=f"Proving round {round_} at {seconds:g} s per pair: {aim}")


def engine_folder(project: Project) -> Path:
    """Where a bulk question's engine keeps its evidence log and matrix snapshot (its checkpoint)."""
    return project.run_dir / ENGINE_FOLDER


def open_engine(project: Project) -> BulkEngine:
    """A bulk question's engine over the project's laws, replayed from its evidence log."""
    laws = [item.law for item in project.config.domain.named_laws]
    return BulkEngine(laws, engine_folder(project), engine_config(project), cache_dir=project.run_dir / "cache")


def laws_digest(question: MagmaQuestion) -> str:
    text = "\n".join(f"{item.name}\t{item.law}" for item in question.named)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def engine_for(context: TeamContext, memory: Memory) -> BulkEngine:
    """The run's engine: replayed once per run (per set of laws) and owned by the run's context."""
    project = context.project
    if project.config.tools.prover == "eprover" and find_eprover() is None:
        # Said once, up front: else every proof attempt would fail on the missing binary.
        raise ProjectFileError(str(project.path), 'prover "eprover": eprover is not on PATH; install it '
                               '(Debian/Ubuntu: apt install eprover), or use "auto" (z3 where E is missing)',
                               field="[tools] prover")
    if uses_bulk(project):
        return context.kept("bulk_engine", lambda: open_engine(project))
    question = MagmaQuestion.of(project, memory)
    digest = laws_digest(question)
    return context.kept(f"pair_engine:{digest}", lambda: BulkEngine(
        question.laws, project.run_dir / "pair-engine" / digest, engine_config(project),
        cache_dir=project.run_dir / "cache"))


def deadline(runtime: Runtime[TeamContext]) -> float:
    """When the run's wall-clock budget ends, on this process's clock."""
    context = runtime.context
    spent = context.seconds_before + (time.monotonic() - context.process_started)
    return time.monotonic() + max(0.0, context.project.config.budget.wall_clock_seconds - spent)


def progress(runtime: Runtime[TeamContext], role: str):
    """The engine's progress callback, streamed to the run's progress display as `role`'s."""
    def report(phase: str, info: dict) -> None:
        runtime.stream_writer({"role": role, "phase": phase, **info, "activity": activity(phase, info)})
    return report


def activity(phase: str, info: dict) -> str:
    """One line for the progress bar, e.g. ``search: searched 150, of 400, found 3; 99.992 % settled, 1,674 unknown``."""
    counts = {key: info[key] for key in ("true", "false", "unknown") if key in info}
    details = ", ".join(f"{key} {value}" for key, value in info.items() if key not in counts)
    total = sum(counts.values())
    if total:
        settled = f"{100 * (total - counts.get('unknown', 0)) / total:.3f} % settled, {counts.get('unknown', 0):,} unknown"
        details = f"{details}; {settled}" if details else settled
    return f"{phase}: {details}" if details else phase
