"""The project memory: SQLite through sqlite-utils (tasks, claims, evidence, examples, artifacts, events, reviews)."""

from mathteam.memory.models import (
    SETTLED, Actor, Artifact, Claim, ClaimStatus, Event, Evidence, Review, Task,
)
from mathteam.memory.store import Memory

__all__ = ["SETTLED", "Actor", "Artifact", "Claim", "ClaimStatus", "Event", "Evidence", "Memory", "Review", "Task"]
