"""The review queue: items at approval gates, and people's decisions on them."""

from __future__ import annotations

import json
from typing import Iterable

from mathteam.errors import ReviewError
from mathteam.memory.models import Actor, Review


class ReviewQueue:
    """Mixed into Memory: the review table's named queries."""

    def add_review(self, gate: str, question: str, requested_by: Actor, subject: str | None = None,
                   evidence: dict | None = None) -> int:
        """Queue an item unless an undecided or unapplied one with the same gate and subject waits."""
        from mathteam.memory.store import now

        with self.atomic():
            existing = list(self.db.query(
                "select id from reviews where gate = ? and subject is ? and applied_at is null",
                [gate, subject]))
            if existing:
                return existing[0]["id"]
            table = self.db["reviews"]
            table.insert({"gate": gate, "subject": subject, "question": question,
                          "evidence": json.dumps(evidence or {}, ensure_ascii=False),
                          "requested_by": requested_by.label(), "requested_at": now(),
                          "status": "pending"})
            review_id = table.last_pk
            self.record_event(requested_by, "review requested", subject=str(review_id),
                              inputs={"gate": gate, "subject": subject})
        return review_id

    def review(self, review_id: int) -> Review | None:
        rows = list(self.db.query("select * from reviews where id = ?", [review_id]))
        return _review(rows[0]) if rows else None

    def reviews(self, status: str | Iterable[str] | None = None, gate: str | None = None,
                unapplied: bool = False) -> list[Review]:
        where, params = [], []
        if status is not None:
            statuses = [status] if isinstance(status, str) else list(status)
            where.append("status in (select value from json_each(?))")
            params.append(json.dumps(statuses))
        if gate is not None:
            where.append("gate = ?"); params.append(gate)
        if unapplied:
            where.append("applied_at is null")
        sql = "select * from reviews" + (" where " + " and ".join(where) if where else "") + " order by id"
        return [_review(row) for row in self.db.query(sql, params)]

    def decide_review(self, review_id: int, status: str, reviewer: Actor, comment: str | None = None,
                      reason: str | None = None, edit: str | None = None) -> Review:
        """Record a person's decision; exactly one decision per item wins, the others are refused."""
        from mathteam.memory.store import now

        if status not in ("approved", "rejected", "edited"):
            raise ReviewError(f"unknown decision {status!r}", review_id)
        with self.atomic():
            current = self.review(review_id)
            if current is None:
                raise ReviewError(f"no review item {review_id}", review_id)
            if current.status != "pending":
                raise ReviewError(f"item {review_id} was already {current.status} by {current.decided_by} "
                                  f"at {current.decided_at}", review_id)
            cursor = self.db.execute(
                "update reviews set status = ?, decided_by = ?, decided_at = ?, comment = ?, reason = ?, "
                "edit = ? where id = ? and status = 'pending'",
                [status, reviewer.name, now(), comment, reason, edit, review_id])
            if cursor.rowcount != 1:  # a concurrent reviewer won the race inside the same instant
                raise ReviewError(f"item {review_id} was decided by someone else just now", review_id)
            self.record_event(reviewer, f"review {status}", subject=str(review_id),
                              inputs={"gate": current.gate, "subject": current.subject},
                              outputs={"comment": comment, "reason": reason, "edited": edit is not None})
        return self.review(review_id)

    def mark_review_applied(self, review_id: int, actor: Actor) -> None:
        """The run acted on the decision; call inside the same transaction as the action."""
        from mathteam.memory.store import now

        self.db.execute("update reviews set applied_at = ? where id = ?", [now(), review_id])
        self.record_event(actor, "review applied", subject=str(review_id))


def _review(row: dict) -> Review:
    return Review(**{**row, "evidence": json.loads(row["evidence"] or "{}")})
