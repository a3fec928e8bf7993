"""How a person edits a magma conjecture at the conjecture or statement gate: parsing the text, and replacing the claim."""

from __future__ import annotations

from mathteam.agents.magma.question import MagmaQuestion, name_for_law
from mathteam.agents.magma.vocabulary import implication_claim, pair_task
from mathteam.domain import ReviewEdits
from mathteam.domains.magma.terms import Law, LawSyntaxError, parse_implication
from mathteam.graph.context import TeamContext
from mathteam.memory import Actor, Memory, Review, Task

EXPECTED = "an implication written 'LAW => LAW', e.g. 'x ◇ y = y ◇ x => x = x ◇ x'"


def parse_edit(text: str) -> tuple[Law, Law]:
    """(hypothesis, conclusion) of an edit; ValueError naming the problem when it does not parse."""
    try:
        return parse_implication(text)
    except LawSyntaxError as error:
        raise ValueError(error.problem) from None


def apply_edit(memory: Memory, context: TeamContext, review: Review, task: Task) -> None:
    """Close the edited claim and its task, and add the person's implication as a new conjecture."""
    by = f"{review.decided_by} at {review.decided_at}"
    person = Actor.person(review.decided_by or "unknown")
    hypothesis, conclusion = parse_implication(review.edit or "")
    question = MagmaQuestion.of(context.project, memory)
    a = name_for_law(memory, question, hypothesis, f"Edit{review.id}H")
    b = name_for_law(memory, question, conclusion, f"Edit{review.id}C")
    claim = implication_claim(a, hypothesis, b, conclusion, person.label(), status="conjectured",
                              reason=f"edited at the {review.gate} gate by {by}", edited_from=review.subject)
    new_id = claim.id
    reason = f"replaced by {review.decided_by}'s edit {new_id} (review {review.id})"
    memory.mark_claims([review.subject], "open", reason, person)
    memory.finish_tasks({task.id: {**task.outputs, "result": "edited", "replaced_by": new_id}}, person)
    gates = task.outputs.get("cleared", [])
    memory.add_claims([claim], person)
    memory.add_tasks([pair_task(a, b, task.priority, f"edited by {review.decided_by}",
                                outputs={"cleared": [*gates, review.gate]})], person)


EDITS = ReviewEdits(expected=EXPECTED, parse=parse_edit, apply=apply_edit, claim_kinds=frozenset({"implication"}))
