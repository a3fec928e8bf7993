"""The project memory: one SQLite file per project, read and written through small named functions.

Every change to the team's work (tasks added, done or reopened; claims added or moved; evidence,
artifacts, reviews) is also an event (who, what, when); examples carry their author and time in
their own row, and bookkeeping (`set_meta`, `update_task_outputs`, a task's priority) is not
logged. Every multi-row write is one transaction, so a run killed at any moment leaves either all
of a step or none of it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, Iterable

from sqlite_utils import Database

from mathteam.errors import EvidenceError
from mathteam.memory.models import (
    SETTLED, Actor, Artifact, Claim, ClaimStatus, Event, Evidence, Task,
)
from mathteam.memory.computations import ComputationLog
from mathteam.memory.records import BUSY_TIMEOUT_MS, connect, now
from mathteam.memory.records import dumps as _dumps
from mathteam.memory.reviews import ReviewQueue
from mathteam.memory.schema import migrations

__all__ = ["BUSY_TIMEOUT_MS", "Memory", "now"]


class Memory(ReviewQueue, ComputationLog):
    """A project's memory. Open with `Memory.open(path)`, or `Memory.open(":memory:")` in tests."""

    def __init__(self, db: Database):
        self.db = db
        self.conn: sqlite3.Connection = db.conn

    @classmethod
    def open(cls, path: str | Path) -> "Memory":
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = Database(connect(path))
        if str(path) != ":memory:":
            db.enable_wal()
        db.execute("PRAGMA foreign_keys = ON")
        migrations.apply(db)
        return cls(db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Memory":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return len(migrations.applied(self.db))

    # --- meta --------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        rows = list(self.db.query("select value from meta where key = ?", [key]))
        return rows[0]["value"] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        self.db["meta"].upsert({"key": key, "value": value}, pk="key")

    # --- events ------------------------------------------------------------------------------

    def events(self, after_id: int = 0, limit: int | None = None) -> list[Event]:
        sql = "select * from events where id > ? order by id"
        if limit:
            sql += f" limit {int(limit)}"
        return [_event(row) for row in self.db.query(sql, [after_id])]

    # --- tasks -------------------------------------------------------------------------------

    def add_tasks(self, tasks: Iterable[Task], actor: Actor) -> int:
        """Add tasks not yet in the plan (by id); returns how many were new."""
        rows = [{**task.model_dump(), "depends_on": _dumps(task.depends_on),
                 "inputs": _dumps(task.inputs), "outputs": _dumps(task.outputs)} for task in tasks]
        return self._insert_new("tasks", rows, actor, "plan", "tasks_added")

    def _insert_new(self, table: str, rows: list[dict], actor: Actor, action: str, counted: str) -> int:
        """Insert the rows whose id is new, with one event saying how many; returns that number."""
        stamp = now()
        with self.atomic():
            before = self.db[table].count
            self.db[table].insert_all([{**row, "created_at": stamp, "updated_at": stamp} for row in rows],
                                      pk="id", ignore=True, batch_size=500)
            added = self.db[table].count - before
            if added:
                self.record_event(actor, action, outputs={counted: added})
        return added

    def task(self, task_id: str) -> Task | None:
        rows = list(self.db.query("select * from tasks where id = ?", [task_id]))
        return _task(rows[0]) if rows else None

    def tasks(self, status: str | None = None, kind: str | None = None,
              ids: Iterable[str] | None = None) -> list[Task]:
        where, params = [], []
        if status:
            where.append("status = ?"); params.append(status)
        if kind:
            where.append("kind = ?"); params.append(kind)
        if ids is not None:
            ids = list(ids)
            where.append("id in (select value from json_each(?))"); params.append(_dumps(ids))
        sql = "select * from tasks" + (" where " + " and ".join(where) if where else "")
        return [_task(row) for row in self.db.query(sql + " order by priority, id", params)]

    def finish_tasks(self, outcomes: dict[str, dict], actor: Actor) -> None:
        """Mark tasks done with their outputs, in one transaction with one event each."""
        stamp = now()
        with self.atomic():
            for task_id, outputs in outcomes.items():
                self.db.execute(
                    "update tasks set status = 'done', outputs = ?, updated_at = ? where id = ?",
                    [_dumps(outputs), stamp, task_id])
                self.record_event(actor, "task done", subject=task_id, outputs=outputs)

    def reopen_tasks(self, task_ids: Iterable[str], actor: Actor, reason: str) -> int:
        """Put finished tasks back to pending (new work made their outputs stale); returns how many."""
        reopened = 0
        with self.atomic():
            for task_id in task_ids:
                changed = self.db.execute(
                    "update tasks set status = 'pending', updated_at = ? where id = ? and status = 'done'",
                    [now(), task_id]).rowcount
                if changed:
                    self.record_event(actor, "task reopened", subject=task_id, outputs={"reason": reason})
                    reopened += changed
        return reopened

    def update_task_outputs(self, task_id: str, outputs: dict) -> None:
        self.db.execute("update tasks set outputs = ?, updated_at = ? where id = ?",
                        [_dumps(outputs), now(), task_id])

    def task_counts(self) -> dict[str, int]:
        return {row["status"]: row["n"] for row in
                self.db.query("select status, count(*) as n from tasks group by status")}

    # --- claims and evidence -----------------------------------------------------------------

    def add_claims(self, claims: Iterable[Claim], actor: Actor) -> int:
        rows = [{**claim.model_dump(), "data": _dumps(claim.data)} for claim in claims]
        return self._insert_new("claims", rows, actor, "claims proposed", "claims_added")

    def claim(self, claim_id: str) -> Claim | None:
        rows = list(self.db.query("select * from claims where id = ?", [claim_id]))
        return _claim(rows[0]) if rows else None

    def claims(self, status: str | Iterable[str] | None = None) -> list[Claim]:
        if status is None:
            rows = self.db.query("select * from claims order by rowid")
        else:
            statuses = [status] if isinstance(status, str) else list(status)
            rows = self.db.query(
                "select * from claims where status in (select value from json_each(?)) order by rowid",
                [_dumps(statuses)])
        return [_claim(row) for row in rows]

    def claim_counts(self) -> dict[str, int]:
        return {row["status"]: row["n"] for row in
                self.db.query("select status, count(*) as n from claims group by status")}

    def mark_claims(self, claim_ids: Iterable[str], status: ClaimStatus, reason: str,
                    actor: Actor) -> int:
        """Move claims to `open` or `conjectured`: statuses that need no checked evidence."""
        if status in SETTLED or status == "checked":
            raise EvidenceError(",".join(claim_ids), status, "use settle_claim with evidence")
        ids = list(claim_ids)
        with self.atomic():
            self.db.execute(
                "update claims set status = ?, reason = ?, updated_at = ? "
                "where id in (select value from json_each(?))",
                [status, reason, now(), _dumps(ids)])
            if ids:
                self.record_event(actor, f"claims {status}", inputs={"count": len(ids)},
                                  outputs={"reason": reason, "first": ids[:5]})
        return len(ids)

    def update_claim_data(self, claim_id: str, data: dict, actor: Actor, reason: str) -> None:
        """Replace a claim's data (a free-form claim gains a form); its status is untouched."""
        with self.atomic():
            self.db.execute("update claims set data = ?, updated_at = ? where id = ?", [_dumps(data), now(), claim_id])
            self.record_event(actor, "claim forms changed", subject=claim_id, outputs={"reason": reason})

    def settle_claim(self, evidence: Evidence, actor: Actor, status: ClaimStatus | None = None,
                     seconds: float | None = None) -> None:
        """Store evidence and, since a checker accepted it, move its claim to proved/refuted (or to
        `checked` for `supports` evidence: every instance tried holds)."""
        target = status or {"proves": "proved", "refutes": "refuted", "supports": "checked"}.get(evidence.verdict)
        if target == "checked":
            if evidence.verdict != "supports":
                raise EvidenceError(evidence.claim_id, target, f"evidence {evidence.verdict} the claim")
        elif target not in SETTLED:
            raise EvidenceError(evidence.claim_id, target, "not a settled status")
        if not evidence.accepted:
            raise EvidenceError(evidence.claim_id, target, f"{evidence.checker} did not accept the evidence")
        if target != "checked" and (evidence.verdict == "proves") != (target != "refuted"):
            raise EvidenceError(evidence.claim_id, target, f"evidence {evidence.verdict} the claim")
        current = self.claim(evidence.claim_id)
        if current is None:
            raise EvidenceError(evidence.claim_id, target, "no such claim")
        with self.atomic():
            self.db["evidence"].insert({
                **evidence.model_dump(), "payload": _dumps(evidence.payload),
                "author": evidence.author or actor.label(), "created_at": now()})
            self.db.execute("update claims set status = ?, reason = ?, updated_at = ? where id = ?",
                            [target, f"{evidence.kind} ({evidence.checker})", now(), evidence.claim_id])
            self.record_event(actor, f"claim {target}", subject=evidence.claim_id,
                              inputs={"evidence": evidence.kind}, outputs={"checker": evidence.checker},
                              seconds=seconds)

    def add_evidence(self, evidence: Evidence, actor: Actor) -> None:
        """Store evidence that no checker accepted (an informal proof): kept, but it changes no status."""
        if evidence.accepted:
            raise EvidenceError(evidence.claim_id, "unchanged", "accepted evidence goes through settle_claim")
        with self.atomic():
            self.db["evidence"].insert({
                **evidence.model_dump(), "payload": _dumps(evidence.payload),
                "author": evidence.author or actor.label(), "created_at": now()})
            self.record_event(actor, f"{evidence.kind} recorded (not accepted)", subject=evidence.claim_id,
                              inputs={"evidence": evidence.kind}, outputs={"checker": evidence.checker})

    def evidence(self, claim_id: str | None = None, kind: str | None = None) -> list[Evidence]:
        where, params = [], []
        if claim_id is not None:
            where.append("claim_id = ?"); params.append(claim_id)
        if kind is not None:
            where.append("kind = ?"); params.append(kind)
        sql = "select * from evidence" + (" where " + " and ".join(where) if where else "") + " order by id"
        return [_evidence(row) for row in self.db.query(sql, params)]

    # --- examples and artifacts --------------------------------------------------------------

    def add_example(self, example_id: str, kind: str, size: int, data: Any, source: str,
                    actor: Actor) -> bool:
        """Store a computed example (e.g. a magma's table); False if it was already there."""
        table = self.db["examples"]
        if list(self.db.query("select 1 from examples where id = ?", [example_id])):
            return False
        table.insert({"id": example_id, "kind": kind, "size": size, "data": _dumps(data),
                      "source": source, "author": actor.label(), "created_at": now()})
        return True

    def example(self, example_id: str) -> dict | None:
        rows = list(self.db.query("select * from examples where id = ?", [example_id]))
        if not rows:
            return None
        return {**rows[0], "data": json.loads(rows[0]["data"])}

    def examples(self, kind: str | None = None) -> list[dict]:
        sql, params = "select * from examples", []
        if kind:
            sql += " where kind = ?"; params.append(kind)
        return [{**row, "data": json.loads(row["data"])} for row in self.db.query(sql + " order by rowid", params)]

    def add_artifact(self, artifact: Artifact, actor: Actor) -> None:
        with self.atomic():
            self.db["artifacts"].upsert({**artifact.model_dump(), "created_at": now()}, pk="id")
            self.record_event(actor, f"wrote {artifact.kind}", subject=artifact.path,
                              outputs={"check_status": artifact.check_status})

    def artifacts(self, kind: str | None = None) -> list[Artifact]:
        sql, params = "select * from artifacts", []
        if kind:
            sql += " where kind = ?"; params.append(kind)
        rows = self.db.query(sql + " order by rowid", params)
        return [Artifact(**{k: v for k, v in row.items() if k != "created_at"}) for row in rows]


def _task(row: dict) -> Task:
    return Task(**{**_without(row, "created_at", "updated_at"),
                   "depends_on": json.loads(row["depends_on"]), "inputs": json.loads(row["inputs"]),
                   "outputs": json.loads(row["outputs"])})


def _claim(row: dict) -> Claim:
    return Claim(**{**_without(row, "created_at", "updated_at"), "data": json.loads(row["data"])})


def _evidence(row: dict) -> Evidence:
    return Evidence(**{**_without(row, "id", "created_at"), "accepted": bool(row["accepted"]),
                       "payload": json.loads(row["payload"])})


def _event(row: dict) -> Event:
    return Event(**{**row, "inputs": json.loads(row["inputs"]), "outputs": json.loads(row["outputs"])})


def _without(row: dict, *keys: str) -> dict:
    return {k: v for k, v in row.items() if k not in keys}
