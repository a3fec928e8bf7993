"""The project memory: SQLite through sqlite-utils (tasks, claims, evidence, examples, artifacts, events, reviews)."""

from mathteam.memory.models import (
    SETTLED, Actor, Artifact, Claim, ClaimStatus, Event, Evidence, Review, Task,
)

__all__ = ["SETTLED", "Actor", "Artifact", "Claim", "ClaimStatus", "Event", "Evidence", "Memory", "Review", "Task"]


def __getattr__(name: str):
    # Memory is imported on first use: it loads sqlite-utils (and with it numpy), which the review
    # queue (mathteam.memory.reviews) does without.
    if name == "Memory":
        from mathteam.memory.store import Memory
        return Memory
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
