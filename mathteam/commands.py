"""What each `mathteam` command does and prints; the CLI only parses arguments and maps errors."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console

from mathteam.domain import DOMAINS
from mathteam.memory import Actor, Memory
from mathteam.project import load_project
from mathteam.progress import RunProgress, claims_text
from mathteam.run_folder import open_existing_memory
from mathteam.runner import run_project

EXIT_OK, EXIT_PAUSED, EXIT_MODEL_FAILED, EXIT_STOPPED_EARLY = 0, 3, 5, 6


def run_command(path: Path, approve_all: bool = False, quiet: bool = False) -> int:
    project = load_project(path)
    console = Console(stderr=True, soft_wrap=True)
    console.print(f"mathteam: {project.config.project.goal}")
    console.print(f"memory: {project.memory_path}")
    with RunProgress(console, quiet=quiet) as progress:
        outcome = run_project(project, approve_all=approve_all, on_progress=progress.update)
    print(f"claims: {claims_text(outcome.claims)}")
    with Memory.open(project.memory_path) as memory:
        loop_stopped = memory.get_meta("loop_stopped")
    if loop_stopped:
        print(f"research loop stopped: {loop_stopped}")
    if outcome.status == "paused":
        print(f"paused at an approval gate; {len(outcome.waiting)} item(s) wait for a decision:")
        for item in outcome.waiting:
            print(f"  [{item.get('id')}] {item.get('gate')}: {item.get('question')}")
        print(f"decide with: mathteam review {path}   then run again: mathteam run {path}")
        return EXIT_PAUSED
    if outcome.status == "failed":
        print(f"Error: {path}: {outcome.stop_reason}", file=sys.stderr)
        return EXIT_MODEL_FAILED
    if outcome.status == "stopped":
        advice = f"; raise it in {path} and run again to resume" if "budget" in (outcome.stop_reason or "") else ""
        print(f"stopped early: {outcome.stop_reason}{advice}")
        print(f"report: {project.report_path}")
        return EXIT_STOPPED_EARLY
    print(f"report: {project.report_path}")
    return EXIT_OK


def status_command(path: Path) -> int:
    project = load_project(path)
    with open_existing_memory(project) as memory:
        tasks = memory.task_counts()
        print(f"project: {project.name} — {project.config.project.goal}")
        print(f"memory: {project.memory_path}")
        print(f"tasks: {tasks.get('done', 0)} done, {tasks.get('pending', 0)} pending")
        unlisted = DOMAINS[project.config.domain.kind].numerous_kinds
        for task in memory.tasks():
            if task.kind not in unlisted:
                print(f"  [{task.status:7}] {task.id}: {task.title}")
        claims = memory.claim_counts()
        print("claims: " + ", ".join(f"{n} {status}" for status, n in sorted(claims.items())))
        spent = float(memory.get_meta("seconds_spent") or 0)
        print(f"time spent: {spent:.1f} s of {project.config.budget.wall_clock_seconds:g} s")
    return EXIT_OK


def report_command(path: Path, request_sign_off: bool = False, reviewer: str | None = None) -> int:
    """(Re)write the report; a report a person decided on keeps its decision and text, and the
    new one is the draft beside it, whose path is printed (and a new sign-off asked, if wanted)."""
    from mathteam import signoff
    from mathteam.agents.writer import write_report
    from mathteam.review import reviewer_name

    project = load_project(path)
    with open_existing_memory(project) as memory:
        written = write_report(project, memory)
        decision = signoff.last_decision(memory)
        item = None
        if request_sign_off:
            who = Actor.person(reviewer_name(reviewer))
            item = signoff.request_sign_off(project, memory, who, written)
    if decision is not None:
        print(f"{project.report_path.name} keeps the decision on it: {decision.status} by "
              f"{decision.decided_by} at {decision.decided_at}; the team's current report is "
              f"{written.name}", file=sys.stderr)
    if item is not None:
        print(f"a new sign-off of {written.name} is asked for (item {item}); decide with "
              f"`mathteam review {path}`, then `mathteam run {path}`", file=sys.stderr)
    elif decision is not None:
        print(f"to have it signed off: mathteam report {path} --request-sign-off", file=sys.stderr)
    print(written)
    return EXIT_OK
