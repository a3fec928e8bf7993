"""Short-lived read connections to the project memory, and the few summaries the screens show."""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sqlite_utils import Database

from mathteam.memory import Event, Memory
from mathteam.memory.store import BUSY_TIMEOUT_MS
from mathteam.project import Project


@contextmanager
def reading(project: Project) -> Iterator[Memory | None]:
    """A fresh connection for one poll (None before the first run created the memory).

    No migrations and no writes: in WAL mode a reader never waits for the headless run's writer,
    and closing at once keeps the UI from pinning old WAL frames.
    """
    if not project.memory_path.exists():
        yield None
        return
    conn = sqlite3.connect(str(project.memory_path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        memory = Memory(Database(conn))
        if not memory.db["events"].exists():
            yield None
        else:
            yield memory
    finally:
        conn.close()


@dataclass(frozen=True)
class Overview:
    """What the dashboard shows."""

    goal: str
    tasks: dict[str, int]
    claims: dict[str, int]
    seconds_spent: float
    cost: float
    pending_reviews: int
    roles: dict[str, Event]
    """The latest event of each role (and person), by name."""


def overview(memory: Memory, project: Project) -> Overview:
    roles: dict[str, Event] = {}
    latest = memory.db.query(
        "select * from events where id in (select max(id) from events group by coalesce(role, actor))")
    for row in latest:
        event = _event(row)
        roles[event.role or event.actor] = event
    cost = next(iter(memory.db.query("select coalesce(sum(cost), 0) as c from events")))["c"]
    return Overview(goal=memory.get_meta("goal") or project.config.project.goal,
                    tasks=memory.task_counts(), claims=memory.claim_counts(),
                    seconds_spent=float(memory.get_meta("seconds_spent") or 0.0), cost=float(cost),
                    pending_reviews=len(memory.reviews(status="pending")), roles=roles)


def events_about(memory: Memory, subjects: list[str], limit: int = 50) -> list[Event]:
    """The latest events whose subject is one of `subjects`, oldest first."""
    rows = memory.db.query(
        "select * from events where subject in (select value from json_each(?)) order by id desc limit ?",
        [json.dumps(subjects), limit])
    return [_event(row) for row in reversed(list(rows))]


def last_event_id(memory: Memory) -> int:
    return next(iter(memory.db.query("select coalesce(max(id), 0) as m from events")))["m"]


def _event(row: dict) -> Event:
    return Event(**{**row, "inputs": json.loads(row["inputs"]), "outputs": json.loads(row["outputs"])})
