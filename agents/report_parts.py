"""Parts every domain's report shares: the writer's report task, who did what, the run's footer, saving the file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from typing import Any

from mathteam import signoff
from mathteam.memory import Actor, Artifact, Memory, Task
from mathteam.project import Project

WRITER = Actor.role("writer")


def report_task(memory: Memory, task: Task, runtime: Any, shared: dict) -> None:
    """Write the domain's report; with work left (a spent budget) it is an interim report and the task stays."""
    project = runtime.context.project
    path = runtime.context.domain.write_report(project, memory)
    interim = any(other.kind != "report" for other in memory.tasks(status="pending"))
    # Under the report gate, or once a new sign-off was asked for, the task ends when a person
    # signs the draft off (graph/decisions).
    signing = "report" in project.config.approval.gates or memory.reviews(gate="report", unapplied=True)
    if signing and not interim:
        memory.update_task_outputs(task.id, {"draft": str(path)})
    elif not interim:
        memory.finish_tasks({task.id: {"report": str(path)}}, WRITER)


def contributions(memory: Memory, more: list[tuple[str, str, int]] = ()) -> list[str]:
    """Who settled what: one row per actor and kind of evidence the checkers accepted, then the
    ``more`` rows (actor, evidence, count) of results kept outside the claims table."""
    rows = Counter((e.author, e.kind, e.verdict) for e in memory.evidence() if e.accepted)
    lines = ["## Who did what", "", "| actor (role, brain, tool) | evidence | settled |", "|---|---|---|"]
    lines += [f"| {author} | {kind} ({verdict} the claim) | {n} |"
              for (author, kind, verdict), n in sorted(rows.items(), key=lambda item: -item[1])]
    lines += [f"| {author} | {evidence} | {n} |" for author, evidence, n in more]
    decisions = Counter((r.decided_by, r.gate, r.status) for r in memory.reviews(
        status=["approved", "rejected", "edited"]))
    if decisions:
        lines += ["", "| person | gate | decision | items |", "|---|---|---|---|"]
        lines += [f"| {who} | {gate} | {status} | {n} |" for (who, gate, status), n in sorted(decisions.items())]
    authored = Counter(c.author for c in memory.claims() if c.author.startswith("person "))
    lines += [f"\n{author.removeprefix('person ')} proposed {n} claim(s) by hand or by editing."
              for author, n in sorted(authored.items())]
    lines += ["", "Every settled claim carries evidence that a checker independent of its author "
                  "accepted; the project memory holds it all (`mathteam export`).", ""]
    return lines


def save_report(project: Project, memory: Memory, lines: list[str], actor: Actor) -> Path:
    """Add the run's footer, write the report and record it as an artifact; returns its path.

    That is `report.md`, unless a person decided on `report.md` at the report gate: then it keeps
    their decision and text (mathteam.signoff) and the new report is the draft beside it."""
    spent = float(memory.get_meta("seconds_spent") or 0)
    stopped = memory.get_meta("stopped_early")
    early = ([f"**Stopped early**: {stopped}. Work is left undone; raise the budget in the project file and "
              "run again to resume.", ""] if stopped else [])
    lines = [*lines, "## Run", "", *early,
             f"Wall-clock time spent: {spent:.1f} s. Memory: `{project.memory_path}`.", ""]
    path = signoff.generated_report_path(project, memory)
    path.write_text("\n".join(lines), encoding="utf-8")
    if path == project.report_path:
        memory.add_artifact(Artifact(id="report", kind="report", path=path.name), actor)
    else:
        signoff.keep_decided(project, memory)
        memory.add_artifact(Artifact(id="report draft", kind="report", path=path.name), actor)
    return path
