"""The review queue: items at approval gates, and people's decisions on them.

Written on the plain connection (`Records`), so that `open_review_queue` can serve `mathteam
review` without loading the rest of the memory's machinery.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable

from mathteam.errors import ReviewError
from mathteam.memory.models import Actor, Review
from mathteam.memory.records import Records, connect, now


class ReviewQueue(Records):
    """The review table's named queries; Memory is one, and `open_review_queue` gives one alone."""

    def add_review(self, gate: str, question: str, requested_by: Actor, subject: str | None = None,
                   evidence: dict | None = None) -> int:
        """Queue an item unless an undecided or unapplied one with the same gate and subject waits."""
        with self.atomic():
            existing = self.query(
                "select id from reviews where gate = ? and subject is ? and applied_at is null",
                [gate, subject])
            if existing:
                return existing[0]["id"]
            review_id = self.conn.execute(
                "insert into reviews (gate, subject, question, evidence, requested_by, requested_at, status) "
                "values (?, ?, ?, ?, ?, ?, 'pending')",
                [gate, subject, question, json.dumps(evidence or {}, ensure_ascii=False),
                 requested_by.label(), now()]).lastrowid
            self.record_event(requested_by, "review requested", subject=str(review_id),
                              inputs={"gate": gate, "subject": subject})
        return review_id

    def review(self, review_id: int) -> Review | None:
        rows = self.query("select * from reviews where id = ?", [review_id])
        return _review(rows[0]) if rows else None

    def reviews(self, status: str | Iterable[str] | None = None, gate: str | None = None,
                unapplied: bool = False, ids: Iterable[int] | None = None) -> list[Review]:
        where, params = [], []
        if ids is not None:
            where.append("id in (select value from json_each(?))")
            params.append(json.dumps(list(ids)))
        if status is not None:
            statuses = [status] if isinstance(status, str) else list(status)
            where.append("status in (select value from json_each(?))")
            params.append(json.dumps(statuses))
        if gate is not None:
            where.append("gate = ?"); params.append(gate)
        if unapplied:
            where.append("applied_at is null")
        sql = "select * from reviews" + (" where " + " and ".join(where) if where else "") + " order by id"
        return [_review(row) for row in self.query(sql, params)]

    def decide_review(self, review_id: int, status: str, reviewer: Actor, comment: str | None = None,
                      reason: str | None = None, edit: str | None = None) -> Review:
        """Record a person's decision; exactly one decision per item wins, the others are refused."""
        if status not in ("approved", "rejected", "edited"):
            raise ReviewError(f"unknown decision {status!r}", review_id)
        with self.atomic():
            current = self.review(review_id)
            if current is None:
                raise ReviewError(f"no review item {review_id}", review_id)
            if current.status != "pending":
                raise ReviewError(f"item {review_id} was already {current.status} by {current.decided_by} "
                                  f"at {current.decided_at}", review_id)
            cursor = self.conn.execute(
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
        self.conn.execute("update reviews set applied_at = ? where id = ?", [now(), review_id])
        self.record_event(actor, "review applied", subject=str(review_id))


class StandaloneReviewQueue(ReviewQueue):
    """The review queue of an existing memory, opened on its own connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "StandaloneReviewQueue":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def open_review_queue(path: str | Path) -> StandaloneReviewQueue | None:
    """The review queue of the memory at `path`, without sqlite-utils or migrations; None when that
    memory's schema predates this code's (open it with `Memory.open`, which migrates it)."""
    conn = connect(path)
    columns = {row[1] for row in conn.execute("pragma table_info(reviews)")}
    events = {row[1] for row in conn.execute("pragma table_info(events)")}
    if not set(Review.model_fields) <= columns or "action" not in events:
        conn.close()
        return None
    return StandaloneReviewQueue(conn)


def _review(row: dict) -> Review:
    return Review(**{**row, "evidence": json.loads(row["evidence"] or "{}")})
