"""A report a person decided on keeps that decision and that text, until a new sign-off.

Once a person approved, rejected or rewrote the report at the `report` gate, `report.md` holds
exactly the text they decided on, under a line naming who decided, when and why; nothing the
team writes later replaces it. The writer's later reports go to `report.draft.md` beside it,
and a person may ask for a new sign-off of that draft (`mathteam report PROJECT
--request-sign-off`); when it is decided, the draft becomes `report.md` in its turn.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from mathteam.errors import ReviewError
from mathteam.memory.models import Actor, Review

if TYPE_CHECKING:
    from mathteam.memory import Memory
    from mathteam.project import Project

DRAFT_NAME = "report.draft.md"
DECIDED = ("approved", "rejected", "edited")
DECISIONS_HEADER = "| person | gate | decision | items |"


def last_decision(memory: "Memory") -> Review | None:
    """The latest decision a person (or an unattended run, on record) took on the report."""
    decided = memory.reviews(gate="report", status=DECIDED)
    return decided[-1] if decided else None


def draft_path(project: "Project") -> Path:
    return project.run_dir / DRAFT_NAME


def generated_report_path(project: "Project", memory: "Memory") -> Path:
    """Where the writer puts the report it generates: `report.md`, unless a person decided on that."""
    return draft_path(project) if last_decision(memory) is not None else project.report_path


def decided_text(review: Review) -> str:
    """`report.md` after a decision: who decided, then the very text they decided on."""
    by = f"{review.decided_by} at {review.decided_at}"
    if review.status == "edited":
        return (f"> **Written and signed off** by {by}: this text replaced the team's draft.\n\n"
                f"{review.edit or ''}")
    body = with_decision_row(review.evidence.get("text", ""), review)
    if review.status == "rejected":
        return f"> **Not approved** by {by}: {review.reason}\n\n{body}"
    note = f" ({review.comment})" if review.comment else ""
    return f"> **Signed off** by {by}{note}.\n\n{body}"


def with_decision_row(text: str, review: Review) -> str:
    """The report's table of people's decisions, counting this decision on the report itself
    (the draft was written before anyone decided on it)."""
    lines = text.split("\n")
    row_key = (review.decided_by, "report", review.status)
    if DECISIONS_HEADER in lines:
        start = lines.index(DECISIONS_HEADER)
        end = start + 2
        while end < len(lines) and lines[end].startswith("|"):
            end += 1
        counts = Counter()
        for line in lines[start + 2:end]:
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if len(cells) == 4 and cells[3].isdigit():
                counts[(cells[0], cells[1], cells[2])] += int(cells[3])
        counts[row_key] += 1
        rows = [f"| {who} | {gate} | {status} | {n} |" for (who, gate, status), n in sorted(counts.items())]
        return "\n".join([*lines[:start + 2], *rows, *lines[end:]])
    if "## Who did what" in lines:
        end = lines.index("## Who did what") + 1
        while end < len(lines) and not lines[end].startswith(("|", "#")):
            end += 1
        while end < len(lines) and lines[end].startswith("|"):
            end += 1
        table = ["", DECISIONS_HEADER, "|---|---|---|---|", f"| {row_key[0]} | report | {row_key[2]} | 1 |"]
        return "\n".join([*lines[:end], *table, *lines[end:]])
    return text


def keep_decided(project: "Project", memory: "Memory") -> Review | None:
    """Write `report.md` from the last decision, if there is one (so it holds whatever happened
    to the file since); returns that decision."""
    review = last_decision(memory)
    if review is not None:
        project.report_path.write_text(decided_text(review), encoding="utf-8")
    return review


def request_sign_off(project: "Project", memory: "Memory", requested_by: Actor, path: Path) -> int:
    """Queue a new sign-off of the report at `path`; the report task waits for it again."""
    waiting = memory.reviews(gate="report", unapplied=True)
    if waiting:
        item = waiting[-1]
        state = "waits for a decision" if item.status == "pending" else \
            f"was {item.status}, and the next `mathteam run` has yet to act on it"
        raise ReviewError(f"the report's sign-off (item {item.id}) {state}; "
                          "a new one can be asked for after that", item.id)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    with memory.atomic():
        review_id = memory.add_review("report", f"Sign off the report {path.name}?", requested_by,
                                      subject="report", evidence={"path": str(path), "text": text})
        task = memory.task("report")
        if task is not None:
            memory.reopen_tasks(["report"], requested_by, f"a new sign-off was asked for (item {review_id})")
            memory.update_task_outputs("report", {**task.outputs, "draft": str(path)})
    return review_id
