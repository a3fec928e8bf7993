"""The memory's schema, as sqlite-utils migrations applied in order; `apply` is idempotent."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("mathteam")


@migrations()
def m001_core_tables(db: Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["tasks"].create(
        {"id": str, "kind": str, "role": str, "title": str, "status": str, "priority": float,
         "depends_on": str, "inputs": str, "outputs": str, "created_at": str, "updated_at": str},
        pk="id",
    )
    db["tasks"].create_index(["status", "priority"])
    db["claims"].create(
        {"id": str, "kind": str, "statement": str, "data": str, "status": str, "reason": str,
         "author": str, "created_at": str, "updated_at": str},
        pk="id",
    )
    db["claims"].create_index(["status"])
    db["evidence"].create(
        {"id": int, "claim_id": str, "kind": str, "verdict": str, "checker": str, "accepted": int,
         "payload": str, "author": str, "created_at": str},
        pk="id", foreign_keys=[("claim_id", "claims", "id")],
    )
    db["evidence"].create_index(["claim_id"])
    db["examples"].create(
        {"id": str, "kind": str, "size": int, "data": str, "source": str, "author": str,
         "created_at": str},
        pk="id",
    )
    db["artifacts"].create(
        {"id": str, "kind": str, "path": str, "claim_id": str, "check_status": str, "detail": str,
         "created_at": str},
        pk="id",
    )
    db["events"].create(
        {"id": int, "at": str, "actor": str, "actor_kind": str, "role": str, "brain": str,
         "tool": str, "action": str, "subject": str, "inputs": str, "outputs": str,
         "seconds": float, "cost": float},
        pk="id",
    )
    db["reviews"].create(
        {"id": int, "gate": str, "subject": str, "question": str, "evidence": str,
         "requested_by": str, "requested_at": str, "status": str, "decided_by": str,
         "decided_at": str, "comment": str, "edit": str},
        pk="id",
    )
    db["reviews"].create_index(["status"])


@migrations()
def m002_review_decisions(db: Database) -> None:
    # A decision is taken by a person (status, decided_by, reason) and later acted on by the run
    # (applied_at): two moments, so a run killed in between still acts on it exactly once.
    db["reviews"].add_column("reason", str)
    db["reviews"].add_column("applied_at", str)
    db["reviews"].create_index(["gate", "status"])


@migrations()
def m003_computations(db: Database) -> None:
    # One row per sandbox run, keyed like the run cache (code, inputs, limits): the run as evidence,
    # and what lets the same code on the same inputs be answered without running it again.
    db["computations"].create(
        {"key": str, "code_sha256": str, "code": str, "inputs": str, "limits": str, "outcome": str,
         "limit_hit": str, "seconds": float, "cpu_seconds": float, "run": str, "author": str,
         "created_at": str},
        pk="key",
    )
    db["computations"].create_index(["code_sha256"])
