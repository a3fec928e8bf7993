"""Reviewing: the queue of items at approval gates, and recording people's decisions on them,
one item at a time or many at once (`3,5,10-40`, or every waiting item of a gate).

Only the review queue is needed here (`mathteam.memory.reviews`), never the whole memory, so the
command line answers without loading sqlite-utils, the team or the mathematics; an edit, which
is checked against the claims and the project's domain, is the exception.
"""

from __future__ import annotations

import getpass
import os
import re
from typing import TYPE_CHECKING

from mathteam.errors import ReviewError
from mathteam.memory.models import Actor, Review
from mathteam.memory.reviews import ReviewQueue

if TYPE_CHECKING:
    from mathteam.domain import ReviewEdits
    from mathteam.memory import Memory

CLAIM_GATES = ("conjecture", "statement")
"""Gates whose items are claims: an edit replaces the claim, in the words of the project's domain."""
REPORT_EDIT = "the report's new Markdown text"


def reviewer_name(explicit: str | None = None) -> str:
    """`--as NAME`, else $MATHTEAM_REVIEWER, else the login name."""
    name = explicit or os.environ.get("MATHTEAM_REVIEWER") or getpass.getuser()
    if not name.strip():
        raise ReviewError("the reviewer's name is empty; pass --as NAME")
    return name.strip()


def pending(memory: ReviewQueue) -> list[Review]:
    return memory.reviews(status="pending")


def item(memory: ReviewQueue, item_id: int) -> Review:
    review = memory.review(item_id)
    if review is None:
        raise ReviewError(f"no review item {item_id} (see the list: mathteam review PROJECT)", item_id)
    return review


def decide(memory: "Memory | ReviewQueue", item_id: int, decision: str, reviewer: str, comment: str | None = None,
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
        memory = _memory(memory)
        edits = domain_edits(memory, kind)
        claim = memory.claim(review.subject or "") if review.gate in CLAIM_GATES else None
        if claim is not None and (edits is None or claim.kind not in edits.claim_kinds):
            raise ReviewError(f"{claim.kind} claims cannot be edited at the {review.gate} gate; "
                              "approve or reject this one", item_id)
        edit = validate_edit(review, edit, edits)
    return memory.decide_review(item_id, decision, Actor.person(reviewer), comment=comment,
                                reason=(reason or "").strip() or None, edit=edit)


def domain_edits(memory: "Memory", kind: str | None = None) -> "ReviewEdits | None":
    """How the project's domain lets a person edit its claims (None: it does not)."""
    from mathteam.domain import DOMAIN_KEY, DOMAINS

    kind = kind or memory.get_meta(DOMAIN_KEY)
    return DOMAINS[kind].edits if kind in DOMAINS else None


def validate_edit(review: Review, text: str | None, edits: "ReviewEdits | None" = None) -> str:
    if review.gate != "report" and (review.gate not in CLAIM_GATES or edits is None):
        raise ReviewError(f"items at the {review.gate} gate cannot be edited; approve or reject it", review.id)
    expected = REPORT_EDIT if review.gate == "report" else edits.expected
    if not (text or "").strip():
        raise ReviewError(f"the edit is empty; expected {expected}", review.id)
    if review.gate == "report":
        return text  # the person's report, exactly as written
    text = text.strip()
    if review.gate in CLAIM_GATES:
        try:
            edits.parse(text)
        except ValueError as error:
            raise ReviewError(f"the edit does not parse: {error} (expected {expected})", review.id) from None
    return text


def _memory(queue: ReviewQueue) -> "Memory":
    """An edit is checked against the claims: it needs the whole memory, not the queue alone."""
    if not hasattr(queue, "claim"):
        raise TypeError("editing needs the project's Memory, not its review queue alone")
    return queue  # type: ignore[return-value]


# --- many items at once ------------------------------------------------------------------------

ID_LIST = re.compile(r"^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$")


def parse_ids(text: str) -> list[int]:
    """`3`, `3,5`, `10-40`, `3,5,10-40` as ids in the order given, each once."""
    if not ID_LIST.match(text or ""):
        raise ReviewError(f"{text!r} is not a list of item ids (e.g. 3,5,10-40)")
    ids: list[int] = []
    for part in text.replace(" ", "").split(","):
        first, _, last = part.partition("-")
        low, high = int(first), int(last or first)
        if high < low:
            raise ReviewError(f"{part!r}: a range runs from the smaller id to the larger (e.g. {high}-{low})")
        ids += [n for n in range(low, high + 1) if n not in ids]
    return ids


def select(memory: ReviewQueue, ids: str | None = None, gate: str | None = None,
           min_examples: int | None = None) -> list[Review]:
    """The items a decision over many applies to: the ids given (every one must wait for a
    decision), or every item waiting at `gate`; `min_examples` keeps those whose conjecture
    survived at least that many examples. Raises ReviewError when nothing is selected."""
    if (ids is None) == (gate is None):
        raise ReviewError("name the items: ids (e.g. 3,5,10-40) or --gate GATE, not both")
    if ids is not None:
        wanted = parse_ids(ids)
        found = {review.id: review for review in memory.reviews(ids=wanted)}
        unknown = [n for n in wanted if n not in found]
        if unknown:
            raise ReviewError(f"no review item {_ids_text(unknown)} (see the list: mathteam review PROJECT)",
                              unknown[0])
        decided = [found[n] for n in wanted if found[n].status != "pending"]
        if decided:
            first = decided[0]
            raise ReviewError(f"item {_ids_text([r.id for r in decided])} already decided "
                              f"(item {first.id} was {first.status} by {first.decided_by} at "
                              f"{first.decided_at}); nothing was decided", first.id)
        chosen = [found[n] for n in wanted]
    else:
        chosen = memory.reviews(status="pending", gate=gate)
    if min_examples is not None:
        chosen = [review for review in chosen
                  if isinstance(review.evidence.get("examples_survived"), int)
                  and review.evidence["examples_survived"] >= min_examples]
    if not chosen:
        where = f"at the {gate} gate" if gate else "among those ids"
        extra = f" with at least {min_examples} examples" if min_examples is not None else ""
        raise ReviewError(f"no item waits for a decision {where}{extra}")
    return chosen


def decide_many(memory: ReviewQueue, items: list[Review], decision: str, reviewer: str,
                comment: str | None = None, reason: str | None = None) -> list[Review]:
    """Approve or reject many items in one transaction: all of them, or (on any refusal) none."""
    if decision not in ("approved", "rejected"):
        raise ReviewError("only approvals and rejections can be taken over many items; edit one at a time")
    if decision == "rejected" and not (reason or "").strip():
        raise ReviewError("a rejection needs a reason: --reason TEXT")
    person = Actor.person(reviewer)
    with memory.atomic():
        return [memory.decide_review(review.id, decision, person, comment=comment,
                                     reason=(reason or "").strip() or None) for review in items]


def _ids_text(ids: list[int]) -> str:
    shown = ", ".join(str(n) for n in ids[:10])
    return shown + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
