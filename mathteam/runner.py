"""Running a project's team to completion, to a gate or to its budget, resumably (LangGraph + SqliteSaver)."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, Literal

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from mathteam.agents.llm.brain import MODEL_STEPS_FAILED
from mathteam.errors import UserError
from mathteam.agents.team import build_team
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Memory
from mathteam.project import ROLES, Project
from mathteam.domain import DOMAIN_KEY, DOMAINS


@dataclass(frozen=True)
class StepProgress:
    """What a progress display needs after each step."""

    tasks_done: int
    tasks_total: int
    claims: dict[str, int]
    role: str | None
    activity: str | None = None
    """What the role is doing right now, when it says (e.g. a model reply streaming in)."""


@dataclass
class RunOutcome:
    status: Literal["done", "paused", "stopped", "failed"]
    """`done`: nothing left; `paused`: a gate waits for a person; `stopped`: a budget ran out, or
    `should_stop` asked the run to stop (`stop_reason` is then `STOPPED_ON_REQUEST`); `failed`: model
    steps failed and nothing else could go on (`stop_reason` names the provider, URL and error; the
    next run retries them)."""
    stop_reason: str | None = None
    waiting: list[dict] = field(default_factory=list)
    """For a pause: what waits for a decision."""
    claims: dict[str, int] = field(default_factory=dict)


STOPPED_ON_REQUEST = "stopped on request; run again to resume"



class QuestionChanged(UserError):
    code = "question-changed"


class RunInProgress(UserError):
    code = "run-in-progress"


@contextmanager
def exclusive_run(project: Project) -> Iterator[None]:
    """One run per project at a time: a second would redo the first one's steps from the same
    checkpoint. The lock is the kernel's (flock), so a run killed with -9 leaves none behind."""
    project.run_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(project.run_dir / "run.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 32, 0).decode(errors="replace").strip() or "unknown"
            raise RunInProgress(
                f"{project.path}: another mathteam run (pid {holder}) is working on this project; "
                f"wait for it, or stop it and run again to resume") from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(descriptor)


def question_fingerprint(project: Project) -> str:
    """What may not change under a run in progress: what the domain's section says is the question."""
    asked = project.config.domain.question_fingerprint()
    return hashlib.sha256(json.dumps(asked, sort_keys=True).encode()).hexdigest()[:16]


QUESTION_ASKED = "question_asked"
"""Memory meta key: the question as the domain states it (JSON), to tell an addition from a change."""


def extend_question(project: Project, memory: Memory, fingerprint: str) -> bool:
    """The project file only added to the question (laws, for a magma project) and the domain can
    take additions: plan them, without redoing settled work. False when the question changed
    otherwise (or the memory predates this record): the caller refuses it."""
    before = memory.get_meta(QUESTION_ASKED)
    domain = DOMAINS[project.config.domain.kind]
    if before is None or domain.extend is None or not project.config.domain.question_extends(json.loads(before)):
        return False
    done = domain.extend(project, memory)
    memory.set_meta("question", fingerprint)
    memory.set_meta(QUESTION_ASKED, json.dumps(project.config.domain.question_fingerprint()))
    memory.record_event(Actor.system(), "question extended", outputs={"what": done})
    return True


def prepare_memory(project: Project) -> float:
    """Open (or create) the memory, refuse a changed question, and return the time already spent."""
    project.run_dir.mkdir(parents=True, exist_ok=True)
    memory = Memory.open(project.memory_path)
    try:
        fingerprint = question_fingerprint(project)
        stored = memory.get_meta("question")
        if stored is None:
            memory.set_meta("question", fingerprint)
            memory.set_meta(QUESTION_ASKED, json.dumps(project.config.domain.question_fingerprint()))
            memory.set_meta("project_name", project.name)
        elif stored != fingerprint and not extend_question(project, memory, fingerprint):
            field, what = project.config.domain.question_field
            raise QuestionChanged(
                f"{project.path}: [domain] {field}: differ from the {what} this project's run began "
                f"with (in {project.run_dir}), not only by additions; give the project a new name "
                "or delete that folder")
        if memory.get_meta(QUESTION_ASKED) is None:  # a run begun before the question was kept
            memory.set_meta(QUESTION_ASKED, json.dumps(project.config.domain.question_fingerprint()))
        if memory.get_meta(DOMAIN_KEY) is None:
            memory.set_meta(DOMAIN_KEY, project.config.domain.kind)  # how `mathteam review` reads edits
        return float(memory.get_meta("seconds_spent") or 0.0)
    finally:
        memory.close()


def run_project(project: Project, approve_all: bool = False,
                on_progress: Callable[[StepProgress], None] | None = None,
                should_stop: Callable[[], bool] | None = None) -> RunOutcome:
    """Run the team from wherever this project's run stands; every step is checkpointed.

    `should_stop` is asked after every step (the TUI's pause button): when it answers True the
    run stops streaming and returns `stopped` with `STOPPED_ON_REQUEST`; the checkpoint makes the
    next call resume where it stopped.
    """
    with exclusive_run(project):
        return _run(project, approve_all, on_progress, should_stop)


def _run(project: Project, approve_all: bool, on_progress: Callable[[StepProgress], None] | None,
         should_stop: Callable[[], bool] | None) -> RunOutcome:
    seconds_before = prepare_memory(project)
    context = TeamContext(project=project, approve_all=approve_all, seconds_before=seconds_before)
    try:
        if uses_local_model(project):
            context.models.check_local_models()
        return _stream_team(project, context, approve_all, on_progress, should_stop)
    finally:
        context.close()


def uses_local_model(project: Project) -> bool:
    """Whether a role thinks with a model mathteam serves itself (``provider = "llama_cpp"``)."""
    config = project.config
    return any(config.models[getattr(config.team, role)].provider == "llama_cpp"
               for role in ROLES if getattr(config.team, role) != "symbolic")


def _stream_team(project: Project, context: TeamContext, approve_all: bool,
                 on_progress: Callable[[Progress], None] | None,
                 should_stop: Callable[[], bool] | None) -> RunOutcome:
    conn = sqlite3.connect(str(project.checkpoint_path), check_same_thread=False)
    try:
        graph = build_team(SqliteSaver(conn))
        config = {"configurable": {"thread_id": project.name}, "recursion_limit": 1_000_000}
        snapshot = graph.get_state(config)
        # An unfinished run (crash, Ctrl-C, kill -9) resumes from its last checkpoint; a finished
        # one starts a new pass, in which the planner finds only what is still to do.
        graph_input = None if snapshot.next else {}
        if snapshot.interrupts:
            graph_input = Command(resume={"approve_all": approve_all})
        stopped_on_request = False
        with Memory.open(project.memory_path) as memory:
            with closing(graph.stream(graph_input, config, context=context,
                                      stream_mode=["updates", "custom"])) as steps:
                for mode, chunk in steps:
                    if on_progress is not None:
                        custom = chunk if mode == "custom" else {}
                        on_progress(progress_of(memory, custom.get("role"), custom.get("activity")))
                    if should_stop is not None and should_stop():
                        stopped_on_request = True
                        break
            final = graph.get_state(config)
            claims = memory.claim_counts()
        if stopped_on_request:
            return RunOutcome("stopped", stop_reason=STOPPED_ON_REQUEST, claims=claims)
        if final.interrupts:
            waiting = [item for interrupt in final.interrupts for item in interrupt.value.get("items", [])]
            return RunOutcome("paused", waiting=waiting, claims=claims)
        stop_reason = final.values.get("stop_reason")
        if stop_reason and stop_reason.startswith(MODEL_STEPS_FAILED):
            return RunOutcome("failed", stop_reason=stop_reason, claims=claims)
        return RunOutcome("stopped" if stop_reason else "done", stop_reason=stop_reason, claims=claims)
    finally:
        conn.close()


def progress_of(memory: Memory, role: str | None = None, activity: str | None = None) -> StepProgress:
    counts = memory.task_counts()
    return StepProgress(tasks_done=counts.get("done", 0), tasks_total=sum(counts.values()),
                    claims=memory.claim_counts(), role=role, activity=activity)
