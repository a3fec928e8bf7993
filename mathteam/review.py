"""Reviewing: the queue of items at approval gates, and recording a person's decision on one."""

from __future__ import annotations

import getpass
import os

from mathteam.domain import DOMAIN_KEY, DOMAINS, ReviewEdits
from mathteam.errors import ReviewError
from mathteam.memory import Actor, Memory, Review

CLAIM_GATES = ("conjecture", "statement")
"""Gates whose items are claims: an edit replaces the claim, in the words of the project's domain."""
REPORT_EDIT = "the report's new Markdown text"


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
           reason: str | None = None, edit: str | None = None, kind: str | None = None) -> Review:
    """Validate and record one decision; raises ReviewError (and changes nothing) when it can't be taken.

    `kind` is the project's domain (by default the one its memory records): it says how claims
    may be edited.
    """
    review = item(memory, item_id)
    if review.status != "pending":
        raise ReviewError(f"item {item_id} was already {review.status} by {review.decided_by} "
                          f"at {review.decided_at}", item_id)
    if decision == "rejected" and not (reason or "").strip():
        raise ReviewError("a rejection needs a reason: --reason TEXT", item_id)
    if decision == "edited":
        edits = domain_edits(memory, kind)
        claim = memory.claim(review.subject or "") if review.gate in CLAIM_GATES else None
        if claim is not None and (edits is None or claim.kind not in edits.claim_kinds):
            raise ReviewError(f"{claim.kind} claims cannot be edited at the {review.gate} gate; "
                              "approve or reject this one", item_id)
        edit = validate_edit(review, edit, edits)
    return memory.decide_review(item_id, decision, Actor.person(reviewer), comment=comment,
                                reason=(reason or "").strip() or None, edit=edit)


def domain_edits(memory: Memory, kind: str | None = None) -> ReviewEdits | None:
    """How the project's domain lets a person edit its claims (None: it does not)."""
    kind = kind or memory.get_meta(DOMAIN_KEY)
    return DOMAINS[kind].edits if kind in DOMAINS else None


def validate_edit(review: Review, text: str | None, edits: ReviewEdits | None = None) -> str:
    if review.gate != "report" and (review.gate not in CLAIM_GATES or edits is None):
        raise ReviewError(f"items at the {review.gate} gate cannot be edited; approve or reject it", review.id)
    expected = REPORT_EDIT if review.gate == "report" else edits.expected
    text = (text or "").strip()
    if not text:
        raise ReviewError(f"the edit is empty; expected {expected}", review.id)
    if review.gate in CLAIM_GATES:
        try:
            edits.parse(text)
        except ValueError as error:
            raise ReviewError(f"the edit does not parse: {error} (expected {expected})", review.id) from None
    return text
