"""What a person may add by hand to a running magma project: a conjecture `LAW => LAW`, or a size to enumerate."""

from __future__ import annotations

import json

from mathteam.agents.magma.question import MagmaQuestion, name_for_law
from mathteam.agents.magma.vocabulary import implication_claim, pair_task
from mathteam.domain import Contributions
from mathteam.domains.magma.terms import LawSyntaxError, parse_implication
from mathteam.errors import ContributionError
from mathteam.domains.magma.implications import claim_id as implication_id
from mathteam.memory import Actor, Claim, Memory, Task
from mathteam.project import Project


def add_conjecture(project: Project, memory: Memory, text: str, person: str) -> Claim:
    """A person's conjecture `LAW => LAW`: a new claim authored by them, and a task to settle it."""
    hypothesis, conclusion = _parse_implication(text)
    author = Actor.person(person)
    if memory.get_meta("planned") != "yes":
        raise ContributionError("the team has not planned yet: start it first, then add conjectures")
    with memory.atomic():
        a = _law_name(memory, project, hypothesis)
        b = _law_name(memory, project, conclusion)
        if a == b:
            raise ContributionError(f"{text.strip()}: both sides are the same law ({a})")
        claim_id = implication_id(a, b)
        existing = memory.claim(claim_id)
        if existing is not None:
            raise ContributionError(f"{claim_id} is already a claim ({existing.status}, by {existing.author})")
        claim = implication_claim(a, hypothesis, b, conclusion, author.label(), status="conjectured",
                                  reason=f"conjectured by {person}")
        memory.add_claims([claim], author)
        memory.add_tasks([pair_task(a, b, 3.0, f"conjectured by {person}")], author)
        memory.record_event(author, "conjecture added", subject=claim_id, inputs={"text": text.strip()})
        _redo_write_up(memory, author, f"{person} conjectured {claim_id}")
    return memory.claim(claim_id)


def add_examples_task(project: Project, memory: Memory, size: int, person: str) -> Task:
    """A person's task for the example-generator: every magma of one more size (1 to 3)."""
    if not 1 <= size <= 3:
        raise ContributionError(f"size {size}: exhaustive search is for sizes 1 to 3 (size 4 has 4^16 tables)")
    author = Actor.person(person)
    task = Task(id=f"examples:exhaustive:{size}:{person}", kind="examples", role="example_generator",
                priority=0, title=f"Every magma of size {size} (asked by {person})", inputs={"sizes": [size]})
    if memory.task(task.id) is not None:
        raise ContributionError(f"{person} already asked for the magmas of size {size}")
    with memory.atomic():
        memory.add_tasks([task], author)
        memory.record_event(author, "task added", subject=task.id, inputs={"title": task.title})
        _redo_write_up(memory, author, f"{person} asked for the magmas of size {size}")
    return memory.task(task.id)


# A finished project's Lean files and report describe the work as it stood: new work makes them
# stale, so they are written again once it is done (the formalizer's task waits for every pair).
WRITE_UP = ("formalize", "report")


def _redo_write_up(memory: Memory, author: Actor, why: str) -> None:
    done = [task.id for task in memory.tasks(status="done") if task.kind in WRITE_UP]
    if done:
        memory.reopen_tasks(done, author, f"{why}: written again when that is settled")


def _parse_implication(text: str):
    try:
        return parse_implication(text.strip())
    except LawSyntaxError as error:
        raise ContributionError(f"{text.strip() or '(empty)'}: {error.problem} "
                                "(expected 'LAW => LAW', e.g. 'x ◇ y = y ◇ x => x = x ◇ x')") from None


def _law_name(memory: Memory, project: Project, law) -> str:
    """The question's name for a law, else `Person<k>`: a law a person introduced by hand."""
    question = MagmaQuestion.of(project, memory)
    extra = json.loads(memory.get_meta("extra_laws") or "{}")
    return name_for_law(memory, question, law, f"Person{len(extra) + 1}")


CONTRIBUTIONS = Contributions(conjecture=add_conjecture, examples=add_examples_task)
