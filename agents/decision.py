"""The planner's choice for the next step, and how a round of tasks is dealt to the workers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """The planner's choice for the next step."""

    role: str | None
    batches: list[list[str]]
    stop_reason: str | None = None
    wait: bool = False
    """Nothing can go on until a person decides: the gate should wait."""


def split(ids: list[str], workers: int) -> list[list[str]]:
    """Deal ids round-robin so each worker gets a mix of cheap and expensive tasks."""
    workers = max(1, min(workers, len(ids)))
    return [ids[k::workers] for k in range(workers)]
