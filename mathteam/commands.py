"""What each `mathteam` command does and prints; the CLI only parses arguments and maps errors."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console

from mathteam import export
from mathteam.domain import DOMAINS
from mathteam.errors import UserError
from mathteam.memory import Memory
from mathteam.project import Project, load_project
from mathteam.progress import RunProgress, claims_text
from mathteam.runner import run_project

EXIT_OK, EXIT_PAUSED, EXIT_MODEL_FAILED, EXIT_STOPPED_EARLY = 0, 3, 5, 6


class NoRunYet(UserError):
    code = "no-run"


def open_existing_memory(project: Project) -> Memory:
    if not project.memory_path.exists():
        error = NoRunYet(f"{project.path}: no run yet (no memory at {project.memory_path})")
        error.hint = f"mathteam run {project.path}"
        raise error
    return Memory.open(project.memory_path)


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


def export_command(path: Path, fmt: str, output: str | None) -> int:
    project = load_project(path)
    domain_rows = DOMAINS[project.config.domain.kind].export_rows
    with open_existing_memory(project) as memory:
        rows = domain_rows(project, memory) if domain_rows else export.claim_rows(memory)
        if output:
            target = Path(output)
            try:
                # A folder that does not exist yet is made, as `-o results/pairs.csv` suggests.
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "w", encoding="utf-8") as out:
                    count = export.write_rows(rows, fmt, out)
            except OSError as error:
                raise UserError(f"cannot write {output}: {error.strerror or error}") from None
            print(f"wrote {count} rows to {output}", file=sys.stderr)
        else:
            export.write_rows(rows, fmt, sys.stdout)
    return EXIT_OK


def report_command(path: Path) -> int:
    from mathteam.agents.writer import write_report

    project = load_project(path)
    with open_existing_memory(project) as memory:
        report = write_report(project, memory)
    print(report)
    return EXIT_OK


def review_command(path: Path, args) -> int:
    from mathteam import review

    project = load_project(path)
    with open_existing_memory(project) as memory:
        if args.action is None:
            items = review.pending(memory)
            if not items:
                print("nothing waits for a decision")
            for item in items:
                print(f"[{item.id}] {item.gate}: {item.question}  (asked by {item.requested_by}, {item.requested_at})")
            return EXIT_OK
        if args.action == "show":
            print_review(review.item(memory, args.item))
            return EXIT_OK
        reviewer = review.reviewer_name(args.reviewer)
        if args.action == "approve":
            decided = review.decide(memory, args.item, "approved", reviewer, comment=args.comment)
        elif args.action == "reject":
            decided = review.decide(memory, args.item, "rejected", reviewer, reason=args.reason)
        else:
            edit_path = Path(args.file)
            if not edit_path.is_file():
                raise UserError(f"{edit_path}: file not found")
            decided = review.decide(memory, args.item, "edited", reviewer, comment=args.comment,
                                    edit=edit_path.read_text(encoding="utf-8"), kind=project.config.domain.kind)
    print(f"item {decided.id} {decided.status} by {decided.decided_by}; "
          f"the next `mathteam run {path}` acts on it")
    return EXIT_OK


def print_review(item) -> None:
    import json

    print(f"[{item.id}] {item.gate}: {item.question}")
    print(f"subject: {item.subject}")
    print(f"asked by {item.requested_by} at {item.requested_at}")
    print(f"status: {item.status}" + (f" by {item.decided_by} at {item.decided_at}" if item.decided_by else ""))
    for label, value in (("comment", item.comment), ("reason", item.reason), ("edit", item.edit)):
        if value:
            print(f"{label}: {value}")
    print("evidence:")
    for key, value in item.evidence.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        print(f"  {key}: {text}")
