"""What a person does from the UI, as plain functions over the project memory (the CLI can share them).

Each opens its own short-lived memory connection: the UI and a headless run write the same file,
and the memory's `BEGIN IMMEDIATE` with a busy timeout serialises them without "database is locked".
"""

from __future__ import annotations

from mathteam import review
from mathteam.domain import DOMAINS, Contributions
from mathteam.errors import ContributionError, ReviewError
from mathteam.memory import Claim, Memory, Review, Task
from mathteam.project import Project

DECISIONS = ("approved", "rejected", "edited")
__all__ = ["ContributionError", "DECISIONS", "add_conjecture", "add_examples_task", "approve_gate", "decide",
           "reviewer_name"]


def reviewer_name(explicit: str | None = None) -> str:
    """`--as NAME`, else `$MATHTEAM_REVIEWER`, else the login name: the rule of `mathteam review`."""
    return review.reviewer_name(explicit)


def decide(project: Project, item_id: int, decision: str, reviewer: str, comment: str | None = None,
           reason: str | None = None, edit: str | None = None) -> Review:
    """Record a person's decision through `mathteam.review.decide`, the function the CLI calls.

    Bad input (unknown or decided item, empty reason, an edit that does not parse) raises
    ReviewError and changes nothing.
    """
    if decision not in DECISIONS:
        raise ReviewError(f"unknown decision {decision!r} (expected one of {', '.join(DECISIONS)})", item_id)
    if not project.memory_path.exists():
        raise ReviewError(f"no review item {item_id}: no run yet", item_id)
    with Memory.open(project.memory_path) as memory:
        return review.decide(memory, item_id, decision, reviewer, comment=comment, reason=reason, edit=edit,
                             kind=project.config.domain.kind)


def approve_gate(project: Project, gate: str, reviewer: str, min_examples: int | None = None) -> list[Review]:
    """Approve every item waiting at `gate` (with `min_examples`, only conjectures that survived
    that many examples) in one transaction, through the functions `mathteam review approve --gate`
    calls; ReviewError when nothing qualifies."""
    if not project.memory_path.exists():
        raise ReviewError("no run yet: nothing waits for a decision")
    with Memory.open(project.memory_path) as memory:
        items = review.select(memory, gate=gate, min_examples=min_examples)
        return review.decide_many(memory, items, "approved", reviewer)


def add_conjecture(project: Project, text: str, person: str) -> Claim:
    """A person's conjecture (for a magma project `LAW => LAW`): a new claim authored by them, and a task to settle it."""
    add = _contributions(project).conjecture
    if add is None:
        raise _unsupported(project)
    with _open_existing(project) as memory:
        return add(project, memory, text, person)


def add_examples_task(project: Project, size: int, person: str) -> Task:
    """A person's task for the example-generator (for a magma project: every magma of one more size, 1 to 3)."""
    add = _contributions(project).examples
    if add is None:
        raise _unsupported(project)
    with _open_existing(project) as memory:
        return add(project, memory, size, person)


def _contributions(project: Project) -> Contributions:
    return DOMAINS[project.config.domain.kind].contributions


def _unsupported(project: Project) -> ContributionError:
    return ContributionError(f"adding conjectures and tasks by hand is not supported for "
                             f"{project.config.domain.kind} projects yet")


def _open_existing(project: Project) -> Memory:
    if not project.memory_path.exists():
        raise ContributionError("no run yet: start the team first (key s), then add to its work")
    return Memory.open(project.memory_path)
