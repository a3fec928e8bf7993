"""What a person does from the UI, as plain functions over the project memory (the CLI can share them).

Each opens its own short-lived memory connection: the UI and a headless run write the same file,
and the memory's `BEGIN IMMEDIATE` with a busy timeout serialises them without "database is locked".
"""

from __future__ import annotations

import json

from mathteam import review
from mathteam.errors import ReviewError, UserError
from mathteam.memory import Actor, Claim, Memory, Review, Task
from mathteam.project import Project

DECISIONS = ("approved", "rejected", "edited")


class ContributionError(UserError):
    """A conjecture or task typed by hand that the team cannot take."""

    code = "contribution"


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
        return review.decide(memory, item_id, decision, reviewer, comment=comment, reason=reason, edit=edit)


def add_conjecture(project: Project, text: str, person: str) -> Claim:
    """A person's conjecture `LAW => LAW`: a new claim authored by them, and a task to settle it."""
    _magma_only(project)
    hypothesis, conclusion = _parse_implication(text)
    author = Actor.person(person)
    with _open_existing(project) as memory:
        if memory.get_meta("planned") != "yes":
            raise ContributionError("the team has not planned yet: start it first, then add conjectures")
        with memory.atomic():
            a = _law_name(memory, project, hypothesis)
            b = _law_name(memory, project, conclusion)
            if a == b:
                raise ContributionError(f"{text.strip()}: both sides are the same law ({a})")
            claim_id = f"{a}=>{b}"
            existing = memory.claim(claim_id)
            if existing is not None:
                raise ContributionError(f"{claim_id} is already a claim ({existing.status}, by {existing.author})")
            claim = Claim(id=claim_id, kind="implication", author=author.label(), status="conjectured",
                          reason=f"conjectured by {person}", statement=f"{a} ({hypothesis}) implies {b} ({conclusion})",
                          data={"hypothesis": a, "conclusion": b, "hypothesis_law": str(hypothesis),
                                "conclusion_law": str(conclusion)})
            memory.add_claims([claim], author)
            memory.add_tasks([Task(id=f"pair:{claim_id}", kind="implication", role="prover", priority=3.0,
                                   title=f"Settle {a} => {b} (conjectured by {person})",
                                   inputs={"claim": claim_id, "hypothesis": a, "conclusion": b})], author)
            memory.record_event(author, "conjecture added", subject=claim_id, inputs={"text": text.strip()})
        return memory.claim(claim_id)


def add_examples_task(project: Project, size: int, person: str) -> Task:
    """A person's task for the example-generator: every magma of one more size (1 to 3)."""
    _magma_only(project)
    if not 1 <= size <= 3:
        raise ContributionError(f"size {size}: exhaustive search is for sizes 1 to 3 (size 4 has 4^16 tables)")
    author = Actor.person(person)
    task = Task(id=f"examples:exhaustive:{size}:{person}", kind="examples", role="example_generator",
                priority=0, title=f"Every magma of size {size} (asked by {person})", inputs={"sizes": [size]})
    with _open_existing(project) as memory:
        if memory.task(task.id) is not None:
            raise ContributionError(f"{person} already asked for the magmas of size {size}")
        with memory.atomic():
            memory.add_tasks([task], author)
            memory.record_event(author, "task added", subject=task.id, inputs={"title": task.title})
        return memory.task(task.id)


def _parse_implication(text: str):
    from mathteam.domains.magma.terms import LawSyntaxError, parse_implication

    try:
        return parse_implication(text.strip())
    except LawSyntaxError as error:
        raise ContributionError(f"{text.strip() or '(empty)'}: {error.problem} "
                                "(expected 'LAW => LAW', e.g. 'x ◇ y = y ◇ x => x = x ◇ x')") from None


def _open_existing(project: Project) -> Memory:
    if not project.memory_path.exists():
        raise ContributionError("no run yet: start the team first (key s), then add to its work")
    return Memory.open(project.memory_path)


def _magma_only(project: Project) -> None:
    if project.config.domain.kind != "magma_implications":
        raise ContributionError(f"adding conjectures and tasks by hand is not supported for "
                                f"{project.config.domain.kind} projects yet")


def _law_name(memory: Memory, project: Project, law) -> str:
    """The question's name for a law, else `Person<k>`: a law a person introduced by hand."""
    from mathteam.agents.magma_question import MagmaQuestion, name_for_law

    question = MagmaQuestion.of(project, memory)
    extra = json.loads(memory.get_meta("extra_laws") or "{}")
    return name_for_law(memory, question, law, f"Person{len(extra) + 1}")
