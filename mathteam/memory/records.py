"""The memory's SQLite connection at its plainest: transactions, queries as dicts, the event log.

Written against `sqlite3` alone (no sqlite-utils, whose import pulls in numpy), so that the review
queue, which needs nothing more, opens in a few milliseconds: `mathteam review` over hundreds of
items must answer at once.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from mathteam.memory.models import Actor

BUSY_TIMEOUT_MS = 30_000


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection as every part of mathteam opens it: we open transactions ourselves (see
    Records.atomic), never implicitly, and wait for another writer's lock rather than fail."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                           isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


class Records:
    """Base of the memory classes: holds `conn`, a plain sqlite3 connection."""

    conn: sqlite3.Connection

    def query(self, sql: str, params: list | tuple = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    @contextmanager
    def atomic(self) -> Iterator["Records"]:
        """All writes inside happen together or not at all (nested blocks use savepoints).

        The outermost block takes the write lock up front (`BEGIN IMMEDIATE`): a deferred
        transaction that reads and then writes fails at once with "database is locked" when
        another process wrote in between, whereas waiting for the lock honours the busy timeout.
        """
        conn = self.conn
        if conn.in_transaction:
            conn.execute("SAVEPOINT nested")
            try:
                yield self
            except BaseException:
                conn.execute("ROLLBACK TO SAVEPOINT nested")
                conn.execute("RELEASE SAVEPOINT nested")
                raise
            else:
                conn.execute("RELEASE SAVEPOINT nested")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def record_event(self, actor: Actor, action: str, subject: str | None = None,
                     inputs: dict | None = None, outputs: dict | None = None,
                     seconds: float | None = None, cost: float | None = None) -> int:
        cursor = self.conn.execute(
            "insert into events (at, actor, actor_kind, role, brain, tool, action, subject, inputs, "
            "outputs, seconds, cost) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [now(), actor.label(), actor.kind, actor.name if actor.kind == "role" else None, actor.brain,
             actor.tool, action, subject, dumps(inputs or {}), dumps(outputs or {}), seconds, cost])
        return cursor.lastrowid
