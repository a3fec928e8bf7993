"""Reviewing: the queue of items at approval gates, and recording a person's decision on one."""

from __future__ import annotations

import getpass
import os

from mathteam.domains.magma.terms import LawSyntaxError, parse_implication
from mathteam.errors import ReviewError
from mathteam.memory import Actor, Memory, Review

EDITABLE = {
    "conjecture": "an implication written 'LAW => LAW', e.g. 'x ◇ y = y ◇ x => x = x ◇ x'",
    "statement": "an implication written 'LAW => LAW', e.g. 'x ◇ y = y ◇ x => x = x ◇ x'",
    "report": "the report's new Markdown text",
}


def reviewer_name(explicit: str | None = None) -> str:
    """`--as NAME`, else $MATHTEAM_REVIEWER, else the login name."""
    name = explicit or os.environ.get("MATHTEAM_REVIEWER") or getpass.getuser()
    if not name.strip():
        raise ReviewError("the reviewer's name is empty; pass --as NAME")
    return name.strip()


def pending(memory: Memory) -> list[Review]:
    return memory.reviews(status="pending")


def item(memory: Memory, item_id: int) -> Review:
    review = memory.review(item_id)
    if review is None:
        raise ReviewError(f"no review item {item_id} (see the list: mathteam review PROJECT)", item_id)
    return review


def decide(memory: Memory, item_id: int, decision: str, reviewer: str, comment: str | None = None,
           reason: str | None = None, edit: str | None = None) -> Review:
    """Validate and record one decision; raises ReviewError (and changes nothing) when it can't be taken."""
    review = item(memory, item_id)
    if review.status != "pending":
        raise ReviewError(f"item {item_id} was already {review.status} by {review.decided_by} "
                          f"at {review.decided_at}", item_id)
    if decision == "rejected" and not (reason or "").strip():
        raise ReviewError("a rejection needs a reason: --reason TEXT", item_id)
    if decision == "edited":
        claim = memory.claim(review.subject or "") if review.gate in ("conjecture", "statement") else None
        if claim is not None and claim.kind != "implication":
            raise ReviewError(f"only magma implications can be edited at the {review.gate} gate; "
                              "approve or reject this one", item_id)
        edit = validate_edit(review, edit)
    return memory.decide_review(item_id, decision, Actor.person(reviewer), comment=comment,
                                reason=(reason or "").strip() or None, edit=edit)


def validate_edit(review: Review, text: str | None) -> str:
    if review.gate not in EDITABLE:
        raise ReviewError(f"items at the {review.gate} gate cannot be edited; approve or reject it", review.id)
    text = (text or "").strip()
    if not text:
        raise ReviewError(f"the edit is empty; expected {EDITABLE[review.gate]}", review.id)
    if review.gate in ("conjecture", "statement"):
        try:
            parse_implication(text)
        except LawSyntaxError as error:
            raise ReviewError(f"the edit does not parse: {error.problem} (expected "
                              f"{EDITABLE[review.gate]})", review.id) from None
    return text
